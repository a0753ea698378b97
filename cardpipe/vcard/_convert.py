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
from cardpipe.vcard._lex import Prop, iter_chunks
from cardpipe.vcard._read import BINARY_PROPS, IM_PROPS, binary_value, prop_text
from cardpipe.vcard._text import fold
from cardpipe.vcard._write import (
    NO_YEAR,
    Mark,
    contact_to_vcard,
    date_time_value,
    format_prop,
    is_date_time,
    photo_line,
)

#: Written from the Contact (or meaningless / harmful in another version).
_SKIP = {
    "BEGIN", "END", "VERSION", "PRODID", "N", "FN", "NICKNAME", "ORG", "TITLE", "EMAIL",
    "TEL", "ADR", "URL", "NOTE", "CATEGORIES", "UID", "REV", "X-SOCIALPROFILE",
    "SOCIALPROFILE", "IMPP", "X-ABLABEL", "LABEL", "AGENT", "NAME", "PROFILE", "SOURCE",
    "CLIENTPIDMAP",
}  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
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
    marks, bound_groups = _item_marks(card, contact)
    kept_groups = {g.lower() for g, _ in marks.values() if g}
    lines = [line for _, line in _extras(card, contact, version, newline,
                                          bound_groups=bound_groups, kept_groups=kept_groups)]
    if contact.photo == own_photo:
        contact = contact.replace(photo=None)  # the card's own PHOTO comes with the extras
    if contact.rev and not is_date_time(contact.rev):
        contact = contact.replace(rev=None)  # "0", "2017-05-10T14:36:01Z(2)": no timestamp
    if any(not _SCHEME.match(u) for u in contact.websites):
        # URL is a URI: "www.acme.de" as printed on a card is written "http://www.acme.de"
        uris = {u: u if _SCHEME.match(u) else f"http://{u}" for u in contact.websites}
        contact = contact.replace(websites=tuple(uris[u] for u in contact.websites))
        marks = {
            (k, uris[x] if k == "websites" and isinstance(x, str) and x in uris else x): m
            for (k, x), m in marks.items()
        }
    base = contact_to_vcard(contact, version, newline=newline, marks=marks)
    end = "END:VCARD" + newline
    return base[: -len(end)] + "".join(lines) + end


#: Lines a 3.0 card does not take over from a 2.1 one: the frame is written anew, and
#: PROFILE / AGENT are 2.1-only (servers refuse a card with ``PROFILE:VCard``).
_NOT_UPGRADED = frozenset({"BEGIN", "END", "VERSION", "PROFILE", "AGENT"})


def upgrade_card(card: Card, *, newline: str = "\r\n", keep_undecodable: bool = False
                 ) -> str:
    """A vCard 2.1 (or quoted-printable) card as 3.0, line by line: every property kept with
    its value as written (a number stays as printed, each TEL line and PREF mark stays),
    quoted-printable and CHARSET decoded, bare parameters written as TYPE=, base64 as
    ``ENCODING=b``.  Unlike ``convert_card`` nothing is rewritten from the Contact, so what
    sync uploads says exactly what the book says.  A PHOTO / LOGO / SOUND / KEY whose base64
    does not decode (a truncated picture) is left out, as servers refuse the whole card for
    it, unless ``keep_undecodable`` (the book's own copy: kept as it is)."""
    lines = ["BEGIN:VCARD" + newline, "VERSION:3.0" + newline]
    for p in card.props:
        if p.is_blank or p.name in _NOT_UPGRADED:
            continue
        line = _convert_prop(p, card, "3.0", newline)
        if not line and p.name in BINARY_PROPS and keep_undecodable:
            line = _verbatim_binary(p, newline)
        if line:
            lines.append(line)
    return "".join(lines) + "END:VCARD" + newline


def drop_undecodable(text: str) -> str:
    """A 3.0 / 4.0 card's text without the PHOTO / LOGO / SOUND / KEY lines whose base64
    does not decode (servers refuse the whole card for one); other lines keep their bytes."""
    if not _MAYBE_BINARY.search(text):
        return text
    out: list[str] = []
    tail: list[str] = []
    for chunk in iter_chunks(text, "", 1, tail):
        out.append(chunk.before)
        out += [p.raw for p in chunk.props
                if p.name not in BINARY_PROPS or binary_value(p) is not None]
    out.extend(tail)
    return "".join(out)


_MAYBE_BINARY = re.compile(r"^(?:[\w-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:]", re.I | re.M)


def _verbatim_binary(p: Prop, newline: str) -> str:
    kinds = [v for param in p.params if param.name in (None, "TYPE") for v in param.values
             if v and v.upper() not in _ENCODING_WORDS]
    head = (f"{p.group}." if p.group else "") + p.name_raw + ";ENCODING=b"
    head += f";TYPE={','.join(kinds)}" if kinds else ""
    return fold(f"{head}:{''.join(p.value.split())}", newline) + newline


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
    ``version``; the members of a group (``itemN.``) whose value is a Contact field are
    not among them.  ``groups`` renames property groups (lower-case old name -> new)."""
    contact = contact if contact is not None else card.contact
    _, bound_groups = _item_marks(card, contact)
    return _extras(card, contact, version, newline, bound_groups=bound_groups,
                   kept_groups=set(), rename=groups)


def _item_marks(card: Card, contact: Contact | None
                ) -> tuple[dict[tuple[str, object], Mark], set[str]]:
    """The group (``itemN.``) and PREF mark of each list item ``contact`` still has, and
    the groups of every line a Contact field was read from. A list item keeps its group
    and PREF mark; a group goes on only with a line of it written (the labels and
    X-ABADR of an address that was dropped go too)."""
    marks: dict[tuple[str, object], Mark] = {}
    bound_groups: set[str] = set()
    written = {kind: set(getattr(contact, kind)) if contact is not None else set()
               for kind in card.bindings.items}
    for kind, items in card.bindings.items.items():
        for item, idxs in items:
            props = [card.props[i] for i in idxs]
            group = next((p.group for p in props if p.group), None)
            pref = next((x for x in map(_pref, props) if x), None)
            if group:
                bound_groups.add(group.lower())
            if item in written[kind] and (group or pref):
                marks[(kind, item)] = (group, pref)
    for idxs in card.bindings.fields.values():
        bound_groups.update(g.lower() for i in idxs if (g := card.props[i].group))
    return marks, bound_groups


def _extras(card: Card, contact: Contact | None, version: str, newline: str, *,
            bound_groups: set[str], kept_groups: set[str],
            rename: dict[str, str] | None = None) -> list[tuple[Prop, str]]:
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
        group = (p.group or "").lower()
        if group in bound_groups and group not in kept_groups:
            continue  # its group's value is not written (or written without the group)
        if (
            p.value.strip()
            and _PORTABLE_NAME.match(p.name)
            and _PORTABLE_NAME.match(p.group or "-")
        ):
            extras.add(i)
    groups = {g.lower() for i in extras if (g := card.props[i].group)} | kept_groups
    out = []
    for i, p in enumerate(card.props):
        group = (p.group or "").lower()
        label = p.name == "X-ABLABEL" and bool(p.group) and group in groups
        if i in extras or label:
            if rename and group in rename:
                p = dataclasses.replace(p, group=rename[group])
            line = _convert_prop(p, card, version, newline)
            if line:
                out.append((p, line))
    return out


def _pref(p: Prop) -> str | None:
    """The PREF mark of a line: "1".."100" (4.0 ``PREF=n``), "1" for a PREF type."""
    for value in p.param("PREF"):
        if value.strip().isdigit():
            return value.strip()
    return "1" if "pref" in p.types else None


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
    text = _CONTROL.sub("", prop_text(p, card.encoding))  # no vCard value holds them
    if card.write_version == "2.1":
        # 2.1 keeps line breaks raw (inside quoted-printable); 3.0 / 4.0 escape them
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    text, params = convert_value(p.name, text, params, version)
    return format_prop(version, p.name_raw, text, params=params, group=p.group, newline=newline)


#: Properties whose value is a URI in vCard 3.0 (RFC 2426, RFC 2739) and 4.0 (RFC 6350).
URI_PROPS = frozenset({"URL", "SOURCE", "FBURL", "CALURI", "CALADRURI", "MEMBER", "IMPP"})
#: Properties whose value is a date and / or time (4.0: date-and-or-time).
DATE_PROPS = frozenset({"BDAY", "ANNIVERSARY", "DEATHDATE"})
_GEO_PAIR = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*(?:\\?[;,])\s*([+-]?\d+(?:\.\d+)?)\s*$")
_GEO_URI = re.compile(r"^geo:([+-]?\d+(?:\.\d+)?)\\?,([+-]?\d+(?:\.\d+)?)(?:[,;].*)?$", re.I)
_NO_YEAR_4 = re.compile(r"^--(\d{2})(\d{2})$")


def convert_value(
    name: str, text: str, params: list[str], version: str
) -> tuple[str, list[str]]:
    """A carried property's (escaped) value and parameters in ``version``'s value type.

    Dates become the basic ISO form in 4.0 (``1980-03-22`` -> ``19800322``); a 4.0
    birthday without a year (``--0322``) is written for 3.0 as Apple does
    (``X-APPLE-OMIT-YEAR=1604:1604-03-22``) and back; GEO is ``lat;lon`` in 3.0 and a
    ``geo:`` URI in 4.0; URIs are not text, so a backslash never escapes their commas.
    """
    is_text = any(x.upper().replace('"', "") == "VALUE=TEXT" for x in params)
    if name in DATE_PROPS and not is_text:
        omit = [x for x in params if x.upper().startswith("X-APPLE-OMIT-YEAR=")]
        if version == "4.0":
            if omit and text.strip().startswith(omit[0].partition("=")[2].strip() + "-"):
                text = "--" + text.strip()[5:]  # the year Apple wrote means "no year"
                params = [x for x in params if x not in omit]
            return date_time_value(text, version), params
        m = _NO_YEAR_4.match(text.strip()) or re.match(r"^--(\d{2})-(\d{2})$", text.strip())
        if m:
            text = f"{NO_YEAR}-{m.group(1)}-{m.group(2)}"
            if not omit:
                params = [*params, f"X-APPLE-OMIT-YEAR={NO_YEAR}"]
        return text, params
    if name == "GEO":
        pair = _GEO_PAIR.match(text)
        uri = _GEO_URI.match(text)
        if version == "4.0" and pair:
            return f"geo:{pair.group(1)},{pair.group(2)}", params
        if version != "4.0" and uri:
            return f"{uri.group(1)};{uri.group(2)}", params
        return (text.replace("\\,", ",") if uri else text), params
    if name in URI_PROPS or (name == "RELATED" and not is_text):
        return text.replace("\\,", ",").replace("\\;", ";"), params
    return text, params
