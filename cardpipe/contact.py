"""The one contact type that flows through every stage.

``Contact`` is a frozen dataclass of small value types.  Every stage returns a new
``Contact`` (``dataclasses.replace``) instead of changing one, so results can be
shared between processes, cached in the ledger and compared for equality.

Values are kept normalised enough to compare (phones in E.164 where they parse,
emails as printed but compared lower-cased) while the text that was printed or
read is kept where it matters (``Phone.raw``).
"""

from __future__ import annotations

import base64
import dataclasses
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

PHONE_TYPES = ("work", "cell", "fax", "home", "other")

#: Fields that carry a confidence in ``Contact.confidence``.
CONFIDENCE_FIELDS = (
    "full_name",
    "title",
    "company",
    "emails",
    "phones",
    "websites",
    "address",
    "social",
)


def _copy_map(value: Mapping[str, Any] | None) -> dict[str, Any]:
    # A private copy (picklable for worker processes); treat it as read-only.
    return dict(value or {})


@dataclass(frozen=True)
class Email:
    address: str
    type: str | None = None  # work | home | other | None (unknown)

    @property
    def key(self) -> str:
        return self.address.strip().lower()

    def to_dict(self) -> dict[str, Any]:
        return {"address": self.address, "type": self.type}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any] | str) -> Email:
        if isinstance(d, str):
            return cls(d)
        return cls(d["address"], d.get("type"))


@dataclass(frozen=True)
class Phone:
    """A phone number: ``number`` is E.164 when it parsed, else the digits as printed."""

    number: str
    type: str = "other"  # one of PHONE_TYPES
    raw: str = ""  # the text as printed on the card / in the vCard
    extension: str | None = None

    def __post_init__(self) -> None:
        if self.type not in PHONE_TYPES:
            raise ValueError(f"phone type must be one of {PHONE_TYPES}, not {self.type!r}")

    @property
    def is_e164(self) -> bool:
        return self.number.startswith("+") and self.number[1:].isdigit()

    @property
    def key(self) -> str:
        """A comparison key: E.164 when known, else the digits only."""
        if self.is_e164:
            return self.number
        return "".join(ch for ch in self.number if ch.isdigit())

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"number": self.number, "type": self.type}
        if not self.is_e164:
            d["national"] = True  # its country is not known: the digits as printed
        if self.raw:
            d["raw"] = self.raw
        if self.extension:
            d["extension"] = self.extension
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Phone:
        return cls(d["number"], d.get("type", "other"), d.get("raw", ""), d.get("extension"))


@dataclass(frozen=True)
class Address:
    """A postal address with vCard ADR parts."""

    street: str = ""
    locality: str = ""  # city
    region: str = ""  # state / province
    postcode: str = ""
    country: str = ""
    po_box: str = ""
    extended: str = ""
    type: str | None = None  # work | home | None
    # the address as the card prints it (its lines joined by a space, in printed order: a
    # Japanese card starts with 〒 and the prefecture, an Indian one ends 'City - PIN');
    # not compared: the same address read back from a vCard (no label) is still equal
    label: str = field(default="", compare=False)

    def one_line(self) -> str:
        """The parts joined by ', ' (postcode before the city, as most cards print it)."""
        city = " ".join(p for p in (self.postcode, self.locality) if p)
        parts = [self.po_box, self.extended, self.street, city, self.region, self.country]
        return ", ".join(p.strip() for p in parts if p and p.strip())

    def is_empty(self) -> bool:
        return not self.one_line() and not self.label.strip()

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Address:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


SOCIAL_URLS = {
    "linkedin": "https://www.linkedin.com/in/{}",
    "twitter": "https://x.com/{}",
    "github": "https://github.com/{}",
    "instagram": "https://www.instagram.com/{}",
    "xing": "https://www.xing.com/profile/{}",
    "mastodon": "{}",
}


@dataclass(frozen=True)
class Social:
    """A social profile: ``service`` (linkedin, twitter, github, instagram, xing, ...) and handle."""

    service: str
    handle: str

    @property
    def url(self) -> str:
        template = SOCIAL_URLS.get(self.service)
        return template.format(self.handle) if template else self.handle

    @property
    def key(self) -> str:
        return f"{self.service}:{self.handle.lower().lstrip('@')}"

    def __str__(self) -> str:
        return self.url

    def to_dict(self) -> dict[str, Any]:
        return {"service": self.service, "handle": self.handle, "url": self.url}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Social:
        return cls(d["service"], d["handle"])


@dataclass(frozen=True)
class Photo:
    """A contact's picture: image bytes with their media type, or a URI it is fetched from.

    vCards hold a picture inline (2.1 ``ENCODING=BASE64``, 3.0 ``ENCODING=b``, 4.0 a
    ``data:`` URI) or point at one (``VALUE=uri``); ``data`` is empty for the latter.
    """

    data: bytes = b""
    media_type: str = "image/jpeg"
    uri: str | None = None

    def __post_init__(self) -> None:
        if bool(self.data) == bool(self.uri):
            raise ValueError("a Photo has either data or a uri")

    def __repr__(self) -> str:  # never print 60 KB of bytes
        held = f"uri={self.uri!r}" if self.uri else f"{len(self.data)} bytes"
        return f"Photo({self.media_type}, {held})"

    @property
    def base64(self) -> str:
        return base64.b64encode(self.data).decode("ascii")

    def to_dict(self) -> dict[str, Any]:
        if self.uri:
            return {"media_type": self.media_type, "uri": self.uri}
        return {"media_type": self.media_type, "base64": self.base64}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Photo:
        if d.get("uri"):
            return cls(media_type=d.get("media_type") or "", uri=d["uri"])
        data = base64.b64decode(d["base64"], validate=True)
        return cls(data, d.get("media_type") or "image/jpeg")


@dataclass(frozen=True)
class Source:
    """Where a contact (or a version of it) came from."""

    kind: str  # "photo" | "vcard" | "book"
    path: str
    sha256: str | None = None
    event: str | None = None
    met_on: str | None = None  # ISO date
    detail: str | None = None  # e.g. the card index inside a photo

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Source:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass(frozen=True)
class Contact:
    """A person (or organisation) with everything cardpipe knows about them."""

    full_name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    middle_name: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    nickname: str | None = None
    title: str | None = None
    company: str | None = None
    department: str | None = None
    emails: tuple[Email, ...] = ()
    phones: tuple[Phone, ...] = ()
    websites: tuple[str, ...] = ()
    addresses: tuple[Address, ...] = ()
    social: tuple[Social, ...] = ()
    note: str | None = None
    categories: tuple[str, ...] = ()
    uid: str | None = None
    rev: str | None = None
    photo: Photo | None = None
    #: field name (see CONFIDENCE_FIELDS) -> 0..1
    confidence: Mapping[str, float] = field(default_factory=dict)
    #: field name -> indices of the OCR words it was read from
    evidence: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    sources: tuple[Source, ...] = ()

    def __post_init__(self) -> None:
        # Accept lists from callers, keep tuples / read-only maps inside.
        for name in ("emails", "phones", "websites", "addresses", "social", "categories", "sources"):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))
        object.__setattr__(self, "confidence", _copy_map(self.confidence))
        object.__setattr__(
            self, "evidence", _copy_map({k: tuple(v) for k, v in self.evidence.items()})
        )

    def __hash__(self) -> int:  # mappings are not hashable; identity of content is enough
        return hash((self.uid, self.full_name, self.emails, self.phones))

    # -- convenience -------------------------------------------------------
    @property
    def display_name(self) -> str:
        """FN as a vCard needs it: the full name, else given+family, else company, else email."""
        if self.full_name:
            return self.full_name
        joined = " ".join(p for p in (self.given_name, self.family_name) if p)
        if joined:
            return joined
        if self.company:
            return self.company
        if self.emails:
            return self.emails[0].address
        if self.phones:
            return self.phones[0].number
        return ""

    @property
    def address(self) -> Address | None:
        return self.addresses[0] if self.addresses else None

    def replace(self, **changes: Any) -> Contact:
        return dataclasses.replace(self, **changes)

    def is_empty(self) -> bool:
        return not (
            self.full_name
            or self.given_name
            or self.family_name
            or self.company
            or self.emails
            or self.phones
        )

    # -- serialisation -----------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Everything, JSON-ready; ``from_dict(to_dict(c)) == c``."""
        return {
            "full_name": self.full_name,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "middle_name": self.middle_name,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "nickname": self.nickname,
            "title": self.title,
            "company": self.company,
            "department": self.department,
            "emails": [e.to_dict() for e in self.emails],
            "phones": [p.to_dict() for p in self.phones],
            "websites": list(self.websites),
            "addresses": [a.to_dict() for a in self.addresses],
            "social": [s.to_dict() for s in self.social],
            "note": self.note,
            "categories": list(self.categories),
            "uid": self.uid,
            "rev": self.rev,
            "photo": self.photo.to_dict() if self.photo else None,
            "confidence": dict(self.confidence),
            "evidence": {k: list(v) for k, v in self.evidence.items()},
            "sources": [s.to_dict() for s in self.sources],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Contact:
        return cls(
            full_name=d.get("full_name"),
            given_name=d.get("given_name"),
            family_name=d.get("family_name"),
            middle_name=d.get("middle_name"),
            prefix=d.get("prefix"),
            suffix=d.get("suffix"),
            nickname=d.get("nickname"),
            title=d.get("title"),
            company=d.get("company"),
            department=d.get("department"),
            emails=tuple(Email.from_dict(e) for e in d.get("emails", ())),
            phones=tuple(Phone.from_dict(p) for p in d.get("phones", ())),
            websites=tuple(d.get("websites", ())),
            addresses=tuple(Address.from_dict(a) for a in d.get("addresses", ())),
            social=tuple(Social.from_dict(s) for s in d.get("social", ())),
            note=d.get("note"),
            categories=tuple(d.get("categories", ())),
            uid=d.get("uid"),
            rev=d.get("rev"),
            photo=Photo.from_dict(d["photo"]) if d.get("photo") else None,
            confidence=dict(d.get("confidence", {})),
            evidence={k: tuple(v) for k, v in d.get("evidence", {}).items()},
            sources=tuple(Source.from_dict(s) for s in d.get("sources", ())),
        )

    def to_scan_dict(self) -> dict[str, Any]:
        """The stable ``contact`` object of ``cardpipe scan`` (keys other tools depend on)."""
        address = self.address
        return {
            "full_name": self.full_name,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "title": self.title,
            "company": self.company,
            "emails": [e.address for e in self.emails],
            "phones": [{"number": p.number, "type": p.type} for p in self.phones],
            "websites": list(self.websites),
            "address": (address.label or address.one_line())
            if address and not address.is_empty() else None,
            "social": [s.url for s in self.social],
        }


# -- normalisation helpers shared by parse, match and merge ---------------------


def fold(text: str) -> str:
    """Lower-case, strip diacritics and collapse whitespace: 'Müller  ' -> 'muller'."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    replacements = {"ß": "ss", "ø": "o", "Ø": "o", "đ": "d", "ł": "l", "Ł": "l", "æ": "ae"}
    stripped = "".join(replacements.get(ch, ch) for ch in stripped)
    return " ".join(stripped.lower().split())


def normalize_website(url: str) -> str:
    """'https://www.Example.com/' -> 'example.com' (for comparison, not display)."""
    u = url.strip().lower()
    for prefix in ("https://", "http://"):
        if u.startswith(prefix):
            u = u[len(prefix) :]
    if u.startswith("www."):
        u = u[4:]
    return u.rstrip("/")


def unique(items: Iterable[Any], key: Any = None) -> tuple[Any, ...]:
    """Keep the first of items that share a key, in order."""
    seen: set[Any] = set()
    out = []
    for item in items:
        k = key(item) if key else item
        if k in seen:
            continue
        seen.add(k)
        out.append(item)
    return tuple(out)
