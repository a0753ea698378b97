"""Content lines -> ``Contact``, remembering which line each value came from."""

from __future__ import annotations

import base64
import binascii
import functools
import re
from collections.abc import Callable
from typing import Any

import phonenumbers

from cardpipe.contact import SOCIAL_URLS, Address, Contact, Email, Phone, Photo, Social, Source
from cardpipe.vcard._card import Bindings
from cardpipe.vcard._lex import Prop
from cardpipe.vcard._text import (
    decode_bytes,
    normalise_charset,
    qp_decode,
    split_unescaped,
    text_to_bytes,
    unescape,
)

_CELL_WORDS = ("cell", "mobile", "iphone", "handy", "portable", "movil", "móvil", "mobil")
_WORK_WORDS = ("work", "business", "office", "büro", "buero", "bureau", "company")
_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
_COMPACT_E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # bytes kept by surrogateescape
_EXTENSION = re.compile(r"^(.*?\d.*?)\s*(?:x|ext\.?|extension)\s*(\d+)$", re.I)
_DATA_URI = re.compile(r"^data:([^;,]*)(?:;[^,]*)?;base64,(.*)$", re.S | re.I)
_URI = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
_EIGHT_BIT = frozenset({"cp1252", "latin-1"})  # file encodings that are a guess

#: Properties whose value is a file: inline (base64 / data: URI) or a URI.
BINARY_PROPS = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
#: vCard 2.1 / 3.0 format names -> media types.
MEDIA_TYPES = {
    "JPEG": "image/jpeg", "JPG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif",
    "BMP": "image/bmp", "TIFF": "image/tiff", "WEBP": "image/webp", "HEIC": "image/heic",
    "WAV": "audio/wav", "MP3": "audio/mpeg", "PGP": "application/pgp-keys",
    "X509": "application/pkix-cert",
}  # fmt: skip
_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF8", "image/gif"),
    (b"BM", "image/bmp"),
)

#: Instant-messaging / social properties written by Apple, KDE, Evolution, Outlook ...
IM_PROPS = {
    "X-AIM": "aim",
    "X-ICQ": "icq",
    "X-MSN": "msn",
    "X-YAHOO": "yahoo",
    "X-JABBER": "jabber",
    "X-SKYPE": "skype",
    "X-SKYPE-USERNAME": "skype",
    "X-GOOGLE-TALK": "googletalk",
    "X-GTALK": "googletalk",
    "X-QQ": "qq",
    "X-GADUGADU": "gadugadu",
    "X-GROUPWISE": "groupwise",
    "X-TWITTER": "twitter",
    "X-LINKEDIN": "linkedin",
    "X-FACEBOOK": "facebook",
    "X-INSTAGRAM": "instagram",
    "X-GITHUB": "github",
    "X-XING": "xing",
    "X-MASTODON": "mastodon",
}
#: IMPP URI schemes -> service.
IM_SCHEMES = {
    "xmpp": "jabber",
    "aim": "aim",
    "skype": "skype",
    "callto": "skype",
    "msnim": "msn",
    "msn": "msn",
    "ymsgr": "yahoo",
    "icq": "icq",
    "gg": "gadugadu",
    "qq": "qq",
    "sip": "sip",
    "irc": "irc",
    "matrix": "matrix",
}
SERVICE_ALIASES = {"x": "twitter", "google talk": "googletalk", "gtalk": "googletalk"}
_PROFILE_URL = {
    "linkedin": re.compile(r"linkedin\.com/(?:in|pub)/([^/?#]+)", re.I),
    "twitter": re.compile(r"(?:twitter|x)\.com/(?:#!/)?@?([^/?#]+)", re.I),
    "github": re.compile(r"github\.com/([^/?#]+)", re.I),
    "instagram": re.compile(r"instagram\.com/([^/?#]+)", re.I),
    "xing": re.compile(r"xing\.com/profile/([^/?#]+)", re.I),
}


# -- values ---------------------------------------------------------------------


def prop_text(prop: Prop, encoding: str) -> str:
    """The value of a text property, with QP / base64 / CHARSET decoded (still escaped)."""
    value = prop.value
    # an 8-bit file (Windows-1252) may hold UTF-8 values: those are read as UTF-8
    eight_bit = encoding in _EIGHT_BIT
    if not prop.params:
        return (
            value
            if value.isascii() or not (eight_bit or _ESCAPED_BYTE.search(value))
            else (decode_bytes(text_to_bytes(value, encoding)))
        )
    charset = prop.charset
    if prop.encoding == "quoted-printable":
        text = decode_bytes(qp_decode(text_to_bytes(value, encoding)), charset)
        return text.replace("\r\n", "\n").replace("\r", "\n")
    if prop.encoding == "b" and prop.name not in BINARY_PROPS:
        try:
            return decode_bytes(base64.b64decode(value.strip(), validate=False), charset)
        except (binascii.Error, ValueError):
            return value
    if value.isascii():
        return value
    codec = normalise_charset(charset)
    if eight_bit or _ESCAPED_BYTE.search(value) or (codec and codec != "utf-8"):
        return decode_bytes(text_to_bytes(value, encoding), charset)
    return value


def valid_base64(data: str) -> str | None:
    """``data`` (padded if it lacks only the '=' padding), or None when it is not base64."""
    if len(data) % 4 == 1:
        return None
    padded = data + "=" * (-len(data) % 4)
    try:
        base64.b64decode(padded, validate=True)
    except (binascii.Error, ValueError):
        return None
    return padded


def declared_media_type(prop: Prop) -> str | None:
    """The format a PHOTO / LOGO / ... line names: ``MEDIATYPE=image/png`` (4.0),
    ``TYPE=PNG`` (3.0), a bare ``PNG`` (2.1); other TYPE values (WORK) are not formats."""
    for value in prop.param("MEDIATYPE"):
        if value.strip():
            return value.strip().lower()
    for param in prop.params:
        if param.name not in ("TYPE", None):
            continue
        for value in param.values:
            token = value.strip()
            if "/" in token:
                return token.lower()
            if token.upper() in MEDIA_TYPES:
                return MEDIA_TYPES[token.upper()]
    return None


def binary_value(prop: Prop) -> Photo | None:
    """The file a PHOTO / LOGO / SOUND / KEY line holds: its bytes and media type (2.1
    ``ENCODING=BASE64``, 3.0 ``ENCODING=b``, 4.0 ``data:`` URI, escaped or not), or the URI
    it points at.  None for an empty value or broken base64 (a truncated photo)."""
    value = prop.value.strip()
    if not value:
        return None
    declared = declared_media_type(prop)
    kind = (_first(prop.param("VALUE")) or "").lower()
    m = _DATA_URI.match(value.replace("\\;", ";").replace("\\,", ","))
    if m:
        declared = m.group(1).lower() or declared
        data = m.group(2)
    elif prop.encoding == "b" or (not kind and not _URI.match(value)):
        data = value
    else:
        return Photo(media_type=declared or "", uri=value)
    padded = valid_base64("".join(data.split()))
    if padded is None:
        return None
    raw = base64.b64decode(padded)
    if not raw:
        return None
    sniffed = next((mime for magic, mime in _MAGIC if raw.startswith(magic)), None)
    fallback = "image/jpeg" if prop.name in ("PHOTO", "LOGO") else "application/octet-stream"
    return Photo(raw, declared or sniffed or fallback)


def label_words(text: str) -> str:
    """'_$!<HomeFAX>!$_' -> 'homefax'."""
    m = _LABEL.match(text.strip())
    return (m.group(1) if m else text).strip().lower()


def phone_type(tokens: set[str], label: str = "") -> str:
    """work | cell | fax | home | other from TYPE values (then an X-ABLabel)."""
    if any("fax" in t for t in tokens):
        return "fax"
    if tokens & {"cell", "mobile", "iphone", "x-mobile", "x-cell"}:
        return "cell"
    if tokens & {"work", "x-work", "business"}:
        return "work"
    if "home" in tokens:
        return "home"
    if label:
        if "fax" in label:
            return "fax"
        if any(w in label for w in _CELL_WORDS):
            return "cell"
        if any(w in label for w in _WORK_WORDS):
            return "work"
        if "home" in label or "privat" in label:
            return "home"
    return "other"


def email_type(tokens: set[str], label: str = "") -> str | None:
    for kind in ("work", "home", "other"):
        if kind in tokens or f"x-{kind}" in tokens:
            return kind
    if label:
        if any(w in label for w in _WORK_WORDS):
            return "work"
        if "home" in label or "privat" in label:
            return "home"
        if "other" in label:
            return "other"
    return None


def address_type(tokens: set[str]) -> str | None:
    if "work" in tokens:
        return "work"
    if "home" in tokens:
        return "home"
    return None


@functools.lru_cache(maxsize=65536)
def normalise_phone(text: str, region: str | None) -> tuple[str, str | None]:
    """(E.164 or the number as printed, extension)."""
    printed = text.strip()
    if _COMPACT_E164.match(printed):
        return printed, None  # already E.164 (what cardpipe writes): skip the slow parse
    if region is None and printed.startswith("00"):
        # "00" is the international call prefix nearly everywhere outside North America
        printed_intl = "+" + printed[2:].lstrip()
    else:
        printed_intl = printed
    try:
        parsed = phonenumbers.parse(printed_intl, region)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_possible_number(parsed):
        m = _EXTENSION.match(printed)
        return (m.group(1), m.group(2)) if m else (printed, None)
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return e164, parsed.extension or None


def tel_value(text: str) -> tuple[str, str | None]:
    """Strip a ``tel:`` URI to the number; returns (number text, extension from ';ext=')."""
    value = text.strip()
    if value.lower().startswith("tel:"):
        value = value[4:]
        number, *params = value.split(";")
        ext = None
        for p in params:
            key, _, val = p.partition("=")
            if key.strip().lower() == "ext" and val.strip():
                ext = val.strip()
        return number, ext
    return value, None


def social_from(prop: Prop, text: str) -> Social | None:
    """A Social from X-SOCIALPROFILE / SOCIALPROFILE / IMPP / X-<IM> lines."""
    value = unescape(text).strip()
    if not value:
        return None
    name = prop.name
    if name in ("X-SOCIALPROFILE", "SOCIALPROFILE"):
        service = _first(prop.param("SERVICE-TYPE")) or _first(
            sorted(t for t in prop.types if t != "pref")
        )
        user = _first(prop.param("X-USER"))
        service = _service(service) if service else _service_from_url(value) or "web"
        if user:
            return Social(service, user)
        return Social(service, _handle_from_url(service, value))
    if name == "IMPP":
        scheme, sep, rest = value.partition(":")
        declared = _first(prop.param("X-SERVICE-TYPE")) or _first(prop.param("SERVICE-TYPE"))
        if not sep:
            return Social(_service(declared) if declared else "im", value)
        service = _service(declared) if declared else IM_SCHEMES.get(scheme.lower(), scheme.lower())
        return Social(
            service, rest.lstrip("/") if scheme.lower() not in ("http", "https") else value
        )
    service = IM_PROPS.get(name)
    if service is None:
        return None
    return Social(service, _handle_from_url(service, value))


def _first(values: list[str]) -> str | None:
    for v in values:
        if v.strip():
            return v.strip()
    return None


def _service(name: str) -> str:
    key = " ".join(name.strip().lower().split())
    key = SERVICE_ALIASES.get(key, key)
    return key.replace(" ", "")


def _service_from_url(url: str) -> str | None:
    for service, pattern in _PROFILE_URL.items():
        if pattern.search(url):
            return service
    return None


def _handle_from_url(service: str, value: str) -> str:
    pattern = _PROFILE_URL.get(service)
    if pattern and service in SOCIAL_URLS and "/" in value:
        m = pattern.search(value)
        if m:
            return m.group(1)
    return value


# -- a card ---------------------------------------------------------------------


def _components(text: str, count: int) -> list[str]:
    parts = [unescape(p).strip() for p in split_unescaped(text, ";")]
    return (parts + [""] * count)[:count] if count else parts


def _list_value(text: str) -> list[str]:
    return [unescape(p).strip() for p in split_unescaped(text, ",")]


def _name_part(text: str) -> str | None:
    words = [w.strip() for w in split_unescaped(text, ",")]
    joined = " ".join(unescape(w) for w in words if w)
    return joined or None


class _Collector:
    """What the readers of one card found: Contact values by field name (notes and
    categories as lists), the lines each field was read from (``fields``, ``items``: for
    ``Bindings``), list items kept once per key, ``X-ABLabel`` labels and warnings."""

    def __init__(self, props: tuple[Prop, ...], encoding: str, region: str | None) -> None:
        self.region = region
        self.values: dict[str, Any] = {}
        self.fields: dict[str, list[int]] = {}
        self.items: dict[str, list[tuple[Any, list[int]]]] = {k: [] for k in _ITEM_KINDS}
        self.keys: dict[str, dict[Any, int]] = {k: {} for k in _ITEM_KINDS}
        self.labels: dict[int, int] = {}
        self.warnings: list[str] = []
        self.group_labels: dict[str, tuple[int, str]] = {}
        for i, p in enumerate(props):
            if p.group and p.name == "X-ABLABEL":
                self.group_labels.setdefault(p.group.lower(), (i, prop_text(p, encoding)))

    def label(self, index: int, prop: Prop) -> str:
        """The words of the prop's ``itemN.X-ABLabel`` ("" without one); binds the label."""
        if not (prop.group and prop.name != "X-ABLABEL"):
            return ""
        found = self.group_labels.get(prop.group.lower())
        if found is None:
            return ""
        label_index, label_text = found
        words = label_words(unescape(label_text))
        self.labels[index] = label_index
        return words

    def set(self, key: str, index: int, **values: Any) -> None:
        """Scalar field ``key`` read from line ``index``."""
        self.fields[key] = [index]
        self.values.update(values)

    def add(self, key: str, index: int, name: str, values: list[str]) -> None:
        """More of a field that collects every line (notes, categories)."""
        self.fields.setdefault(key, []).append(index)
        self.values.setdefault(name, []).extend(values)

    def add_item(self, kind: str, item: Any, key: Any, index: int) -> None:
        """A list item; one with the key of an earlier item only adds its line to it."""
        known = self.keys[kind]
        if key in known:
            self.items[kind][known[key]][1].append(index)
            return
        known[key] = len(self.items[kind])
        self.items[kind].append((item, [index]))

    def contact(self, source: str, line: int) -> Contact:
        """The Contact; without an FN its full name is made from N (and a warning)."""
        values = self.values
        if "fn" not in self.fields:
            parts = [values.get(k) for k in ("prefix", "given_name", "middle_name", "family_name")]
            parts.append(values.get("suffix"))
            values["full_name"] = " ".join(x for x in parts if x) or None
            self.warnings.append(f"{source}:{line}: card has no FN")
        items = self.items
        return Contact(
            full_name=values.get("full_name"),
            given_name=values.get("given_name"),
            family_name=values.get("family_name"),
            middle_name=values.get("middle_name"),
            prefix=values.get("prefix"),
            suffix=values.get("suffix"),
            nickname=values.get("nickname"),
            title=values.get("title"),
            company=values.get("company"),
            department=values.get("department"),
            emails=tuple(item for item, _ in items["emails"]),
            phones=tuple(item for item, _ in items["phones"]),
            websites=tuple(item for item, _ in items["websites"]),
            addresses=tuple(item for item, _ in items["addresses"]),
            social=tuple(item for item, _ in items["social"]),
            note="\n".join(values["notes"]) if values.get("notes") else None,
            categories=tuple(dict.fromkeys(values.get("categories", []))),
            uid=values.get("uid"),
            rev=values.get("rev"),
            photo=values.get("photo"),
            sources=(Source("vcard", source, detail=f"line {line}"),),
        )

    def bindings(self) -> Bindings:
        return Bindings(
            fields={k: tuple(v) for k, v in self.fields.items()},
            items={k: tuple((item, tuple(idx)) for item, idx in v) for k, v in self.items.items()},
            labels=self.labels,
        )


_ITEM_KINDS = ("emails", "phones", "websites", "addresses", "social")

#: A property reader: (collector, prop, its index, its text from ``prop_text``, label words).
_Reader = Callable[[_Collector, Prop, int, str, str], None]


def _read_fn(c: _Collector, p: Prop, i: int, text: str, label: str) -> None:
    if "fn" not in c.fields and unescape(text).strip():
        c.set("fn", i, full_name=unescape(text).strip())


def _read_n(c: _Collector, p: Prop, i: int, text: str, label: str) -> None:
    if "n" in c.fields:
        return
    parts = split_unescaped(text, ";") + [""] * 5
    c.set(
        "n",
        i,
        family_name=_name_part(parts[0]),
        given_name=_name_part(parts[1]),
        middle_name=_name_part(parts[2]),
        prefix=_name_part(parts[3]),
        suffix=_name_part(parts[4]),
    )


def _read_nickname(c: _Collector, p: Prop, i: int, text: str, label: str) -> None:
    if "nickname" in c.fields:
        return
    nick = ", ".join(v for v in _list_value(text) if v)
    if nick:
        c.set("nickname", i, nickname=nick)


def _read_org(c: _Collector, p: Prop, i: int, text: str, label: str) -> None:
    if "org" in c.fields:
        return
    parts = _components(text, 0)
    if any(parts):
        department = parts[1] if len(parts) > 1 and parts[1] else None
        c.set("org", i, company=parts[0] or None, department=department)


def _read_title(c: _Collector, p: Prop, i: int, text: str, label: str) -> None:
    if "title" not in c.fields and unescape(text).strip():
        c.set("title", i, title=unescape(text).strip())


def _read_note(c: _Collector, p: Prop, i: int, text: str, label: str) -> None:
    note = unescape(text)
    if note.strip():
        c.add("note", i, "notes", [note])


def _read_categories(c: _Collector, p: Prop, i: int, text: str, label: str) -> None:
    cats = [v for v in _list_value(text) if v]
    if cats:
        c.add("categories", i, "categories", cats)


def _read_uid(c: _Collector, p: Prop, i: int, text: str, label: str) -> None:
    if "uid" not in c.fields and text.strip():
        c.set("uid", i, uid=unescape(text).strip())


def _read_rev(c: _Collector, p: Prop, i: int, text: str, label: str) -> None:
    if "rev" not in c.fields and text.strip():
        c.set("rev", i, rev=text.strip())


def _read_email(c: _Collector, p: Prop, i: int, text: str, label: str) -> None:
    address = unescape(text).strip()
    if address.lower().startswith("mailto:"):
        address = address[7:]
    if address:
        email = Email(address, email_type(p.types, label))
        c.add_item("emails", email, email.key, i)


def _read_tel(c: _Collector, p: Prop, i: int, text: str, label: str) -> None:
    number_text, ext = tel_value(unescape(text))
    if number_text.strip():
        number, parsed_ext = normalise_phone(number_text, c.region)
        kind = phone_type(p.types, label)
        phone = Phone(number, kind, unescape(text).strip(), ext or parsed_ext)
        c.add_item("phones", phone, (phone.key, phone.extension), i)


def _read_url(c: _Collector, p: Prop, i: int, text: str, label: str) -> None:
    url = unescape(text).strip()
    if url:
        c.add_item("websites", url, url, i)


def _read_adr(c: _Collector, p: Prop, i: int, text: str, label: str) -> None:
    parts = _components(text, 7)
    address = Address(
        po_box=parts[0],
        extended=parts[1],
        street=parts[2],
        locality=parts[3],
        region=parts[4],
        postcode=parts[5],
        country=parts[6],
        type=address_type(p.types),
    )
    if not address.is_empty():
        c.add_item("addresses", address, address, i)


def _read_social(c: _Collector, p: Prop, i: int, text: str, label: str) -> None:
    social = social_from(p, text)
    if social is not None:
        c.add_item("social", social, social.key, i)


def _read_photo(c: _Collector, p: Prop, i: int, text: str, label: str) -> None:
    if "photo" not in c.fields:
        photo = binary_value(p)  # the first readable one; others stay as they are
        if photo is not None:
            c.set("photo", i, photo=photo)


#: Property name -> its reader; other properties are kept in the card but not read.
_READERS: dict[str, _Reader] = {
    "FN": _read_fn,
    "N": _read_n,
    "NICKNAME": _read_nickname,
    "ORG": _read_org,
    "TITLE": _read_title,
    "NOTE": _read_note,
    "CATEGORIES": _read_categories,
    "UID": _read_uid,
    "REV": _read_rev,
    "EMAIL": _read_email,
    "TEL": _read_tel,
    "URL": _read_url,
    "ADR": _read_adr,
    **dict.fromkeys(("X-SOCIALPROFILE", "SOCIALPROFILE", "IMPP", *IM_PROPS), _read_social),
    "PHOTO": _read_photo,
}
#: Lines that frame a card or hold another one: never read into the contact.
_FRAME = frozenset({"BEGIN", "END", "VERSION", "AGENT"})


def _param_warnings(prop: Prop, source: str) -> list[str]:
    out: list[str] = []
    if any(not param.raw.strip() or "" in param.values for param in prop.params):
        out.append(f"{source}:{prop.line}: empty parameter in {prop.name_raw}")
    charset = prop.charset
    if charset and normalise_charset(charset) is None:
        out.append(f"{source}:{prop.line}: unknown CHARSET {charset!r}, read as UTF-8")
    return out


def read_contact(
    props: tuple[Prop, ...],
    *,
    encoding: str,
    source: str,
    line: int,
    region: str | None,
) -> tuple[Contact, Bindings, list[str]]:
    """Map a card's props to a Contact; returns (contact, bindings, warnings)."""
    c = _Collector(props, encoding, region)
    for i, p in enumerate(props):
        if p.is_blank:
            continue
        if p.params:
            c.warnings.extend(_param_warnings(p, source))
        name = p.name
        if name in _FRAME:
            continue
        if name in BINARY_PROPS:
            text, label = "", ""  # a file: its reader decodes the prop itself
        else:
            text = prop_text(p, encoding)
            label = c.label(i, p)
        reader = _READERS.get(name)
        if reader is not None:
            reader(c, p, i, text, label)
    contact = c.contact(source, line)
    return contact, c.bindings(), c.warnings
