"""A contact book: one .vcf file or a vdir folder, read losslessly and written safely.

A ``Book`` keeps every card as it was read.  Contacts that are not changed are written
back byte for byte; changed ones are re-rendered by ``vcard.render`` (only the changed
properties rewritten); malformed cards are carried through untouched and listed in
``book.errors``.  Saving an unchanged book writes nothing at all.

Writes are atomic (a temporary file in the same folder, fsync of the file and the folder,
``os.replace``), keep a timestamped backup of what they replace, refuse to overwrite a
file that changed on disk since it was read, and leave the old file in place on any error.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..contact import Contact
from ..errors import BookError
from ..vcard import (
    Card,
    Prop,
    VCardFile,
    contact_to_vcard,
    convert_card,
    extra_lines,
    prop_text,
    read_file,
    render,
    same_contact,
)
from ..vcard import write_vcards as _write_vcards
from .files import (
    BACKUP_DIR,
    atomic_write,
    backup_file,
    check_writable,
    fsync_dir,
    keep_copy,
    timestamp,
    vdir_filename,
)

#: properties a card holds once (RFC 6350 cardinality *1, and 3.0's): a merge keeps the
#: book's value and never adds a second
_SINGLE_PROPS = frozenset({"BDAY", "ANNIVERSARY", "GENDER", "KIND", "PRODID", "SORT-STRING",
                           "CLASS", "TZ", "GEO", "X-ANNIVERSARY", "X-GENDER"})
#: written from the Contact (its photo included: the merge decides which one is kept)
_CONTACT_PROPS = frozenset({"PHOTO"})
_UID_NAMESPACE = uuid.UUID("4d1f5e0c-5b9e-4d38-9a53-6c0a4b7f2e11")
_EXPORT_NAMESPACE = uuid.UUID("0b6a3c57-52f4-4a57-8c0e-52e4d2c5d3a1")


def _kind_for(path: Path) -> str:
    """'vdir' for a folder (or a new path without a .vcf suffix), else 'file'."""
    if path.is_dir():
        return "vdir"
    if not path.exists() and path.suffix.lower() != ".vcf":
        return "vdir"
    return "file"


def _stat_key(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _has_marker(card: Card, *markers: str) -> bool:
    return any(line.strip().upper() in markers for line in card.raw.splitlines())


def _has_begin(card: Card) -> bool:
    return _has_marker(card, "BEGIN:VCARD")


def _check_holds_vcards(path: Path, vf: VCardFile) -> None:
    """A book file must be empty or hold vCards: anything else (a photo, a PDF, a text
    file named by mistake) is refused rather than appended to."""
    if not vf.cards and not vf.after.strip():
        return
    if any(card.ok or _has_marker(card, "BEGIN:VCARD", "END:VCARD") for card in vf.cards):
        return  # vCards, even broken ones (a client's card missing its BEGIN line)
    raise BookError(
        f"{path}: not a vCard file (no BEGIN:VCARD in it); refusing to use it as the book",
        hint="name a .vcf contact book, or a new file to start one",
    )


def _unclosed(card: Card) -> bool:
    """A malformed card that runs to the end of the file without END:VCARD."""
    if card.error is None:
        return False
    lines = [line.strip().upper() for line in card.raw.splitlines() if line.strip()]
    return bool(lines) and _has_begin(card) and lines[-1] != "END:VCARD"


def _utf8(text: str) -> str:
    """``text`` as a string UTF-8 can encode: bytes of a legacy-charset file that the
    reader kept as lone surrogates (``surrogateescape``) become U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def unique_uids(contacts: Iterable[Contact]) -> list[Contact]:
    """The contacts, each with a UID no other one has.

    A missing or already used UID is replaced by one derived from the contact's content
    (uuid5), so exporting the same book twice gives the same UIDs.
    """
    seen: set[str] = set()
    out = []
    for c in contacts:
        uid = c.uid
        n = 0
        while not uid or uid in seen:
            emails = ",".join(e.key for e in c.emails)
            phones = ",".join(p.key for p in c.phones)
            uid = str(uuid.uuid5(_EXPORT_NAMESPACE, f"{c.uid}|{c.display_name}|{emails}|{phones}|{n}"))
            n += 1
        if uid != c.uid:
            c = c.replace(uid=uid)
        seen.add(uid)
        out.append(c)
    return out


# -- the book -------------------------------------------------------------------------


@dataclass
class _Entry:
    card: Card  # the card as it would be written now
    contact: Contact | None  # the contact as the caller sees it (None: malformed card)
    key: str | None  # the UID callers use (a stable synthetic one when the card has none)
    file: str | None = None  # vdir: the file the card lives in
    original: str | None = None  # the card's text when it was read (None: added)
    removed: bool = False

    @property
    def dirty(self) -> bool:
        if self.original is None:
            return not self.removed
        return self.removed or self.card.raw != self.original


class Book:
    """A contact book: ``Book.load(path)`` for a .vcf file or a vdir folder."""

    #: how many timestamped backups of one book (file) are kept
    keep_backups: int | None = 30

    def __init__(
        self,
        location: str | os.PathLike[str] | None = None,
        kind: str = "file",
        *,
        region: str | None = None,
    ) -> None:
        if kind not in ("file", "vdir"):
            raise ValueError(f"book kind must be 'file' or 'vdir', not {kind!r}")
        self.location = Path(location) if location is not None else None
        self.kind = kind
        self.region = region
        self.version: str | None = None  # for new cards; None: what the book mostly uses
        self._entries: list[_Entry] = []
        self._files: dict[str, VCardFile] = {}  # vdir: file name -> as read
        self._stats: dict[str, tuple[int, int, int] | None] = {}
        self._after = ""  # file: text after the last card
        self._template: VCardFile | None = None  # file: encoding / BOM of the file read
        self._warnings: list[str] = []
        self._index: dict[str, _Entry] = {}
        self._indexed = 0  # len(self._entries) when the index was built
        self._default_version: str | None = None  # what most cards of the book use

    # -- loading ----------------------------------------------------------------------
    @classmethod
    def load(
        cls,
        location: str | os.PathLike[str],
        *,
        region: str | None = None,
        kind: str | None = None,
    ) -> Book:
        """Read a book; a missing single file is an empty new book."""
        try:
            return cls._load(Path(location), region=region, kind=kind)
        except OSError as e:  # a path through a file, no permission, an I/O error ...
            raise BookError(f"{location}: cannot read: {e.strerror or e}") from e

    @classmethod
    def _load(cls, path: Path, *, region: str | None, kind: str | None) -> Book:
        if kind is None:
            kind = _kind_for(path)
        book = cls(path, kind, region=region)
        if kind == "vdir":
            if path.exists() and not path.is_dir():
                raise BookError(f"{path}: not a folder")
            names = sorted(
                p.name for p in path.glob("*.vcf") if p.is_file() and not p.name.startswith(".")
            ) if path.is_dir() else []  # fmt: skip
            for name in names:
                vf = book._read(path / name, str(path / name))
                book._files[name] = vf
                book._stats[name] = _stat_key(path / name)
                book._take(vf.cards, name)
        else:
            if path.is_dir():
                raise BookError(f"{path}: is a folder; load it as a vdir book")
            book._stats[""] = _stat_key(path)
            if path.exists():
                vf = book._read(path, str(path))
                _check_holds_vcards(path, vf)
                book._template = vf
                book._after = vf.after
                book._take(vf.cards, None)
        book._check_uids()
        return book

    @classmethod
    def new(
        cls,
        location: str | os.PathLike[str] | None = None,
        *,
        region: str | None = None,
        kind: str | None = None,
    ) -> Book:
        """An empty book that will be saved at ``location`` (a vdir unless it ends in .vcf)."""
        if location is None:
            return cls(None, kind or "file", region=region)
        return cls.load(location, region=region, kind=kind)

    @classmethod
    def of(cls, contacts: Iterable[Contact], *, region: str | None = None) -> Book:
        """A book in memory holding ``contacts`` (e.g. to export them); each keeps its UID,
        one without (or with a UID another has) gets one derived from its content."""
        book = cls(None, "file", region=region)
        for contact in unique_uids(contacts):
            book.add(contact)
        return book

    def _read(self, path: Path, source: str) -> VCardFile:
        try:
            data = path.read_bytes()
        except OSError as e:
            raise BookError(f"{path}: cannot read: {e.strerror or e}") from e
        return read_file(data, source=source, region=self.region)

    def _take(self, cards: Iterable[Card], file: str | None) -> None:
        for card in cards:
            self._entries.append(_Entry(card, card.contact, card.uid, file, card.raw))
        self._indexed = -1  # rebuilt on the next lookup

    def _check_uids(self) -> None:
        """Cards without a UID, or sharing one, get a stable synthetic UID (written only
        when the card is changed) so callers can address every contact by UID."""
        seen: dict[str, int] = {}
        raw_seen: dict[str, int] = {}
        for e in self._entries:
            if e.contact is None:
                continue
            uid = e.contact.uid
            if uid and uid not in seen:
                seen[uid] = 1
                continue
            if uid:
                self._warnings.append(
                    f"{e.card.source}:{e.card.line}: UID {uid!r} is used by another card; "
                    "this one gets a new UID when it is changed"
                )
            n = raw_seen.get(e.card.raw, 0)
            raw_seen[e.card.raw] = n + 1
            key = str(uuid.uuid5(_UID_NAMESPACE, f"{_utf8(e.card.raw)}#{n}"))
            e.key = key
            e.contact = e.contact.replace(uid=key)
            seen[key] = 1

    # -- reading the book -------------------------------------------------------------
    @property
    def entries(self) -> list[Card]:
        """Every card in book order, malformed ones included (their ``error`` is set)."""
        return [e.card for e in self._entries if not e.removed]

    def contacts(self) -> list[Contact]:
        """The readable contacts, in book order (each with a UID)."""
        return [e.contact for e in self._entries if not e.removed and e.contact is not None]

    def items(self) -> list[tuple[Card, Contact]]:
        """(card, contact) of every readable contact: the card carries what the Contact
        has no field for (PHOTO, BDAY, X- properties), e.g. for exports."""
        return [
            (e.card, e.contact) for e in self._entries if not e.removed and e.contact is not None
        ]

    def __len__(self) -> int:
        return len(self.contacts())

    def get(self, uid: str) -> Contact | None:
        e = self._find(uid)
        return e.contact if e else None

    def card(self, uid: str) -> Card | None:
        e = self._find(uid)
        return e.card if e else None

    @property
    def errors(self) -> list[str]:
        """Malformed cards, each as "file:line: reason" (they are kept untouched)."""
        return [e.card.error for e in self._entries if e.card.error and not e.removed]

    @property
    def warnings(self) -> list[str]:
        out = list(self._warnings)
        for e in self._entries:
            if not e.removed:
                out.extend(e.card.warnings)
        return out

    @property
    def changed(self) -> bool:
        """True when saving to the book's own location would write anything."""
        return any(e.dirty for e in self._entries)

    def _find(self, uid: str | None) -> _Entry | None:
        """The live entry with this UID (a dict lookup: books have 100,000 contacts)."""
        if uid is None:
            return None
        if len(self._entries) != self._indexed:
            self._reindex()  # entries were appended directly
        e = self._index.get(uid)
        if e is not None and (e.removed or e.key != uid or e.contact is None):
            self._reindex()  # an entry changed behind our back
            e = self._index.get(uid)
            if e is not None and (e.removed or e.key != uid or e.contact is None):
                return None
        return e

    def _reindex(self) -> None:
        index: dict[str, _Entry] = {}
        for e in self._entries:
            if not e.removed and e.key is not None and e.contact is not None:
                index.setdefault(e.key, e)
        self._index = index
        self._indexed = len(self._entries)

    def _append(self, entry: _Entry) -> None:
        self._entries.append(entry)
        if self._indexed == len(self._entries) - 1:
            if entry.key is not None and entry.contact is not None:
                self._index.setdefault(entry.key, entry)
            self._indexed = len(self._entries)

    # -- changing the book ------------------------------------------------------------
    def _new_version(self) -> str:
        if self.version:
            return self.version
        if self._default_version is None:
            counts: dict[str, int] = {}
            for e in self._entries:
                if e.contact is not None:
                    v = e.card.write_version
                    counts[v] = counts.get(v, 0) + 1
            self._default_version = max(counts, key=counts.__getitem__) if counts else "3.0"
        return self._default_version

    def _newline(self) -> str:
        for e in self._entries:
            if e.original is not None and e.card.newline in ("\r\n", "\n", "\r"):
                return e.card.newline
        return "\r\n"

    def add(self, contact: Contact, *, like: Card | None = None) -> str:
        """Add a new contact; assigns a UID when it has none (or a taken one); returns it.

        ``like``: the vCard the contact was read from; what it holds that the Contact has
        no field for (BDAY, ROLE, X- properties ...) is written into the new card too.
        """
        uid = contact.uid
        if not uid or self._find(uid) is not None:
            uid = str(uuid.uuid4())
            contact = contact.replace(uid=uid)
        if like is not None and like.ok:
            text = convert_card(like, self._new_version(), contact=contact,
                                newline=self._newline())
        else:
            text = contact_to_vcard(contact, self._new_version(), newline=self._newline())
        card = read_file(text, source=str(self.location or "<new>"), region=self.region).cards[0]
        self._append(_Entry(card, contact, uid))
        return uid

    def update(self, uid: str, contact: Contact) -> bool:
        """Replace the contact with UID ``uid``; returns whether its card changed."""
        e = self._find(uid)
        if e is None:
            raise BookError(f"{self.location}: no contact with UID {uid!r}")
        if contact.uid is None:
            contact = contact.replace(uid=uid)
        if e.contact is not None and same_contact(e.contact, contact):
            e.contact = contact
            return False
        self._replace_card(e, render(e.card, contact))
        e.contact = contact
        self._rekey(e, contact.uid)
        return True

    replace = update

    def carry_extras(self, uid: str, card: Card) -> bool:
        """Give the card of contact ``uid`` what ``card`` holds that no Contact field
        does (BDAY, ROLE, X- properties ...) and it lacks; returns whether it changed.

        A property the book's card already has with the same value is not added again,
        nor a second value of one a card holds once (BDAY, ANNIVERSARY, GENDER ...: the
        book's stays); groups (``item1.``) are renamed so they never join the book's.
        """
        e = self._find(uid)
        if e is None:
            raise BookError(f"{self.location}: no contact with UID {uid!r}")
        if not card.ok:
            return False
        props = e.card.props
        have = {(p.name, prop_text(p, e.card.encoding).strip()) for p in props if p.name}
        names = {p.name for p in props if p.name}
        taken = {p.group.lower() for p in props if p.group}
        groups: dict[str, str] = {}
        n = 1
        for p in card.props:
            if p.group and p.group.lower() not in groups:
                while f"item{n}" in taken:
                    n += 1
                groups[p.group.lower()] = f"item{n}"
                taken.add(f"item{n}")
        extras = extra_lines(card, e.card.write_version, newline=e.card.newline, groups=groups)
        keep: list[tuple[Prop, str]] = []
        for p, line in extras:
            if p.name == "X-ABLABEL" or p.name in _CONTACT_PROPS:
                continue
            if p.name in _SINGLE_PROPS and p.name in names:
                continue
            if (p.name, prop_text(p, card.encoding).strip()) in have:
                continue
            keep.append((p, line))
        kept_groups = {p.group for p, _ in keep if p.group}
        lines = [line for p, line in extras
                 if (p, line) in keep or (p.name == "X-ABLABEL" and p.group in kept_groups)]
        if not lines:
            return False
        end = max(i for i, p in enumerate(props) if p.name == "END")
        text = "".join(p.raw for p in props[:end]) + "".join(lines) + "".join(
            p.raw for p in props[end:])
        self._replace_card(e, text)
        return True

    def _rekey(self, e: _Entry, key: str | None) -> None:
        if key == e.key:
            return
        if e.key is not None and self._index.get(e.key) is e:
            del self._index[e.key]
        e.key = key
        if key is not None:
            self._index.setdefault(key, e)

    def _replace_card(self, e: _Entry, text: str) -> None:
        new = read_file(text, source=e.card.source, region=self.region).cards[0]
        e.card = dataclasses.replace(
            new,
            before=e.card.before,
            after=e.card.after,
            line=e.card.line,
            encoding=e.card.encoding,
            bom=e.card.bom,
        )

    def put_text(self, text: str, *, uid: str | None = None) -> str:
        """Put a card given as vCard text (say, from a CardDAV server) into the book.

        It replaces the card of the contact with UID ``uid`` (default: the card's own UID),
        or is added when there is none.  The text is kept as it is, except that its line
        ends follow the book's.  Returns the UID the contact has in the book.
        """
        key = uid
        e = self._find(key) if key else None
        newline = e.card.newline if e is not None else self._newline()
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", newline)
        source = e.card.source if e is not None else str(self.location or "<new>")
        cards = read_file(text, source=source, region=self.region).cards
        if len(cards) != 1 or not cards[0].ok or cards[0].contact is None:
            reason = cards[0].error if cards and cards[0].error else "not exactly one vCard"
            raise BookError(f"{source}: cannot put this card into the book: {reason}")
        card = cards[0]
        contact = card.contact
        assert contact is not None  # checked above
        if e is None and card.uid:
            e = self._find(card.uid)
        key = key or card.uid or str(uuid.uuid5(_UID_NAMESPACE, _utf8(card.raw)))
        if contact.uid is None:
            contact = contact.replace(uid=key)
        if e is None:
            self._append(_Entry(card, contact, key))
            return key
        if card.raw != e.card.raw:
            self._replace_card(e, card.raw)
        e.contact = contact
        self._rekey(e, key)
        return key

    def ensure_uids(self) -> int:
        """Write the UID the book gives a card into every readable card without one (or
        with one another card uses too); returns how many cards changed."""
        count = 0
        for e in self._entries:
            if e.removed or e.contact is None or e.card.contact is None:
                continue
            if e.card.contact.uid == e.contact.uid:
                continue  # its own UID is written (and not used by another card)
            self._replace_card(e, render(e.card, e.contact))
            count += 1
        return count

    def remove(self, uid: str) -> None:
        """Drop a contact (e.g. merged into another); it stays in the backup."""
        e = self._find(uid)
        if e is None:
            raise BookError(f"{self.location}: no contact with UID {uid!r}")
        e.removed = True
        if self._index.get(uid) is e:
            del self._index[uid]

    # -- writing ----------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        """The whole book as one .vcf file.

        Raises ``BookError`` when a new card would follow a card that is not closed
        (``BEGIN:VCARD`` without ``END:VCARD`` at the end of the file): written there, it
        would become part of the open card and no reader could tell the two apart.
        """
        items: list[Card] = []
        after: str | None = self._after
        for e in self._entries:
            if e.removed:
                continue
            card = e.card
            if e.original is None and items and _unclosed(items[-1]):
                raise BookError(
                    f"{items[-1].source}:{items[-1].line}: the last card has no END:VCARD; "
                    "nothing was written (a new card would be written into it)",
                    hint="close it with an END:VCARD line or remove it, then run again",
                )
            if e.original is None and after is not None:
                card = dataclasses.replace(card, before=after)  # new cards after the old tail
                after = None
            items.append(card)
        data = _write_vcards(items, after=after or "")
        if not items and self._template is not None:
            return self._template.bom + (after or "").encode(self._template.encoding)
        return data

    def save(
        self,
        location: str | os.PathLike[str] | None = None,
        *,
        backup: bool = True,
        kind: str | None = None,
    ) -> bool:
        """Write the book; returns False when nothing had to be written.

        Without ``location`` the book is written where it was loaded from, and only when
        it changed (vdir: only the changed files).  To another location the whole book is
        written (as a vdir when that is an existing folder or has no .vcf suffix).
        """
        if location is None:
            if self.location is None:
                raise BookError("the book has no location to save to")
            target, target_kind = self.location, self.kind
        else:
            target = Path(location)
            target_kind = kind or _kind_for(target)
        same = self.location is not None and target.resolve() == self.location.resolve()
        if same and target_kind == self.kind:
            if not self.changed:
                return False
            if self.kind == "file":
                self._save_file(target, backup, check=True)
            else:
                self._save_vdir_changes(target, backup)
        elif target_kind == "file":
            self._save_file(target, backup, check=False)
        else:
            self._save_vdir_all(target, backup)
        if same and target_kind == self.kind:
            self._mark_saved()
        return True

    def _mark_saved(self) -> None:
        kept = []
        for e in self._entries:
            if e.removed:
                continue
            e.original = e.card.raw
            kept.append(e)
        self._entries = kept
        self._reindex()

    def _save_file(self, path: Path, backup: bool, *, check: bool) -> None:
        if check and _stat_key(path) != self._stats.get(""):
            raise BookError(
                f"{path}: changed on disk since it was read; nothing was written",
                hint="run again to merge into the current version",
            )
        data = self.to_bytes()
        check_writable(path)
        if backup:
            backup_file(path, self.keep_backups)
        atomic_write(path, data)
        if check:
            self._stats[""] = _stat_key(path)

    def _file_groups(self) -> dict[str, list[_Entry]]:
        """vdir file name -> its entries (new contacts get a file named after their UID)."""
        groups: dict[str, list[_Entry]] = {}
        for e in self._entries:
            if e.file is not None:
                groups.setdefault(e.file, []).append(e)
        taken = set(groups)
        for e in self._entries:
            if e.file is None and not e.removed:
                name = vdir_filename(e.key or str(uuid.uuid4()), taken)
                taken.add(name)
                groups[name] = [e]
        return groups

    def _vdir_backup_dir(self, folder: Path) -> Path:
        base = folder / BACKUP_DIR / timestamp()
        path, n = base, 1
        while path.exists():
            path = base.with_name(f"{base.name}-{n}")
            n += 1
        return path

    def _save_vdir_changes(self, folder: Path, backup: bool) -> None:
        groups = self._file_groups()
        todo = {name: es for name, es in groups.items() if any(e.dirty for e in es)}
        for name in todo:
            if _stat_key(folder / name) != self._stats.get(name):
                raise BookError(
                    f"{folder / name}: changed on disk since it was read; nothing was written",
                    hint="run again to merge into the current version",
                )
            check_writable(folder / name)  # all refused before any is written
        backup_dir = self._vdir_backup_dir(folder) if backup else None
        for name, es in todo.items():
            path = folder / name
            alive = [e.card for e in es if not e.removed]
            if backup_dir is not None and path.exists():
                backup_dir.mkdir(parents=True, exist_ok=True)
                keep_copy(path, backup_dir / name)
            if alive:
                atomic_write(path, _write_vcards(alive, after=self._files.get(name, _EMPTY).after))
                self._stats[name] = _stat_key(path)
            else:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                self._stats.pop(name, None)
            for e in es:
                e.file = name
        if backup_dir is not None and backup_dir.exists():
            fsync_dir(backup_dir)
            self._prune_vdir_backups(folder)
        fsync_dir(folder)

    def _prune_vdir_backups(self, folder: Path) -> None:
        if not self.keep_backups:
            return
        dirs = sorted(p for p in (folder / BACKUP_DIR).iterdir() if p.is_dir())
        for stale in dirs[: -self.keep_backups]:
            shutil.rmtree(stale, ignore_errors=True)

    def _save_vdir_all(self, folder: Path, backup: bool) -> None:
        """Write every contact into ``folder`` (a different place than it was read from)."""
        folder.mkdir(parents=True, exist_ok=True)
        taken = {p.name for p in folder.glob("*.vcf")}
        backup_dir = self._vdir_backup_dir(folder) if backup else None
        used: set[str] = set()
        for e in self._entries:
            if e.removed:
                continue
            name = vdir_filename(e.key or str(uuid.uuid4()), used)
            used.add(name)
            data = _write_vcards([dataclasses.replace(e.card, before="", after="")])
            path = folder / name
            if name in taken:
                if path.read_bytes() == data:
                    continue
                if backup_dir is not None:
                    backup_dir.mkdir(parents=True, exist_ok=True)
                    keep_copy(path, backup_dir / name)
            atomic_write(path, data)
        fsync_dir(folder)


_EMPTY = VCardFile(())


def write_book(contacts: Iterable[Contact], location: str | os.PathLike[str]) -> Book:
    """A new book at ``location`` holding ``contacts`` (helper for exports and tests)."""
    book = Book(location, "vdir" if Path(location).suffix.lower() != ".vcf" else "file")
    for c in contacts:
        book.add(c)
    book.save(location, backup=False)
    return book
