"""The merge policy: fold an incoming contact into an existing one without losing anything.

* emails, phones, websites, social handles and addresses: union, without duplicates
  after normalisation; the existing entry's form wins, a missing type is filled in;
  phone numbers are compared in E.164 after normalising both sides (with the book's
  region, else in the country of the other side's number), so ``(720) 977-6816`` in
  the book and ``+1 720 977 6816`` on a card are one number and the book's line stays;
* names: the existing ones stay, missing parts are filled in (a nickname the card
  used goes to NICKNAME when that is empty);
* a job change (another company) makes the incoming title and company current and
  keeps the old ones in the note ("Previously: Title, Company"); the new company's
  e-mail addresses, phones and websites come first (typed work when the card gave no
  type), the old ones stay after them as they were; a new title at the same company
  makes it current and keeps the old one in the note too;
* "Met at EVENT on DATE" note lines and an event category, never twice;
* a photo: the existing one is never replaced (the user's own picture wins); a
  contact without one takes the incoming one (e.g. the card image of ``--attach-photo``);
* the existing note is kept byte for byte, new lines are appended; REV is set to
  ``now`` (ISO 8601, UTC); sources are appended.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import phonenumbers

from .contact import Address, Contact, Email, Phone, fold, normalize_website, unique
from .match.normalize import company_key, legal_suffixes, nickname_related
from .vcard import normalise_phone

T = TypeVar("T")

REVIEW_CATEGORY = "cardpipe-review"


def _same_company(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    return company_key(a, legal_suffixes()) == company_key(b, legal_suffixes())


def _rev(now: dt.datetime | None) -> str:
    when = now or dt.datetime.now(dt.UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _date_text(met_on: dt.date | str | None) -> str | None:
    if met_on is None or met_on == "":
        return None
    if isinstance(met_on, dt.datetime):
        return met_on.date().isoformat()
    if isinstance(met_on, dt.date):
        return met_on.isoformat()
    return str(met_on).strip() or None


def met_at_line(event: str | None, met_on: dt.date | str | None) -> str | None:
    """'Met at EVENT on DATE' (or the half that is known)."""
    event = (event or "").strip() or None
    date = _date_text(met_on)
    if event and date:
        return f"Met at {event} on {date}"
    if event:
        return f"Met at {event}"
    if date:
        return f"Met on {date}"
    return None


def _append_lines(note: str | None, lines: Iterable[str]) -> str | None:
    """``note`` unchanged byte for byte, with each line not already in it appended."""
    present = set((note or "").splitlines())
    new = []
    for line in lines:
        if line and line not in present:
            new.append(line)
            present.add(line)
    if not new:
        return note
    if not note:
        return "\n".join(new)
    sep = "" if note.endswith("\n") else "\n"
    return note + sep + "\n".join(new)


def _add_category(categories: tuple[str, ...], name: str | None) -> tuple[str, ...]:
    if not name or any(fold(c) == fold(name) for c in categories):
        return categories
    return (*categories, name)


def add_met_at(
    contact: Contact, event: str | None, met_on: dt.date | str | None
) -> Contact:
    """Add the "Met at EVENT on DATE" note line and the event category (idempotent)."""
    line = met_at_line(event, met_on)
    if line is None:
        return contact
    event_name = (event or "").strip() or None
    note = _append_lines(contact.note, [line])
    categories = _add_category(contact.categories, event_name)
    if note == contact.note and categories == contact.categories:
        return contact
    return contact.replace(note=note, categories=categories)


def mark_for_review(contact: Contact, reason: str) -> Contact:
    """Flag a contact for a human: a note line and the 'cardpipe-review' category."""
    line = f"cardpipe review: {reason}".strip() if reason else "cardpipe review"
    return contact.replace(
        note=_append_lines(contact.note, [line]),
        categories=_add_category(contact.categories, REVIEW_CATEGORY),
    )


# -- unions -------------------------------------------------------------------------


def _union(old: Iterable[T], new: Iterable[T], key: Callable[[T], Any],
           fill: Callable[[T, T], T] | None = None) -> tuple[T, ...]:
    """Every existing item as it is (even two the book holds twice, e.g. one address as
    home and as work), then each incoming item whose key is new; an incoming item that
    matches an existing one only fills in what that one lacks (``fill``)."""
    out = list(old)
    first: dict[Any, int] = {}
    for i, item in enumerate(out):
        first.setdefault(key(item), i)
    for item in new:
        k = key(item)
        if k not in first:
            first[k] = len(out)
            out.append(item)
        elif fill is not None:
            out[first[k]] = fill(out[first[k]], item)
    return tuple(out)


def _fill_email(cur: Email, e: Email) -> Email:
    return cur if cur.type or not e.type else Email(cur.address, e.type)


def _fill_phone(cur: Phone, p: Phone) -> Phone:
    return Phone(cur.number, cur.type if cur.type != "other" else p.type,
                 cur.raw or p.raw, cur.extension or p.extension)


def _e164(number: str, region: str | None) -> str | None:
    """``number`` in E.164 when it parses in ``region`` (or carries its country code)."""
    value, _ = normalise_phone(number, region)
    return value if value.startswith("+") and value[1:].isdigit() else None


def _phone_form(p: Phone, region: str | None) -> str | None:
    if p.is_e164:
        return p.number
    return _e164(p.raw or p.number, region) or (_e164(p.number, region) if p.raw else None)


def same_number(a: Phone, b: Phone, region: str | None = None) -> bool:
    """Do ``a`` and ``b`` dial the same number, whichever way each is written?

    Both sides are normalised with ``region`` (the book's); a number still not in E.164
    (a book read without a region: ``(720) 977-6816``, ``07412 402056``) is read in the
    country of the other side's E.164 number before they are compared.
    """
    if a.key == b.key:
        # no digits at all ("BusinessPhone" in an Outlook template): the text decides
        return bool(a.key) or " ".join(fold(a.number).split()) == " ".join(fold(b.number).split())
    ea, eb = _phone_form(a, region), _phone_form(b, region)
    if ea and eb:
        return ea == eb
    if ea or eb:
        known, other = (ea, b) if ea else (eb, a)
        assert known is not None
        country = region_for(known)
        if country:
            return _phone_form(other, country) == known
    return False


def region_for(e164: str) -> str | None:
    """The country an E.164 number belongs to (e.g. "US" for +1 720 ...), or None."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    code = phonenumbers.region_code_for_number(parsed)
    return code if code and code != "ZZ" else None


def _union_phones(old: Iterable[Phone], new: Iterable[Phone],
                  region: str | None) -> tuple[Phone, ...]:
    """Every existing phone as it is; an incoming one the book holds in another form
    only fills in the existing line's missing type; genuinely new numbers are added."""
    out = list(old)
    for p in new:
        for i, cur in enumerate(out):
            if same_number(cur, p, region):
                out[i] = _fill_phone(cur, p)
                break
        else:
            out.append(p)
    return tuple(out)


def _fill_address(cur: Address, a: Address) -> Address:
    return cur if cur.type or not a.type else Address(**{**cur.to_dict(), "type": a.type})


def _address_key(a: Address) -> str:
    return fold(a.one_line())


def _previously(title: str | None, company: str | None, department: str | None) -> str | None:
    parts = [p.strip() for p in (title, company) if p and p.strip()]
    if not parts:
        return None
    line = "Previously: " + ", ".join(parts)
    if department and department.strip():
        line += f" ({department.strip()})"
    return line


def _merge_maps(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    merged = dict(new)
    merged.update(old)
    return merged


def merge(
    existing: Contact,
    incoming: Contact,
    *,
    event: str | None = None,
    met_on: dt.date | str | None = None,
    now: dt.datetime | None = None,
    region: str | None = None,
) -> Contact:
    """``existing`` with everything new from ``incoming`` (see the module doc).

    ``region``: the book's phone region, for telling a number the book holds as printed
    from the same number in E.164 (``same_number``)."""
    note_lines: list[str] = []

    # names: keep, fill the gaps
    names: dict[str, Any] = {}
    for attr in ("full_name", "given_name", "family_name", "middle_name", "prefix", "suffix"):
        names[attr] = getattr(existing, attr) or getattr(incoming, attr)
    nickname = existing.nickname or incoming.nickname
    if (
        not nickname
        and existing.given_name
        and incoming.given_name
        and nickname_related(fold(existing.given_name), fold(incoming.given_name))
        and len(incoming.given_name) < len(existing.given_name)
    ):
        nickname = incoming.given_name

    # organisation: a job change, a new title, or gaps filled
    title, company, department = existing.title, existing.company, existing.department
    job_change = bool(incoming.company and existing.company and not _same_company(
        existing.company, incoming.company
    ))
    if job_change:
        line = _previously(existing.title, existing.company, existing.department)
        if line:
            note_lines.append(line)
        title = incoming.title
        company = incoming.company
        department = incoming.department
    else:
        company = existing.company or incoming.company
        department = existing.department or incoming.department
        if incoming.title and existing.title and fold(incoming.title) != fold(existing.title):
            line = _previously(existing.title, existing.company or incoming.company, None)
            if line:
                note_lines.append(line)
            title = incoming.title
        else:
            title = existing.title or incoming.title

    # incoming notes that say something new are kept too
    if incoming.note:
        note_lines.extend(line for line in incoming.note.splitlines() if line.strip())

    emails = _union(existing.emails, incoming.emails, lambda e: e.key, _fill_email)
    phones = _union_phones(existing.phones, incoming.phones, region)
    websites = _union(existing.websites, incoming.websites, normalize_website)
    if job_change:
        # the new company's addresses first (a phone takes the first as the main one)
        # and typed work; the old ones stay after them as they were
        n = len(existing.emails)
        emails = (*(Email(e.address, e.type or "work") for e in emails[n:]), *emails[:n])
        n = len(existing.phones)
        phones = (*(Phone(p.number, "work" if p.type == "other" else p.type, p.raw,
                          p.extension) for p in phones[n:]), *phones[:n])
        n = len(existing.websites)
        websites = (*websites[n:], *websites[:n])

    merged = existing.replace(
        **names,
        nickname=nickname,
        title=title,
        company=company,
        department=department,
        emails=emails,
        phones=phones,
        websites=websites,
        addresses=_union(existing.addresses,
                         [a for a in incoming.addresses if not a.is_empty()], _address_key,
                         _fill_address),
        social=_union(existing.social, incoming.social, lambda s: s.key),
        note=_append_lines(existing.note, note_lines),
        categories=_union(existing.categories, incoming.categories, fold),
        uid=existing.uid or incoming.uid,
        rev=_rev(now),
        photo=existing.photo or incoming.photo,
        confidence=_merge_maps(dict(existing.confidence), dict(incoming.confidence)),
        evidence=_merge_maps(dict(existing.evidence), dict(incoming.evidence)),
        sources=unique((*existing.sources, *incoming.sources)),
    )
    return add_met_at(merged, event, met_on)


__all__ = [
    "REVIEW_CATEGORY",
    "add_met_at",
    "mark_for_review",
    "merge",
    "met_at_line",
    "same_number",
]
