"""The running list: who was met, where and when, what they do, the next action.

One row per contact that was met (a "Met at" note line, as ``merge`` writes it) or has a
follow-up; overdue actions first (the longest overdue on top), then the coming ones by
due date, then the rest, the most recently met first.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..book import Book
from ..contact import Contact, fold
from .state import FollowUp, read_followups

FORMATS = ("table", "csv", "json", "md")
COLUMNS = ("name", "title", "company", "event", "met", "next_action", "due", "status",
           "uid", "followup")
_MET = re.compile(r"^Met (?:at (?P<event>.+?)(?: on (?P<date>\d{4}-\d{2}-\d{2}))?|"
                  r"on (?P<only>\d{4}-\d{2}-\d{2}))\s*$")


@dataclass(frozen=True)
class Meeting:
    event: str | None
    date: dt.date | None


def meetings(contact: Contact, followups: Iterable[FollowUp] = ()) -> list[Meeting]:
    """Where and when the contact was met: its "Met at EVENT on DATE" note lines and the
    meetings its follow-ups name, the latest last (a meeting without a date first)."""
    found: list[Meeting] = []
    for line in (contact.note or "").splitlines():
        m = _MET.match(line.strip())
        if m:
            when = m.group("date") or m.group("only")
            found.append(Meeting(m.group("event"), dt.date.fromisoformat(when) if when else None))
    for f in followups:
        if f.event or f.met:
            found.append(Meeting(f.event, f.met))
    unique = list(dict.fromkeys(found))
    return sorted(unique, key=lambda m: m.date or dt.date.min)


@dataclass(frozen=True)
class Row:
    """One contact in the running list."""

    contact: Contact
    meetings: tuple[Meeting, ...]
    followups: tuple[FollowUp, ...] = field(default=())

    @property
    def next(self) -> FollowUp | None:
        pending = [f for f in self.followups if f.is_open]
        return min(pending, key=FollowUp.due_at) if pending else None

    @property
    def last_met(self) -> Meeting | None:
        return self.meetings[-1] if self.meetings else None

    def status(self, now: dt.datetime) -> str:
        nxt = self.next
        if nxt is None:
            return "done" if self.followups else ""
        return "overdue" if nxt.overdue(now) else "open"

    def to_dict(self, now: dt.datetime) -> dict[str, str]:
        c, met, nxt = self.contact, self.last_met, self.next
        return {
            "name": c.display_name,
            "title": c.title or "",
            "company": c.company or "",
            "event": (met.event or "") if met else "",
            "met": met.date.isoformat() if met and met.date else "",
            "next_action": nxt.text if nxt else "",
            "due": nxt.due_text() if nxt else "",
            "status": self.status(now),
            "uid": c.uid or "",
            "followup": nxt.id if nxt else "",
        }

    def haystack(self) -> str:
        c = self.contact
        parts = [c.full_name, c.given_name, c.family_name, c.middle_name, c.nickname,
                 c.company, c.department, c.title, c.note, *c.categories,
                 *(m.event for m in self.meetings), *(f.text for f in self.followups)]
        return fold(" ".join(p for p in parts if p))

    def sort_key(self, now: dt.datetime) -> tuple[int, float, str]:
        nxt = self.next
        name = fold(self.contact.display_name)
        if nxt is not None:
            return (0 if nxt.overdue(now) else 1, nxt.due_at().timestamp(), name)
        met = self.last_met
        days = met.date.toordinal() if met and met.date else 0
        return (2, -days, name)


def running_list(book: Book, *, search: str | None = None, event: str | None = None,
                 since: dt.date | None = None, now: dt.datetime | None = None) -> list[Row]:
    """The running list of ``book``, filtered and sorted (see the module doc).

    ``search``: every word must occur in the names, company, title, note, categories,
    events or actions, compared without case or accents ("muller" finds "Müller");
    ``event``: a meeting's event contains it (same comparison); ``since``: met on that
    day or later."""
    now = now or dt.datetime.now(dt.UTC)
    words = fold(search or "").split()
    wanted_event = fold(event or "")
    rows = []
    for card, contact in book.items():
        fs = tuple(read_followups(card))
        met = tuple(meetings(contact, fs))
        if not met and not fs:
            continue
        row = Row(contact, met, fs)
        if words:
            text = row.haystack()  # folded once per contact, not once per word
            if not all(w in text for w in words):
                continue
        if wanted_event and not any(wanted_event in fold(m.event or "") for m in met):
            continue
        if since and not any(m.date and m.date >= since for m in met):
            continue
        rows.append(row)
    rows.sort(key=lambda r: r.sort_key(now))
    return rows


# -- output formats ----------------------------------------------------------------------


def to_csv(rows: Iterable[Row], now: dt.datetime) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow(r.to_dict(now))
    return out.getvalue()


def to_json(rows: Iterable[Row], now: dt.datetime) -> str:
    items = []
    for r in rows:
        d: dict[str, object] = dict(r.to_dict(now))
        d["followups"] = [f.to_dict() for f in r.followups]
        d["meetings"] = [{"event": m.event, "date": m.date.isoformat() if m.date else None}
                         for m in r.meetings]
        items.append(d)
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


_MD_COLUMNS = ("name", "title", "company", "event", "met", "next_action", "due", "status")


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(rows: Iterable[Row], now: dt.datetime) -> str:
    head = ["Name", "Title", "Company", "Event", "Met", "Next action", "Due", "Status"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        d = r.to_dict(now)
        lines.append("| " + " | ".join(_md_cell(d[k]) for k in _MD_COLUMNS) + " |")
    return "\n".join(lines) + "\n"


def table(rows: Iterable[Row], now: dt.datetime) -> Any:
    """A rich ``Table`` of the rows (overdue rows in red)."""
    from rich.table import Table

    table = Table(show_lines=False)
    for title in ("Name", "Title", "Company", "Met", "Next action", "Due"):
        table.add_column(title, overflow="fold")
    for r in rows:
        d = r.to_dict(now)
        met = " ".join(x for x in (d["event"], d["met"]) if x)
        overdue = d["status"] == "overdue"
        due = f"{d['due']} overdue" if overdue else d["due"]
        table.add_row(d["name"], d["title"], d["company"], met, d["next_action"], due,
                      style="red" if overdue else None)
    return table


def to_table(rows: Iterable[Row], now: dt.datetime, *, width: int | None = None) -> str:
    """The rich table as plain text."""
    from rich.console import Console

    console = Console(file=io.StringIO(), width=width or 120, force_terminal=False)
    with console.capture() as capture:
        console.print(table(rows, now))
    return capture.get()


def render(rows: list[Row], fmt: str, now: dt.datetime, *, width: int | None = None) -> str:
    """The rows in ``fmt`` (one of FORMATS)."""
    if fmt == "csv":
        return to_csv(rows, now)
    if fmt == "json":
        return to_json(rows, now)
    if fmt == "md":
        return to_markdown(rows, now)
    if fmt == "table":
        return to_table(rows, now, width=width)
    raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
