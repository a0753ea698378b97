"""Open photos safely: JPEG, PNG, TIFF, WebP, HEIC/HEIF, whatever Pillow reads.

``load_image`` always returns a BGR ``uint8`` array (OpenCV's layout) with the EXIF
orientation applied, whatever the file's colour mode (16-bit, CMYK, palette, alpha,
grayscale, bilevel). Every failure is an :class:`~cardpipe.errors.ImageError` naming the
file and giving a one-line reason, so a batch can report it and go on.

The pixel count is checked from the header before anything is decoded, so a
decompression bomb (a small file that claims to be a huge picture) costs nothing.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import warnings
from pathlib import Path

import numpy as np
import pillow_heif
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from ..errors import ImageError

pillow_heif.register_heif_opener()  # HEIC/HEIF (iPhones): a normal dependency

#: default pixel-count limit: 100 megapixels (a 12 MP phone photo is 12e6; a 108 MP sensor
#: fits as well). Pillow's own hard limit (2 x Image.MAX_IMAGE_PIXELS) is reported the same way.
MAX_PIXELS = 110_000_000

_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL = 36867
_DATETIME_DIGITIZED = 36868
_DATETIME = 306


def load_image(path: str | os.PathLike[str], *, max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """Read a photo as a BGR uint8 array, upright according to its EXIF orientation.

    Raises ImageError (path, reason) for a missing, empty, unreadable, truncated, corrupt or
    oversized file.
    """
    p = Path(path)
    data = _read_bytes(p)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            im = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError as exc:  # beyond Pillow's own hard limit
            size = _header_size(data)
            what = f"{size[0]} x {size[1]} pixels" if size else _one_line(exc)
            raise ImageError(p, f"image too large: {what} (limit {max_pixels})") from exc
        except UnidentifiedImageError as exc:
            raise ImageError(p, "not an image (unrecognised file format)") from exc
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise ImageError(p, f"cannot read image header: {_one_line(exc)}") from exc
        with im:
            w, h = im.size
            if w <= 0 or h <= 0:
                raise ImageError(p, f"image has no pixels ({w} x {h})")
            if w * h > max_pixels:
                raise ImageError(p, f"image too large: {w} x {h} pixels (limit {max_pixels})")
            try:
                im.load()
                upright: Image.Image = ImageOps.exif_transpose(im) or im
                rgb = _to_rgb(upright)
            except Image.DecompressionBombError as exc:
                raise ImageError(p, f"image too large: {_one_line(exc)}") from exc
            except (OSError, SyntaxError, ValueError, EOFError, KeyError, TypeError) as exc:
                raise ImageError(p, f"corrupt or truncated image: {_one_line(exc)}") from exc
    arr = np.asarray(rgb, dtype=np.uint8)
    if arr.ndim != 3 or arr.shape[2] != 3:  # pragma: no cover - _to_rgb guarantees RGB
        raise ImageError(p, f"unexpected pixel layout {arr.shape}")
    return np.ascontiguousarray(arr[:, :, ::-1])


def photo_date(path: str | os.PathLike[str]) -> _dt.date | None:
    """The day the photo was taken, from EXIF DateTimeOriginal (then DateTimeDigitized,
    then DateTime); None when the file has no usable date or cannot be read."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                exif = im.getexif()
    except Exception:  # noqa: BLE001 - a date is optional; load_image reports bad files
        return None
    candidates = []
    try:
        sub = exif.get_ifd(_EXIF_IFD)
    except Exception:  # noqa: BLE001
        sub = {}
    candidates += [sub.get(_DATETIME_ORIGINAL), sub.get(_DATETIME_DIGITIZED)]
    candidates += [exif.get(_DATETIME_ORIGINAL), exif.get(_DATETIME)]
    for value in candidates:
        day = _parse_exif_date(value)
        if day is not None:
            return day
    return None


def _parse_exif_date(value: object) -> _dt.date | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return None
    text = value.strip().replace("\x00", "")
    if len(text) < 10:
        return None
    head = text[:10].replace("-", ":").replace("/", ":")
    try:
        y, m, d = (int(x) for x in head.split(":"))
        day = _dt.date(y, m, d)
    except ValueError:
        return None
    return day if day.year >= 1990 else None  # 0000:00:00 and camera defaults


def _read_bytes(p: Path) -> bytes:
    try:
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise ImageError(p, "no such file") from exc
    except IsADirectoryError as exc:
        raise ImageError(p, "is a directory, not an image") from exc
    except PermissionError as exc:
        raise ImageError(p, "permission denied") from exc
    except OSError as exc:
        raise ImageError(p, f"cannot read file: {exc.strerror or exc}") from exc
    if not data:
        raise ImageError(p, "empty file (0 bytes)")
    return data


def _header_size(data: bytes) -> tuple[int, int] | None:
    """The size a file's header claims, read by the format plugin without Pillow's bomb check
    (used only to word the error for files beyond Pillow's own limit)."""
    Image.init()
    prefix = data[:16]
    for fmt in Image.ID:
        factory, accept = Image.OPEN[fmt]
        try:
            ok = accept(prefix) if accept is not None else True
            if not ok or isinstance(ok, str):
                continue
            im = factory(io.BytesIO(data), "")
        except Exception:  # noqa: BLE001 - any plugin may fail on a foreign header
            continue
        return im.size
    return None


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def _to_rgb(im: Image.Image) -> Image.Image:
    """Any Pillow mode -> 8-bit RGB; transparency is composited on white."""
    mode = im.mode
    if mode == "RGB":
        return im
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        return Image.fromarray(_to_uint8(np.asarray(im))).convert("RGB")
    if mode == "CMYK":
        return _cmyk_to_rgb(im)
    if mode == "P":
        has_alpha = "transparency" in im.info or (
            im.palette is not None and im.palette.mode == "RGBA")
        im = im.convert("RGBA" if has_alpha else "RGB")
        mode = im.mode
        if mode == "RGB":
            return im
    if mode in ("LA", "La", "PA"):
        im = im.convert("RGBA")
        mode = "RGBA"
    if mode in ("RGBA", "RGBa"):
        if mode == "RGBa":
            im = im.convert("RGBA")
        background = Image.new("RGBA", im.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, im).convert("RGB")
    if mode in ("L", "1"):
        return im.convert("L").convert("RGB")
    if mode == "RGBX":
        return im.convert("RGB")
    return im.convert("RGB")  # YCbCr, LAB, HSV ...


def _to_uint8(arr: np.ndarray) -> np.ndarray:
    """A 16-bit, 32-bit integer or float grayscale array -> uint8 by its value range."""
    a = arr.astype(np.float64)
    if arr.dtype == np.uint16 or (a.size and a.max() > 255):
        top = 65535.0 if a.max() <= 65535 else float(a.max())
        a = a * (255.0 / top)
    elif np.issubdtype(arr.dtype, np.floating) and a.size and a.max() <= 1.0:
        a = a * 255.0
    return np.clip(np.rint(a), 0, 255).astype(np.uint8)


def _cmyk_to_rgb(im: Image.Image) -> Image.Image:
    icc = im.info.get("icc_profile")
    if icc:
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            dst = ImageCms.createProfile("sRGB")
            out = ImageCms.profileToProfile(im, src, dst, outputMode="RGB")
            if out is not None:
                return out
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass
    return im.convert("RGB")
