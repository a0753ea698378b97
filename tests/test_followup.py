"""Follow-ups (issue 16, part 2): the state in the vCard, the running list, the .ics
tasks, the e-mail drafts and the ``list`` / ``followup`` commands. Every person here is
invented (Faker, or by hand)."""

from __future__ import annotations

import csv
import datetime as dt
import email
import email.policy
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from faker import Faker
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from cardpipe import followup, pipeline
from cardpipe.book import Book
from cardpipe.cli import cli
from cardpipe.contact import Contact, Email, Phone
from cardpipe.errors import ExitCode, NotFoundError
from cardpipe.followup.state import PROPERTY, FollowUp, read_followups
from cardpipe.sync.config import parse_config

NOW = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)


def _person(fake: Faker, uid: str, **extra: object) -> Contact:
    first, last = fake.first_name(), fake.last_name()
    fields: dict[str, object] = {
        "full_name": f"{first} {last}", "given_name": first, "family_name": last,
        "company": fake.company(), "title": fake.job(), "uid": uid,
        "emails": (Email(f"{first}.{last}@example.org".lower().replace(" ", "")),),
    }
    fields.update(extra)
    return Contact(**fields)  # type: ignore[arg-type]


@pytest.fixture
def fake() -> Faker:
    f = Faker(["en_GB", "de_DE", "fr_FR"])
    f.seed_instance(16)
    return f


def _book(tmp_path: Path, contacts: list[Contact], version: str = "3.0") -> Book:
    path = tmp_path / "book.vcf"
    book = Book.load(path)
    book.version = version
    for c in contacts:
        book.add(c)
    book.save()
    return Book.load(path)


def _lines(book: Book, uid: str) -> list[str]:
    card = book.card(uid)
    assert card is not None
    return [p.raw for p in card.props if p.name == PROPERTY]


# -- the value format ------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(text=st.text(min_size=1, max_size=120).filter(lambda t: t.strip()),
       event=st.one_of(st.none(), st.text(min_size=1, max_size=40)),
       days=st.integers(min_value=0, max_value=4000))
def test_a_followup_value_is_plain_ascii_without_vcard_specials_and_reads_back(
        text: str, event: str | None, days: int) -> None:
    f = FollowUp(id="0123456789ab", text=text, due=dt.date(2026, 1, 1) + dt.timedelta(days),
                 event=event, met=dt.date(2026, 1, 1), created=NOW)
    value = f.to_value()
    assert value.isascii()
    assert not set(value) & set(",;:\\\"\r\n ")  # nothing any vCard version escapes
    assert FollowUp.from_value(value) == f


def test_unknown_keys_of_a_later_version_are_kept_in_place() -> None:
    f = FollowUp.from_value("id=abc&state=open&due=20261201&text=Ring%20back&prio=high")
    assert f.extra == (("prio", "high"),)
    assert f.to_value().endswith("&prio=high")


# -- changing follow-ups in a book ---------------------------------------------------------


def test_an_added_action_is_an_x_property_and_a_readable_note_line(
        tmp_path: Path, fake: Faker) -> None:
    book = _book(tmp_path, [_person(fake, "p1", note="Likes sailing")])
    f = followup.add_action(book, "p1", "Call about the pilot; budget, timing",
                            dt.date(2026, 12, 20), now=NOW)
    book.save()
    again = Book.load(tmp_path / "book.vcf")
    assert followup.followups_of(again, "p1") == [f]
    note = (again.get("p1") or Contact()).note or ""
    assert note.splitlines() == ["Likes sailing",
                                 "Follow-up by 2026-12-20: Call about the pilot; budget, timing"]
    assert len(list(tmp_path.glob("book.vcf.bak-*"))) >= 1  # the book's own backed-up writer


def test_marking_done_replaces_the_note_line_and_the_followup_leaves_the_open_list(
        tmp_path: Path, fake: Faker) -> None:
    book = _book(tmp_path, [_person(fake, "p1"), _person(fake, "p2")])
    first = followup.add_action(book, "p1", "Send the slides", dt.date(2026, 11, 22), now=NOW)
    later = followup.add_action(book, "p1", "Ask for an intro", dt.date(2026, 12, 5), now=NOW)
    other = followup.add_action(book, "p2", "Book a demo", dt.date(2026, 11, 21), now=NOW)
    assert [f.id for _, f in followup.open_followups(book)] == [other.id, first.id, later.id]
    # a contact's UID marks its next follow-up done; a VTODO UID names one exactly
    assert followup.mark_done(book, "p1", now=NOW).id == first.id
    assert followup.mark_done(book, other.vtodo_uid, now=NOW).id == other.id
    assert [f.id for _, f in followup.open_followups(book)] == [later.id]
    note = (book.get("p1") or Contact()).note or ""
    assert "Follow-up done 2026-11-20: Send the slides" in note.splitlines()
    assert "Follow-up by 2026-11-22: Send the slides" not in note
    assert followup.mark_done(book, first.id, now=NOW).state == "done"  # again: no change


def test_an_unknown_uid_is_a_not_found_error(tmp_path: Path, fake: Faker) -> None:
    book = _book(tmp_path, [_person(fake, "p1")])
    with pytest.raises(NotFoundError):
        followup.mark_done(book, "nobody")
    with pytest.raises(NotFoundError):
        followup.mark_done(book, "p1")  # no open follow-up
    with pytest.raises(NotFoundError):
        followup.add_action(book, "nobody", "Call", dt.date(2026, 12, 1))


def test_of_two_copies_of_one_followup_the_done_one_wins(tmp_path: Path, fake: Faker) -> None:
    """Another client (or a merge of an old export) can put an older copy back."""
    book = _book(tmp_path, [_person(fake, "p1")])
    f = followup.add_action(book, "p1", "Send the slides", dt.date(2026, 11, 22), now=NOW)
    open_line = _lines(book, "p1")[0]
    followup.mark_done(book, f.id, now=NOW)
    card = book.card("p1")
    assert card is not None
    book.put_text(card.raw.replace("END:VCARD", open_line + "END:VCARD"), uid="p1")
    assert [g.state for g in followup.followups_of(book, "p1")] == ["done"]
    assert followup.open_followups(book) == []


def test_a_followup_property_this_version_cannot_read_is_kept(tmp_path: Path,
                                                               fake: Faker) -> None:
    book = _book(tmp_path, [_person(fake, "p1")])
    card = book.card("p1")
    assert card is not None
    book.put_text(card.raw.replace("END:VCARD", f"{PROPERTY}:v=9&what=else\r\nEND:VCARD"),
                  uid="p1")
    followup.add_action(book, "p1", "Call", dt.date(2026, 12, 1), now=NOW)
    card = book.card("p1")
    assert card is not None and f"{PROPERTY}:v=9&what=else\r\n" in card.raw
    assert len(read_followups(card)) == 1


@pytest.mark.parametrize("version", ["2.1", "3.0", "4.0"])
def test_every_vcard_version_keeps_the_followup_and_the_rest_of_the_card(
        tmp_path: Path, fake: Faker, version: str) -> None:
    book = _book(tmp_path, [_person(fake, "p1", note="Straße, Zürich; café")], version)
    before = (tmp_path / "book.vcf").read_text(encoding="utf-8")
    f = followup.add_action(book, "p1", "Envoyer le devis à Zoë", dt.date(2026, 12, 1), now=NOW)
    book.save()
    after = Book.load(tmp_path / "book.vcf")
    assert followup.followups_of(after, "p1") == [f]
    contact = after.get("p1")
    assert contact is not None and (contact.note or "").startswith("Straße, Zürich; café")
    names = {"BEGIN", "VERSION", "N", "FN", "ORG", "TITLE", "EMAIL", "UID", "END"}
    kept = [x for x in before.splitlines() if x.split(":")[0].split(";")[0] in names]
    assert len(kept) >= 8
    text = (tmp_path / "book.vcf").read_text(encoding="utf-8")
    assert all(x in text.splitlines() for x in kept)


# -- the first follow-up when cards are merged --------------------------------------------


def test_each_newly_met_person_gets_a_first_followup_due_a_day_later_and_only_once(
        tmp_path: Path, fake: Faker) -> None:
    book = _book(tmp_path, [])
    people = [_person(fake, f"n{i}").replace(uid=None) for i in range(3)]
    incoming = [(f"card{i}.jpg", c) for i, c in enumerate(people)]
    pipeline.merge_into_book(book, incoming, event="Data Days", met_on="2026-11-12", now=NOW)
    opened = followup.open_followups(book)
    assert len(opened) == 3
    for _, f in opened:
        assert f.due == dt.date(2026, 11, 13) and f.event == "Data Days"
        assert f.met == dt.date(2026, 11, 12)
    book.save()
    data = (tmp_path / "book.vcf").read_bytes()
    # the same cards again: nothing new, nothing written
    again = Book.load(tmp_path / "book.vcf")
    pipeline.merge_into_book(again, incoming, event="Data Days", met_on="2026-11-12", now=NOW)
    assert not again.save() and (tmp_path / "book.vcf").read_bytes() == data
    # one of them met again at another event: a second first follow-up, for that meeting
    pipeline.merge_into_book(again, incoming[:1], event="Expo Nord", met_on="2026-11-19",
                             now=NOW, followup_after=dt.timedelta(days=2))
    dues = sorted(f.due for _, f in followup.open_followups(again))
    assert dues == [dt.date(2026, 11, 13)] * 3 + [dt.date(2026, 11, 21)]


def test_a_person_met_before_followups_existed_gets_none_on_a_rerun(
        tmp_path: Path, fake: Faker) -> None:
    person = _person(fake, "old", note="Met at Data Days on 2026-11-12")
    book = _book(tmp_path, [person])
    pipeline.merge_into_book(book, [("card.jpg", person.replace(note=None))],
                             event="Data Days", met_on="2026-11-12", now=NOW)
    assert followup.open_followups(book) == []


def test_followup_after_off_gives_no_followups(tmp_path: Path, fake: Faker) -> None:
    book = _book(tmp_path, [])
    pipeline.merge_into_book(book, [("c.jpg", _person(fake, "x").replace(uid=None))],
                             event="Data Days", met_on="2026-11-12", followup_after=None)
    assert followup.open_followups(book) == []


def test_the_config_takes_followup_after_ics_and_the_users_name(tmp_path: Path) -> None:
    base = {"book": "b.vcf", "watch": [{"path": "photos"}]}
    conf = parse_config({**base, "followup_after": "2d", "ics": "cal/f.ics",
                         "user_name": "Robin Example", "user_email": "robin@example.org"},
                        path=tmp_path / "config.toml")
    assert conf.followup_after == dt.timedelta(days=2)
    assert conf.ics == tmp_path / "cal" / "f.ics"
    assert (conf.user_name, conf.user_email) == ("Robin Example", "robin@example.org")
    assert parse_config(base).followup_after == dt.timedelta(hours=24)
    assert parse_config({**base, "followup_after": "off"}).followup_after is None
    from cardpipe.errors import ConfigError

    for bad in ("soon", "0h", 3):
        with pytest.raises(ConfigError, match="followup_after"):
            parse_config({**base, "followup_after": bad})


# -- the running list ----------------------------------------------------------------------


@pytest.fixture
def met_book(tmp_path: Path, fake: Faker) -> Book:
    people = [
        _person(fake, "a", full_name="Jürgen Müller", company="Großhandel Süd GmbH",
                title="Einkaufsleiter",
                note="Met at Salon Lumière on 2026-11-02"),
        _person(fake, "b", full_name="Ana Peña", title="Jefa de Compras", company="Sol SL",
                note="Met at Data Days on 2026-11-18"),
        _person(fake, "c", full_name="Chloé Durand", title="Directrice", company="Brume SA",
                note="Met at Data Days on 2026-11-18"),
        _person(fake, "d", full_name="Never Met"),  # an old phone contact: not listed
    ]
    book = _book(tmp_path, people)
    followup.add_action(book, "a", "Send the price list", dt.date(2026, 11, 10), now=NOW)
    followup.add_action(book, "b", "Call about the pilot", dt.date(2026, 12, 15), now=NOW)
    followup.add_action(book, "b", "Send the contract", dt.date(2026, 12, 1), now=NOW)
    book.save()
    return book


def test_the_running_list_puts_overdue_first_then_the_next_due_then_the_rest(
        met_book: Book) -> None:
    rows = followup.running_list(met_book, now=NOW)
    assert [r.contact.uid for r in rows] == ["a", "b", "c"]
    assert [r.status(NOW) for r in rows] == ["overdue", "open", ""]
    assert rows[1].next is not None and rows[1].next.text == "Send the contract"


@pytest.mark.parametrize(("query", "uids"), [
    ("muller", ["a"]), ("MÜLLER", ["a"]), ("grosshandel sud", ["a"]), ("lumiere", ["a"]),
    ("jefa compras", ["b"]), ("pena", ["b"]), ("data days", ["b", "c"]), ("chloe", ["c"]),
    ("pilot", ["b"]), ("nobody here", []),
])
def test_search_ignores_case_and_accents_across_names_companies_titles_notes_and_events(
        met_book: Book, query: str, uids: list[str]) -> None:
    rows = followup.running_list(met_book, search=query, now=NOW)
    assert [r.contact.uid for r in rows] == uids


def test_event_and_since_narrow_the_list(met_book: Book) -> None:
    assert [r.contact.uid for r in followup.running_list(met_book, event="data days",
                                                         now=NOW)] == ["b", "c"]
    since = followup.parse_since("14d", NOW)
    assert since == dt.date(2026, 11, 6)
    assert [r.contact.uid for r in followup.running_list(met_book, since=since,
                                                         now=NOW)] == ["b", "c"]
    assert [r.contact.uid for r in followup.running_list(
        met_book, since=followup.parse_since("2026-11-01", NOW), now=NOW)] == ["a", "b", "c"]


def test_the_list_formats_carry_the_same_rows(met_book: Book) -> None:
    rows = followup.running_list(met_book, now=NOW)
    table = list(csv.DictReader(io.StringIO(followup.render(rows, "csv", NOW))))
    assert [r["name"] for r in table] == ["Jürgen Müller", "Ana Peña", "Chloé Durand"]
    assert table[0]["status"] == "overdue" and table[0]["due"] == "2026-11-10"
    items = json.loads(followup.render(rows, "json", NOW))
    assert items[1]["next_action"] == "Send the contract" and len(items[1]["followups"]) == 2
    md = followup.render(rows, "md", NOW).splitlines()
    assert md[0].startswith("| Name |") and len(md) == 2 + 3
    text = followup.render(rows, "table", NOW)
    assert "Jürgen Müller" in text and "overdue" in text


# -- calendar and drafts -------------------------------------------------------------------

#: RFC 5545: properties each component must hold exactly once
REQUIRED = {"VCALENDAR": ("PRODID", "VERSION"), "VTODO": ("UID", "DTSTAMP"),
            "VALARM": ("ACTION", "TRIGGER")}
ONCE = {"VTODO": ("UID", "DTSTAMP", "DUE", "SUMMARY", "DESCRIPTION", "STATUS", "CREATED"),
        "VALARM": ("ACTION", "TRIGGER", "DESCRIPTION")}


def _check_rfc5545(cal: Calendar) -> None:
    for comp in cal.walk():
        for name in REQUIRED.get(comp.name, ()):
            assert name in comp, (comp.name, name)
        for name in ONCE.get(comp.name, ()):
            values = comp.get(name)
            assert not isinstance(values, list), (comp.name, name)
        if comp.name == "VTODO":
            assert not ("DUE" in comp and "DURATION" in comp)  # 3.6.2: not both
        if comp.name == "VALARM":
            if comp["ACTION"] == "DISPLAY":
                assert "DESCRIPTION" in comp  # 3.6.6
            related = comp["TRIGGER"].params.get("RELATED", "START")
            assert related == "END"  # no DTSTART: relative to DUE
    todos = cal.walk("VTODO")
    assert all("DUE" in t and "DTSTART" not in t for t in todos)


def test_the_ics_has_a_vtodo_per_open_followup_that_rfc_5545_accepts(
        met_book: Book, tmp_path: Path) -> None:
    path = tmp_path / "followups.ics"
    assert followup.write_ics(met_book, path)
    cal = Calendar.from_ical(path.read_bytes())
    _check_rfc5545(cal)
    todos = cal.walk("VTODO")
    assert len(todos) == 3
    first = todos[0]
    assert str(first["SUMMARY"]) == ("Follow up: Jürgen Müller (Großhandel Süd GmbH): "
                                     "Send the price list")
    assert "Met at Salon Lumière on 2026-11-02" in str(first["DESCRIPTION"])
    assert "E-mail: " in str(first["DESCRIPTION"])
    assert first.decoded("DUE") == dt.datetime(2026, 11, 10, 9, 0)  # 09:00 local, floating
    assert len(first.walk("VALARM")) == 1


def test_writing_the_ics_again_keeps_the_uids_and_a_done_followup_disappears(
        met_book: Book, tmp_path: Path) -> None:
    path = tmp_path / "followups.ics"
    followup.write_ics(met_book, path)
    first = path.read_bytes()
    uids = [str(t["UID"]) for t in Calendar.from_ical(first).walk("VTODO")]
    reread = Book.load(met_book.location or "")
    assert not followup.write_ics(reread, path) and path.read_bytes() == first
    done = followup.mark_done(reread, uids[0])
    reread.save()
    followup.write_ics(Book.load(met_book.location or ""), path)
    after = [str(t["UID"]) for t in Calendar.from_ical(path.read_bytes()).walk("VTODO")]
    assert after == uids[1:] and done.vtodo_uid == uids[0]


def test_the_first_followup_is_titled_follow_up_name_company(tmp_path: Path,
                                                             fake: Faker) -> None:
    book = _book(tmp_path, [])
    person = _person(fake, "m", company="Atelier Brume", phones=(Phone("+33612345678",
                                                                          "cell"),))
    pipeline.merge_into_book(book, [("c.jpg", person)], event="Salon Lumière",
                             met_on="2026-11-12", now=NOW)
    (todo,) = followup.book_calendar(book).walk("VTODO")
    assert str(todo["SUMMARY"]) == f"Follow up: {person.full_name} (Atelier Brume)"
    assert "Phone (cell): +33612345678" in str(todo["DESCRIPTION"])
    assert str(todo["LOCATION"]) == "Salon Lumière"


def test_a_draft_per_open_followup_names_the_event_and_day_and_is_signed(
        tmp_path: Path, fake: Faker) -> None:
    book = _book(tmp_path, [_person(fake, "p", phones=(Phone("+441234567890", "cell"),)),
                            _person(fake, "q", emails=())])
    pipeline.merge_into_book(book, [("c.jpg", book.get("p") or Contact()),
                                    ("d.jpg", book.get("q") or Contact())],
                             event="Data Days", met_on="2026-11-12", now=NOW)
    result = followup.write_drafts(book, tmp_path / "drafts", user_name="Robin Example",
                                   user_email="robin@example.org", now=NOW)
    assert len(result.written) == 1 and len(result.skipped) == 1  # q has no address
    msg = email.message_from_string(result.written[0].read_text(encoding="utf-8"),
                                    policy=email.policy.default)
    p = book.get("p")
    assert p is not None
    assert msg["To"].addresses[0].addr_spec == p.emails[0].address
    assert msg["From"].addresses[0].display_name == "Robin Example"
    assert msg["X-Unsent"] == "1" and "Data Days" in msg["Subject"]
    body = msg.get_content()
    assert "at Data Days on 12 November 2026" in body
    assert body.rstrip().endswith("Robin Example")
    # again: the same file is replaced, no copy
    followup.write_drafts(book, tmp_path / "drafts", user_name="Robin Example", now=NOW)
    assert len(list((tmp_path / "drafts").iterdir())) == 1


# -- the commands ----------------------------------------------------------------------------


def _run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False,
                              env={"CARDPIPE_CONFIG": "/nonexistent/config.toml"})


def test_followup_add_done_and_ics_from_the_command_line(met_book: Book, tmp_path: Path) -> None:
    book = str(met_book.location)
    r = _run("followup", "--book", book, "--add", "c", "Introduce to the team", "--due",
             "2026-12-24")
    assert r.exit_code == 0, r.output  # type: ignore[attr-defined]
    items = json.loads(_run("list", "--book", book, "--format", "json",
                            "--search", "chloe").stdout)  # type: ignore[attr-defined]
    assert items[0]["next_action"] == "Introduce to the team" and items[0]["due"] == "2026-12-24"
    r = _run("followup", "--book", book, "--done", items[0]["followup"], "--ics",
             str(tmp_path / "f.ics"))
    assert r.exit_code == 0, r.output  # type: ignore[attr-defined]
    cal = Calendar.from_ical((tmp_path / "f.ics").read_bytes())
    assert "Introduce" not in cal.to_ical().decode()
    assert len(cal.walk("VTODO")) == 3


def test_followup_usage_errors_and_an_unknown_uid(met_book: Book) -> None:
    book = str(met_book.location)
    before = Path(book).read_bytes()
    assert _run("followup", "--book", book, "--add", "c", "Call").exit_code == 2  # type: ignore[attr-defined]
    assert _run("followup", "--book", book).exit_code == 2  # type: ignore[attr-defined]
    r = _run("followup", "--book", book, "--done", "nobody")
    assert r.exit_code == ExitCode.USAGE  # type: ignore[attr-defined]
    assert "nobody" in r.stderr  # type: ignore[attr-defined]
    assert _run("list", "--book", book, "--since", "lately").exit_code == 2  # type: ignore[attr-defined]
    r = _run("followup", "--book", book, "--add", "c", "Call", "--due", "3d", "--dry-run")
    assert r.exit_code == 0 and Path(book).read_bytes() == before  # type: ignore[attr-defined]


def test_dedupe_keeps_the_followups_of_the_record_it_folds_away(tmp_path: Path,
                                                                fake: Faker) -> None:
    person = _person(fake, "twin-a")
    book = _book(tmp_path, [person, person.replace(uid="twin-b")])
    kept = followup.add_action(book, "twin-a", "Send the slides", dt.date(2026, 12, 1), now=NOW)
    moved = followup.add_action(book, "twin-b", "Ask for an intro", dt.date(2026, 12, 2), now=NOW)
    result = pipeline.dedupe(book, apply=True)
    assert result.merged == 1
    (survivor,) = book.contacts()
    assert survivor.uid is not None
    assert {f.id for f in followup.followups_of(book, survivor.uid)} == {kept.id, moved.id}


def test_a_replayed_merge_plan_gives_one_followup(tmp_path: Path, fake: Faker) -> None:
    """sync re-applies the plans of a killed run: the follow-up is not doubled."""
    book = _book(tmp_path, [])
    plan = pipeline.Plan(_person(fake, "r1"), "new", "r1", event="Expo Nord",
                         met_on="2026-11-19")
    applied, changed = pipeline.apply_plan(book, plan, now=NOW,
                                           followup_after=dt.timedelta(days=3))
    assert changed
    again, changed = pipeline.apply_plan(book, applied, now=NOW)
    assert not changed
    assert [f.due for _, f in followup.open_followups(book)] == [dt.date(2026, 11, 22)]


def test_a_draft_to_an_internationalised_address_is_written_in_utf8(tmp_path: Path) -> None:
    book = _book(tmp_path, [Contact(full_name="Zoë Ærø", given_name="Zoë", uid="z",
                                    emails=(Email("zoë@ærø.example"),))])
    followup.add_action(book, "z", "Send the brochure", dt.date(2026, 12, 1), now=NOW)
    (path,) = followup.write_drafts(book, tmp_path / "d", user_name="Kai Example",
                                    user_email="kai@example.org", now=NOW).written
    msg = email.message_from_string(path.read_text(encoding="utf-8"),
                                    policy=email.policy.default)
    assert "zoë@ærø.example" in str(msg["To"]) and msg["Subject"] == "Send the brochure"
    assert "Following up: Send the brochure." in msg.get_content()


def test_list_takes_the_configs_book_when_no_book_is_named(met_book: Book,
                                                          tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'book = "{met_book.location}"\n[[watch]]\npath = "{tmp_path}"\n',
                   encoding="utf-8")
    r = CliRunner().invoke(cli, ["list", "--format", "md"], catch_exceptions=False,
                           env={"CARDPIPE_CONFIG": str(cfg)})
    assert r.exit_code == 0, r.output
    assert "| Jürgen Müller |" in r.stdout and "3 contact(s)" in r.stderr
    r = CliRunner().invoke(cli, ["list"], catch_exceptions=False,
                           env={"CARDPIPE_CONFIG": str(tmp_path / "none.toml")})
    assert r.exit_code == 2 and "--book" in r.output
