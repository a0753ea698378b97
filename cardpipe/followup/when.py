"""Times as users write them: ``24h``, ``14d``, ``2w``, ``2026-12-24``, ``2026-12-24T15:00``."""

from __future__ import annotations

import datetime as dt
import re

_SPAN = re.compile(r"^\s*(\d+)\s*(h|d|w)\s*$", re.I)
_UNITS = {"h": dt.timedelta(hours=1), "d": dt.timedelta(days=1), "w": dt.timedelta(weeks=1)}


def parse_span(text: str) -> dt.timedelta:
    """'24h', '2d', '2w' -> a timedelta; ``ValueError`` for anything else."""
    m = _SPAN.match(text)
    if not m:
        raise ValueError(f"{text!r} is not a span of time such as 24h, 14d or 2w")
    return int(m.group(1)) * _UNITS[m.group(2).lower()]


def _as_utc(when: dt.datetime) -> dt.datetime:
    if when.tzinfo is None:
        when = when.astimezone()  # what a user types is local time
    return when.astimezone(dt.UTC).replace(microsecond=0)


def parse_due(text: str, now: dt.datetime) -> dt.date | dt.datetime:
    """When an action is due: a span from ``now`` (``30d``, ``2w``: a day; ``12h``: a
    time), a date (``2026-12-24``) or a local time (``2026-12-24T15:00``, or with a zone)."""
    text = text.strip()
    m = _SPAN.match(text)
    if m:
        span = parse_span(text)
        if m.group(2).lower() == "h":
            return _as_utc(now + span)
        return (now.astimezone() + span).date()
    try:
        if "T" in text or " " in text:
            return _as_utc(dt.datetime.fromisoformat(text))
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (2026-12-24), a time (2026-12-24T15:00) "
                         "or a span such as 30d or 2w") from None


def parse_since(text: str, now: dt.datetime) -> dt.date:
    """The first day of ``--since``: a span back from today (``14d``, ``2w``) or a date."""
    text = text.strip()
    if _SPAN.match(text):
        return (now.astimezone() - parse_span(text)).date()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (2026-11-01) or a span such as 14d "
                         "or 2w") from None


def due_after_meeting(met: dt.date | None, after: dt.timedelta, now: dt.datetime
                      ) -> dt.date | dt.datetime:
    """The first follow-up's due date: ``after`` the meeting. A card tells only the day
    it was met, so the span is rounded up to whole days from that day (24h: the next
    day); with no day known it counts from ``now`` (a time)."""
    if met is None:
        return _as_utc(now + after)
    days = -(-after // dt.timedelta(days=1))  # ceiling
    return met + dt.timedelta(days=days)
