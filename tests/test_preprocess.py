"""Finding and straightening cards without OCR."""

from __future__ import annotations

import numpy as np

from cardpipe import preprocess
from tests.test_ocr import photograph, render_card


def test_the_card_outline_is_found_within_a_few_pixels():
    photo = photograph(render_card(), tilt=0.0)
    quads = preprocess.find_cards(photo)
    assert len(quads) == 1
    # the card (1050x600) is centred on a 1600x1600 table
    expected = np.float32([[275, 500], [1325, 500], [1325, 1100], [275, 1100]])
    assert np.abs(quads[0].points - expected).max() < 12


def test_two_cards_in_one_photo_give_two_outlines():
    table = np.full((1400, 2600, 3), 90, np.uint8)
    card = render_card()
    table[200:800, 100:1150] = card
    table[600:1200, 1400:2450] = card
    quads = preprocess.find_cards(table)
    assert len(quads) == 2


def test_warp_gives_a_landscape_card_of_the_standard_size():
    photo = photograph(render_card())
    quad = preprocess.find_cards(photo)[0]
    card = preprocess.warp(photo, quad)
    assert max(card.shape[:2]) == preprocess.CARD_LONG_SIDE
    assert card.shape[1] > card.shape[0]


def test_clean_turns_a_dark_card_into_dark_text_on_light():
    gray = preprocess.clean(render_card(dark=True))
    assert np.median(gray) > 200


def test_order_points_is_tl_tr_br_bl():
    pts = np.float32([[10, 90], [100, 5], [0, 0], [110, 95]])
    assert preprocess.order_points(pts).tolist() == [[0, 0], [100, 5], [110, 95], [10, 90]]
