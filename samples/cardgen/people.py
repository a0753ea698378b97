"""Fake people for the cards: names, titles, companies, phones, emails, addresses, socials.

Everything is drawn from a ``random.Random`` and a seeded Faker, so a seed gives the same
person.  Phones are random digits behind real-looking prefixes, kept only when
``phonenumbers.is_valid_number`` accepts them for the region; their printed form is checked
to parse back to the same number.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field

import phonenumbers
from faker import Faker
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from .locales import (
    COMPANY_WORDS,
    COUNTRIES,
    DEPARTMENTS,
    LEGAL_SUFFIXES,
    LOCALES,
    NAME_PREFIXES,
    NAME_SUFFIXES,
    PHONE_PREFIXES,
    TAGLINES,
    TITLES,
    TLDS,
    WORD_FIRST,
)

_GERMAN = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}


def ascii_fold(text: str, lang: str = "en") -> str:
    if lang == "de":
        text = "".join(_GERMAN.get(ch, ch) for ch in text)
    text = text.replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ord(ch) < 128)


def slug(text: str, lang: str = "en", sep: str = "") -> str:
    words = re.findall(r"[a-z0-9]+", ascii_fold(text, lang).lower())
    return sep.join(words)


@dataclass
class PhoneEntry:
    number: str  # E.164
    type: str  # work | cell | fax
    printed: str = ""
    label: str = ""
    switchboard: bool = False


@dataclass
class SocialEntry:
    service: str
    handle: str
    printed: str
    label: str = ""  # "" (none), a word, or "icon"


@dataclass
class AddressParts:
    street: str
    locality: str
    postcode: str
    region: str = ""
    country: str = ""  # only when printed
    extended: str = ""


@dataclass
class Person:
    locale: str
    region: str
    lang: str
    gender: str
    given: str
    family: str
    middle: str = ""
    prefix: str = ""
    suffix: str = ""
    family_first: bool = False
    title_lines: list[str] = field(default_factory=list)
    department: str | None = None
    company: str = ""
    company_core: str = ""
    domain: str = ""
    phones: list[PhoneEntry] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    websites: list[str] = field(default_factory=list)
    address: AddressParts | None = None
    address_lines: list[str] = field(default_factory=list)
    social: list[SocialEntry] = field(default_factory=list)
    tagline: str | None = None
    switchboard: str = ""  # the company's main number (E.164)
    # -- the world conventions (cardgen.world); the defaults are the classic cards --------
    script: str = "latin"  # latin | vi | ja | ko | zh | zh-Hant
    title_joiner: str = " "  # ", " when the title lines are a title and a department
    latin_name: str = ""  # the Latin name printed under a CJK one
    latin_company: str = ""  # the company's Latin name printed under a CJK one
    note_lines: list[str] = field(default_factory=list)  # services, tagline, other offices
    vertical: bool = False  # CJK text set in columns, top to bottom, right to left
    all_caps: bool = False  # the name and company printed in capitals
    address_label: str = ""  # "Head Office: " before the address
    world: bool = False  # drawn by cardgen.world (its truth has "note" and "latin_name")

    @property
    def full_name(self) -> str:
        """The name in natural order, with a printed academic prefix/suffix."""
        if self.script == "vi":  # Vietnamese: family, middle, given
            return " ".join(p for p in (self.family, self.middle, self.given) if p)
        if self.script in ("ja", "ko", "zh", "zh-Hant"):
            # CJK names print family first, with a space (ja) or none (ko, zh)
            return f"{self.family}{' ' if self.script == 'ja' else ''}{self.given}"
        core = " ".join(p for p in (self.given, self.middle, self.family) if p)
        if self.prefix:
            core = f"{self.prefix} {core}"
        if self.suffix:
            core = f"{core}, {self.suffix}"
        return core

    @property
    def printed_name(self) -> str:
        if self.family_first:
            return f"{self.family.upper()} {self.given}"
        return self.full_name

    @property
    def title(self) -> str | None:
        return self.title_joiner.join(self.title_lines) if self.title_lines else None


# -- phones --------------------------------------------------------------------------


def random_phone(rng: random.Random, region: str, kind: str) -> phonenumbers.PhoneNumber:
    """A valid random number of ``kind`` ("fixed" or "mobile") for ``region``."""
    wanted = {
        "fixed": {PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE},
        "mobile": {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE},
    }[kind]
    ptype = PhoneNumberType.FIXED_LINE if kind == "fixed" else PhoneNumberType.MOBILE
    example = phonenumbers.example_number_for_type(region, ptype)
    length = len(phonenumbers.national_significant_number(example))
    cc = phonenumbers.country_code_for_region(region)
    prefixes = PHONE_PREFIXES[region][kind] if region in PHONE_PREFIXES else \
        _example_prefixes(region, ptype)
    for _ in range(500):
        prefix = rng.choice(prefixes)
        n = length
        if region == "DE":
            n = rng.choice((10, 10, 11, 9)) if kind == "fixed" else len(prefix) + rng.choice((7, 8))
        rest = "".join(str(rng.randint(0, 9)) for _ in range(max(0, n - len(prefix))))
        if rest and rest[0] in "01":
            continue
        nsn = prefix + rest
        try:
            num = phonenumbers.parse(f"+{cc}{nsn}", None)
        except phonenumbers.NumberParseException:
            continue
        # countries that share a calling code (+1: US and CA) need the number of this one
        # (the hand-picked prefixes of the classic regions are theirs already)
        if region not in PHONE_PREFIXES and not phonenumbers.is_valid_number_for_region(
                num, region):
            continue
        if phonenumbers.is_valid_number(num) and phonenumbers.number_type(num) in wanted:
            return num
    raise RuntimeError(f"could not draw a valid {kind} number for {region}")


def _example_prefixes(region: str, ptype: int) -> tuple[str, ...]:
    """Starts of real numbers of ``ptype`` in ``region``: the first two and three digits of
    phonenumbers' example number (for regions without a hand-picked list)."""
    nsn = phonenumbers.national_significant_number(
        phonenumbers.example_number_for_type(region, ptype))
    return (nsn[:2], nsn[:3])


PHONE_STYLES = ("international", "national", "trunk", "dots", "dashes", "compact", "slash")


def format_phone(num: phonenumbers.PhoneNumber, style: str, region: str) -> str:
    """The number as a card would print it in ``style``; always parses back to ``num``."""
    intl = phonenumbers.format_number(num, PhoneNumberFormat.INTERNATIONAL)
    national = phonenumbers.format_number(num, PhoneNumberFormat.NATIONAL)
    cc = f"+{num.country_code}"
    rest = intl[len(cc):].strip().replace("-", " ")
    if style == "national":
        text = national
    elif style == "trunk" and region in ("DE", "GB", "NL", "FR"):
        text = f"{cc} (0){rest}" if region == "GB" else f"{cc} (0) {rest}"
    elif style == "dots":
        text = f"{cc} {rest.replace(' ', '.')}" if region != "US" else national.replace(
            "(", "").replace(") ", ".").replace("-", ".")
    elif style == "dashes":
        text = f"{cc}-{rest.replace(' ', '-')}" if region != "US" else national.replace(
            "(", "").replace(") ", "-")
    elif style == "compact":
        text = phonenumbers.format_number(num, PhoneNumberFormat.E164)
    elif style == "slash" and region == "DE":
        parts = national.split(" ", 1)
        text = f"{parts[0]} / {parts[1]}" if len(parts) == 2 else national
    elif style == "trunk" and region == "US":
        text = f"+1 ({national[1:4]}) {national[6:]}"
    else:
        text = intl if region != "US" else f"+1 {rest.replace('-', ' ')}"
    try:
        back = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        back = None
    if back is None or (back.country_code, back.national_number) != (
        num.country_code, num.national_number
    ):
        text = intl
    return text


def e164(num: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(num, PhoneNumberFormat.E164)


def fax_of(rng: random.Random, num: phonenumbers.PhoneNumber) -> phonenumbers.PhoneNumber:
    """A fax beside a landline: same number with the last digits changed, if still valid."""
    nsn = phonenumbers.national_significant_number(num)
    for _ in range(50):
        tail = str(rng.randint(0, 99)).zfill(2)
        cand = phonenumbers.parse(f"+{num.country_code}{nsn[:-2]}{tail}", None)
        if phonenumbers.is_valid_number(cand) and cand != num:
            return cand
    return num


# -- people ----------------------------------------------------------------------------


def _title(rng: random.Random, lang: str, gender: str) -> list[str]:
    choice = rng.choice(TITLES[lang])
    text = choice if isinstance(choice, str) else choice[gender == "f"]
    if len(text) > 24 and rng.random() < 0.55:
        for sep in (", ", " & ", " and ", " of ", " du ", " de ", " und ", " Forschung"):
            i = text.find(sep)
            if i > 4:
                cut = i + (1 if sep == ", " else 0)
                first, second = text[:cut].strip(), text[cut:].strip()
                if second:
                    return [first, second]
        words = text.split()
        mid = len(words) // 2
        return [" ".join(words[:mid]), " ".join(words[mid:])]
    return [text]


def _company(rng: random.Random, fake: Faker, region: str, lang: str) -> tuple[str, str]:
    """(company name with legal suffix, core name used for the domain)."""
    suffixes = LEGAL_SUFFIXES[region]
    roll = rng.random()
    if roll < 0.4:
        word = rng.choice(COMPANY_WORDS[lang])
        last = fake.last_name()
        core = f"{word} {last}" if lang in WORD_FIRST else f"{last} {word}"
    elif roll < 0.6:
        a, b = fake.last_name(), fake.last_name()
        core = f"{a} & {b}" if a != b else a
    elif roll < 0.8:
        core = fake.last_name() + rng.choice(("", "tec", "soft", "via", "nova", "ix"))
        core = core + " " + rng.choice(COMPANY_WORDS[lang]) if rng.random() < 0.5 else core
    elif lang == "en":
        core = re.sub(r"[,\s]+(Ltd|PLC|Inc|LLC|Group|Corp)\.?$", "", fake.company())
    else:
        core = f"{fake.last_name()} {rng.choice(COMPANY_WORDS[lang])}"
    core = core.strip(" ,")
    if any(core.endswith(s) for s in suffixes):
        return core, core
    return f"{core} {rng.choice(suffixes)}", core


def _address(rng: random.Random, fake: Faker, region: str) -> tuple[AddressParts, list[str]]:
    street = fake.street_address().strip()
    extended = ""
    if "\n" in street:  # en_GB "Studio 6\nNeil Oval"
        extended, street = (s.strip() for s in street.split("\n", 1))
    city, postcode = fake.city(), fake.postcode()
    state = ""
    if region == "US":
        state = fake.state_abbr(include_territories=False)
    elif region == "IT" and rng.random() < 0.6:
        state = fake.state_abbr() if hasattr(fake, "state_abbr") else ""
    country = ""
    if rng.random() < 0.35:
        country = rng.choice(COUNTRIES[region])
    if region == "US":
        city_line = f"{city}, {state} {postcode}"
    elif region == "GB":
        city_line = f"{city} {postcode}" if rng.random() < 0.5 else f"{city}, {postcode}"
    elif region == "IT" and state:
        city_line = f"{postcode} {city} ({state})"
    else:
        city_line = f"{postcode} {city}"
    if region == "US" and " Suite " in street and rng.random() < 0.5:
        street = street.replace(" Suite ", ", Suite ")
    lines = ([extended] if extended else []) + [street, city_line] + ([country] if country else [])
    parts = AddressParts(street, city, postcode, state, country, extended)
    if rng.random() < 0.3 and len(lines) <= 3:
        sep = rng.choice((" · ", ", ", " | ", " • "))
        return parts, [sep.join(lines)]
    if len(lines) == 2 and not extended and rng.random() < 0.25:
        floor = {"US": "Floor 3", "GB": "2nd Floor", "DE": "2. OG", "FR": "Bâtiment B",
                 "ES": "Planta 4", "IT": "Scala B", "NL": "3e etage"}[region]
        parts.extended = floor
        lines = [f"{street}, {floor}", city_line]
    return parts, lines


def _email_local(rng: random.Random, given: str, family: str, lang: str) -> str:
    g, f = slug(given, lang), slug(family, lang)
    style = rng.choice(("g.f", "g.f", "gf1", "g", "f", "g_f", "g-f", "g1.f"))
    return {"g.f": f"{g}.{f}", "gf1": f"{g[0]}{f}", "g": g, "f": f, "g_f": f"{g}_{f}",
            "g-f": f"{g}-{f}", "g1.f": f"{g[0]}.{f}"}[style]


def _social(rng: random.Random, given: str, family: str, lang: str, region: str
            ) -> list[SocialEntry]:
    g, f = slug(given, lang), slug(family, lang)
    services = ["linkedin", "twitter", "github", "instagram"] + (["xing"] if region == "DE" else [])
    n = rng.choice((1, 1, 1, 2, 2, 3))
    out = []
    for service in rng.sample(services, min(n, len(services))):
        label = rng.choice(("", "word", "icon", "icon"))
        if service == "linkedin":
            handle = rng.choice((f"{g}-{f}", f"{g}{f}", f"{g}-{f}-{rng.randrange(16**6):06x}"))
            printed = rng.choice((f"linkedin.com/in/{handle}", f"www.linkedin.com/in/{handle}",
                                  f"/in/{handle}"))
            word = "LinkedIn"
        elif service == "twitter":
            handle = rng.choice((f"{g[0]}{f}", f"{g}_{f}", f"{g}{f}{rng.randint(1, 99)}"))[:15]
            printed = rng.choice((f"@{handle}", f"@{handle}", f"x.com/{handle}"))
            word = rng.choice(("X", "Twitter"))
        elif service == "github":
            handle = rng.choice((f"{g[0]}{f}", f"{g}-{f}", f"{g}{f}"))
            printed = rng.choice((f"github.com/{handle}", f"@{handle}"))
            word = "GitHub"
        elif service == "instagram":
            handle = rng.choice((f"{g}.{f}", f"{g}_{f}", f"{g}{f}.studio"))
            printed = rng.choice((f"@{handle}", f"instagram.com/{handle}"))
            word = "Instagram"
        else:
            handle = f"{ascii_fold(given, lang)}_{ascii_fold(family, lang)}".replace(" ", "")
            printed = f"xing.com/profile/{handle}"
            word = "XING"
        if printed.startswith("@") and label == "":
            label = "word"  # a bare @handle names its service
        out.append(SocialEntry(service, handle, printed,
                               word if label == "word" else ("icon" if label == "icon" else "")))
    return out


def make_person(seed_text: str, locale: str | None = None, *, social: bool | None = None
                ) -> Person:
    """A person drawn from the string seed ``seed_text`` (optionally in ``locale``)."""
    if locale is not None and locale not in LOCALES:
        from .world import make_world_person  # the world builder imports this module

        return make_world_person(seed_text, locale, social=social)
    rng = random.Random(seed_text)
    if locale is None:
        names = list(LOCALES)
        locale = rng.choices(names, weights=[LOCALES[n][2] for n in names])[0]
    region, lang, _w = LOCALES[locale]
    fake = Faker(locale)
    fake.seed_instance(rng.getrandbits(32))
    if locale == "it_IT":
        # Faker builds it_IT's city list from a set, so its order (and the city a seed
        # draws) changed with the process's hash seed: sorted, a seed gives one city
        for provider in fake.providers:
            if isinstance(getattr(provider, "cities", None), list):
                provider.cities = sorted(provider.cities)
    gender = rng.choice("mf")
    given = fake.first_name_male() if gender == "m" else fake.first_name_female()
    family = fake.last_name()
    p = Person(locale, region, lang, gender, given, family)
    if region == "US" and rng.random() < 0.2:
        p.middle = rng.choice("ABCDEFGHJKLMNPRSTW") + "."
    if rng.random() < 0.12:
        p.family_first = True
    elif rng.random() < 0.13:
        prefixes = NAME_PREFIXES[region]
        if region == "IT":
            prefixes = tuple(x for x in prefixes if x.endswith("ssa") == (gender == "f"))
        p.prefix = rng.choice(prefixes)
    elif region in NAME_SUFFIXES and rng.random() < 0.06:
        p.suffix = rng.choice(NAME_SUFFIXES[region])
    p.title_lines = _title(rng, lang, gender)
    if rng.random() < 0.15:
        p.department = rng.choice(DEPARTMENTS[lang])
    p.company, p.company_core = _company(rng, fake, region, lang)
    domain_core = slug(p.company_core, lang, sep=rng.choice(("", "", "-")))[:24].strip("-")
    p.domain = f"{domain_core}.{rng.choice(TLDS[region])}"
    if rng.random() < 0.15:
        p.tagline = rng.choice(TAGLINES[lang])

    # phones
    style = rng.choice(PHONE_STYLES)
    board = random_phone(rng, region, "fixed")
    p.switchboard = e164(board)
    has_direct = rng.random() < 0.25
    work = random_phone(rng, region, "fixed") if has_direct else board
    kinds = rng.choice((("work", "cell"), ("work", "cell"), ("work",), ("cell",),
                        ("work", "cell", "fax"), ("work", "fax")))
    for kind in kinds:
        if kind == "work":
            p.phones.append(PhoneEntry(e164(work), "work", format_phone(work, style, region),
                                       switchboard=not has_direct))
            if has_direct and rng.random() < 0.5:
                p.phones.append(PhoneEntry(e164(board), "work", format_phone(board, style, region),
                                           switchboard=True))
        elif kind == "cell":
            cell = random_phone(rng, region, "mobile")
            p.phones.append(PhoneEntry(e164(cell), "cell", format_phone(cell, style, region)))
        else:
            fax = fax_of(rng, board)
            if e164(fax) != p.switchboard:
                p.phones.append(PhoneEntry(e164(fax), "fax", format_phone(fax, style, region)))

    # emails, web
    p.emails.append(f"{_email_local(rng, given, family, lang)}@{p.domain}")
    if rng.random() < 0.12:
        p.emails.append(f"{rng.choice(('info', 'sales', 'office', 'contact', 'hello'))}@{p.domain}")
    if rng.random() < 0.85:
        p.websites.append(rng.choice((f"www.{p.domain}", f"www.{p.domain}", p.domain,
                                      f"https://www.{p.domain}", f"https://{p.domain}")))
    if rng.random() < 0.85:
        p.address, p.address_lines = _address(rng, fake, region)
    if social if social is not None else rng.random() < 0.4:
        p.social = _social(rng, given, family, lang, region)
    return p
