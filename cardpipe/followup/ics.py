"""The open follow-ups as an iCalendar file (RFC 5545): one VTODO each, with a VALARM.

Each VTODO's UID is made from the follow-up's id, which the vCard keeps, so importing
the file again (or a calendar subscribed to it) updates the tasks instead of adding
them twice; a follow-up marked done is no longer in the file. DTSTAMP is the time the
follow-up was created, so the same follow-ups give the same bytes (a nightly rewrite
of an unchanged list changes nothing).

A follow-up due on a day is due at 09:00 that day in the calendar's own time zone (a
"floating" time): a reminder at midnight helps nobody.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

from icalendar import Alarm, Calendar, Todo

from .. import __version__
from ..book import Book
from ..book.files import atomic_write, check_writable
from ..contact import Contact
from .running import meetings
from .state import FollowUp, read_followups

PRODID = f"-//cardpipe//cardpipe {__version__}//EN"
DAY_TIME = dt.time(9, 0)
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def summary(contact: Contact, f: FollowUp) -> str:
    """'Follow up: NAME (COMPANY)', with the action when it is not the first follow-up."""
    who = contact.display_name or "(no name)"
    if contact.company and contact.company != who:
        who += f" ({contact.company})"
    text = f"Follow up: {who}"
    return text if f.event or f.met else f"{text}: {f.text}"


def description(contact: Contact, f: FollowUp) -> str:
    """What to do, where they were met, how to reach them."""
    lines = [f.text]
    met = [m for m in meetings(contact, [f]) if m.event or m.date]
    if met:
        m = met[-1]
        lines.append("Met " + " ".join(x for x in (
            f"at {m.event}" if m.event else "", f"on {m.date.isoformat()}" if m.date else "")
            if x))
    if contact.title or contact.company:
        lines.append(", ".join(x for x in (contact.title, contact.company) if x))
    lines.extend(f"E-mail: {e.address}" for e in contact.emails)
    lines.extend(f"Phone ({p.type}): {p.raw or p.number}" for p in contact.phones)
    lines.extend(f"Web: {u}" for u in contact.websites)
    return "\n".join(lines)


def _due(f: FollowUp) -> dt.date | dt.datetime:
    if isinstance(f.due, dt.datetime):
        return f.due
    return dt.datetime.combine(f.due, DAY_TIME)  # floating: 09:00 wherever the user is


def todo(contact: Contact, f: FollowUp) -> Todo:
    """The VTODO of one open follow-up."""
    task = Todo()
    task.add("uid", f.vtodo_uid)
    task.add("dtstamp", f.created or _EPOCH)
    if f.created:
        task.add("created", f.created)
    task.add("summary", summary(contact, f))
    task.add("description", description(contact, f))
    task.add("due", _due(f))
    task.add("status", "NEEDS-ACTION")
    if contact.emails:
        task.add("url", f"mailto:{contact.emails[0].address}")
    if f.event:
        task.add("location", f.event)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary(contact, f))
    # no DTSTART: the alarm is relative to DUE (RELATED=END, RFC 5545 3.8.6.3)
    alarm.add("trigger", dt.timedelta(0), parameters={"RELATED": "END"})
    task.add_component(alarm)
    return task


def calendar(items: Iterable[tuple[Contact, FollowUp]]) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "cardpipe follow-ups")
    for contact, f in items:
        if f.is_open:
            cal.add_component(todo(contact, f))
    return cal


def book_calendar(book: Book) -> Calendar:
    """The calendar of every open follow-up of ``book`` (in a stable order)."""
    items = [(c, f) for card, c in book.items() for f in read_followups(card) if f.is_open]
    items.sort(key=lambda cf: (cf[1].due_at(), cf[1].id))
    return calendar(items)


def write_ics(book: Book, path: str | os.PathLike[str]) -> bool:
    """Write ``book``'s follow-ups to ``path`` atomically; False when the file already
    holds exactly that (nothing is written)."""
    data = book_calendar(book).to_ical()
    target = Path(path)
    try:
        if target.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    except OSError:
        pass  # unreadable: try to write it, which names the problem
    check_writable(target)
    atomic_write(target, data)
    return True
