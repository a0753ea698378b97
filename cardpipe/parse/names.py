"""Which line is the person's name, and its parts.

Every signal counts: the text's height and position, a bundled given-name list,
agreement with the email's local part (``j.smith@`` <-> John Smith), and what a name
is not (a line with job-title words, a legal suffix, the company's domain, an address).
``nameparser`` splits the winner into prefix / given / middle / family / suffix and
knows credentials (PhD, MBA, Dipl.-Ing.); "FAMILY Given" (family name in capitals
first, as on many Japanese, French and Hungarian cards) is put in given-family order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nameparser import HumanName
from nameparser.config import Constants
from rapidfuzz.distance import Hamming

from ..contact import fold
from . import cjk_people as cjk
from .lexicon import (
    FUNCTION_WORDS,
    department_words,
    given_names,
    is_country,
    legal_suffix,
    word_set,
)
from .lexicon import title_words as _title_words

PARTICLES = word_set(
    "von van der den de del della di da dos das du le la y e bin ben al el zu ter ten vom zum "
    "mac mc st. st"
)
_CONSTANTS = Constants()
_CONSTANTS.titles.add("dipl.-ing", "dipl.-ing.", "dipl.-kfm", "dipl.-kfm.", "dipl.-inform.",
                      "mag", "mag.", "ing", "ing.", "dott", "dott.", "dott.ssa", "avv", "avv.",
                      "me", "me.", "mr", "mrs", "ms", "mx", "sr.", "sra.", "herr", "frau")
_CONSTANTS.suffix_acronyms.add("mba", "phd", "ph.d.", "msc", "m.sc.", "bsc", "b.sc.", "cpa",
                               "cfa", "pmp", "ma", "m.a.", "ba", "b.a.", "md", "m.d.", "jd",
                               "llm", "ll.m.", "mba.", "dipl.-ing.", "cissp", "ceng", "frcs")
_TOKEN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿĀ-ž'’.\-]+$")


@dataclass
class NameParts:
    full: str
    given: str | None
    family: str | None
    middle: str | None
    prefix: str | None
    suffix: str | None


def _alpha_tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[\s,]+", text) if t]


def title_hits(text: str) -> int:
    """How many job-title words / phrases the text holds."""
    words, phrases = _title_words()
    folded = fold(text)
    toks = [t.strip(".,;:()") for t in re.split(r"[\s/&,|]+", folded)]
    parts = {p for t in toks for p in t.split("-")} | set(toks)
    hits = sum(1 for t in parts if t in words or _compound_title(t, words)
               or _feminine(t, words))
    hits += sum(1 for p in phrases if re.search(rf"\b{re.escape(p)}\b", folded))
    return hits + (cjk.title_hits(text) if cjk.has_cjk(text) else 0)


def fix_title_slips(text: str) -> str:
    """'Architettc', 'Geschaftsfihrer', 'Projektleitarin': a long word with one letter
    misread from a job-title word (or its German feminine form) is that word.  Only a
    letter for a letter (a letter more or less makes other words: 'Architects',
    'Consultoria'); short words, given names and words known otherwise stay as read."""
    words, _ = _title_words()

    def fix(m: re.Match[str]) -> str:
        token = m.group(0)
        low = fold(token)
        if low in words or _compound_title(low, words) or _feminine(low, words) or \
                low in given_names() or low in FUNCTION_WORDS or low in department_words() \
                or low[:-1] in words or low[:-2] in words:  # 'Architects', 'Ingenieure'
            return token
        for end in ("", "in", "innen"):
            stem = low[:len(low) - len(end)]
            if not low.endswith(end) or len(stem) < 8:
                continue
            near = [w for w in _long_words(words) if len(w) == len(stem)
                    and Hamming.distance(stem, w, score_cutoff=1) <= 1]
            if len(near) == 1:
                spelt = near[0] + end
                if token.isupper():
                    return spelt.upper()
                return spelt[:1].upper() + spelt[1:] if token[:1].isupper() else spelt
        return token

    return re.sub(r"\b[^\W\d_]{8,}\b", fix, text)


def _feminine(token: str, words: frozenset[str]) -> bool:
    """German feminine forms: 'Vorständin', 'Architektin', 'Leiterinnen'."""
    for end in ("innen", "in"):
        if token.endswith(end) and len(token) > len(end) + 3:
            stem = token[: -len(end)]
            if stem in words or _compound_title(stem, words):
                return True
    return False


def _compound_title(token: str, words: frozenset[str]) -> bool:
    """German / Dutch compounds end in the job word: 'softwareentwickler', 'accountmanager'."""
    if len(token) < 8:
        return False
    return any(len(w) >= 5 and token.endswith(w) for w in _long_words(words))


_LONG_CACHE: dict[int, tuple[str, ...]] = {}


def _long_words(words: frozenset[str]) -> tuple[str, ...]:
    key = id(words)
    if key not in _LONG_CACHE:
        _LONG_CACHE[key] = tuple(w for w in words if len(w) >= 5 and w.isalpha())
    return _LONG_CACHE[key]


def function_ratio(text: str) -> float:
    toks = [t.strip(".,;:()") for t in re.split(r"[\s/,]+", fold(text)) if t.strip(".,;:()")]
    if not toks:
        return 0.0
    return sum(t in FUNCTION_WORDS for t in toks) / len(toks)


def email_agreement(tokens: list[str], locals_: list[str]) -> float:
    """0..1: how well a name's tokens explain an email local part ('j.smith' -> 1)."""
    names = [fold(t).strip(".") for t in tokens if fold(t).strip(".") not in PARTICLES]
    names = [re.sub(r"[^a-z]", "", n) for n in names]
    names = [n for n in names if n]
    if len(names) < 1:
        return 0.0
    best = 0.0
    for local in locals_:
        flat = re.sub(r"[^a-z]", "", fold(local))
        if len(flat) < 2:
            continue
        parts = [p for p in re.split(r"[._\-+]", fold(local)) if p]
        score = 0.0
        full_hits = sum(1 for n in names if n in parts or len(n) >= 3 and n in flat)
        if full_hits >= 2:
            score = 1.0
        elif full_hits == 1:
            other = [n for n in names if not (n in parts or len(n) >= 3 and n in flat)]
            # the remaining letters are initials of the other names ('jsmith', 'smithj')
            rest = flat
            for n in names:
                if n in flat:
                    rest = rest.replace(n, "", 1)
            initials = {n[0] for n in other}
            score = 0.9 if rest and all(ch in initials for ch in rest) else 0.6
        best = max(best, score)
    return best


def family_first(tokens: list[str]) -> bool:
    """'MÜLLER Hans' / 'YAMADA Taro': the family name printed first, in capitals."""
    core = [t for t in tokens if t.strip(".").lower() not in PARTICLES]
    if len(core) < 2:
        return False
    first_caps = core[0].isupper() and len(core[0].strip(".")) >= 2
    rest_mixed = all(not t.isupper() and t[:1].isupper() for t in core[1:])
    return first_caps and rest_mixed


def name_shape(text: str) -> float:
    """How much the text looks like a personal name by form alone (-inf..2)."""
    if re.search(r"\d|@|&|\+|/|www|http", text, re.IGNORECASE):
        return -10.0
    human = HumanName(text, constants=_CONSTANTS)
    core = " ".join(p for p in (human.first, human.middle, human.last) if p)
    tokens = _alpha_tokens(core) or _alpha_tokens(text)
    if not 2 <= len(tokens) <= 5:
        return -3.0 if len(tokens) == 1 else -5.0
    score = 1.0
    for tok in tokens:
        if not _TOKEN.match(tok):
            score -= 2
        elif tok.lower() in PARTICLES:
            continue
        elif tok.islower():
            score -= 2
        elif not tok[:1].isupper():
            score -= 1
    if len(tokens) > 4:
        score -= 1
    return score


def name_score(text: str, *, rel_height: float, is_largest: bool, order: int,
               email_locals: list[str], company_like: float) -> tuple[float, dict[str, float]]:
    """A score for 'this line is the person's name' and the signals behind it."""
    signals: dict[str, float] = {}
    cjk_shape = cjk.name_score(text)
    if cjk_shape is not None:
        return _cjk_name_score(cjk_shape, rel_height, is_largest, order, company_like)
    shape = name_shape(text)
    signals["shape"] = shape
    if shape <= -5:
        return shape, signals
    folded = [fold(t).strip(".") for t in _alpha_tokens(text)]
    gn = given_names()
    if family_first(_alpha_tokens(text)):
        signals["given"] = 1.5 if any(t in gn for t in folded[1:]) else 0.0
    else:
        core = [t for t in folded if t not in PARTICLES]
        human = HumanName(text, constants=_CONSTANTS)
        first = fold(human.first).strip(".") if human.first else (core[0] if core else "")
        signals["given"] = 2.0 if first in gn else (0.7 if any(t in gn for t in core) else 0.0)
    signals["email"] = 3.0 * email_agreement(_alpha_tokens(text), email_locals)
    signals["title"] = -4.0 * min(title_hits(text), 2)
    signals["legal"] = -6.0 if legal_suffix(text) else 0.0
    signals["company"] = -3.0 * company_like
    signals["function"] = -2.0 * function_ratio(text)
    signals["department"] = -3.0 if set(folded) & department_words() else 0.0
    signals["country"] = -6.0 if is_country(text) else 0.0
    signals["height"] = (1.5 if rel_height >= 0.95 else 0.8 if rel_height >= 0.8 else -0.5)
    signals["height"] += 0.5 if is_largest else 0.0
    signals["position"] = 0.5 if order == 0 else 0.2 if order == 1 else 0.0
    return sum(signals.values()), signals


def _cjk_name_score(shape: float, rel_height: float, is_largest: bool, order: int,
                    company_like: float) -> tuple[float, dict[str, float]]:
    """A CJK name line: its shape (cjk.name_score), then size and place as for any name."""
    signals = {"shape": shape}
    if shape <= -5:
        return shape, signals
    signals["height"] = (1.5 if rel_height >= 0.95 else 0.8 if rel_height >= 0.8 else -0.5)
    signals["height"] += 0.5 if is_largest else 0.0
    signals["position"] = 0.5 if order == 0 else 0.2 if order == 1 else 0.0
    signals["company"] = -3.0 * company_like
    return sum(signals.values()), signals


def _smart_case(text: str) -> str:
    """'JOHN SMITH' -> 'John Smith'; mixed case is kept as printed."""
    if not text.isupper():
        return text
    out = []
    for tok in text.split():
        cap = "-".join(p[:1].upper() + p[1:].lower() for p in tok.split("-"))
        low = tok.lower().strip(".,")
        if low in PARTICLES:
            cap = tok.lower()
        if low in _CONSTANTS.suffix_acronyms or low.replace(".", "") in {"phd", "mba", "md"}:
            cap = {"phd": "PhD", "ph.d.": "Ph.D."}.get(low, tok)
        out.append(cap)
    return " ".join(out)


_COMPOUND_GIVEN_REGIONS = frozenset({"ES", "MX", "AR", "CO", "CL", "PE", "VE", "PT", "BR"})
_KEEP_CAPS = frozenset({"ii", "iii", "iv", "phd", "mba", "md", "cpa", "cfa", "llm", "msc", "bsc",
                        "esq", "jr", "sr", "mbe", "obe", "cbe", "dds", "rn"})


def _caps_family(text: str) -> str:
    """'Taro YAMADA' -> 'Taro Yamada': a family name in capitals inside a mixed-case name."""
    tokens = text.split()
    if not any(t[:1].isupper() and not t.isupper() for t in tokens):
        return text
    out = []
    for tok in tokens:
        bare = tok.strip(".,").lower()
        if tok.isupper() and len(bare) >= 2 and bare not in _KEEP_CAPS and "." not in tok[:-1]:
            tok = _smart_case(tok)
        out.append(tok)
    return " ".join(out)


def split_name(text: str, region: str | None = None) -> NameParts:
    """Prefix / given / middle / family / suffix of a name line, in given-family order.
    ``region``: where the card is from; Spanish and Portuguese names have compound given
    names ('María José') and two family names ('García López')."""
    text = " ".join(text.split()).strip(" ,;|")
    tokens = text.split()
    if family_first([t.strip(",") for t in tokens]):
        core = list(tokens)
        # 'YAMADA Taro' -> 'Taro Yamada'; particles stay with the family name
        k = 0
        while k < len(core) and (core[k].isupper() or core[k].lower() in PARTICLES):
            k += 1
        family_tokens, given_tokens = core[:k], core[k:]
        family = _smart_case(" ".join(family_tokens))
        given = " ".join(given_tokens)
        human = HumanName(f"{given} {family}", constants=_CONSTANTS)
        full = f"{given} {family}"
        return NameParts(full, human.first or None, family or None, human.middle or None,
                         human.title or None, human.suffix or None)
    cased = _caps_family(_smart_case(text))
    human = HumanName(cased, constants=_CONSTANTS)
    first, title = human.first, human.title
    if not first and title and human.last and "." not in title and \
            fold(title) in given_names():
        first, title = title, ""  # 'Pastor Alcázar': a given name that is also a title
    middle, last = human.middle, human.last
    if middle and last and "." not in middle:
        # Middle names are given names or initials; other words are a second family name
        # ('Margrit Grein Groth', 'María José García López').
        mids = middle.split()
        k = 0
        while k < len(mids) and fold(mids[k]) in given_names():
            k += 1
        given_mids, family_mids = mids[:k], mids[k:]
        if family_mids and all(len(m) > 2 for m in family_mids):
            last = " ".join([*family_mids, last])
        else:
            given_mids = mids
        middle = " ".join(given_mids)
        if middle and region in _COMPOUND_GIVEN_REGIONS:
            first, middle = f"{first} {middle}", ""
    return NameParts(cased, first or None, last or None, middle or None,
                     title or None, human.suffix or None)


_UMLAUTS = {"a": ("ä", "ae"), "o": ("ö", "oe"), "u": ("ü", "ue")}


def restore_umlauts(text: str, references: list[str]) -> str:
    """'Lochel' + 'mechtild.loechel@' -> 'Löchel': OCR dropped the dots of an umlaut that
    the email or domain spells out the German way (ö = oe)."""
    refs = [re.sub(r"[^a-z]", "", r.lower()) for r in references]
    refs = [r for r in refs if r]
    if not refs:
        return text

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        if any(low in r for r in refs):
            return word
        for i, ch in enumerate(low):
            if ch in _UMLAUTS:
                spelled = low[:i] + _UMLAUTS[ch][1] + low[i + 1:]
                if any(spelled in r for r in refs):
                    umlaut = _UMLAUTS[ch][0]
                    return word[:i] + (umlaut.upper() if word[i].isupper() else umlaut) + \
                        word[i + 1:]
        return _misread_umlaut(word, refs) or word

    return re.sub(r"\b[A-Za-z]{3,}\b", fix, text)


_DIGRAPH = re.compile(r"ae|oe|ue")


def _misread_umlaut(word: str, refs: list[str]) -> str | None:
    """'Mohle', 'Miuhle', 'Ktihnert', 'Sdlzer' + 'muehle' / 'kuehnert' / 'soelzer' in the
    email or domain: OCR read the umlaut as one or two other characters; the word agrees
    with the reference everywhere else, so the umlaut is put back ('Mühle', 'Kühnert')."""
    low = word.lower()
    for ref in refs:
        for m in _DIGRAPH.finditer(ref):
            head = ref[:m.start()]
            for k in range(1, len(head) + 1):  # the word starts k letters before the umlaut
                prefix = head[-k:]
                if not low.startswith(prefix):
                    continue
                rest = low[len(prefix):]
                for cut in (1, 2):  # OCR's reading of the umlaut: one or two characters
                    suffix = rest[cut:]
                    if len(suffix) >= 2 and len(prefix) + len(suffix) >= 4 and \
                            ref[m.end():].startswith(suffix) and \
                            rest[:cut] != m.group(0)[0]:
                        umlaut = _UMLAUTS[m.group(0)[0]][0]
                        if word[len(prefix)].isupper() and word[len(prefix) + cut:].isupper():
                            umlaut = umlaut.upper()
                        return word[:len(prefix)] + umlaut + word[len(prefix) + cut:]
    return None


def name_from_email(local: str) -> str | None:
    """'anna.schmidt' -> 'Anna Schmidt' when the first part is a known given name."""
    parts = [p for p in re.split(r"[._\-]", local) if p]
    if len(parts) != 2 or not all(p.isalpha() and len(p) >= 2 for p in parts):
        return None
    if fold(parts[0]) not in given_names():
        return None
    return " ".join(p.capitalize() for p in parts)
