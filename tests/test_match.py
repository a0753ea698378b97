"""Matching: comparison levels as tables, then the decisions the issue asks for."""

from __future__ import annotations

import json
import time

import pytest

from cardpipe.contact import Address, Contact, Email, Phone, Social
from cardpipe.errors import ConfigError
from cardpipe.match import (
    MatchIndex,
    company_key,
    decide,
    features,
    find_duplicates,
    load_model,
    name_key,
    score,
)
from cardpipe.match.compare import (
    compare_company,
    compare_email,
    compare_mobile,
    compare_name,
    compare_phone,
    compare_social,
)

MODEL = load_model()
_uid = iter(range(10**9))


def person(
    name: str,
    company: str | None = None,
    emails: tuple[str, ...] = (),
    phones: tuple[tuple[str, str], ...] = (),
    *,
    uid: str | None = None,
    middle: str | None = None,
    address: Address | None = None,
    social: tuple[Social, ...] = (),
) -> Contact:
    given, _, family = name.rpartition(" ")
    return Contact(
        full_name=name,
        given_name=given or None,
        family_name=family,
        middle_name=middle,
        company=company,
        emails=[Email(e) for e in emails],
        phones=[Phone(n, t) for n, t in phones],
        addresses=[address] if address else [],
        social=social,
        uid=uid or f"u{next(_uid)}",
    )


def feats(c: Contact):
    return features(c, MODEL)


def no_tf(kind: str, key: str) -> int:
    return 1


# -- normalisation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right"),
    [("Müller", "Muller"), ("Müller", "Mueller"), ("MÜLLER", "müller"), ("Strauß", "Strauss")],
)
def test_name_key_folds_diacritics_and_transcriptions(left: str, right: str) -> None:
    assert name_key(left) == name_key(right)


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("ACME Holding GmbH & Co. KG", "acme holding"),
        ("Initech, Inc.", "initech"),
        ("The Coca-Cola Company", "coca cola"),
        ("Société Générale S.A.", "societe generale"),
        ("Taliercio s.r.l.", "taliercio"),
        ("Rousseau S.A.R.L.", "rousseau"),  # four initials: four tokens
        ("Kowalski Sp. z o.o.", "kowalski"),
        ("Weber e.K.", "weber"),
        ("Smith, Jones and Brown", "smith jones and brown"),
    ],
)
def test_company_key_strips_legal_suffixes(raw: str, key: str) -> None:
    assert company_key(raw, MODEL.company_suffixes) == key


# -- comparison levels (left, right -> level) -------------------------------------------


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        (person("John Smith"), person("John Smith"), "exact"),
        (person("John Smith"), person("JOHN SMITH"), "exact"),
        (person("Hans Müller"), person("Hans Mueller"), "normalised"),
        (person("Renée Dubois"), person("Renee Dubois"), "normalised"),
        (Contact(given_name="Lucas", family_name="Barroso Jara"), person("Lucas Barroso"),
         "normalised"),
        (person("Bob Smith"), person("Robert Smith"), "nickname"),
        (person("Kate Jones"), person("Katherine Jones"), "nickname"),
        (person("John Smlth"), person("John Smith"), "fuzzy"),
        (person("Jonh Smith"), person("John Smith"), "fuzzy"),
        (person("Jérôrne Lebreton"), person("Jérôme Lebreton"), "fuzzy"),
        (person("Arny Freeman"), person("Amy Freeman"), "fuzzy"),
        (person("J0hn Hal1"), person("John Hall"), "normalised"),
        (person("Bob Smith"), person("Rob Smith"), "nickname"),
        # two nicknames of one name (Katherine; Margaret) are weaker than a nickname
        (person("Kate Lane"), person("Kathy Lane"), "fuzzy"),
        (person("Peggy Lane"), person("Maggie Lane"), "fuzzy"),
        (person("J. Smith"), person("John Smith"), "initial"),
        (person("John Smith", middle="A."), person("John Smith", middle="B."), "middle_differs"),
        (person("John Smith", middle="Q."), person("John Smith"), "exact"),
        (person("Mary Smith"), person("John Smith"), "family_only"),
        (person("Jane Doe"), person("John Smith"), "different"),
        (person("Smith John"), person("John Smith"), "normalised"),
    ],
)
def test_name_levels(left: Contact, right: Contact, level: str) -> None:
    assert compare_name(feats(left), feats(right), MODEL.comparisons["name"].params).level == level


def test_name_missing_on_one_side_gives_no_evidence() -> None:
    assert compare_name(feats(Contact(company="Acme")), feats(person("John Smith")), {}).level is None


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        (("John Smith", "j.smith@acme.com"), ("John Smith", "J.Smith@ACME.com"), "exact"),
        (("John Smith", "info@acme.com"), ("Jane Doe", "info@acme.com"), "shared"),
        (("John Smith", "j.smlth@acme.com"), ("John Smith", "j.smith@acme.com"), "fuzzy"),
        (("John Smith", "john.smith@initech.com"), ("John Smith", "john.smith@acme.com"),
         "same_local"),
        (("Jane Doe", "jane.doe@acme.com"), ("John Smith", "john.smith@acme.com"), "same_domain"),
        # numbered second account: not a misread
        (("Jane Doe", "jane.doe2@acme.com"), ("Jane Doe", "jane.doe@acme.com"), "same_domain"),
        # the addresses differ exactly as the names do: another person
        (("Jon Smith", "jon.smith@acme.com"), ("John Smith", "john.smith@acme.com"),
         "same_domain"),
        (("Rebecca Fernandez", "rebeccaf@acme.com"), ("Rebecca Hernandez", "rebeccah@acme.com"),
         "same_domain"),
        # an l read as 1 is a misread; another number is another account
        (("Fiona Hall", "fiona.ha1l@acme.com"), ("Fiona Hall", "fiona.hall@acme.com"), "fuzzy"),
        (("Tess Fortuyn", "tess.fortuyn30@hotmail.nl"),
         ("Tess Fortuyn", "tessfortuyn45@hotmail.nl"), "different"),
        (("John Smith", "js@gmail.com"), ("John Smith", "john@acme.com"), "different"),
    ],
)
def test_email_levels(left: tuple[str, str], right: tuple[str, str], level: str) -> None:
    a = feats(person(left[0], emails=(left[1],)))
    b = feats(person(right[0], emails=(right[1],)))
    assert compare_email(a, b, MODEL.comparisons["email"].params, no_tf).level == level


@pytest.mark.parametrize(
    ("left", "right", "count", "level"),
    [
        (("+491701234567", "cell"), ("+491701234567", "other"), 1, "exact"),
        # a German 0170 number is a mobile even when nobody typed it
        (("+491701234567", "other"), ("+491701234567", "work"), 1, "exact"),
        # written nationally on one card, internationally on the other
        (("0170 1234567", "cell"), ("+491701234567", "other"), 1, "exact"),
        (("+491701234567", "cell"), ("+491701234567", "cell"), 3, "shared"),
        (("+491701234567", "cell"), ("+491709999999", "cell"), 1, "different"),
        (("+491701234567", "cell"), ("+4930123456", "work"), 1, None),
    ],
)
def test_mobile_levels(
    left: tuple[str, str], right: tuple[str, str], count: int, level: str | None
) -> None:
    a = feats(person("A B", phones=(left,)))
    b = feats(person("A B", phones=(right,)))
    out = compare_mobile(a, b, MODEL.comparisons["mobile"].params, lambda kind, key: count)
    assert out.level == level


@pytest.mark.parametrize(
    ("left", "right", "count", "level"),
    [
        (("+4930123456", "work"), ("+4930123456", "work"), 1, "exact"),
        (("+4930123456", "work"), ("+4930123456", "work"), 5, "shared"),
        (("030 1234 5678", "work"), ("+493012345678", "work"), 1, "exact"),
        (("(212) 555-0100", "work"), ("+12125550100", "work"), 1, "exact"),
        (("1234 5678", "work"), ("+493012345678", "work"), 1, "suffix"),
        (("+4930123456", "work"), ("+4940999999", "work"), 1, "different"),
        (("+4930123456", "work"), ("+491701234567", "cell"), 1, None),
    ],
)
def test_landline_levels(
    left: tuple[str, str], right: tuple[str, str], count: int, level: str | None
) -> None:
    a = feats(person("A B", phones=(left,)))
    b = feats(person("A B", phones=(right,)))
    out = compare_phone(a, b, MODEL.comparisons["phone"].params, lambda kind, key: count)
    assert out.level == level


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        (("Acme GmbH", ()), ("ACME", ()), "exact"),
        (("Acme Europe", ("a@acme.com",)), ("Acme Corporation", ("b@acme.com",)), "domain"),
        (("Initech Software", ()), ("Initech Software Solutions", ()), "fuzzy"),
        (("Acme GmbH", ()), ("Initech LLC", ()), "different"),
        ((None, ("a@gmail.com",)), ("Initech", ("b@gmail.com",)), None),
    ],
)
def test_company_levels(left: tuple, right: tuple, level: str | None) -> None:
    a = feats(person("A B", left[0], left[1]))
    b = feats(person("A B", right[0], right[1]))
    assert compare_company(a, b, MODEL.comparisons["company"].params).level == level


def test_social_handles_on_the_same_service_must_agree() -> None:
    a = feats(person("A B", social=(Social("linkedin", "jsmith"),)))
    b = feats(person("A B", social=(Social("linkedin", "JSmith"),)))
    c = feats(person("A B", social=(Social("linkedin", "john-smith-77"),)))
    assert compare_social(a, b, {}).level == "exact"
    assert compare_social(a, c, {}).level == "different"


# -- decisions ------------------------------------------------------------------------


def test_nickname_and_dropped_diacritics_merge() -> None:
    book = [person("Robert Müller", "Acme GmbH", ("r.mueller@acme.de",),
                   (("+4930123456", "work"),), uid="rm")]
    incoming = person("Bob Muller", "ACME", ("r.mueller@acme.de",))
    d = decide(incoming, MatchIndex(book), MODEL)
    assert (d.kind, d.target) == ("merged", "rm")
    assert "name: nickname (Bob ~ Robert)" in d.reasons
    assert "email: exact (r.mueller@acme.de)" in d.reasons


@pytest.mark.parametrize(("family", "given", "company", "other_given"), [
    ("長谷川", "千代", "合同会社テスト電機", "美咲"), ("김", "민준", "(주)한빛테크", "서연"),
    ("Петров", "Иван", "ООО Ромашка", "Сергей"), ("Παπαδόπουλος", "Νίκος", "Δέλτα ΑΕ", "Γιώργος")])
def test_names_and_companies_in_other_scripts_are_compared_like_latin_ones(
        family: str, given: str, company: str, other_given: str) -> None:
    # the same card read twice (its phone written differently) merges; a colleague does not
    book = [Contact(family_name=family, given_name=given, full_name=f"{family} {given}",
                    company=company, phones=(Phone("+81312345678", "work"),), uid="b")]
    again = Contact(family_name=family, given_name=given, full_name=f"{family}{given}",
                    company=company, phones=(Phone("+81 3 1234 5678", "work"),))
    d = decide(again, MatchIndex(book), MODEL)
    assert (d.kind, d.target) == ("merged", "b")
    assert any(r.startswith("name: exact") or r.startswith("name: normalised")
               for r in d.reasons), d.reasons
    colleague = Contact(family_name=family, given_name=other_given, company=company,
                        full_name=f"{family} {other_given}",
                        phones=(Phone("+81312345678", "work"),))
    assert decide(colleague, MatchIndex(book), MODEL).kind != "merged"


def test_namesakes_at_different_companies_stay_apart() -> None:
    book = [person("John Smith", "Acme Inc", ("john.smith@acme.com",),
                   (("+12125550101", "work"),), uid="acme")]
    incoming = person("John Smith", "Initech LLC", ("john.smith@initech.com",),
                      (("+13105550199", "work"),))
    d = decide(incoming, MatchIndex(book), MODEL)
    assert d.kind == "new"
    assert "company: different (Initech LLC vs Acme Inc)" in d.reasons


def test_same_name_same_company_with_other_address_is_not_merged() -> None:
    book = [person("John Smith", "Acme Inc", ("john.smith@acme.com",), uid="a")]
    incoming = person("John Smith", "Acme Inc", ("john.smith2@acme.com",))
    assert decide(incoming, MatchIndex(book), MODEL).kind != "merged"


def test_colleagues_sharing_switchboard_stay_apart() -> None:
    switchboard = ("+4989123400", "work")
    office = Address(street="Hauptstr. 1", locality="München", postcode="80331")
    book = [
        person(name, "Acme GmbH", (mail,), (switchboard,), address=office, uid=name)
        for name, mail in [("Anna Weber", "a.weber@acme.de"), ("Jonas Weber", "j.weber@acme.de"),
                           ("Petra Klein", "p.klein@acme.de")]
    ]
    for name, mail in [("Lena Weber", "l.weber@acme.de"), ("Jan Klein", "j.klein@acme.de")]:
        d = decide(person(name, "Acme GmbH", (mail,), (switchboard,), address=office),
                   MatchIndex(book), MODEL)
        assert d.kind == "new", d.reasons


def test_family_members_sharing_home_stay_apart() -> None:
    home = Address(street="12 Elm Street", locality="Springfield", postcode="12345")
    book = [person("Homer Simpson", None, ("homer@gmail.com",), (("+15555550123", "home"),),
                   address=home, uid="homer")]
    incoming = person("Marge Simpson", None, ("marge@gmail.com",), (("+15555550123", "home"),),
                      address=home)
    assert decide(incoming, MatchIndex(book), MODEL).kind == "new"


def test_job_change_with_same_mobile_merges() -> None:
    book = [person("Julia Fischer", "Acme GmbH", ("j.fischer@acme.de",),
                   (("+491761234567", "cell"), ("+4989123400", "work")), uid="jf")]
    incoming = person("Julia Fischer", "Initech AG", ("julia.fischer@initech.de",),
                      (("+49 176 1234567", "other"),))
    incoming = incoming.replace(phones=[Phone("+491761234567", "cell", "+49 176 1234567")])
    d = decide(incoming, MatchIndex(book), MODEL)
    assert (d.kind, d.target) == ("merged", "jf")
    assert "mobile: exact (+491761234567)" in d.reasons


def test_job_change_with_same_personal_email_merges() -> None:
    book = [person("Marco Rossi", "Alfa SpA", ("m.rossi@alfa.it", "marco.rossi@libero.it"),
                   uid="mr")]
    incoming = person("Marco Rossi", "Beta Srl", ("mrossi@beta.it", "marco.rossi@libero.it"))
    assert decide(incoming, MatchIndex(book), MODEL).kind == "merged"


def test_name_alone_never_merges() -> None:
    book = [person("Zebulon Quackenbush", "Acme", ("zq@acme.com",), uid="zq")]
    for incoming in (person("Zebulon Quackenbush"),
                     person("Zebulon Quackenbush", None, ("zebulon@gmail.com",))):
        assert decide(incoming, MatchIndex(book), MODEL).kind != "merged"


def test_a_strong_identifier_with_a_conflicting_name_goes_to_review() -> None:
    book = [person("Alice Martin", "Acme", ("a.martin@acme.com",),
                   (("+33612345678", "cell"),), uid="am")]
    incoming = person("Sales Manager", "Acme", ("a.martin@acme.com",),
                      (("+33612345678", "cell"),))
    d = decide(incoming, MatchIndex(book), MODEL)
    assert (d.kind, d.target) == ("review", "am")


def test_shared_context_counts_once() -> None:
    office = Address(street="1 Main St", locality="Springfield", postcode="12345")
    board = ("+12125550000", "work")
    index = MatchIndex([person("Ann Lee", "Acme", (), (board,), address=office, uid="a")])
    only_company = score(person("Ann Lee", "Acme"), "a", index, MODEL)
    everything = score(person("Ann Lee", "Acme", (), (board,), address=office), "a", index,
                       MODEL)
    strongest = max(f.weight for f in everything.fields if f.cls == "context")
    name = next(f.weight for f in everything.fields if f.field == "name")
    assert everything.log_odds == pytest.approx(MODEL.prior_bits(1) + name + strongest)
    assert everything.log_odds >= only_company.log_odds
    assert len([f for f in everything.fields if f.cls == "context"]) == 3


def test_card_photographed_twice_merges_within_the_batch() -> None:
    index = MatchIndex([person("Other Person", "X", ("o@x.com",), uid="o")])
    first = person("Nadia Haddad", "Orbit Labs", ("nadia@orbitlabs.io",),
                   (("+447700900123", "cell"),), uid="n1")
    assert decide(first, index, MODEL).kind == "new"
    index.add(first)
    second = person("Nadia Hadad", "Orbit Labs Ltd", ("nadia@orbitlabs.io",), uid="n2")
    d = decide(second, index, MODEL)
    assert (d.kind, d.target) == ("merged", "n1")


def test_no_chained_merge() -> None:
    # A (the book) and C conflict; B bridges them.  B is merged into A; C matches the
    # merged record through B's mobile but must not be merged: A~C does not hold.
    a = person("Sam Taylor", "Acme", ("sam.taylor@acme.com",), uid="A")
    b = person("S. Taylor", None, ("sam.taylor@acme.com",), (("+447700900555", "cell"),))
    c = person("Samantha Taylor", "Acme", ("samantha.taylor@acme.com",),
               (("+447700900555", "cell"),))
    index = MatchIndex([a])
    assert decide(b, index, MODEL).kind == "merged"
    merged = a.replace(phones=b.phones)  # what merge() does with B's mobile
    index.add(merged, merged_from=b)
    d = decide(c, index, MODEL)
    assert d.kind != "merged"
    # Without B's history the record itself already disagrees on the e-mail address.
    assert any(r.startswith("email: same domain") for r in d.reasons)


def test_no_chained_merge_through_a_merged_card() -> None:
    # A~B (same mobile), B~C (same e-mail), A and C are in conflict on the handle:
    # the record carries no handle from A's side, only the member check can see it.
    a = person("Lee Chen", None, (), (("+447700900777", "cell"),), uid="A",
               social=(Social("github", "leechen"),))
    b = person("Lee Chen", None, ("lee@chen.dev",), (("+447700900777", "cell"),))
    c = person("Lee Chen", None, ("lee@chen.dev",), social=(Social("github", "lchen-other"),))
    index = MatchIndex([a.replace(social=())])
    assert decide(b, index, MODEL).kind == "merged"
    index.add(a.replace(social=(), emails=b.emails, phones=b.phones), merged_from=b)
    index._members["A"].insert(0, feats(a))  # A's own card as first member
    d = decide(c, index, MODEL)
    assert d.kind == "review"
    assert any("conflicts with a card merged earlier" in r for r in d.reasons)


def test_giant_switchboard_block_does_not_explode() -> None:
    board = ("+12125550000", "work")
    given = ["Ada", "Ben", "Cleo", "Dov", "Eva", "Finn", "Gus", "Hana", "Ivo", "Jun"] * 3
    family = [f"{a}{b}" for a in ("Berg", "Stein", "Feld", "Wald") for b in
              ("mann", "er", "hof", "ner", "ler", "ert", "inger", "acher", "auer", "ig",
               "ling", "ow", "ski", "sen", "ström")]
    names = [f"{g} {f}" for g in given[:10] for f in family][:600]
    names += [f"{g}a {f}" for g in given[:10] for f in family][: 600 - len(names)]
    book = [person(name, "Megacorp", (f"p{i}@megacorp.com",), (board,), uid=f"m{i}")
            for i, name in enumerate(names)]
    index = MatchIndex(book)
    incoming = person(names[7], "Megacorp", ("p7@megacorp.com",), (board,))
    assert len(index.candidates(incoming)) <= MODEL.max_candidates
    start = time.perf_counter()
    d = decide(incoming, index, MODEL)
    assert time.perf_counter() - start < 1.0
    assert (d.kind, d.target) == ("merged", "m7")
    assert any("shared" in r and "on 600 contacts" in r for r in d.reasons)


def test_candidates_come_from_blocking_keys_only() -> None:
    index = MatchIndex([person("Ana Lima", "Foo", ("ana@foo.br",), uid="x")])
    assert index.candidates(person("Bruno Costa", "Bar", ("bruno@bar.br",))) == []
    assert [c.uid for c in index.candidates(person("Ana Lima"))] == ["x"]


def test_index_add_replaces_by_uid() -> None:
    index = MatchIndex([person("Ana Lima", uid="x")])
    index.add(person("Ana Lima-Souza", uid="x"))
    assert len(index) == 1 and index.get("x").family_name == "Lima-Souza"
    with pytest.raises(ValueError):
        index.add(Contact(full_name="No Uid"))


def test_decision_to_dict_is_json_ready() -> None:
    book = [person("Robert Müller", "Acme GmbH", ("r.mueller@acme.de",), uid="rm")]
    d = decide(person("Bob Muller", "ACME", ("r.mueller@acme.de",)), MatchIndex(book), MODEL)
    out = json.loads(json.dumps(d.to_dict()))
    assert out["kind"] == "merged" and out["target"] == "rm"
    assert 0.99 <= out["score"] <= 1 and out["reasons"] == d.reasons


def test_empty_index_says_new() -> None:
    d = decide(person("Ana Lima"), MatchIndex(), MODEL)
    assert (d.kind, d.target, d.score) == ("new", None, 0.0)


# -- duplicates inside a book ---------------------------------------------------------------


def test_find_duplicates_groups_only_where_every_pair_matches() -> None:
    a = person("Sam Taylor", "Acme", ("sam.taylor@acme.com",), uid="A")
    b = person("Sam Taylor", "Acme", ("sam.taylor@acme.com",), (("+447700900555", "cell"),),
               uid="B")
    c = person("Samantha Taylor", "Acme", ("samantha.taylor@acme.com",),
               (("+447700900555", "cell"),), uid="C")
    d = person("Bob Smith", "Initech", ("bob@initech.com",), uid="D")
    e = person("Robert Smith", "Initech Inc", ("bob@initech.com",), uid="E")
    groups = find_duplicates([a, b, c, d, e], MODEL)
    assert [g.uids for g in groups] == [["A", "B"], ["D", "E"]]
    assert groups[1].score >= MODEL.merge_probability
    assert "name: nickname (Robert ~ Bob)" in groups[1].reasons
    assert groups[0].to_dict()["uids"] == ["A", "B"]


# -- the model as data ----------------------------------------------------------------------


def test_model_loads_from_a_file(tmp_path) -> None:
    from importlib import resources

    data = json.loads(
        resources.files("cardpipe").joinpath("data/match_model.json").read_text("utf-8")
    )
    data["thresholds"]["merge"] = 0.5
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data), "utf-8")
    model = load_model(path)
    assert model.merge_probability == 0.5
    assert model.comparisons.keys() == MODEL.comparisons.keys()


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        '{"comparisons": {"name": {"levels": [{"level": "x"}]}}}',
        '{"comparisons": {"name": {"levels": [{"level": "exact", "m": 0.9, "u": 0.1}]}}}',
        '{"comparisons": {"shoe_size": {"levels": []}}}',
    ],
)
def test_bad_model_file_is_a_config_error(tmp_path, content: str) -> None:
    path = tmp_path / "model.json"
    path.write_text(content, "utf-8")
    with pytest.raises(ConfigError):
        load_model(path)


def test_missing_model_file_is_a_config_error(tmp_path) -> None:
    with pytest.raises(ConfigError):
        load_model(tmp_path / "nope.json")


def test_full_name_only_contacts_are_split_for_matching() -> None:
    book = [Contact(full_name="Dr. Maria Luisa Gómez", emails=[Email("mlg@uni.es")], uid="m")]
    incoming = Contact(given_name="Maria", family_name="Gomez", emails=[Email("mlg@uni.es")])
    d = decide(incoming, MatchIndex(book), MODEL)
    assert (d.kind, d.target) == ("merged", "m")
    assert d.reasons[0].startswith("name: normalised")


def test_a_contact_already_in_the_index_does_not_match_itself() -> None:
    c = person("Ana Lima", "Foo", ("ana@foo.br",), uid="x")
    index = MatchIndex([c])
    assert decide(c, index, MODEL).kind == "new"
    index.remove("x")
    assert len(index) == 0 and index.candidates(c) == []
