"""parse_page as a whole: nothing lost, confidences, evidence, text input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cardpipe.contact import CONFIDENCE_FIELDS
from cardpipe.parse import parse_page, parse_text
from cardpipe.scan.page import Line, OcrPage, Word

CARD = ["ACME Solutions GmbH", "Dr. Anna Schmidt", "Head of Sales", "Hauptstraße 12",
        "10115 Berlin", "T +49 30 1234567 | M +49 170 1234567", "anna.schmidt@acme-solutions.de",
        "www.acme-solutions.de", "Member of the ACME Group since 1998"]


def test_a_whole_german_card() -> None:
    c = parse_page(OcrPage.from_lines(CARD, heights=[40, 50, 25, 20, 20, 20, 20, 20, 16]))
    assert c.to_scan_dict() == {
        "full_name": "Dr. Anna Schmidt", "given_name": "Anna", "family_name": "Schmidt",
        "title": "Head of Sales", "company": "ACME Solutions GmbH",
        "emails": ["anna.schmidt@acme-solutions.de"],
        "phones": [{"number": "+49301234567", "type": "work"},
                   {"number": "+491701234567", "type": "cell"}],
        "websites": ["www.acme-solutions.de"], "address": "Hauptstraße 12 10115 Berlin",
        "social": []}
    assert c.prefix == "Dr."
    assert c.note == "Member of the ACME Group since 1998"


def test_confidences_are_between_zero_and_one_for_known_fields() -> None:
    c = parse_page(OcrPage.from_lines(CARD))
    assert set(c.confidence) <= set(CONFIDENCE_FIELDS)
    assert all(0.0 <= v <= 1.0 for v in c.confidence.values())
    assert {"full_name", "title", "company", "emails", "phones", "websites", "address"} <= set(
        c.confidence)


def test_low_ocr_confidence_lowers_the_field_confidence() -> None:
    page = OcrPage.from_lines(CARD)
    words = tuple(w.__class__(w.text, w.box, 0.5, w.line, w.block) for w in page.words)
    lines = tuple(ln.__class__(ln.words, ln.text, ln.box, ln.height, 0.5, ln.block)
                  for ln in page.lines)
    low = parse_page(OcrPage(page.width, page.height, words, lines))
    high = parse_page(page)
    assert low.confidence["emails"] < high.confidence["emails"]
    assert low.confidence["full_name"] < high.confidence["full_name"]


def test_evidence_points_at_the_words_read() -> None:
    page = OcrPage.from_lines(CARD)
    c = parse_page(page)
    assert [page.words[i].text for i in c.evidence["full_name"]] == ["Dr.", "Anna", "Schmidt"]
    assert [page.words[i].text for i in c.evidence["emails"]] == [
        "anna.schmidt@acme-solutions.de"]
    assert {page.words[i].line for i in c.evidence["address"]} == {3, 4}


def test_every_printed_line_ends_up_somewhere() -> None:
    lines = [*CARD, "ISO 9001 certified", "Ask me about our summer offer"]
    c = parse_page(OcrPage.from_lines(lines))
    assert c.note.splitlines() == ["Member of the ACME Group since 1998", "ISO 9001 certified",
                                   "Ask me about our summer offer"]


def test_icon_garbage_does_not_go_to_the_note() -> None:
    c = parse_page(OcrPage.from_lines(["Anna Schmidt", "©", "| »", "anna@acme.de"]))
    assert c.note is None


@pytest.mark.parametrize("label", ["Mél.:", "E-post:", "Correo-e:", "Sito:"])
def test_field_labels_of_other_languages_stay_out_of_the_address(label: str) -> None:
    c = parse_page(OcrPage.from_lines([
        "Michelle Guillon", f"{label} michelle.guillon@arnaudsoft.eu", "79, rue de Poirier",
        "34378 Poulain", "France"]))
    assert c.addresses[0].one_line() == "79, rue de Poirier, 34378 Poulain, France"
    assert c.note is None


def test_empty_page_gives_an_empty_contact() -> None:
    c = parse_page(OcrPage(100, 100))
    assert c.is_empty()
    assert c.confidence == {}


def test_parse_text_reads_plain_lines() -> None:
    c = parse_text("Anna Schmidt\nanna.schmidt@acme.de\n\nT +49 30 1234567\n")
    assert c.full_name == "Anna Schmidt"
    assert [p.number for p in c.phones] == ["+49301234567"]


def test_region_argument_is_case_insensitive() -> None:
    c = parse_page(OcrPage.from_lines(["Tel. 030 1234567"]), region="de")
    assert [p.number for p in c.phones] == ["+49301234567"]


_CARD_TEXT = st.text(alphabet=st.sampled_from(list(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;@+-/()|·&©'äöüéñß"
)), max_size=40)


@settings(max_examples=150, deadline=None)
@given(st.lists(_CARD_TEXT, max_size=12), st.sampled_from([None, "DE", "US", "FR"]))
def test_any_text_parses_without_error_into_a_valid_contact(lines: list[str], region) -> None:
    lines = [ln for ln in lines if ln.strip()]
    c = parse_page(OcrPage.from_lines(lines), region=region)
    assert all(0.0 <= v <= 1.0 for v in c.confidence.values())
    assert set(c.confidence) <= set(CONFIDENCE_FIELDS)
    n_words = sum(len(ln.split()) for ln in lines)
    assert all(0 <= i < n_words for ids in c.evidence.values() for i in ids)


def page_at(items: list[tuple[str, int, int, int]]) -> OcrPage:
    """A page from (text, left, top, height) lines, in the order OCR returns them."""
    words, lines = [], []
    for text, left, top, h in items:
        idx, x = [], left
        for token in text.split():
            w = int(len(token) * h * 0.55)
            idx.append(len(words))
            words.append(Word(token, (x, top, w, h), 0.95, len(lines)))
            x += w + int(h * 0.4)
        lines.append(Line(tuple(idx), text, (left, top, x - left, h), float(h), 0.95))
    return OcrPage(1200, 700, tuple(words), tuple(lines))


def test_two_columns_interleaved_by_the_ocr_are_read_per_column() -> None:
    page = page_at([
        ("Inna Haering", 460, 100, 50), ("Projektleiterin", 460, 180, 30),
        ("Fon +49 711 84749658", 460, 350, 20), ("Birnbaum", 120, 355, 28),
        ("E inna@birnbaum-anlagenbau.de", 460, 388, 20), ("Anlagenbau GmbH", 120, 392, 28),
        ("Ecrindreef 74", 860, 430, 20), ("www.birnbaum-anlagenbau.de", 460, 432, 20),
        ("3948 ZV Diessen", 860, 466, 20), ("x.com/ihaering", 460, 470, 20),
        ("Nederland", 860, 502, 20)])
    c = parse_page(page)
    assert c.company == "Birnbaum Anlagenbau GmbH"
    assert c.address.one_line() == "Ecrindreef 74, 3948 ZV Diessen, Nederland"
    assert c.title == "Projektleiterin"
