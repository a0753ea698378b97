"""Name, title, department and company: among the lines no other field took, decide
which is which from every signal the card gives (size, position, name dictionaries, the
e-mail's local part, legal forms, title words, the domain)."""

from __future__ import annotations

import re

from ..contact import fold
from ..scan.page import OcrPage
from . import cjk_people as cjk
from .cjk_people import is_cjk
from .company import (
    Candidate,
    company_from_domain,
    company_score,
    continues_title,
    domain_agreement,
    is_department,
    title_score,
)
from .lexicon import given_names, legal_suffix, restore_accents
from .names import (
    email_agreement,
    fix_title_slips,
    function_ratio,
    name_from_email,
    name_score,
    restore_umlauts,
    split_name,
    title_hits,
)
from .repair import (
    caps_slip,
    company_text,
    drop_stray,
    initial_comma,
    legal_slip,
    trim_stray,
)
from .segments import Segment, clean_keep_comma, clean_piece, stacked
from .web import Found

NAME_THRESHOLD = 2.0
TITLE_THRESHOLD = 3.0
COMPANY_THRESHOLD = 1.4


def split_name_and_company(page: OcrPage, segs: list[Segment], locals_: list[str],
                            labels: list[str]) -> list[Segment]:
    """'Beau van Opper-Lotharingen Stook Energie BV': OCR joined the name and the company
    printed side by side.  Split where the words before are a full name the email agrees
    with (a given name first) and the words after are the company the domain names, better
    than the whole line is."""
    if not locals_ or not labels:
        return segs
    out: list[Segment] = []
    for seg in segs:
        toks = seg.tokens
        cut = None
        if not seg.used and 4 <= len(toks) <= 9:
            whole = domain_agreement(seg.text, labels)
            for k in range(2, len(toks) - 1):
                head, tail = list(toks[:k]), " ".join(toks[k:])
                if fold(head[0]) in given_names() and email_agreement(head, locals_) >= 0.6 \
                        and domain_agreement(tail, labels) >= 0.9 > whole:
                    cut = k
                    break
        if cut is None:
            out.append(seg)
            continue
        for words, tokens in ((seg.words[:cut], toks[:cut]), (seg.words[cut:], toks[cut:])):
            boxes = [page.words[w].box for w in words]
            left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
            right = max(b[0] + b[2] for b in boxes)
            bottom = max(b[1] + b[3] for b in boxes)
            out.append(Segment(seg.line, len(out), words, tokens, seg.height,
                               (left, top, right - left, bottom - top), seg.conf))
    for k, seg in enumerate(out):
        seg.index = k
    return out


def _candidates(segs: list[Segment]) -> list[Candidate]:
    out: list[Candidate] = []
    for seg in segs:
        if "address" in seg.used or "phones" in seg.used and len(seg.remaining) < 4:
            continue
        text = legal_slip(fix_title_slips(caps_slip(initial_comma(
            trim_stray(clean_piece(seg.remaining))))))
        if sum(ch.isalpha() for ch in text) < 2:
            continue
        out.append(Candidate(seg, text, len(out)))
    return out


def pick_people(segs: list[Segment], emails: list[Found], labels: list[str], fields: dict,
            confidence: dict[str, float], evidence: dict[str, tuple[int, ...]],
            region: str | None, domain_labels: list[str]) -> None:
    """Name, title, department and company among the lines no other field took.
    ``labels``: the organisation names of the card's domains (also from OCR-garbled ones),
    ``domain_labels``: only those of real emails / websites."""
    cands = _candidates(segs)
    top = max((c.seg.height for c in cands), default=1.0) or 1.0
    for c in cands:
        c.rel_height = c.seg.height / top
        c.company_like = domain_agreement(c.text, labels) if labels else 0.0
    locals_ = [e.value.split("@", 1)[0] for e in emails]
    out = _Fields(fields, confidence, evidence)
    name = _pick_name(cands, locals_, out, region)
    rest = [c for c in cands if c is not name]
    title_parts = _pick_title(rest, name, out, labels)
    rest = [c for c in rest if c not in title_parts]
    rest = _pick_department(rest, title_parts, out)
    _pick_company(rest, labels, domain_labels, out)
    if out.fields.get("company") and domain_labels:
        out.fields["company"] = restore_umlauts(out.fields["company"], domain_labels)
    for key in ("title", "department", "company"):
        if out.fields.get(key):
            out.fields[key] = restore_accents(out.fields[key], region)


class _Fields:
    """Where the pickers put a field's value, confidence and evidence."""

    def __init__(self, fields: dict, confidence: dict[str, float],
                 evidence: dict[str, tuple[int, ...]]) -> None:
        self.fields, self.confidence, self.evidence = fields, confidence, evidence

    def put(self, name: str, value: str, conf: float | None, parts: list[Candidate]) -> None:
        self.fields[name] = value
        if conf is not None:
            self.confidence[name] = round(max(0.0, min(1.0, conf)), 3)
        words = tuple(w for c in parts for w in c.seg.take(0, len(c.seg.rest), name))
        if words:
            self.evidence[name] = words


def _pick_name(cands: list[Candidate], locals_: list[str], out: _Fields, region: str | None
               ) -> Candidate | None:
    largest = max(cands, key=lambda c: c.seg.height, default=None)
    for c in cands:
        c.scores["name"], _ = name_score(
            c.text, rel_height=c.rel_height, is_largest=c is largest, order=c.order,
            email_locals=locals_, company_like=c.company_like)
    name = max(cands, key=lambda c: c.scores["name"], default=None)
    if name is not None and name.scores["name"] >= NAME_THRESHOLD:
        _set_name(out.fields, restore_umlauts(name.text, locals_), region)
        conf = min(1.0, 0.45 + 0.08 * name.scores["name"]) * name.seg.conf
        out.put("full_name", out.fields["full_name"], conf, [name])
        return name
    guess = next((g for g in map(name_from_email, locals_) if g), None)
    if guess:  # no line reads as a name: 'anna.schmidt@' -> Anna Schmidt, a weak guess
        _set_name(out.fields, guess, region)
        out.confidence["full_name"] = 0.35
    return None


def _company_head(line: Candidate, after: Candidate, labels: list[str]) -> bool:
    """Is ``line`` the first half of the company name printed on ``after``?"""
    if labels:
        return domain_agreement(f"{line.text} {after.text}", labels) > after.company_like + 0.05
    return bool(legal_suffix(after.text))


def _pick_title(rest: list[Candidate], name: Candidate | None, out: _Fields,
                labels: list[str]) -> list[Candidate]:
    for c in rest:
        c.scores["title"] = title_score(c, name)
    title = max(rest, key=lambda c: c.scores["title"], default=None)
    if title is None or title.scores["title"] < TITLE_THRESHOLD:
        return []
    parts = [title]
    for direction in (1, -1):
        edge = title
        while len(parts) < 3:
            nxt = _neighbour(edge, rest, direction, parts)
            if nxt is None:
                break
            first, second = (edge, nxt) if direction == 1 else (nxt, edge)
            # the loose rule (unknown words continue a title) not for the first half
            # of a company name printed over two lines ('Dörrix' / 'Beratung AG')
            after = _neighbour(nxt, rest, 1, parts)
            loose = len(parts) == 1 and nxt.company_like == 0 and not (
                after is not None and _company_head(nxt, after, labels))
            if nxt.company_like >= 0.6 or not continues_title(
                    first, second, clean_keep_comma(first.seg.remaining), loose=loose,
                    upward=direction == -1):
                break
            parts.append(nxt)
            edge = nxt
    parts.sort(key=lambda c: c.order)
    # keep the comma ending a first line and the '&' starting a second one
    texts = [clean_keep_comma(parts[0].seg.remaining)] + [
        c.seg.remaining.strip(" |·•;:") for c in parts[1:]] if len(parts) > 1 else [title.text]
    texts[-1] = texts[-1].rstrip(",")
    joined = " ".join(texts)
    conf = min(1.0, 0.5 + 0.08 * title.scores["title"]) * min(c.seg.conf for c in parts)
    out.put("title", _cjk_title_order(drop_stray(joined)), conf, parts)
    return parts


def _cjk_title_order(text: str) -> str:
    """'駅前通り店 担当' -> '担当, 駅前通り店': a CJK title line of ranks and units, the
    ranks first and the units after, each part after a ', ' (as the title of any card)."""
    tokens = text.split()
    if len(tokens) < 2 or not is_cjk(text):
        return text
    ranks = [t for t in tokens if cjk.title_hits(t) and not cjk.department_ending(t)]
    units = [t for t in tokens if cjk.department_ending(t)]
    if not ranks or not units or len(ranks) + len(units) != len(tokens):
        return text
    return ", ".join(ranks + units)


def _pick_department(rest: list[Candidate], title_parts: list[Candidate], out: _Fields
                     ) -> list[Candidate]:
    """An explicit department line, or a line of department words next to the title; then
    the unit lines next to those ('市場研究部' / '市場發展處').  Printed next to the title,
    the department is part of it as cards print it ('Senior Manager, Business
    Development'): the title gets it after a ', ' (and the department field keeps it)."""
    depts: list[Candidate] = []
    group = list(title_parts)
    while len(depts) < 3:
        found = None
        for c in rest:
            if c in depts:
                continue
            near = any(_beside(t, c) for t in group)
            unit = is_department(c.text) and (near or not depts)
            words = near and function_ratio(c.text) >= 0.7 and c.company_like < 0.6 and \
                not legal_suffix(c.text)
            if unit or words:
                found = c
                break
        if found is None:
            break
        depts.append(found)
        group.append(found)
    if not depts:
        return rest
    depts.sort(key=lambda c: c.order)
    out.put("department", ", ".join(c.text for c in depts), None, depts)
    joined = [c for c in depts if any(_beside(t, c) for t in [*title_parts, *depts]
                                      if t is not c)]
    # (Latin-script cards: the generated cards' truth keeps the department apart, see
    # the report of issue 13; CJK cards' labels join it)
    if title_parts and joined and len(joined) == len(depts) and \
            all(is_cjk(c.text) for c in [*title_parts, *depts]):
        title = out.fields["title"]
        out.fields["title"] = ", ".join([title, *(c.text for c in depts
                                                  if fold(c.text) not in fold(title))])
        out.evidence["title"] = (*out.evidence.get("title", ()),
                                 *out.evidence.get("department", ()))
    elif not title_parts and all(is_cjk(c.text) for c in depts):
        # a CJK card printing only its unit ('サービス部'): that is the line a title has
        out.fields["title"] = ", ".join(c.text for c in depts)
        out.evidence["title"] = out.evidence.get("department", ())
    return [r for r in rest if r not in depts]


def _beside(a: Candidate, b: Candidate) -> bool:
    """Is ``b`` right above, right below or on the same printed line as ``a``?"""
    return stacked(a.seg, b.seg) or stacked(b.seg, a.seg) or a.seg.line == b.seg.line


def _pick_company(rest: list[Candidate], labels: list[str], domain_labels: list[str],
                  out: _Fields) -> None:
    biggest = max(rest, key=lambda c: c.seg.height, default=None)
    for c in rest:
        c.scores["company"] = company_score(c, c.scores["name"], c is biggest and len(rest) > 1)
    company = max(rest, key=lambda c: c.scores["company"], default=None)
    if company is not None and company.scores["company"] >= COMPANY_THRESHOLD:
        parts = _company_lines(company, rest, labels)
        text = company_text(legal_slip(" ".join(
            c.text if k == 0 else c.seg.remaining.strip(" |·•,;:") for k, c in enumerate(parts))))
        strong = company.scores["company"] >= 4.0
        out.put("company", text, (0.9 if strong else 0.6) * min(c.seg.conf for c in parts),
                parts)
    elif domain_labels:  # only the domain names the company: a low-confidence guess
        out.fields["company"] = company_from_domain(domain_labels[0])
        out.confidence["company"] = 0.3


_JOIN_END = re.compile(r"(?i)(?:[&+\-–]|\b(?:and|und|et|y|e|en|of|for|de|di|van|von))$")


def _company_lines(company: Candidate, rest: list[Candidate], labels: list[str]
                   ) -> list[Candidate]:
    """A company name printed over two lines ('Willis &' / 'Aguilar Co.', 'Girschnernova' /
    'Architekten e.K.'): join a neighbour when a connector says so, when the joined name
    agrees better with the domain, or when the neighbour is only the legal form."""
    parts = [company]
    base = domain_agreement(company.text, labels) if labels else 0.0
    for direction in (-1, 1):
        edge = parts[0] if direction == -1 else parts[-1]
        nb = _neighbour(edge, rest, direction, parts)
        if nb is None or title_hits(nb.text) or re.search(r"\d|@", nb.text):
            continue
        upper, lower = (nb, edge) if direction == -1 else (edge, nb)
        joined = f"{upper.text} {lower.text}"
        cue = bool(_JOIN_END.search(clean_keep_comma(upper.seg.remaining)) or
                   re.match(r"(?i)^(?:&|\+|and\b|und\b|et\b|y\b|e\b)",
                            lower.seg.remaining.strip()))
        only_legal = (legal_suffix(nb.text) or "").strip(" ,.") == nb.text.strip(" ,.")
        better = bool(labels) and domain_agreement(joined, labels) > base + 0.05
        if cue or only_legal or better or direction == -1 and _stacked_head(nb, company):
            parts = [nb, *parts] if direction == -1 else [*parts, nb]
    return parts


def _stacked_head(head: Candidate, company: Candidate) -> bool:
    """'Mater' / 'Architecten BV', 'Harding' / 'Robotics Ltd.': without a domain to compare,
    a short capitalised line right above a short name with a legal form, in the same size,
    is the first half of that name."""
    suffix = legal_suffix(company.text)
    if not suffix or len(company.text.replace(suffix, " ").split()) > 2:
        return False
    words = head.text.split()
    ratio = head.seg.height / max(company.seg.height, 1.0)
    return 1 <= len(words) <= 2 and all(w[:1].isupper() and w.isalpha() for w in words) \
        and title_hits(head.text) == 0 and function_ratio(head.text) < 0.5 \
        and 0.67 <= ratio <= 1.5 and head.scores.get("name", 0.0) < 2.0


def _neighbour(c: Candidate, cands: list[Candidate], direction: int,
               exclude: list[Candidate]) -> Candidate | None:
    """The candidate right below (direction 1) or above (-1) ``c`` in its column."""
    if direction == 1:
        found = [o for o in cands if o not in exclude and o is not c and stacked(c.seg, o.seg)]
        return min(found, key=lambda o: o.seg.box[1], default=None)
    found = [o for o in cands if o not in exclude and o is not c and stacked(o.seg, c.seg)]
    return max(found, key=lambda o: o.seg.box[1], default=None)


def _set_name(fields: dict, text: str, region: str | None = None) -> None:
    parts = split_name(text, region)
    fields.update(full_name=parts.full, given_name=parts.given, family_name=parts.family,
                  middle_name=parts.middle, prefix=parts.prefix, suffix=parts.suffix)
