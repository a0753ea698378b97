"""The card image as a small JPEG for a contact's PHOTO (``cardpipe run --attach-photo``).

Phones and CardDAV servers take a vCard PHOTO of a few dozen kilobytes without complaint;
base64 makes it a third bigger again in the card.  So the upright card image the OCR read
(``OcrPage.image``) is scaled down to at most ``LONG_SIDE`` pixels on its long side
(aspect kept, never enlarged) and saved as a baseline JPEG (what every client decodes),
first at a good quality; a card that does not fit in ``MAX_BYTES`` at that quality (a
noisy photo, a busy design) is saved at lower qualities, then smaller, until it fits.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from ..contact import Photo

#: the most bytes a card photo may take (before base64)
MAX_BYTES = 60_000
#: the long side in pixels of a card photo (smaller when the card image is smaller)
LONG_SIDE = 640
#: JPEG qualities tried at each size, best first
QUALITIES = (85, 75, 65, 55, 45)
#: each smaller size is this share of the one before
SHRINK = 0.8
#: below this long side a card is not legible any more: the search stops
MIN_SIDE = 160


def card_photo(
    image: np.ndarray, *, max_bytes: int = MAX_BYTES, long_side: int = LONG_SIDE
) -> Photo:
    """A JPEG ``Photo`` of ``image`` (a BGR or grayscale uint8 array) of at most
    ``max_bytes`` bytes, at most ``long_side`` pixels on its long side.

    Raises ValueError for an empty image or a limit no legible JPEG fits in.
    """
    picture = _to_pil(image)
    side = min(long_side, max(picture.size))
    while True:
        small = _scaled(picture, side)
        for quality in QUALITIES:
            data = _jpeg(small, quality)
            if len(data) <= max_bytes:
                return Photo(data, "image/jpeg")
        if side <= MIN_SIDE:
            raise ValueError(
                f"the card does not fit in {max_bytes} bytes even at {side} px, quality "
                f"{QUALITIES[-1]}"
            )
        side = max(MIN_SIDE, int(side * SHRINK))


def _to_pil(image: np.ndarray) -> Image.Image:
    arr = np.asarray(image)
    if arr.size == 0 or arr.ndim not in (2, 3):
        raise ValueError(f"not an image: an array of shape {arr.shape}")
    if arr.dtype != np.uint8:
        raise ValueError(f"expected 8-bit pixels, not {arr.dtype}")
    if arr.ndim == 2:
        return Image.fromarray(arr, "L")
    if arr.shape[2] == 1:
        return Image.fromarray(arr[:, :, 0], "L")
    if arr.shape[2] not in (3, 4):
        raise ValueError(f"expected 1, 3 or 4 channels, not {arr.shape[2]}")
    rgb = np.ascontiguousarray(arr[:, :, 2::-1])  # BGR(A) -> RGB, alpha dropped
    return Image.fromarray(rgb, "RGB")


def _scaled(picture: Image.Image, side: int) -> Image.Image:
    w, h = picture.size
    scale = side / max(w, h)
    if scale >= 1:
        return picture
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return picture.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _jpeg(picture: Image.Image, quality: int) -> bytes:
    buf = io.BytesIO()
    # baseline (not progressive), no EXIF: what old phones and Outlook decode too
    picture.save(buf, "JPEG", quality=quality, optimize=True)
    return buf.getvalue()
