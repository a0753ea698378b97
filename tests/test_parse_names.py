"""Name, title, company and department: every signal together."""

from __future__ import annotations

import pytest

from cardpipe.parse import parse_page
from cardpipe.parse.names import email_agreement, split_name
from cardpipe.scan.page import OcrPage

from .conftest import parse


def test_big_company_logo_is_not_the_name() -> None:
    c = parse(["NORTHWIND", "Priya Raman", "Account Manager", "priya.raman@northwind.com"],
              heights=[60, 30, 20, 18])
    assert (c.full_name, c.company, c.title) == ("Priya Raman", "NORTHWIND", "Account Manager")


def test_name_found_without_a_given_name_list_hit_by_the_email() -> None:
    c = parse(["Xochitl Quispe", "Quispe Textiles", "xquispe@quispetextiles.pe"])
    assert c.full_name == "Xochitl Quispe"
    assert c.company == "Quispe Textiles"


def test_name_agrees_with_the_email_local_part() -> None:
    assert email_agreement(["John", "Smith"], ["j.smith"]) >= 0.9
    assert email_agreement(["John", "Smith"], ["jsmith"]) >= 0.9
    assert email_agreement(["John", "Smith"], ["info"]) == 0.0


def test_family_name_first_in_capitals() -> None:
    c = parse(["YAMADA Taro", "Sales Director", "Kaisha Trading KK"])
    assert (c.full_name, c.given_name, c.family_name) == ("Taro Yamada", "Taro", "Yamada")


def test_all_capitals_name_is_title_cased() -> None:
    c = parse(["ANNA VON DER HEIDE", "Geschäftsführerin", "Heide Logistik GmbH"])
    assert c.full_name == "Anna von der Heide"
    assert c.family_name == "von der Heide"


@pytest.mark.parametrize(
    ("printed", "prefix", "given", "family", "suffix"),
    [("Dr. Anna Schmidt, PhD", "Dr.", "Anna", "Schmidt", "PhD"),
     ("Dipl.-Ing. Hans Müller", "Dipl.-Ing.", "Hans", "Müller", None),
     ("Prof. Dr. Klaus Weber", "Prof. Dr.", "Klaus", "Weber", None),
     ("John A. Smith, MBA", None, "John", "Smith", "MBA"),
     ("Dott.ssa Giulia Bianchi", "Dott.ssa", "Giulia", "Bianchi", None)],
)
def test_credentials_and_prefixes_are_split_off(printed, prefix, given, family, suffix) -> None:
    parts = split_name(printed)
    assert (parts.prefix, parts.given, parts.family, parts.suffix) == (prefix, given, family,
                                                                       suffix)
    assert parts.full == printed


def test_line_with_title_words_is_not_the_name() -> None:
    c = parse(["Senior Consultant", "Maria Garcia"], heights=[40, 30])
    assert c.full_name == "Maria Garcia"
    assert c.title == "Senior Consultant"


def test_line_with_a_legal_suffix_is_the_company_not_the_name() -> None:
    c = parse(["Becker Schulz GmbH", "Tom Becker", "Inhaber"], heights=[40, 30, 20])
    assert (c.full_name, c.company, c.title) == ("Tom Becker", "Becker Schulz GmbH", "Inhaber")


@pytest.mark.parametrize("suffix", ["Inc.", "LLC", "Ltd", "GmbH", "AG", "SA", "SARL", "S.L.",
                                    "BV", "Pty Ltd", "KK", "Co.", "S.p.A.", "S.r.l.", "SAS",
                                    "Oy", "AB", "A/S"])
def test_legal_suffixes_mark_the_company(suffix: str) -> None:
    c = parse([f"Lindqvist Holm {suffix}", "Karin Holm", "Project Manager"], heights=[22, 30, 20])
    assert c.company == f"Lindqvist Holm {suffix}"
    assert c.full_name == "Karin Holm"


def test_company_agrees_with_the_email_domain() -> None:
    c = parse(["Pixel Forge", "Ravi Patel", "Lead Designer", "ravi@pixelforge.io"],
              calibrated=False)
    assert c.company == "Pixel Forge"
    assert c.confidence["company"] >= 0.8


def test_company_from_the_domain_has_a_low_confidence() -> None:
    c = parse(["Ravi Patel", "Lead Designer", "ravi@pixel-forge.io"])
    assert c.company == "Pixel Forge"
    assert c.confidence["company"] < 0.5


def test_webmail_domain_gives_no_company() -> None:
    c = parse(["Ravi Patel", "Photographer", "ravi.patel@gmail.com"])
    assert c.company is None


def test_title_over_two_lines_is_joined() -> None:
    c = parse(["Anna Schmidt", "Senior Vice President,", "Global Sales", "Acme Corp."])
    assert c.title == "Senior Vice President, Global Sales"
    assert c.company == "Acme Corp."


def test_title_wrapped_before_the_job_word() -> None:
    c = parse(["Anna Schmidt", "Business Development", "Manager", "Acme Corp."])
    assert c.title == "Business Development Manager"


@pytest.mark.parametrize("title", ["Geschäftsführerin", "Directrice générale", "Jefa de Ventas",
                                   "Responsabile Acquisti", "Algemeen Directeur",
                                   "Softwareentwickler", "Accountmanager",
                                   "Chief Executive Officer"])
def test_title_lexicon_is_multilingual(title: str) -> None:
    c = parse(["Ada Lovelace", title, "Engines Ltd"])
    assert c.title == title


def test_department_line_next_to_the_title() -> None:
    c = parse(["Ada Lovelace", "Leiterin", "Forschung & Entwicklung", "Engines GmbH"])
    assert c.title == "Leiterin"
    assert c.department == "Forschung & Entwicklung"


def test_explicit_department_word() -> None:
    c = parse(["Ada Lovelace", "Analyst", "Engines GmbH", "Finance Department"])
    assert c.department == "Finance Department"


def test_unknown_text_goes_to_the_note() -> None:
    c = parse(["Ada Lovelace", "Analyst", "Engines GmbH", "Since 1987 in family hands"])
    assert c.note == "Since 1987 in family hands"


def test_name_from_email_when_no_line_looks_like_one() -> None:
    c = parse(["Engines GmbH", "anna.schmidt@engines.de"], calibrated=False)
    assert c.full_name == "Anna Schmidt"
    assert c.confidence["full_name"] < 0.5


def test_letter_spaced_company_is_glued() -> None:
    from cardpipe.scan.page import Line, Word
    letters = ["A", "C", "M", "E"]
    words = tuple(Word(t, (10 + 40 * i, 10, 20, 30), 0.9, 0) for i, t in enumerate(letters))
    page = OcrPage(1000, 200, words, (Line(tuple(range(4)), "A C M E", (10, 10, 150, 30), 30.0,
                                           0.9),))
    assert parse_page(page).note == "ACME"


def test_family_name_in_capitals_after_the_given_name() -> None:
    c = parse(["Taro YAMADA", "General Manager", "Nippon Widget Co., Ltd."])
    assert (c.full_name, c.given_name, c.family_name) == ("Taro Yamada", "Taro", "Yamada")


def test_spanish_compound_given_name_and_two_family_names() -> None:
    c = parse(["María José García López", "Directora de Marketing", "Gasur S.A.",
               "28013 Madrid"], region="ES")
    assert (c.given_name, c.middle_name, c.family_name) == ("María José", None, "García López")


def test_english_middle_name_stays_a_middle_name() -> None:
    c = parse(["John Michael Smith", "Partner", "Smith Partners LLP"], region="US")
    assert (c.given_name, c.middle_name, c.family_name) == ("John", "Michael", "Smith")


def test_given_name_that_is_also_a_title_word() -> None:
    assert split_name("Pastor Alcázar").given == "Pastor"


def test_stray_letter_from_an_icon_is_not_part_of_the_name() -> None:
    c = parse(["Manuel Howell O", "Marketing Director", "Bond Energy LLC"])
    assert c.full_name == "Manuel Howell"


def test_title_continued_by_a_line_starting_with_an_ampersand() -> None:
    c = parse(["Corina Heintze", "Leiterin Marketing", "& Kommunikation", "Ackermann GmbH"])
    assert c.title == "Leiterin Marketing & Kommunikation"


def test_umlaut_lost_by_ocr_comes_back_from_the_email_and_domain() -> None:
    c = parse(["Mechtild Lochel", "Prokuristin", "Kuhnert Architekten e.K.",
               "mechtild.loechel@kuehnert-architekten.de"])
    assert c.full_name == "Mechtild Löchel"
    assert c.company == "Kühnert Architekten e.K."


def test_legal_form_that_lost_its_final_dot_gets_it_back() -> None:
    c = parse(["Anna Rossi", "Architetto", "Rossi Costruzioni S.r.l"])
    assert c.company == "Rossi Costruzioni S.r.l."


def test_company_name_stacked_over_two_lines_without_a_domain() -> None:
    c = parse(["Lieve Marchal", "Accountmanager", "Mater", "Architecten BV"],
              heights=[40, 24, 26, 26])
    assert c.company == "Mater Architecten BV"


def test_logo_read_as_letters_is_not_the_company() -> None:
    c = parse(["ıllı", "Ravi Patel", "Photographer"], heights=[80, 40, 20])
    assert c.company is None
