"""A card read from any client, rewritten as a clean 3.0 / 4.0 card for export.

The Contact fields are written fresh (``contact_to_vcard``); the card's other properties
that phones understand or that clients round-trip (PHOTO, BDAY, ROLE, X- properties, with
their groups and labels) are carried over, converted to the target version: quoted-
printable and CHARSET decoded, bare 2.1 parameters turned into TYPE=, base64 PHOTOs written
as ``ENCODING=b`` (3.0) or a ``data:`` URI (4.0).
"""

from __future__ import annotations

import base64
import binascii
import re

from cardpipe.contact import Contact
from cardpipe.vcard._card import Card
from cardpipe.vcard._lex import Prop
from cardpipe.vcard._read import IM_PROPS, prop_text
from cardpipe.vcard._write import contact_to_vcard, format_prop

#: Written from the Contact (or meaningless / harmful in another version).
_SKIP = {
    "BEGIN", "END", "VERSION", "PRODID", "N", "FN", "NICKNAME", "ORG", "TITLE", "EMAIL",
    "TEL", "ADR", "URL", "NOTE", "CATEGORIES", "UID", "REV", "X-SOCIALPROFILE",
    "SOCIALPROFILE", "IMPP", "X-ABLABEL", "LABEL", "AGENT", "NAME", "PROFILE", "SOURCE",
    "CLIENTPIDMAP",
}  # fmt: skip
_BINARY = {"PHOTO", "LOGO", "SOUND", "KEY"}
_MIME = {
    "JPEG": "image/jpeg", "JPG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif",
    "BMP": "image/bmp", "TIFF": "image/tiff", "WAV": "audio/wav", "MP3": "audio/mpeg",
    "PGP": "application/pgp-keys", "X509": "application/pkix-cert",
}  # fmt: skip
_DATA_URI = re.compile(r"^data:([^;,]*)(?:;[^,]*)?;base64,(.*)$", re.S | re.I)
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
    base = contact_to_vcard(contact, version, newline=newline)
    bound: set[int] = set()
    for idxs in card.bindings.fields.values():
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
    groups = {card.props[i].group.lower() for i in extras if card.props[i].group}
    lines = []
    for i, p in enumerate(card.props):
        label = p.name == "X-ABLABEL" and p.group and p.group.lower() in groups
        if i in extras or label:
            lines.append(_convert_prop(p, card, version, newline))
    end = "END:VCARD" + newline
    return base[: -len(end)] + "".join(x for x in lines if x) + end


def _convert_prop(p: Prop, card: Card, version: str, newline: str) -> str:
    params: list[str] = []
    fmt: str | None = None
    value_kind: str | None = None
    binary = p.name in _BINARY
    for param in p.params:
        if param.name in ("ENCODING", "CHARSET") or not param.raw.strip():
            continue
        if param.name is None:
            tokens = [v for v in param.values if v and v.upper() not in _ENCODING_WORDS]
            if binary and tokens:
                fmt = tokens[0]  # 2.1 "PHOTO;JPEG"
            elif tokens:
                params.append("TYPE=" + ",".join(tokens))
            continue
        if binary and param.name == "TYPE" and param.values:
            fmt = param.values[0]
            continue
        if binary and param.name == "VALUE" and param.values:
            value_kind = param.values[0].lower()
            continue
        if param.name == "VALUE" and param.values and param.values[0].lower() == "url":
            params.append("VALUE=uri")
            continue
        params.append(param.raw)
    if binary:
        return _convert_binary(p, version, params, fmt, value_kind, newline)
    text = prop_text(p, card.encoding)
    if card.write_version == "2.1":
        # 2.1 keeps line breaks raw (inside quoted-printable); 3.0 / 4.0 escape them
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return format_prop(version, p.name_raw, text, params=params, group=p.group, newline=newline)


def _valid_base64(data: str) -> str | None:
    """``data`` (padded if it lacks only the '=' padding), or None when it is not base64."""
    if len(data) % 4 == 1:
        return None
    padded = data + "=" * (-len(data) % 4)
    try:
        base64.b64decode(padded, validate=True)
    except (binascii.Error, ValueError):
        return None
    return padded


def _convert_binary(
    p: Prop, version: str, params: list[str], fmt: str | None, kind: str | None, newline: str
) -> str:
    value = p.value.strip()
    data: str | None = None
    mime = _MIME.get((fmt or "").upper(), f"image/{fmt.lower()}" if fmt else "image/jpeg")
    m = _DATA_URI.match(value)
    if m:
        mime = m.group(1) or mime
        data = m.group(2)
        fmt = fmt or mime.rpartition("/")[2].upper()
    elif p.encoding == "b" or (kind is None and not re.match(r"^[a-z][a-z0-9+.-]*:", value, re.I)):
        data = "".join(value.split())
    if data is None:  # a URI (http: ...)
        if version == "4.0":
            return format_prop(version, p.name_raw, value, params=params, group=p.group,
                               newline=newline)  # fmt: skip
        head = ["VALUE=uri"] + ([f"TYPE={fmt.upper()}"] if fmt else [])
        return format_prop(version, p.name_raw, value, params=head + params, group=p.group,
                           newline=newline)  # fmt: skip
    data = _valid_base64("".join(data.split()))
    if data is None:
        return ""  # broken base64 (truncated photo): phones may reject the whole card
    if version == "4.0":
        return format_prop(version, p.name_raw, f"data:{mime};base64,{data}", params=params,
                           group=p.group, newline=newline)  # fmt: skip
    head = ["ENCODING=b"] + ([f"TYPE={(fmt or 'JPEG').upper()}"])
    return format_prop(version, p.name_raw, data, params=head + params, group=p.group,
                       newline=newline)  # fmt: skip
