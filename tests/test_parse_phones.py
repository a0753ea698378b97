"""Phones: labels to types, regions, extensions, several per line, split over lines."""

from __future__ import annotations

import pytest

from cardpipe.parse import parse_page
from cardpipe.parse.phones import label_type, repair_digits, repair_plus
from cardpipe.scan.page import OcrPage


def phones(lines: list[str], region: str | None = None) -> list[tuple[str, str]]:
    contact = parse_page(OcrPage.from_lines(lines), region=region)
    return [(p.number, p.type) for p in contact.phones]


@pytest.mark.parametrize(
    ("label", "kind"),
    [("T", "work"), ("Tel", "work"), ("Tel.", "work"), ("Phone", "work"), ("Office", "work"),
     ("Direct", "work"), ("Büro", "work"), ("Zentrale", "work"), ("M", "cell"), ("Mob", "cell"),
     ("Mobile", "cell"), ("Cell", "cell"), ("Handy", "cell"), ("Portable", "cell"),
     ("Móvil", "cell"), ("Cellulare", "cell"), ("F", "fax"), ("Fax", "fax"),
     ("Télécopie", "fax"), ("Home", "home"), ("Privat", "home")],
)
def test_printed_label_gives_the_type(label: str, kind: str) -> None:
    assert phones([f"{label}: +49 30 12345678"]) == [("+493012345678", kind)]


def test_label_handy_means_cell() -> None:
    assert phones(["Handy 0171 2345678"], region="DE") == [("+491712345678", "cell")]


def test_tel_slash_fax_label_is_the_phone() -> None:
    assert label_type("Tel./Fax:") == "work"


def test_region_argument_parses_national_numbers() -> None:
    assert phones(["Tel. 030 1234567"], region="DE") == [("+49301234567", "work")]


def test_region_comes_from_the_address_country() -> None:
    lines = ["Anna Rossi", "Via Roma 10", "00184 Roma", "Italia", "Tel. 06 1234 5678"]
    assert phones(lines) == [("+390612345678", "work")]


def test_region_comes_from_the_email_cctld_without_an_address() -> None:
    lines = ["Jean Dupont", "jean.dupont@exemple.fr", "Portable 06 12 34 56 78"]
    assert phones(lines) == [("+33612345678", "cell")]


def test_region_comes_from_other_plus_numbers_on_the_card() -> None:
    lines = ["Tel +49 30 1234567", "Mobil 0170 1234567"]
    assert phones(lines) == [("+49301234567", "work"), ("+491701234567", "cell")]


def test_national_number_without_any_region_keeps_its_digits() -> None:
    contact = parse_page(OcrPage.from_lines(["Tel. 030 1234567"]), calibrated=False)
    assert [(p.number, p.type, p.raw) for p in contact.phones] == [
        ("0301234567", "work", "030 1234567")]
    assert contact.confidence["phones"] < 0.6


@pytest.mark.parametrize("sep", ["|", "/", "·"])
def test_several_numbers_on_one_line(sep: str) -> None:
    line = f"T +1 415 555 0100 {sep} M +1 415 555 0199 {sep} F +1 415 555 0101"
    assert phones([line]) == [("+14155550100", "work"), ("+14155550199", "cell"),
                              ("+14155550101", "fax")]


def test_german_slash_inside_a_number_is_not_a_separator() -> None:
    assert phones(["Tel. 030 / 1234567"], region="DE") == [("+49301234567", "work")]


@pytest.mark.parametrize("text", ["+1 (650) 253-0000 ext. 12", "+1 650 253 0000 x12",
                                  "+1 650 253 0000, Durchwahl 12"])
def test_extension_is_kept_apart(text: str) -> None:
    contact = parse_page(OcrPage.from_lines([f"Phone {text}"]))
    assert [(p.number, p.extension) for p in contact.phones] == [("+16502530000", "12")]


def test_number_split_across_a_line_break() -> None:
    lines = ["Mobile: +49 170", "1234567", "anna@example.com"]
    assert phones(lines) == [("+491701234567", "cell")]


def test_unlabelled_mobile_range_is_a_cell_and_landline_work() -> None:
    assert phones(["+44 7911 123456", "+44 20 7946 0958"]) == [
        ("+447911123456", "cell"), ("+442079460958", "work")]


def test_ocr_letters_inside_a_number_are_read_as_digits() -> None:
    assert repair_digits("+49 3O 12l4567") == "+49 30 1214567"
    assert phones(["T +49 3O 1234567"]) == [("+49301234567", "work")]


def test_label_after_the_number_in_brackets() -> None:
    assert phones(["+33 6 12 34 56 78 (mobile)"]) == [("+33612345678", "cell")]


def test_trunk_zero_in_brackets() -> None:
    assert phones(["T: +44 (0)20 7946 0958"]) == [("+442079460958", "work")]


def test_label_cut_off_by_a_separator_still_types_the_number() -> None:
    assert phones(["Fax | +49 30 1234599"]) == [("+493012345 99".replace(" ", ""), "fax")]


def test_year_or_postcode_is_not_a_phone() -> None:
    assert phones(["Since 1987", "10115 Berlin", "Hauptstraße 125"]) == []


def test_label_misread_by_ocr_still_types_the_number() -> None:
    assert label_type("Tif.") == "work"  # 'Tlf.' with l read as i
    assert label_type("Mobi1") == "cell"


def test_icon_read_as_a_symbol_before_a_number() -> None:
    assert phones(["@ +33 1 72 57 89 82"]) == [("+33172578982", "work")]


def test_label_language_is_the_last_region_hint() -> None:
    assert phones(["Móvil: 612 345 678", "Oficina: 912 345 678"]) == [
        ("+34612345678", "cell"), ("+34912345678", "work")]


def test_north_american_format_is_a_region_hint() -> None:
    assert phones(["(415) 555-0100", "Fax (415) 555-0101"]) == [
        ("+14155550100", "work"), ("+14155550101", "fax")]


def test_numbers_side_by_side_without_separator_are_split() -> None:
    assert phones(["030 443 3541 06 29250096"], region="NL") == [
        ("+31304433541", "work"), ("+31629250096", "cell")]


def test_legal_form_hints_the_region_when_nothing_else_does() -> None:
    lines = ["Heidemarie Scheel", "Kitzmann Elektrotechnik GmbH", "T 0341 2567211"]
    assert phones(lines) == [("+493412567211", "work")]


def test_italian_mobile_written_three_three_four_is_not_north_american() -> None:
    lines = ["Piero Cagnin", "Cadorna Ingegneria S.r.l.", "Mob. 348 248 5007"]
    assert phones(lines) == [("+393482485007", "cell")]


def test_two_word_label_is_kept_with_its_number() -> None:
    assert phones(["Ligne directe | 02 88 55 45 83"], region="FR") == [("+33288554583", "work")]


def test_plus_read_as_a_digit_is_put_back() -> None:
    assert repair_plus("P 4441865992092", None) == "P +441865992092"
    assert repair_plus("Tel. 017185408262", "US") == "Tel. +17185408262"
    assert phones(["M: 4447412671199"]) == [("+447412671199", "cell")]


def test_valid_national_numbers_are_not_taken_for_a_lost_plus() -> None:
    assert repair_plus("0171 2345678", "DE") == "0171 2345678"
    assert repair_plus("030 1234567", None) == "030 1234567"


def test_french_number_format_is_a_region_hint() -> None:
    assert phones(["Tél: 01 67 40 01 22"]) == [("+33167400122", "work")]


def test_symbol_between_label_and_number_is_ignored() -> None:
    assert phones(["T ¡+31 (0) 50 228 6157"]) == [("+31502286157", "work")]
