"""An existing contact book (vCard 3.0) in which some of the sample people already exist.

About six card people are in the book in an older state: an older title or company, a phone
in another format, a nickname instead of the given name, a missing email, plus extras that a
merge must keep (grouped EMAIL with X-ABLabel, X-SOCIALPROFILE, NOTE with newlines, BDAY, a
base64 PHOTO).  About nine other people are unrelated, among them two traps: a namesake of a
card person at another company, and a colleague of a card person who shares the company's
switchboard number.  ``book_truth.json`` records which book UID each card person matches.
"""

from __future__ import annotations

import base64
import io
import json
import random
import uuid
from pathlib import Path
from typing import Any

import nicknames
import phonenumbers
from PIL import Image, ImageDraw

from .locales import OLD_TITLES
from .people import Person, ascii_fold, make_person, slug

_NICK = nicknames.NickNamer()
VARIANTS = ("old_job", "old_title", "nickname", "no_email", "extras", "photo")


def _esc(value: str) -> str:
    return (value.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,")
            .replace(";", "\\;"))


def _fold(line: str) -> str:
    """Fold at 75 octets (RFC 6350 3.2), never inside a UTF-8 sequence."""
    out, cur, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > 75:
            out.append(cur)
            cur, size = " ", 1
        cur += ch
        size += n
    out.append(cur)
    return "\r\n".join(out)


def _uid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper()


def _phone_text(number: str, region: str, style: str) -> str:
    num = phonenumbers.parse(number, None)
    if style == "national":
        return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.NATIONAL)
    if style == "idd" and region != "US":
        intl = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        return "00" + intl[1:]
    return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _avatar(rng: random.Random) -> str:
    img = Image.new("RGB", (48, 48), tuple(rng.randint(120, 220) for _ in range(3)))
    d = ImageDraw.Draw(img)
    d.ellipse((14, 8, 34, 28), fill=(240, 220, 200))
    d.ellipse((6, 30, 42, 60), fill=(60, 70, 90))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=70)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _adr(p: Person) -> str | None:
    if not p.address:
        return None
    a = p.address
    street = ", ".join(x for x in (a.street, a.extended) if x)
    return ";".join(["", "", _esc(street), _esc(a.locality), _esc(a.region), _esc(a.postcode),
                     _esc(a.country)])


def _card(props: list[str]) -> str:
    return "\r\n".join(_fold(p) for p in ["BEGIN:VCARD", "VERSION:3.0", *props, "END:VCARD"])


def _entry(p: Person, rng: random.Random, uid: str, *, given: str | None = None,
           company: str | None = None, title: str | None = None,
           emails: list[str] | None = None, phones: list[tuple[str, str]] | None = None,
           extras: list[str] | None = None, rev: str = "2023-01-01T00:00:00Z",
           with_address: bool = True, websites: list[str] | None = None) -> str:
    given = given if given is not None else p.given
    fn = " ".join(x for x in (p.prefix, given, p.middle, p.family) if x)
    props = [f"PRODID:{rng.choice(('-//Apple Inc.//macOS 14.4//EN', '-//Google Inc.//EN'))}",
             f"N:{_esc(p.family)};{_esc(given)};{_esc(p.middle.rstrip('.'))};{_esc(p.prefix)};"
             f"{_esc(p.suffix)}",
             f"FN:{_esc(fn)}"]
    company = p.company if company is None else company
    if company:
        props.append(f"ORG:{_esc(company)};" + (_esc(p.department) if p.department else ""))
    title = p.title if title is None else title
    if title:
        props.append(f"TITLE:{_esc(title)}")
    for k, e in enumerate(p.emails if emails is None else emails):
        props.append(f"EMAIL;type=INTERNET;type=WORK{';type=pref' if k == 0 else ''}:{e}")
    if phones is None:
        phones = [(ph.type, _phone_text(ph.number, p.region, "international")) for ph in p.phones]
    kinds = {"work": "type=WORK;type=VOICE", "cell": "type=CELL;type=VOICE",
             "fax": "type=WORK;type=FAX", "home": "type=HOME;type=VOICE"}
    for k, (kind, text) in enumerate(phones):
        props.append(f"TEL;{kinds[kind]}{';type=pref' if k == 0 else ''}:{text}")
    adr = _adr(p) if with_address else None
    if adr:
        props += [f"item1.ADR;type=WORK;type=pref:{adr}", f"item1.X-ABADR:{p.region.lower()}"]
    for k, w in enumerate((p.websites if websites is None else websites)[:1]):
        url = w if w.startswith("http") else f"https://{w}"
        props += [f"item{k + 2}.URL;type=pref:{url}", f"item{k + 2}.X-ABLabel:_$!<HomePage>!$_"]
    props += extras or []
    props += [f"UID:{uid}", f"REV:{rev}"]
    return _card(props)


def _nickname(given: str) -> str | None:
    names = sorted(n for n in _NICK.nicknames_of(given.lower()) if len(n) >= 3)
    preferred = [n for n in names if n[0] == given[0].lower()]
    pick = (preferred or names or [None])[0]
    return pick.capitalize() if pick else None


def _extras(p: Person, rng: random.Random, *, photo: bool = False) -> list[str]:
    g, f = slug(p.given, p.lang), slug(p.family, p.lang)
    private = f"{g}.{f}{rng.randint(1, 99)}@{rng.choice(('gmail.com', 'gmx.de', 'outlook.com'))}"
    out = [f"item3.EMAIL;type=INTERNET:{private}", "item3.X-ABLabel:Private",
           f"X-SOCIALPROFILE;type=linkedin:https://www.linkedin.com/in/{g}-{f}",
           f"BDAY:{rng.randint(1960, 1998)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
           "NOTE:" + _esc(f"Met at {rng.choice(('CeBIT', 'Web Summit', 'SaaStr', 'Hannover Messe'))}"
                          f" {rng.randint(2016, 2022)}.\nPrefers calls in the morning.\n"
                          f"Assistant: {ascii_fold(make_person(f'{g}{f}:asst').given)}"),
           "CATEGORIES:Business,Customers"]
    if photo:
        out.append(f"PHOTO;ENCODING=b;TYPE=JPEG:{_avatar(rng)}")
    return out


def _matched(p: Person, variant: str, rng: random.Random, uid: str, seed: int) -> str:
    cell = next((ph for ph in p.phones if ph.type == "cell"), None)
    work = next((ph for ph in p.phones if ph.type == "work"), None)
    lang_titles = OLD_TITLES[p.lang]
    if variant == "old_job":
        other = make_person(f"{seed}:oldjob:{p.family}", p.locale)
        local = p.emails[0].split("@")[0] if p.emails else slug(p.given, p.lang)
        keep = cell or work
        phones = [(keep.type, _phone_text(keep.number, p.region, "national"))] if keep else []
        phones.append(("work", _phone_text(other.switchboard, p.region, "international")))
        return _entry(p, rng, uid, company=other.company, title=rng.choice(lang_titles),
                      emails=[f"{local}@{other.domain}"], phones=phones, with_address=False,
                      websites=[other.websites[0] if other.websites else f"www.{other.domain}"],
                      rev="2019-06-12T08:30:00Z",
                      extras=[f"NOTE:{_esc('Old job at ' + other.company)}"])
    if variant == "old_title":
        phones = [(ph.type, _phone_text(ph.number, p.region, "national")) for ph in p.phones
                  if ph.type != "fax"]
        return _entry(p, rng, uid, title=rng.choice(lang_titles), phones=phones,
                      rev="2021-02-03T10:00:00Z")
    if variant == "nickname":
        emails = [p.emails[0][0].upper() + p.emails[0][1:]] if p.emails else []
        return _entry(p, rng, uid, given=_nickname(p.given) or p.given, emails=emails,
                      rev="2022-09-20T14:12:00Z")
    if variant == "no_email":
        keep = [ph for ph in p.phones if ph.type in ("cell", "work")][:1]
        phones = [(ph.type, _phone_text(ph.number, p.region, "idd")) for ph in keep]
        return _entry(p, rng, uid, emails=[], phones=phones, with_address=False,
                      rev="2020-11-11T11:11:00Z")
    if variant == "extras":
        return _entry(p, rng, uid, extras=_extras(p, rng), rev="2022-05-05T09:00:00Z")
    # "photo": same data, phones spaced differently, a base64 PHOTO and a note
    phones = [(ph.type, _phone_text(ph.number, p.region, rng.choice(("national", "idd"))))
              for ph in p.phones]
    return _entry(p, rng, uid, phones=phones, extras=_extras(p, rng, photo=True)[2:],
                  rev="2023-04-01T16:45:00Z")


def _pick_matches(rng: random.Random, people: list[Person]) -> dict[int, str]:
    """card index -> variant, for about six card people."""
    order = list(range(len(people)))
    rng.shuffle(order)
    chosen: dict[int, str] = {}
    for variant in VARIANTS:
        for i in order:
            if i in chosen:
                continue
            p = people[i]
            if variant == "nickname" and not _nickname(p.given):
                continue
            if variant == "old_job" and not any(ph.type == "cell" for ph in p.phones):
                continue
            if variant == "no_email" and not p.phones:
                continue
            chosen[i] = variant
            break
    return chosen


def build_book(seed: int, plans: list[Any], extra_stems: list[str] | None = None
               ) -> tuple[str, dict[str, Any]]:
    """(vCard text, truth) for the card people in ``plans``; ``extra_stems`` are cards of
    people the book does not know (listed in the matches as new contacts)."""
    rng = random.Random(f"{seed}:book")
    people = [pl.person for pl in plans]
    stems = [pl.stem for pl in plans]
    chosen = _pick_matches(rng, people) if len(people) >= 8 else _pick_matches(rng, people[:2])
    cards: list[str] = []
    matches: dict[str, str | None] = {s: None for s in [*stems, *(extra_stems or [])]}
    variants: dict[str, str] = {}
    for i, variant in sorted(chosen.items()):
        uid = _uid(rng)
        cards.append(_matched(people[i], variant, rng, uid, seed))
        matches[stems[i]] = uid
        variants[stems[i]] = variant
    traps = []
    free = [i for i in range(len(people)) if i not in chosen]
    rng.shuffle(free)
    if free:  # a namesake: same name, other company, other email and phone
        i = free.pop()
        src = people[i]
        other = make_person(f"{seed}:namesake", src.locale)
        other.given, other.family, other.gender = src.given, src.family, src.gender
        other.prefix = other.suffix = other.middle = ""
        local = slug(src.given, src.lang) + "." + slug(src.family, src.lang)
        other.emails = [f"{local}@{other.domain}"]
        uid = _uid(rng)
        cards.append(_entry(other, rng, uid, rev="2022-01-15T12:00:00Z"))
        traps.append({"kind": "namesake", "uid": uid, "of": stems[i]})
    boarded = [i for i in free if any(ph.switchboard for ph in people[i].phones)]
    if free:  # a colleague who shares the switchboard number
        i = (boarded or free)[0]
        free.remove(i)
        src = people[i]
        mate = make_person(f"{seed}:colleague", src.locale)
        mate.company, mate.domain, mate.address, mate.websites = (src.company, src.domain,
                                                                  src.address, src.websites)
        mate.emails = [f"{slug(mate.given, mate.lang)}.{slug(mate.family, mate.lang)}@{src.domain}"]
        phones = [("work", _phone_text(src.switchboard, src.region, "international"))]
        phones += [("cell", _phone_text(ph.number, mate.region, "international"))
                   for ph in mate.phones if ph.type == "cell"]
        uid = _uid(rng)
        cards.append(_entry(mate, rng, uid, phones=phones, rev="2023-03-03T08:00:00Z"))
        traps.append({"kind": "colleague", "uid": uid, "of": stems[i],
                      "shared_phone": src.switchboard})
    for k in range(7):  # unrelated people, some with extras
        q = make_person(f"{seed}:book:{k}")
        uid = _uid(rng)
        extra = _extras(q, rng) if k % 3 == 0 else []
        if k == 5:  # a company-only entry
            cards.append(_card(["N:;;;;", f"FN:{_esc(q.company)}", f"ORG:{_esc(q.company)};",
                                f"TEL;type=WORK;type=VOICE:{q.switchboard}",
                                f"EMAIL;type=INTERNET;type=WORK:info@{q.domain}",
                                "X-ABShowAs:COMPANY", f"UID:{uid}",
                                "REV:2021-07-07T07:07:07Z"]))
            continue
        cards.append(_entry(q, rng, uid, extras=extra, rev=f"202{k % 4}-0{k + 1}-10T10:00:00Z"))
    rng.shuffle(cards)
    text = "\r\n".join(cards) + "\r\n"
    truth = {"seed": seed, "contacts": len(cards), "matches": matches, "variants": variants,
             "traps": traps}
    return text, truth


def write_book(out_dir: Path, seed: int, plans: list[Any], extra_stems: list[str] | None = None
               ) -> tuple[Path, Path]:
    text, truth = build_book(seed, plans, extra_stems)
    book = out_dir / "book.vcf"
    book.write_bytes(text.encode("utf-8"))
    tpath = out_dir / "book_truth.json"
    tpath.write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return book, tpath
