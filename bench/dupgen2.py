"""A second generator of contact duplicates, written apart from bench/bookgen.py so that
the match model is never scored only on the data its weights were set on.

Different processes from the first generator: people come from Faker in eight locales;
duplicates are made by one named process each (a job change that keeps only a personal
identifier, a nickname from a short list of its own, a second card of one person in the
same batch, a second scan of one card in the batch, name and company swapped, a middle
initial on one side, an e-mail misread by OCR, heavy OCR noise, diacritics dropped or
transcribed); traps are namesakes, colleagues and family members.  ``generate`` returns
the same shape as ``bookgen.generate``: book, incoming, truth (uid -> person) and kinds
(incoming uid -> 'dup-<process>' or the trap's name).
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field

from faker import Faker

from cardpipe.contact import Address, Contact, Email, Phone, Social

LOCALES = ["en_GB", "en_US", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_PT"]

#: a few diminutives, chosen here by hand (the matcher has its own tables)
NICKS = {"William": "Bill", "Robert": "Bob", "Katherine": "Kate", "Elizabeth": "Liz",
         "Alexander": "Sasha", "Margaret": "Peggy", "Richard": "Dick", "James": "Jim",
         "Thomas": "Tom", "Michael": "Mike", "Josef": "Sepp", "Johannes": "Hans",
         "Francisco": "Paco", "José": "Pepe", "Giuseppe": "Beppe", "Giovanni": "Gianni",
         "Cornelis": "Kees", "Emmanuel": "Manu", "Jennifer": "Jen", "Daniel": "Dan",
         "Christopher": "Chris", "Susanne": "Susi", "Andreas": "Andi", "Patricia": "Trish",
         "Nikolai": "Kolya", "Dolores": "Lola", "Manuel": "Manolo", "Friedrich": "Fritz"}
_OCR = [("m", "rn"), ("l", "1"), ("o", "0"), ("i", "l"), ("rn", "m"), ("e", "c")]
_WEBMAIL = ["gmail.com", "outlook.com", "yahoo.com", "gmx.de", "orange.fr", "libero.it"]


@dataclass
class Human:
    pid: int
    given: str
    family: str
    firm: int
    mobile: str | None
    personal: str | None
    handle: str | None
    middle: str | None = None


@dataclass
class Firm:
    name: str
    domain: str
    board: str
    address: Address
    staff: list[int] = field(default_factory=list)


@dataclass
class Dataset:
    book: list[Contact]
    incoming: list[Contact]
    truth: dict[str, int]
    kinds: dict[str, str]


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii())


def _local(given: str, family: str) -> str:
    return "".join(ch for ch in _fold(f"{given}.{family}").lower() if ch.isalnum() or ch == ".")


class World:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker(LOCALES)
        self.fake.seed_instance(seed)
        self.firms: list[Firm] = []
        self.people: list[Human] = []

    def firm(self) -> int:
        f = self.fake
        name = f.company()
        dom = "".join(ch for ch in _fold(name).lower() if ch.isalnum())[:18] + ".example"
        addr = Address(street=f.street_address(), postcode=f.postcode(), locality=f.city(),
                       type="work")
        board = f"+44 20 7{self.rng.randrange(10**6, 10**7 - 1)}"
        self.firms.append(Firm(name, dom, board, addr))
        return len(self.firms) - 1

    def human(self, given: str | None = None, family: str | None = None,
              firm: int | None = None) -> Human:
        rng, f = self.rng, self.fake
        if firm is None:
            firm = self.firm() if not self.firms or rng.random() < 0.2 else \
                rng.randrange(len(self.firms))
        given = given or f.first_name()
        family = family or f.last_name()
        mobile = f"+44 7{rng.randrange(10**8, 10**9 - 1)}" if rng.random() < 0.75 else None
        # an address or a handle is one person's: numbered by person, never shared
        pid = len(self.people)
        personal = (f"{_local(given, family)}{pid % 997}@{rng.choice(_WEBMAIL)}"
                    if rng.random() < 0.4 else None)
        handle = _local(given, family).replace(".", "-") + f"-{pid}" \
            if rng.random() < 0.3 else None
        h = Human(pid, given, family, firm, mobile, personal, handle)
        self.people.append(h)
        self.firms[firm].staff.append(h.pid)
        return h

    def card(self, h: Human, uid: str, firm: int | None = None) -> Contact:
        fm = self.firms[h.firm if firm is None else firm]
        emails = [Email(f"{_local(h.given, h.family)}@{fm.domain}", "work")]
        if h.personal and self.rng.random() < 0.6:
            emails.append(Email(h.personal, "home"))
        phones = [Phone(fm.board, "work")]
        if h.mobile:
            phones.append(Phone(h.mobile, "cell"))
        social = [Social("linkedin", h.handle)] if h.handle else []
        full = " ".join(p for p in (h.given, h.middle, h.family) if p)
        return Contact(full_name=full, given_name=h.given, family_name=h.family,
                       middle_name=h.middle, company=fm.name, emails=emails, phones=phones,
                       addresses=[fm.address], social=social, title=self.fake.job(), uid=uid)

    def ocr(self, text: str, n: int = 1) -> str:
        for _ in range(n):
            pairs = [(a, b) for a, b in _OCR if a in text]
            if not pairs:
                break
            a, b = self.rng.choice(pairs)
            i = text.find(a)
            text = text[:i] + b + text[i + len(a):]
        return text


def _replace_name(c: Contact, given: str, family: str, middle: str | None = None) -> Contact:
    full = " ".join(p for p in (given, middle, family) if p)
    return c.replace(full_name=full, given_name=given, family_name=family, middle_name=middle)


def _duplicate(w: World, h: Human, uid: str, process: str) -> Contact | None:
    """One card of ``h`` made by ``process``; None when ``h`` cannot show it."""
    rng = w.rng
    c = w.card(h, uid)
    if process == "job":
        keeps = [k for k, v in (("mobile", h.mobile), ("personal", h.personal),
                                ("handle", h.handle)) if v]
        if not keeps:
            return None
        kept = rng.choice(keeps)
        c = w.card(h, uid, firm=w.firm())
        emails = [e for e in c.emails if e.type == "work"]
        if kept == "personal" and h.personal:
            emails.append(Email(h.personal, "home"))
        phones = [p for p in c.phones if p.type != "cell" or kept == "mobile"]
        social = c.social if kept == "handle" else ()
        return c.replace(emails=emails, phones=phones, social=social)
    if process == "nickname":
        nick = NICKS.get(h.given)
        return _replace_name(c, nick, h.family) if nick else None
    if process == "swap":
        return c.replace(full_name=c.company, given_name=None, family_name=None,
                         company=f"{h.given} {h.family}")
    if process == "middle":
        return _replace_name(c, h.given, h.family, rng.choice("ABCDEJKLMRS") + ".")
    if process == "email_ocr":
        e = c.emails[0]
        local, dom = e.address.split("@")
        dom = dom.replace(".", "", 1) if rng.random() < 0.3 else dom
        return c.replace(emails=[Email(f"{w.ocr(local)}@{dom}", e.type), *c.emails[1:]])
    if process == "heavy_ocr":
        c = _replace_name(c, w.ocr(h.given), h.family)
        e = c.emails[0]
        return c.replace(emails=[Email(w.ocr(e.address, 2), e.type)], company=w.ocr(c.company))
    if process == "diacritics":
        g, f = _fold(h.given), _fold(h.family)
        if (g, f) == (h.given, h.family):
            return None
        return _replace_name(c, g, f)
    return c


_PROCESSES = ["job", "nickname", "swap", "middle", "email_ocr", "heavy_ocr", "diacritics"]


def generate(book_size: int, incoming: int, duplicates: float = 0.3,
             seed: int = 11) -> Dataset:
    w = World(seed)
    rng = w.rng
    book, truth = [], {}
    for i in range(book_size):
        h = w.human()
        uid = f"b{i}"
        book.append(w.card(h, uid))
        truth[uid] = h.pid
    inc: list[Contact] = []
    kinds: dict[str, str] = {}
    n_book = len(w.people)

    def add(c: Contact | None, pid: int, kind: str) -> bool:
        if c is None:
            return False
        inc.append(c)
        truth[c.uid or ""] = pid
        kinds[c.uid or ""] = kind
        return True

    with_nick = [p for p in range(n_book) if w.people[p].given in NICKS]
    while len(inc) < incoming:
        uid = f"i{len(inc)}"
        r = rng.random()
        if r < duplicates * 0.8:
            process = rng.choice(_PROCESSES)
            pool = with_nick if process == "nickname" and with_nick else None
            h = w.people[rng.choice(pool) if pool else rng.randrange(n_book)]
            add(_duplicate(w, h, uid, process), h.pid, f"dup-{process}")
        elif r < duplicates:
            h = w.human()
            add(w.card(h, uid), h.pid, "new")
            second = rng.random() < 0.5
            c = w.card(h, f"i{len(inc)}")
            if second:  # another card of theirs: another title, only the mobile or e-mail
                c = c.replace(phones=c.phones[1:] or c.phones)
            else:  # the same card scanned again: OCR noise in the name and the address
                c = _replace_name(c, w.ocr(h.given), h.family)
            add(c, h.pid, "dup-batch-second" if second else "dup-batch-rescan")
        elif r < duplicates + 0.15:
            t = w.people[rng.randrange(n_book)]
            h = w.human(given=t.given, family=t.family)
            add(w.card(h, uid), h.pid, "namesake")
        elif r < duplicates + 0.3:
            t = w.people[rng.randrange(n_book)]
            h = w.human(firm=t.firm)
            add(w.card(h, uid), h.pid, "colleague")
        elif r < duplicates + 0.42:
            t = w.people[rng.randrange(n_book)]
            h = w.human(family=t.family, firm=t.firm)
            h.personal = None
            add(w.card(h, uid), h.pid, "family")
        else:
            h = w.human()
            add(w.card(h, uid), h.pid, "new")
    return Dataset(book, inc[:incoming], truth, kinds)
