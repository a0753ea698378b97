"""``Card``: one vCard as read, with what it takes to write it back unchanged."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cardpipe.contact import Contact
from cardpipe.vcard._lex import Prop


@dataclass(frozen=True)
class Bindings:
    """Which content lines each Contact field was read from (indices into ``Card.props``).

    ``fields``: scalar field key ("fn", "n", "nickname", "org", "title", "note",
    "categories", "uid", "rev", "photo") -> prop indices.  ``items``: list field ("emails", "phones",
    "websites", "addresses", "social") -> ((item, prop indices), ...).  ``labels``: prop
    index -> index of its ``itemN.X-ABLabel`` companion.
    """

    fields: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    items: Mapping[str, tuple[tuple[Any, tuple[int, ...]], ...]] = field(default_factory=dict)
    labels: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Card:
    """One card of a file, kept losslessly.

    ``raw`` is the card's exact text (``BEGIN`` .. ``END`` line end included); ``before``
    is the text between the previous card and this one (blank lines), ``after`` the text
    after the last card of a file.  A malformed card has ``error`` ("file:line: reason")
    and ``contact`` None, and is written back untouched.  ``warnings`` are problems that
    were read around (no VERSION, no FN, an unknown CHARSET, blank lines inside the card).

    ``props`` (the unfolded content lines) and ``bindings`` are derived from ``raw`` when
    first needed, so a big book keeps only each card's text and its Contact in memory.
    """

    contact: Contact | None
    raw: str
    version: str | None = None
    error: str | None = None
    line: int = 1
    source: str = ""
    warnings: tuple[str, ...] = ()
    before: str = ""
    after: str = ""
    encoding: str = "utf-8"
    bom: bytes = b""
    newline: str = "\r\n"
    region: str | None = None  # the phone region the contact was read with
    _props: tuple[Prop, ...] | None = field(default=None, repr=False)
    _bindings: Bindings | None = field(default=None, repr=False)

    @property
    def props(self) -> tuple[Prop, ...]:
        if self._props is None:
            from cardpipe.vcard._lex import split_cards

            chunks, _ = split_cards(self.raw, self.source, first_line=self.line)
            object.__setattr__(self, "_props", tuple(p for ch in chunks for p in ch.props))
        return self._props  # type: ignore[return-value]

    @property
    def bindings(self) -> Bindings:
        if self._bindings is None:
            if self.contact is None:
                return Bindings()
            from cardpipe.vcard._read import read_contact

            _, bindings, _ = read_contact(
                self.props,
                encoding=self.encoding,
                source=self.source,
                line=self.line,
                region=self.region,
            )
            object.__setattr__(self, "_bindings", bindings)
        return self._bindings  # type: ignore[return-value]

    @property
    def ok(self) -> bool:
        return self.error is None and self.contact is not None

    @property
    def uid(self) -> str | None:
        if self.contact is not None:
            return self.contact.uid
        for p in self.props:
            if p.name == "UID":
                return p.value.strip() or None
        return None

    @property
    def write_version(self) -> str:
        """The version new lines are written in: the card's own, else 3.0."""
        return self.version if self.version in ("2.1", "3.0", "4.0") else "3.0"
