"""OCR engines behind one interface (:class:`Engine`): RapidOCR (the default), Tesseract,
and a cascade of the two. ``make_engine(name)`` makes one by its CLI name."""

from __future__ import annotations

import functools

from .base import Engine, confident, quality
from .cascade import CascadeEngine
from .rapidocr import RapidOcrEngine
from .tesseract import (
    DEFAULT_PSM,
    TesseractEngine,
    available_languages,
    check_tesseract,
    select_languages,
)

__all__ = [
    "DEFAULT_ENGINE", "ENGINES", "CascadeEngine", "Engine", "RapidOcrEngine",
    "TesseractEngine", "available_languages", "check_engine", "check_tesseract", "confident",
    "default_engine", "make_engine", "quality", "select_languages",
]

ENGINES = ("rapidocr", "tesseract", "cascade")
#: the engine ``read_image`` uses when given none (see bench/bench_ocr.py and the README)
DEFAULT_ENGINE = "rapidocr"


def make_engine(name: str = DEFAULT_ENGINE, *, lang: str | None = None,
                psm: int = DEFAULT_PSM) -> Engine:
    """An engine by name: ``rapidocr`` (default: PP-OCRv6, reads Latin script with its
    accents whatever ``lang`` says), ``tesseract`` (in the languages ``lang``, default
    ``eng``), or ``cascade`` (Tesseract, then RapidOCR for the cards Tesseract does not
    read confidently). bench/bench_ocr.py measures what each reads and costs."""
    if name == "rapidocr":
        return RapidOcrEngine()
    if name == "tesseract":
        return TesseractEngine(lang=select_languages(lang or "eng"), psm=psm)
    if name == "cascade":
        return CascadeEngine(TesseractEngine(lang=select_languages(lang or "eng"), psm=psm),
                             RapidOcrEngine())
    raise ValueError(f"unknown OCR engine {name!r} (choose from {', '.join(ENGINES)})")


def check_engine(name: str) -> None:
    """Raise DependencyError (e.g. TesseractNotFound) when the engine ``name`` cannot run
    here, before any photo is read."""
    if name in ("tesseract", "cascade"):
        TesseractEngine.check()
    elif name == "rapidocr":
        RapidOcrEngine.check()
    else:
        raise ValueError(f"unknown OCR engine {name!r} (choose from {', '.join(ENGINES)})")


@functools.lru_cache(maxsize=1)
def default_engine() -> Engine:
    """The engine ``read_image`` uses when given none; one per process (models load once)."""
    return make_engine(DEFAULT_ENGINE)
