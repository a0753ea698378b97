"""What needs a look, and the decisions a person makes on it (``cardpipe review``).

A ``ReviewSession`` reads the book and the ledger and lists the contacts to look at:
those marked for review (the matcher was unsure: ``merge.REVIEW_CATEGORY``), with the
candidate the matcher would pair them with and its per-field reasons, and those whose
card was read with a field below ``LOW_CONFIDENCE``.  Each decision (accept, edit,
merge with the candidate, keep separate, skip) is written to the book at once (the book
is read again first, so an edit made meanwhile by another command is not lost; then
``Book.save``: atomic, backed up) and recorded in the ledger with the text of each
contact before and after, so that the session's decisions can be undone, and a pair
kept separate never merges in a later ``run`` or ``sync`` (``Ledger.apart_for``).

Everything here is plain Python: the page (``server``) only calls it.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import phonenumbers

from .. import match, merge
from ..book import Book
from ..contact import CONFIDENCE_FIELDS, Address, Contact, Email, Phone
from ..errors import BookError
from ..followup import add_action, parse_due
from ..match.decide import score_features
from ..sync.ledger import DECISIONS, DecisionRecord, KeptCard, Ledger

#: a field read with less confidence than this is highlighted and listed
LOW_CONFIDENCE = 0.6
#: decisions the page offers, as the ledger records them (``skip`` changes nothing but is
#: recorded; ``followup`` adds an action with its date and leaves the card where it is)
DECISION_KINDS = DECISIONS
#: decisions that do not settle a card (it stays on the list)
_UNSETTLING = ("skip", "followup")
#: the fields the page edits: name -> how the value is shown (one line, or one per line)
EDITABLE = ("full_name", "title", "company", "department", "emails", "phones", "websites",
            "street", "postcode", "locality", "region", "country")
_ADDRESS_PARTS = ("street", "postcode", "locality", "region", "country")
_REVIEW_NOTE = re.compile(r"^cardpipe review\b.*$", re.MULTILINE)


class ReviewError(BookError):
    """A decision that cannot be carried out (an unknown contact, a stale undo)."""


@dataclass(frozen=True)
class Item:
    """One contact to look at, and why."""

    uid: str
    name: str
    marked: bool  # marked for review by the matcher
    low: tuple[str, ...]  # fields read below LOW_CONFIDENCE
    note: str  # the matcher's reasons, as written on the contact

    def to_dict(self) -> dict[str, Any]:
        return {"uid": self.uid, "name": self.name, "marked": self.marked,
                "low": list(self.low), "note": self.note}


def unmark(contact: Contact) -> Contact:
    """``contact`` without the review category and the 'cardpipe review: ...' note line."""
    note = contact.note
    if note:
        note = "\n".join(ln for ln in note.splitlines() if not _REVIEW_NOTE.match(ln)) or None
    return contact.replace(
        note=note,
        categories=tuple(c for c in contact.categories if c != merge.REVIEW_CATEGORY))


def review_note(contact: Contact) -> str:
    """The matcher's reasons written on a contact marked for review ('' when none)."""
    found = _REVIEW_NOTE.findall(contact.note or "")
    return "; ".join(s.removeprefix("cardpipe review").lstrip(": ") for s in found)


def fields_of(contact: Contact) -> dict[str, str]:
    """The editable fields as the page shows them (lists one item per line)."""
    address = contact.address or Address()
    out = {
        "full_name": contact.full_name or "",
        "title": contact.title or "",
        "company": contact.company or "",
        "department": contact.department or "",
        "emails": "\n".join(e.address for e in contact.emails),
        "phones": "\n".join(p.raw or p.number for p in contact.phones),
        "websites": "\n".join(contact.websites),
    }
    for part in _ADDRESS_PARTS:
        out[part] = getattr(address, part)
    return out


def _phone(text: str, old: Phone | None, region: str | None) -> Phone:
    """A number as typed: E.164 when it parses as a valid number, else as typed."""
    if old is not None and text in (old.raw, old.number):
        return old
    kind = old.type if old is not None else "other"
    try:
        parsed = phonenumbers.parse(text, region)
        if phonenumbers.is_valid_number(parsed):
            e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
            return Phone(e164, kind, raw=text)
    except phonenumbers.NumberParseException:
        pass
    return Phone(text, kind, raw=text)


def _lines(value: str) -> list[str]:
    return [ln.strip() for ln in value.splitlines() if ln.strip()]


def with_fields(contact: Contact, values: Mapping[str, str], *,
                region: str | None = None) -> Contact:
    """``contact`` with the fields in ``values`` (``EDITABLE`` names) as typed; what is
    not named is kept, an item typed as before keeps its type and what was read with it."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ReviewError(f"not an editable field: {', '.join(sorted(unknown))}")
    changes: dict[str, Any] = {}
    for name in ("full_name", "title", "company", "department"):
        if name in values:
            changes[name] = " ".join(values[name].split()) or None
    if "full_name" in changes and changes["full_name"] != contact.full_name:
        # the parts followed the old name; a name typed anew is taken as a whole
        changes.update(given_name=None, family_name=None, middle_name=None)
    if "emails" in values:
        old_emails = {e.key: e for e in contact.emails}
        changes["emails"] = tuple(old_emails.get(a.lower(), Email(a))
                                  for a in _lines(values["emails"]))
    if "phones" in values:
        typed = _lines(values["phones"])
        old = list(contact.phones)
        changes["phones"] = tuple(_phone(t, old[i] if i < len(old) else None, region)
                                  for i, t in enumerate(typed))
    if "websites" in values:
        changes["websites"] = tuple(_lines(values["websites"]))
    if any(p in values for p in _ADDRESS_PARTS):
        first = contact.address or Address(type="work")
        parts = {p: " ".join(values[p].split()) for p in _ADDRESS_PARTS if p in values}
        address = Address(**{**first.to_dict(), **parts})
        rest = contact.addresses[1:]
        changes["addresses"] = (rest if address.is_empty() else (address, *rest))
    return contact.replace(**changes)


class ReviewSession:
    """The contacts of one book to review and the decisions of one sitting."""

    def __init__(self, book_path: str | Path, ledger: Ledger, *,
                 model: match.MatchModel | None = None, session: str | None = None) -> None:
        self.book_path = Path(book_path)
        self.ledger = ledger
        self.model = model or match.load_model()
        self.session = session or secrets.token_hex(8)
        self.book = self._load()
        self._index: match.MatchIndex | None = None

    # -- reading --------------------------------------------------------------------
    def _load(self) -> Book:
        from ..pipeline import load_book  # as run and sync read it

        return load_book(self.book_path)

    def reload(self) -> None:
        self.book = self._load()
        self._index = None

    @property
    def index(self) -> match.MatchIndex:
        if self._index is None:
            self._index = match.MatchIndex(self.book.contacts(), self.model)
        return self._index

    def _contact(self, uid: str) -> Contact:
        contact = self.book.get(uid)
        if contact is None:
            raise ReviewError(f"{self.book_path}: no contact with UID {uid!r}")
        return contact

    def _latest_cards(self) -> dict[str, KeptCard]:
        latest: dict[str, KeptCard] = {}
        for card in self.ledger.kept_cards():
            if card.uid:
                latest[card.uid] = card  # oldest first: the last one wins
        return latest

    def items(self) -> list[Item]:
        """What needs a look, in book order: marked for review, or a card read with a
        field below ``LOW_CONFIDENCE`` that nobody accepted or edited since."""
        cards = self._latest_cards()
        settled: dict[str, str] = {}
        for d in self.ledger.decisions():
            if d.kind not in _UNSETTLING:
                settled[d.uid] = max(settled.get(d.uid, ""), d.decided_at)
        out = []
        for contact in self.book.contacts():
            uid = contact.uid
            if not uid:
                continue
            marked = merge.REVIEW_CATEGORY in contact.categories
            card = cards.get(uid)
            low: tuple[str, ...] = ()
            if card is not None and settled.get(uid, "") < card.recorded_at:
                low = tuple(f for f in CONFIDENCE_FIELDS
                            if card.confidence.get(f, 1.0) < LOW_CONFIDENCE)
            if marked or low:
                out.append(Item(uid, contact.display_name, marked, low, review_note(contact)))
        return out

    def candidate(self, uid: str) -> match.PairScore | None:
        """The contact the matcher would pair ``uid`` with (never one kept apart from it)."""
        contact = self._contact(uid)
        index = self.index
        apart = self.ledger.apart_for(contact)
        a = match.features(contact, index.model)
        scores = [score_features(a, index.features_of(u), u, index, self.model, uid)
                  for u in index.candidate_uids(a, exclude=uid) if u not in apart]
        if not scores:
            return None
        best = max(scores, key=lambda s: s.log_odds)
        return best if best.can_review(self.model) or best.can_merge(self.model) else None

    def detail(self, uid: str) -> dict[str, Any]:
        """Everything the page shows of one contact: its fields, their confidence and the
        OCR lines they came from, the card image, and the candidate with the reasons."""
        contact = self._contact(uid)
        cards = self.ledger.kept_cards(uid)
        card = cards[-1] if cards else None
        out: dict[str, Any] = {
            "uid": uid, "name": contact.display_name, "fields": fields_of(contact),
            "marked": merge.REVIEW_CATEGORY in contact.categories,
            "note": review_note(contact), "confidence": {}, "card": None, "candidate": None,
        }
        if card is not None:
            out["confidence"] = {k: v for k, v in card.confidence.items()}
            out["card"] = {"image": f"cards/{card.sha256}/{card.card}" if card.image else None,
                           "photo": card.path, **card.meta}
        ps = self.candidate(uid) if out["marked"] else None
        if ps is not None:
            other = self._contact(ps.uid)
            out["candidate"] = {
                "uid": ps.uid, "name": other.display_name, "fields": fields_of(other),
                "probability": round(ps.probability, 3),
                "reasons": [{"field": f.field, "level": f.level.replace("_", " "),
                             "detail": f.detail, "weight": round(f.weight, 2),
                             "conflict": f.conflict} for f in ps.fields],
            }
        return out

    # -- deciding -------------------------------------------------------------------
    def _text(self, uid: str) -> str | None:
        card = self.book.card(uid)
        return None if card is None else _norm(card.raw)

    def _save(self) -> None:
        self.book.save()
        self.reload()

    def decide(self, kind: str, uid: str, *, other: str | None = None,
               values: Mapping[str, str] | None = None) -> DecisionRecord:
        """Carry out one decision on the book (written at once) and record it."""
        if kind not in DECISION_KINDS:
            raise ReviewError(f"unknown decision {kind!r} (one of {', '.join(DECISION_KINDS)})")
        self.reload()  # another command may have written the book since
        contact = self._contact(uid)
        touched = [uid] + ([other] if other else [])
        if kind in ("merge", "separate"):
            if not other or other == uid:
                raise ReviewError(f"{kind} needs another contact than {uid!r}")
            self._contact(other)
        before = {u: self._text(u) for u in touched}
        detail: dict[str, Any] = {}
        if kind == "accept":
            self.book.update(uid, unmark(contact))
        elif kind == "edit":
            edited = with_fields(unmark(contact), values or {}, region=self.book.region)
            detail["fields"] = sorted(values or {})
            self.book.update(uid, edited)
        elif kind == "merge":
            assert other is not None
            merged = merge.merge(self._contact(other), unmark(contact), region=self.book.region)
            self.book.update(other, merged)
            self.book.remove(uid)
        elif kind == "separate":
            self.book.update(uid, unmark(contact))
        elif kind == "followup":  # "call about the pilot", in 30 days
            given = dict(values or {})
            due = parse_due(given.get("due") or "30d", dt.datetime.now(dt.UTC))
            action = add_action(self.book, uid, given.get("text", ""), due)
            detail["followup"] = {"id": action.id, "text": action.text,
                                  "due": action.due.isoformat()}
        self._save()
        if kind == "merge":  # the card now shows with the contact it went into
            moved = [(c.sha256, c.card) for c in self.ledger.kept_cards(uid)]
            for sha, n in moved:
                self.ledger.set_card_uid(sha, n, other)
            detail["cards"] = moved
        after = {u: self._text(u) for u in touched}
        decision_id = self.ledger.record_decision(kind, uid, other=other, detail=detail,
                                                  before=before, after=after,
                                                  session=self.session)
        record = self.ledger.decision(decision_id)
        assert record is not None
        return record

    def history(self) -> list[DecisionRecord]:
        """This session's decisions not undone, oldest first."""
        return self.ledger.decisions(session=self.session)

    def undo(self, decision_id: int | None = None) -> DecisionRecord:
        """Undo one decision of this session (default: the last one not undone): each
        contact it touched gets its text from before back, and the ledger forgets it.

        Refused when a contact it touched changed since (another decision, another
        command): undo that first."""
        mine = self.history()
        if not mine:
            raise ReviewError("nothing to undo in this session")
        record = mine[-1] if decision_id is None else next(
            (d for d in mine if d.id == decision_id), None)
        if record is None:
            raise ReviewError(f"decision {decision_id} is not one of this session's")
        self.reload()
        for u, text in record.after.items():
            if self._text(u) != text:
                raise ReviewError(f"{self.book_path}: contact {u} changed since that decision; "
                                  "undo the later decisions first")
        for u, text in record.before.items():
            if text is None:
                if self.book.get(u) is not None:
                    self.book.remove(u)
            else:
                self.book.put_text(text, uid=u)
        self._save()
        for sha, n in record.detail.get("cards", ()):
            self.ledger.set_card_uid(sha, n, record.uid)
        self.ledger.mark_undone(record.id)
        undone = self.ledger.decision(record.id)
        assert undone is not None
        return undone


def _norm(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decision_dict(d: DecisionRecord, names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """A decision as the page lists it."""
    names = names or {}
    return {"id": d.id, "kind": d.kind, "uid": d.uid, "other": d.other,
            "name": names.get(d.uid, d.uid), "other_name": names.get(d.other or "", d.other),
            "fields": d.detail.get("fields", []), "followup": d.detail.get("followup"),
            "at": d.decided_at,
            "undone": d.undone_at is not None}


def names_in(decisions: Sequence[DecisionRecord]) -> dict[str, str]:
    """UID -> the name the contact had before each decision (for the history list)."""
    from ..vcard import read_vcards

    out: dict[str, str] = {}
    for d in decisions:
        for u, text in {**d.after, **d.before}.items():
            if text and u not in out:
                cards = read_vcards(text, source="<decision>")
                if cards and cards[0].contact is not None:
                    out[u] = cards[0].contact.display_name
    return out
