"""After the event: follow-ups that travel with the contact, and the running list.

The state lives in the vCard (``X-CARDPIPE-FOLLOWUP``, see ``model``), so it reaches
CardDAV and phones. The Python API (what ``cardpipe list`` / ``cardpipe followup`` and
the review page call)::

    add_action(book, uid, text, due, *, now=None) -> FollowUp
    mark_done(book, ref, *, now=None) -> FollowUp      # ref: follow-up id / VTODO UID / contact UID
    open_followups(book) -> [(Contact, FollowUp)]      # earliest due first
    followups_of(book, uid) -> [FollowUp]
    first_followup(book, uid, *, before, event, met_on, after, now)   # the merge step's hook
    absorb(book, keep, other)            # two records of one person merged: keep both's
    running_list(book, *, search, event, since, now) -> [Row]
    write_ics(book, path) -> bool        write_drafts(book, folder, *, user_name, ...)

Each call changes the book in memory; save it with ``book.save()`` (atomic, backed up).
"""

from .actions import (
    DEFAULT_AFTER,
    absorb,
    add_action,
    find,
    first_followup,
    followups_of,
    mark_done,
    open_followups,
)
from .drafts import DraftResult, write_drafts
from .ics import book_calendar, write_ics
from .running import FORMATS, Row, render, running_list
from .state import PROPERTY, FollowUp, read_followups
from .when import parse_due, parse_since, parse_span

__all__ = [
    "DEFAULT_AFTER",
    "FORMATS",
    "PROPERTY",
    "DraftResult",
    "FollowUp",
    "Row",
    "absorb",
    "add_action",
    "book_calendar",
    "find",
    "first_followup",
    "followups_of",
    "mark_done",
    "open_followups",
    "parse_due",
    "parse_since",
    "parse_span",
    "read_followups",
    "render",
    "running_list",
    "write_drafts",
    "write_ics",
]
