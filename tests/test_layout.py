"""layout: OCR words into lines and blocks in reading order, and the OcrPage built from
them (no engine needed)."""

from __future__ import annotations

import pytest

from cardpipe.scan import layout


def test_page_from_tesseract_data_groups_words_into_lines() -> None:
    data = {
        "text": ["", "Dana", "Whitfield", "", "+44", "20", "7946"],
        "conf": ["-1", "96", "91", "-1", "88", "90", "70"],
        "block_num": [1, 1, 1, 2, 2, 2, 2], "par_num": [1] * 7,
        "line_num": [0, 1, 1, 0, 1, 1, 1],
        "left": [0, 10, 120, 0, 10, 80, 130], "top": [0, 10, 12, 0, 100, 100, 101],
        "width": [0, 100, 150, 0, 60, 40, 80], "height": [0, 40, 38, 0, 30, 30, 30],
    }
    page = layout.page_from_data(data, width=500, height=300, engine="t")
    assert [ln.text for ln in page.lines] == ["Dana Whitfield", "+44 20 7946"]
    assert [w.line for w in page.words] == [0, 0, 1, 1, 1]
    assert page.words[0].conf == pytest.approx(0.96)
    assert page.lines[0].box == (10, 10, 260, 40)
    assert page.lines[1].height == 30
    assert page.lines[0].block != page.lines[1].block


def W(text: str, x: int, y: int, w: int = 80, h: int = 30) -> tuple:
    return (text, (x, y, w, h), 0.9)


def test_reading_order_joins_fragments_and_keeps_columns_together() -> None:
    lines = [
        [W("Leiter", 40, 100), W("Marketing", 130, 100, 140)],
        [W("GOTTHARD", 700, 105, 160)],
        [W("&", 40, 140, 20), W("Kommunikation", 70, 140, 200)],
        [W("WERKZEUGBAU", 700, 145, 200)],
        [W("Tel.", 40, 300, 50)],
        [W("+49", 100, 300, 50), W("511", 155, 300, 50)],  # cut off by sparse segmentation
    ]
    out, blocks = layout.reading_order(lines)
    texts = [" ".join(w[0] for w in ln) for ln in out]
    assert "Tel. +49 511" in texts
    i = texts.index("Leiter Marketing")
    assert texts[i + 1] == "& Kommunikation"
    j = texts.index("GOTTHARD")
    assert texts[j + 1] == "WERKZEUGBAU"
    assert blocks[i] == blocks[i + 1] != blocks[j]


def test_reading_order_keeps_two_columns_on_one_baseline_apart() -> None:
    # the company name under the logo on the left, the phones beside it on the right:
    # the same baselines, a gap of about one and a half line heights
    lines = [
        [W("Barsanti", 112, 365, 180, 48), W("&", 300, 365, 75, 48)],
        [W("380", 453, 367, 60, 50), W("930", 520, 367, 60, 50), W("9587", 590, 367, 78, 50)],
        [W("Musatti", 66, 417, 180, 55), W("S.p.A.", 255, 417, 162, 55)],
        [W("pier.borrani@barsantimusatti.it", 457, 415, 448, 42)],
    ]
    out, blocks = layout.reading_order(lines)
    texts = [" ".join(w[0] for w in ln) for ln in out]
    assert "Barsanti &" in texts and "380 930 9587" in texts
    assert "Musatti S.p.A." in texts
    # a label before its value is still one line, however wide the tab stop
    out, _ = layout.reading_order([[W("Mobile:", 40, 300, 90, 30)],
                                [W("+49", 200, 300, 50), W("170", 255, 300, 50)]])
    assert [" ".join(w[0] for w in ln) for ln in out] == ["Mobile: +49 170"]


def test_reading_order_keeps_a_small_title_out_of_a_big_name() -> None:
    lines = [
        [W("Timothée", 40, 100, 240, 60)],
        [W("Lemaire", 300, 100, 220, 60)],
        [W("Avocat", 200, 150, 90, 24), W("associé", 300, 150, 100, 24)],
    ]
    out, _ = layout.reading_order(lines)
    texts = [" ".join(w[0] for w in ln) for ln in out]
    assert texts == ["Timothée Lemaire", "Avocat associé"]


@pytest.mark.parametrize(("printed", "read"), [
    ("Iheymans@vossoftware.nl", "lheymans@vossoftware.nl"),
    ("I.jopich@jaehn.eu", "l.jopich@jaehn.eu"),
    ("www.Iinks.com", "www.links.com"),
    ("www.linkedIn.com", "www.linkedIn.com"),  # an I inside a word may be meant
    ("INFO@ACME.DE", "INFO@ACME.DE"),
    ("John.Ivy@acme.com", "John.Ivy@acme.com"),
    ("Ilseweg", "Ilseweg"),  # not an address: left alone
    ("S.r.I.", "S.r.l."),
    ("S.p.A.", "S.p.A."),
    ("U.S.I.", "U.S.I."),
    ("https:/pughdesign.uk", "https://pughdesign.uk"),
    ("https://pughdesign.uk", "https://pughdesign.uk"),
])
def test_fix_token_mends_what_glyphs_cannot_tell_apart(
        printed: str, read: str) -> None:
    assert layout.fix_token(printed) == read
