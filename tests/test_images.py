"""Opening photos safely: orientation, formats, colour modes, limits, broken files."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from cardpipe.errors import ImageError
from cardpipe.scan import images


def _landscape() -> Image.Image:
    """60x40, left half red, right half blue: orientation is visible."""
    im = Image.new("RGB", (60, 40), (255, 0, 0))
    im.paste((0, 0, 255), (30, 0, 60, 40))
    return im


def test_exif_orientation_is_applied(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 CW to display
    path = tmp_path / "rot.jpg"
    _landscape().save(path, exif=exif, quality=95)
    arr = images.load_image(path)
    assert arr.shape[:2] == (60, 40)  # turned upright: portrait
    assert arr[5, 20, 2] > 200  # top is red (BGR), was the left half


def test_heic_is_read(tmp_path):
    path = tmp_path / "card.heic"
    _landscape().save(path, format="HEIF")
    arr = images.load_image(path)
    assert arr.shape == (40, 60, 3) and arr.dtype == np.uint8


@pytest.mark.parametrize("mode", ["I;16", "CMYK", "P", "RGBA", "LA", "L", "1"])
def test_every_colour_mode_becomes_bgr_uint8(tmp_path, mode):
    im = _landscape().convert(mode if mode != "I;16" else "I").convert(mode) \
        if mode != "I;16" else Image.fromarray(np.full((40, 60), 40000, np.uint16))
    path = tmp_path / f"img.{'tiff' if mode in ('I;16', 'CMYK') else 'png'}"
    im.save(path)
    arr = images.load_image(path)
    assert arr.dtype == np.uint8 and arr.ndim == 3 and arr.shape[2] == 3


def test_transparent_pixels_become_white(tmp_path):
    im = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    path = tmp_path / "alpha.png"
    im.save(path)
    assert images.load_image(path).min() > 240


def _png_header_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def test_a_decompression_bomb_is_refused_from_its_header(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header_claiming(20000, 20000))
    with pytest.raises(ImageError, match="image too large: 20000 x 20000"):
        images.load_image(path)


@pytest.mark.parametrize(
    "name,data,reason",
    [
        ("empty.jpg", b"", "empty"),
        ("notes.jpg", b"just some text, not a photo", "not an image"),
    ],
)
def test_unusable_files_get_a_one_line_reason_naming_the_file(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ImageError) as info:
        images.load_image(path)
    line = info.value.one_line()
    assert str(path) in line and reason in line and "\n" not in line


def test_a_truncated_jpeg_is_an_error_not_a_crash(tmp_path):
    buf = io.BytesIO()
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (400, 400, 3), np.uint8)).save(
        buf, format="JPEG")
    path = tmp_path / "cut.jpg"
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 3])
    with pytest.raises(ImageError) as info:
        images.load_image(path)
    assert str(path) in info.value.one_line()


def test_a_missing_file_is_an_image_error(tmp_path):
    with pytest.raises(ImageError):
        images.load_image(tmp_path / "nope.jpg")


def test_photo_date_comes_from_exif(tmp_path):
    exif = Image.Exif()
    exif[0x8769] = {36867: "2026:11:12 09:30:00"}
    path = tmp_path / "dated.jpg"
    _landscape().save(path, exif=exif)
    assert images.photo_date(path) == dt.date(2026, 11, 12)
    plain = tmp_path / "plain.png"
    _landscape().save(plain)
    assert images.photo_date(plain) is None
