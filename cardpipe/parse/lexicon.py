"""Word lists and tables the parser reads: job titles, given names, countries, labels.

The larger lists live as text files in ``cardpipe/data/parse_*``; small closed sets
(phone labels, legal suffixes, street words) are here, next to the code that uses them.
Everything is compared in ``fold()``-ed form (lower case, no accents).
"""

from __future__ import annotations

import functools
import re
from importlib import resources

import phonenumbers
from rapidfuzz.distance import Hamming

from ..contact import fold

__all__ = [
    "COUNTRY_NAMES", "GENERIC_TLDS", "LEGAL_SUFFIX_RE", "PHONE_LABELS", "WEBMAIL_DOMAINS",
    "word_set",
    "country_spelling", "department_words", "given_names", "is_country", "known_tld", "restore_accents", "title_words",
]


def word_set(text: str) -> frozenset[str]:
    """A word set from one space-separated string (keeps long lists readable)."""
    return frozenset(text.split())


def _data_lines(name: str) -> list[str]:
    text = resources.files("cardpipe.data").joinpath(name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@functools.cache
def given_names() -> frozenset[str]:
    """Folded given names (Faker locale lists + the nicknames table, see scripts/)."""
    return frozenset(_data_lines("parse_given_names.txt"))


@functools.cache
def title_words() -> tuple[frozenset[str], tuple[str, ...]]:
    """(single folded title words, multi-word folded title phrases)."""
    words, phrases = set(), []
    for item in _data_lines("parse_titles.txt"):
        (phrases.append(item) if " " in item else words.add(item))
    return frozenset(words), tuple(phrases)


@functools.cache
def department_words() -> frozenset[str]:
    return frozenset(_data_lines("parse_departments.txt"))


@functools.cache
def _countries() -> dict[str, str]:
    table: dict[str, str] = {}
    for row in _data_lines("parse_countries.tsv"):
        code, names = row.split("\t")
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
    for row in _data_lines("parse_accents.txt"):
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
FUNCTION_WORDS = frozenset(_data_lines("parse_function_words.txt"))

# Printed phone labels (folded, without trailing '.' or ':') -> vCard type.
PHONE_LABELS: dict[str, str] = {}
for _t, _labels in {
    "work": "t tel tel. telephone telephon telefon telefono telefone teléfono telefoon tél "
            "tel téléphone phone ph office o off direct d dir direkt durchwahl büro buro "
            "zentrale standard switchboard main w work business bus geschaftlich tfno tf fixe "
            "fijo ufficio kantoor vaste fon fone voice bureau oficina centralita centralino "
            "algemeen directe ligne tlf tlfn telf tfn sede hauptnummer vermittlung",
    "cell": "m mob mobile mobil mobiel mobiele cell cel cellular cellulare celular c handy "
            "portable port gsm natel movil móvil cellphone smartphone mov móv celu",
    "fax": "f fax telefax télécopie telecopie telecopieur fx",
    "home": "h home privat private priv casa domicile",
    # 'P.' is Phone on an English card and Portable on a French one: the number decides
    "phone": "p",
}.items():
    for _label in _labels.split():
        PHONE_LABELS[fold(_label).rstrip(".")] = _t

# Labels printed before emails, websites and social handles (folded, no ':' or '.').
FIELD_LABELS = word_set(
    "e email e-mail mail mel courriel correo correo-e posta e-post epost w web www website "
    "webseite internet site sito sitio url homepage i in li linkedin x twitter tw gh github "
    "ig insta instagram xing xi adresse address adr anschrift indirizzo direccion adres"
)

# Legal forms that end (or sometimes start) a company name.
_LEGAL = [
    r"inc\.?", r"incorporated", r"corp\.?", r"corporation", r"llc", r"l\.l\.c\.", r"llp",
    r"l\.l\.p\.", r"lp", r"ltd\.?", r"limited", r"plc", r"pty\.?\s*ltd\.?", r"pty",
    r"co\.?,?\s*ltd\.?", r"co\.", r"& co\.?", r"company", r"gmbh(?:\s*&\s*co\.?\s*kg)?",
    r"ag", r"kg", r"ohg", r"gbr", r"ug(?:\s*\(haftungsbeschr[aä]nkt\))?", r"e\.\s?k\.",
    r"e\.\s?v\.", r"mbh", r"sa", r"s\.a\.", r"sarl", r"s\.a\.r\.l\.", r"sas", r"s\.a\.s\.",
    r"sasu", r"eurl", r"sci", r"snc", r"s\.l\.", r"sl", r"s\.l\.u\.", r"slu", r"s\.a\.u\.",
    r"bv", r"b\.v\.", r"nv", r"n\.v\.", r"vof", r"kk", r"k\.k\.", r"kabushiki kaisha",
    r"s\.p\.a\.", r"spa", r"s\.r\.l\.", r"srl", r"s\.n\.c\.", r"s\.a\.s\.", r"oy", r"oyj",
    r"ab", r"a/s", r"as", r"asa", r"aps", r"sprl", r"bvba", r"sa/nv", r"se", r"kgaa",
    r"lda\.?", r"ltda\.?", r"s\.?\s?de\s?r\.?l\.?", r"s\.?a\.? de c\.?v\.?", r"pte\.?\s*ltd\.?",
    r"sp\.\s*z\s*o\.\s*o\.", r"s\.r\.o\.", r"a\.s\.", r"d\.o\.o\.",
]
# A final dot may be missing (OCR drops it: 'S.r.l') or added ('NV.', 'GmbH.').
LEGAL_SUFFIX_RE = re.compile(
    r"(?:^|[\s,])(?:" + "|".join(p[:-2] + r"\.?" if p.endswith(r"\.") else p for p in _LEGAL)
    + r")\.?(?=$|[\s,)])", re.IGNORECASE
)
# Suffixes that are also ordinary words or initials; they only count at the end of a line.
_AMBIGUOUS_LEGAL = frozenset({"as", "ab", "se", "sa", "sl", "lp", "co.", "ag", "kg", "spa", "pty"})


# The country a legal form points to: a last hint at the region of national numbers.
LEGAL_REGION = {
    "gmbh": "DE", "ag": "DE", "kg": "DE", "e.k.": "DE", "ug": "DE", "ohg": "DE", "gbr": "DE",
    "sarl": "FR", "s.a.r.l.": "FR", "sas": "FR", "sasu": "FR", "eurl": "FR",
    "s.l.": "ES", "sl": "ES", "s.l.u.": "ES", "slu": "ES", "s.a.u.": "ES",
    "s.r.l.": "IT", "srl": "IT", "s.p.a.": "IT", "spa": "IT", "s.n.c.": "IT",
    "bv": "NL", "b.v.": "NL", "vof": "NL", "bvba": "BE", "sprl": "BE",
    "ltd": "GB", "ltd.": "GB", "limited": "GB", "plc": "GB", "llp": "GB",
    "inc": "US", "inc.": "US", "llc": "US", "corp.": "US", "corp": "US",
    "pty ltd": "AU", "kk": "JP", "k.k.": "JP", "oy": "FI", "oyj": "FI", "ab": "SE",
    "a/s": "DK", "aps": "DK", "asa": "NO", "lda": "PT", "ltda": "BR",
}


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
    return found


WEBMAIL_DOMAINS = word_set(
    "gmail googlemail yahoo ymail hotmail outlook live msn aol icloud me mac gmx web t-online "
    "freenet arcor posteo mailbox proton protonmail pm orange free wanadoo laposte sfr libero "
    "virgilio tiscali alice tin telefonica terra ziggo kpnmail hetnet planet btinternet sky "
    "virginmedia talktalk comcast verizon att sbcglobal bluewin yandex mail zoho fastmail hey "
    "tutanota"
)

GENERIC_TLDS = word_set(
    "com org net edu gov mil int info biz io ai app dev co tech online site store shop design "
    "agency consulting digital studio media group company solutions services cloud xyz me tv "
    "law legal health eco berlin bayern hamburg koeln cologne wien swiss paris london nyc "
    "email global pro name mobi museum travel eu asia africa art blog news team tools systems "
    "software network capital partners ventures finance financial energy engineering expert "
    "marketing photography events center centre works life world today live page space "
    "website academy school education training institute foundation family"
)


# The TLDs most cards print; between two OCR readings of one domain ('.nl' / '.ni') the
# common one wins.
COMMON_TLDS = word_set(
    "com org net io co eu de at ch fr be nl lu es pt it uk ie us ca mx br ar au nz jp cn in "
    "se dk no fi pl cz sk hu ro gr tr ru ae za sg hk kr info biz app dev ai"
)


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
    if len(tld) == 2 and tld in _cc_tlds() and tld not in {"eu", "io", "ai", "co", "me", "tv"}:
        return tld.upper()
    return None


# Street-type words by country group (folded); used for addresses and country hints.
STREET_WORDS: dict[str, frozenset[str]] = {
    "DE": word_set(
        "strasse str str. weg platz allee gasse ring damm ufer chaussee markt steig pfad hof berg "
        "stieg"
    ),
    "FR": word_set(
        "rue avenue av av. boulevard bd bd. allee chemin place quai impasse route cours faubourg "
        "square"
    ),
    "ES": word_set(
        "callejon urbanizacion carretera ctra poligono pasaje travesia "
        "calle c/ avenida avda avda. av. plaza pza paseo ronda carrer camino travesia glorieta"
    ),
    "IT": word_set(
        "via viale piazza corso vicolo largo strada piazzale contrada"
    ),
    "NL": word_set(
        "straat gracht laan weg plein kade singel dijk steeg"
    ),
    "US": word_set(
        "street st st. avenue ave ave. road rd rd. boulevard blvd blvd. drive dr dr. lane ln ln. "
        "way court ct ct. place pl pl. parkway pkwy highway hwy suite ste ste. floor fl terrace "
        "circle square plaza broadway close crescent gardens grove mews oval row rise walk wharf "
        "quay parade esplanade embankment passage alley causeway circus"
    ),
}
ALL_STREET_WORDS = frozenset().union(*STREET_WORDS.values())
# Suffix forms glued onto German / Dutch street names: "Hauptstraße", "Keizersgracht".
STREET_SUFFIXES = ("strasse", "str.", "weg", "platz", "allee", "gasse", "ring", "damm",
                   "straat", "gracht", "laan", "plein", "kade", "ufer", "chaussee", "markt")
