"""OcrPage -> Contact: read a business card the way a careful assistant would.

``parse_page(page, region=None)`` is pure (no OCR engine): it cuts the page into
segments, takes emails, social profiles and websites (repairing OCR slips), addresses,
then phones (their default region from ``region``, else the address country, else the
email/website ccTLD, else the other ``+CC`` numbers on the card), then decides among the
lines left which is the name, the title, the company and the department.  Text that fits
no field goes to the note, so nothing printed is lost.  Each field gets a confidence and
the indices of the OCR words it came from.  QR payloads (MECARD / vCard) win over OCR.
"""

from __future__ import annotations

import re
import statistics

from ..contact import (
    CONFIDENCE_FIELDS,
    Contact,
    Email,
    Phone,
    Social,
    fold,
    normalize_website,
    unique,
)
from ..page import OcrPage
from .address import AddressHit, find_addresses
from .company import (
    Candidate,
    company_from_domain,
    company_score,
    continues_title,
    domain_agreement,
    is_department,
    letters_digits,
    registrable_label,
    title_score,
)
from .lexicon import (
    FIELD_LABELS,
    PHONE_LABELS,
    given_names,
    language_region,
    legal_region,
    legal_suffix,
    restore_accents,
    tld_region,
)
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
from .phones import (
    PhoneHit,
    find_phones,
    fix_country_codes,
    format_region,
    label_language_region,
    phone_like,
    plus_regions,
    take_international,
)
from .qr import QR_CONF, parse_qr
from .segments import (
    Segment,
    build_segments,
    clean_keep_comma,
    clean_piece,
    merge_labels,
    stacked,
)
from .web import (
    Found,
    confusable_key,
    find_dotless_domains,
    find_emails,
    find_lost_at_emails,
    find_social,
    find_spaced_websites,
    find_split_domain_emails,
    find_websites,
    place_unlabelled_handles,
    unify_domains,
)

__all__ = ["parse_page", "parse_text"]

NAME_THRESHOLD = 2.0
TITLE_THRESHOLD = 3.0
COMPANY_THRESHOLD = 1.4


def parse_text(text: str, *, region: str | None = None) -> Contact:
    """Parse plain text (one printed line per line), e.g. from another OCR tool."""
    return parse_page(OcrPage.from_lines([ln for ln in text.splitlines() if ln.strip()]),
                      region=region)


def parse_page(page: OcrPage, *, region: str | None = None) -> Contact:
    """Every field of a business card from what OCR read on it."""
    region = region.upper() if region else None
    segs = merge_labels(build_segments(page), _is_label)
    emails = [f for s in segs for f in find_emails(s)]
    social = [f for s in segs for f in find_social(s)]
    place_unlabelled_handles(social)
    websites = [f for s in segs for f in find_websites(s)]
    site_domains = list(dict.fromkeys(
        normalize_website(w.value).split("/", 1)[0] for w in websites))
    emails += [f for s in segs for f in find_lost_at_emails(s, site_domains)]
    emails += [f for s in segs for f in find_split_domain_emails(s, site_domains)]
    squashed = [letters_digits(s.text) for s in segs]
    for k, s in enumerate(segs):
        lost_emails, lost_sites = find_dotless_domains(s, squashed[:k] + squashed[k + 1:])
        emails += lost_emails
        websites += lost_sites
    mail_domains = list(dict.fromkeys(e.value.split("@", 1)[1] for e in emails))
    websites += [f for s in segs for f in find_spaced_websites(s, mail_domains)]
    unify_domains(emails, websites, segs)
    _drop_labels(segs)

    domains = [e.value.split("@", 1)[1] for e in emails] + [
        normalize_website(w.value).split("/", 1)[0] for w in websites]
    tld_hints = [r for r in (tld_region(d) for d in domains) if r]
    plus_hints = plus_regions([s for s in segs if phone_like(s.rest)])
    intl = take_international(segs)
    addr_segs = [s for s in segs if not phone_like(s.rest)]
    addresses = find_addresses(addr_segs, [h for h in [region, *plus_hints, *tld_hints] if h])
    address_country = next((a.country for a in addresses if a.country), None)
    phone_region = region or address_country or (tld_hints[0] if tld_hints else None) or (
        plus_hints[0] if plus_hints else None) or format_region(segs) or \
        next((r for r in (legal_region(s.remaining) for s in segs) if r), None) or \
        label_language_region(segs) or language_region([s.remaining for s in segs])
    phones = find_phones(segs, phone_region) + intl
    fix_country_codes(phones, phone_region)
    order = {id(h): k for k, h in enumerate(phones)}
    phones.sort(key=lambda h: (h.segment, min(h.words, default=0), order[id(h)]))

    fields: dict = {}
    confidence: dict[str, float] = {}
    evidence: dict[str, tuple[int, ...]] = {}
    domain_labels = [lb for lb in (registrable_label(d) for d in domains) if lb]
    labels = domain_labels + [lb for lb in _garbled_domain_labels(segs)
                              if lb not in domain_labels]
    segs = _split_name_and_company(page, segs, [e.value.split("@", 1)[0] for e in emails],
                                   domain_labels)
    _people(segs, emails, labels, fields, confidence, evidence, phone_region, domain_labels)
    if fields.get("full_name") and confidence.get("full_name", 0) >= 0.5:
        _locals_from_name(emails, fields["full_name"])

    fields["emails"] = unique((Email(f.value) for f in emails), key=lambda e: e.key)
    fields["websites"] = unique((f.value for f in websites), key=normalize_website)
    fields["social"] = unique((Social(f.service, f.value) for f in social), key=lambda s: s.key)
    fields["phones"] = unique((h.phone for h in phones), key=lambda p: (p.key, p.extension))
    fields["addresses"] = tuple(a.address for a in addresses)
    for name, found in (("emails", emails), ("websites", websites), ("social", social),
                        ("phones", phones), ("address", addresses)):
        if found:
            confidence[name] = round(statistics.fmean(f.conf for f in found), 3)
            evidence[name] = tuple(w for f in found for w in f.words)
    note = _note(segs)
    if note:
        fields["note"] = note
    contact = Contact(**fields, confidence=confidence, evidence=evidence)
    for payload in page.qr:
        qr_contact = parse_qr(payload, phone_region)
        if qr_contact is not None:
            contact = merge_qr(contact, qr_contact)
    return contact


# -- helpers ---------------------------------------------------------------------------


def _split_name_and_company(page: OcrPage, segs: list[Segment], locals_: list[str],
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


def _locals_from_name(emails: list[Found], full_name: str) -> None:
    """'bias_garriga@' under 'Blas Garriga', 'omelia.trapani@' under 'Ornella Trapani': a
    part of the local part that differs from a word of the name only by OCR's look-alikes
    (l / i, rn / m, 0 / o) is that word, as the name line (larger, better read) spells it;
    unless the email's spelling is a given name and the name's is not.

    'eclaudia@' under 'Claudia Rinaldi': the envelope icon read as a letter glued to the
    front of a name word goes, unless that letter is the initial of a word of the name
    ('jsmith@' under 'John Smith' is initial and family name)."""
    words = {fold(w) for w in re.split(r"[\s.,\-']+", full_name) if len(w) >= 3}
    initials = {fold(w)[:1] for w in re.split(r"[\s.,\-']+", full_name) if w}
    for f in emails:
        local, _, domain = f.value.partition("@")
        parts = re.split(r"([._\-])", local)
        head = parts[0].lower()
        if len(head) >= 4 and head not in words and head[1:] in words and \
                head[0] not in initials and head not in given_names():
            parts[0] = parts[0][1:]
        for k, part in enumerate(parts):
            low = part.lower()
            if len(low) < 3 or low in words or not low.isalpha():
                continue
            same = [w for w in words if w.isalpha() and confusable_key(w) == confusable_key(low)]
            if len(same) == 1 and not (low in given_names() and same[0] not in given_names()):
                parts[k] = same[0]
        fixed = "".join(parts)
        if fixed != local.lower() and fixed != local:
            f.value = f"{fixed}@{domain}"
            f.conf *= 0.9


def _garbled_domain_labels(segs: list[Segment]) -> list[str]:
    """'www.amigo-barco-£s', 'x@amigo parce': a company's domain name OCR left unusable
    as a website or email still says what the company is called."""
    out = []
    for seg in segs:
        for m in re.finditer(r"(?i)(?:www[.,]\s?|@\s?)([a-z0-9][a-z0-9\-]{2,})", seg.rest):
            label = m.group(1).lower().strip("-")
            if registrable_label(f"{label}.x") and label not in out:
                out.append(label)
    return out


def _is_label(text: str) -> bool:
    """'E-Mail:', 'Tel.', 'Ligne directe': every word a label."""
    keys = [fold(t).strip(".:;-| ") for t in text.split()]
    return bool(keys) and all(k in FIELD_LABELS or k in PHONE_LABELS for k in keys if k) \
        and any(keys)


def _drop_labels(segs: list[Segment]) -> None:
    """Blank label words left next to a taken field ('E-Mail:', 'Web:', 'T.') and
    segments that are a lone label ending with ':'."""
    for seg in segs:
        rest = seg.remaining
        if not rest:
            continue
        toks = [fold(t).strip(".:;-|") for t in rest.split()]
        label_only = all(t in FIELD_LABELS or t in PHONE_LABELS or not t for t in toks)
        if label_only and (seg.used or rest.rstrip().endswith(":")):
            seg.take(0, len(seg.rest), seg.used and next(iter(seg.used)) or "label")
        elif seg.used and toks[0] in FIELD_LABELS:
            # 'W | acme.de 21206 Roding': the label of the taken website, then other text
            m = re.match(r"\s*\S+", seg.rest)
            if m:
                seg.take(0, m.end(), next(iter(seg.used)))


def _candidates(segs: list[Segment]) -> list[Candidate]:
    out: list[Candidate] = []
    for seg in segs:
        if "address" in seg.used or "phones" in seg.used and len(seg.remaining) < 4:
            continue
        text = _legal_slip(fix_title_slips(_caps_slip(_initial_comma(
            _trim_stray(clean_piece(seg.remaining))))))
        if sum(ch.isalpha() for ch in text) < 2:
            continue
        out.append(Candidate(seg, text, len(out)))
    return out


def _initial_comma(text: str) -> str:
    """'Margaret C, Martin': a comma after a lone capital inside a line is the dot of an
    initial (a 'Family, Given' comma follows a whole word)."""
    return re.sub(r"(?<=\s[A-Z]),(?=\s+[A-Z])", ".", text)


def _caps_slip(text: str) -> str:
    """'LoFFLER Kirstin': one lower-case letter inside a word in capitals is OCR's slip
    (a family name printed in capitals); 'McDONALD' keeps its prefix."""
    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        if sum(ch.islower() for ch in word) != 1 or re.match(r"M[a]?c|O'", word):
            return word
        return word.upper()

    return re.sub(r"\b[^\W\d_][^\W\d_]*[A-Z][^\W\d_]*\b",
                  lambda m: fix(m) if len(m.group(0)) >= 5 and m.group(0)[0].isupper() else
                  m.group(0), text)


def _trim_stray(text: str) -> str:
    """'Manuel Howell O', 'e Senior Consultant': a lone letter OCR made of an icon or a
    logo at either end of a line (not an initial, which has its dot)."""
    tokens = text.split()
    if len(tokens) >= 3 and re.fullmatch(r"[lI]{2,3}", tokens[-1]) and "I" in tokens[-1] and \
            tokens[-2][:1].isupper():
        tokens[-1] = "I" * len(tokens[-1])  # 'Gernot Koch Il': the suffix II, an l misread
    while len(tokens) >= 2 and re.fullmatch(r"[lI|1!]{1,3}", tokens[-1]) and \
            not (len(tokens) >= 3 and tokens[-1] in ("II", "III")):
        tokens.pop()  # 'BANDELLO ll': a rule or a logo edge read as letters
    while len(tokens) >= 3 and len(tokens[-1]) == 1 and not tokens[-1].isdigit() and \
            not tokens[-1].islower() and tokens[-1] not in "&+-–":
        tokens.pop()  # (a lower-case letter may be 'e' / 'y' / 'i' = and)
    while len(tokens) >= 3 and len(tokens[0]) == 1 and not tokens[0].isdigit() and \
            tokens[0] not in "&+":
        tokens.pop(0)
    return " ".join(tokens)


def _people(segs: list[Segment], emails: list[Found], labels: list[str], fields: dict,
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
    conf = min(1.0, 0.5 + 0.08 * title.scores["title"]) * min(c.seg.conf for c in parts)
    out.put("title", _drop_stray(" ".join(texts)), conf, parts)
    return parts


def _pick_department(rest: list[Candidate], title_parts: list[Candidate], out: _Fields
                     ) -> list[Candidate]:
    """An explicit department line, or a line of department words next to the title."""
    for c in rest:
        near_title = any(stacked(t.seg, c.seg) or stacked(c.seg, t.seg) for t in title_parts)
        if is_department(c.text) or near_title and function_ratio(c.text) >= 0.7 and \
                c.company_like < 0.6 and not legal_suffix(c.text):
            out.put("department", c.text, None, [c])
            return [r for r in rest if r is not c]
    return rest


def _pick_company(rest: list[Candidate], labels: list[str], domain_labels: list[str],
                  out: _Fields) -> None:
    biggest = max(rest, key=lambda c: c.seg.height, default=None)
    for c in rest:
        c.scores["company"] = company_score(c, c.scores["name"], c is biggest and len(rest) > 1)
    company = max(rest, key=lambda c: c.scores["company"], default=None)
    if company is not None and company.scores["company"] >= COMPANY_THRESHOLD:
        parts = _company_lines(company, rest, labels)
        text = _company_text(_legal_slip(" ".join(
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


def _company_text(text: str) -> str:
    """Whitespace and stray punctuation cleaned, an '&' spaced on both sides when OCR lost
    one space; a dotted legal form that lost its final dot to OCR gets it back ('e.K' ->
    'e.K.', 'S.r.l' -> 'S.r.l.')."""
    text = _drop_stray(" ".join(text.split()).strip(" ,;|-"))
    # 'Young& Evans': a space OCR lost on one side of an '&' ('AT&T' has none on either)
    text = re.sub(r"(?<=\S)&(?=\s)|(?<=\s)&(?=\S)", " & ", text).replace("  ", " ")
    if "(" not in text:  # 'Berme)jo': a bracket inside a word that opens nothing
        text = re.sub(r"(?<=[^\W\d])[)\]}](?=[^\W\d])", "", text)
    return re.sub(r"(?<=\s)((?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2})$", r"\1.", text)


def _legal_slip(text: str) -> str:
    """A legal form ending a line with an OCR slip, repaired ('S.r.i.' -> 'S.r.l.', 'GrnbH' ->
    'GmbH', 'Itd' -> 'Ltd', '8.L.U' -> 'S.L.U'), or glued to the name ('DynamicsLtd.'), so
    that it counts as one."""
    text = re.sub(r"(?<=[a-z]{3})(?=(?:Ltd|GmbH|Inc|LLC|LLP|Corp|Limited)\.?$)|"
                  r"(?<=[A-Z]{3})(?=(?:LTD|GMBH|LLC|LLP|LIMITED)\.?$)", " ", text)
    head, _, last = text.rstrip(",;").rpartition(" ")
    if not head or _is_legal_form(last):
        return text
    fixed = re.sub(r"(?<![A-Za-z])[i1I|!](?=\.)", "l", last).replace("rn", "m")
    fixed = re.sub(r"^[1I|](?=td\.?$)", "L", fixed)
    # a digit for the first letter of a dotted form: '8.L.U.', '5.A.', '8.V.'
    for guess in (fixed, re.sub(r"^[58](?=\.)", "S", fixed), re.sub(r"^8(?=\.)", "B", fixed)):
        if guess != last and _is_legal_form(guess):
            return f"{head} {guess}"
    return text


def _is_legal_form(token: str) -> bool:
    return (legal_suffix(f"x {token}") or "").strip(" ,.").lower() == token.strip(" ,.").lower()


_STRAY = re.compile(r"(?<!\S)[~^*_=<>«»`'\"°¬¦§¢{}\[\]\\]+(?!\S)")


def _drop_stray(text: str) -> str:
    """'Jefe ~ de Ventas': a token of stray marks OCR made of a speck or an icon."""
    return " ".join(_STRAY.sub(" ", text).split())


def _set_name(fields: dict, text: str, region: str | None = None) -> None:
    parts = split_name(text, region)
    fields.update(full_name=parts.full, given_name=parts.given, family_name=parts.family,
                  middle_name=parts.middle, prefix=parts.prefix, suffix=parts.suffix)


def _note(segs: list[Segment]) -> str | None:
    lines: list[str] = []
    for seg in segs:
        text = clean_piece(seg.remaining)
        alnum = sum(ch.isalnum() for ch in text)
        if alnum < 2 or alnum < 0.5 * len(text.replace(" ", "")):
            continue
        if seg.conf < 0.3 and alnum < 6:
            continue
        toks = [fold(t).strip(".:;-|") for t in text.split()]
        if all(t in FIELD_LABELS or t in PHONE_LABELS or not t for t in toks):
            continue
        lines.append(text)
    return "\n".join(lines) or None


def merge_qr(ocr: Contact, qr: Contact) -> Contact:
    """QR data over OCR: scalar fields from the QR code win, lists put the QR items first."""
    changes: dict = {}
    conf = dict(ocr.confidence)
    scalars = ("full_name", "given_name", "family_name", "middle_name", "prefix", "suffix",
               "nickname", "title", "company", "department")
    for name in scalars:
        value = getattr(qr, name)
        if value:
            changes[name] = value
            if name in CONFIDENCE_FIELDS:
                conf[name] = QR_CONF
    if qr.full_name and not qr.given_name:
        for name in ("given_name", "family_name", "middle_name", "prefix", "suffix"):
            changes.setdefault(name, None)
    lists = {
        "emails": lambda e: e.key,
        "phones": lambda p: p.key,
        "websites": normalize_website,
        "social": lambda s: s.key,
    }
    for name, key in lists.items():
        items = getattr(qr, name)
        if items:
            read = [o for o in getattr(ocr, name)
                    if not any(_misread_of(key(o), key(q), name) for q in items)]
            changes[name] = unique((*items, *read), key=key)
            conf[name] = QR_CONF
    if qr.addresses:
        changes["addresses"] = (*qr.addresses, *ocr.addresses[1:])
        conf["address"] = QR_CONF
    if qr.note:
        changes["note"] = "\n".join(p for p in (qr.note, ocr.note) if p)
    return ocr.replace(**changes, confidence=conf)


def _misread_of(ocr_key: str, qr_key: str, field: str) -> bool:
    """Is an item OCR read off the card a misreading of one the QR code holds?  The code is
    the exact copy of the same card: 'kellyleonard@' for 'kelly.leonard@', 'wwwspencer.com'
    for 'www.spencer.com', '212439646' (a digit lost) for '+12124396462'.  Two numbers of
    one office that differ in their last digits are two numbers, so a phone only matches
    when OCR's digits are a part of the QR number's."""
    if field == "phones":
        digits = re.sub(r"\D", "", ocr_key)
        return not ocr_key.startswith("+") and len(digits) >= 6 and digits in qr_key
    if field == "websites":
        ocr_key, qr_key = (re.sub(r"^www", "", k) for k in (ocr_key, qr_key))
    # the same characters but for punctuation OCR lost or added, or OCR's look-alikes
    # ('rn' / 'm', '0' / 'o'); a letter more or less ('jon@' / 'john@') is another address
    flat_ocr, flat_qr = (confusable_key(re.sub(r"[\W_]", "", k)) for k in (ocr_key, qr_key))
    if field == "emails" and ocr_key.partition("@")[2] == qr_key.partition("@")[2]:
        # a label or an icon glued to the front: 'Elashley.nguyen@' for 'ashley.nguyen@'
        return flat_ocr.endswith(flat_qr) and len(flat_ocr) - len(flat_qr) <= 3
    return flat_ocr == flat_qr


# re-exported for tests and tools
__all__ += ["AddressHit", "Phone", "PhoneHit", "merge_qr"]
_ = re
