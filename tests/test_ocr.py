"""The OCR stage with the real Tesseract: find, straighten, orient and read rendered cards."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from cardpipe import ocr, preprocess
from cardpipe.page import OcrPage

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LINES = [("Jane Doe", 64), ("Head of Sales", 40), ("jane.doe@example.com", 36),
         ("Mobile +49 170 1234567", 36), ("www.example.com", 36)]


def render_card(dark: bool = False, band: bool = False) -> np.ndarray:
    """A 1050x600 card with the LINES, black on white (or white on dark)."""
    bg, fg = ((30, 30, 60), (245, 245, 245)) if dark else ((250, 250, 245), (20, 20, 20))
    img = Image.new("RGB", (1050, 600), bg)
    d = ImageDraw.Draw(img)
    if band:
        d.rectangle((0, 420, 1050, 600), fill=(20, 60, 140))
    y = 60
    for i, (text, size) in enumerate(LINES):
        colour = (250, 250, 250) if band and y >= 420 else fg
        d.text((70, y), text, font=ImageFont.truetype(FONT, size), fill=colour)
        y += size + 40 if i < 2 else size + 30
    return cv2.cvtColor(np.array(img), cv2.COLOR_RGB2BGR)


def photograph(card: np.ndarray, angle: int = 0, tilt: float = 0.08) -> np.ndarray:
    """Put the card on a grey textured table with perspective, turned by angle."""
    card = preprocess.rotate90(card, angle)
    h, w = card.shape[:2]
    rng = np.random.default_rng(1)
    table = np.full((1600, 1600, 3), 110, np.uint8)
    table = cv2.add(table, rng.integers(0, 25, table.shape, dtype=np.uint8))
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    ox, oy = (1600 - w) / 2, (1600 - h) / 2
    t = tilt * w
    dst = np.float32([[ox + t, oy], [ox + w - t / 2, oy + t / 2], [ox + w, oy + h],
                      [ox - t / 3, oy + h - t / 3]])
    m = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(card, m, (1600, 1600))
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), m, (1600, 1600))
    table[mask > 0] = warped[mask > 0]
    return table


def _text(pages: list[OcrPage]) -> str:
    return "\n".join(p.text for p in pages)


def test_tesseract_is_installed_and_reports_a_version():
    assert ocr.check_tesseract()[0].isdigit()


def test_a_flat_card_is_read():
    pages = ocr.read_image(render_card())
    assert len(pages) == 1
    text = _text(pages)
    assert "jane.doe@example.com" in text
    assert "Head of Sales" in text


def test_a_photographed_card_is_found_and_straightened():
    pages = ocr.read_image(photograph(render_card()))
    assert pages[0].meta["card_found"]
    assert "jane.doe@example.com" in _text(pages)


@pytest.mark.parametrize("angle", [90, 180, 270])
def test_a_turned_card_is_read_upright(angle):
    pages = ocr.read_image(photograph(render_card(), angle=angle))
    assert "jane.doe@example.com" in _text(pages)
    assert pages[0].meta["rotation"] in (0, 90, 180, 270)


def test_a_dark_card_is_inverted_and_read():
    assert "jane.doe@example.com" in _text(ocr.read_image(render_card(dark=True)))


def test_white_text_on_a_dark_band_is_read():
    text = _text(ocr.read_image(render_card(band=True)))
    assert "www.example.com" in text.replace(" ", "")


def test_lines_keep_their_words_in_order_with_text_heights():
    page = ocr.read_image(render_card())[0]
    name = next(line for line in page.lines if "Jane" in line.text)
    email = next(line for line in page.lines if "@" in line.text)
    assert name.text == "Jane Doe"
    assert name.height > email.height  # the big line is big: the parser relies on it
    for line in page.lines:
        assert [page.words[i].line for i in line.words] == [page.lines.index(line)] * len(line.words)


def test_a_qr_code_on_the_card_is_decoded():
    import qrcode

    payload = "MECARD:N:Doe,Jane;EMAIL:jane.doe@example.com;;"
    qr = np.array(qrcode.make(payload, box_size=6, border=2).convert("RGB"))
    card = render_card()
    card[120:120 + qr.shape[0], 700:700 + qr.shape[1]] = qr[:, :, ::-1]
    pages = ocr.read_image(card)
    assert payload in pages[0].qr


def test_debug_dir_gets_every_intermediate_image(tmp_path):
    ocr.read_image(photograph(render_card()), debug_dir=tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert any("warped" in n for n in names)
    assert any("normalised" in n for n in names)
    assert all(cv2.imread(str(tmp_path / n)) is not None for n in names)


def test_a_missing_language_is_a_clear_error():
    from cardpipe.errors import DependencyError

    with pytest.raises(DependencyError) as info:
        ocr.resolve_lang("eng+xyz")
    assert "xyz" in str(info.value)
    assert "apt-get install tesseract-ocr-xyz" in info.value.one_line()


def test_build_page_groups_words_into_lines_left_to_right():
    raw = [("Doe", (200, 10, 80, 30), 0.9, 1), ("Jane", (100, 12, 90, 30), 0.9, 1),
           ("Sales", (100, 60, 100, 20), 0.9, 2)]
    page = ocr.build_page(raw, 400, 100)
    assert [line.text for line in page.lines] == ["Jane Doe", "Sales"]
