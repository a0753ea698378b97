"""Names, titles, departments and companies as Chinese, Japanese and Korean cards print
them.

A CJK name is two to four characters, family name first (Faker's zh / ko / ja family
names in data/parse_cjk_surnames.txt), often letter-spaced ('정 용 한'); a company has its
legal form before or after the name (株式会社ニトリ, 凌華科技股份有限公司, (주)코난) or
ends like an organisation (…研究院, …대학교); a title holds a rank word (経理, 課長, 팀장) and
its department ends like a unit (…部, …店, …팀).  The words are in data/parse_cjk_words.tsv.
Text is compared as printed (NFC), never case-folded: NFKD would take Hangul apart.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from ..data import read_lines, read_rows

# the scripts' ranges (cjk.py reads them from here): Han; kana with the phonetic extensions
# and half-width katakana; Hangul syllables, jamo and compatibility jamo
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HANGUL = "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"
KANA = "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"
CJK_CHARS = HAN + HANGUL + KANA
_CJK = re.compile(f"[{CJK_CHARS}]")
_SPACE_BETWEEN = re.compile(f"(?<=[{CJK_CHARS}])\\s+(?=[{CJK_CHARS}])")
# Korean names: 2-4 Hangul; Chinese 2-4 Han; Japanese up to 5, the given name may be
# written in hiragana ('伊藤くみ子')
_NAME = re.compile(f"[{HAN}]{{2,4}}|[{HANGUL}]{{2,4}}|[{HAN}]{{1,3}}[{HAN}\u3041-\u309f]{{1,3}}")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def is_cjk(text: str) -> bool:
    """Most of the letters are Han, kana or Hangul."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(bool(_CJK.match(ch)) for ch in letters) * 2 > len(letters)


def compact(text: str) -> str:
    """NFC, and no spaces between CJK characters (letter-spacing, not word breaks)."""
    return _SPACE_BETWEEN.sub("", unicodedata.normalize("NFC", text)).strip()


@functools.cache
def surnames() -> frozenset[str]:
    return frozenset(read_lines("parse_cjk_surnames.txt"))


@functools.cache
def _words() -> dict[str, tuple[str, ...]]:
    """kind -> its words, the longest first."""
    table: dict[str, list[str]] = {}
    for word, kinds in read_rows("parse_cjk_words.tsv"):
        for kind in kinds.split():
            table.setdefault(kind, []).append(unicodedata.normalize("NFC", word))
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in table.items()}


def words(kind: str) -> tuple[str, ...]:
    return _words().get(kind, ())


def legal_form(text: str) -> str | None:
    """The CJK legal form a line starts or ends with ('株式会社', '(주)', '有限公司')."""
    flat = compact(text).strip(" ,.|·")
    for form in words("legal"):
        if (flat.startswith(form) or flat.endswith(form)) and len(flat) > len(form):
            return form
    return None


def org_ending(text: str) -> str | None:
    """'中華電信研究院', '울산과학기술원' -> how the organisation's name ends."""
    flat = compact(text).strip(" ,.|·)")
    for word in words("org"):
        if flat.endswith(word) and len(flat) > len(word):
            return word
    return None


def title_hits(text: str) -> int:
    """How many CJK rank words the text holds (a longer word hides the words inside it)."""
    flat = compact(text)
    hits = 0
    for word in words("title"):
        if word in flat:
            hits += 1
            flat = flat.replace(word, " ")
    return hits


def department_ending(text: str) -> bool:
    """'住宅企画部', '本町店', '인공지능팀': the name of a unit (not a rank: '部長')."""
    flat = compact(text).strip(" ,.|·/")
    if len(flat) < 2 or not is_cjk(flat) or re.search(r"\d", flat):  # '4階BC号室': a floor
        return False
    if any(flat.endswith(w) for w in words("title")):
        return False
    return any(flat.endswith(w) and len(flat) > len(w) for w in words("dept"))


def name_score(text: str) -> float | None:
    """A score for 'this CJK line is a person's name' (None: not a CJK line).  Two to four
    Han or Hangul characters (spaces between them allowed); a known family name first
    raises it; a legal form, an organisation's ending, a rank or a unit's ending rule it
    out."""
    flat = compact(text)
    if not has_cjk(flat):
        return None
    if not _NAME.fullmatch(flat) or len(flat) > 5:
        return -5.0
    if legal_form(flat) or org_ending(flat) or title_hits(flat) or department_ending(flat):
        return -5.0
    score = 1.0
    if flat[:1] in surnames() or flat[:2] in surnames():
        score += 1.5
    if re.fullmatch(f"[{CJK_CHARS}](?:\\s+[{CJK_CHARS}])+", text.strip()):
        score += 0.5  # '정 용 한': names are letter-spaced, other lines seldom
    return score


def split_name_head(tokens: list[str]) -> int | None:
    """'江銘修 中華電信研究院', '吳允賢 Antony Wu': the number of leading tokens that are a CJK
    name printed on one line with something else (None when they are not)."""
    if len(tokens) < 2:
        return None
    head = tokens[0]
    if (name_score(head) or 0.0) >= 2.5:
        return 1
    return None


def split_name_tail(tokens: list[str]) -> int | None:
    """'Nicole Lin 林珈羽': where a CJK name after a Latin one starts."""
    if len(tokens) < 2 or has_cjk(" ".join(tokens[:-1])):
        return None
    return len(tokens) - 1 if (name_score(tokens[-1]) or 0.0) >= 2.5 else None
