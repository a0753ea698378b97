"""What sync needs from a ``Book`` beyond contacts: card texts, server cards, UIDs.

Cards pulled from the server go into the book *as cards* (their text, ``Book.put_text``),
not as ``Contact`` values, so what the phone added that cardpipe has no field for (a
birthday, a photo, an X- property) is kept and never overwritten by the next push.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from .. import vcard
from ..book import Book
from ..contact import Contact
from ..pipeline import Plan, apply_plan
from ..vcard import contact_to_vcard, server_safe, utf8_text


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
        UTF-8 (``utf8_text``: a legacy-charset card), bare commas escaped (``server_safe``).
        vCard 2.1 and quoted-printable: rendered as 3.0 from the contact, because servers
        built on vobject mangle them; the book keeps its own text.
        """
        card = self.book.card(uid)
        if card is None or not card.ok or card.contact is None:
            return None
        if card.version == "2.1" or "QUOTED-PRINTABLE" in card.raw.upper():
            return contact_to_vcard(card.contact.replace(uid=uid), "3.0")
        return server_safe(utf8_text(card.raw, card.encoding))

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

    def apply_plan(self, plan: Plan, *, now: dt.datetime | None = None) -> bool:
        """Re-apply one recorded merge plan (from a run that was killed); idempotent."""
        return apply_plan(self.book, plan, now=now)[1]
