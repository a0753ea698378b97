"""Word lists and tables the parser reads: job titles, given names, countries, labels.

The lists are text files in ``cardpipe/data/`` (read by ``cardpipe.data``): the parser's
own ``parse_*`` files, and the legal forms, webmail domains and shared mailboxes it
shares with the matcher.  This module turns them into what the parser compares:
``fold()``-ed words (lower case, no accents), sets, and the legal-form regex.
"""

from __future__ import annotations

import functools
import re

import phonenumbers
from rapidfuzz.distance import Hamming

from ..contact import fold
from ..data import legal_forms, read_lines, read_rows, shared_mailboxes, webmail_domains
from . import cjk_people as cjk

__all__ = [
    "COUNTRY_NAMES", "GENERIC_TLDS", "LEGAL_SUFFIX_RE", "PHONE_LABELS", "SECOND_LEVEL_LABELS",
    "SHARED_MAILBOXES", "WEBMAIL_DOMAINS", "word_set",
    "country_spelling", "department_words", "given_names", "is_country", "known_tld", "restore_accents", "title_words",
]


def word_set(text: str) -> frozenset[str]:
    """A word set from one space-separated string (keeps long lists readable)."""
    return frozenset(text.split())


@functools.cache
def given_names() -> frozenset[str]:
    """Folded given names (Faker locale lists + the nicknames table, see scripts/)."""
    return frozenset(read_lines("parse_given_names.txt"))


@functools.cache
def title_words() -> tuple[frozenset[str], tuple[str, ...]]:
    """(single folded title words, multi-word folded title phrases)."""
    words, phrases = set(), []
    for item in read_lines("parse_titles.txt"):
        (phrases.append(item) if " " in item else words.add(item))
    return frozenset(words), tuple(phrases)


@functools.cache
def department_words() -> frozenset[str]:
    return frozenset(read_lines("parse_departments.txt"))


@functools.cache
def _countries() -> dict[str, str]:
    table: dict[str, str] = {}
    for code, names in read_rows("parse_countries.tsv"):
        for name in names.split("|"):
            table[name.strip()] = code
    return table


COUNTRY_NAMES = _countries()


def is_country(text: str, *, misread: bool = False) -> str | None:
    """The ISO code when ``text`` is (only) a country name, else None.  ``misread``: also a
    name OCR got one character wrong ('Germamy', 'Espafia' with its ñ read as 'fi'), for
    the line under a postcode, where a country is expected."""
    name = _country_name(text, misread)
    return COUNTRY_NAMES[name] if name else None


def _country_name(text: str, misread: bool) -> str | None:
    """The (folded) country name ``text`` is, maybe through one OCR slip."""
    key = fold(text).strip(" .,;:-")
    if key in COUNTRY_NAMES:
        return key
    if misread and len(key) >= 6:
        for variant in dict.fromkeys((key, key.replace("fi", "n"), key.replace("rn", "m"))):
            # a letter for a letter: a letter more or less makes other words ('Frances')
            near = [n for n in COUNTRY_NAMES if len(n) == len(variant) and n[0] == variant[0]
                    and Hamming.distance(n, variant, score_cutoff=1) <= 1]
            if len({COUNTRY_NAMES[n] for n in near}) == 1:
                return near[0]
    return None


# Country names printed with diacritics; OCR often drops them ('Espana' for 'España').
_ACCENTED_COUNTRIES = {fold(n): n for n in (
    "España", "México", "Österreich", "België", "Türkiye", "Magyarország", "Países Bajos",
    "Éire")}


def country_spelling(text: str, misread: bool = False) -> str:
    """The printed country as it is spelt: the diacritics OCR dropped put back ('ESPANA' ->
    'ESPAÑA'), a misread letter repaired ('Espafia' -> 'España', 'Germamy' -> 'Germany');
    other text as it is."""
    name = _country_name(text, misread)
    key = fold(text).strip(" .,;:-")
    if name is None or name == key and name not in _ACCENTED_COUNTRIES:
        return text
    spelt = _ACCENTED_COUNTRIES.get(name) or " ".join(w.capitalize() for w in name.split())
    return spelt.upper() if text.isupper() else spelt


# The language whose spelling a card of a country most likely uses (for the accents OCR drops).
_REGION_LANGUAGE = {
    "DE": "de", "AT": "de", "LI": "de", "CH": "de", "FR": "fr", "LU": "fr", "MC": "fr",
    "ES": "es", "MX": "es", "AR": "es", "CO": "es", "CL": "es", "PE": "es", "VE": "es",
    "UY": "es", "EC": "es", "PT": "pt", "BR": "pt", "IT": "it", "SM": "it",
}


@functools.cache
def _accented() -> dict[str, dict[str, str]]:
    """language -> {folded word: the word with its diacritics}."""
    table: dict[str, dict[str, str]] = {}
    for row in read_lines("parse_accents.txt"):
        lang, word = row.split(None, 1)
        table.setdefault(lang, {})[fold(word)] = word
    return table


_LANGUAGE_REGION = {"de": "DE", "fr": "FR", "es": "ES", "pt": "PT", "it": "IT"}


def language_region(texts: list[str]) -> str | None:
    """'Recherche et développement', 'Ingeniería': the country of the one language whose
    own accented words (data/parse_accents.txt) the card prints; a last hint at the region
    of national phone numbers."""
    # only words printed with their accents: without them, 'senior' is also English
    printed = {t.lower() for text in texts for t in re.findall(r"[^\W\d_][^\W\d_\-]+", text)}
    langs = {lang for lang, words in _accented().items() if printed & set(words.values())}
    return _LANGUAGE_REGION.get(langs.pop()) if len(langs) == 1 else None


def restore_accents(text: str, region: str | None) -> str:
    """'COMUNICACION Guerrero' -> 'COMUNICACIÓN Guerrero' on a Spanish card: words OCR read
    without any of their diacritics get them back from a list of words that are only
    spelt with them in the card's language (data/parse_accents.txt); German compounds by
    their last part ('Ingenieurburo' -> 'Ingenieurbüro').  Words with a diacritic, words not
    in the list and cards of an unknown language stay as read."""
    words = _accented().get(_REGION_LANGUAGE.get((region or "").upper(), ""))
    if not words:
        return text

    def fix(m: re.Match[str]) -> str:
        token = m.group(0)
        low = token.lower()
        spelt = words.get(low)
        if spelt is None and words is _accented().get("de"):
            end = next((w for w in words if len(w) >= 4 and low.endswith(w)
                        and len(low) > len(w) + 2), None)
            spelt = low[:-len(end)] + words[end] if end else None
        if spelt is None:
            return token
        if token.isupper():
            return spelt.upper()
        return spelt[:1].upper() + spelt[1:] if token[:1].isupper() else spelt

    return re.sub(r"\b[A-Za-z][A-Za-z\-]*[A-Za-z]\b", fix, text)


# Words of departments and job areas: a line made only of these next to a title is a
# department; in a title line they belong to the title (see data/parse_function_words.txt).
FUNCTION_WORDS = frozenset(read_lines("parse_function_words.txt"))

# Printed phone labels (folded, without trailing '.' or ':') -> vCard type.
PHONE_LABELS: dict[str, str] = {label: kind for label, kind in read_rows("parse_phone_labels.tsv")}

# Labels printed before emails, websites and social handles (folded, no ':' or '.').
FIELD_LABELS = frozenset(read_lines("parse_field_labels.txt"))


def _legal_pattern(form: str) -> str:
    """The regex of one printed legal form (data/legal_forms.tsv): the dot after a word
    ('Co.', 'Pty.') or at the end may be missing, a comma too, a space may be missing or
    doubled, a letter may lose its diacritic ('haftungsbeschrankt'); the dots between
    initials ('S.r.l.') must be there."""
    parts = re.findall(r"[^\W_]+|\s+|\S", form.lower())
    out = []
    for i, part in enumerate(parts):
        if part[0].isalnum():
            out.append("".join(f"[{ch}{fold(ch)}]" if len(fold(ch)) == 1 and fold(ch) != ch
                               else re.escape(ch) for ch in part))
        elif part.isspace():
            out.append(r"\s*")
        elif part == ".":
            initial = i > 0 and len(parts[i - 1]) == 1 and parts[i - 1].isalnum()
            out.append(r"\." if initial and i + 1 < len(parts) else r"\.?")
        elif part == ",":
            out.append(",?")
        else:
            out.append(re.escape(part))
    return "".join(out)


# Legal forms that end (or sometimes start) a company name, the longest first ('GmbH & Co.
# KG' before 'GmbH').  A final dot may be missing (OCR drops it: 'S.r.l') or added ('NV.').
LEGAL_SUFFIX_RE = re.compile(
    r"(?:^|[\s,])(?:"
    + "|".join(_legal_pattern(f.form) for f in sorted(legal_forms(), key=lambda f: -len(f.form)))
    + r")\.?(?=$|[\s,)])", re.IGNORECASE
)
# Suffixes that are also ordinary words or initials; they only count at the end of a line.
_AMBIGUOUS_LEGAL = frozenset(f.form.lower() for f in legal_forms() if f.word)

# The country a legal form points to: a last hint at the region of national numbers
# (also without the dot after a word: 'ltd' as 'ltd.'; not 'b.v' for 'b.v.').
LEGAL_REGION = {key: f.country for f in legal_forms() if f.country
                for key in {f.form.lower(), re.sub(r"(?<=[^\W\d_]{2})\.$", "", f.form.lower())}}


def legal_region(text: str) -> str | None:
    suffix = legal_suffix(text)
    if not suffix:
        return None
    key = " ".join(suffix.lower().split())
    for k in (key, key.rstrip("."), key + ".", key.split()[-1], key.split()[-1].rstrip(".")):
        if k in LEGAL_REGION:
            return LEGAL_REGION[k]
    return None


def legal_suffix(text: str) -> str | None:
    """The legal form in ``text`` ("GmbH", "Inc.") or None; ambiguous short forms
    (AS, AB, SE, SA, SL, AG) only at the very end of the text."""
    found = None
    for m in LEGAL_SUFFIX_RE.finditer(text):
        token = m.group(0).strip(" ,")
        if token.lower() in _AMBIGUOUS_LEGAL or len(token) <= 2:
            tail = text[m.end():].strip(" .,)")
            if tail or not text[m.start():].strip(" ,")[:1].isupper():
                continue
        found = token
    if found is None and cjk.has_cjk(text):
        return cjk.legal_form(text)
    return found


# The names of free email services ('gmail', 'web' of web.de): a domain of one names no
# company.
WEBMAIL_DOMAINS = frozenset(domain.split(".")[0] for domain in webmail_domains())
# Local parts of shared mailboxes (info@, vertrieb@).
SHARED_MAILBOXES = shared_mailboxes()


@functools.cache
def _tld_tags() -> dict[str, frozenset[str]]:
    """TLD -> its tags in data/parse_tlds.tsv (generic, common, second)."""
    return {tld: frozenset(tags.split()) for tld, tags in read_rows("parse_tlds.tsv")}


def _tlds(tag: str) -> frozenset[str]:
    return frozenset(tld for tld, tags in _tld_tags().items() if tag in tags)


# Generic TLDs (and the country codes used as such: .io, .tv); they name no region.
GENERIC_TLDS = _tlds("generic")
# The TLDs most cards print; between two OCR readings of one domain ('.nl' / '.ni') the
# common one wins.
COMMON_TLDS = _tlds("common")
# Second-level labels under a country code ('co' of co.uk, 'gv' of gv.at).
SECOND_LEVEL_LABELS = _tlds("second")


@functools.cache
def _cc_tlds() -> frozenset[str]:
    codes = {r.lower() for r in phonenumbers.SUPPORTED_REGIONS}
    return frozenset(codes | {"uk", "eu"})


def known_tld(tld: str) -> bool:
    tld = tld.lower()
    return tld in GENERIC_TLDS or tld in _cc_tlds()


def tld_region(domain: str) -> str | None:
    """The phone region a domain's country-code TLD names ('example.co.uk' -> 'GB')."""
    tld = domain.lower().rstrip(".").rsplit(".", 1)[-1]
    if tld == "uk":
        return "GB"
    if len(tld) == 2 and tld in _cc_tlds() and tld not in GENERIC_TLDS:
        return tld.upper()
    return None


def _street_words() -> tuple[dict[str, frozenset[str]], dict[str, tuple[str, ...]]]:
    """(country group -> street words, country -> the endings glued onto its street names
    that point to it), from data/parse_street_words.tsv; '' holds the endings that point to
    no country."""
    words: dict[str, set[str]] = {}
    ends: dict[str, list[str]] = {}
    for word, countries, *glued in read_rows("parse_street_words.tsv"):
        for cc in countries.split():
            words.setdefault(cc, set()).add(word)
        if glued:
            for cc in glued[0].replace("-", "").split() or [""]:
                ends.setdefault(cc, []).append(word)
    return ({cc: frozenset(w) for cc, w in words.items()},
            {cc: tuple(w) for cc, w in ends.items()})


# Street-type words by country group (folded); used for addresses and country hints.
STREET_WORDS, _GLUED = _street_words()
ALL_STREET_WORDS = frozenset().union(*STREET_WORDS.values())
# Suffix forms glued onto German / Dutch street names: "Hauptstraße", "Keizersgracht".
STREET_SUFFIXES = tuple(dict.fromkeys(w for ends in _GLUED.values() for w in ends))
# The countries a glued suffix points to: 'strasse' DE, 'gracht' NL (not 'ring': 'Goldring').
STREET_SUFFIX_COUNTRY = {cc: ends for cc, ends in _GLUED.items() if cc}
