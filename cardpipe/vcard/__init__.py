"""Lossless vCard 2.1 / 3.0 / 4.0 reading and writing.

Why not plain vobject: on real client exports it fails on 2.1 quoted-printable soft line
breaks, drops bare 2.1 parameters (``TEL;HOME:``), crashes writing 2.1 base64 and
quoted-printable values and refuses cards without FN.  So a small tokenizer here splits a
file into cards and each card into unfolded content lines, keeping each line's exact text
(folds, soft breaks, line ends) for writing back; values are decoded from those lines into
a ``Contact``.  A changed contact is written by editing only the lines whose values changed.

Public API::

    read_vcards(data, *, source, region=None) -> list[Card]
    read_file(data, *, source, region=None) -> VCardFile   # + text after the last card
    render(card, contact) -> str          # the original text when nothing changed
    contact_to_vcard(contact, version="3.0", *, newline="\\r\\n") -> str
    write_vcards(items, *, version=None) -> bytes
    convert_card(card, version="3.0", *, contact=None) -> str   # clean card + its extras
    upgrade_card(card) -> str             # 2.1 -> 3.0 line by line, every property kept
    drop_undecodable(text) -> str         # without PHOTO etc. whose base64 is broken
    content_key(text) -> str              # what sync compares: servers rewrite the bytes
    canonical_lines(text) -> list[str]    # the content content_key hashes
    canonical_line(prop) -> str | None    # one of those lines
    server_safe(text) -> str              # bare commas escaped for vobject-based servers
    extra_lines(card, version="3.0") -> [(Prop, line)]  # what no Contact field holds
    utf8_text(text, encoding) -> str      # values as decoded by the reader, fit for UTF-8
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, replace

from cardpipe.contact import Contact
from cardpipe.vcard._canonical import (
    canonical_line,
    canonical_lines,
    content_key,
    server_safe,
    utf8_text,
)
from cardpipe.vcard._card import Bindings, Card
from cardpipe.vcard._convert import convert_card, drop_undecodable, extra_lines, upgrade_card
from cardpipe.vcard._lex import Param, Prop, iter_chunks
from cardpipe.vcard._read import normalise_phone, prop_text, read_contact
from cardpipe.vcard._text import decode_file
from cardpipe.vcard._write import contact_to_vcard, render, signature, write_vcards

__all__ = [
    "Bindings",
    "Card",
    "Param",
    "Prop",
    "VCardFile",
    "canonical_line",
    "canonical_lines",
    "contact_to_vcard",
    "content_key",
    "convert_card",
    "drop_undecodable",
    "extra_lines",
    "normalise_phone",
    "prop_text",
    "read_file",
    "read_vcards",
    "render",
    "same_contact",
    "server_safe",
    "signature",
    "upgrade_card",
    "utf8_text",
    "write_vcards",
]


@dataclass(frozen=True)
class VCardFile:
    """A whole file: its cards, the text after the last card, encoding and BOM."""

    cards: tuple[Card, ...]
    after: str = ""
    encoding: str = "utf-8"
    bom: bytes = b""


def same_contact(a: Contact, b: Contact) -> bool:
    """True when a vCard would say the same about both (list order ignored)."""
    return signature(a) == signature(b)


def read_file(data: bytes | str, *, source: str, region: str | None = None) -> VCardFile:
    """Read every card of a file; malformed cards are kept with ``error`` set."""
    # Reading a big book allocates millions of small objects and none of them form
    # cycles: the cyclic garbage collector would only slow it down (about 2x).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_file(data, source=source, region=region)
    finally:
        if was_enabled:
            gc.enable()


def _read_file(data: bytes | str, *, source: str, region: str | None) -> VCardFile:
    if isinstance(data, bytes):
        text, encoding, bom = decode_file(data)
    else:
        text, encoding, bom = data, "utf-8", b""
    tail: list[str] = []
    cards: list[Card] = []
    for ch in iter_chunks(text, source, 1, tail):
        props = tuple(ch.props)
        raw = "".join(p.raw for p in props)
        newline = next((p.newline for p in props if p.newline), "\r\n")
        if newline not in ("\r\n", "\n", "\r"):
            newline = newline[-2:] if newline.endswith("\r\n") else newline[-1:]
        versions = [p.value.strip() for p in props if p.name == "VERSION"]
        version = versions[0] if versions else None
        if ch.error:
            contact: Contact | None = None
            warnings: list[str] = []
            kept: tuple[Prop, ...] | None = props  # a malformed card keeps its lines
        else:
            contact, _, warnings = read_contact(
                props, encoding=encoding, source=source, line=ch.line, region=region
            )
            warnings = list(ch.warnings) + warnings
            if version is None:
                warnings.insert(0, f"{source}:{ch.line}: card has no VERSION (read as 3.0)")
            elif version not in ("2.1", "3.0", "4.0"):
                warnings.insert(0, f"{source}:{ch.line}: unknown VERSION {version!r}")
            # a blank line right after a base64 value is how vCard 2.1 ends one (Android)
            blank = [
                p.line
                for i, p in enumerate(props)
                if p.is_blank and not (i and props[i - 1].encoding == "b" and version == "2.1")
            ]
            if blank:
                warnings.append(f"{source}:{blank[0]}: blank line inside the card")
            # props and bindings are dropped (and derived again from raw when a card is
            # rendered with changes): a 100,000-card book would otherwise need ~10x the memory
            kept = None
        cards.append(
            Card(
                contact=contact,
                raw=raw,
                version=version,
                error=ch.error or None,
                line=ch.line,
                source=source,
                warnings=tuple(warnings),
                before=ch.before,
                encoding=encoding,
                bom=bom,
                newline=newline,
                region=region,
                _props=kept,
            )
        )
    after = "".join(tail)
    if cards:
        cards[-1] = replace(cards[-1], after=after)
    return VCardFile(tuple(cards), after, encoding, bom)


def read_vcards(data: bytes | str, *, source: str, region: str | None = None) -> list[Card]:
    """Every card in ``data`` (bytes of a .vcf file, or its text), in file order.

    ``region`` is the default phone region (e.g. "DE") for numbers without a ``+``; without
    it such numbers stay as printed.
    """
    return list(read_file(data, source=source, region=region).cards)
