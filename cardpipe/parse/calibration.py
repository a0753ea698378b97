"""Calibrated field confidences: the parser's raw scores mapped to "how often this is right".

The parser scores each field from its own evidence (OCR confidence, how well a line fits the
field, agreements such as the e-mail and the name); those scores rank well but are not
probabilities. ``cardpipe/data/calibration.json`` maps them, per field and per script of the
card (Latin or CJK, whose failure rates differ), through a monotone step function fitted on
real cards with isotonic regression and a conservative bound per step, so that a confidence
of 0.9 means at least nine in ten such fields were right (``scripts/fit_calibration.py``
fits it, and prints the cross-validated table the README quotes). A field or script the
table has too few examples of is mapped by the table fitted on all fields together (``*``);
without a table the raw scores pass unchanged.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

import numpy as np

__all__ = ["calibrate", "script_of", "table"]

#: Han, kana, Hangul (syllables and jamo), CJK punctuation-free letters
_CJK_RANGES = ((0x1100, 0x11FF), (0x3040, 0x30FF), (0x3130, 0x318F), (0x3400, 0x4DBF),
               (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF))


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return any(lo <= o <= hi for lo, hi in _CJK_RANGES)


def script_of(text: str) -> str:
    """'cjk' when at least a fifth of the card's letters are Han, kana or Hangul, else
    'latin' (the groups the calibration table is fitted in)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "latin"
    return "cjk" if sum(map(_is_cjk, letters)) >= 0.2 * len(letters) else "latin"


@functools.cache
def table() -> Mapping[str, Any]:
    """The shipped calibration table (empty when the file is absent: raw scores pass)."""
    path = resources.files("cardpipe.data").joinpath("calibration.json")
    if not path.is_file():
        return {}
    data: Mapping[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _step(points: list[list[float]], raw: float) -> float:
    xs = np.array([p[0] for p in points], dtype=float)
    ys = np.array([p[1] for p in points], dtype=float)
    return float(np.interp(raw, xs, ys))


def calibrate(confidence: Mapping[str, float], script: str) -> dict[str, float]:
    """``confidence`` (field -> raw score) as calibrated scores for a card of ``script``."""
    t = table()
    maps: Mapping[str, Any] = t.get("maps", {})
    out: dict[str, float] = {}
    for name, raw in confidence.items():
        field, pooled = maps.get(name, {}), maps.get("*", {})
        points = (field.get(script) or field.get("all") or pooled.get(script)
                  or pooled.get("all"))
        if points:
            out[name] = round(_step(points, float(raw)), 3)
        else:
            out[name] = float(raw)
    return out
