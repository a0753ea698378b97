"""What goes on a card: the person's data turned into labelled text lines.

Decides the label style (T / Tel. / Phone / Büro / M / Mobile / Handy / Portable / F / Fax,
none, or an icon), the separators, which phones share a line, the email/web/social labels
and the name/company casing.  The printed ground truth is read back from these lines, so
it is exactly what the renderer draws.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .locales import EMAIL_LABELS, PHONE_LABELS, SWITCHBOARD_LABELS, WEB_LABELS
from .people import Person

ICONS = {"work": "☎", "cell": "✆", "fax": "☎", "email": "✉", "web": "⊕", "address": "⌂"}


@dataclass
class Seg:
    text: str
    role: str = "value"  # value | label | sep | icon | badge
    style: str = ""  # "" = the line's style; bold | italic | regular | light


@dataclass
class TLine:
    segs: list[Seg]
    field: str  # name | title | dept | company | tagline | note | phone | email | web | address |
    #             social
    size: float  # points
    family: str = "body"  # body | head
    style: str = "regular"
    color: str = "text"  # text | accent | muted
    tracking: float = 0.0  # extra space between characters, in em
    gap: float = 0.0  # extra space before the line, in line heights

    @property
    def text(self) -> str:
        """The printed text of the line (icons and badges are pictures, not text)."""
        return "".join(s.text for s in self.segs if s.role not in ("icon", "badge")).strip()


@dataclass
class Content:
    name: list[TLine]
    title: list[TLine]
    company: list[TLine]
    contact: list[TLine]  # phones, emails, websites
    address: list[TLine]
    social: list[TLine]
    extra: list[TLine] = field(default_factory=list)  # department, tagline
    printed_name: str = ""
    printed_company: str = ""
    phone_labels: list[str] = field(default_factory=list)


def _label_for(rng: random.Random, lang: str, kind: str, scheme: str, board: bool) -> str:
    if board and scheme == "long":
        return SWITCHBOARD_LABELS[lang]
    short, long_ = PHONE_LABELS[lang][kind]
    return rng.choice(short if scheme == "short" else long_)


def build(person: Person, rng: random.Random, *, body_pt: float, name_pt: float,
          company_pt: float) -> Content:
    lang = person.lang if rng.random() < 0.7 else "en"
    scheme = rng.choice(("short", "short", "long", "long", "long", "none", "icon"))
    if scheme == "short":
        sep = rng.choice((" ", " ", ": ", ". ", " | ", "  "))
    elif scheme == "long":
        sep = rng.choice((": ", ": ", " ", " | ", " – "))
    else:
        sep = " "
    label_style = rng.choice(("bold", "regular", "regular", "accent"))
    # Same-type phones need a label to tell them apart; "none" only when types are distinct.
    kinds = [p.type for p in person.phones]
    if scheme == "none" and len(set(kinds)) != len(kinds):
        scheme = "long"
        sep = ": "

    def labelled(label: str, value: str, icon_kind: str) -> list[Seg]:
        if scheme == "icon":
            return [Seg(ICONS[icon_kind] + " ", "icon"), Seg(value)]
        if scheme == "none" or not label:
            return [Seg(value)]
        style = "bold" if label_style == "bold" else ""
        role = "label" if label_style != "accent" else "label_accent"
        return [Seg(label, role, style), Seg(sep, "sep"), Seg(value)]

    contact: list[TLine] = []
    phone_segs: list[list[Seg]] = []
    labels = []
    for ph in person.phones:
        board = ph.switchboard and sum(1 for p in person.phones if p.type == "work") > 1
        label = "" if scheme in ("none", "icon") else _label_for(rng, lang, ph.type, scheme, board)
        if scheme in ("none", "icon") and ph.type == "fax":
            label = "Fax"  # nobody prints an unlabelled fax, and there is no fax icon
            phone_segs.append([Seg(label, "label"), Seg(" ", "sep"), Seg(ph.printed)])
        else:
            phone_segs.append(labelled(label, ph.printed, ph.type))
        ph.label = label
        labels.append(label)
    joiner = rng.choice(("  |  ", "  /  ", "   ", "  ·  "))
    i = 0
    while i < len(phone_segs):
        if i + 1 < len(phone_segs) and rng.random() < 0.3 and scheme != "none":
            segs = phone_segs[i] + [Seg(joiner, "sep")] + phone_segs[i + 1]
            i += 2
        else:
            segs = phone_segs[i]
            i += 1
        contact.append(TLine(segs, "phone", body_pt))
    email_label = rng.choice(EMAIL_LABELS[lang]) if scheme == "long" else "E"
    web_label = rng.choice(WEB_LABELS[lang]) if scheme == "long" else "W"
    for email in person.emails:
        lbl = "" if rng.random() < 0.4 else email_label
        contact.append(TLine(labelled(lbl, email, "email"), "email", body_pt))
    for web in person.websites:
        lbl = "" if rng.random() < 0.5 else web_label
        contact.append(TLine(labelled(lbl, web, "web"), "web", body_pt))

    address = []
    icon_addr = scheme == "icon" and rng.random() < 0.5
    for j, text in enumerate(person.address_lines):
        segs = [Seg(ICONS["address"] + " ", "icon")] if icon_addr and j == 0 else []
        if person.address_label and j == 0:  # "Head Office: " on a card with two offices
            segs.append(Seg(person.address_label, "label"))
        address.append(TLine(segs + [Seg(text)], "address", body_pt * rng.choice((1.0, 0.95))))

    social = []
    for s in person.social:
        if s.label == "icon":
            segs = [Seg(s.service, "badge"), Seg(s.printed)]
        elif s.label:
            segs = [Seg(s.label, "label"), Seg(rng.choice((": ", " ", " | ")), "sep"),
                    Seg(s.printed)]
        else:
            segs = [Seg(s.printed)]
        social.append(TLine(segs, "social", body_pt * 0.95))

    name_text = person.printed_name
    if not person.family_first and rng.random() < 0.15 or person.all_caps:
        name_text = name_text.upper()
    name = [TLine([Seg(name_text)], "name", name_pt, "head", rng.choice(("bold", "bold",
                                                                          "regular")))]
    if person.latin_name:  # a two-script card: the Latin name under the CJK one
        name.append(TLine([Seg(person.latin_name)], "name", name_pt * 0.62, "head", "regular",
                          "muted"))
    title = [TLine([Seg(t)], "title", body_pt * rng.uniform(1.0, 1.15), "body",
                   rng.choice(("regular", "italic", "regular", "light")),
                   rng.choice(("text", "muted", "accent"))) for t in person.title_lines]
    company_text = person.company
    tracking = 0.0
    if rng.random() < 0.25 or person.all_caps:
        company_text = company_text.upper()
        tracking = rng.choice((0.0, 0.08, 0.15))
    company = [TLine([Seg(company_text)], "company", company_pt, "head",
                     rng.choice(("bold", "bold", "regular")), rng.choice(("accent", "text")),
                     tracking)]
    if person.latin_company:
        company.append(TLine([Seg(person.latin_company)], "company", company_pt * 0.6, "body",
                             "regular", company[0].color))
    extra = []
    if person.department:
        extra.append(TLine([Seg(person.department)], "dept", body_pt, "body", "regular", "muted"))
    if person.tagline:
        extra.append(TLine([Seg(person.tagline)], "tagline", body_pt * 0.9, "body", "italic",
                           "muted"))
    for note in person.note_lines:  # services and other offices (the tagline is above)
        if note != person.tagline:
            extra.append(TLine([Seg(note)], "note", body_pt * 0.9, "body", "regular", "muted"))
    return Content(name, title, company, contact, address, social, extra, name_text,
                   company_text, labels)
