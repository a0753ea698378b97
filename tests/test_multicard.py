"""Several cards in one photo: generated cards (samples/cardgen) laid side by side on a table,
touching or with small gaps, all printed on the same card stock. Each must be found as its
own outline and read as its own contact; a single card with a strong internal edge (a
coloured band) must stay one card."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from cardpipe.parse import parse_page
from cardpipe.scan import preprocess as pp
from cardpipe.scan import reader
from cardpipe.scan.engines import make_engine

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
if str(SAMPLES) not in sys.path:
    sys.path.insert(0, str(SAMPLES))

from cardgen.layouts import render_card  # noqa: E402
from cardgen.people import make_person  # noqa: E402
from cardgen.photo import background  # noqa: E402

#: long side of a card in the photo, in pixels
CARD_PX = 620


def _cards(n: int, seed: int, *, layout: str | None = None, dark: bool = False,
           locale: str = "en_GB") -> list[tuple[np.ndarray, list[str]]]:
    """``n`` cards (BGR, scaled to CARD_PX) of ``n`` invented people, with their e-mails.
    The same style seed for all: one card stock, one colour, as when a person lays out
    the cards of one print shop or one company."""
    out = []
    for i in range(n):
        person = make_person(f"multicard-{seed}-{i}", locale, social=False)
        rendered = render_card(person, random.Random(seed), dark=dark, layout=layout,
                               logo=False, card_format="eu")
        img = rendered.image[:, :, ::-1]
        s = CARD_PX / max(img.shape[:2])
        img = cv2.resize(img, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
        out.append((np.ascontiguousarray(img), list(person.emails)))
    return out


def _lay_out(cards: list[np.ndarray], cols: int, *, gap: int, turn: bool, kind: str,
             seed: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """The cards in a grid of ``cols`` columns on a table of ``kind``, ``gap`` pixels
    apart (0: touching), each turned by a degree or so (and by 90 degrees when ``turn``,
    text running top to bottom); returns the photo (BGR) and each card's corners."""
    rng = np.random.default_rng(seed)
    if turn:
        cards = [cv2.rotate(c, cv2.ROTATE_90_CLOCKWISE) for c in cards]
    ch, cw = cards[0].shape[:2]
    rows = -(-len(cards) // cols)
    margin = 70
    w = 2 * margin + cols * cw + (cols - 1) * gap
    h = 2 * margin + rows * ch + (rows - 1) * gap
    photo = background(rng, h, w, kind)
    quads = []
    for k, card in enumerate(cards):
        r, c = divmod(k, cols)
        x0, y0 = margin + c * (cw + gap), margin + r * (ch + gap)
        # a small turn about the card's centre, shrunk a little so that touching cards
        # touch without covering each other
        angle = float(rng.uniform(-1.2, 1.2))
        m = cv2.getRotationMatrix2D((cw / 2, ch / 2), angle, 0.985)
        m[:, 2] += (x0, y0)
        warped = cv2.warpAffine(card.astype(np.float32), m, (w, h), flags=cv2.INTER_LINEAR)
        alpha = cv2.warpAffine(np.ones((ch, cw), np.float32), m, (w, h),
                               flags=cv2.INTER_LINEAR)[..., None]
        shadow = cv2.GaussianBlur(np.roll(alpha[..., 0], (3, 2), (0, 1)), (0, 0), 3)
        photo = photo * (1 - 0.35 * shadow[..., None])
        photo = photo * (1 - alpha) + warped * alpha
        corners = np.float32([[0, 0], [cw, 0], [cw, ch], [0, ch]])
        quads.append(cv2.transform(corners[None], m)[0])
    noise = rng.normal(0, 2.0, photo.shape)
    return np.clip(photo + noise, 0, 255).astype(np.uint8), quads


def _corner_error(found: np.ndarray, truth: np.ndarray) -> float:
    truth = pp.order_points(truth)
    diag = float(np.linalg.norm(truth[2] - truth[0]))
    return float(np.linalg.norm(pp.order_points(found) - truth, axis=1).max()) / diag


def _assert_each_found(found: list[pp.Quad], truth: list[np.ndarray]) -> None:
    assert len(found) == len(truth)
    for t in truth:
        assert min(_corner_error(q.points, t) for q in found) < 0.04


@pytest.mark.parametrize(("n", "cols", "gap", "turn", "kind", "seed"), [
    (2, 2, 0, False, "desk", 1),
    (2, 2, 6, False, "wood", 2),
    (2, 1, 0, False, "granite", 3),
    (3, 3, 4, True, "cloth", 4),
    (4, 2, 0, True, "desk", 5),
    (4, 2, 8, True, "wood", 6),
    (4, 2, 3, False, "white", 7),
    (4, 2, 0, False, "dark", 8),
])
def test_cards_side_by_side_are_each_found(n: int, cols: int, gap: int, turn: bool, kind: str,
                                           seed: int) -> None:
    cards = [img for img, _ in _cards(n, seed)]
    photo, quads = _lay_out(cards, cols, gap=gap, turn=turn, kind=kind, seed=seed)
    _assert_each_found(pp.find_cards(photo), quads)


@pytest.mark.parametrize(("layout", "kind", "seed"), [
    ("band_left", "desk", 11), ("band_top", "wood", 12), ("band_bottom", "cloth", 13),
    ("band_left", "dark", 14), ("band_bottom", "desk", 15), ("band_top", "cloth", 16),
])
def test_a_card_with_a_coloured_band_stays_one_card(layout: str, kind: str, seed: int) -> None:
    (card, _), = _cards(1, seed, layout=layout)
    photo, quads = _lay_out([card], 1, gap=0, turn=seed % 2 == 0, kind=kind, seed=seed)
    _assert_each_found(pp.find_cards(photo), quads)


def test_four_touching_cards_are_read_as_four_contacts() -> None:
    cards = _cards(4, 21)
    photo, _ = _lay_out([img for img, _ in cards], 2, gap=0, turn=True, kind="desk", seed=21)
    pages = reader.read_image(photo, engine=make_engine("rapidocr"))
    assert len(pages) == 4
    contacts = [parse_page(p) for p in pages]
    for _, emails in cards:
        # each person's e-mail on exactly one contact: no card read across two
        holders = [c for c in contacts if set(e.casefold() for e in emails)
                   & {e.key for e in c.emails}]
        assert len(holders) == 1
