"""One e-mail draft (.eml) per open follow-up of a contact with an e-mail address.

The draft names the event and the day the person was met, and is signed with the
user's name (config ``user_name``; ``user_email`` becomes its From). ``X-Unsent: 1``
makes Thunderbird, Outlook and Apple Mail open it as a draft to edit and send.
A draft's file name holds the follow-up's id, so writing the drafts again replaces
them instead of adding copies.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import os
import re
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from ..book import Book
from ..book.files import atomic_write
from ..contact import Contact, fold
from .actions import open_followups
from .running import Meeting, meetings
from .state import FollowUp

_UNSAFE = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class DraftResult:
    written: tuple[Path, ...]
    skipped: tuple[str, ...]  # display names of contacts without an e-mail address


def _day(d: dt.date) -> str:
    return f"{d.day} {d.strftime('%B %Y')}"


def _where(m: Meeting | None) -> str:
    if m is None:
        return ""
    parts = []
    if m.event:
        parts.append(f"at {m.event}")
    if m.date:
        parts.append(f"on {_day(m.date)}")
    return " ".join(parts)


def _address(name: str, addr: str) -> Address | str:
    try:
        return Address(display_name=name, addr_spec=addr)
    except ValueError:  # a non-ASCII local part: written as it is
        return f"{name} <{addr}>" if name else addr


def draft(contact: Contact, f: FollowUp, *, user_name: str | None,
          user_email: str | None = None, now: dt.datetime | None = None) -> EmailMessage:
    """The draft for one follow-up (the contact must have an e-mail address)."""
    if not contact.emails:
        raise ValueError(f"{contact.display_name}: no e-mail address to write to")
    known = meetings(contact, [f])
    same = [m for m in known if m.event == f.event] if f.event else []
    candidates = same or known
    meeting = candidates[-1] if candidates else None
    where = _where(meeting)
    to = contact.emails[0].address
    eai = not (to + (user_email or "")).isascii()
    # an internationalised address (RFC 6532) goes in UTF-8 headers, as mail clients read it
    msg = EmailMessage(policy=email.policy.SMTPUTF8 if eai else email.policy.default)
    msg["To"] = _address(contact.display_name if contact.display_name != to else "", to)
    if user_email:
        msg["From"] = _address(user_name or "", user_email)
    event = meeting.event if meeting and meeting.event else None
    if f.event or f.met:
        subject = f"Great to meet you at {event}" if event else "Great to meet you"
    else:
        subject = f.text
    msg["Subject"] = subject
    msg["Date"] = format_datetime((now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC))
    msg["X-Unsent"] = "1"
    msg["X-Cardpipe-Followup"] = f.id
    hello = contact.given_name or contact.display_name
    body = [f"Hello {hello},", ""]
    if where:
        body.append(f"It was good to meet you {where}.")
    if not (f.event or f.met):
        body.append(f"Following up: {f.text}.")
    body += ["", "Best regards,"]
    if user_name:
        body.append(user_name)
    msg.set_content("\n".join(body) + "\n")
    return msg


def file_name(contact: Contact, f: FollowUp) -> str:
    slug = _UNSAFE.sub("-", fold(contact.display_name)).strip("-")[:40] or "contact"
    return f"{slug}-{f.id}.eml"


def write_drafts(book: Book, folder: str | os.PathLike[str], *, user_name: str | None,
                 user_email: str | None = None, now: dt.datetime | None = None
                 ) -> DraftResult:
    """Write the drafts of every open follow-up into ``folder`` (created if missing)."""
    target = Path(folder)
    written, skipped = [], []
    for contact, f in open_followups(book):
        if not contact.emails:
            skipped.append(contact.display_name)
            continue
        msg = draft(contact, f, user_name=user_name, user_email=user_email, now=now)
        path = target / file_name(contact, f)
        atomic_write(path, msg.as_bytes(policy=msg.policy.clone(linesep="\r\n")))
        written.append(path)
    return DraftResult(tuple(written), tuple(skipped))
