"""The labelled sample generator (samples/generate.py) and the committed sample set."""

from __future__ import annotations

import importlib.util
import json
import math
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
