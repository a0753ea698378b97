"""Helpers the tests share: a parser on plain text lines, synthetic card photos, and fake
OCR engines behind the real ``Engine`` interface (for the pipeline without an OCR engine,
and for its failure paths)."""

from __future__ import annotations

import os

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from cardpipe.contact import Contact
from cardpipe.parse import parse_page
from cardpipe.scan.engines import Engine
from cardpipe.scan.page import OcrPage

# -- parsing without OCR -----------------------------------------------------------------


def parse(lines: list[str], heights: list[float] | None = None,
          region: str | None = None, *, calibrated: bool = True) -> Contact:
    """Parse a card given as its printed lines (top to bottom; ``heights`` in pixels).
    ``calibrated=False``: the parser's own scores, for tests of how it weighs evidence
    (calibration keeps their order, not their values)."""
    return parse_page(OcrPage.from_lines(lines, heights=heights), region=region,
                      calibrated=calibrated)


def squash(text: str) -> str:
    """Text without whitespace, case-folded: for comparing what OCR read."""
    return "".join(text.split()).casefold()


# -- synthetic photos ----------------------------------------------------------------------

CARD_LINES = ["Dana Whitfield", "Head of Research", "dana.whitfield@example.org",
              "+44 20 7946 0958", "www.example.org", "12 Harbour Road, Leith"]
#: where ``photograph`` puts the card's corners by default (a 1200 x 900 photo)
QUAD = np.float32([[260, 230], [930, 190], [960, 610], [240, 660]])


def render_card(lines: list[str] = CARD_LINES, *, dark: bool = False, band: bool = False,
                qr_text: str | None = None, size: tuple[int, int] = (700, 400)) -> np.ndarray:
    """A business card (BGR): light or dark, optionally with a dark band of white text
    and a QR code holding ``qr_text`` in its lower right corner."""
    w, h = size
    bg, fg = ((30, 35, 60), (235, 235, 235)) if dark else ((250, 248, 240), (20, 20, 20))
    im = Image.new("RGB", (w, h), bg)
    d = ImageDraw.Draw(im)
    y = 30
    if band:
        d.rectangle([0, 0, w, 90], fill=(20, 60, 110))
        d.text((30, 22), "NORTHWIND LTD", font=ImageFont.load_default(size=40),
               fill=(255, 255, 255))
        y = 110
    for i, text in enumerate(lines):
        font = ImageFont.load_default(size=34 if i == 0 else 24)
        d.text((30, y), text, font=font, fill=fg)
        y += 48 if i == 0 else 36
    card = np.array(im)[:, :, ::-1].copy()
    if qr_text:
        code = cv2.QRCodeEncoder.create().encode(qr_text)
        code = cv2.resize(code, (170, 170), interpolation=cv2.INTER_NEAREST)
        card[h - 200:h - 30, w - 200:w - 30] = cv2.cvtColor(code, cv2.COLOR_GRAY2BGR)
    return card


def photograph(card: np.ndarray, quad: np.ndarray = QUAD, *,
               size: tuple[int, int] = (1200, 900),
               background: tuple[int, int, int] = (90, 95, 100), noise: float = 3.0,
               seed: int = 0, rotate: int = 0) -> np.ndarray:
    """The card warped onto a plain (slightly noisy) table at the given corners, the
    photo then turned by ``rotate`` degrees clockwise."""
    w, h = size
    rng = np.random.default_rng(seed)
    photo = np.full((h, w, 3), background, np.float32)
    photo += rng.normal(0, noise, (h, w, 1))
    ch, cw = card.shape[:2]
    src = np.float32([[0, 0], [cw - 1, 0], [cw - 1, ch - 1], [0, ch - 1]])
    m = cv2.getPerspectiveTransform(src, np.float32(quad))
    warped = cv2.warpPerspective(card, m, (w, h)).astype(np.float32)
    mask = cv2.warpPerspective(np.ones((ch, cw), np.float32), m, (w, h))[:, :, None]
    out = np.clip(warped * mask + photo * (1 - mask), 0, 255).astype(np.uint8)
    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180,
             270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(out, codes[rotate]) if rotate else out


# -- fake engines --------------------------------------------------------------------------

DANA_LINES = ["Dana Whitfield", "Head of Research", "dana@example.org", "+1 415 555 0199"]


class TextEngine(Engine):
    """Reads the same card text from any image: the pipeline without an OCR engine."""

    name = "text"

    def __init__(self, lines: list[str] = DANA_LINES) -> None:
        self.lines = list(lines)

    def recognize(self, image: np.ndarray, source: np.ndarray | None = None) -> OcrPage:
        text = OcrPage.from_lines(self.lines)
        h, w = image.shape[:2]
        return OcrPage(w, h, text.words, text.lines, engine=self.name)


class CrashEngine(Engine):
    """Fails on every image the way a buggy engine or library does (not a CardpipeError)."""

    name = "crash"

    def recognize(self, image: np.ndarray, source: np.ndarray | None = None) -> OcrPage:
        raise RuntimeError("engine exploded")


class SlowEngine(TextEngine):
    """Reads like ``TextEngine`` after ``seconds`` (``None``: never, it hangs). With
    ``started`` (a folder) each call first drops a file there named after its process id
    and a counter, so that a test can wait until the workers are busy."""

    name = "slow"

    def __init__(self, seconds: float | None = 1.0, lines: list[str] = DANA_LINES,
                 started: str | None = None) -> None:
        super().__init__(lines)
        self.seconds = seconds
        self.started = started
        self._calls = 0

    def recognize(self, image: np.ndarray, source: np.ndarray | None = None) -> OcrPage:
        import os
        import time
        from pathlib import Path

        if self.started:
            self._calls += 1
            Path(self.started, f"{os.getpid()}-{self._calls}").write_text("")
        if self.seconds is None:
            while True:
                time.sleep(3600)
        time.sleep(self.seconds)
        return super().recognize(image, source)


class CountingEngine(TextEngine):
    """Reads like ``TextEngine`` and counts the images it was given (in this process:
    use ``jobs=1``), to prove which photos were read again."""

    name = "counting"

    def __init__(self, lines: list[str] = DANA_LINES) -> None:
        super().__init__(lines)
        self.calls = 0

    def recognize(self, image: np.ndarray, source: np.ndarray | None = None) -> OcrPage:
        self.calls += 1
        return super().recognize(image, source)


# -- isolation -----------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _session_cache_home(tmp_path_factory):
    """No test (nor a ``cardpipe`` process it starts) writes the user's own reading cache."""
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture(autouse=True)
def _cache_home(tmp_path_factory, monkeypatch):
    """Each test its own reading cache (outside its tmp_path, which some tests list): a
    fake engine's readings never reach another test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    # ... and its own ledger (``run`` keeps card images and review decisions there)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))
