"""OcrPage -> Contact: read a business card the way a careful assistant would.

``parse_page(page, region=None)`` is pure (no OCR engine): it cuts the page into
segments, takes emails, social profiles and websites (repairing OCR slips), addresses,
then phones (their region from the card itself: address country, other ``+CC`` numbers,
ccTLD, script or language; then ``region``; else kept as printed), then decides among the
lines left which is the name, the title, the company and the department.  Text that fits
no field goes to the note, so nothing printed is lost.  Each field gets a confidence and
the indices of the OCR words it came from.  QR payloads (MECARD / vCard) win over OCR.
"""

from __future__ import annotations

import re
import statistics

from ..contact import (
    Contact,
    Email,
    Social,
    fold,
    normalize_website,
    unique,
)
from ..scan.page import OcrPage
from . import cjk
from .address import AddressHit, address_like, find_addresses
from .calibration import calibrate, script_of
from .company import (
    letters_digits,
    registrable_label,
)
from .lexicon import (
    FIELD_LABELS,
    PHONE_LABELS,
    given_names,
    tld_region,
)
from .people import pick_people, split_name_and_company
from .phones import (
    PhoneHit,
    card_region,
    find_phones,
    fix_country_codes,
    phone_like,
    plus_regions,
    take_international,
)
from .qrcard import merge_qr, parse_qr
from .segments import (
    Segment,
    build_segments,
    clean_piece,
    merge_labels,
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


def parse_text(text: str, *, region: str | None = None) -> Contact:
    """Parse plain text (one printed line per line), e.g. from another OCR tool."""
    return parse_page(OcrPage.from_lines([ln for ln in text.splitlines() if ln.strip()]),
                      region=region)


def parse_page(page: OcrPage, *, region: str | None = None, calibrated: bool = True
               ) -> Contact:
    """Every field of a business card from what OCR read on it. ``calibrated``: the field
    confidences mapped through the shipped calibration table (``parse.calibration``);
    False gives the raw scores (what the table is fitted on)."""
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
    addr_segs = [s for s in segs if not phone_like(s.rest) or address_like(s.rest)]
    cjk_card = cjk.is_cjk([s.remaining for s in segs])
    addresses = find_addresses(addr_segs, [h for h in [region, *plus_hints, *tld_hints] if h])
    address_country = next((a.country for a in addresses if a.country), None)
    phone_region = card_region(segs, address_country=address_country, plus=plus_hints,
                               tlds=tld_hints, configured=region)
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
    cjk_fields = _cjk_people(segs) if cjk_card else {}
    segs = split_name_and_company(page, segs, [e.value.split("@", 1)[0] for e in emails],
                                   domain_labels)
    pick_people(segs, emails, labels, fields, confidence, evidence, phone_region,
                domain_labels)
    for name, value in cjk_fields.items():
        fields[name] = value
        confidence[name] = 0.7
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
    if calibrated:
        confidence = calibrate(confidence, script_of(page.text))
    contact = Contact(**fields, confidence=confidence, evidence=evidence)
    for payload in page.qr:
        qr_contact = parse_qr(payload, phone_region)
        if qr_contact is not None:
            contact = merge_qr(contact, qr_contact)
    return contact


# -- helpers ---------------------------------------------------------------------------


def _cjk_people(segs: list[Segment]) -> dict[str, str]:
    """Name, title, department and company of a CJK card (cjk.py); the segments they
    come from are taken, so the Latin-card rules decide only among the others."""
    found = cjk.read_cjk([(s.remaining, s.height) for s in segs], [s.line for s in segs])
    for k, name in found.used.items():
        segs[k].take(0, len(segs[k].rest), name)
    return {name: getattr(found, name) for name in ("full_name", "title", "department", "company")
            if getattr(found, name)}



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


# re-exported for tests and tools
__all__ += ["AddressHit", "PhoneHit", "merge_qr"]
