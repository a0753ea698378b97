"""Generate a contact book and a batch of incoming contacts with known duplicates.

Every contact carries its true person in ``truth[uid]``.  The incoming batch holds
duplicates of book people (OCR-like typos, nicknames, dropped diacritics, job
changes, other phone formats, missing fields), duplicates within the batch (a card
photographed twice) and traps that must stay apart: namesakes, near-namesakes,
colleagues sharing a company, domain, address and switchboard, and family members
sharing a family name, a home address and a home phone.

Faker provides names, companies, jobs and streets in several locales (seeded).
"""

from __future__ import annotations

import random
import string
import unicodedata
from dataclasses import dataclass, field

from faker import Faker
from nicknames import NickNamer
from rapidfuzz.distance import OSA

from cardpipe.contact import Address, Contact, Email, Phone, Social

LOCALES = {  # locale: (weight, country calling code, mobile prefixes, landline prefixes, tlds)
    "en_US": (0.34, "1", ["2125", "3105", "4155", "6175", "7735"], ["2124", "3104", "4154"], ["com"]),
    "en_GB": (0.14, "44", ["74", "75", "77", "78", "79"], ["20", "161", "121", "131"], ["co.uk", "com"]),
    "de_DE": (0.16, "49", ["151", "160", "170", "171", "176"], ["30", "40", "89", "221", "69"], ["de", "com"]),
    "fr_FR": (0.12, "33", ["6", "7"], ["1", "4", "3"], ["fr", "com"]),
    "es_ES": (0.08, "34", ["6", "7"], ["91", "93", "96"], ["es", "com"]),
    "it_IT": (0.08, "39", ["33", "34", "32"], ["02", "06", "011"], ["it", "com"]),
    "nl_NL": (0.08, "31", ["6"], ["20", "10", "30"], ["nl", "com"]),
}
FREE_DOMAINS = {
    "en_US": ["gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com"],
    "en_GB": ["gmail.com", "hotmail.co.uk", "yahoo.co.uk", "btinternet.com"],
    "de_DE": ["gmx.de", "web.de", "gmail.com", "t-online.de"],
    "fr_FR": ["orange.fr", "free.fr", "gmail.com", "laposte.net"],
    "es_ES": ["gmail.com", "hotmail.es", "yahoo.es"],
    "it_IT": ["libero.it", "gmail.com", "virgilio.it"],
    "nl_NL": ["gmail.com", "ziggo.nl", "hotmail.nl"],
}
# What OCR does to printed letters.
CONFUSIONS = [("rn", "m"), ("m", "rn"), ("l", "I"), ("I", "l"), ("i", "l"), ("l", "1"),
              ("o", "0"), ("O", "0"), ("e", "c"), ("c", "e"), ("a", "o"), ("u", "v"),
              ("h", "b"), ("n", "h"), ("t", "f"), ("S", "5"), ("B", "8"), ("cl", "d")]
GERMAN = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}


def ascii_fold(text: str) -> str:
    d = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in d if not unicodedata.combining(ch))


def slug(text: str) -> str:
    return "".join(ch for ch in ascii_fold(text).lower() if ch in string.ascii_lowercase)


@dataclass
class Company:
    name: str
    locale: str
    domain: str
    switchboard: str
    address: Address
    email_pattern: str
    members: list[int] = field(default_factory=list)


@dataclass
class Person:
    pid: int
    locale: str
    given: str
    family: str
    middle: str | None
    title: str
    company: int
    work_email: str | None
    personal_email: str | None
    mobile: str | None
    direct: str | None
    home_phone: str | None
    home: Address | None
    linkedin: str | None


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fakers = {}
        for i, loc in enumerate(LOCALES):
            f = Faker(loc)
            f.seed_instance(seed * 100 + i)
            self.fakers[loc] = f
        self.pools = {loc: self._pools(f) for loc, f in self.fakers.items()}
        self.nick = NickNamer()
        self.companies: list[Company] = []
        self.people: list[Person] = []
        self.used_numbers: set[str] = set()
        self.used_emails: set[str] = set()

    def _pools(self, f: Faker) -> dict[str, list[str]]:
        return {
            "given": [f.first_name() for _ in range(2500)],
            "family": [f.last_name() for _ in range(2500)],
            "job": [f.job() for _ in range(600)],
            "company": [f.company() for _ in range(3000)],
            "street": [f.street_address() for _ in range(3000)],
            "city": [f.city() for _ in range(500)],
            "postcode": [f.postcode() for _ in range(500)],
        }

    # -- atoms ----------------------------------------------------------------------
    def locale(self) -> str:
        locs = list(LOCALES)
        return self.rng.choices(locs, weights=[LOCALES[x][0] for x in locs])[0]

    def number(self, locale: str, mobile: bool) -> str:
        _, cc, mob, land, _ = LOCALES[locale]
        prefix = self.rng.choice(mob if mobile else land)
        total = 10 if cc == "1" else (9 if cc in ("33", "34", "31") else 10)
        while True:
            rest = "".join(self.rng.choice(string.digits) for _ in range(total - len(prefix)))
            num = f"+{cc}{prefix}{rest}"
            if num not in self.used_numbers:
                self.used_numbers.add(num)
                return num

    def address(self, locale: str) -> Address:
        p = self.pools[locale]
        return Address(street=self.rng.choice(p["street"]), locality=self.rng.choice(p["city"]),
                       postcode=self.rng.choice(p["postcode"]), type="work")

    def new_company(self, locale: str) -> int:
        name = self.rng.choice(self.pools[locale]["company"])
        tld = self.rng.choice(LOCALES[locale][4])
        base = slug(name.split(",")[0].split(" ")[0]) or "firma"
        domain = f"{base}{self.rng.randrange(10, 9999)}.{tld}"
        c = Company(name, locale, domain, self.number(locale, False), self.address(locale),
                    self.rng.choice(["first.last", "f.last", "firstl", "first", "last.first"]))
        self.companies.append(c)
        return len(self.companies) - 1

    def pick_company(self, locale: str) -> int:
        # Zipf-like company sizes: many small firms, a few large employers.
        if self.companies and self.rng.random() < 0.65:
            idx = int(len(self.companies) * (self.rng.random() ** 2))
            return min(idx, len(self.companies) - 1)
        return self.new_company(locale)

    def email_for(self, given: str, family: str, company: Company) -> str:
        g, f = slug(given), slug(family)
        local = {"first.last": f"{g}.{f}", "f.last": f"{g[:1]}.{f}", "firstl": f"{g}{f[:1]}",
                 "first": g, "last.first": f"{f}.{g}"}[company.email_pattern]
        email = f"{local}@{company.domain}"
        n = 2
        while email in self.used_emails:
            email = f"{local}{n}@{company.domain}"
            n += 1
        self.used_emails.add(email)
        return email

    def personal_email(self, given: str, family: str, locale: str) -> str:
        g, f = slug(given), slug(family)
        local = self.rng.choice([f"{g}.{f}", f"{g}{f}", f"{g[:1]}{f}", f"{f}.{g}"])
        dom = self.rng.choice(FREE_DOMAINS[locale])
        email = f"{local}{self.rng.randrange(1, 99)}@{dom}" if self.rng.random() < 0.6 else f"{local}@{dom}"
        while email in self.used_emails:
            email = f"{local}{self.rng.randrange(100, 9999)}@{dom}"
        self.used_emails.add(email)
        return email

    def near_name(self, other: Person) -> tuple[str, str]:
        """Another real name close to ``other``'s: Jon/John, Hall/Hill, Anna/Anne."""
        pools = self.pools[other.locale]
        if self.rng.random() < 0.5:
            close = sorted({f for f in pools["family"] if f != other.family
                            and OSA.distance(f.lower(), other.family.lower()) <= 2})
            if close:
                return other.given, self.rng.choice(close)
        close = sorted({g for g in pools["given"] if g != other.given
                        and OSA.distance(g.lower(), other.given.lower()) <= 2})
        if not close:
            close = sorted({g for g in pools["given"] if g[0] == other.given[0]} - {other.given})
        return (self.rng.choice(close) if close else other.given + "a"), other.family

    def relative_name(self, other: Person) -> str:
        """A given name for a family member: never the relative's own."""
        while True:
            given = self.rng.choice(self.pools[other.locale]["given"])
            if given != other.given:
                return given

    # -- people ---------------------------------------------------------------------
    def person(self, *, locale: str | None = None, given: str | None = None,
               family: str | None = None, company: int | None = None,
               home: Address | None = None, home_phone: str | None = None) -> Person:
        rng = self.rng
        loc = locale or self.locale()
        p = self.pools[loc]
        given = given or rng.choice(p["given"])
        family = family or rng.choice(p["family"])
        cidx = company if company is not None else self.pick_company(loc)
        comp = self.companies[cidx]
        person = Person(
            pid=len(self.people), locale=loc, given=given, family=family,
            middle=rng.choice(string.ascii_uppercase) if loc == "en_US" and rng.random() < 0.2 else None,
            title=rng.choice(p["job"]), company=cidx,
            work_email=self.email_for(given, family, comp) if rng.random() < 0.9 else None,
            personal_email=self.personal_email(given, family, loc) if rng.random() < 0.35 else None,
            mobile=self.number(loc, True) if rng.random() < 0.7 else None,
            direct=self.number(loc, False) if rng.random() < 0.45 else None,
            home_phone=home_phone, home=home,
            linkedin=f"{slug(given)}-{slug(family)}-{rng.randrange(1000, 99999)}" if rng.random() < 0.2 else None,
        )
        comp.members.append(person.pid)
        self.people.append(person)
        return person

    def contact(self, person: Person, uid: str) -> Contact:
        """The person as a clean contact record (what a book or a good card holds)."""
        comp = self.companies[person.company]
        emails = [Email(e, t) for e, t in ((person.work_email, "work"),
                                          (person.personal_email, "home")) if e]
        phones = []
        if person.mobile:
            phones.append(Phone(person.mobile, "cell", person.mobile))
        phones.append(Phone(person.direct or comp.switchboard, "work"))
        if person.home_phone:
            phones.append(Phone(person.home_phone, "home"))
        addresses = [comp.address] + ([person.home] if person.home else [])
        given = person.given + (f" {person.middle}." if person.middle else "")
        return Contact(
            full_name=f"{given} {person.family}", given_name=person.given,
            family_name=person.family, middle_name=f"{person.middle}." if person.middle else None,
            title=person.title, company=comp.name, emails=emails, phones=phones,
            websites=[f"https://www.{comp.domain}"], addresses=addresses,
            social=[Social("linkedin", person.linkedin)] if person.linkedin else [], uid=uid,
        )


# -- how a second card of the same person differs ------------------------------------


def ocr_typo(rng: random.Random, text: str) -> str:
    options = [(a, b) for a, b in CONFUSIONS if a in text]
    if not options:
        return text
    a, b = rng.choice(options)
    starts = [i for i in range(len(text)) if text.startswith(a, i)]
    i = rng.choice(starts)
    return text[:i] + b + text[i + len(a):]


def set_name(c: Contact, given: str | None, family: str | None) -> Contact:
    given = given if given is not None else c.given_name
    family = family if family is not None else c.family_name
    middle = f" {c.middle_name}" if c.middle_name else ""
    return c.replace(given_name=given, family_name=family,
                     full_name=" ".join(p for p in (f"{given or ''}{middle}", family or "") if p.strip()))


def variant(gen: Generator, c: Contact, person: Person, uid: str) -> tuple[Contact, list[str]]:
    """Another card of the same person, with one to three realistic differences."""
    rng = gen.rng
    kinds = rng.sample(["typo", "nickname", "diacritics", "job", "format", "missing", "title",
                        "case", "middle"], k=rng.choice([1, 1, 2, 2, 3]))
    c = c.replace(uid=uid)
    applied = []
    for kind in kinds:
        if kind == "typo":
            target = rng.choice(["family", "given", "email", "company"])
            if target == "family" and c.family_name:
                c = set_name(c, None, ocr_typo(rng, c.family_name))
            elif target == "given" and c.given_name:
                c = set_name(c, ocr_typo(rng, c.given_name), None)
            elif target == "email" and c.emails:
                e = c.emails[0]
                c = c.replace(emails=(Email(ocr_typo(rng, e.address), e.type), *c.emails[1:]))
            elif c.company:
                c = c.replace(company=ocr_typo(rng, c.company))
        elif kind == "nickname" and c.given_name:
            nicks = sorted(gen.nick.nicknames_of(c.given_name))
            if nicks:
                c = set_name(c, rng.choice(nicks).title(), None)
        elif kind == "diacritics":
            fam, giv = c.family_name or "", c.given_name or ""
            if rng.random() < 0.5:
                fam, giv = ascii_fold(fam), ascii_fold(giv)
            else:
                fam = "".join(GERMAN.get(ch, ch) for ch in fam)
                fam = ascii_fold(fam)
            c = set_name(c, giv, fam)
        elif kind == "job" and (person.mobile or person.personal_email):
            cidx = gen.pick_company(person.locale)
            comp = gen.companies[cidx]
            emails = [Email(gen.email_for(person.given, person.family, comp), "work")]
            if person.personal_email and rng.random() < 0.5:
                emails.append(Email(person.personal_email, "home"))
            phones = [Phone(comp.switchboard, "work")]
            if person.mobile:
                phones.insert(0, Phone(person.mobile, "cell"))
            elif not person.personal_email:
                continue
            if not person.mobile and all(e.address != person.personal_email for e in emails):
                emails.append(Email(person.personal_email, "home"))
            c = c.replace(company=comp.name, title=rng.choice(gen.pools[person.locale]["job"]),
                          emails=emails, phones=phones, addresses=[comp.address],
                          websites=[f"https://{comp.domain}"])
        elif kind == "format" and c.phones:
            p = c.phones[0]
            cc = LOCALES[person.locale][1]
            national = "0" + p.number[1 + len(cc):] if cc != "1" else p.number[2:]
            if rng.random() < 0.5:
                c = c.replace(phones=(Phone(national, "other", national), *c.phones[1:]))
            else:
                c = c.replace(phones=(Phone(p.number, "other", f"+{cc} {national[1:]}"), *c.phones[1:]))
        elif kind == "missing":
            what = rng.choice(["emails", "phones", "company", "addresses", "title", "websites"])
            c = c.replace(**{what: () if what in ("emails", "phones", "addresses", "websites") else None})
        elif kind == "title":
            c = c.replace(title=rng.choice(gen.pools[person.locale]["job"]))
        elif kind == "case" and c.family_name:
            c = set_name(c, None, c.family_name.upper())
        elif kind == "middle":
            c = c.replace(middle_name=None) if c.middle_name else c
            c = set_name(c, None, None)
        else:
            continue
        applied.append(kind)
    return c, applied


@dataclass
class Dataset:
    book: list[Contact]
    incoming: list[Contact]
    truth: dict[str, int]  # uid -> person id
    kinds: dict[str, str]  # incoming uid -> what it is (dup-book, dup-batch, namesake, ...)


def generate(book_size: int, incoming: int, duplicates: float = 0.3, seed: int = 7) -> Dataset:
    gen = Generator(seed)
    rng = gen.rng
    truth: dict[str, int] = {}
    kinds: dict[str, str] = {}
    book: list[Contact] = []

    def add_book(person: Person) -> None:
        uid = f"b{len(book)}"
        book.append(gen.contact(person, uid))
        truth[uid] = person.pid

    book_people: list[Person] = []
    while len(book) < book_size:
        r = rng.random()
        if book_people and r < 0.04:  # a namesake already in the book
            other = rng.choice(book_people)
            p = gen.person(locale=other.locale, given=other.given, family=other.family)
        elif book_people and r < 0.08:  # a family member: same name, home and home phone
            other = rng.choice(book_people)
            if other.home is None:
                other.home = gen.address(other.locale)
                other.home_phone = gen.number(other.locale, False)
                book[other.pid] = gen.contact(other, book[other.pid].uid)  # pid == index
            p = gen.person(locale=other.locale, given=gen.relative_name(other),
                           family=other.family, home=other.home, home_phone=other.home_phone)
        else:
            p = gen.person()
        book_people.append(p)
        add_book(p)

    inc: list[Contact] = []
    inc_people: list[tuple[Person, Contact]] = []
    n_dup_book = int(incoming * duplicates * 5 / 6)
    n_dup_batch = int(incoming * duplicates) - n_dup_book
    plan = ["dup-book"] * n_dup_book + ["dup-batch"] * n_dup_batch
    trap_kinds = ["new"] * 40 + ["namesake"] * 15 + ["near-namesake"] * 10 + ["colleague"] * 20 + ["family"] * 15
    plan += [rng.choice(trap_kinds) for _ in range(incoming - len(plan))]
    rng.shuffle(plan)
    for kind in plan:
        uid = f"i{len(inc)}"
        if kind == "dup-batch" and not inc_people:
            kind = "dup-book"
        if kind == "dup-book":
            person = rng.choice(book_people)
            c, applied = variant(gen, gen.contact(person, uid), person, uid)
            kind = "dup-book:" + "+".join(applied)
        elif kind == "dup-batch":
            person, first = rng.choice(inc_people)
            c, applied = variant(gen, first, person, uid)
            kind = "dup-batch:" + "+".join(applied)
        else:
            other = rng.choice(book_people)
            if kind == "namesake":
                person = gen.person(locale=other.locale, given=other.given, family=other.family)
            elif kind == "near-namesake":
                given, family = gen.near_name(other)
                person = gen.person(locale=other.locale, given=given, family=family,
                                    company=other.company if rng.random() < 0.5 else None)
            elif kind == "colleague":
                same_family = rng.random() < 0.2
                person = gen.person(locale=other.locale, company=other.company,
                                    family=other.family if same_family else None)
                person.direct = None  # on the switchboard
            elif kind == "family":
                if other.home is None:
                    other.home = gen.address(other.locale)
                    other.home_phone = gen.number(other.locale, False)
                person = gen.person(locale=other.locale, given=gen.relative_name(other),
                                    family=other.family, home=other.home,
                                    home_phone=other.home_phone)
            else:
                person = gen.person()
            c = gen.contact(person, uid)
            inc_people.append((person, c))
        inc.append(c)
        truth[uid] = person.pid
        kinds[uid] = kind
    return Dataset(book, inc, truth, kinds)


__all__ = ["Dataset", "generate"]
