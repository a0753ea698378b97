"""Per-field comparisons: which level of the model a pair of contacts reaches.

Each function looks at two ``Features`` and returns an ``Outcome``: the level name
(``None`` when a side lacks the field), a short human detail for the reason, and
optionally a term-frequency key whose count in the index sets the level's ``u``.
The weights live in the model; nothing here knows them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler

from .normalize import (
    AddressF,
    EmailF,
    Features,
    PhoneF,
    digits_as_letters,
    is_mobile_number,
    name_key,
    national_parts,
    nickname_related,
    ocr_fold,
    share_canonical,
)

#: (kind, key) -> number of records in the index with that key
TermFrequency = Callable[[str, str], int]


@dataclass(frozen=True, slots=True)
class Outcome:
    level: str | None  # None: missing on one side, no evidence either way
    detail: str = ""
    tf_key: tuple[str, str] | None = None


MISSING = Outcome(None)


def allowed_edits(length: int, letters_per_edit: int, max_edits: int = 3) -> int:
    """OCR-like tolerance: one edit per ``letters_per_edit`` letters, at least one."""
    return max(1, min(max_edits, length // letters_per_edit))


#: Jaro-Winkler similarity from which two names of at least _TYPO_MIN letters are one
#: name typed twice (two slips in 'stubbs' ~ 'stubbhw': the first letters right)
_TYPO_SIMILARITY = 0.9
_TYPO_MIN = 5


def _close(a: str, b: str, per: int, cap: int) -> bool:
    """Within OCR-like distance: one edit per ``per`` letters once the glyphs OCR
    confuses (rn/m, l/1/i, o/0) are folded; or typing distance (Jaro-Winkler, which
    forgives slips late in a word more than early ones)."""
    if not a or not b:
        return False
    limit = allowed_edits(max(len(a), len(b)), per, cap)
    if OSA.distance(a, b, score_cutoff=limit) <= limit:
        return True
    if OSA.distance(ocr_fold(a), ocr_fold(b), score_cutoff=limit) <= limit:
        return True
    return min(len(a), len(b)) >= _TYPO_MIN and JaroWinkler.similarity(
        a, b, score_cutoff=_TYPO_SIMILARITY) >= _TYPO_SIMILARITY


# -- name ---------------------------------------------------------------------------


def _family_relation(a: Features, b: Features, per: int, cap: int) -> str | None:
    if a.family_shown.casefold() == b.family_shown.casefold():
        return "exact"
    if a.family_key == b.family_key:
        return "norm"
    ta = {name_key(t) for t in a.family.replace("-", " ").split()} - {""}
    tb = {name_key(t) for t in b.family.replace("-", " ").split()} - {""}
    if ta and tb and (ta <= tb or tb <= ta):
        return "norm"  # compound family names: 'Barroso' ~ 'Barroso Jara', 'Wieloch-Bolnbach'
    if _close(a.family_key, b.family_key, per, cap):
        return "fuzzy"
    return None


def _given_relation(a: Features, b: Features, per: int, cap: int) -> str:
    if not a.given and not b.given:
        return "none"
    if not a.given or not b.given:
        return "missing"
    if a.given_shown.casefold() == b.given_shown.casefold():
        return "exact"
    if a.given == b.given or name_key(a.given) == name_key(b.given):
        return "norm"
    if (len(a.given) == 1 or len(b.given) == 1) and a.given[0] == b.given[0]:
        return "initial"
    if nickname_related(a.given, b.given):
        return "nick"
    if share_canonical(a.given, b.given) or _close(a.given, b.given, per, cap):
        return "fuzzy"
    return "diff"


def _given_only(a: Features, b: Features, per: int, cap: int) -> Outcome:
    """One side has no family name (a record typed half, a card read half): only the
    given names can agree, weak evidence that never merges without more."""
    ga, gb = a.given or a.family, b.given or b.family
    if not ga or not gb:
        return MISSING
    if name_key(ga) == name_key(gb) or _close(name_key(ga), name_key(gb), per, cap):
        return Outcome("partial", f"{a.full_shown} ~ {b.full_shown}")
    return MISSING


def _swapped(a: Features, b: Features, per: int, cap: int) -> str | None:
    """Given and family read the other way round ('SMITH John' vs 'John Smith'): 'exact'
    when both agree so, 'fuzzy' when within OCR-like distance."""
    if not (a.given and b.given):
        return None
    ag, bg = name_key(a.given), name_key(b.given)
    if ag == b.family_key and a.family_key == bg:
        return "exact"
    if _close(ag, b.family_key, per, cap) and _close(a.family_key, bg, per, cap):
        return "fuzzy"
    return None


def _swapped_fields(a: Features, b: Features) -> bool:
    """The parser swapped ``a``'s name and company: its company field holds ``b``'s name
    and its name field ``b``'s company (both, so that a firm named after its founder
    is not taken for the founder)."""
    g, f = a.company_as_name
    return (bool(f) and bool(b.family_key) and f == b.family_key and g == name_key(b.given)
            and bool(b.company) and a.name_as_company == b.company)


def compare_name(a: Features, b: Features, params: dict[str, Any]) -> Outcome:
    per, cap = int(params.get("letters_per_edit", 5)), int(params.get("max_edits", 3))
    if _swapped_fields(a, b) or _swapped_fields(b, a):
        return Outcome("normalised", f"{a.full_shown} ~ {b.full_shown} "
                       "(name and company swapped)", ("name", b.name_tf_key or a.name_tf_key))
    if not a.family or not b.family:
        return _given_only(a, b, per, cap)
    shown = f"{a.full_shown} ~ {b.full_shown}"
    tf = ("name", b.name_tf_key)
    fam = _family_relation(a, b, per, cap)
    if fam is None:
        swap = _swapped(a, b, per, cap)
        if swap == "exact":
            return Outcome("normalised", shown + " (order)", tf)
        if swap == "fuzzy":
            return Outcome("fuzzy", shown + " (order)")
        if _given_relation(a, b, per, cap) in ("exact", "norm", "nick", "fuzzy"):
            return Outcome("given_only", f"{a.full_shown} vs {b.full_shown}")
        return Outcome("different", f"{a.full_shown} vs {b.full_shown}")
    giv = _given_relation(a, b, per, cap)
    if giv == "diff":
        return Outcome("family_only", f"{a.full_shown} vs {b.full_shown}")
    if a.middle and b.middle and a.middle[0] != b.middle[0] and giv in ("exact", "norm"):
        return Outcome("middle_differs", f"{a.full_shown} vs {b.full_shown}")
    if fam == "exact" and giv == "exact":
        return Outcome("exact", b.full_shown, tf)
    if fam in ("exact", "norm") and giv in ("exact", "norm"):
        return Outcome("normalised", shown, tf)
    if fam in ("exact", "norm") and giv == "nick":
        return Outcome("nickname", f"{a.given_shown} ~ {b.given_shown}", tf)
    if giv in ("missing", "initial", "none"):
        return Outcome("initial", shown)
    return Outcome("fuzzy", shown)


# -- email --------------------------------------------------------------------------

_EMAIL_RANK = {"exact": 0, "shared": 1, "fuzzy": 2, "same_local": 3, "same_domain": 4}


_LETTER_RUN = re.compile(r"[a-z]+")


def _template(local: str, f: Features) -> str:
    """The local part with the person's own names replaced: 'jon.smith' -> '{g}.{f}',
    'a.weber' -> '{gi}.{f}', 'rebeccah' -> '{g}{fi}' (initials as whole letter runs)."""
    t = local
    fam = "".join(ch for ch in f.family if ch.isalpha())
    if len(fam) >= 2:
        t = t.replace(fam, "\x01")
    if len(f.given) >= 2:
        t = t.replace(f.given, "\x02")
    # (a lone letter that is both initials, Sean Sanchez's 's.', is read as the given one)
    initials = {fam[:1]: "\x04", f.given[:1]: "\x03"}
    initials.pop("", None)
    return _LETTER_RUN.sub(lambda m: initials.get(m.group(), m.group()), t)


_DIGITS = re.compile(r"[0-9]+")


def _numbers_differ(a: str, b: str) -> bool:
    """True when two addresses carry different numbers (jane.doe2@ vs jane.doe@,
    tess30@ vs tess45@): another account, not a misread."""
    return _DIGITS.findall(digits_as_letters(a)) != _DIGITS.findall(digits_as_letters(b))


def _misread(a: str, b: str, max_edits: int) -> bool:
    """Two addresses one misreading apart: equal once OCR confusions are folded, up to
    ``max_edits`` other edits, and no number changed."""
    if _numbers_differ(a, b):
        return False
    fa, fb = ocr_fold(a), ocr_fold(b)
    return OSA.distance(fa, fb, score_cutoff=max_edits) <= max_edits


def _names_explain(ea: EmailF, eb: EmailF, a: Features, b: Features) -> bool:
    """True when two addresses differ exactly as the two people's names differ: a
    consistent difference is another person's address, not a misread."""
    same_names = a.given == b.given and a.family == b.family
    return not same_names and _template(ea.local, a) == _template(eb.local, b)


def compare_email(
    a: Features, b: Features, params: dict[str, Any], tf: TermFrequency
) -> Outcome:
    if not a.emails or not b.emails:
        return MISSING
    max_edits = int(params.get("max_edits", 1))
    min_local = int(params.get("min_local_letters", 3))
    shared_from = int(params.get("shared_from", 2))
    best: tuple[int, Outcome] | None = None
    for ea in a.emails:
        for eb in b.emails:
            if ea.key == eb.key:
                n = tf("email", ea.key)
                if ea.role or n >= shared_from:
                    why = "role address" if ea.role else f"on {n} contacts"
                    out = Outcome("shared", f"{ea.key}, {why}", ("email", ea.key))
                else:
                    out = Outcome("exact", ea.key)
            elif _misread(ea.key, eb.key, max_edits) and not _names_explain(ea, eb, a, b):
                out = Outcome("fuzzy", f"{ea.key} ~ {eb.key}")
            elif ea.local == eb.local and len(ea.local) >= min_local and not ea.role:
                out = Outcome("same_local", f"{ea.key} ~ {eb.key}")
            elif ea.domain == eb.domain and not ea.free and not (ea.role or eb.role):
                out = Outcome("same_domain", f"{ea.key} vs {eb.key}")
            else:
                continue
            rank = _EMAIL_RANK[out.level or ""]
            if best is None or rank < best[0]:
                best = (rank, out)
    if best is not None:
        return best[1]
    return Outcome("different", f"{a.emails[0].key} vs {b.emails[0].key}")


# -- phones -------------------------------------------------------------------------
# Mobiles and landlines are compared apart: a mobile belongs to one person (strong
# evidence either way), a landline is often shared by an office or a household.


def is_mobile(p: PhoneF) -> bool:
    if p.type == "cell":
        return True
    return p.type in ("other", "work") and p.e164 and is_mobile_number(p.key)


def _same_number(pa: PhoneF, pb: PhoneF) -> str | None:
    """The E.164 key when both are one number: equal, or one written nationally
    ('030 1234567') and the other internationally ('+4930 1234567')."""
    if pa.key == pb.key:
        return pa.key
    if pa.e164 == pb.e164:
        return None
    intl, national = (pa, pb) if pa.e164 else (pb, pa)
    parts = national_parts(intl.key)
    if parts is None:
        return None
    cc, nsn = parts
    digits = national.key
    if digits.lstrip("0") == nsn or digits in (cc + nsn, "00" + cc + nsn):
        return intl.key
    if cc == "1" and digits == "1" + nsn:
        return intl.key
    return None


def _shared_or(level: str, key: str, shown: str, tf: TermFrequency, shared_from: int) -> Outcome:
    n = tf("phone", key)
    if n >= shared_from:
        return Outcome("shared", f"{key}, on {n} contacts", ("phone", key))
    return Outcome(level, shown, ("phone", key))


def compare_mobile(
    a: Features, b: Features, params: dict[str, Any], tf: TermFrequency
) -> Outcome:
    mob_a = [p for p in a.phones if is_mobile(p)]
    mob_b = [p for p in b.phones if is_mobile(p)]
    if not mob_a and not mob_b:
        return MISSING
    shared_from = int(params.get("shared_from", 2))
    for pa in a.phones:
        for pb in b.phones:
            if not (is_mobile(pa) or is_mobile(pb)):
                continue
            key = _same_number(pa, pb)
            if key:
                return _shared_or("exact", key, key, tf, shared_from)
    if mob_a and mob_b:
        return Outcome("different", f"{mob_a[0].key} vs {mob_b[0].key}")
    return MISSING


_PHONE_RANK = {"exact": 0, "shared": 1, "suffix": 2}


def compare_phone(
    a: Features, b: Features, params: dict[str, Any], tf: TermFrequency
) -> Outcome:
    """Landlines (work, home, fax, switchboards): everything that is not a mobile."""
    land_a = [p for p in a.phones if not is_mobile(p)]
    land_b = [p for p in b.phones if not is_mobile(p)]
    if not land_a or not land_b:
        return MISSING
    shared_from = int(params.get("shared_from", 2))
    best: tuple[int, Outcome] | None = None
    for pa in land_a:
        for pb in land_b:
            key = _same_number(pa, pb)
            if key:
                out = _shared_or("exact", key, f"{key}, {pb.type}", tf, shared_from)
            elif pa.tail and pa.tail == pb.tail and not (pa.e164 and pb.e164):
                out = Outcome("suffix", f"{pa.shown} ~ {pb.shown}")
            else:
                continue
            rank = _PHONE_RANK[out.level or ""]
            if best is None or rank < best[0]:
                best = (rank, out)
    if best is not None:
        return best[1]
    return Outcome("different", f"{land_a[0].key} vs {land_b[0].key}")


# -- company, address, social -------------------------------------------------------


def compare_company(a: Features, b: Features, params: dict[str, Any]) -> Outcome:
    if a.company and a.company == b.company:
        return Outcome("exact", b.company_shown, ("company", a.company))
    if _swapped_fields(a, b) or _swapped_fields(b, a):
        key = b.company or a.company
        return Outcome("exact", f"{key} (name and company swapped)", ("company", key))
    common = a.domains & b.domains
    if common:
        domain = min(common)
        return Outcome("domain", domain, ("domain", domain))
    if a.company and b.company:
        if fuzz.token_set_ratio(a.company, b.company) >= float(params.get("fuzzy_min", 90)):
            return Outcome("fuzzy", f"{a.company_shown} ~ {b.company_shown}")
        return Outcome("different", f"{a.company_shown} vs {b.company_shown}")
    if a.domains and b.domains:
        return Outcome("different", f"{min(a.domains)} vs {min(b.domains)}")
    return MISSING


def _parts_agree(pa: AddressF, pb: AddressF, cutoff: float) -> tuple[bool, int]:
    """(the street agrees, how many of number, postcode, locality agree).  The street is
    either line against either (the street and the extended line swap places), spaces
    ignored ('lubum a place' ~ 'lubumaplace'); a part missing on a side does not count."""
    street = any(x == y or fuzz.ratio(x, y, score_cutoff=cutoff)
                 for x in pa.streets for y in pb.streets)
    others = sum((
        bool(pa.number) and pa.number == pb.number,
        bool(pa.postcode) and pa.postcode == pb.postcode,
        bool(pa.locality) and (pa.locality == pb.locality
                               or bool(fuzz.ratio(pa.locality, pb.locality,
                                                  score_cutoff=cutoff))),
    ))
    return street, others


def compare_address(a: Features, b: Features, params: dict[str, Any]) -> Outcome:
    if not a.addresses or not b.addresses:
        return MISSING
    cutoff = float(params.get("fuzzy_min", 90))
    part_cutoff = float(params.get("part_fuzzy_min", 80))
    for la, _ in a.addresses:
        for lb, _ in b.addresses:
            if la == lb or fuzz.ratio(la, lb, score_cutoff=cutoff):
                return Outcome("same", lb, ("address", lb))
    close: Outcome | None = None
    for pa in a.address_parts:
        for pb, (lb, _) in zip(b.address_parts, b.addresses, strict=True):
            street, others = _parts_agree(pa, pb, part_cutoff)
            if street and others >= 2:
                return Outcome("same", f"{lb} (in parts)", ("address", lb))
            if close is None and ((street and others == 1) or others == 3):
                close = Outcome("close", f"{lb} (most parts)")
    if close is not None:
        return close
    for _, ca in a.addresses:
        for _, cb in b.addresses:
            if ca and ca == cb:
                return Outcome("same_city", ca)
    return Outcome("different", f"{a.addresses[0][0]} vs {b.addresses[0][0]}")


def compare_social(a: Features, b: Features, params: dict[str, Any]) -> Outcome:
    result = MISSING
    for sa, ha in a.social:
        for sb, hb in b.social:
            if sa != sb:
                continue
            if ha == hb:
                return Outcome("exact", f"{sa}:{ha}")
            result = Outcome("different", f"{sa}:{ha} vs {sb}:{hb}")
    return result


def _transposed(a: str, b: str) -> bool:
    """Day and month read the other way round, or two neighbouring digits swapped."""
    if a[:4] == b[:4] and a[4:6] == b[6:8] and a[6:8] == b[4:6]:
        return True
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and (
        a[diff[1]] == b[diff[0]])


def compare_birthday(a: Features, b: Features, params: dict[str, Any]) -> Outcome:
    x, y = a.birthday, b.birthday
    if not x or not y:
        return MISSING
    shown = f"{x} ~ {y}"
    if x == y:
        return Outcome("exact", x, ("birthday", x))
    if x.startswith("----") or y.startswith("----"):
        # one without its year: only day and month can agree
        if x[4:] == y[4:]:
            return Outcome("partial", shown)
        return Outcome("different", f"{x} vs {y}")
    if _transposed(x, y):
        return Outcome("transposed", shown)
    if sum(p != q for p, q in zip(x, y, strict=True)) == 1:
        return Outcome("one_digit", shown)
    return Outcome("different", f"{x} vs {y}")


_COMPARATORS: dict[str, Callable[[Features, Features, dict[str, Any], TermFrequency], Outcome]] = {
    "name": lambda a, b, p, tf: compare_name(a, b, p),
    "email": compare_email,
    "mobile": compare_mobile,
    "phone": compare_phone,
    "company": lambda a, b, p, tf: compare_company(a, b, p),
    "address": lambda a, b, p, tf: compare_address(a, b, p),
    "social": lambda a, b, p, tf: compare_social(a, b, p),
    "birthday": lambda a, b, p, tf: compare_birthday(a, b, p),
}

FIELDS = tuple(_COMPARATORS)


def compare_all(
    a: Features, b: Features, params: dict[str, dict[str, Any]], tf: TermFrequency
) -> dict[str, Outcome]:
    """Every field's outcome for the fields the model has, in the model's order."""
    return {f: _COMPARATORS[f](a, b, p, tf) for f, p in params.items() if f in _COMPARATORS}
