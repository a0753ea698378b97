"""Tesseract through pytesseract's ``image_to_data``: words with boxes and confidences.

Only this module imports pytesseract.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
from collections.abc import Iterable

import cv2
import numpy as np
import pytesseract

from ...errors import DependencyError, TesseractNotFound
from ..layout import page_from_data
from ..page import OcrPage
from .base import Engine

#: Tesseract page segmentation: 11 = sparse text, find as much text as possible in no
#: particular order - the layout of a business card (see bench/bench_ocr.py).
DEFAULT_PSM = 11
#: 1 = the LSTM recogniser (the only one in Debian's tessdata).
DEFAULT_OEM = 1


def check_tesseract() -> str:
    """The installed Tesseract version; raises TesseractNotFound when it cannot be run."""
    try:
        return str(pytesseract.get_tesseract_version())
    except pytesseract.TesseractNotFoundError as exc:
        raise TesseractNotFound(
            f"Tesseract OCR is not installed or not on PATH "
            f"(looked for '{pytesseract.pytesseract.tesseract_cmd}')") from exc
    except (OSError, pytesseract.TesseractError) as exc:
        raise TesseractNotFound(f"Tesseract OCR cannot be run: {exc}") from exc


@functools.lru_cache(maxsize=4)
def _languages(cmd: str) -> frozenset[str]:
    # `tesseract --list-langs` itself: pytesseract's parser drops names such as "Latin"
    # (the script models of tesseract-ocr-script-*)
    try:
        proc = subprocess.run([cmd, "--list-langs"], capture_output=True, text=True,
                              timeout=30, check=False)
    except FileNotFoundError as exc:
        raise TesseractNotFound(f"Tesseract OCR is not installed or not on PATH ({cmd!r})"
                                ) from exc
    except (OSError, subprocess.SubprocessError) as exc:
        raise TesseractNotFound(f"Tesseract OCR cannot list its languages: {exc}") from exc
    lines = (proc.stdout or "").splitlines()
    langs = [ln.strip() for ln in lines[1:] if ln.strip() and " " not in ln.strip()]
    return frozenset(lang for lang in langs if lang != "osd")


def available_languages() -> set[str]:
    """Tesseract's installed recognition languages (``osd`` excluded)."""
    return set(_languages(pytesseract.pytesseract.tesseract_cmd))


def select_languages(requested: str | Iterable[str]) -> str:
    """A Tesseract ``-l`` value from the requested languages that are installed, in the
    order asked ("eng+deu", ["eng", "deu"] or "eng,deu"). Raises DependencyError when none
    of them is installed."""
    if isinstance(requested, str):
        wanted = [x for x in re.split(r"[+,\s]+", requested) if x]
    else:
        wanted = [x for x in requested if x]
    have = available_languages()
    chosen = list(dict.fromkeys(x for x in wanted if x in have))
    if not chosen:
        raise DependencyError(
            f"none of the OCR languages {'+'.join(wanted) or '(none)'} is installed "
            f"(installed: {', '.join(sorted(have)) or 'none'})",
            hint="install a language pack, e.g. 'sudo apt-get install tesseract-ocr-deu'")
    return "+".join(chosen)


class TesseractEngine(Engine):
    """Tesseract LSTM in the languages ``lang`` (only the installed ones: "eng+deu"
    without deu installed reads with eng; DependencyError when none of them is).

    ``threads`` sets OMP_THREAD_LIMIT for the Tesseract processes (1 by default: cardpipe
    runs photos in parallel processes, and Tesseract's own threads only slow that down).
    """

    name = "tesseract"

    def __init__(self, lang: str = "eng", psm: int = DEFAULT_PSM, oem: int = DEFAULT_OEM, *,
                 threads: int | None = 1, config: str = "") -> None:
        self.lang = select_languages(lang)
        self.psm = psm
        self.oem = oem
        self.threads = threads
        self.config = config

    def __repr__(self) -> str:
        return f"TesseractEngine(lang={self.lang!r}, psm={self.psm}, oem={self.oem})"

    @classmethod
    def check(cls) -> None:
        check_tesseract()

    def recognize(self, image: np.ndarray, source: np.ndarray | None = None) -> OcrPage:
        if self.threads is not None:
            os.environ["OMP_THREAD_LIMIT"] = str(self.threads)
        config = f"--psm {self.psm} --oem {self.oem} {self.config}".strip()
        rgb = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        try:
            data = pytesseract.image_to_data(rgb, lang=self.lang, config=config,
                                             output_type=pytesseract.Output.DICT)
        except pytesseract.TesseractNotFoundError as exc:
            raise TesseractNotFound("Tesseract OCR is not installed or not on PATH") from exc
        h, w = image.shape[:2]
        return page_from_data(data, width=w, height=h, engine=f"tesseract-psm{self.psm}")
