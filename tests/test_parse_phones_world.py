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
