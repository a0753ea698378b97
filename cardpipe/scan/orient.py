"""One card image to one upright reading: normalise the light, find the text direction,
deskew, and let the engine read it the right way up.

Orientation: the ink's line profile says whether text runs along x or y; the reading in
that direction is trusted when it is confident. Otherwise every turn is read on a reduced
copy and the one with the most believable text wins (Tesseract's OSD was slower and failed
on cards with little text, see bench/bench_ocr.py). An engine that tells upside down from
upright itself (:meth:`Engine.tells_upside_down`) is asked only about the other direction,
and only when it found the lines running down the image or read the card poorly.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

import numpy as np

from . import preprocess as pp
from .engines import Engine, confident, quality
from .page import CardInfo, OcrPage

#: long side of the reduced copies used to compare orientations
PROBE_SIDE = 800

Debug = Callable[[str, np.ndarray], None]


class _Turns:
    """The card in each of its four turns, deskewed, computed once each: normalised
    (what the engine detects lines on) and as photographed (what it may read them from)."""

    def __init__(self, card: np.ndarray, gray: np.ndarray, max_skew: float) -> None:
        self.card = card
        self.gray = gray
        self.max_skew = max_skew
        self._straight: dict[int, tuple[np.ndarray, float]] = {}
        self._colour: dict[int, np.ndarray] = {}

    def variant(self, rot: int) -> tuple[np.ndarray, float]:
        """The normalised card turned by ``rot`` degrees and deskewed, and the skew angle."""
        base = rot % 180
        if base not in self._straight:
            self._straight[base] = pp.deskew(pp.rotate90(self.gray, base),
                                             max_angle=self.max_skew)
        img, angle = self._straight[base]
        return (pp.rotate90(img, 180) if rot >= 180 else img), angle

    def source(self, rot: int) -> np.ndarray:
        """The card as photographed (colour, not normalised) in variant(rot)'s geometry."""
        base = rot % 180
        if base not in self._colour:
            _, angle = self.variant(base)
            c = pp.rotate90(self.card, base)
            self._colour[base] = pp.rotate(c, angle, fill=255) if angle else c
        c = self._colour[base]
        return pp.rotate90(c, 180) if rot >= 180 else c


def read_card(card: np.ndarray, engine: Engine, debug: Debug, *,
              max_skew: float = 10.0) -> OcrPage:
    """Normalise, orient, deskew and read one card image; the page's ``info`` says how
    it was turned."""
    t0 = time.perf_counter()
    gray, inverted = pp.normalize(card, debug=debug)
    direction, margin = pp.text_direction(gray)
    turns = _Turns(card, gray, max_skew)
    t_prep = time.perf_counter() - t0
    if engine.tells_upside_down():
        page, rot, img, angle, tried = _read_turning(engine, turns, direction, margin)
    else:
        page, rot, img, angle, tried = _read_probing(engine, turns, direction, margin)
    debug("ocr_input", img)
    info = CardInfo(rotation=rot, deskew=round(angle, 2), inverted=round(inverted, 3),
                    direction_margin=round(margin, 2), orientations=tuple(tried),
                    prep_s=round(t_prep, 3),
                    ocr_s=round(time.perf_counter() - t0 - t_prep, 3))
    return dataclasses.replace(page, flipped=False, sideways=False, info=info)


_Reading = tuple[OcrPage, int, np.ndarray, float, list[tuple[int, float]]]


def _read_probing(engine: Engine, turns: _Turns, first: int, margin: float) -> _Reading:
    """For an engine that does not tell 0 from 180 degrees: read the likely direction,
    and when that is not confident, compare every plausible turn on reduced copies."""
    img, angle = turns.variant(first)
    page = engine.probe(img)
    tried: list[tuple[int, float]] = [(first, round(quality(page), 1))]
    rot = first
    if not confident(page):
        candidates = [first, (first + 180) % 360]
        if margin < 1.5:
            candidates += [(first + 90) % 360, (first + 270) % 360]
        probes = {}
        for t in candidates:
            small = pp.resize_long(turns.variant(t)[0], PROBE_SIDE)
            probes[t] = quality(engine.probe(small))
            tried.append((t, round(probes[t], 1)))
        if len(probes) < 4 and max(probes.values()) < 25:
            for t in ((first + 90) % 360, (first + 270) % 360):  # the direction was wrong
                probes[t] = quality(engine.probe(pp.resize_long(turns.variant(t)[0],
                                                                PROBE_SIDE)))
                tried.append((t, round(probes[t], 1)))
        best = max(probes, key=lambda t: probes[t])
        if best != first and probes[best] > 1.2 * probes[first]:
            rot = best
            img, angle = turns.variant(rot)
            page = engine.probe(img)
    page = engine.refine(img, page)
    return page, rot, img, angle, tried


def _read_turning(engine: Engine, turns: _Turns, first: int, margin: float) -> _Reading:
    """For an engine that tells 0 from 180 degrees itself: the other text direction is
    tried when the engine found the lines running down the image (``sideways``), or when
    the ink's line profile was unsure and the reading poor."""
    img, angle = turns.variant(first)
    page = engine.recognize(img, turns.source(first))
    rot = (first + 180) % 360 if page.flipped else first
    tried: list[tuple[int, float]] = [(rot, round(quality(page), 1))]
    if page.sideways or (not confident(page) and (margin < 1.5 or quality(page) < 25)):
        other = (first + 90) % 360
        img2, angle2 = turns.variant(other)
        page2 = engine.recognize(img2, turns.source(other))
        rot2 = (other + 180) % 360 if page2.flipped else other
        tried.append((rot2, round(quality(page2), 1)))
        if quality(page2) > 1.2 * quality(page):
            page, rot, img, angle = page2, rot2, img2, angle2
    if rot != first and rot % 180 == first % 180:
        img = pp.rotate90(img, 180)
    return page, rot, img, angle, tried
