"""Follow-ups in a ``Book``: read them, add an action, mark one done, the first follow-up
after a meeting. Changes go into the book in memory (the caller saves it with the
book's atomic, backed-up writer)."""

from __future__ import annotations

import datetime as dt

from ..book import Book
from ..contact import Contact
from ..errors import NotFoundError
from ..merge import met_at_line
from .state import (
    FollowUp,
    card_with_followups,
    done,
    new_id,
    read_followups,
    replace_followup,
    with_note,
)
from .when import due_after_meeting

#: the first follow-up is due this long after the meeting (config ``followup_after``)
DEFAULT_AFTER = dt.timedelta(hours=24)


def _now(now: dt.datetime | None) -> dt.datetime:
    return (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)


def followups_of(book: Book, uid: str) -> list[FollowUp]:
    """The follow-ups of the contact ``uid`` (none when it has none or is not there)."""
    return read_followups(book.card(uid))


def open_followups(book: Book) -> list[tuple[Contact, FollowUp]]:
    """Every open follow-up of the book with its contact, the earliest due first."""
    out = []
    for card, contact in book.items():
        for f in read_followups(card):
            if f.is_open:
                out.append((contact, f))
    out.sort(key=lambda cf: (cf[1].due_at(), cf[0].display_name.casefold(), cf[1].id))
    return out


def _contact(book: Book, uid: str) -> Contact:
    contact = book.get(uid)
    if contact is None:
        raise NotFoundError(f"{book.location}: no contact with UID {uid!r}",
                            hint="'cardpipe list --format json' shows each contact's uid")
    return contact


def _store(book: Book, uid: str, contact: Contact, followups: list[FollowUp]) -> None:
    """Write the contact (its note) and its follow-up properties into the book."""
    book.update(uid, contact)
    card = book.card(uid)
    assert card is not None  # just updated
    text = card_with_followups(card, followups)
    if text != card.raw:
        book.put_text(text, uid=uid)
        book.update(uid, contact)  # the caller's Contact (its sources) stays the book's


def add_action(book: Book, uid: str, text: str, due: dt.date | dt.datetime, *,
               now: dt.datetime | None = None, event: str | None = None,
               met: dt.date | None = None, followup_id: str | None = None) -> FollowUp:
    """Give the contact ``uid`` a new open follow-up ("Call about the pilot", due ...)."""
    text = " ".join(text.split())
    if not text:
        raise ValueError("a follow-up needs a text saying what to do")
    contact = _contact(book, uid)
    stamp = _now(now)
    f = FollowUp(id=followup_id or new_id(), text=text, due=due, event=event, met=met,
                 created=stamp)
    _store(book, uid, with_note(contact, None, f), replace_followup(followups_of(book, uid), f))
    return f


def find(book: Book, ref: str) -> tuple[str, FollowUp]:
    """The follow-up ``ref`` names and its contact's UID: a follow-up id or VTODO UID,
    else a contact UID (its open follow-up due first)."""
    ref = ref.strip()
    for card, contact in book.items():
        for f in read_followups(card):
            if ref in (f.id, f.vtodo_uid):
                assert contact.uid is not None
                return contact.uid, f
    owner = book.get(ref)
    if owner is not None:
        pending = sorted((f for f in followups_of(book, ref) if f.is_open),
                         key=FollowUp.due_at)
        if pending:
            return ref, pending[0]
        raise NotFoundError(f"{book.location}: {owner.display_name} ({ref}) has no open "
                            "follow-up")
    raise NotFoundError(f"{book.location}: no follow-up or contact with UID {ref!r}",
                        hint="'cardpipe list --format json' shows the uids")


def mark_done(book: Book, ref: str, *, now: dt.datetime | None = None) -> FollowUp:
    """Mark a follow-up done (``ref``: see ``find``); returns it as it is now. Marking one
    that is done already changes nothing."""
    uid, f = find(book, ref)
    if not f.is_open:
        return f
    finished = done(f, _now(now))
    contact = _contact(book, uid)
    _store(book, uid, with_note(contact, f, finished),
           replace_followup(followups_of(book, uid), finished))
    return finished


def absorb(book: Book, keep: str, other: str) -> bool:
    """Give the contact ``keep`` the follow-ups of ``other`` (two records of one person
    being merged, ``other`` to be removed), so none is lost; returns whether it changed.
    One follow-up both hold is kept once (the done copy wins)."""
    theirs = followups_of(book, other)
    if not theirs:
        return False
    mine = followups_of(book, keep)
    merged = list(mine)
    for f in theirs:
        old = next((m for m in merged if m.id == f.id), None)
        if old is None or (old.is_open and not f.is_open):
            merged = replace_followup(merged, f)
    if merged == mine:
        return False
    _store(book, keep, _contact(book, keep), merged)
    return True


def first_followup(book: Book, uid: str, *, before: Contact | None, event: str | None,
                   met_on: str | dt.date | None, after: dt.timedelta | None = DEFAULT_AFTER,
                   now: dt.datetime | None = None) -> FollowUp | None:
    """The pipeline's hook: give the contact ``uid`` a first follow-up for the meeting
    (``event``, ``met_on``), due ``after`` it, when it was newly met.

    Newly met: ``before`` (the contact as the book held it before this card was merged,
    None for a new one) has no "Met at" line for this meeting, and no follow-up for it
    is there yet; so rerunning the same photos, or a book from before follow-ups
    existed, adds nothing. ``after`` None: no automatic follow-ups."""
    line = met_at_line(event, met_on)
    if after is None or line is None:
        return None
    if before is not None and line in (before.note or "").splitlines():
        return None
    met = _met_date(met_on)
    event = (event or "").strip() or None
    present = followups_of(book, uid)
    if any(f.met == met and f.event == event for f in present if f.met or f.event):
        return None
    stamp = _now(now)
    where = f"at {event}" if event else f"on {met.isoformat()}" if met else ""
    text = f"Follow up after meeting {where}".strip()
    return add_action(book, uid, text, due_after_meeting(met, after, stamp), now=stamp,
                      event=event, met=met, followup_id=new_id(uid, event, met))


def _met_date(met_on: str | dt.date | None) -> dt.date | None:
    if met_on is None or met_on == "":
        return None
    if isinstance(met_on, dt.datetime):
        return met_on.date()
    if isinstance(met_on, dt.date):
        return met_on
    try:
        return dt.date.fromisoformat(str(met_on).strip()[:10])
    except ValueError:
        return None


__all__ = ["DEFAULT_AFTER", "absorb", "add_action", "find", "first_followup", "followups_of",
           "mark_done", "open_followups"]
