"""Merging: unions without duplicates, job changes, where-met notes, review marks."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cardpipe.contact import (
    Address,
    Contact,
    Email,
    Phone,
    Photo,
    Social,
    Source,
    normalize_website,
)
from cardpipe.match import company_key, load_model
from cardpipe.merge import REVIEW_CATEGORY, add_met_at, mark_for_review, merge, met_at_line

SUFFIXES = load_model().company_suffixes
NOW = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC)

EXISTING = Contact(
    full_name="Robert Müller",
    given_name="Robert",
    family_name="Müller",
    title="Sales Manager",
    company="Acme GmbH",
    emails=[Email("R.Mueller@acme.de", "work")],
    phones=[Phone("+491701234567", "other", "0170 1234567"), Phone("+4930123456", "work")],
    websites=["https://www.acme.de/"],
    addresses=[Address(street="Hauptstr. 1", locality="Berlin", postcode="10115")],
    social=[Social("linkedin", "rmueller")],
    note="Knows the CTO.\r\nLikes chess;  ",
    categories=["Customers"],
    uid="urn:uuid:1",
    rev="2020-01-01T00:00:00Z",
    sources=[Source("book", "book.vcf")],
)


def test_union_without_duplicates_after_normalisation_keeps_existing_form() -> None:
    incoming = Contact(
        given_name="Bob",
        family_name="Mueller",
        emails=[Email("r.mueller@ACME.de"), Email("bob@gmail.com", "home")],
        phones=[Phone("+491701234567", "cell", "+49 170 1234567"), Phone("+4940555", "fax")],
        websites=["acme.de", "https://bob.blog"],
        addresses=[Address(street="Hauptstr. 1", locality="Berlin", postcode="10115",
                           type="work")],
        social=[Social("linkedin", "RMueller"), Social("github", "bobm")],
        sources=[Source("photo", "cards/bob.jpg")],
    )
    out = merge(EXISTING, incoming, now=NOW)
    assert [e.address for e in out.emails] == ["R.Mueller@acme.de", "bob@gmail.com"]
    assert out.emails[0].type == "work"
    phones = {p.number: p for p in out.phones}
    assert list(phones) == ["+491701234567", "+4930123456", "+4940555"]
    assert phones["+491701234567"].type == "cell"  # the missing type filled in
    assert phones["+491701234567"].raw == "0170 1234567"  # the existing form kept
    assert out.websites == ("https://www.acme.de/", "https://bob.blog")
    assert len(out.addresses) == 1 and out.addresses[0].type == "work"
    assert [s.key for s in out.social] == ["linkedin:rmueller", "github:bobm"]
    assert (out.given_name, out.family_name, out.full_name) == ("Robert", "Müller",
                                                                "Robert Müller")
    assert out.nickname == "Bob"
    assert [s.path for s in out.sources] == ["book.vcf", "cards/bob.jpg"]
    assert out.uid == "urn:uuid:1"


def test_missing_name_parts_are_filled() -> None:
    existing = Contact(full_name="Ana Lima", emails=[Email("ana@x.br")], uid="a")
    out = merge(existing, Contact(given_name="Ana", family_name="Lima", middle_name="P.",
                                  title="CTO"), now=NOW)
    assert (out.full_name, out.given_name, out.family_name, out.middle_name, out.title) == (
        "Ana Lima", "Ana", "Lima", "P.", "CTO")


def test_job_change_makes_new_company_current_and_keeps_old_in_note() -> None:
    incoming = Contact(given_name="Robert", family_name="Müller", title="Head of Sales",
                       company="Initech AG", emails=[Email("robert.mueller@initech.de")])
    out = merge(EXISTING, incoming, now=NOW)
    assert (out.title, out.company) == ("Head of Sales", "Initech AG")
    assert out.note == EXISTING.note + "\nPreviously: Sales Manager, Acme GmbH"


def test_same_company_with_legal_suffix_is_not_a_job_change() -> None:
    out = merge(EXISTING, Contact(company="ACME", title="Sales Manager"), now=NOW)
    assert out.company == "Acme GmbH" and out.note == EXISTING.note


def test_newer_title_at_same_company_replaces_and_keeps_old_in_note() -> None:
    out = merge(EXISTING, Contact(company="Acme", title="Sales Director"), now=NOW)
    assert (out.title, out.company) == ("Sales Director", "Acme GmbH")
    assert out.note.endswith("\nPreviously: Sales Manager, Acme GmbH")


def test_existing_note_kept_byte_for_byte_with_lines_appended() -> None:
    out = merge(EXISTING, Contact(note="Met his sister too"), event="Expo", met_on="2026-03-01",
                now=NOW)
    assert out.note.startswith(EXISTING.note)
    assert out.note[len(EXISTING.note):] == "\nMet his sister too\nMet at Expo on 2026-03-01"


def test_rev_is_now_in_utc() -> None:
    berlin = dt.timezone(dt.timedelta(hours=1))
    out = merge(EXISTING, Contact(), now=dt.datetime(2026, 3, 14, 10, 30, tzinfo=berlin))
    assert out.rev == "2026-03-14T09:30:00Z"
    assert merge(EXISTING, Contact()).rev.endswith("Z")


@pytest.mark.parametrize(
    ("event", "met_on", "line"),
    [
        ("Web Summit", dt.date(2026, 11, 4), "Met at Web Summit on 2026-11-04"),
        ("Web Summit", "2026-11-04", "Met at Web Summit on 2026-11-04"),
        ("Web Summit", None, "Met at Web Summit"),
        (None, dt.datetime(2026, 11, 4, 18, 0), "Met on 2026-11-04"),
        (None, None, None),
    ],
)
def test_met_at_line(event, met_on, line) -> None:
    assert met_at_line(event, met_on) == line


def test_met_at_is_idempotent() -> None:
    once = add_met_at(EXISTING, "Web Summit", dt.date(2026, 11, 4))
    twice = add_met_at(once, "Web Summit", dt.date(2026, 11, 4))
    assert twice == once
    assert once.note.count("Met at Web Summit on 2026-11-04") == 1
    assert once.categories == ("Customers", "Web Summit")
    again = merge(once, Contact(emails=[Email("r.mueller@acme.de")]), event="Web Summit",
                  met_on="2026-11-04", now=NOW)
    assert again.note.count("Met at Web Summit on 2026-11-04") == 1
    assert again.categories.count("Web Summit") == 1


def test_met_at_on_a_contact_without_note() -> None:
    out = add_met_at(Contact(full_name="X"), "Expo", "2026-01-02")
    assert out.note == "Met at Expo on 2026-01-02" and out.categories == ("Expo",)


def test_mark_for_review_adds_note_line_and_category_once() -> None:
    out = mark_for_review(EXISTING, "name: family only (Lena Weber vs Anna Weber)")
    out = mark_for_review(out, "name: family only (Lena Weber vs Anna Weber)")
    assert out.categories.count(REVIEW_CATEGORY) == 1
    assert out.note.count("cardpipe review: name: family only") == 1
    assert out.note.startswith(EXISTING.note)


# -- photos -----------------------------------------------------------------------------

OWN = Photo(b"\x89PNG\r\n\x1a\n the user's own picture", "image/png")
CARD = Photo(b"\xff\xd8\xff the card image", "image/jpeg")


def test_merge_keeps_the_existing_photo_never_the_card_image() -> None:
    out = merge(EXISTING.replace(photo=OWN), Contact(full_name="Robert Müller", photo=CARD),
                now=NOW)
    assert out.photo == OWN


def test_merge_gives_a_contact_without_a_photo_the_incoming_one() -> None:
    assert merge(EXISTING, Contact(full_name="Robert Müller", photo=CARD), now=NOW).photo == CARD
    assert merge(EXISTING, Contact(full_name="Robert Müller"), now=NOW).photo is None


def test_merge_keeps_a_photo_given_by_uri_too() -> None:
    linked = Photo(media_type="", uri="https://example.com/robert.jpg")
    assert merge(EXISTING.replace(photo=linked), Contact(photo=CARD), now=NOW).photo == linked


# -- never drops data (property) ------------------------------------------------------

_local = st.from_regex(r"[a-z]{1,8}(\.[a-z]{1,8})?", fullmatch=True)
_email = st.builds(lambda loc, dom, up: (f"{loc}@{dom}").upper() if up else f"{loc}@{dom}",
                   _local, st.sampled_from(["acme.com", "gmail.com", "x.de"]), st.booleans())
_phone = st.builds(
    Phone,
    st.from_regex(r"\+[1-9][0-9]{6,11}", fullmatch=True),
    st.sampled_from(["work", "cell", "fax", "home", "other"]),
)
_url = st.builds(lambda host, www, path: f"{'https://www.' if www else ''}{host}{path}",
                 st.from_regex(r"[a-z]{2,8}\.(com|de|io)", fullmatch=True), st.booleans(),
                 st.sampled_from(["", "/", "/about"]))


def _contact(emails, phones, urls, company, title, note) -> Contact:
    return Contact(given_name="A", family_name="B", company=company, title=title, note=note,
                   emails=[Email(e) for e in emails], phones=phones, websites=urls)


_contacts = st.builds(
    _contact,
    st.lists(_email, max_size=4),
    st.lists(_phone, max_size=4),
    st.lists(_url, max_size=3),
    st.sampled_from([None, "Acme", "Initech GmbH", "ACME Inc"]),
    st.sampled_from([None, "CEO", "Engineer"]),
    st.sampled_from([None, "", "line one", "a\r\nb  "]),
)


@settings(max_examples=150, deadline=None)
@given(_contacts, _contacts, st.sampled_from([None, "Expo"]))
def test_merge_never_drops_data(existing: Contact, incoming: Contact, event) -> None:
    out = merge(existing, incoming, event=event, met_on="2026-01-01", now=NOW)
    emails = {e.key for e in out.emails}
    phones = {p.key for p in out.phones}
    urls = {normalize_website(u) for u in out.websites}
    for c in (existing, incoming):
        assert {e.key for e in c.emails} <= emails
        assert {p.key for p in c.phones} <= phones
        assert {normalize_website(u) for u in c.websites} <= urls
        assert c.title is None or c.title == out.title or c.title in (out.note or "")
        if c.company:
            assert out.company and (
                company_key(c.company, SUFFIXES) == company_key(out.company, SUFFIXES)
                or c.company in out.note
            )
    # the existing items stay in their order, first; on a job change the new company's
    # come before them; incoming ones add only new keys
    job_change = bool(existing.company and incoming.company and company_key(
        existing.company, SUFFIXES) != company_key(incoming.company, SUFFIXES))
    kept = out.emails[len(out.emails) - len(existing.emails):] if job_change \
        else out.emails[: len(existing.emails)]
    assert [e.key for e in kept] == [e.key for e in existing.emails]
    assert len(out.emails) == len(existing.emails) + len(
        {e.key for e in incoming.emails} - {e.key for e in existing.emails})
    assert len(out.phones) == len(existing.phones) + len(
        {p.key for p in incoming.phones} - {p.key for p in existing.phones})
    assert len(out.websites) == len(existing.websites) + len(
        {normalize_website(u) for u in incoming.websites}
        - {normalize_website(u) for u in existing.websites})
    assert (out.note or "").startswith(existing.note or "")


def test_merge_keeps_values_the_book_holds_twice() -> None:
    home = Address(street="Main St 1", locality="Berlin", postcode="10115", type="home")
    work = Address(street="Main St 1", locality="Berlin", postcode="10115", type="work")
    existing = Contact(given_name="Jane", family_name="Doe", addresses=[home, work],
                       emails=[Email("jane@example.com", "work"), Email("jane@example.com", "home")])
    incoming = Contact(given_name="Jane", family_name="Doe", addresses=[home],
                       emails=[Email("jane@example.com"), Email("jane@newco.com", "work")])
    out = merge(existing, incoming, now=NOW)
    assert out.addresses == (home, work)
    assert [(e.address, e.type) for e in out.emails] == [
        ("jane@example.com", "work"), ("jane@example.com", "home"), ("jane@newco.com", "work")]
