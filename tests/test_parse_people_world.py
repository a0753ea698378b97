"""Names, titles and companies as cards around the world print them (issue 13).

Every card here is invented: names and companies from Faker's locales, titles and units
from the conventions of each country's cards."""

from __future__ import annotations

import pytest
from faker import Faker

from cardpipe.parse import cjk_people as cjk

from .conftest import parse

SEEDS = range(8)


def _fake(locale: str, seed: int) -> Faker:
    fake = Faker(locale)
    fake.seed_instance(seed)
    return fake


# -- CJK: the name, two to four characters, family name first -----------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("locale", ["zh_CN", "zh_TW", "ja_JP", "ko_KR"])
def test_a_cjk_name_line_is_the_name_and_the_company_keeps_its_legal_form(
        locale: str, seed: int) -> None:
    fake = _fake(locale, seed)
    name = fake.last_name() + fake.first_name()
    company = fake.company()
    if not cjk.legal_form(company):  # (Faker's ko_KR companies are not all registered ones)
        company = f"(주){company}" if locale == "ko_KR" else f"{company}有限公司"
    c = parse([company, name, f"Tel {fake.phone_number()}"], heights=[30, 44, 18])
    assert c.full_name == name
    assert c.company == company


@pytest.mark.parametrize("seed", SEEDS)
def test_a_letter_spaced_korean_name_is_the_name(seed: int) -> None:
    fake = _fake("ko_KR", seed)
    name = fake.last_name() + fake.first_name()
    spaced = " ".join(name)
    c = parse([f"주식회사 {fake.last_name()}테크", spaced, "팀장", "M 010 1234 5678"],
              heights=[28, 40, 20, 18])
    assert cjk.compact(c.full_name or "") == name
    assert c.title == "팀장"


@pytest.mark.parametrize("rank,unit", [("営業マネージャー", "新宿店"), ("課長", "経理部"),
                                       ("經理", "工程技術部"), ("專案經理", "策略發展辦公室"),
                                       ("팀장", "인공지능팀")])
def test_a_cjk_title_is_joined_with_its_unit_the_rank_first(rank: str, unit: str) -> None:
    # the unit printed above the rank, as many Japanese cards do; the label reads rank, unit
    c = parse(["株式会社サンプル", "山田太郎", unit, rank, "TEL 03-1234-5678"],
              heights=[24, 44, 20, 20, 16])
    assert c.title == f"{rank}, {unit}"
    assert c.department == unit


def test_a_rank_and_a_unit_on_one_line_rank_first() -> None:
    c = parse(["株式会社サンプル", "佐藤花子", "新宿店 担当", "TEL 03-1234-5678"],
              heights=[24, 44, 20, 16])
    assert c.title == "担当, 新宿店"


@pytest.mark.parametrize("org", ["中華電信研究院", "東洋大學", "서울대학교", "한국정보원", "大地广告"])
def test_a_cjk_organisation_without_a_legal_form_is_the_company(org: str) -> None:
    c = parse([org, "陳志明", "經理", "02-2345-6789"], heights=[30, 44, 20, 16])
    assert c.company == org
    assert c.full_name == "陳志明"


def test_a_unit_is_not_a_name_nor_the_company() -> None:
    c = parse(["株式会社サンプル", "鈴木一郎", "大阪支店"], heights=[24, 44, 20])
    assert c.full_name == "鈴木一郎"
    assert c.company == "株式会社サンプル"
    assert c.title == "大阪支店"  # a card printing only its unit: the line a title has


def test_a_floor_is_not_a_unit() -> None:
    assert not cjk.department_ending("ビル4階BC号室")
    assert cjk.department_ending("住宅企画部")
    assert not cjk.department_ending("部長")  # a rank
