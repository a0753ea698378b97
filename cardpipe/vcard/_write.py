"""Writing: new cards from a Contact, and minimal edits of a card that was read."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from cardpipe.contact import SOCIAL_URLS, Address, Contact, Email, Phone, Photo, Social, fold
from cardpipe.contact import normalize_website as _norm_url
from cardpipe.errors import VCardError
from cardpipe.vcard._card import Card
from cardpipe.vcard._lex import Prop
from cardpipe.vcard._read import IM_PROPS, IM_SCHEMES, MEDIA_TYPES, prop_text
from cardpipe.vcard._text import encode_file, escape, qp_encode, split_unescaped
from cardpipe.vcard._text import fold as fold_line

VERSIONS = ("2.1", "3.0", "4.0")
#: Lines that only describe the value line of their group (Apple's label, address format).
_GROUP_HELPERS = frozenset({"X-ABLABEL", "X-ABADR"})
_APPLE_LABEL = re.compile(r"^_\$!<.*>!\$_$")
_SCHEME_FOR = {service: scheme for scheme, service in reversed(list(IM_SCHEMES.items()))}
_IM_SERVICES = (set(IM_SCHEMES.values()) | set(IM_PROPS.values())) - set(SOCIAL_URLS)
#: media type -> the 2.1 / 3.0 format name (the first of MEDIA_TYPES: JPEG, not JPG)
_FORMAT_NAMES = {mime: name for name, mime in reversed(MEDIA_TYPES.items())}
_PHONE_TOKENS = {
    "cell": ["cell"],
    "fax": ["fax"],
    "work": ["work"],
    "home": ["home"],
    "other": ["voice"],
}


# -- one content line -------------------------------------------------------------


def esc(text: str, version: str) -> str:
    """Escape a text value for ``version`` (2.1 keeps line breaks for quoted-printable)."""
    return escape(text, newlines=version != "2.1")


def quote_param(value: str) -> str:
    return f'"{value}"' if any(ch in value for ch in ';:,"') else value


def type_params(version: str, tokens: Sequence[str]) -> list[str]:
    if not tokens:
        return []
    if version == "2.1":
        return [t.upper() for t in tokens]
    if version == "3.0":
        return ["TYPE=" + ",".join(t.upper() for t in tokens)]
    return ["TYPE=" + ",".join(t.lower() for t in tokens)]


def format_prop(
    version: str,
    name: str,
    value: str,
    *,
    params: Sequence[str] = (),
    group: str | None = None,
    newline: str = "\r\n",
) -> str:
    """A complete content line (folded, or quoted-printable in 2.1) with its line end.

    ``value`` is already escaped for ``version``.
    """
    head = (f"{group}." if group else "") + name + "".join(";" + p for p in params)
    if version == "2.1" and (not value.isascii() or "\n" in value or "\r" in value):
        if not value.isascii():
            head += ";CHARSET=UTF-8"
        head += ";ENCODING=QUOTED-PRINTABLE:"
        text = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
        return head + qp_encode(text.encode("utf-8"), newline, len(head)) + newline
    return fold_line(f"{head}:{value}", newline) + newline


# -- values by type ----------------------------------------------------------------

_ISO_DATE_TIME = re.compile(
    r"^(?:(\d{4})-?(\d{2})-?(\d{2})|--(\d{2})-?(\d{2}))"
    r"(?:T(\d{2}):?(\d{2})(?::?(\d{2}))?(?:[.,]\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$"
)
#: The year Apple writes for a birthday without one (``X-APPLE-OMIT-YEAR=1604``).
NO_YEAR = "1604"


def is_date_time(value: str) -> bool:
    """True for an ISO 8601 date and time (either form) with a year: a valid REV."""
    m = _ISO_DATE_TIME.match(value.strip())
    return bool(m and m.group(1) and m.group(6))


def date_time_value(value: str, version: str, *, timestamp: bool = False) -> str:
    """An ISO 8601 date / date-time (``1980-03-22``, ``2026-12-02T02:49:29Z``, ``--03-22``)
    as ``version`` allows it.

    vCard 4.0 (RFC 6350) allows only the basic form: ``19800322``, ``--0322``,
    ``20261202T024929Z`` (``timestamp``: REV, always a complete date and time, no
    fraction).  vCard 2.1 / 3.0 (RFC 2426) allow both forms and are left as they are.
    Anything else (free text) is returned unchanged.
    """
    m = _ISO_DATE_TIME.match(value.strip())
    if version != "4.0" or not m:
        return value
    year, month, day, nm, nd, hour, minute, second, zone = m.groups()
    date = f"{year}{month}{day}" if year else f"--{nm}{nd}"
    if hour is None:
        return f"{date}T000000Z" if timestamp and year else date
    zone = (zone or "").replace(":", "")
    return f"{date}T{hour}{minute}{second or '00'}{zone}"


# -- values of Contact parts ----------------------------------------------------------


def phone_value(phone: Phone, uri: bool) -> str:
    if uri:
        number = phone.number if phone.is_e164 else "".join(phone.number.split())
        return f"tel:{number}" + (f";ext={phone.extension}" if phone.extension else "")
    return escape(phone.number + (f" x{phone.extension}" if phone.extension else ""))


def address_value(a: Address, version: str) -> str:
    parts = (a.po_box, a.extended, a.street, a.locality, a.region, a.postcode, a.country)
    return ";".join(esc(p or "", version) for p in parts)


#: How a line of a list item is marked: its group (``item1``) and its PREF (4.0: the
#: PREF=n number; 2.1 / 3.0 write the PREF type).  ``NO_MARK``: neither.
Mark = tuple[str | None, str | None]
NO_MARK: Mark = (None, None)


def with_pref(params: Sequence[str], version: str, pref: str | None) -> list[str]:
    """``params`` with the item marked preferred: ``PREF=1`` (4.0), ``TYPE=...,PREF``."""
    out = list(params)
    if pref is None:
        return out
    if version == "4.0":
        return [*out, f"PREF={pref}"]
    if version == "2.1":
        return [*out, "PREF"]
    for i, param in enumerate(out):
        if param.upper().startswith("TYPE="):
            out[i] = param + ",PREF"
            return out
    return [*out, "TYPE=PREF"]


def social_line(s: Social, version: str, newline: str, mark: Mark = NO_MARK) -> str:
    group, pref = mark
    if s.service in _IM_SERVICES:
        scheme = _SCHEME_FOR.get(s.service, "x-apple")
        service = quote_param(s.service.capitalize())
        return format_prop(
            version, "IMPP", f"{scheme}:{s.handle}",
            params=with_pref([f"X-SERVICE-TYPE={service}"], version, pref), group=group,
            newline=newline,
        )  # fmt: skip
    kind = "type" if version != "2.1" else "TYPE"
    return format_prop(
        version,
        "X-SOCIALPROFILE",
        s.url,
        params=with_pref([f"{kind}={quote_param(s.service)}"], version, pref),
        group=group,
        newline=newline,
    )


def email_line(e: Email, version: str, newline: str, mark: Mark = NO_MARK) -> str:
    tokens = ([] if version == "4.0" else ["internet"]) + ([e.type] if e.type else [])
    return format_prop(
        version, "EMAIL", esc(e.address, version),
        params=with_pref(type_params(version, tokens), version, mark[1]), group=mark[0],
        newline=newline,
    )  # fmt: skip


def phone_line(p: Phone, version: str, newline: str, mark: Mark = NO_MARK) -> str:
    params = type_params(version, _PHONE_TOKENS[p.type])
    uri = version == "4.0" and p.is_e164
    if version == "4.0":
        params = ["VALUE=uri" if uri else "VALUE=text", *params]
    return format_prop(version, "TEL", phone_value(p, uri),
                       params=with_pref(params, version, mark[1]), group=mark[0],
                       newline=newline)  # fmt: skip


def address_line(a: Address, version: str, newline: str, mark: Mark = NO_MARK) -> str:
    params = with_pref(type_params(version, [a.type] if a.type else []), version, mark[1])
    return format_prop(version, "ADR", address_value(a, version), params=params,
                       group=mark[0], newline=newline)  # fmt: skip


def url_line(url: str, version: str, newline: str, mark: Mark = NO_MARK) -> str:
    return format_prop(version, "URL", url, params=with_pref([], version, mark[1]),
                       group=mark[0], newline=newline)  # fmt: skip


def photo_line(
    photo: Photo,
    version: str,
    newline: str,
    *,
    name: str = "PHOTO",
    params: Sequence[str] = (),
    group: str | None = None,
) -> str:
    """A PHOTO (or LOGO ...) line: 4.0 ``data:`` URI, 3.0 ``ENCODING=b;TYPE=JPEG``, 2.1
    ``ENCODING=BASE64;TYPE=JPEG`` ended by a blank line; or a URI (``VALUE=uri``)."""
    mime = photo.media_type.lower()
    subtype = _FORMAT_NAMES.get(mime) or mime.rpartition("/")[2].upper()
    if photo.uri:
        if version == "4.0":
            head = [f"MEDIATYPE={photo.media_type}"] if photo.media_type else []
        else:
            head = ["VALUE=uri" if version == "3.0" else "VALUE=URL"]
            head += [f"TYPE={subtype}"] if subtype else []
        return format_prop(version, name, photo.uri, params=[*head, *params], group=group,
                           newline=newline)  # fmt: skip
    if version == "4.0":
        return format_prop(version, name, f"data:{photo.media_type};base64,{photo.base64}",
                           params=params, group=group, newline=newline)  # fmt: skip
    encoding = "ENCODING=b" if version == "3.0" else "ENCODING=BASE64"
    line = format_prop(version, name, photo.base64, params=[encoding, f"TYPE={subtype}", *params],
                       group=group, newline=newline)  # fmt: skip
    return line + newline if version == "2.1" else line  # 2.1 base64 ends with a blank line


def name_value(c: Contact, version: str) -> str:
    parts = (c.family_name, c.given_name, c.middle_name, c.prefix, c.suffix)
    return ";".join(esc(p or "", version) for p in parts)


def contact_to_vcard(
    contact: Contact,
    version: str = "3.0",
    *,
    newline: str = "\r\n",
    marks: Mapping[tuple[str, Any], Mark] | None = None,
) -> str:
    """A new card for ``contact`` (FN always present; a UID is generated when missing).

    ``marks``: the group and PREF of list items, by ``(kind, item)`` (kind "emails",
    "phones", "addresses", "websites", "social"), as the card they were read from had
    them (``convert_card``)."""
    m = marks or {}
    if version not in VERSIONS:
        raise ValueError(f"vCard version must be one of {VERSIONS}, not {version!r}")
    c = contact
    out = ["BEGIN:VCARD" + newline, f"VERSION:{version}" + newline]

    def add(name: str, value: str, params: Sequence[str] = ()) -> None:
        out.append(format_prop(version, name, value, params=params, newline=newline))

    has_name = any((c.family_name, c.given_name, c.middle_name, c.prefix, c.suffix))
    if has_name or version != "4.0":
        add("N", name_value(c, version))
    add("FN", esc(c.display_name, version))
    if c.nickname:
        add("NICKNAME", esc(c.nickname, version))
    if c.company or c.department:
        org = [esc(c.company or "", version)]
        if c.department:
            org.append(esc(c.department, version))
        add("ORG", ";".join(org))
    if c.title:
        add("TITLE", esc(c.title, version))
    out.extend(email_line(e, version, newline, m.get(("emails", e), NO_MARK)) for e in c.emails)
    out.extend(phone_line(p, version, newline, m.get(("phones", p), NO_MARK)) for p in c.phones)
    out.extend(
        address_line(a, version, newline, m.get(("addresses", a), NO_MARK))
        for a in c.addresses
        if not a.is_empty()
    )
    out.extend(url_line(u, version, newline, m.get(("websites", u), NO_MARK)) for u in c.websites)
    out.extend(social_line(s, version, newline, m.get(("social", s), NO_MARK)) for s in c.social)
    if c.note:
        add("NOTE", esc(c.note, version))
    if c.categories:
        add("CATEGORIES", ",".join(esc(x, version) for x in c.categories))
    add("UID", esc(c.uid or str(uuid.uuid4()), version))
    if c.rev:
        add("REV", date_time_value(c.rev, version, timestamp=True))
    if c.photo:
        out.append(photo_line(c.photo, version, newline))
    out.append("END:VCARD" + newline)
    return "".join(out)


# -- editing a card that was read ---------------------------------------------------


def signature(c: Contact) -> tuple[Any, ...]:
    """What a vCard says about a contact (order of list items ignored)."""

    def bag(values: Iterable[Any]) -> tuple[Any, ...]:
        return tuple(sorted(repr(v) for v in values))

    return (
        c.full_name,
        (c.family_name, c.given_name, c.middle_name, c.prefix, c.suffix),
        c.nickname,
        c.title,
        (c.company, c.department),
        bag((e.address, e.type) for e in c.emails),
        bag((p.key, p.type, p.extension) for p in c.phones),
        bag(c.websites),
        bag(a for a in c.addresses if not a.is_empty()),
        bag((s.service, s.handle) for s in c.social),
        c.note,
        tuple(c.categories),
        c.uid,
        date_time_value(c.rev, "4.0", timestamp=True) if c.rev else None,  # either ISO form
        c.photo,
    )


class _Editor:
    def __init__(self, card: Card) -> None:
        self.card = card
        self.version = card.write_version
        nl = card.newline
        self.newline = nl if nl in ("\r\n", "\n", "\r") else "\r\n"
        self.replaced: dict[int, str] = {}
        self.removed: set[int] = set()
        self.appended: list[str] = []
        self.inserted: dict[int, list[str]] = {}  # prop index -> new lines written before it

    def prop(self, i: int) -> Prop:
        return self.card.props[i]

    def rebuild(self, i: int, value: str, types: list[str] | None = None) -> None:
        """Replace prop ``i``'s value, keeping its group, name and other parameters."""
        p = self.prop(i)
        params: list[str] = []
        pref = False
        for param in p.params:
            if param.name in ("ENCODING", "CHARSET"):
                continue
            if param.name is None and any(
                v.upper() in ("QUOTED-PRINTABLE", "BASE64", "8BIT") for v in param.values
            ):
                continue
            if types is not None and param.name in ("TYPE", None):
                pref = pref or any(v.lower() == "pref" for v in param.values)
                continue
            params.append(param.raw)
        if types is not None:
            params.extend(type_params(self.version, types + (["pref"] if pref else [])))
            label = self.card.bindings.labels.get(i)
            if label is not None and _APPLE_LABEL.match(self.prop(label).value.strip()):
                self.removed.add(label)  # "_$!<Mobile>!$_" would contradict the new TYPE
        newline = p.newline if p.newline in ("\r\n", "\n", "\r") else self.newline
        self.replaced[i] = format_prop(
            self.version, p.name_raw, value, params=params, group=p.group, newline=newline
        )

    def set_scalar(self, key: str, name: str, value: str | None) -> None:
        idxs = self.card.bindings.fields.get(key, ())
        if not idxs:
            # an empty property of that name (e.g. "FN:") is filled rather than duplicated
            idxs = tuple(
                i for i, p in enumerate(self.card.props) if p.name == name and not p.value.strip()
            )[:1]
        if value is None:
            self.removed.update(idxs)
        elif idxs:
            self.rebuild(idxs[0], value)
            self.removed.update(idxs[1:])
        else:
            self.appended.append(format_prop(self.version, name, value, newline=self.newline))

    def set_photo(self, photo: Photo | None) -> None:
        """Write ``photo`` in place of the PHOTO the contact was read from (or append it);
        a PHOTO line that was not read (broken base64) stays."""
        idxs = self.card.bindings.fields.get("photo", ())
        props = self.card.props
        for i in idxs:  # the blank line that ends a 2.1 base64 value goes with it
            if i + 1 < len(props) and props[i + 1].is_blank and props[i].encoding == "b":
                self.removed.add(i + 1)
        if photo is None:
            self.removed.update(idxs)
            return
        if not idxs:
            self.appended.append(photo_line(photo, self.version, self.newline))
            return
        p = self.prop(idxs[0])
        newline = p.newline if p.newline in ("\r\n", "\n", "\r") else self.newline
        self.replaced[idxs[0]] = photo_line(photo, self.version, newline, group=p.group)

    def diff_items(
        self,
        kind: str,
        new: Sequence[Any],
        sig: Callable[[Any], Any],
        key: Callable[[Any], Any],
        line: Callable[[Any], str],
        rebuild: Callable[[int, Any], None] | None,
    ) -> None:
        """Match ``new`` against the card's lines of ``kind``: unchanged lines stay, changed
        ones are rebuilt, missing ones removed.  A new item is written after the card's
        last line, except that new items listed before every item the card already has
        (a job change puts the new company's e-mail first) go before its first such line,
        where a phone looks for the main one."""
        old = self.card.bindings.items.get(kind, ())
        used = [False] * len(old)
        pending = []
        for pos, item in enumerate(new):
            for j, (o, _) in enumerate(old):
                if not used[j] and sig(o) == sig(item):
                    used[j] = True
                    break
            else:
                pending.append((pos, item))
        kept = [pos for pos, item in enumerate(new)
                if any(key(o) == key(item) for o, _ in old)]
        first_kept = min(kept, default=len(new))
        first_line = min((idxs[0] for _, idxs in old if idxs), default=None)
        for pos, item in pending:
            for j, (o, idxs) in enumerate(old):
                if rebuild is not None and not used[j] and key(o) == key(item):
                    used[j] = True
                    rebuild(idxs[0], item)
                    break
            else:
                if pos < first_kept and first_line is not None:
                    self.inserted.setdefault(first_line, []).append(line(item))
                else:
                    self.appended.append(line(item))
        for j, (_, idxs) in enumerate(old):
            if not used[j]:
                self.removed.update(idxs)

    def text(self) -> str:
        props = self.card.props
        # A removed grouped value takes its X-ABLabel (and X-ABADR) along when nothing
        # else uses the group.
        for i in sorted(self.removed):
            group = (props[i].group or "").lower()
            if not group or props[i].name in _GROUP_HELPERS:
                continue
            members = [j for j, p in enumerate(props) if (p.group or "").lower() == group]
            alive = [
                j for j in members if j not in self.removed and props[j].name not in _GROUP_HELPERS
            ]
            if not alive:
                self.removed.update(j for j in members if props[j].name in _GROUP_HELPERS)
        end = max((i for i, p in enumerate(props) if p.name == "END"), default=len(props))
        out: list[str] = []
        for i, p in enumerate(props):
            if i == end:
                out.extend(self.appended)
            out.extend(self.inserted.get(i, ()))
            if i in self.removed:
                continue
            out.append(self.replaced.get(i, p.raw))
        if end == len(props):
            out.extend(self.appended)
        return "".join(out)


def render(card: Card, contact: Contact) -> str:
    """The card's text for ``contact``: the original text when nothing changed, else the
    original with only the changed properties rewritten (unknown properties, parameters,
    groups and PHOTOs stay as they were unless the contact's photo changed)."""
    old = card.contact
    if old is None:
        raise VCardError(card.source, f"line {card.line}: cannot update a malformed card")
    if signature(old) == signature(contact):
        return card.raw
    ed = _Editor(card)
    v = ed.version
    new = contact
    if new.full_name and new.full_name != old.full_name:
        ed.set_scalar("fn", "FN", esc(new.full_name, v))
    names = ("family_name", "given_name", "middle_name", "prefix", "suffix")
    if any(getattr(new, n) != getattr(old, n) for n in names):
        ed.set_scalar("n", "N", name_value(new, v))
    if new.nickname != old.nickname:
        ed.set_scalar("nickname", "NICKNAME", esc(new.nickname, v) if new.nickname else None)
    if (new.company, new.department) != (old.company, old.department):
        org = None
        if new.company or new.department:
            extra: list[str] = []
            idxs = card.bindings.fields.get("org", ())
            if idxs:  # organisational units after the department stay as they were
                extra = split_unescaped(prop_text(card.props[idxs[0]], card.encoding), ";")[2:]
                if v != "2.1":
                    extra = [x.replace("\n", "\\n") for x in extra]
            parts = [esc(new.company or "", v)]
            if new.department or extra:
                parts.append(esc(new.department or "", v))
            org = ";".join(parts + extra)
        ed.set_scalar("org", "ORG", org)
    if new.title != old.title:
        ed.set_scalar("title", "TITLE", esc(new.title, v) if new.title else None)
    if new.note != old.note:
        ed.set_scalar("note", "NOTE", esc(new.note, v) if new.note else None)
    if tuple(new.categories) != tuple(old.categories):
        cats = ",".join(esc(c, v) for c in new.categories) if new.categories else None
        ed.set_scalar("categories", "CATEGORIES", cats)
    if new.uid != old.uid:
        ed.set_scalar("uid", "UID", esc(new.uid, v) if new.uid else None)
    if new.rev != old.rev:
        rev = date_time_value(new.rev, v, timestamp=True) if new.rev else None
        ed.set_scalar("rev", "REV", rev)
    if new.photo != old.photo:
        ed.set_photo(new.photo)
    nl = ed.newline

    def rebuild_email(i: int, e: Email) -> None:
        types = ([] if v == "4.0" else ["internet"]) + ([e.type] if e.type else [])
        ed.rebuild(i, esc(e.address, v), types=types)

    def rebuild_phone(i: int, p: Phone) -> None:
        prop = card.props[i]
        uri = bool(prop.param("VALUE") and prop.param("VALUE")[0].lower() == "uri") or (
            prop.value.strip().lower().startswith("tel:")
        )
        ed.rebuild(i, phone_value(p, uri), types=_PHONE_TOKENS[p.type])

    ed.diff_items(
        "emails", new.emails, lambda e: (e.address, e.type), lambda e: e.key,
        lambda e: email_line(e, v, nl), rebuild_email,
    )  # fmt: skip
    ed.diff_items(
        "phones", new.phones, lambda p: (p.key, p.type, p.extension), lambda p: p.key,
        lambda p: phone_line(p, v, nl), rebuild_phone,
    )  # fmt: skip
    ed.diff_items(
        "websites", new.websites, lambda u: u, _norm_url,
        lambda u: url_line(u, v, nl), lambda i, u: ed.rebuild(i, u),
    )  # fmt: skip
    ed.diff_items(
        "addresses", [a for a in new.addresses if not a.is_empty()], lambda a: a,
        lambda a: fold(a.one_line()), lambda a: address_line(a, v, nl),
        lambda i, a: ed.rebuild(i, address_value(a, v), types=[a.type] if a.type else []),
    )  # fmt: skip
    ed.diff_items(
        "social", new.social, lambda s: (s.service, s.handle), lambda s: s.key,
        lambda s: social_line(s, v, nl), None,
    )  # fmt: skip
    return ed.text()


def _default_newline(cards: Sequence[Card]) -> str:
    for c in cards:
        if c.newline in ("\r\n", "\n", "\r"):
            return c.newline
    return "\r\n"


def write_vcards(
    items: Iterable[Card | Contact | tuple[Card | None, Contact | None]],
    *,
    version: str | None = None,
    after: str | None = None,
) -> bytes:
    """A file's bytes from cards (kept or re-rendered) and new contacts.

    Each item is a ``Card`` (written as it was read), a ``(card, contact)`` pair (rendered:
    the card's original text when the contact did not change), or a new ``Contact`` (written
    in ``version``, by default the version most cards of the file use, else 3.0).  The
    encoding, BOM and line-end style are those of the first card read from a file.
    """
    pairs: list[tuple[Card | None, Contact | None]] = []
    for item in items:
        if isinstance(item, Card):
            pairs.append((item, None))
        elif isinstance(item, Contact):
            pairs.append((None, item))
        else:
            pairs.append(item)
    cards = [c for c, _ in pairs if c is not None]
    newline = _default_newline(cards)
    if version is None:
        versions = [c.write_version for c in cards if c.contact is not None]
        version = max(set(versions), key=versions.count) if versions else "3.0"
    parts: list[str] = []
    for card, contact in pairs:
        if card is None:
            text = contact_to_vcard(contact, version, newline=newline) if contact else ""
            before = ""
        else:
            text = card.raw if contact is None else render(card, contact)
            before = card.before
        last = next((p for p in reversed(parts) if p), "")
        if last and last[-1] not in "\r\n":
            parts.append(newline)  # the previous card ended without a line end
        parts.append(before)
        parts.append(text)
    tail = after if after is not None else (cards[-1].after if cards else "")
    if pairs and pairs[-1][0] is None:
        tail = after or ""
    parts.append(tail)
    first = cards[0] if cards else None
    encoding = first.encoding if first else "utf-8"
    bom = first.bom if first else b""
    return encode_file("".join(parts), encoding, bom)
