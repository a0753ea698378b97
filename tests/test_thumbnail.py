"""The card image as a small JPEG: under the byte cap on real and noisy cards, aspect kept."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cardpipe.scan import images, thumbnail

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
#: a clean render, a phone photo, and the hard photos (blur, shadows, sensor noise)
REAL = ["card000-clean-en_US.png", "card008-photo-es_ES.jpg", "card006-photo-en_US.heic",
        "card014-hard-de_DE.jpg", "card017-hard-nl_NL.jpg"]


def _decoded(data: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(data))
    picture.load()
    return picture


def _noisy(image: np.ndarray, sigma: float, seed: int = 3) -> np.ndarray:
    noise = np.random.default_rng(seed).normal(0, sigma, image.shape)
    return np.clip(image.astype(np.float64) + noise, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("name", REAL)
def test_real_card_photos_become_a_jpeg_of_at_most_60_kb_640_px_long(name: str) -> None:
    image = images.load_image(SAMPLES / name)
    photo = thumbnail.card_photo(image)
    assert photo.media_type == "image/jpeg" and photo.uri is None
    assert len(photo.data) <= 60_000
    picture = _decoded(photo.data)
    assert picture.format == "JPEG" and picture.mode == "RGB"
    assert max(picture.size) <= 640
    h, w = image.shape[:2]
    assert abs(picture.size[0] / picture.size[1] - w / h) < 0.01  # aspect kept


@pytest.mark.parametrize("sigma", [25, 80])
def test_a_noisy_card_still_fits_by_lowering_quality_then_size(sigma: float) -> None:
    image = _noisy(images.load_image(SAMPLES / "card017-hard-nl_NL.jpg"), sigma)
    best = thumbnail._jpeg(thumbnail._scaled(thumbnail._to_pil(image), 640), 85)
    assert len(best) > 60_000  # the first try does not fit: the cap really is exercised
    photo = thumbnail.card_photo(image)
    assert len(photo.data) <= 60_000
    assert max(_decoded(photo.data).size) >= 320  # still big enough to read the card


def test_pure_noise_under_a_tight_cap_is_made_smaller_until_it_fits() -> None:
    image = np.random.default_rng(5).integers(0, 256, (800, 1200, 3), dtype=np.uint8)
    photo = thumbnail.card_photo(image, max_bytes=15_000)
    assert len(photo.data) <= 15_000
    w, h = _decoded(photo.data).size
    assert w < 640 and abs(w / h - 1.5) < 0.02


def test_a_cap_no_legible_jpeg_fits_in_is_a_value_error() -> None:
    image = np.random.default_rng(5).integers(0, 256, (800, 1200, 3), dtype=np.uint8)
    with pytest.raises(ValueError, match="does not fit in 500 bytes"):
        thumbnail.card_photo(image, max_bytes=500)


def test_a_small_card_image_is_not_enlarged() -> None:
    image = np.full((100, 180, 3), 255, np.uint8)
    assert _decoded(thumbnail.card_photo(image).data).size == (180, 100)


def test_colours_stay_the_right_way_round_from_bgr() -> None:
    image = np.zeros((60, 100, 3), np.uint8)
    image[:, :, 2] = 220  # red in OpenCV's BGR order
    r, g, b = _decoded(thumbnail.card_photo(image).data).getpixel((50, 30))
    assert r > 180 and g < 50 and b < 50


def test_grayscale_and_bgra_images_are_accepted() -> None:
    gray = np.full((90, 160), 200, np.uint8)
    bgra = np.full((90, 160, 4), 200, np.uint8)
    assert _decoded(thumbnail.card_photo(gray).data).mode == "L"
    assert _decoded(thumbnail.card_photo(bgra).data).mode == "RGB"


@pytest.mark.parametrize("bad", [np.zeros((0, 0, 3), np.uint8), np.zeros((9, 9, 3), np.float32),
                                 np.zeros((9, 9, 2), np.uint8)])
def test_what_is_not_an_8_bit_picture_is_a_value_error(bad: np.ndarray) -> None:
    with pytest.raises(ValueError):
        thumbnail.card_photo(bad)
