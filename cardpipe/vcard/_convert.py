"""A card read from any client, rewritten as a clean 3.0 / 4.0 card for export.

The Contact fields are written fresh (``contact_to_vcard``); the card's other properties
that phones understand or that clients round-trip (PHOTO, BDAY, ROLE, X- properties, with
their groups and labels) are carried over, converted to the target version: quoted-
printable and CHARSET decoded, bare 2.1 parameters turned into TYPE=, base64 PHOTOs written
as ``ENCODING=b`` (3.0) or a ``data:`` URI (4.0).  The contact's photo is written from the
Contact only when it differs from the one the card was read with (say, one just attached).
"""

from __future__ import annotations

import dataclasses
import re

from cardpipe.contact import Contact
from cardpipe.vcard._card import Card
from cardpipe.vcard._lex import Prop
from cardpipe.vcard._read import BINARY_PROPS, IM_PROPS, binary_value, prop_text
from cardpipe.vcard._write import contact_to_vcard, format_prop, photo_line

#: Written from the Contact (or meaningless / harmful in another version).
_SKIP = {
    "BEGIN", "END", "VERSION", "PRODID", "N", "FN", "NICKNAME", "ORG", "TITLE", "EMAIL",
    "TEL", "ADR", "URL", "NOTE", "CATEGORIES", "UID", "REV", "X-SOCIALPROFILE",
    "SOCIALPROFILE", "IMPP", "X-ABLABEL", "LABEL", "AGENT", "NAME", "PROFILE", "SOURCE",
    "CLIENTPIDMAP",
}  # fmt: skip
_PORTABLE_NAME = re.compile(r"^[A-Za-z0-9-]+$")  # what every reader accepts
_ENCODING_WORDS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT"}


def convert_card(
    card: Card,
    version: str = "3.0",
    *,
    contact: Contact | None = None,
    newline: str = "\r\n",
) -> str:
    """A new ``version`` card for ``contact`` (default: the card's) with the card's
    other properties carried over."""
    contact = contact if contact is not None else card.contact
    if contact is None:
        raise ValueError(f"{card.source}:{card.line}: a malformed card cannot be converted")
    own_photo = card.contact.photo if card.contact is not None else None
    lines = [line for _, line in extra_lines(card, version, contact=contact, newline=newline)]
    if contact.photo == own_photo:
        contact = contact.replace(photo=None)  # the card's own PHOTO comes with the extras
    base = contact_to_vcard(contact, version, newline=newline)
    end = "END:VCARD" + newline
    return base[: -len(end)] + "".join(lines) + end


def extra_lines(
    card: Card,
    version: str = "3.0",
    *,
    contact: Contact | None = None,
    newline: str = "\r\n",
    groups: dict[str, str] | None = None,
) -> list[tuple[Prop, str]]:
    """The card's properties that no Contact field holds (BDAY, ROLE, X- properties,
    its own PHOTO unless ``contact`` has another one), each with its content line in
    ``version``.  ``groups`` renames property groups (lower-case old name -> new)."""
    contact = contact if contact is not None else card.contact
    own_photo = card.contact.photo if card.contact is not None else None
    bound: set[int] = set()
    for key, idxs in card.bindings.fields.items():
        if key != "photo" or (contact is not None and contact.photo != own_photo):
            bound.update(idxs)
    for items in card.bindings.items.values():
        for _, idxs in items:
            bound.update(idxs)
    extras: set[int] = set()
    for i, p in enumerate(card.props):
        if p.is_blank or i in bound or p.name in _SKIP or p.name in IM_PROPS:
            continue
        if (
            p.value.strip()
            and _PORTABLE_NAME.match(p.name)
            and _PORTABLE_NAME.match(p.group or "-")
        ):
            extras.add(i)
    kept = {(card.props[i].group or "").lower() for i in extras if card.props[i].group}
    out = []
    for i, p in enumerate(card.props):
        group = (p.group or "").lower()
        label = p.name == "X-ABLABEL" and group in kept
        if i in extras or label:
            if groups and group in groups:
                p = dataclasses.replace(p, group=groups[group])
            line = _convert_prop(p, card, version, newline)
            if line:
                out.append((p, line))
    return out


def _convert_prop(p: Prop, card: Card, version: str, newline: str) -> str:
    binary = p.name in BINARY_PROPS
    params: list[str] = []
    for param in p.params:
        if param.name in ("ENCODING", "CHARSET") or not param.raw.strip():
            continue
        if binary and param.name in (None, "TYPE", "VALUE", "MEDIATYPE"):
            continue  # written from the value's media type and kind
        if param.name is None:
            tokens = [v for v in param.values if v and v.upper() not in _ENCODING_WORDS]
            if tokens:
                params.append("TYPE=" + ",".join(tokens))
            continue
        if param.name == "VALUE" and param.values and param.values[0].lower() == "url":
            params.append("VALUE=uri")
            continue
        params.append(param.raw)
    if binary:
        value = binary_value(p)
        if value is None:
            return ""  # broken base64 (truncated photo): phones may reject the whole card
        return photo_line(value, version, newline, name=p.name_raw, params=params,
                          group=p.group)  # fmt: skip
    text = prop_text(p, card.encoding)
    if card.write_version == "2.1":
        # 2.1 keeps line breaks raw (inside quoted-printable); 3.0 / 4.0 escape them
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return format_prop(version, p.name_raw, text, params=params, group=p.group, newline=newline)
