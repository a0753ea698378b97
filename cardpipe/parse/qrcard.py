"""What a QR code on the card says (MECARD, BIZCARD, vCard, or a bare URL / mailto: /
tel: payload), and how it combines with what OCR read (``merge_qr``): QR data is exact,
so it wins over OCR when they disagree.

vCard payloads go through cardpipe.vcard (the project's one vCard reader). The codes are
found and decoded in the image by :mod:`cardpipe.scan.qrcode`.
"""

from __future__ import annotations

import re

import phonenumbers

from ..contact import (
    CONFIDENCE_FIELDS,
    Address,
    Contact,
    Email,
    Phone,
    normalize_website,
    unique,
)
from ..vcard import read_vcards
from .names import split_name
from .web import confusable_key

QR_CONF = 0.99


def _mecard_fields(payload: str) -> list[tuple[str, str]]:
    """'MECARD:N:Doe,John;TEL:123;;' -> [('N', 'Doe,John'), ('TEL', '123')] (with escapes)."""
    body = payload.split(":", 1)[1] if ":" in payload else payload
    fields: list[tuple[str, str]] = []
    buf, key, i = "", None, 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            buf += body[i + 1]
            i += 2
            continue
        if key is None and ch == ":":
            key, buf = buf.strip().upper(), ""
        elif ch == ";":
            if key is not None:
                fields.append((key, buf))
            key, buf = None, ""
        else:
            buf += ch
        i += 1
    if key is not None and buf:
        fields.append((key, buf))
    return fields


def _phone(raw: str, kind: str, region: str | None) -> Phone:
    raw = raw.strip()
    try:
        num = phonenumbers.parse(raw, region or None)
        e164 = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
        return Phone(e164, kind, raw, num.extension or None)
    except phonenumbers.NumberParseException:
        digits = ("+" if raw.startswith("+") else "") + re.sub(r"\D", "", raw)
        return Phone(digits or raw, kind, raw)


def _name_fields(full: str | None, given: str | None = None, family: str | None = None
                 ) -> dict[str, str | None]:
    if given or family:
        full = full or " ".join(p for p in (given, family) if p)
        return {"full_name": full, "given_name": given or None, "family_name": family or None}
    if not full:
        return {}
    parts = split_name(full)
    return {"full_name": parts.full, "given_name": parts.given, "family_name": parts.family,
            "middle_name": parts.middle, "prefix": parts.prefix, "suffix": parts.suffix}


def parse_mecard(payload: str, region: str | None = None) -> Contact:
    kw: dict = {"emails": [], "phones": [], "websites": [], "addresses": []}
    notes = []
    bizcard = payload.upper().startswith("BIZCARD:")
    given = family = None
    for key, value in _mecard_fields(payload):
        value = value.strip()
        if not value:
            continue
        if key == "N" and not bizcard:
            if "," in value:
                family, given = (v.strip() for v in value.split(",", 1))
            else:
                kw.update(_name_fields(value))
        elif key == "N":
            given = value
        elif key == "X" and bizcard:
            family = value
        elif key in ("TEL", "B"):
            kw["phones"].append(_phone(value, "work", region))
        elif key in ("TEL-AV",) or key == "M" and bizcard:
            kw["phones"].append(_phone(value, "cell", region))
        elif key == "F" and bizcard:
            kw["phones"].append(_phone(value, "fax", region))
        elif key in ("EMAIL", "E"):
            kw["emails"].append(Email(value))
        elif key == "URL":
            kw["websites"].append(value)
        elif key in ("ADR", "A"):
            parts = [p.strip() for p in value.split(",")]
            kw["addresses"].append(_adr_from_parts(parts))
        elif key in ("ORG", "C") :
            kw["company"] = value
        elif key in ("TITLE", "T") and (key == "TITLE" or bizcard):
            kw["title"] = value
        elif key == "NOTE":
            notes.append(value)
        elif key == "NICKNAME":
            kw["nickname"] = value
    if given or family:
        kw.update(_name_fields(None, given, family))
    if notes:
        kw["note"] = "\n".join(notes)
    return Contact(**kw)


def _adr_from_parts(parts: list[str]) -> Address:
    # MECARD ADR follows the vCard order: PO box, extended, street, city, region, code, country
    if len(parts) >= 7:
        return Address(po_box=parts[0], extended=parts[1], street=parts[2], locality=parts[3],
                       region=parts[4], postcode=parts[5], country=parts[6])
    return Address(street=", ".join(p for p in parts if p))


def parse_vcard(payload: str, region: str | None = None) -> Contact | None:
    """The contact of a vCard payload (through cardpipe.vcard), or None if it is broken."""
    cards = read_vcards(payload, source="qr", region=region)
    contact = cards[0].contact if cards else None
    return contact.replace(sources=()) if contact is not None else None


def parse_qr(payload: str, region: str | None = None) -> Contact | None:
    """A Contact from one QR payload, or None when it carries no contact data."""
    text = payload.strip()
    upper = text[:12].upper()
    if upper.startswith(("MECARD:", "BIZCARD:")):
        return parse_mecard(text, region)
    if upper.startswith("BEGIN:VCARD"):
        return parse_vcard(text, region)
    if re.match(r"(?i)^mailto:", text):
        return Contact(emails=(Email(text.split(":", 1)[1].split("?")[0]),))
    if re.match(r"(?i)^tel:", text):
        return Contact(phones=(_phone(text.split(":", 1)[1], "work", region),))
    if re.match(r"(?i)^https?://\S+$", text):
        return Contact(websites=(text,))
    return None


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
