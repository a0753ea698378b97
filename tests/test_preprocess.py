"""preprocess: card outlines in synthetic photos, warping, light-on-dark inversion, text
direction and deskew; qr: decoding a vCard QR code. No OCR here (see test_ocr.py)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from cardpipe.scan import preprocess as pp
from cardpipe.scan import qrcode as qr

from .conftest import CARD_LINES as LINES
from .conftest import QUAD, photograph, render_card


def corner_error(found: np.ndarray, truth: np.ndarray) -> float:
    """Largest corner distance as a share of the card's diagonal."""
    truth = pp.order_points(truth)
    diag = float(np.linalg.norm(truth[2] - truth[0]))
    return float(np.linalg.norm(pp.order_points(found) - truth, axis=1).max()) / diag


def test_order_points_is_tl_tr_br_bl() -> None:
    shuffled = QUAD[[2, 0, 3, 1]]
    assert np.allclose(pp.order_points(shuffled), QUAD)


def test_finds_a_perspective_warped_card() -> None:
    photo = photograph(render_card(), QUAD)
    quads = pp.find_cards(photo)
    assert len(quads) == 1
    assert corner_error(quads[0].points, QUAD) < 0.02


def test_finds_a_white_card_on_a_white_table() -> None:
    photo = photograph(render_card(), QUAD, background=(232, 232, 232), noise=2.0)
    quads = pp.find_cards(photo)
    assert len(quads) == 1
    assert corner_error(quads[0].points, QUAD) < 0.03


def test_finds_a_dark_card_and_a_card_with_a_band() -> None:
    for card in (render_card(dark=True), render_card(band=True)):
        quads = pp.find_cards(photograph(card, QUAD, background=(150, 140, 120)))
        assert len(quads) == 1
        assert corner_error(quads[0].points, QUAD) < 0.02


def test_a_card_partly_covered_by_a_thumb_is_still_found() -> None:
    photo = photograph(render_card(), QUAD)
    # a skin-coloured thumb over the bottom edge, sticking out of the card
    cv2.ellipse(photo, (600, 660), (60, 110), 10, 0, 360, (120, 150, 205), -1)
    quads = pp.find_cards(photo)
    assert len(quads) == 1
    assert corner_error(quads[0].points, QUAD) < 0.04


def test_two_cards_in_one_photo_give_two_outlines() -> None:
    left = np.float32([[60, 200], [560, 180], [575, 480], [70, 500]])
    right = np.float32([[650, 300], [1140, 320], [1130, 610], [640, 590]])
    photo = photograph(render_card(), left, size=(1200, 800))
    second = photograph(render_card(dark=True), right, size=(1200, 800))
    mask = np.zeros(photo.shape[:2], np.uint8)
    cv2.fillConvexPoly(mask, np.int32(right), 1)
    photo[mask > 0] = second[mask > 0]
    quads = pp.find_cards(photo)
    assert len(quads) == 2
    errors = sorted(min(corner_error(q.points, t) for q in quads) for t in (left, right))
    assert errors[-1] < 0.03


def test_a_photo_without_a_card_gives_no_outline() -> None:
    rng = np.random.default_rng(3)
    photo = np.clip(rng.normal(120, 4, (600, 800, 3)), 0, 255).astype(np.uint8)
    assert pp.find_cards(photo) == []


def test_a_qr_code_is_not_taken_for_the_card() -> None:
    card = render_card()
    code = cv2.QRCodeEncoder.create().encode("BEGIN:VCARD\nVERSION:3.0\nFN:Dana\nEND:VCARD")
    code = cv2.resize(code, (150, 150), interpolation=cv2.INTER_NEAREST)
    card[230:380, 520:670] = cv2.cvtColor(code, cv2.COLOR_GRAY2BGR)
    photo = photograph(card, QUAD)
    codes = qr.decode(photo)
    assert [c.text for c in codes] == ["BEGIN:VCARD\nVERSION:3.0\nFN:Dana\nEND:VCARD"]
    quads = pp.find_cards(photo, exclude=[c.points for c in codes])
    assert len(quads) == 1 and corner_error(quads[0].points, QUAD) < 0.02


def test_warp_gives_the_standard_size_and_the_card_aspect() -> None:
    card = render_card()
    photo = photograph(card, QUAD)
    flat = pp.warp_card(photo, QUAD)
    h, w = flat.shape[:2]
    assert max(h, w) == pp.CARD_LONG_SIDE
    assert abs(w / h - 700 / 400) < 0.15


def test_normalize_inverts_a_dark_card() -> None:
    gray, share = pp.normalize(render_card(dark=True))
    assert share > 0.9
    assert np.median(gray) > 200  # the ground is light now
    text_rows = gray[40:70, 30:300]
    assert text_rows.min() < 80  # and the text dark


def test_normalize_inverts_only_the_light_on_dark_band() -> None:
    card = render_card(band=True)
    gray, share = pp.normalize(card)
    assert 0.1 < share < 0.5
    assert np.median(gray[5:85, :]) > 200  # the band's ground became light
    assert gray[30:60, 30:330].min() < 80  # its white text became dark
    assert np.median(gray[200:, :]) > 200 and gray[110:150, 30:300].min() < 80  # rest kept


def test_normalize_evens_out_a_lighting_gradient() -> None:
    card = render_card().astype(np.float32)
    card *= np.linspace(0.45, 1.0, card.shape[1])[None, :, None]
    gray, _ = pp.normalize(card.astype(np.uint8))
    left, right = np.median(gray[:, :80]), np.median(gray[:, -80:])
    assert abs(float(left) - float(right)) < 15


def test_text_direction_tells_horizontal_from_vertical() -> None:
    gray, _ = pp.normalize(render_card())
    assert pp.text_direction(gray)[0] == 0
    assert pp.text_direction(pp.rotate90(gray, 90))[0] == 90


@pytest.mark.parametrize("angle", [-6.0, 4.0])
def test_deskew_straightens_tilted_text(angle: float) -> None:
    gray, _ = pp.normalize(render_card())
    tilted = pp.rotate(gray, angle)
    _, found = pp.deskew(tilted)
    assert abs(found + angle) <= 1.0


def test_text_region_boxes_the_text_when_the_card_edge_is_invisible() -> None:
    card = render_card()
    photo = np.full((900, 1200, 3), 250, np.uint8)
    photo[250:650, 300:1000] = card  # same colour as the card: no edge at all
    box = pp.text_region(photo)
    assert box is not None
    x0, y0 = box.min(axis=0)
    x1, y1 = box.max(axis=0)
    assert x0 <= 330 and y0 <= 280 and x1 >= 620 and y1 >= 460  # all the text is inside
    assert (x1 - x0) * (y1 - y0) < 0.5 * 900 * 1200  # and not the whole photo


def _tight_column_card() -> np.ndarray:
    """A light card whose contact lines are set close together in a column on the right
    (the gaps between the lines are thinner than the letters are tall)."""
    im = Image.new("RGB", (1000, 600), (250, 248, 240))
    d = ImageDraw.Draw(im)
    d.text((60, 60), "Dana Whitfield", font=ImageFont.load_default(size=44), fill=(20, 20, 20))
    font = ImageFont.load_default(size=26)
    for i, text in enumerate(LINES[1:] + ["linkedin.com/in/dana-whitfield", "Since 1975"]):
        d.text((480, 300 + 31 * i), text, font=font, fill=(20, 20, 20))
    return np.array(im)[:, :, ::-1].copy()


def test_text_region_holds_a_column_of_closely_set_lines() -> None:
    photo = np.full((800, 1200, 3), 250, np.uint8)
    photo[100:700, 100:1100] = _tight_column_card()
    box = pp.text_region(photo)
    assert box is not None
    x1, y1 = box.max(axis=0)
    assert x1 >= 960 and y1 >= 610  # the right-hand column is inside, down to its last line


def test_grain_lines_on_the_table_do_not_hide_the_card() -> None:
    photo = photograph(render_card(), QUAD, background=(120, 160, 200), noise=2.0)
    table = np.zeros(photo.shape[:2], np.uint8)
    cv2.fillConvexPoly(table, np.int32(QUAD), 1)
    grain = photo.copy()
    for off in range(-900, 1200, 80):  # thin dark diagonal lines, as on a wooden desk
        cv2.line(grain, (off, 900), (off + 900, 0), (70, 100, 140), 2)
    photo[table == 0] = grain[table == 0]
    quads = pp.find_cards(photo)
    assert len(quads) == 1
    assert corner_error(quads[0].points, QUAD) < 0.03


def test_qr_decode_finds_nothing_on_a_plain_card() -> None:
    assert qr.decode(render_card()) == []


def _speckled_table(size: tuple[int, int] = (1200, 900), seed: int = 3) -> np.ndarray:
    """A granite-like table top: blotches of grey at about the size of letters."""
    w, h = size
    rng = np.random.default_rng(seed)
    blotches = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 4.0)
    grey = 170 + 35 * blotches / blotches.std()
    return np.clip(np.repeat(grey[:, :, None], 3, axis=2), 0, 255).astype(np.uint8)


def test_a_card_on_a_speckled_table_is_found() -> None:
    # the table's blotches look like letters to the text mask: all over the photo, so
    # they are the table's texture, not text the outline leaves out
    photo = photograph(render_card(), QUAD)
    table = np.zeros(photo.shape[:2], np.uint8)
    cv2.fillConvexPoly(table, np.int32(QUAD), 1)
    photo[table == 0] = _speckled_table()[table == 0]
    quads = pp.find_cards(photo)
    assert len(quads) == 1
    assert corner_error(quads[0].points, QUAD) < 0.03


def _rect(x0: float, y0: float, x1: float, y1: float, score: float = 1.0,
          method: str = "test") -> pp.Quad:
    return pp.Quad(np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]), score, method)


def test_the_cards_win_over_an_outline_around_them() -> None:
    # two portrait cards (55 x 90) side by side, and the outline around both, as good
    left, right = _rect(100, 100, 210, 280), _rect(214, 100, 324, 280)
    group = _rect(100, 100, 324, 280)
    chosen = pp._select([group, left, right], 6)
    assert sorted(q.points[0, 0] for q in chosen) == [100, 214]
    # four cards in a 2 x 2 grid: the grid's outline is card-shaped itself
    cells = [_rect(100 + c * 114, 100 + r * 184, 210 + c * 114, 280 + r * 184)
             for r in range(2) for c in range(2)]
    chosen = pp._select([_rect(100, 100, 324, 464), *cells], 6)
    assert len(chosen) == 4


def test_a_band_and_the_rest_of_its_card_stay_one_card() -> None:
    # a landscape card in perspective, its band on the left: both parts look card-shaped
    card = _rect(100, 100, 400, 280)
    band, rest = _rect(100, 100, 210, 280), _rect(210, 100, 400, 280)
    chosen = pp._select([card, band, rest], 6)
    assert len(chosen) == 1 and chosen[0].area == card.area
    # without the card's own outline the halves still do not count as two cards
    assert len(pp._select([band, rest], 6)) == 1


def test_a_single_card_is_not_split_in_two_by_a_crease() -> None:
    # the two halves of a portrait card (55 x 90) are 55 x 45: no card's shape
    top, bottom = _rect(100, 100, 210, 190), _rect(100, 190, 210, 280)
    assert len(pp._select([_rect(100, 100, 210, 280, 0.9), top, bottom], 6)) == 1
