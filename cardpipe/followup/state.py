"""Follow-ups as they live in a vCard: ``X-CARDPIPE-FOLLOWUP`` properties plus a NOTE line.

The state travels with the contact, so it reaches a CardDAV server and phones and comes
back from them: one ``X-CARDPIPE-FOLLOWUP`` property per follow-up, e.g.::

    X-CARDPIPE-FOLLOWUP:id=5d0c8e2a91f3&state=open&due=20261113&text=Follow%20up%20af
     ter%20meeting%20at%20Web%20Summit&event=Web%20Summit&met=20261112&created=2026
     1112T101500Z

The value is ``key=value`` pairs joined by ``&`` with each value percent-encoded
(RFC 3986, UTF-8, every character but ``A-Z a-z 0-9 - . _ ~`` encoded). So the value is
plain ASCII without ``,`` ``;`` ``:`` ``\\`` or a line break: no vCard version escapes,
quotes or re-encodes any of it (2.1 quoted-printable and CHARSET included), and the
property carries no parameters, which clients drop or rewrite when they do not know
them. Keys, in the order written:

* ``id``: 12 hex digits, the follow-up's identity (the calendar's VTODO UID is made
  from it, so a re-imported .ics updates instead of duplicating);
* ``state``: ``open`` or ``done``;
* ``due``: a date ``YYYYMMDD`` or a UTC time ``YYYYMMDDTHHMMSSZ``;
* ``text``: the action ("Call about the pilot");
* ``event`` / ``met``: where and when the meeting was (only the first follow-up after a
  meeting has them), ``met`` a date ``YYYYMMDD``;
* ``created`` / ``done``: UTC times ``YYYYMMDDTHHMMSSZ``.

Keys this version does not know are kept as they are, in their place.

Beside each follow-up the NOTE holds one readable line, for people and clients that
show only the note: ``Follow-up by 2026-11-13: Call about the pilot`` while it is open,
``Follow-up done 2026-11-14: Call about the pilot`` once done (the first line is
replaced when it is still there). The X- property is what cardpipe reads; the note line
is a copy for humans.

When a card holds two properties with the same ``id`` (another client or a merge put an
older copy back), the done one wins, else the one created or finished last.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote, unquote

from ..contact import Contact
from ..vcard import Card
from ..vcard._write import format_prop

PROPERTY = "X-CARDPIPE-FOLLOWUP"
STATES = ("open", "done")
_KNOWN = ("id", "state", "due", "text", "event", "met", "created", "done")
_MENTIONS = re.compile(re.escape(PROPERTY), re.I)
_DATE = "%Y%m%d"
_STAMP = "%Y%m%dT%H%M%SZ"

Due = dt.date | dt.datetime  # a day, or a UTC time


@dataclass(frozen=True)
class FollowUp:
    """One follow-up action of a contact."""

    id: str
    text: str
    due: Due
    state: str = "open"
    event: str | None = None  # the meeting it follows (first follow-ups only)
    met: dt.date | None = None
    created: dt.datetime | None = None
    done: dt.datetime | None = None
    extra: tuple[tuple[str, str], ...] = ()  # keys a later version wrote, kept

    def __post_init__(self) -> None:
        if self.state not in STATES:
            raise ValueError(f"follow-up state must be one of {STATES}, not {self.state!r}")
        if isinstance(self.due, dt.datetime):
            object.__setattr__(self, "due", _utc(self.due))

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    @property
    def vtodo_uid(self) -> str:
        """The UID of this follow-up's VTODO (stable: made from ``id`` alone)."""
        return f"cardpipe-followup-{self.id}@cardpipe"

    def due_at(self) -> dt.datetime:
        """When it is due, as a UTC time (a day: its end, so it is overdue the day after)."""
        if isinstance(self.due, dt.datetime):
            return self.due
        return dt.datetime.combine(self.due, dt.time(23, 59, 59), dt.UTC)

    def overdue(self, now: dt.datetime) -> bool:
        return self.is_open and self.due_at() < _utc(now)

    def due_text(self) -> str:
        return due_text(self.due)

    def to_value(self) -> str:
        """The property value (see the module doc)."""
        pairs: list[tuple[str, str]] = [("id", self.id), ("state", self.state),
                                        ("due", _due_value(self.due)), ("text", self.text)]
        if self.event:
            pairs.append(("event", self.event))
        if self.met:
            pairs.append(("met", self.met.strftime(_DATE)))
        if self.created:
            pairs.append(("created", self.created.strftime(_STAMP)))
        if self.done:
            pairs.append(("done", self.done.strftime(_STAMP)))
        pairs.extend(self.extra)
        return "&".join(f"{k}={quote(v, safe='')}" for k, v in pairs)

    @classmethod
    def from_value(cls, value: str) -> FollowUp:
        """Read a property value; ``ValueError`` when it lacks ``id`` or ``due``."""
        fields: dict[str, str] = {}
        extra: list[tuple[str, str]] = []
        for part in value.strip().split("&"):
            if not part:
                continue
            key, _, raw = part.partition("=")
            text = unquote(raw)
            if key in _KNOWN and key not in fields:
                fields[key] = text
            else:
                extra.append((key, text))
        if not fields.get("id") or not fields.get("due"):
            raise ValueError(f"{PROPERTY} needs an id and a due date: {value[:60]!r}")
        state = fields.get("state", "open")
        return cls(
            id=fields["id"],
            text=fields.get("text", ""),
            due=parse_due_value(fields["due"]),
            state=state if state in STATES else "open",
            event=fields.get("event") or None,
            met=_date(fields["met"]) if fields.get("met") else None,
            created=_stamp(fields["created"]) if fields.get("created") else None,
            done=_stamp(fields["done"]) if fields.get("done") else None,
            extra=tuple(extra),
        )

    def note_line(self) -> str:
        """The readable NOTE line for this follow-up in its current state."""
        if self.is_open:
            return f"Follow-up by {self.due_text()}: {self.text}"
        when = self.done.date().isoformat() if self.done else self.due_text()
        return f"Follow-up done {when}: {self.text}"

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "uid": self.vtodo_uid, "text": self.text, "state": self.state,
                "due": _iso(self.due), "event": self.event,
                "met": self.met.isoformat() if self.met else None,
                "created": _iso(self.created) if self.created else None,
                "done": _iso(self.done) if self.done else None}


# -- values --------------------------------------------------------------------------


def _utc(when: dt.datetime) -> dt.datetime:
    """A UTC time; a naive one is read as local time (what a user types)."""
    if when.tzinfo is None:
        when = when.astimezone()
    return when.astimezone(dt.UTC).replace(microsecond=0)


def _iso(when: Due) -> str:
    if isinstance(when, dt.datetime):
        return when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return when.isoformat()


def due_text(due: Due) -> str:
    """'2026-11-13', or '2026-11-13 15:00 UTC' for a time."""
    if isinstance(due, dt.datetime):
        return due.strftime("%Y-%m-%d %H:%M UTC")
    return due.isoformat()


def _due_value(due: Due) -> str:
    return due.strftime(_STAMP) if isinstance(due, dt.datetime) else due.strftime(_DATE)


def _date(text: str) -> dt.date:
    return dt.datetime.strptime(text.replace("-", ""), _DATE).date()


def _stamp(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, _STAMP).replace(tzinfo=dt.UTC)


def parse_due_value(text: str) -> Due:
    text = text.strip()
    return _stamp(text) if "T" in text else _date(text)


def new_id(*seed: object) -> str:
    """A follow-up id: derived from ``seed`` when given (the same meeting of the same
    contact gets the same id on every machine), else random."""
    if seed:
        return hashlib.sha256("|".join(map(str, seed)).encode("utf-8")).hexdigest()[:12]
    return uuid.uuid4().hex[:12]


# -- reading and writing a card ---------------------------------------------------------


def _recency(f: FollowUp) -> tuple[int, dt.datetime]:
    stamp = f.done or f.created or dt.datetime.min.replace(tzinfo=dt.UTC)
    return (0 if f.is_open else 1, stamp)


def read_followups(card: Card | None) -> list[FollowUp]:
    """The follow-ups a card holds, in card order (one per id, see the module doc);
    a property that cannot be read is left alone (and kept in the card)."""
    if card is None or not card.ok or not _MENTIONS.search(card.raw):
        return []  # most cards have none: not splitting them keeps a big book's memory low
    found: dict[str, FollowUp] = {}
    for p in card.props:
        if p.name != PROPERTY:
            continue
        try:
            f = FollowUp.from_value(p.value)
        except ValueError:
            continue
        old = found.get(f.id)
        if old is None or _recency(f) > _recency(old):
            found[f.id] = f
    return list(found.values())


def card_with_followups(card: Card, followups: Sequence[FollowUp]) -> str:
    """The card's text with its follow-up properties replaced by ``followups``: written
    where the first one was (else before END), every other line byte for byte; a
    property this version cannot read is kept."""
    props = card.props
    keep_unreadable = []
    for p in props:
        if p.name == PROPERTY:
            try:
                FollowUp.from_value(p.value)
            except ValueError:
                keep_unreadable.append(p.raw)
    lines = [format_prop(card.write_version, PROPERTY, f.to_value(), newline=card.newline)
             for f in followups] + keep_unreadable
    out: list[str] = []
    placed = False
    for p in props:
        if p.name == PROPERTY:
            if not placed:
                out.extend(lines)
                placed = True
            continue
        if p.name == "END" and not placed:
            out.extend(lines)
            placed = True
        out.append(p.raw)
    return "".join(out)


def note_with(note: str | None, old: FollowUp | None, new: FollowUp) -> str | None:
    """``note`` with ``new``'s line: in place of ``old``'s line when that is still there
    word for word, else appended; every other line as it was."""
    line = new.note_line()
    lines = (note or "").split("\n")
    if old is not None and old.note_line() in lines:
        if line in lines:
            return "\n".join(x for x in lines if x != old.note_line())
        return "\n".join(line if x == old.note_line() else x for x in lines)
    if note and line in lines:
        return note
    if not note:
        return line
    return note + ("" if note.endswith("\n") else "\n") + line


def replace_followup(followups: Iterable[FollowUp], new: FollowUp) -> list[FollowUp]:
    """``followups`` with the one of ``new.id`` replaced (or ``new`` appended)."""
    out = [new if f.id == new.id else f for f in followups]
    if not any(f.id == new.id for f in out):
        out.append(new)
    return out


def done(f: FollowUp, now: dt.datetime) -> FollowUp:
    return dataclasses.replace(f, state="done", done=_utc(now))


def with_note(contact: Contact, old: FollowUp | None, new: FollowUp) -> Contact:
    return contact.replace(note=note_with(contact.note, old, new))
