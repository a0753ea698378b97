"""Phones the world over (issue 13): the region comes from the card itself, a number whose
country nothing names keeps its digits as printed, never a guessed country code.

The numbers are phonenumbers' example numbers of each region, printed the way the region
writes them (its national format); names and companies are invented."""

from __future__ import annotations

import phonenumbers
import pytest
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from cardpipe.parse import parse_page
from cardpipe.scan.page import OcrPage


def example(region: str, kind: int = PhoneNumberType.FIXED_LINE) -> tuple[str, str]:
    """(national as printed, E.164) of the region's example number of that type."""
    number = phonenumbers.example_number_for_type(region, kind)
    assert number is not None
    return (phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL),
            phonenumbers.format_number(number, PhoneNumberFormat.E164))


def numbers(lines: list[str], region: str | None = None) -> list[str]:
    contact = parse_page(OcrPage.from_lines(lines), region=region)
    return [p.number for p in contact.phones]


def typed(lines: list[str], region: str | None = None) -> list[tuple[str, str]]:
    contact = parse_page(OcrPage.from_lines(lines), region=region)
    return [(p.number, p.type) for p in contact.phones]


# -- the region from the card's script ----------------------------------------------------

@pytest.mark.parametrize(("script_lines", "region"), [
    (["김민준", "가나다 주식회사"], "KR"),
    (["やまだ たろう", "サンプル株式会社"], "JP"),
])
def test_hangul_and_kana_name_the_region(script_lines: list[str], region: str) -> None:
    printed, e164 = example(region, PhoneNumberType.MOBILE)
    assert numbers([*script_lines, f"M {printed}"]) == [e164]


def test_simplified_chinese_names_mainland_china() -> None:
    printed, e164 = example("CN", PhoneNumberType.MOBILE)
    assert numbers(["王小明", "北京示例科技有限公司", "销售经理", f"手机 {printed}"]) == [e164]


@pytest.mark.parametrize("region", ["TW", "HK"])
def test_traditional_chinese_names_taiwan_or_hong_kong_by_its_numbers(region: str) -> None:
    printed, e164 = example(region)
    lines = ["陳大文", "範例貿易有限公司", "業務經理", f"電話 {printed}"]
    assert numbers(lines) == [e164]


def test_chinese_characters_with_numbers_valid_in_korea_only_are_korean() -> None:
    # OCR made for Chinese reads a Korean card's Hangul as Chinese characters
    mobile, mobile_e164 = example("KR", PhoneNumberType.MOBILE)
    lines = ["示例", "早是量项", f"M {mobile}", "T 02-2345-6789"]
    assert numbers(lines) == [mobile_e164, "+82223456789"]


def test_chinese_characters_with_numbers_valid_in_two_countries_stay_national() -> None:
    # '010-1234-5678' is a Korean mobile and a Beijing number: no country is given
    assert numbers(["示例", "早是量项", "M 010-2000-0000"]) == ["01020000000"]


def test_the_card_wins_over_the_configured_region() -> None:
    printed, e164 = example("KR", PhoneNumberType.MOBILE)
    assert numbers(["김민준", f"휴대폰 {printed}"], region="DE") == [e164]


def test_the_configured_region_when_the_card_names_none() -> None:
    printed, e164 = example("DE")
    assert numbers(["Max Beispiel", f"Tel. {printed}"], region="DE") == [e164]


# -- no country: kept as printed ------------------------------------------------------------

@pytest.mark.parametrize("form", ["Pvt. Ltd.", "Ltd.", "Limited", "Inc.", "Co., Ltd."])
def test_an_english_legal_form_names_no_country(form: str) -> None:
    # 'Ltd.' is Indian, Nepalese, Hong Kong's as much as British
    printed, _ = example("IN", PhoneNumberType.MOBILE)
    got = numbers(["Ravi Example", f"Example Traders {form}", f"Mobile: {printed}"])
    assert got == ["".join(ch for ch in printed if ch.isdigit())]


def test_a_legal_form_of_its_own_language_names_its_country() -> None:
    printed, e164 = example("IT")
    assert numbers(["Mario Esempio", "Esempio Impianti S.r.l.", f"Tel. {printed}"]) == [e164]


# -- postcodes, registration numbers and labels that are no phones -------------------------

@pytest.mark.parametrize(("region", "postcode_line"), [
    ("IN", "Madurai - 625 020."),
    ("IN", "New Delhi - 110 001"),
    ("CN", "邮编 100 000"),
    ("KR", "(06234) 서울특별시 강남구"),
    ("JP", "〒100-0001 東京都千代田区"),
    ("JP", "T 330-0071"),  # '〒' read as 'T'
    ("US", "Springfield, IL 62701-1234"),
])
def test_postcodes_are_no_phones(region: str, postcode_line: str) -> None:
    printed, e164 = example(region, PhoneNumberType.MOBILE)
    assert numbers(["Example Company", postcode_line, f"Mobile: {printed}"],
                   region=region) == [e164]


@pytest.mark.parametrize(("region", "id_line"), [
    ("IN", "GSTIN: 33ABCDE1234F1Z5"), ("IN", "GST No. 33 12345 67890"),
    ("IN", "CIN: U12345TN2010PTC012345"), ("DE", "USt-IdNr. DE 123 456 789"),
    ("GB", "ISO 9001:2015"), ("AU", "Reg. No. 1234 5678 90"), ("FR", "SIRET 123 456 789 00012"),
    ("KR", "사업자등록번호 123-45-67890"), ("JP", "アンケート番号:04170123"),
    ("CN", "统一社会信用代码 9131 0000 1234"),
])
def test_tax_register_and_standard_numbers_are_no_phones(region: str, id_line: str) -> None:
    printed, e164 = example(region)
    assert numbers(["Example Company", id_line, f"Tel. {printed}"], region=region) == [e164]


def test_an_unlabelled_number_that_is_no_valid_one_is_dropped() -> None:
    printed, e164 = example("DE")
    assert numbers(["Beispiel GmbH", "Kundennummer 0815 4711", f"Tel. {printed}"],
                   region="DE") == [e164]


def test_a_labelled_number_that_is_no_valid_one_keeps_its_printed_digits() -> None:
    # a local number printed without its area code: no country code is given to it
    assert numbers(["示例公司", "电话 5839870"], region="CN") == ["5839870"]


def test_labelled_numbers_inside_a_line_of_joined_columns() -> None:
    fixed, fixed_e164 = example("KR")
    mobile, mobile_e164 = example("KR", PhoneNumberType.MOBILE)
    line = f"(06234) 서울특별시 강남구 Tel:{fixed} Mobile:{mobile} E-mail:kim@example.kr"
    assert typed(["김민준", line]) == [(fixed_e164, "work"), (mobile_e164, "cell")]


def test_labelled_numbers_inside_a_joined_line_without_a_region_stay_national() -> None:
    line = "Example Street 5 Tel:042-555-0172 Mobile:010-5550-0123 E-mail:x@example.com"
    assert typed(["Kim Example", line]) == [("0425550172", "work"), ("01055500123", "cell")]


# -- ranges and groups ---------------------------------------------------------------------

def _with_tail(e164: str, tail: str) -> str:
    return e164[:len(e164) - len(tail)] + tail


@pytest.mark.parametrize(("region", "sep", "tail"), [
    ("IN", "/", "90"), ("HK", "/", "2995"), ("IN", " to ", "31"), ("JP", " / ", "79"),
    ("GB", ", ", "79"),
])
def test_a_range_gives_every_number(region: str, sep: str, tail: str) -> None:
    printed, e164 = example(region)
    got = numbers([f"Tel: {printed}{sep}{tail}"], region=region)
    assert got == [e164, _with_tail(e164, tail)]


def test_a_second_subscriber_number_after_a_comma_shares_the_area_code() -> None:
    # '+91-11-2345 6789, 2345 6790': the second is in the first's area
    number = phonenumbers.example_number_for_type("IN", PhoneNumberType.FIXED_LINE)
    assert number is not None
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    intl = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    subscriber = e164[-8:]
    other = _with_tail(e164, str(int(subscriber[0]) % 9 + 1) + subscriber[1:][::-1])
    got = numbers([f"Tel.: {intl},{other[-8:]}"])
    assert got == [e164, other]


def test_a_range_without_a_region_stays_national() -> None:
    assert numbers(["Tel: 2357 2059/2995"]) == ["23572059", "23572995"]


def test_two_whole_numbers_with_a_slash_are_two_numbers() -> None:
    first, first_e164 = example("IN", PhoneNumberType.MOBILE)
    second = first[:-1] + str((int(first[-1]) + 1) % 10)
    got = numbers([f"Mobile: {first} / {second}"], region="IN")
    assert got == [first_e164, first_e164[:-1] + second[-1]]


@pytest.mark.parametrize("region", ["KR", "JP", "CN", "TW"])
def test_groups_printed_with_middle_dots(region: str) -> None:
    number = phonenumbers.example_number_for_type(region, PhoneNumberType.MOBILE)
    assert number is not None
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    intl = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    dotted = " · ".join(intl.replace("-", " ").split())
    assert typed([f"M {dotted}"]) == [(e164, "cell")]


def test_a_national_number_printed_with_middle_dots_without_a_region() -> None:
    assert typed(["M 010 · 2000 · 0000"]) == [("01020000000", "cell")]


def test_full_width_digits_and_dashes() -> None:
    printed, e164 = example("JP")
    wide = printed.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789-()"})
    assert numbers(["やまだ たろう", f"TEL {wide}"]) == [e164]


# -- CJK labels and mobile ranges, and the mark in the scan JSON ---------------------------

@pytest.mark.parametrize(("region", "script_line", "label", "kind", "ptype"), [
    ("KR", "김민준", "휴대폰", "cell", PhoneNumberType.MOBILE),
    ("KR", "김민준", "핸드폰", "cell", PhoneNumberType.MOBILE),
    ("KR", "김민준", "H.P", "cell", PhoneNumberType.MOBILE),
    ("KR", "김민준", "C.P.", "cell", PhoneNumberType.MOBILE),
    ("KR", "김민준", "팩스", "fax", PhoneNumberType.FIXED_LINE),
    ("KR", "김민준", "전화", "work", PhoneNumberType.FIXED_LINE),
    ("JP", "やまだ たろう", "携帯", "cell", PhoneNumberType.MOBILE),
    ("JP", "やまだ たろう", "ファックス", "fax", PhoneNumberType.FIXED_LINE),
    ("CN", "王小明 销售经理", "手机", "cell", PhoneNumberType.MOBILE),
    ("CN", "王小明 销售经理", "传真", "fax", PhoneNumberType.FIXED_LINE),
    ("TW", "陳大文 業務經理", "手機", "cell", PhoneNumberType.MOBILE),
    ("TW", "陳大文 業務經理", "傳真", "fax", PhoneNumberType.FIXED_LINE),
])
def test_cjk_labels_give_the_type(region: str, script_line: str, label: str, kind: str,
                                  ptype: int) -> None:
    printed, e164 = example(region, ptype)
    for sep in (" ", ":", "："):
        assert typed([script_line, f"{label}{sep}{printed}"]) == [(e164, kind)]


@pytest.mark.parametrize("region", ["KR", "JP", "CN", "TW"])
def test_an_unlabelled_mobile_of_the_region_is_a_cell_phone(region: str) -> None:
    printed, e164 = example(region, PhoneNumberType.MOBILE)
    assert typed([f"{printed}"], region=region) == [(e164, "cell")]


def test_a_plus_code_closed_with_a_parenthesis() -> None:
    # '+82)10-...' for '+82)' '(0)10-...'
    mobile = phonenumbers.example_number_for_type("KR", PhoneNumberType.MOBILE)
    assert mobile is not None
    national = str(mobile.national_number)
    e164 = phonenumbers.format_number(mobile, PhoneNumberFormat.E164)
    assert numbers([f"M +82){national[:2]}-{national[2:6]}-{national[6:]}"]) == [e164]


def test_a_national_number_is_marked_in_the_scan_json() -> None:
    contact = parse_page(OcrPage.from_lines(["Tel. 030 1234567"]))
    assert contact.to_dict()["phones"][0]["national"] is True
    contact = parse_page(OcrPage.from_lines(["Tel. +49 30 1234567"]))
    assert "national" not in contact.to_dict()["phones"][0]


@pytest.mark.parametrize(("region", "sep"), [("KR", "."), ("TW", "-"), ("JP", " ")])
def test_a_country_code_printed_without_its_plus(region: str, sep: str) -> None:
    # '82.42.555.0193', '886-3-5550100' on cards printed in English
    number = phonenumbers.example_number_for_type(region, PhoneNumberType.FIXED_LINE)
    assert number is not None
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    intl = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    printed = sep.join(intl.lstrip("+").replace("-", " ").split())
    assert numbers([f"Tel {printed}"]) == [e164]
    assert numbers([f"Tel {printed}"], region=region) == [e164]


def test_chinese_mobiles_under_hangul_that_ocr_made_are_chinese() -> None:
    # OCR made for Korean reads Chinese characters as Hangul
    mobile, e164 = example("CN", PhoneNumberType.MOBILE)
    other = mobile[:-1] + str((int(mobile[-1]) + 1) % 10)
    got = numbers(["주 중 4", f"추 {mobile}", f"그 {other}"])
    assert got == [e164, e164[:-1] + other[-1]]


def test_a_cctld_the_numbers_refute_is_no_region() -> None:
    # '.ac' is Ascension Island's and universities' (x.ac.kr cut short by OCR)
    fixed, fixed_e164 = example("KR")
    lines = ["김민준", "E-mail: kim@example.ac", f"Tel: {fixed}"]
    assert numbers(lines) == [fixed_e164]
    assert numbers(["Kim Example", "E-mail: kim@example.ac", f"Tel: {fixed}"]) == [
        "".join(ch for ch in fixed if ch.isdigit())]


def test_a_cctld_gives_the_region_of_numbers_valid_there() -> None:
    fixed, fixed_e164 = example("FR")
    assert numbers(["Jean Exemple", "jean@exemple.fr", f"Tél. {fixed}"]) == [fixed_e164]


def test_hangul_with_numbers_valid_nowhere_names_no_region() -> None:
    # OCR made for Korean reads an Indian card's words as Hangul: its numbers decide
    printed, _ = example("IN", PhoneNumberType.MOBILE)
    digits = "".join(ch for ch in printed if ch.isdigit()).lstrip("0")
    assert numbers(["거 주 추", f"Mobile {digits}"]) == [digits]


@pytest.mark.parametrize(("region", "script_line", "ext"), [
    ("JP", "やまだ たろう", "内線"), ("CN", "王小明 销售经理", "分机"), ("KR", "김민준", "내선"),
    ("GB", "John Example", "ext."),
])
def test_extensions_are_no_phones(region: str, script_line: str, ext: str) -> None:
    printed, e164 = example(region)
    contact = parse_page(OcrPage.from_lines([script_line, f"Tel {printed} {ext} 123"]),
                         region=region)
    assert [(p.number, p.extension) for p in contact.phones] == [(e164, "123")]
