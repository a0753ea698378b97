"""What the review page needs of a card days after it was scanned (``cardpipe review``).

The upright card image the OCR read, as a JPEG, with the box and text of every OCR line
(in that JPEG's pixels), which lines each field was read from, the field confidences and
the card's outline in the photo.  Made in the worker that read the card (only the JPEG
and a few numbers cross to the parent) and kept by the ledger (``Ledger.keep_card``).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PIL import Image

from ..contact import Contact
from .page import Box, OcrPage

#: the long side in pixels of the kept image: legible on a screen, ~60-120 KB
LONG_SIDE = 1000
QUALITY = 80


@dataclass(frozen=True)
class CardLine:
    text: str
    box: Box  # (left, top, width, height) in the kept image's pixels


@dataclass(frozen=True)
class CardView:
    """One card as the review page shows it."""

    jpeg: bytes = field(repr=False)
    width: int
    height: int
    lines: tuple[CardLine, ...] = ()
    #: field name (``Contact.evidence`` keys) -> indices into ``lines``
    fields: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    #: the card's corners in the photo (None: the whole photo was read)
    outline: tuple[tuple[float, float], ...] | None = None

    def meta(self) -> dict[str, Any]:
        """Everything but the image, JSON-ready (the ledger's columns)."""
        return {"width": self.width, "height": self.height,
                "lines": [{"text": ln.text, "box": list(ln.box)} for ln in self.lines],
                "fields": {k: list(v) for k, v in self.fields.items()},
                "outline": None if self.outline is None else [list(p) for p in self.outline]}


def _jpeg(image: np.ndarray, long_side: int) -> tuple[bytes, float, int, int]:
    arr = np.asarray(image)
    if arr.ndim == 3:
        picture = Image.fromarray(arr[:, :, ::-1].copy())  # BGR -> RGB
    else:
        picture = Image.fromarray(arr)
    scale = min(1.0, long_side / max(picture.size))
    if scale < 1.0:
        picture = picture.resize((max(1, round(picture.width * scale)),
                                  max(1, round(picture.height * scale))), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    picture.convert("RGB").save(buf, "JPEG", quality=QUALITY, optimize=True)
    return buf.getvalue(), scale, picture.width, picture.height


def card_view(page: OcrPage, contact: Contact, *, long_side: int = LONG_SIDE) -> CardView | None:
    """The view of ``page`` as ``contact`` was parsed from it; None without a card image."""
    if page.image is None:
        return None
    data, scale, width, height = _jpeg(page.image, long_side)
    # Boxes are in the pixels of the image the engine saw; page.image may be another size.
    sx = scale * page.image.shape[1] / page.width if page.width else scale
    sy = scale * page.image.shape[0] / page.height if page.height else scale
    lines = tuple(
        CardLine(ln.text, (round(ln.box[0] * sx), round(ln.box[1] * sy),
                           round(ln.box[2] * sx), round(ln.box[3] * sy)))
        for ln in page.lines)
    fields: dict[str, tuple[int, ...]] = {}
    for name, words in contact.evidence.items():
        idx = sorted({page.words[w].line for w in words if 0 <= w < len(page.words)})
        if idx:
            fields[name] = tuple(idx)
    quad = page.info.quad if page.info is not None else None
    return CardView(data, width, height, lines, fields, quad)
