"""The parser on text as OCR really reads cards: slips a careful reader still reads right.

Each case is a hand-made page showing one kind of OCR noise seen on photographed cards.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from cardpipe.parse import parse_page
from cardpipe.parse.lexicon import country_spelling, is_country, restore_accents
from cardpipe.parse.names import fix_title_slips
from cardpipe.parse.segments import build_segments
from cardpipe.scan.page import Line, OcrPage, Word

from .conftest import parse


def emails(lines: list[str]) -> list[str]:
    return [e.address for e in parse(lines).emails]


# -- emails and websites -----------------------------------------------------------------


def test_comma_inside_a_local_part_is_a_dot() -> None:
    assert emails(["Ashley Jones", "E. a,jones@youngsoft.uk"]) == ["a.jones@youngsoft.uk"]


def test_local_part_ocr_cut_at_its_dot_is_joined_but_a_label_is_not() -> None:
    assert emails(["E: christie. nguyen@gileslogistics.com"]) == [
        "christie.nguyen@gileslogistics.com"]
    assert emails(["Mail. anna@acme.de"]) == ["anna@acme.de"]
    assert emails(["E. anna@acme.de"]) == ["anna@acme.de"]


@pytest.mark.parametrize(("printed", "expected"), [
    ("Icampbell@lewis.co.uk", "lcampbell@lewis.co.uk"),  # a capital I among lower case
    ("|.deman@westermann.com", "l.deman@westermann.com"),  # a '|' glued to the dot
    ("chery!-kennedy@stone.co.uk", "cheryl-kennedy@stone.co.uk"),  # '!' inside
    ("Ines.Roth@acme.de", "Ines.Roth@acme.de"),  # capitals elsewhere: as printed
    ("Ivan@acme.de", "Ivan@acme.de"),  # a given name
])
def test_letter_l_misread_in_a_local_part(printed: str, expected: str) -> None:
    assert emails([printed]) == [expected]


def test_domain_broken_by_a_space_is_rebuilt_from_the_cards_website() -> None:
    c = parse(["w.hentschel@faus ttec-logistik.com", "www.fausttec-logistik.com"])
    assert [e.address for e in c.emails] == ["w.hentschel@fausttec-logistik.com"]
    assert c.websites == ("www.fausttec-logistik.com",)
    c = parse(["E ingrid. hoefig@noacknovaver packungen.eu", "noacknovaverpackungen.eu"])
    assert [e.address for e in c.emails] == ["ingrid.hoefig@noacknovaverpackungen.eu"]
    c = parse(["b.tozzo@comunicazione-giradello it", "https://www.comunicazione-giradello.it"])
    assert [e.address for e in c.emails] == ["b.tozzo@comunicazione-giradello.it"]


def test_broken_email_without_a_website_to_confirm_it_is_not_invented() -> None:
    c = parse(["w.hentschel@faus ttec-logistik.com"])
    assert c.emails == ()
    assert c.websites == ()  # 'ttec-logistik.com' is the tail of the broken email


def test_bare_domain_with_a_space_is_the_website_when_the_email_has_it() -> None:
    c = parse(["charlotte@hooperlee.uk", "hooperlee. uk"])
    assert c.websites == ("hooperlee.uk",)
    assert c.company != "hooperlee. uk"


@pytest.mark.parametrize(("printed", "expected"), [
    ("hetps://www.harpernetworks.uk", "https://www.harpernetworks.uk"),
    ("W. https:/Avww.perini.it", "https://www.perini.it"),
    ("Wwww.trappanlagenbau.de", "www.trappanlagenbau.de"),
    ("W wwwspencer.com", "www.spencer.com"),
    ("® https: //wwwwildschut-logistiek.nl", "https://www.wildschut-logistiek.nl"),
    ("hi ttps://www.ackermann-soelzer.de", "www.ackermann-soelzer.de"),
])
def test_garbled_scheme_and_www_are_read_through(printed: str, expected: str) -> None:
    assert parse([printed]).websites == (expected,)


def test_domains_one_letter_apart_take_the_spelling_the_card_confirms() -> None:
    c = parse(["Cheryl Kennedy", "Marshall & Stone Ltd.", "cheryl@marshallstone.co.uk",
               "www.narshallstone.co.uk"])
    assert c.websites == ("www.marshallstone.co.uk",)
    assert [e.address for e in c.emails] == ["cheryl@marshallstone.co.uk"]


def test_a_long_domain_two_letters_off_takes_the_spelling_the_card_repeats() -> None:
    c = parse(["imengolo@ferretti-comunicazione.it", "hello@ferrtt-comunicazione.it",
               "ferretti-comunicazione.it"])
    assert [e.address for e in c.emails] == ["imengolo@ferretti-comunicazione.it",
                                             "hello@ferretti-comunicazione.it"]


def test_two_different_domains_on_one_card_stay_apart() -> None:
    c = parse(["anna@acme-group.com", "www.acme-shop.com"])
    assert c.websites == ("www.acme-shop.com",)
    c = parse(["anna@nordwind-logistik.de", "www.nordwest-logistik.de"])  # 3 letters apart
    assert [e.address for e in c.emails] == ["anna@nordwind-logistik.de"]


def test_exclamation_mark_inside_a_handle_is_an_l() -> None:
    c = parse(["@ @chery!-kennedy"])
    assert [s.url for s in c.social] == ["https://github.com/cheryl-kennedy"]


def test_qr_copy_drops_what_ocr_misread_of_the_same_items() -> None:
    page = OcrPage.from_lines(["SPENCER CORP.", "Kelly Leonard", "D ) 212.439.646",
                               "F 212.572.5849", "kellyleonard@spencer.com",
                               "W wwwspencer.com"])
    page = replace(page, qr=("BEGIN:VCARD\nVERSION:3.0\nN:Leonard;Kelly\nFN:Kelly Leonard\n"
                             "TEL;TYPE=WORK:+12124396462\nTEL;TYPE=WORK:+12125725845\n"
                             "EMAIL:kelly.leonard@spencer.com\nURL:https://www.spencer.com\n"
                             "END:VCARD",))
    c = parse_page(page)
    assert [e.address for e in c.emails] == ["kelly.leonard@spencer.com"]
    assert c.websites == ("https://www.spencer.com",)
    # the truncated reading goes, the fax (another number, last digits apart) stays
    assert [p.number for p in c.phones] == ["+12124396462", "+12125725845", "+12125725849"]


# -- lines and separators ------------------------------------------------------------------


def _page(rows: list[list[tuple[str, int, int]]], height: int = 30) -> OcrPage:
    """A page whose OCR lines hold words at (text, left, top) positions."""
    words: list[Word] = []
    lines: list[Line] = []
    for li, row in enumerate(rows):
        idx = []
        for text, left, top in row:
            idx.append(len(words))
            words.append(Word(text, (left, top, 14 * len(text), height), 0.9, li))
        boxes = [words[i].box for i in idx]
        top = min(b[1] for b in boxes)
        bottom = max(b[1] + b[3] for b in boxes)
        left = min(b[0] for b in boxes)
        right = max(b[0] + b[2] for b in boxes)
        lines.append(Line(tuple(idx), " ".join(words[i].text for i in idx),
                          (left, top, right - left, bottom - top), height, 0.9))
    return OcrPage(1200, 700, tuple(words), tuple(lines))


def test_two_printed_lines_ocr_took_for_one_are_read_apart() -> None:
    # Tesseract made one line of two rows printed beside a taller company name, and
    # interleaved their words left to right
    page = _page([[("Lisa", 460, 60), ("Woods", 540, 60)],
                  [("Aguirre", 60, 440), ("LLC", 180, 440), ("Office:", 460, 420),
                   ("Mobile:", 460, 465), ("(404)", 580, 420), ("(415)", 580, 465),
                   ("867-3155", 670, 420), ("763-6016", 670, 465)]])
    c = parse_page(page, region="US")
    assert [(p.number, p.type) for p in c.phones] == [("+14048673155", "work"),
                                                      ("+14157636016", "cell")]


def test_pipe_glued_to_a_dot_is_a_letter_not_a_separator() -> None:
    assert parse(["Lolita Bombieri", "Sistemi Guicciardini S.r.|."]).company == \
        "Sistemi Guicciardini S.r.l."
    assert emails(["leon_vandijk@rek-bouw.n|"]) == ["leon_vandijk@rek-bouw.nl"]


# -- addresses -----------------------------------------------------------------------------


def one_line(lines: list[str]) -> str | None:
    c = parse(lines)
    return c.addresses[0].one_line() if c.addresses else None


@pytest.mark.parametrize(("lines", "postcode"), [
    (["2 Clarke Estates, 2nd Floor", "East Karenfurt, MK18 GWN"], "MK18 6WN"),
    (["Studio 79v, Eileen Islands, Reecehaven, LUIE 8FS"], "LU1E 8FS"),
    (["Flat 6, Tina Greens, East Derek L27 7]Q"], "L27 7JQ"),
    (["Silkebaan 744", "89370Q Deil"], "8937OQ"),
    (["Abelsingel 73", "4984J)P Boerakker"], "4984JP"),
    (["Mayaboulevard 1", "6621UJ) Ven-Zelderheide"], "6621UJ"),
])
def test_postcode_characters_ocr_confused_are_repaired_by_the_format(
        lines: list[str], postcode: str) -> None:
    c = parse(lines)
    assert c.addresses and c.addresses[0].postcode == postcode


@pytest.mark.parametrize(("lines", "street"), [
    (["0 67 Thompson Turnpike", "East John, E7T 4RU"], "67 Thompson Turnpike"),
    (["4 Wielochweg 8", "74015 Rathenow"], "Wielochweg 8"),
    (["o Flat 5", "Donnamouth, W4H 6TF"], "Flat 5"),
    (["12 Main Street", "Springfield, IL 62701"], "12 Main Street"),
])
def test_icon_read_as_a_character_before_the_street_is_dropped(lines: list[str],
                                                              street: str) -> None:
    a = parse(lines).addresses[0]
    assert ", ".join(p for p in (a.extended, a.street) if p) == street


def test_colon_separates_address_parts_on_one_line() -> None:
    assert one_line(["Rena-Pergande-Gasse 80-76 : 92577 Artern - Deutschland"]) == \
        "Rena-Pergande-Gasse 80-76, 92577 Artern, Deutschland"


def test_city_after_a_lettered_postcode_may_end_like_a_street() -> None:
    assert one_line(["Romypad 366, 4014HJ Hoogenweg, The Netherlands"]) == \
        "Romypad 366, 4014HJ Hoogenweg, The Netherlands"
    assert one_line(["Mirthehof 3, 1418 YK Stad aan 't Haringvliet"]) == \
        "Mirthehof 3, 1418 YK Stad aan 't Haringvliet"


@pytest.mark.parametrize("printed", ["Sophia-Peukert-StraBe 3-4", "Sophia-Peukert-Strafe 3-4",
                                     "Sophia-Peukert-Strafge 3-4"])
def test_sharp_s_ocr_misread_in_strasse(printed: str) -> None:
    assert parse([printed, "19396 Sankt Goarshausen"]).addresses[0].street == \
        "Sophia-Peukert-Straße 3-4"


def test_swiss_strasse_stays_as_printed() -> None:
    assert parse(["Bahnhofstrasse 1", "CH-8001 Zürich"]).addresses[0].street == \
        "Bahnhofstrasse 1"


def test_country_under_the_postcode_through_ocr_slips() -> None:
    assert one_line(["Acceso de Pilar Valenzuela 652", "46478 Girona", "Espafia"]).endswith(
        ", España")
    assert one_line(["Hauptstr. 5", "10115 Berlin", "Germamy"]).endswith(", Germany")
    assert country_spelling("ESPANA") == "ESPAÑA"
    assert is_country("Frances", misread=True) is None  # a letter more is another word
    assert is_country("Germamy") is None  # only where a country is expected


# -- name, title, company ------------------------------------------------------------------


def test_accents_ocr_dropped_come_back_in_the_cards_language() -> None:
    c = parse(["Luz Calderon", "Socia", "INGENIERIA ARROYO SL", "+34 949 25 87 26"])
    assert c.company == "INGENIERÍA ARROYO SL"
    c = parse(["Xavier Denis", "Architecte", "Energie Leconte S.A.", "+33 3 77 56 02 64"])
    assert c.company == "Énergie Leconte S.A."
    c = parse(["Anna Weber", "Energie Nord GmbH", "+49 30 1234567"])
    assert c.company == "Energie Nord GmbH"  # German spells it so
    assert restore_accents("Energie Lucas", None) == "Energie Lucas"  # language unknown


def test_umlaut_misread_as_other_letters_comes_back_from_the_domain() -> None:
    c = parse(["ROHRDANZ Mohamed", "Prokurist", "Miuhle & Briemer e.K.",
               "mohamed@muehlebriemer.com"])
    assert c.company == "Mühle & Briemer e.K."
    c = parse(["Bianka Ktihnert", "Projektleiterin", "bianka.kuehnert@preiss.eu"])
    assert c.full_name == "Bianka Kühnert"


def test_legal_form_and_stray_bracket_slips_are_repaired() -> None:
    assert parse(["Anna Rossi", "Pizzettisoft Ingegneria S.r.i."]).company == \
        "Pizzettisoft Ingegneria S.r.l."
    assert parse(["Noemi Valencia", "ASESORES BERME)JO S.L.U."]).company == \
        "ASESORES BERMEJO S.L.U."


def test_stray_mark_inside_a_title_is_dropped() -> None:
    assert parse(["Ceferino Bonilla", "Jefe ~ de Ventas"]).title == "Jefe de Ventas"


def test_title_word_with_one_letter_misread_is_that_word() -> None:
    assert parse(["Gionata Spinelli", "Architettc", "PAUSINITEC S.P.A."]).title == "Architetto"
    c = parse(["THIES Celal", "Geschaftsfihrer", "Schacht Medientechnik AG",
               "+49 40 574865988"])
    assert (c.title, c.company) == ("Geschäftsführer", "Schacht Medientechnik AG")
    assert fix_title_slips("Knightvia Architects LLP") == "Knightvia Architects LLP"
    assert fix_title_slips("Consultoria Roldan") == "Consultoria Roldan"


def test_roman_numeral_suffix_read_with_an_l() -> None:
    c = parse(["Gernot Koch Il", "Prokurist"])
    assert (c.full_name, c.suffix) == ("Gernot Koch II", "II")
    assert parse(["BANDELLO ll", "Anna Rossi", "CEO"]).full_name == "Anna Rossi"


def test_one_lower_case_slip_in_a_family_name_in_capitals() -> None:
    c = parse(["LoFFLER Kirstin", "Vorstandin", "+49 69 64905285",
               "loeffler@fischer-immobilien.eu"])
    assert (c.given_name, c.family_name, c.title) == ("Kirstin", "Löffler", "Vorständin")


# -- phones --------------------------------------------------------------------------------


def test_phone_label_with_a_letter_misread() -> None:
    c = parse(["Tol. +33-4-21-35-23-92", "Moh. +33-7-83-53-74-56"])
    assert [(p.number, p.type) for p in c.phones] == [("+33421352392", "work"),
                                                     ("+33783537456", "cell")]


def test_p_label_is_phone_or_portable_as_the_number_says() -> None:
    assert parse(["P. +33 6 54 66 07 60"]).phones[0].type == "cell"
    assert parse(["P. +1 415 555 0100"]).phones[0].type == "work"


def test_dollar_sign_inside_a_number_is_a_five() -> None:
    assert parse(["+49 $11 22180957"]).phones[0].number == "+4951122180957"


def test_us_state_whose_i_ocr_read_as_a_bar() -> None:
    a = parse(["8660 Nicole Place Suite 600, Garyland, |A 30531, United States"]).addresses[0]
    assert (a.locality, a.region, a.postcode) == ("Garyland", "IA", "30531")


def test_comma_after_a_middle_initial_is_its_dot() -> None:
    c = parse(["Margaret C, Martin", "Marketing Director"])
    assert (c.full_name, c.given_name, c.family_name) == ("Margaret C. Martin", "Margaret",
                                                          "Martin")


def test_email_local_part_takes_the_names_spelling_through_look_alikes() -> None:
    assert emails(["Blas Garriga", "Gerente", "bias_garriga@tecnologiagibert.es"]) == [
        "blas_garriga@tecnologiagibert.es"]
    assert emails(["Ornella Trapani", "omelia.trapani@ortolani.eu"]) == [
        "ornella.trapani@ortolani.eu"]
    assert emails(["Anna Schmidt", "info@acme.de"]) == ["info@acme.de"]


def test_www_with_a_letter_misread_inside() -> None:
    assert parse(["weww.wilsonmcintoshandarnold.com"]).websites == (
        "www.wilsonmcintoshandarnold.com",)


def test_misread_country_code_is_the_cards_own() -> None:
    c = parse(["CAMANNI Giulia", "T | +30 045 598 4418", "M | +39 320 556 2607"])
    assert [p.number for p in c.phones] == ["+390455984418", "+393205562607"]


def test_digit_for_the_first_letter_of_a_dotted_legal_form() -> None:
    assert parse(["Cayetano Almazan", "Director", "Consultoria Pera 8.L.U,"]).company == \
        "Consultoria Pera S.L.U."


def test_website_that_lost_the_dot_before_its_tld_matches_the_email_domain() -> None:
    c = parse(["grazyna-stumpf@vanderdussenzimmer.de", "www.vanderdussenzimmerde"])
    assert c.websites == ("www.vanderdussenzimmer.de",)


def test_name_and_company_ocr_joined_on_one_line_are_split() -> None:
    c = parse(["Beau van Opper-Lotharingen Stook Energie BV", "Senior Adviseur",
               "E vanopperlotharingen@stook-energie.nl"])
    assert (c.full_name, c.company) == ("Beau van Opper-Lotharingen", "Stook Energie BV")
    # a company named after its founder, as its domain says, stays whole
    c = parse(["Peter Meier Software GmbH", "peter.meier@petermeiersoftware.de"])
    assert c.company == "Peter Meier Software GmbH"


def test_slanted_line_is_not_cut_into_rows() -> None:
    # the words of one printed line drift down by more than their height
    page = _page([[("Lisa", 460, 60), ("Woods", 540, 60)],
                  [("Senior", 100, 300), ("Vice", 220, 312), ("President,", 300, 324),
                   ("Global", 460, 336), ("Sales", 560, 348)]])
    assert [s.text for s in build_segments(page)] == [
        "Lisa Woods", "Senior Vice President, Global Sales"]


@pytest.mark.parametrize(("printed", "expected"), [
    ("EmailIp.travaglia@govonizola.it", "p.travaglia@govonizola.it"),
    ("EIgionata_spinelli@pausinitec.it", "gionata_spinelli@pausinitec.it"),
    ("Elena@acme.com", "Elena@acme.com"),
    ("EIena.rossi@acme.it", "EIena.rossi@acme.it"),
])
def test_label_glued_to_the_address_by_a_misread_separator(printed: str, expected: str) -> None:
    assert emails([printed]) == [expected]


def test_icon_letter_glued_to_a_social_host() -> None:
    c = parse(["agithub.com/gionataspinelli"])
    assert [s.url for s in c.social] == ["https://github.com/gionataspinelli"]
    assert c.websites == ()


@pytest.mark.parametrize(("lines", "region", "numbers"), [
    (["0 714 83 50 99"], "ES", ["+34714835099"]),
    (["0376 93 70 90 |003 56 3586 39"], "FR", ["+33376937090", "+33356358639"]),
    (["030 1234567 | 0170 5678901"], "DE", ["+49301234567", "+491705678901"]),
])
def test_phone_icon_read_as_a_zero_before_the_number(lines: list[str], region: str,
                                                     numbers: list[str]) -> None:
    assert [p.number for p in parse(lines, region=region).phones] == numbers


def test_group_of_a_number_read_as_look_alike_letters() -> None:
    assert parse(["+49 SII 22180957"]).phones[0].number == "+4951122180957"


def test_text_before_a_phone_label_on_a_joined_line_is_not_the_phones() -> None:
    # OCR joined the second line of the company with the mobile number beside it
    c = parse(["Marietta Barth", "Vertriebsleiterin", "Zorbach",
               "Software AG M: 0160 62684081", "barth@zorbachsoftware.eu"], region="DE")
    assert c.company == "Zorbach Software AG"
    assert [(p.number, p.type) for p in c.phones] == [("+4916062684081", "cell")]
    c = parse(["Phone number: +1 415 555 0100"])
    assert c.note is None and c.company is None


def test_unlabelled_handle_is_on_a_service_the_card_does_not_name_yet() -> None:
    c = parse(["github.com/luis-seco", "Twitter: @luisseco77", "© @luis_seco"])
    assert sorted(s.url for s in c.social) == [
        "https://github.com/luis-seco", "https://www.instagram.com/luis_seco",
        "https://x.com/luisseco77"]
    assert [s.url for s in parse(["© @luis_seco"]).social] == ["https://x.com/luis_seco"]


def test_cards_language_is_the_last_hint_at_the_phone_region() -> None:
    c = parse(["Dr Daniel Laporte", "Consultant senior", "Recherche et développement",
               "0376 93 70 90 |003 56 3586 39", "laporte@architectureweiss.eu"])
    assert [p.number for p in c.phones] == ["+33376937090", "+33356358639"]


def test_house_number_glued_to_the_street_name() -> None:
    assert one_line(["Mikelaan874• 6057 EM Hulsberg"]) == "Mikelaan 874, 6057 EM Hulsberg"


def test_bare_domain_after_an_email_label_is_no_website() -> None:
    # an address that lost its '@' to OCR is not the company's website
    assert parse(["E h mendezstargamth.com"]).websites == ()
    assert parse(["E: www.acme.com"]).websites == ("www.acme.com",)


def test_legal_form_glued_to_the_name() -> None:
    assert parse(["Dean Brooks", "Thompson DynamicsLtd."]).company == "Thompson Dynamics Ltd."
    assert emails(["Email-grazyna-stumpf@vanderdussenzimmer.de"]) == [
        "grazyna-stumpf@vanderdussenzimmer.de"]


def test_tilde_for_a_dash_between_label_and_number() -> None:
    c = parse(["Tel.~+49-711-2685318Mob~+49-175-2139595", "Fax~+49-711-2685334"])
    assert [(p.number, p.type) for p in c.phones] == [
        ("+497112685318", "work"), ("+491752139595", "cell"), ("+497112685334", "fax")]


def test_international_number_after_another_columns_text() -> None:
    c = parse(["Beckmann", "Messtechnik AG +49170.8898709", "ferdinand@beckmannmesstechnik.de"])
    assert [p.number for p in c.phones] == ["+491708898709"]
    assert c.company == "Beckmann Messtechnik AG"


def test_legal_form_glued_to_a_name_in_capitals_over_two_lines() -> None:
    c = parse(["Harry McKenzie", "THOMPSON", "DYNAMICSLTD.", "harry@thompsondynamics.com"])
    assert c.company == "THOMPSON DYNAMICS LTD."


def test_label_read_as_el_before_a_given_name_in_the_address() -> None:
    assert emails(["Elashley.nguyen@burton-architects.com"]) == [
        "ashley.nguyen@burton-architects.com"]
    assert emails(["Elena.rossi@acme.it"]) == ["Elena.rossi@acme.it"]


def test_qr_copy_drops_an_ocr_address_with_a_label_glued_to_it() -> None:
    page = replace(OcrPage.from_lines(["Lorraine Lebreton", "Ellebreton@marinsystemes.com"]),
                   qr=("MECARD:N:Lebreton,Lorraine;EMAIL:l.lebreton@marinsystemes.com;;",))
    assert [e.address for e in parse_page(page).emails] == ["l.lebreton@marinsystemes.com"]


def test_hyphenated_street_name_ends_in_allee() -> None:
    assert parse(["Hulda-Schmiedecke-Alle 44/70 • 15295 Grafenau"]).addresses[0].street == \
        "Hulda-Schmiedecke-Allee 44/70"


# -- icons and labels glued to what they mark ---------------------------------------------


@pytest.mark.parametrize(("printed", "service", "handle"), [
    ("ghgithub.com/christineturner", "github", "christineturner"),  # the GitHub mark as 'gh'
    ("0instagram.com/christineturner.studio", "instagram", "christineturner.studio"),
    ("Xx.com/christine_turne", "twitter", "christine_turne"),  # the X logo as 'X'
])
def test_a_social_icon_read_as_letters_glued_to_the_host(printed: str, service: str,
                                                         handle: str) -> None:
    c = parse(["Christine Turner", printed])
    assert [(s.service, s.handle) for s in c.social] == [(service, handle)]
    assert c.websites == ()


def test_a_w_label_glued_to_a_bare_domain_is_the_label() -> None:
    c = parse(["E. nydia-alberola@ingenieriamedina.com", "W.ingenieriamedina.com"])
    assert c.websites == ("ingenieriamedina.com",)
    assert parse(["w.example.com"]).websites == ("w.example.com",)  # lower case: a host


def test_an_e_label_glued_to_the_local_part_with_a_dot_is_the_label() -> None:
    assert emails(["Nydia Alberola", "E.nydia@ingenieriamedina.com"]) == [
        "nydia@ingenieriamedina.com"]
    assert emails(["e.nydia@ingenieriamedina.com"]) == ["e.nydia@ingenieriamedina.com"]


@pytest.mark.parametrize(("name", "printed", "expected"), [
    ("Claudia Rinaldi", "eclaudia@rinaldivia.eu", "claudia@rinaldivia.eu"),  # envelope 'e'
    ("Gregory Hampton", "ehampton@macdonald.io", "hampton@macdonald.io"),
    ("Eve Hampton", "ehampton@macdonald.io", "ehampton@macdonald.io"),  # her initial
    ("John Smith", "jsmith@acme.com", "jsmith@acme.com"),  # initial and family name
])
def test_an_envelope_icon_read_as_a_letter_before_a_name_word(name: str, printed: str,
                                                               expected: str) -> None:
    assert emails([name, printed]) == [expected]


# -- top-level domains ------------------------------------------------------------------


def test_a_domain_that_lost_the_dot_before_its_tld() -> None:
    c = parse(["Friedman & Brewer LLC", "Pamela Oliver",
               "Email: p.oliver@friedmanbrewerio", "Web: www.friedmanbrewerio"])
    assert [e.address for e in c.emails] == ["p.oliver@friedmanbrewer.io"]
    assert c.websites == ("www.friedmanbrewer.io",)
    # no common TLD at its end, or a name the card does not print elsewhere (here it is
    # a family name, 'rousse' + 'au'): not a domain, the text stays in the note
    c = parse(["anna@localhost"])
    assert c.emails == () and c.note == "anna@localhost"
    c = parse(["Matthieu Rousseau", "matthieu@rousseau"])
    assert c.emails == () and c.note == "matthieu@rousseau"


def test_a_country_tld_one_look_alike_letter_off_follows_the_printed_country() -> None:
    c = parse(["Aurélie Caron", "E-mail contact@letelliervia.tr", "letelliervia.fr",
               "44977 Hamon", "France"])
    assert [e.address for e in c.emails] == ["contact@letelliervia.fr"]
    assert c.websites == ("letelliervia.fr",)
    # without the country printed, or two TLDs that OCR does not confuse: as printed
    assert parse(["anna@acme.fr", "www.acme.tr"]).websites == ("www.acme.tr",)
    c = parse(["anna@acme.de", "www.acme.dk", "Hamburg, Germany"])
    assert [e.address for e in c.emails] == ["anna@acme.de"] and c.websites == ("www.acme.dk",)


def test_a_social_label_glued_to_an_at_handle() -> None:
    c = parse(["ROUSSEAU Matthieu", "gh@matthieu-rousseau"])
    assert [(x.service, x.handle) for x in c.social] == [("github", "matthieu-rousseau")]
    assert c.emails == ()


def test_an_in_label_before_a_linkedin_path() -> None:
    c = parse(["Fabia Vecellio", "in /in/fabia-vecellio"])
    assert [(x.service, x.handle) for x in c.social] == [("linkedin", "fabia-vecellio")]


def test_a_letter_glued_to_www() -> None:
    c = parse(["W. https://twww.scardinobouhuizen.nl"])
    assert c.websites == ("https://www.scardinobouhuizen.nl",)


@pytest.mark.parametrize(("printed", "expected"), [
    ("Eoffice@shawsoft.co.uk", "office@shawsoft.co.uk"),  # the envelope icon as 'E'
    ("einfo@shawsoft.co.uk", "info@shawsoft.co.uk"),
    ("email@shawsoft.co.uk", "email@shawsoft.co.uk"),  # not 'mail'
    ("epost@shawsoft.co.uk", "epost@shawsoft.co.uk"),  # nor 'post'
    ("Evertrieb@shawsoft.co.uk", "vertrieb@shawsoft.co.uk"),
])
def test_an_envelope_icon_before_a_shared_mailbox(printed: str, expected: str) -> None:
    assert emails(["Mohammed Armstrong", printed]) == [expected]


def test_an_ampersand_that_lost_a_space_on_one_side() -> None:
    assert parse(["Jason Sharpe", "Young& Evans Ltd"]).company == "Young & Evans Ltd"
    assert parse(["Anna Berg", "AT&T Inc."]).company == "AT&T Inc."


def test_a_postcode_with_a_digit_read_as_a_letter_before_its_town() -> None:
    c = parse(["Pier Borrani", "Borgo Pedroni, 553", "I5014 Casnigo (CS)", "Italy"])
    assert c.address is not None
    assert (c.address.postcode, c.address.locality) == ("15014", "Casnigo")
