"""Ground truth for a generated card: the contact, what was printed, every printed line."""

from __future__ import annotations

from typing import Any

from cardpipe.contact import Address, Contact, Email, Phone, Social

from .people import Person
from .render import Rendered


def person_contact(p: Person) -> Contact:
    """The contact the card describes (phones in E.164, the address as ADR parts)."""
    addresses = ()
    if p.address:
        a = p.address
        addresses = (Address(street=a.street, locality=a.locality, region=a.region,
                             postcode=a.postcode, country=a.country, extended=a.extended,
                             type="work"),)
    # a "FAMILY Given" card prints neither a middle initial nor a prefix or suffix
    middle = "" if p.family_first else p.middle
    return Contact(
        full_name=f"{p.given} {p.family}" if p.family_first else p.full_name,
        given_name=p.given,
        family_name=p.family,
        middle_name=middle.rstrip(".") or None,
        prefix=p.prefix or None,
        suffix=p.suffix or None,
        title=p.title,
        company=p.company,
        department=p.department,
        emails=tuple(Email(e, "work") for e in p.emails),
        phones=tuple(Phone(ph.number, ph.type, ph.printed) for ph in p.phones),
        websites=tuple(p.websites),
        addresses=addresses,
        social=tuple(Social(s.service, s.handle) for s in p.social),
    )


def truth_record(plan: Any, rendered: Rendered, shot: Any, quad: Any, image_name: str,
                 shape: tuple[int, ...]) -> dict[str, Any]:
    p: Person = plan.person
    c = rendered.content
    printed = {
        "full_name": c.printed_name,
        "title": p.title_joiner.join(ln.text for ln in c.title) or None,
        "company": c.printed_company,
        "department": p.department,
        "emails": list(p.emails),
        "phones": [ph.printed for ph in p.phones],
        "phone_labels": [ph.label for ph in p.phones],
        "websites": list(p.websites),
        "address": list(p.address_lines),
        "social": [s.printed for s in p.social],
    }
    if p.world:
        # the world cards' extra truth: what the real-card labels keep beside the fields
        printed["latin_name"] = p.latin_name or None
        printed["latin_company"] = p.latin_company or None
        printed["note"] = list(p.note_lines)
    record = {
        "image": image_name,
        "difficulty": plan.difficulty,
        "locale": p.locale,
        "region": p.region,
        "layout": rendered.layout,
        "dark": rendered.dark,
        "rotation": plan.rotation,
        "contact": person_contact(p).to_scan_dict(),
        "printed": printed,
        "lines": [ln.text for ln in rendered.lines],
        "qr": rendered.qr,
        "card_quad": [[round(float(x), 1), round(float(y), 1)] for x, y in quad],
        "image_size": [int(shape[1]), int(shape[0])],
        "card_size_in": [round(v, 3) for v in rendered.size_in],
        "background": shot.background,
        "hand": shot.hand,
        "glare": shot.glare,
        "effects": sorted(set(shot.effects)
                          | {k for k in ("small_text", "low_contrast") if rendered.extra.get(k)}),
        "min_text_pt": rendered.extra.get("min_pt"),
        "taken": plan.taken.isoformat() if plan.difficulty != "clean" or plan.fmt == "heic"
        else None,
    }
    if p.world:
        record["note"] = "\n".join(p.note_lines) or None
        record["latin_name"] = p.latin_name or None
        record["script"] = p.script
        record["vertical"] = p.vertical
    return record
