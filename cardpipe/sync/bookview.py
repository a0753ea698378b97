"""What sync needs from a ``Book`` beyond contacts: card texts, server cards, UIDs.

Cards pulled from the server go into the book *as cards* (their text, ``Book.put_text``),
not as ``Contact`` values, so what the phone added that cardpipe has no field for (a
birthday, a photo, an X- property) is kept and never overwritten by the next push.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from .. import vcard
from ..book import Book
from ..contact import Contact
from ..pipeline import FOLLOWUP_AFTER, Plan, apply_plan
from ..vcard import server_safe, utf8_text
from ..vcard._text import escape, fold


class BookView:
    def __init__(self, book: Book) -> None:
        self.book = book

    @property
    def changed(self) -> bool:
        return self.book.changed

    # -- reading ------------------------------------------------------------------------
    def uids(self) -> list[str]:
        return list(dict.fromkeys(c.uid for c in self.book.contacts() if c.uid))

    def text(self, uid: str) -> str | None:
        """The card as it goes to the server (None: no such readable card).

        vCard 3.0 / 4.0: the book's text with its values as the reader decoded them, in
        UTF-8 (``utf8_text``: a legacy-charset card), bare commas escaped (``server_safe``),
        ``BEGIN``/``END`` in capitals and a ``VERSION`` line (``upload_form``: strict
        servers refuse ``BEGIN:vCard`` or a card without VERSION).
        vCard 2.1 and quoted-printable: upgraded to 3.0 line by line (``upgrade_card``:
        every property, each value as written), because servers built on vobject mangle
        them; the book keeps its own text.
        """
        return self._text(uid, keep_undecodable=False)

    def own_text(self, uid: str) -> str | None:
        """The card as ``text`` gives it, but with everything the book's card holds, a
        picture whose base64 is broken included (what a pull must not lose)."""
        return self._text(uid, keep_undecodable=True)

    def converted(self, uid: str) -> bool:
        """Does the server get this card in another vCard version than the book's?"""
        card = self.book.card(uid)
        return card is not None and _converted(card)

    def _text(self, uid: str, *, keep_undecodable: bool) -> str | None:
        card = self.book.card(uid)
        if card is None or not card.ok or card.contact is None:
            return None
        if _converted(card):
            text = vcard.upgrade_card(card, keep_undecodable=keep_undecodable)
            if not any(p.name == "UID" for p in card.props):
                text = text.replace("VERSION:3.0\r\n", f"VERSION:3.0\r\nUID:{uid}\r\n", 1)
            text = server_safe(text)
        else:
            text = upload_form(server_safe(utf8_text(card.raw, card.encoding)))
            if not keep_undecodable:
                text = vcard.drop_undecodable(text)
        return _with_fn(_LINE_END.sub(r"\1", text), card.contact)

    def raw_hash(self, uid: str) -> str | None:
        """A hash of the book's own text of the card (cheap change detection)."""
        card = self.book.card(uid)
        if card is None:
            return None
        return hashlib.sha1(card.raw.encode("utf-8", "surrogatepass")).hexdigest()

    def contact(self, uid: str) -> Contact | None:
        return self.book.get(uid)

    # -- changing -------------------------------------------------------------------------
    def put_card(self, card: vcard.Card, *, contact: Contact | None = None) -> None:
        """Add the server's card, or replace the book's card with the same UID by it
        (rendered with ``contact`` when given: a field-wise merge on top of it)."""
        text = vcard.render(card, contact) if contact is not None else card.raw
        self.book.put_text(text, uid=(contact.uid if contact is not None else None) or card.uid)

    def ensure_uids(self) -> int:
        """Write its UID into every readable card that has none written."""
        return self.book.ensure_uids()

    def apply_plan(self, plan: Plan, *, now: dt.datetime | None = None,
                   followup_after: dt.timedelta | None = FOLLOWUP_AFTER) -> bool:
        """Re-apply one recorded merge plan (from a run that was killed); idempotent."""
        return apply_plan(self.book, plan, now=now, followup_after=followup_after)[1]


#: "\r\r\n" (an iPhone export writes it) is one line end; servers read only CRLF or LF
_LINE_END = re.compile(r"\r+(\r\n)")
_FN_LINE = re.compile(r"^(?:[A-Za-z0-9-]+\.)?FN[;:]", re.I | re.M)


def _with_fn(text: str, contact: Contact) -> str:
    """The uploaded copy with an ``FN`` line when the card has none (vCard 3.0 and 4.0
    require one, and servers refuse a card without it): the name, else the company, the
    e-mail or the number the card shows. The book keeps its own text."""
    if _FN_LINE.search(text):
        return text
    shown = (contact.full_name or contact.company
             or next((e.address for e in contact.emails), None)
             or next((p.raw or p.number for p in contact.phones), None) or "")
    newline = "\r\n" if "\r\n" in text else "\n"
    line = fold("FN:" + escape(shown), newline) + newline
    m = re.search(r"^VERSION:[^\r\n]*(\r?\n)", text, re.I | re.M) or re.search(
        r"^BEGIN:VCARD[^\r\n]*(\r?\n)", text, re.I | re.M)
    return text if m is None else text[:m.end()] + line + text[m.end():]


def _converted(card: vcard.Card) -> bool:
    return card.version == "2.1" or "QUOTED-PRINTABLE" in card.raw.upper()


_FRAME_LINE = re.compile(r"^(BEGIN|END)[ \t]*:[ \t]*VCARD[ \t]*(?=\r?$)", re.I | re.M)
_VERSION_LINE = re.compile(r"^VERSION[;:]", re.I | re.M)
_BEGIN_LINE = re.compile(r"^BEGIN:VCARD(\r\n|\n|\r)", re.M)


def upload_form(text: str) -> str:
    """The card as every server reads it: ``BEGIN:VCARD`` / ``END:VCARD`` in capitals and
    a ``VERSION`` line (``3.0`` when the card has none) right after ``BEGIN``.  Only the
    uploaded copy is changed, never the book's text."""
    out = _FRAME_LINE.sub(lambda m: f"{m.group(1).upper()}:VCARD", text)
    if not _VERSION_LINE.search(out):
        out = _BEGIN_LINE.sub(lambda m: f"BEGIN:VCARD{m.group(1)}VERSION:3.0{m.group(1)}",
                              out, count=1)
    return out
