"""``read_image``: a photo to one :class:`~cardpipe.scan.page.OcrPage` per card.

It finds the card(s) (:mod:`~cardpipe.scan.preprocess`), warps each flat, reads QR codes
(:mod:`~cardpipe.scan.qrcode`) and blanks them out of the text, and has each card
normalised, oriented and read by an engine (:mod:`~cardpipe.scan.orient`,
:mod:`~cardpipe.scan.engines`). A card's two sides found side by side are joined into
one page (:mod:`~cardpipe.scan.sides`). With ``debug_dir`` every intermediate image is
written there, so a user can see why a card failed.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from . import preprocess as pp
from . import qrcode, sides
from .engines import Engine, default_engine
from .engines.hangul import with_korean
from .orient import read_card
from .page import CardInfo, OcrPage


class _Debug:
    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.n = 0
        self.prefix = ""
        if root is not None:
            root.mkdir(parents=True, exist_ok=True)

    def __call__(self, name: str, image: np.ndarray) -> None:
        if self.root is None:
            return
        self.n += 1
        cv2.imwrite(str(self.root / f"{self.n:02d}_{self.prefix}{name}.png"), image)

    def child(self, prefix: str) -> Callable[[str, np.ndarray], None]:
        def write(name: str, image: np.ndarray) -> None:
            self.prefix = prefix
            self(name, image)
            self.prefix = ""
        return write


def read_image(image: np.ndarray, *, engine: Engine | None = None,
               debug_dir: Path | None = None) -> list[OcrPage]:
    """One OcrPage per card found in the photo (the whole photo when none is found)."""
    # RapidOCR cannot read Hangul: Korean cards are read again with Tesseract kor+eng
    eng: Engine = with_korean(engine if engine is not None else default_engine())
    debug = _Debug(Path(debug_dir) if debug_dir is not None else None)
    t0 = time.perf_counter()
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    debug("input", image)
    codes = qrcode.decode(image, thorough=False)
    quads = pp.find_cards(image, exclude=[c.points for c in codes], debug=debug)
    t_detect = time.perf_counter() - t0
    regions: list[tuple[np.ndarray | None, str, float]] = [
        (q.points, q.method, q.score) for q in quads]
    if not regions:
        box = pp.text_region(image)
        regions = [(box, "text", 0.0)] if box is not None else [(None, "whole", 0.0)]
    pages: list[OcrPage] = []
    for i, (quad, method, score) in enumerate(regions):
        sub = debug.child(f"card{i}_") if len(regions) > 1 else debug
        if quad is not None:
            card = pp.warp_card(image, quad)
        else:
            card = pp.resize_long(image, pp.CARD_LONG_SIDE)
        sub("warped", card)
        card_color = card
        if len(regions) > 1:
            mine = [c.text for c in codes if quad is not None and cv2.pointPolygonTest(
                quad.reshape(-1, 1, 2).astype(np.float32), c.center, False) >= 0]
        else:
            mine = [c.text for c in codes]
        unread: list[np.ndarray] = []
        card_codes = qrcode.decode(card, thorough=not mine, unread=unread)
        if not mine:
            mine = [c.text for c in card_codes]
        blank = [c.points for c in card_codes] + unread
        if blank:  # a QR code only yields garbage "text" and costs OCR time
            card = _blank(card, blank)
            sub("qr_blanked", card)
        page = read_card(card, eng, sub, max_skew=25.0 if method == "text" else 10.0)
        info = dataclasses.replace(
            page.info or CardInfo(), card=i, cards=len(regions), method=method,
            quad=None if quad is None else tuple(
                (float(x), float(y)) for x, y in np.round(quad, 1).tolist()),
            quad_score=round(score, 3), detect_s=round(t_detect, 3))
        upright = pp.rotate90(card_color, info.rotation)
        pages.append(dataclasses.replace(page, qr=tuple(mine), info=info, image=upright))
    if len(pages) > 1:  # an outline with no text on it was not a card
        kept = [p for p in pages if p.words or p.qr]
        pages = kept or pages[:1]
    # a card's front and back photographed side by side are one card
    return sides.join_sides(pages)


def _blank(card: np.ndarray, polygons: list[np.ndarray]) -> np.ndarray:
    out = card.copy()
    for pts in polygons:
        c = pts.mean(axis=0)
        grown = c + (pts - c) * 1.12
        cv2.fillConvexPoly(out, np.rint(grown).astype(np.int32), (255, 255, 255))
    return out
