"""Korean, Japanese and Chinese cards: the conventions the Latin-card parser does not know.

A CJK card writes its name family name first in two to four characters, without spaces
(or letter-spaced: '정 용 한'), its company with a legal form anywhere in the line
('株式会社ニトリ', '(주)코난', '大椽股份有限公司'), its title after the department
('住宅事業本部副本部長', '영업팀 / 팀장') and its address from the province down to the
building and floor ('東京都千代田区大手町1-2-3', '서울시 서초구 강남대로 327 6층').
The words for each convention live in ``cardpipe/data/parse_cjk.tsv``.

``read_cjk(lines)`` takes the card's lines left over once e-mails, phones and websites
are taken (text, character height) and returns what it found; ``is_cjk(texts)`` says
whether a card is written in a CJK script at all.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from ..data import read_rows
from . import cjk_people
from .cjk_people import HAN, HANGUL, KANA

__all__ = ["CjkFields", "is_cjk", "read_cjk", "script", "squeeze"]

CJK = HAN + KANA + HANGUL
_CJK_CHAR = re.compile(f"[{CJK}]")
# Letter-spacing: a space between two CJK characters is no word break.
_SPACED = re.compile(f"(?<=[{CJK}]) (?=[{CJK}])")
_NAME_CHARS = re.compile(f"[{HAN}{HANGUL}々]{{2,4}}")
# '〒100-8270' and OCR's readings of the postal mark (テ, 干, 平, 元 for 〒)
_JP_POSTCODE = re.compile(r"(?:^|[〒テデ干平元T])\s?\d{3}\s?[-‐ー−]\s?\d{4}(?!\d)")
_KR_POSTCODE = re.compile(r"^\(?\d{5}\)?(?!\d)")
_SEPARATORS = re.compile(r"\s*[/|·・,、]\s*")


@dataclass
class CjkFields:
    """What the CJK conventions found; ``used`` are the indices of the lines taken."""

    full_name: str | None = None
    title: str | None = None
    department: str | None = None
    company: str | None = None
    used: dict[int, str] = field(default_factory=dict)


@functools.cache
def _words() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for kind, entries in read_rows("parse_cjk.tsv"):
        table.setdefault(kind, []).extend(entries.split())
    # longest first, so that '代表取締役' is tried before '取締役'
    return {k: tuple(sorted(set(v), key=len, reverse=True)) for k, v in table.items()}


def script(text: str) -> str | None:
    """'hangul', 'kana' (Japanese), 'han' (Chinese characters alone) or None (no CJK)."""
    hangul = len(re.findall(f"[{HANGUL}]", text))
    kana = len(re.findall(f"[{KANA}]", text))
    han = len(re.findall(f"[{HAN}]", text))
    if not hangul + kana + han:
        return None
    if hangul >= max(kana, 1):
        return "hangul"
    return "kana" if kana else "han"


def is_cjk(texts: list[str]) -> bool:
    """A card is CJK when at least four of its letters and a fifth of them are CJK."""
    text = "".join(texts)
    cjk = len(_CJK_CHAR.findall(text))
    letters = sum(ch.isalpha() for ch in text)
    return cjk >= 4 and cjk >= 0.2 * letters


def squeeze(text: str) -> str:
    """'정 용 한' -> '정용한', '東 京 都' -> '東京都': drop the letter-spacing between CJK
    characters.  Korean puts real spaces between words: there only single syllables
    standing alone are letter-spacing ('서 울 특 별시 서초구' -> '서울특별시 서초구')."""
    out: list[str] = []
    glue = False
    for tok in text.split():
        hangul = bool(re.match(f"[{HANGUL}]", tok))
        if out and glue and hangul:
            out[-1] += tok
        else:
            out.append(tok)
        glue = bool(re.fullmatch(f"[{HANGUL}]", tok)) or (glue and hangul and len(tok) == 1)
    text = " ".join(out)
    return re.sub(f"(?<=[{HAN}{KANA}]) (?=[{HAN}{KANA}])", "", text)


def _strip_label(text: str) -> str:
    """'地址:兰西县...' -> '兰西县...', '주소 : ...' -> '...'."""
    for label in _words()["label"]:
        m = re.match(rf"\s*{re.escape(label)}\s*[:：]\s*", text, re.IGNORECASE)
        if m:
            return text[m.end():]
    return text


def _ends_with(text: str, kind: str) -> str | None:
    return next((w for w in _words()[kind] if text.endswith(w)), None)


def is_title(text: str) -> bool:
    """'営業マネージャー', '代表取締役社長', '대표 / 공인중개사': every part of the line (split
    at '/', '·') ends with a title or is a department, and one part ends with a title."""
    parts = [p for p in _SEPARATORS.split(squeeze(text)) if p]
    if not parts or not all(_CJK_CHAR.search(p) or p.isascii() for p in parts):
        return False
    titled = [bool(_ends_with(p, "title")) for p in parts]
    return any(titled) and all(t or is_department(p) or p.isascii()
                               for t, p in zip(titled, parts, strict=True))


def is_department(text: str) -> bool:
    """'住宅企画部', 'ネットワークサービス部門', '인공지능팀', '前瞻科技研究所'."""
    t = squeeze(text)
    return len(t) >= 2 and bool(_CJK_CHAR.search(t)) and bool(_ends_with(t, "department")) \
        and not _company_form(t)


def _company_form(text: str) -> str | None:
    t = squeeze(text)
    return next((w for w in _words()["company"] if w in t), None)


def is_company(text: str) -> bool:
    """A legal form anywhere in the line ('株式会社ニトリ', '(주)코난테크놀로지')."""
    t = squeeze(text)
    return len(t) > 2 and _company_form(t) is not None


def is_organisation(text: str) -> bool:
    """'연세대학교 의료원', '中華電信研究院': a kind of organisation ends the line."""
    t = squeeze(text)
    return len(t) > 2 and _ends_with(t, "organisation") is not None


_KR_PROVINCES = ("서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기", "강원",
                 "충북", "충남", "충청", "전북", "전남", "전라", "경북", "경남", "경상", "제주")
# '전주시 완산구', '서울특별시서초구' (OCR or the segmenter may drop the spaces): a city
# followed by its district is the head of a Korean address
_KR_CHAIN = re.compile(f"[{HANGUL}](?:특별시|광역시|시)\\s?[{HANGUL}]{{1,4}}(?:구|군)(?![{HANGUL}])|"
                       f"[{HANGUL}](?:특별시|광역시|시)\\s?[{HANGUL}]{{1,4}}(?:구|군)"
                       f"\\s?[{HANGUL}0-9]{{1,8}}(?:로|길|동|읍|면)")
# '강남대로 327', '중산2길 15-3', '오금로15길': a road and its number
_KR_ROAD = re.compile(f"[{HANGUL}0-9](?:대로|로|길|번길)\\s?\\d")


def _korean_chain(text: str) -> int:
    """Korean address conventions seen in ``text``, spaces or none: province first,
    city and district, road and number, floor ('6층')."""
    t = text.lstrip("(우) 0123456789-")
    score = 2 * bool(_KR_CHAIN.search(text)) + bool(_KR_ROAD.search(text))
    score += t.startswith(_KR_PROVINCES)
    score += bool(re.search(r"\d\s?(?:층|호)(?![가-힣])", text))
    return score


def address_score(text: str) -> int:
    """How many address conventions a line shows: postcodes, administrative divisions
    (都道府県市区町村, 省市县区, 시도구군), streets, numbers and floors."""
    t = squeeze(_strip_label(text))
    if len(t) < 5 or not _CJK_CHAR.search(t):
        return 0
    score = 0
    if _JP_POSTCODE.search(t) or _KR_POSTCODE.search(t):
        score += 2
    words = _words()["address"]
    # Hangul divisions end a space-separated word ('서초구', '강남대로'); Han ones may
    # follow each other without a space ('東京都千代田区').
    for tok in re.split(r"[\s,()]+", t):
        if re.search(f"[{HANGUL}]", tok):
            score += any(tok.endswith(w) and len(tok) > len(w) for w in words) or tok in words
    score += _korean_chain(t)
    han = re.sub(f"[^{HAN}{KANA}]", " ", t)
    score += sum(han.count(w) for w in words if re.match(f"[{HAN}{KANA}]", w) and len(w) > 1)
    score += len(re.findall(f"[{HAN}](?:都|道|府|県|省|市|区|區|县|縣|町|村|郡|路|街|号|號|巷)",
                            han))
    if re.search(r"\d", t):
        score += 1
    return score


def is_address(text: str, *, labelled: bool = False) -> bool:
    return address_score(text) >= (1 if labelled else 3)


def _has_address_label(text: str) -> bool:
    return _strip_label(text) != text and bool(
        re.match(r"\s*(地址|住所|所在地|地點|地点|주소|add)", text, re.IGNORECASE))


def _without_latin(text: str) -> str:
    """'황선규 (Sunkyoo Hwang)', 'Nicole Lin 林珈羽': the name's Latin form printed beside it
    (the CJK form is the one kept)."""
    t = re.sub(r"\s*\([A-Za-z .\-]+\)\s*", " ", text)
    return re.sub(r"^(?:[A-Za-z][A-Za-z.\-]*\s+)+|(?:\s+[A-Za-z][A-Za-z.\-]*)+$", "", t.strip()) \
        if _CJK_CHAR.search(t) else t


def name_score(text: str, height: float, tallest: float) -> float:
    """How much a line looks like a CJK personal name: two to four Han or Hangul characters
    (Japanese names may have a space between family and given name), a known family name
    first, printed large.  0 when it cannot be one."""
    t = squeeze(_strip_label(text))
    t = _without_latin(t)
    plain = t.replace(" ", "")
    if t.count(" ") > 1 or not _NAME_CHARS.fullmatch(plain):
        return 0.0
    if is_title(plain) or is_department(plain) or is_company(plain) or is_organisation(plain):
        return 0.0
    if address_score(plain) >= 2:
        return 0.0
    # the conventions file's family names and Faker's (cjk_people.surnames)
    surnames = {*_words()["surname"], *cjk_people.surnames()}
    score = 1.0
    if plain[:2] in surnames or plain[:1] in surnames:
        score += 1.0
    if re.fullmatch(f"[{HANGUL}]+", plain) and len(plain) == 3:
        score += 0.5  # most Korean names are three syllables
    score += height / tallest if tallest else 0.0
    return score


def _clean(text: str) -> str:
    return squeeze(_strip_label(text)).strip(" :：;,.-|")


def split_title_name(text: str) -> tuple[str, str] | None:
    """'经理孙志宽', '대표 김민준': a title printed before the name on one line."""
    t = squeeze(text)
    for w in _words()["title"]:
        if t.startswith(w):
            rest = t[len(w):].strip(" /|:")
            if _NAME_CHARS.fullmatch(rest) and (rest[:1] in _words()["surname"]
                                               or rest[:2] in _words()["surname"]):
                return w, rest
    return None


def _kind(text: str) -> str | None:
    if is_address(text, labelled=_has_address_label(text)):
        return "address"
    if is_company(text):
        return "company"
    if is_title(text):
        return "title"
    if is_department(text):
        return "department"
    if is_organisation(text):
        return "organisation"
    return None


def split_name_rest(text: str) -> tuple[str, str, str] | None:
    """'宿宗丽兰西县恒隆钢材批发市场', '楊心瑜通訊與智慧聯網系統研究部', '经理孙志宽': a name
    glued to its company, department or title on one line -> (name, the rest, its kind)."""
    glued = split_title_name(text)
    if glued:
        return glued[1], glued[0], "title"
    t = squeeze(text)
    surnames = _words()["surname"]
    if not (t[:1] in surnames or t[:2] in surnames):
        return None
    for n in (3, 2):  # most names are three characters long
        name, rest = t[:n], t[n:].lstrip(" /|:")
        kind = _kind(rest) if len(rest) >= 3 else None
        if _NAME_CHARS.fullmatch(name) and kind in ("company", "title", "department",
                                                    "organisation"):
            return name, rest, kind
    return None


def read_cjk(lines: list[tuple[str, float]], rows: list[int] | None = None) -> CjkFields:
    """Name, title, department and company of a CJK card from its lines (text, character
    height), as printed; lines holding no CJK are left alone (``address.find_cjk_addresses`` takes the
    address first).  ``rows`` (the printed line of each) lets a name that OCR cut in two
    ('山中', '一世') be joined again."""
    out = CjkFields()
    tallest = max((h for t, h in lines if _CJK_CHAR.search(t)), default=0.0)
    japanese = script(" ".join(t for t, _ in lines)) == "kana"
    kinds: dict[int, str] = {}
    pieces: dict[int, str] = {}
    glued: dict[int, tuple[str, str, str]] = {}
    for k, (text, _) in enumerate(lines):
        if not _CJK_CHAR.search(text):
            continue
        pieces[k] = _clean(text)
        kind = _kind(text)
        split = split_name_rest(pieces[k]) if kind != "address" else None
        if split and (kind is None or split[0] != pieces[k][:len(split[0])] or
                      kind == split[2]):
            glued[k] = split
        if kind:
            kinds[k] = kind

    def score(text: str, height: float) -> float:
        s = name_score(text, height, tallest)
        # Japanese family names are too many to list: a Han-only line on a kana card
        # stands for a name as a known family name does
        if s and japanese and re.fullmatch(f"[{HAN}々 ]+", text):
            s += 0.6
        return s

    candidates: list[tuple[float, list[int], str]] = []
    for k, text in pieces.items():
        if k in glued:
            candidates.append((score(glued[k][0], lines[k][1]) - 0.1, [k], glued[k][0]))
        elif k not in kinds:
            candidates.append((score(text, lines[k][1]), [k], text))
            nxt = k + 1
            if rows and nxt in pieces and nxt not in kinds and rows[nxt] == rows[k] and \
                    len(text) + len(pieces[nxt]) <= 5:
                joined = f"{text} {pieces[nxt]}"
                candidates.append((score(joined, lines[k][1]) + 0.05, [k, nxt], joined))
    titles: list[str] = []
    best = max(candidates, key=lambda c: c[0], default=None)
    if best and best[0] >= 2.0:
        out.full_name = _without_latin(best[2])
        for k in best[1]:
            out.used[k] = "full_name"
            if k in glued:
                name, rest, kind = glued[k]
                pieces[k], kinds[k] = rest, kind

    companies = [k for k, v in kinds.items() if v == "company"] or \
        [k for k, v in kinds.items() if v == "organisation"] or \
        [k for k, v in kinds.items() if v == "department" and is_organisation(pieces[k])]
    if companies:
        out.company = pieces[companies[0]]
        out.used.setdefault(companies[0], "company")
    # the title first, then the departments, each in the order printed: the labels'
    # convention ('営業マネージャー, 本町店')
    depts: list[str] = []
    for k, v in kinds.items():
        if v == "title":
            rank, unit = _rank_and_unit(lines[k][0])
            titles.append(rank or pieces[k])
            depts += unit
    depts = [pieces[k] for k, v in kinds.items()
             if v in ("department", "organisation") and k not in companies[:1]] + depts
    for k, v in kinds.items():
        if v in ("title", "department", "organisation"):
            out.used.setdefault(k, "title")
    if titles or depts:
        out.title = ", ".join(titles + depts)
    if depts:
        out.department = ", ".join(depts)
    if not out.company:
        out.company = _shop_name(lines, pieces, kinds, out.used)
    return out


def _rank_and_unit(text: str) -> tuple[str | None, list[str]]:
    """'新宿店 担当', '인공지능팀 팀장': a line of a unit and a rank, as printed side by
    side; the rank, and the units to follow it (the title reads rank first, as the
    labels' convention).  (None, []) unless every word of the line is one or the other."""
    words = _clean_words(text)
    ranks = [w for w in words if is_title(w) and not is_department(w)]
    units = [w for w in words if is_department(w)]
    if len(words) < 2 or not ranks or not units or len(ranks) + len(units) != len(words):
        return None, []
    return " ".join(ranks), units


def _clean_words(text: str) -> list[str]:
    return [w for w in (_clean(w) for w in _strip_label(text).split()) if w]


def _shop_name(lines: list[tuple[str, float]], pieces: dict[int, str], kinds: dict[int, str],
               used: dict[int, str]) -> str | None:
    """A shop or small firm prints its name without a legal form ('恒隆钢材', '골드
    부동산'), larger than anything else but the person's name: the tallest CJK line left
    of three or more characters, without digits."""
    left = [k for k, t in pieces.items() if k not in kinds and k not in used
            and len(t.replace(" ", "")) >= 3 and not re.search(r"\d", t)
            and len(_CJK_CHAR.findall(t)) >= 0.6 * len(t.replace(" ", ""))]
    if not left:
        return None
    k = max(left, key=lambda i: lines[i][1])
    name_h = max((lines[i][1] for i, v in used.items() if v == "full_name"), default=0.0)
    if lines[k][1] < 0.8 * name_h:
        return None
    used[k] = "company"
    return pieces[k]
