"""Normalisation for matching: what a contact looks like once case, diacritics,
nicknames, middle initials, phone formats and legal suffixes no longer matter.

``features(contact, model)`` computes everything the comparisons and the blocking
keys need, once per contact (the index caches it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

import phonenumbers
from nameparser import HumanName
from nicknames import NickNamer

from ..contact import Contact, fold, normalize_website
from ..data import legal_forms, read_rows

if TYPE_CHECKING:  # (model.py reads the legal suffixes from here)
    from .model import MatchModel

# letters and digits of every script: a Han, Hangul, kana, Cyrillic or Greek name or company
# has its key like a Latin one (fold() has lower-cased it and dropped the accents)
_NON_ALNUM = re.compile(r"[\W_]+")
_NON_ALPHA = re.compile(r"[\W\d_]+")
_DOUBLE = re.compile(r"(.)\1+")
_UMLAUT_PAIRS = (("ae", "a"), ("oe", "o"), ("ue", "u"))


@lru_cache(maxsize=1)
def _nicknamer() -> NickNamer:
    return NickNamer()


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """A spelling-tolerant key for one name: 'Müller', 'Muller', 'Mueller' -> 'muler'.

    Folds case and diacritics, writes German umlaut transcriptions (ae/oe/ue) as the
    plain vowel, drops everything but letters and collapses doubled letters.
    """
    key = _NON_ALPHA.sub("", fold(text))
    for pair, single in _UMLAUT_PAIRS:
        key = key.replace(pair, single)
    return _DOUBLE.sub(r"\1", key)


def _name_form(text: str) -> str:
    return _NON_ALPHA.sub("", fold(text))


@cache
def _diminutives() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """(full name -> its diminutives, diminutive -> its full names) from
    data/match_nicknames.tsv: the languages the ``nicknames`` package (English) lacks,
    folded as ``features`` folds given names ('José' -> 'jose')."""
    dims: dict[str, set[str]] = {}
    fulls: dict[str, set[str]] = {}
    for _lang, full, names in read_rows("match_nicknames.tsv"):
        f = _name_form(full)
        for d in (_name_form(n) for n in names.split()):
            if d and d != f:
                dims.setdefault(f, set()).add(d)
                fulls.setdefault(d, set()).add(f)
    return ({k: frozenset(v) for k, v in dims.items()},
            {k: frozenset(v) for k, v in fulls.items()})


@lru_cache(maxsize=65536)
def given_groups(given: str) -> frozenset[str]:
    """The name itself plus every canonical name it is a nickname of ('bob' -> robert,
    'sasha' -> aleksandr, 'beppe' -> giuseppe ...)."""
    if not given:
        return frozenset()
    nn = _nicknamer()
    return frozenset({given, *nn.canonicals_of(given), *_diminutives()[1].get(given, ())})


@lru_cache(maxsize=262144)
def nickname_related(a: str, b: str) -> bool:
    """True when one folded given name is a nickname of the other (Bob ~ Robert,
    Kate ~ Katherine; Sepp ~ Josef, Paco ~ Francisco, Kees ~ Cornelis, Misha ~ Mikhail)."""
    if not a or not b or a == b:
        return False
    nn = _nicknamer()
    if b in nn.nicknames_of(a) or a in nn.nicknames_of(b):
        return True
    dims = _diminutives()[0]
    return b in dims.get(a, ()) or a in dims.get(b, ())


@lru_cache(maxsize=262144)
def share_canonical(a: str, b: str) -> bool:
    """True when two given names are nicknames of one name (Bob ~ Rob via Robert; but
    also Derek ~ Ricky via Frederick: weaker evidence than a direct nickname)."""
    if not a or not b or a == b:
        return False
    return bool((given_groups(a) - {a}) & (given_groups(b) - {b}))


def _company_tokens(name: str) -> list[str]:
    """'ACME GmbH & Co. KG' -> ['acme', 'gmbh', 'and', 'co', 'kg']."""
    return _NON_ALNUM.sub(" ", fold(name.replace("&", " and "))).split()


@cache
def legal_suffixes() -> frozenset[str]:
    """The legal forms of data/legal_forms.tsv as ``company_key`` strips them: the letters
    of their words joined ('S.r.l.' -> 'srl', 'GmbH & Co. KG' -> 'gmbhandcokg'), and with
    an '&' left out as well ('gmbhcokg': 'GmbH + Co. KG')."""
    keys = set()
    for f in legal_forms():
        keys.add("".join(_company_tokens(f.form)))
        keys.add("".join(_company_tokens(f.form.replace("&", " "))))
    return frozenset(keys)


@lru_cache(maxsize=16)
def _longest(suffixes: frozenset[str]) -> int:
    return max(map(len, suffixes), default=0)


@lru_cache(maxsize=65536)
def _company_key_cached(name: str, suffixes: frozenset[str]) -> str:
    return company_key(name, suffixes)


def company_key(name: str, suffixes: frozenset[str]) -> str:
    """'ACME Holding GmbH & Co. KG' -> 'acme holding': folded, punctuation gone, legal
    suffixes (from the model) stripped from the end, a leading 'the' dropped."""
    tokens = _company_tokens(name)
    # Multi-word suffixes such as "s p a" are matched as joined tokens as well (n tokens
    # join to n letters or more: no run longer than the longest suffix can match).
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        for n in range(min(len(tokens) - 1, _longest(suffixes)), 0, -1):
            if "".join(tokens[-n:]) in suffixes:
                del tokens[-n:]
                changed = True
                break
        if tokens and tokens[-1] in ("and", "und", "et", "y", "e") and len(tokens) > 1:
            tokens.pop()
            changed = True
    if len(tokens) > 1 and tokens[0] in ("the", "die", "der", "la", "le", "el", "il"):
        tokens = tokens[1:]
    return " ".join(tokens)


_ISOLATED_DIGIT = re.compile(r"(?<![0-9])[0158](?![0-9])")
_DIGIT_AS_LETTER = {"0": "o", "1": "l", "5": "s", "8": "b"}
_OCR_PAIRS = (("rn", "m"), ("cl", "d"), ("vv", "w"), ("i", "l"))


def digits_as_letters(text: str) -> str:
    """A lone 0/1/5/8 among letters is a misread o/l/s/b; digits next to digits are a number."""
    return _ISOLATED_DIGIT.sub(lambda m: _DIGIT_AS_LETTER[m.group()], text)


def ocr_fold(text: str) -> str:
    """Text with the glyphs OCR confuses written one way: 'j.srnith1' -> 'j.smlthl'."""
    text = digits_as_letters(text)
    for confused, canonical in _OCR_PAIRS:
        text = text.replace(confused, canonical)
    return text


def _phone_tail(digits: str, n: int = 8) -> str:
    return digits[-n:] if len(digits) >= n else ""


@lru_cache(maxsize=65536)
def is_mobile_number(e164: str) -> bool:
    """phonenumbers' view of whether an E.164 number is a mobile (personal) line."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE


@lru_cache(maxsize=65536)
def national_parts(e164: str) -> tuple[str, str] | None:
    """(country calling code, national significant number) of an E.164 number."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    return str(parsed.country_code), phonenumbers.national_significant_number(parsed)


@dataclass(frozen=True, slots=True)
class EmailF:
    key: str  # lower-cased address
    local: str
    domain: str
    role: bool  # info@, office@ ...: shared by many people
    free: bool  # gmail.com, web.de ...: says nothing about the employer


@dataclass(frozen=True, slots=True)
class PhoneF:
    key: str  # E.164 (or digits when it did not parse)
    tail: str  # the last 8 digits, to meet a number written without its country code
    type: str
    e164: bool
    shown: str  # for reasons


@dataclass(frozen=True, slots=True)
class AddressF:
    """One postal address in parts, for a comparison that survives one part being
    misread, missing or moved to the other line."""

    streets: tuple[str, ...]  # letters only, spaces gone: street and the extended line
    number: str  # the house number (first run of digits of the street line)
    postcode: str  # digits and letters, no spaces
    locality: str  # letters only
    home: bool = False  # typed HOME: a household's, not an office's


@dataclass(frozen=True, slots=True)
class Features:
    """A contact as the comparisons see it."""

    given: str  # folded first given name ('' when unknown)
    given_shown: str
    middle: str  # folded middle initials, e.g. 'q'
    family: str  # folded family name
    family_key: str  # name_key of the family name
    family_shown: str
    full_shown: str
    emails: tuple[EmailF, ...]
    phones: tuple[PhoneF, ...]
    company: str  # company_key
    company_shown: str
    domains: frozenset[str]  # employer domains: non-free email domains and websites
    addresses: tuple[tuple[str, str], ...]  # (folded one-line, folded locality)
    social: tuple[tuple[str, str], ...]  # (service, folded handle)
    address_parts: tuple[AddressF, ...] = ()
    birthday: str = ""
    #: the company field read as a person's (given key, family key), and the name read
    #: as a company key: a parser that swapped the two is met by comparing across
    company_as_name: tuple[str, str] = ("", "")
    name_as_company: str = ""  # 'YYYYMMDD' ('----MMDD' without a year), see birthday_key

    @property
    def has_name(self) -> bool:
        return bool(self.family or self.given)

    @property
    def name_tf_key(self) -> str:
        """How common this person's name is: counted in the index for term frequency."""
        if not self.family_key:
            return ""
        return f"{self.family_key}|{self.given[:1]}{min(given_groups(self.given), default='')}"


def _split_name(contact: Contact) -> tuple[str, str, str, str, str]:
    """(given, middle initials, family, given as shown, family as shown)."""
    given_raw = (contact.given_name or "").strip()
    family_raw = (contact.family_name or "").strip()
    middle_raw = (contact.middle_name or "").strip()
    if not (given_raw or family_raw) and contact.full_name:
        parsed = HumanName(contact.full_name)
        given_raw, middle_raw, family_raw = parsed.first, parsed.middle, parsed.last
        if not family_raw and given_raw and not middle_raw:
            family_raw, given_raw = given_raw, ""
    # A lone digit in a name is a misread letter (J0hn, Hal1).
    given_tokens = fold(digits_as_letters(given_raw)).replace(".", " ").split()
    given = given_tokens[0] if given_tokens else ""
    middles = given_tokens[1:] + fold(middle_raw).replace(".", " ").split()
    middle = "".join(t[0] for t in middles if t)
    given_shown = given_raw.split()[0] if given_raw.split() else ""
    family = fold(digits_as_letters(family_raw))
    return _NON_ALPHA.sub("", given), middle, family, given_shown, family_raw


_DIGIT_RUN = re.compile(r"[0-9]+")
_DATE = re.compile(r"^\s*(\d{4}|-{2,4})-?(\d{2})-?(\d{2})(?:T.*)?\s*$")


def birthday_key(value: str | None) -> str:
    """A birthday as 8 characters, 'YYYYMMDD', or '----MMDD' without a year (vCard 4.0
    '--0322'); '' when it is not a date ('circa 1980').  Impossible dates such as
    month 00 are kept: a misread digit is what the comparison looks for."""
    if not value:
        return ""
    m = _DATE.match(value)
    if not m:
        return ""
    year, month, day = m.groups()
    return ("----" if year.startswith("-") else year) + month + day


@lru_cache(maxsize=262144)
def _letters(text: str) -> str:
    return _NON_ALPHA.sub("", fold(text))


def address_parts(street: str, extended: str, postcode: str, locality: str,
                  home: bool = False) -> AddressF:
    """The parts of one address as ``compare_address`` weighs them."""
    number = next(iter(_DIGIT_RUN.findall(street)), "")
    streets = tuple(s for s in (_letters(street), _letters(extended)) if s)
    return AddressF(streets, number, _NON_ALNUM.sub("", postcode.lower()), _letters(locality),
                    home)


def features(contact: Contact, model: MatchModel, birthday: str | None = None) -> Features:
    """Everything matching needs from ``contact``, normalised once.

    ``birthday``: the card's BDAY (not a ``Contact`` field: the book keeps it on the
    card), as the vCard writes it."""
    given, middle, family, given_shown, family_shown = _split_name(contact)
    emails = []
    for e in contact.emails:
        key = e.key
        if "@" not in key:
            continue
        local, _, domain = key.rpartition("@")
        emails.append(
            EmailF(key, local, domain, local in model.role_email_locals,
                   model.is_free_domain(domain))
        )
    phones = []
    for p in contact.phones:
        key = p.key
        if len(key.lstrip("+")) < 5:
            continue
        digits = key.lstrip("+")
        phones.append(PhoneF(key, _phone_tail(digits), p.type, p.is_e164, p.raw or p.number))
    domains = {e.domain for e in emails if not e.free}
    for w in contact.websites:
        host = normalize_website(w).split("/")[0]
        if host and not model.is_free_domain(host):
            domains.add(host)
    company_shown = (contact.company or "").strip()
    addresses = tuple(
        (fold(a.one_line()), fold(a.locality)) for a in contact.addresses if not a.is_empty()
    )
    parts = tuple(address_parts(a.street, a.extended, a.postcode, a.locality,
                                (a.type or "").lower() == "home")
                  for a in contact.addresses if not a.is_empty())
    social = tuple((s.service.lower(), fold(s.handle).lstrip("@")) for s in contact.social)
    full = contact.full_name or " ".join(p for p in (given_shown, family_shown) if p)
    as_name = ("", "")
    words = company_shown.split()
    if 2 <= len(words) <= 3 and all(w.replace("-", "").replace(".", "").isalpha()
                                    for w in words):
        as_name = (name_key(words[0]), name_key(words[-1]))
    return Features(
        given=given,
        given_shown=given_shown,
        middle=middle,
        family=family,
        family_key=name_key(family) if family else "",
        family_shown=family_shown,
        full_shown=full.strip(),
        emails=tuple(emails),
        phones=tuple(phones),
        company=company_key(company_shown, model.company_suffixes) if company_shown else "",
        company_shown=company_shown,
        domains=frozenset(domains),
        addresses=addresses,
        social=social,
        address_parts=parts,
        birthday=birthday_key(birthday),
        company_as_name=as_name,
        # (only a contact with a company can be the other side of a swap)
        name_as_company=_company_key_cached(full, model.company_suffixes)
        if full.strip() and company_shown else "",
    )
