"""Several cards in one photo: generated cards (samples/cardgen) laid side by side on a table,
touching or with small gaps, all printed on the same card stock. Each must be found as its
own outline and read as its own contact; a single card with a strong internal edge (a
coloured band) must stay one card; a card's front and back side by side are one contact."""

from __future__ import annotations

import dataclasses
import random
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from cardpipe.parse import parse_page
from cardpipe.scan import preprocess as pp
from cardpipe.scan import reader, sides
from cardpipe.scan.engines import make_engine
from cardpipe.scan.page import OcrPage

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


# ----------------------------------------------------------------------------- two sides


def _side(lines: list[str], *, size: tuple[int, int] = (1200, 700)) -> OcrPage:
    """A page read from one side of a card (all sides of one card stock the same size)."""
    page = OcrPage.from_lines(lines, heights=[40.0] + [26.0] * (len(lines) - 1))
    return dataclasses.replace(page, width=size[0], height=size[1])


FRONT = ["Maren Holt", "Sales Director", "Tel +44 20 7946 0321", "Mobile 07700 900 412",
         "maren.holt@ferrow.example.com", "www.ferrow.example.com"]
BACK = ["FERROW", "Fasteners since 1921"]


def test_a_logo_back_beside_its_front_is_one_card() -> None:
    joined = sides.join_sides([_side(BACK), _side(FRONT)])
    assert len(joined) == 1
    contact = parse_page(joined[0], region="GB")
    assert [e.key for e in contact.emails] == ["maren.holt@ferrow.example.com"]
    assert contact.full_name == "Maren Holt"
    # the side with the details is read first, the back below it
    assert joined[0].lines[0].text == "Maren Holt"


def test_a_translated_back_is_one_card() -> None:
    back = ["高 美玲", "销售总监", "电话 +44 20 7946 0321", "手机 07700 900 412",
            "maren.holt@ferrow.example.com"]
    assert len(sides.join_sides([_side(FRONT), _side(back)])) == 1


def test_colleagues_cards_stay_two() -> None:
    # the same office number and web site, each their own mobile and e-mail
    other = ["Ilan Petrov", "Engineer", "Tel +44 20 7946 0321", "Mobile 07700 900 977",
             "ilan.petrov@ferrow.example.com", "www.ferrow.example.com"]
    assert len(sides.join_sides([_side(FRONT), _side(other)])) == 2


def test_a_back_among_four_cards_or_of_another_size_is_left_alone() -> None:
    others = [_side([f"Card {i}", f"Tel 020 7946 0{i}00"]) for i in range(3)]
    assert len(sides.join_sides([_side(FRONT), _side(BACK), *others[:2]])) == 4
    assert len(sides.join_sides([_side(FRONT), _side(BACK, size=(1200, 1100))])) == 2


def test_a_card_and_its_back_photographed_side_by_side_read_as_one_contact() -> None:
    (front, emails), = _cards(1, 31)
    h, w = front.shape[:2]
    back = np.full((h, w, 3), front[h // 2, 4], np.uint8)  # the card's own stock colour
    cv2.putText(back, "NORTHWIND", (w // 6, h // 2), cv2.FONT_HERSHEY_DUPLEX, 2.2,
                (40, 40, 40), 4, cv2.LINE_AA)
    cv2.putText(back, "since 1987", (w // 3, h // 2 + 70), cv2.FONT_HERSHEY_SIMPLEX, 1.0,
                (40, 40, 40), 2, cv2.LINE_AA)
    photo, _ = _lay_out([front, back], 2, gap=25, turn=False, kind="wood", seed=31)
    pages = reader.read_image(photo, engine=make_engine("rapidocr"))
    assert len(pages) == 1
    assert {e.key for e in parse_page(pages[0]).emails} & {e.casefold() for e in emails}
