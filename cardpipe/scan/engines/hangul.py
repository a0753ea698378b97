"""Korean cards: RapidOCR's PP-OCR models read Chinese and Japanese but not Hangul.

A Korean card read by RapidOCR comes back as Latin garbage or as wrong Chinese
characters, read with low confidence.  :class:`HangulEngine` wraps the main engine: when a
reading shows those signs (:func:`suspect`), the same image is read again with Tesseract
``kor+eng`` (the Debian package tesseract-ocr-kor, nothing downloaded at run time); when
that second reading holds enough confident Hangul (:func:`hangul_syllables`) it is the
card's text, except for the lines the main engine read confidently in plain ASCII (e-mail
addresses, websites, numbers), which it reads better than Tesseract (:func:`merge`).
"""

from __future__ import annotations

import re

import numpy as np

from ...errors import DependencyError
from ..page import Line, OcrPage, Word
from .base import Engine

__all__ = ["HangulEngine", "hangul_syllables", "merge", "suspect", "with_korean"]

_HANGUL = re.compile("[\uac00-\ud7af]")
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
#: RapidOCR reads true Chinese and Japanese characters with 0.9 or more; Hangul it
#: misreads as Han characters read with less
CJK_CONF = 0.9
#: ... or as Latin letters read with less than this
LATIN_CONF = 0.7
#: confident Hangul syllables (Tesseract conf >= 0.6) that make a card Korean: a Korean
#: card's name, title and address alone hold a dozen; Tesseract kor finds a few stray ones
#: in the Han of Chinese cards
MIN_SYLLABLES = 10
#: a main-engine line this confident and all ASCII is kept over Tesseract's reading
KEEP_CONF = 0.9


def suspect(page: OcrPage) -> bool:
    """Whether a reading may be of Hangul: a CJK word or a word of two letters or more
    read with low confidence."""
    for w in page.words:
        if _CJK.search(w.text) and w.conf < CJK_CONF:
            return True
        if sum(ch.isalpha() for ch in w.text) >= 2 and w.conf < LATIN_CONF:
            return True
    return False


def hangul_syllables(page: OcrPage, min_conf: float = 0.6) -> int:
    """The Hangul syllables of the words read with at least ``min_conf``."""
    return sum(len(_HANGUL.findall(w.text)) for w in page.words if w.conf >= min_conf)


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """The share of box ``b``'s area inside box ``a``."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    w = min(ax + aw, bx + bw) - max(ax, bx)
    h = min(ay + ah, by + bh) - max(ay, by)
    return max(w, 0) * max(h, 0) / max(bw * bh, 1)


def merge(korean: OcrPage, main: OcrPage) -> OcrPage:
    """``korean``'s lines, but where ``main`` read a line confidently in plain ASCII
    ('kim@example.co.kr', '010-1234-5678') that line replaces the Korean reading's lines
    it covers (their boxes half inside it)."""
    keep = [ln for ln in main.lines if ln.text.isascii() and ln.conf >= KEEP_CONF
            and sum(ch.isalnum() for ch in ln.text) >= 4]
    chosen: list[tuple[OcrPage, Line]] = [(main, ln) for ln in keep]
    for ln in korean.lines:
        if not any(_overlap(k.box, ln.box) >= 0.5 for k in keep):
            chosen.append((korean, ln))
    chosen.sort(key=lambda pl: (pl[1].box[1], pl[1].box[0]))
    words: list[Word] = []
    lines: list[Line] = []
    for page, ln in chosen:
        idx = []
        for wi in ln.words:
            w = page.words[wi]
            idx.append(len(words))
            words.append(Word(w.text, w.box, w.conf, len(lines), w.block))
        lines.append(Line(tuple(idx), ln.text, ln.box, ln.height, ln.conf, ln.block))
    return OcrPage(korean.width, korean.height, tuple(words), tuple(lines),
                   engine=f"{main.engine}+{korean.engine}", qr=main.qr,
                   flipped=main.flipped, sideways=main.sideways, info=main.info)


class HangulEngine(Engine):
    """The main engine, and Tesseract ``kor+eng`` for the cards that look Korean."""

    def __init__(self, primary: Engine, korean: Engine) -> None:
        self.primary = primary
        self.korean = korean
        self.name = primary.name

    def __repr__(self) -> str:
        return f"HangulEngine({self.primary!r}, {self.korean!r})"

    def tells_upside_down(self) -> bool:
        return self.primary.tells_upside_down()

    def probe(self, image: np.ndarray) -> OcrPage:
        return self.primary.probe(image)

    def refine(self, image: np.ndarray, page: OcrPage) -> OcrPage:
        return self._korean(image, self.primary.refine(image, page))

    def recognize(self, image: np.ndarray, source: np.ndarray | None = None) -> OcrPage:
        return self._korean(image, self.primary.recognize(image, source))

    def _korean(self, image: np.ndarray, page: OcrPage) -> OcrPage:
        if page.sideways or not suspect(page):
            return page
        # a flipped page's boxes are in the turned image's pixels
        upright = np.ascontiguousarray(image[::-1, ::-1]) if page.flipped else image
        second = self.korean.recognize(upright)
        if hangul_syllables(second) < MIN_SYLLABLES:
            return page
        return merge(second, page)


def with_korean(engine: Engine) -> Engine:
    """``engine`` with the Korean re-reading when it is RapidOCR and Tesseract with its
    Korean model is installed; else ``engine`` as it is (RapidOCR alone still reads every
    card but Korean ones, and needs no Tesseract)."""
    from .rapidocr import RapidOcrEngine
    from .tesseract import TesseractEngine, available_languages

    if not isinstance(engine, RapidOcrEngine):
        return engine
    try:
        if "kor" not in available_languages():
            return engine
        return HangulEngine(engine, TesseractEngine(lang="kor+eng"))
    except DependencyError:
        return engine
