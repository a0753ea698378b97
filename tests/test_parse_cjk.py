"""Korean, Japanese and Chinese cards (cardpipe/parse/cjk.py), on generated card text.

Every person, company and address here is invented: common family names with given-name
syllables drawn at random, made-up firms and streets in real cities.
"""

from __future__ import annotations

import dataclasses
import random

import pytest

from cardpipe import data
from cardpipe.parse import cjk, parse_page
from cardpipe.parse.address import find_addresses
from cardpipe.parse.segments import build_segments
from cardpipe.scan.page import OcrPage

KO_SURNAMES = list("김이박최정강조윤장임한오서신권황안송")
KO_SYLLABLES = list("민준서연지우현수영호은진성혜재윤하승")
ZH_SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭")
ZH_SYLLABLES = list("伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞")
JA_SURNAMES = ["佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤", "山本", "中村", "小林", "加藤"]
JA_GIVEN = ["翔太", "美咲", "大輔", "陽子", "健一", "由美", "拓也", "直子"]


def _ko_name(rng: random.Random) -> str:
    return rng.choice(KO_SURNAMES) + rng.choice(KO_SYLLABLES) + rng.choice(KO_SYLLABLES)


def _zh_name(rng: random.Random) -> str:
    return rng.choice(ZH_SURNAMES) + "".join(rng.choices(ZH_SYLLABLES, k=rng.choice((1, 2))))


def _page(lines: list[str], heights: list[float]) -> OcrPage:
    return OcrPage.from_lines(lines, heights=heights)


def _squeezed(text: str | None) -> str:
    return (text or "").replace(" ", "")


@pytest.mark.parametrize("seed", range(12))
def test_korean_card(seed: int) -> None:
    rng = random.Random(seed)
    name = _ko_name(rng)
    company = rng.choice(["(주)", "주식회사 "]) + rng.choice(["한빛", "누리", "새솔", "다온"]) + \
        rng.choice(["테크", "소프트", "물산"])
    title = rng.choice(["대표이사", "부장", "책임연구원", "팀장"])
    dept = rng.choice(["영업팀", "연구개발본부", "기술지원센터"])
    district, road = rng.choice([("서초구", "강남대로"), ("마포구", "월드컵로"), ("종로구", "세종대로")])
    address = f"{rng.randint(10000, 99999)} 서울특별시 {district} {road} {rng.randint(1, 400)} " \
        f"{rng.randint(2, 20)}층"
    spaced = " ".join(name) if seed % 2 else name  # letter-spaced, as Tesseract often reads it
    lines = [company, spaced, f"{dept} / {title}", address,
             f"Mobile 010-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
             f"E-mail minjun{seed}@example.co.kr"]
    c = parse_page(_page(lines, [34, 44, 24, 22, 20, 20]))
    assert _squeezed(c.full_name) == name
    assert _squeezed(c.company) == company.replace(" ", "")
    assert c.title is not None and title in c.title and dept in _squeezed(c.title)
    assert c.addresses and c.addresses[0].locality == district
    # as printed: postcode first, the floor last
    assert _squeezed(c.addresses[0].label) == _squeezed(address)
    assert c.phones and c.emails


@pytest.mark.parametrize("seed", range(10))
def test_japanese_card_title_before_department_and_postal_mark(seed: int) -> None:
    rng = random.Random(100 + seed)
    family, given = rng.choice(JA_SURNAMES), rng.choice(JA_GIVEN)
    firm = rng.choice(["みどり", "あおば", "ひかり"]) + rng.choice(["商事", "電機", "物産"])
    # the legal form before or after the name
    company = f"{firm}株式会社" if seed % 2 else f"株式会社{firm}"
    dept, title = rng.choice([("営業部", "部長"), ("総務課", "課長"), ("大宮店", "マネージャー")])
    # OCR reads the postal mark 〒 as テ or デ
    mark = rng.choice(["〒", "テ", "デ"])
    address = f"{mark}{rng.randint(100, 999)}-{rng.randint(1000, 9999)}東京都千代田区丸の内" \
        f"{rng.randint(1, 3)}-{rng.randint(1, 9)}-{rng.randint(1, 9)}"
    name = f"{family} {given}" if seed % 3 == 0 else family + given
    lines = [company, dept, title, name, address, "TEL 03-1234-5678"]
    c = parse_page(_page(lines, [26, 20, 20, 44, 18, 18]))
    assert _squeezed(c.full_name) == family + given
    assert c.company == company
    assert c.title == f"{title}, {dept}"  # the title first, then the department
    assert c.department == dept
    assert c.addresses and c.addresses[0].label.startswith("〒")  # the misread mark mended
    assert c.addresses[0].region == "東京都" and c.addresses[0].locality == "千代田区"


@pytest.mark.parametrize("seed", range(10))
def test_chinese_card_labels_and_glued_lines(seed: int) -> None:
    rng = random.Random(200 + seed)
    name = _zh_name(rng)
    company = rng.choice(["华远", "鑫达", "宏图"]) + rng.choice(["科技", "贸易", "建材"]) + \
        rng.choice(["有限公司", "股份有限公司"])
    title = rng.choice(["总经理", "经理", "主任"])
    street = f"北京市朝阳区建国路{rng.randint(1, 300)}号{rng.randint(2, 30)}楼"
    if seed % 2:
        people = [f"{title}{name}"]  # the title glued before the name
    else:
        people = [name, title]
    lines = [company, *people, f"地址:{street}", f"手机:139{rng.randint(10000000, 99999999)}"]
    c = parse_page(_page(lines, [30] + [40] * len(people) + [20, 20]))
    assert c.full_name == name
    assert c.title == title
    assert c.company == company
    assert c.addresses and c.addresses[0].label == street  # without its label
    assert c.phones


@pytest.mark.parametrize("seed", range(6))
def test_a_name_glued_to_its_company_is_cut_off_it(seed: int) -> None:
    rng = random.Random(300 + seed)
    name = rng.choice(ZH_SURNAMES) + rng.choice(ZH_SYLLABLES) + rng.choice(ZH_SYLLABLES)
    company = rng.choice(["长春", "大连", "沈阳"]) + rng.choice(["恒远", "金鼎"]) + "钢材批发市场"
    lines = [f"{name}{company}", "地址:吉林省长春市人民大街88号", "电话:0431-8888666"]
    c = parse_page(_page(lines, [36, 20, 20]))
    assert c.full_name == name
    assert c.company == company


@pytest.mark.parametrize(("line", "name"), [("황민준 (Minjun Hwang)", "황민준"),
                                             ("Wei Chen 陈伟", "陈伟"),
                                             ("刘洋 Yang Liu", "刘洋")])
def test_the_latin_form_printed_beside_the_name(line: str, name: str) -> None:
    c = parse_page(_page([line, "鑫达科技有限公司", "技术部 工程师"], [40, 28, 20]))
    assert c.full_name == name


def test_a_name_ocr_cut_in_two_is_joined_again() -> None:
    # one printed line read as two words far apart: family and given name
    page = OcrPage.from_lines(["株式会社みどり商事", "高橋", "大輔", "東京都港区芝公園4-2-8"],
                              heights=[24, 44, 44, 18])
    words = list(page.words)
    lines = list(page.lines)
    # put 大輔 on 高橋's row, well to the right (a wide gap cuts it into its own segment)
    from dataclasses import replace
    first, second = lines[1], lines[2]
    w = words[second.words[0]]
    x = first.box[0] + first.box[2] + 400
    words[second.words[0]] = replace(w, box=(x, first.box[1], w.box[2], w.box[3]), line=1)
    lines[1] = replace(first, words=first.words + second.words, text="高橋 大輔",
                       box=(first.box[0], first.box[1], x + w.box[2] - first.box[0], first.box[3]))
    del lines[2]
    for i, ln in enumerate(lines[2:], start=2):
        for wi in ln.words:
            words[wi] = replace(words[wi], line=i)
    c = parse_page(replace(page, words=tuple(words), lines=tuple(lines)))
    assert _squeezed(c.full_name) == "高橋大輔"


@pytest.mark.parametrize(("text", "kind"), [
    ("정 용 한", "hangul"), ("株式会社ニトリ", "kana"), ("总经理", "han"), ("Anna Schmidt", None)])
def test_script(text: str, kind: str | None) -> None:
    assert cjk.script(text) == kind


def test_a_latin_card_is_not_cjk_and_parses_as_before() -> None:
    lines = ["Anna Schmidt", "Sales Manager", "ACME GmbH", "Hauptstr. 5, 10115 Berlin"]
    assert not cjk.is_cjk(lines)
    c = parse_page(OcrPage.from_lines(lines, heights=[40, 20, 28, 18]))
    assert c.full_name == "Anna Schmidt"
    # a stray CJK character in a Latin card does not make it CJK
    assert not cjk.is_cjk([*lines, "株"])


@pytest.mark.parametrize(("text", "squeezed"), [
    ("정 용 한", "정용한"), ("서 울 특 별시 서초구 강 남 대 로", "서울특별시 서초구 강남대로"),
    ("東 京 都 千代田区", "東京都千代田区"), ("소장 / 공 학 박사", "소장 / 공학박사")])
def test_squeeze_drops_letter_spacing_but_keeps_korean_word_spaces(text: str,
                                                                    squeezed: str) -> None:
    assert cjk.squeeze(text) == squeezed


@pytest.mark.parametrize(("address", "country"), [
    ("서울특별시 마포구 월드컵로 12", "KR"), ("〒100-0005 東京都千代田区丸の内1-1-1", "JP"),
    ("台北市大安區信義路四段1號", "TW"), ("上海市浦东新区世纪大道100号", "CN")])
def test_a_cjk_address_is_read_with_its_country(address: str, country: str) -> None:
    assert cjk.is_address(address)  # so the name / company reader leaves it alone
    hits = find_addresses(build_segments(OcrPage.from_lines(["株式会社テスト", address])), [])
    assert [(h.address.label, h.country) for h in hits] == [(address, country)]


def test_the_conventions_file_has_each_entry_once_per_kind() -> None:
    kinds: dict[str, list[str]] = {}
    for kind, entries in data.read_rows("parse_cjk.tsv"):
        kinds.setdefault(kind, []).extend(entries.split())
    assert set(kinds) == {"surname", "title", "department", "company", "organisation",
                          "address", "label"}
    for kind, entries in kinds.items():
        assert len(entries) == len(set(entries)), (kind, [e for e in entries
                                                         if entries.count(e) > 1])


def _beside(page: OcrPage, left: int, right: int) -> OcrPage:
    """``page`` with line ``right`` moved onto line ``left``'s row, to its right: one printed
    line that OCR returned as two, in either order."""
    lx, ly, lw, _ = page.lines[left].box
    rx, ry, _, _ = page.lines[right].box
    dx, dy = lx + lw + 120 - rx, ly - ry
    moved = {k for k in page.lines[right].words}
    words = tuple(dataclasses.replace(w, box=(w.box[0] + dx, w.box[1] + dy, *w.box[2:]))
                  if k in moved else w for k, w in enumerate(page.words))
    b = page.lines[right].box
    lines = tuple(dataclasses.replace(ln, box=(b[0] + dx, b[1] + dy, *b[2:]))
                  if k == right else ln for k, ln in enumerate(page.lines))
    return dataclasses.replace(page, words=words, lines=lines)


@pytest.mark.parametrize("seed", range(8))
def test_a_korean_address_read_as_areas_and_road_pieces_is_one_address(seed: int) -> None:
    rng = random.Random(300 + seed)
    district, road = rng.choice([("서초구", "강남대로"), ("마포구", "월드컵로"), ("종로구", "세종대로")])
    city = rng.choice(["서울특별시", "서울 특별시"])  # the area name cut in two by OCR
    areas, street = f"{city} {district}", f"{road} {rng.randint(1, 400)} {rng.randint(2, 20)}층"
    order = [areas, street] if seed % 2 else [street, areas]  # OCR may return either first
    lines = ["(주)한빛테크", "김민준", "영업팀 / 팀장", *order, "Mobile 010-2345-6789"]
    page = _page(lines, [34, 44, 24, 22, 22, 20])
    if seed % 4 < 2:  # side by side on one printed row
        page = _beside(page, 3, 4) if seed % 2 else _beside(page, 4, 3)
    c = parse_page(page)
    assert c.addresses, lines
    a = c.addresses[0]
    assert (a.region, a.locality) == ("서울특별시", district)
    assert _squeezed(a.label) == _squeezed(f"{areas} {street}")
    assert [p.number for p in c.phones] == ["+821023456789"]
