"""Job title, company and department among the lines no other field took.

Company: a legal suffix (GmbH, Inc., S.r.l. ...), agreement with the email/website
domain, or the largest remaining text; when only the domain is known, a company name
made from it with a low confidence.  Title: multilingual job words, next to the name,
joined over two lines.  Department: an explicit department word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ..contact import fold
from . import cjk_people as cjk
from .lexicon import SECOND_LEVEL_LABELS, WEBMAIL_DOMAINS, department_words, legal_suffix
from .names import function_ratio, title_hits
from .segments import Segment, stacked

_UNIT_NOUNS = frozenset({"service", "services", "department", "dept", "abteilung", "bereich",
                         "division", "ufficio", "servizio", "departamento", "departement",
                         "dipartimento", "afdeling", "direction", "direzione", "direccion",
                         "team", "unit"})


@dataclass
class Candidate:
    """A line (segment) left for name / title / company / department / note."""

    seg: Segment
    text: str
    order: int
    rel_height: float = 1.0
    company_like: float = 0.0
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def line(self) -> int:
        return self.seg.line


def registrable_label(domain: str) -> str | None:
    """'mail.acme-solutions.co.uk' -> 'acme-solutions'; webmail domains -> None."""
    labels = domain.lower().strip(".").split(".")
    if len(labels) < 2:
        return None
    label = labels[-2]
    if label in SECOND_LEVEL_LABELS and len(labels) >= 3:
        label = labels[-3]
    if label in WEBMAIL_DOMAINS or label == "www":
        return None
    return label


def letters_digits(text: str) -> str:
    """Only the letters and digits, folded: 'Friedman & Brewer' -> 'friedmanbrewer'."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


def domain_agreement(text: str, labels: list[str]) -> float:
    """0..1: the text names the organisation of a domain ('ACME Solutions GmbH' ~
    acme-solutions)."""
    suffix = legal_suffix(text)
    core = text.replace(suffix, " ") if suffix else text
    flat = letters_digits(core)
    if len(flat) < 2:
        return 0.0
    words = [w for w in re.split(r"[\s&+,.\-]+", fold(core)) if w]
    initials = "".join(w[0] for w in words if w[0].isalnum())
    best = 0.0
    for label in labels:
        lab = re.sub(r"[^a-z0-9]", "", label)
        if len(lab) < 2:
            continue
        if lab == flat:
            best = max(best, 1.0)
        elif len(lab) >= 4 and (lab in flat or flat in lab) and min(len(lab), len(flat)) >= 3:
            # 'Renard SAS' is part of 'systemes-renard': less than the whole name
            best = max(best, 0.5 + 0.45 * min(len(lab), len(flat)) / max(len(lab), len(flat)))
        elif fuzz.ratio(flat, lab) >= 80:  # 'Systomes Renard' (OCR) ~ systemes-renard
            best = max(best, 0.95 * fuzz.ratio(flat, lab) / 100)
        elif len(initials) >= 2 and (lab == initials or
                                     lab.startswith(initials) and len(words) >= 3):
            best = max(best, 0.8)  # 'International Business Machines' ~ ibm
        elif len(flat) >= 5 and fuzz.partial_ratio(flat, lab) >= 90 and len(lab) >= 5:
            best = max(best, 0.6)
    return best


def company_from_domain(label: str) -> str:
    """'acme-solutions' -> 'Acme Solutions' (a guess, given a low confidence)."""
    return " ".join(p.capitalize() for p in re.split(r"[-_]", label) if p)


def title_score(c: Candidate, name: Candidate | None) -> float:
    hits = title_hits(c.text)
    if not hits:
        return 0.0
    score = 3.0 * min(hits, 2)
    if name is not None:  # printed right under the name (or right above it)
        if stacked(name.seg, c.seg, gap=2.0):
            score += 1.0
        elif stacked(c.seg, name.seg, gap=2.0):
            score += 0.5
    if legal_suffix(c.text):
        score -= 5.0
    if c.company_like >= 0.95:  # 'Architect' is only part of 'vaughan-architects'
        score -= 3.0
    if re.search(r"\d", c.text):
        score -= 2.0
    if len(c.text.split()) > 9:
        score -= 2.0
    if name is not None and cjk.is_cjk(name.text) and cjk.is_cjk(c.text):
        score += 1.0  # a card with a CJK name: its title in that script, not the English one
    return score


def continues_title(first: Candidate, second: Candidate, first_raw: str | None = None, *,
                    loose: bool = True, upward: bool = False) -> bool:
    """Is ``second`` (the line under ``first`` in its column) the rest of a title printed
    over two lines?  A connector at the end
    of the first line or the start of the second, a job word on the second, or words that
    are not a department's ('Manager' / 'Bedrijfsontwikkeling Benelux') say yes."""
    if legal_suffix(second.text) or second.company_like >= 0.6:
        return False
    if cjk.department_ending(first.text) or cjk.department_ending(second.text):
        return False  # a unit line is the department (joined after the title)
    if first.rel_height and abs(second.rel_height - first.rel_height) > 0.4 * first.rel_height:
        return False
    a, b = (first_raw or first.text).rstrip(), second.text.lstrip()
    if re.search(r"(?i)([,&/\-–]|\b(and|und|et|y|e|of|for|de|des|du|della|di|van|für))$", a):
        return True
    if b[:1].islower() or second.seg.remaining.strip()[:1] in "&/(+":
        return True
    if fold(b).split()[:1] and fold(b).split()[0] in _UNIT_NOUNS:
        return False  # 'Service commercial', 'Ufficio Acquisti': a department
    if upward:
        # 'Business' / 'Development Manager' yes; the name above a title no
        return title_hits(a) > 0 or function_ratio(a) >= 0.5
    # 'Business Development' / 'Manager': the job word is on the second line
    if title_hits(b) > 0:
        return True
    # a line of department words ('Sales & Marketing', 'Vertrieb') is the department;
    # 'Amigó & Barco' (a company whose legal form OCR garbled) is not a title either
    if "&" in b or "+" in b or re.search(r"\d", b):
        return False
    return loose and function_ratio(b) < 0.5 and not department_words() & set(fold(b).split()) \
        and len(b.split()) <= 4 and not b.isupper()


def company_score(c: Candidate, name_score: float, largest: bool) -> float:
    text = c.text
    if re.search(r"@|https?:|www\.|\w\.(?:com|net|org|de|fr|es|it|nl|eu|io|co)\b", text,
                 re.IGNORECASE) or len(text.split()) > 8:
        return -10.0
    letters = sum(ch.isalpha() for ch in text)
    if cjk.is_cjk(text):
        return _cjk_company_score(c, name_score, largest)
    if letters < 2 or not re.search(r"[^\W\d_]{3,}", text) or \
            not re.search(r"[aeiouyäöüàâéèêëíîóôúûAEIOUYÄÖÜÀÂÉÈÊËÍÎÓÔÚÛ]", text) or \
            re.fullmatch(r"[\sIl1|ıi!.]+", text):
        return -10.0  # 'aa', 'ıllı': a logo or a rule read as letters
    score = 0.0
    suffix = legal_suffix(text)
    if suffix and sum(ch.isalpha() for ch in text.replace(suffix, "")) < 2:
        return -10.0  # 'AS', 'Co.': a legal form alone (or a logo read as one) names no one
    if suffix:
        score += 5.0
    score += 4.0 * c.company_like
    score += 1.5 if largest else (0.8 if c.rel_height >= 0.8 else 0.0)
    if text.isupper() and letters >= 3:
        score += 0.3
    score -= 3.0 * min(title_hits(text), 2)
    score -= max(name_score, 0.0) * 0.6
    score -= 1.5 * function_ratio(text)
    if re.search(r"\d{3,}", text):
        score -= 2.0
    if set(re.split(r"\s+", fold(text))) & department_words():
        score -= 3.0
    return score


def _cjk_company_score(c: Candidate, name_score: float, largest: bool) -> float:
    """A CJK line: its legal form or an organisation's ending names a company; a rank or a
    unit's ending does not."""
    text = c.text
    if sum(ch.isalpha() for ch in text) < 2:
        return -10.0
    score = 0.0
    if cjk.legal_form(text):
        score += 5.0
    elif cjk.org_ending(text):
        score += 3.0
    score += 4.0 * c.company_like
    score += 1.0 if largest else (0.5 if c.rel_height >= 0.8 else 0.0)
    score -= 3.0 * min(cjk.title_hits(text), 2)
    if cjk.department_ending(text):
        score -= 3.0
    score -= max(name_score, 0.0) * 0.6
    if re.search(r"\d{3,}", text):
        score -= 2.0
    return score


def is_department(text: str) -> bool:
    if cjk.is_cjk(text):
        return cjk.department_ending(text)
    toks = {t.strip(".,:;") for t in re.split(r"[\s/&,]+", fold(text))}
    return bool(toks & department_words()) and not legal_suffix(text)
