"""Emails, websites and social profiles, with the OCR confusions repaired.

OCR reads ``@`` as ``©``/``®``/``(at)``, ``.`` as ``,``, puts spaces around dots and
confuses ``rn``/``m`` and ``0``/``o``.  Each detector matches a pattern tolerant of
those slips on the raw text, then normalises what it matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from ..contact import fold, normalize_website
from .company import letters_digits, registrable_label
from .lexicon import (
    COMMON_TLDS,
    FIELD_LABELS,
    SHARED_MAILBOXES,
    given_names,
    is_country,
    known_tld,
    tld_region,
)
from .segments import Segment

_AT = r"(?:@|©|®|\(at\)|\[at\]|\{at\}|\s\(at\)\s|\sat\s(?=[\w-]+\s*[.,]\s*[a-z]))"
# (a comma between two characters of a local part is a dot OCR misread: 'a,jones@')
# ('!' inside is an 'l': 'chery!-kennedy@')
_LOCAL = r"[A-Za-z0-9](?:[A-Za-z0-9._%+'\-]|,(?=[A-Za-z0-9])|!(?=[A-Za-z0-9._\-]))*"
# the local part, maybe cut by OCR at a dot ('christie. nguyen', 'anna .schmidt')
_FULL_LOCAL = (rf"(?P<initial>[A-Za-z0-9][A-Za-z0-9_%+'\-]*\.\s)?{_LOCAL}"
               r"(?:\s[._\-][A-Za-z0-9._%+'\-]+)?")
_LABEL = r"[A-Za-z0-9ÄÖÜäöüß](?:[A-Za-z0-9ÄÖÜäöüß\-]*[A-Za-z0-9ÄÖÜäöüß])?"
_DOT = r"(?:\s?\.\s?|,(?=\S))"  # a dot, maybe with a space read next to it, or a comma
EMAIL_RE = re.compile(
    rf"(?<![\w.@])(?P<local>{_FULL_LOCAL})"
    rf"(?P<gap>\s?){_AT}\s?"
    rf"(?P<domain>{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}(?P<tld>[A-Za-z0-9]{{2,12}}))"
    r"(?![\w@])",
    re.IGNORECASE,
)
# 'https://' as OCR reads it: 'hetps://', 'heeps:', 'http;//', 'https:/' (a slash lost)
_SCHEME = r"(?:(?:https?|hxxps?|h[a-z]{1,3}ps)\s?[:;.]?\s?/\s?/?\s?)"
# 'www.' as OCR reads it: 'Wwww.', 'ww.', 'vww.', 'wvw.', 'weww.', 'Avww.' (the second
# slash and the first w run together), 'twww.' (an icon or the slash read as a letter)
_WWW = r"(?:w{2,4}\d?|[vw]{3}|Avww|w[a-z]ww|ww[a-z]w|[a-z]www)"
# where a URL starts: not inside a word, an email or a path; after a scheme OCR garbled
# beyond recognition ('hi ttps://www.acme.de') is fine
_URL_START = r"(?:(?<![\w@./-])|(?<=[a-z]:/)|(?<=://))"
WEB_STRICT_RE = re.compile(
    # (a 'W.' label glued to a bare domain is the label: domains are printed in lower case)
    rf"{_URL_START}(?:(?-i:W)\.(?=[a-z0-9]))?(?P<url>{_SCHEME}?(?:{_WWW}[.,])?"
    rf"(?P<host>{_LABEL}(?:[.,]{_LABEL})*[.,](?P<tld>[A-Za-z]{{2,12}}))"
    r"(?P<path>/[^\s,;]*)?)(?![\w@-])",
    re.IGNORECASE,
)
# With spaces around the dots: only when it starts with a scheme or www.
WEB_LOOSE_RE = re.compile(
    rf"{_URL_START}(?P<url>(?:{_SCHEME}(?:{_WWW}{_DOT})?|{_WWW}{_DOT})"
    rf"(?P<host>{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}(?P<tld>[A-Za-z]{{2,12}}))"
    r"(?P<path>/[^\s,;]*)?)(?![\w@-])",
    re.IGNORECASE,
)

SOCIAL_HOSTS = {
    "linkedin.com": "linkedin", "twitter.com": "twitter", "x.com": "twitter",
    "github.com": "github", "instagram.com": "instagram", "instagr.am": "instagram",
    "xing.com": "xing", "xing.de": "xing",
}
_SOCIAL_URL_RE = re.compile(
    r"(?<![\w@])(?:https?\s?:\s?//\s?)?(?:[a-z]{2,3}\s?\.\s?)?"
    # (an icon OCR read as a letter or two glued to the host name: 'agithub.com/anna',
    # 'ghgithub.com/anna', '0instagram.com/anna', 'Xx.com/anna')
    r"(?:[a-z0-9©®@]{1,2}(?=linkedin|twitter|github|instagram|xing)|[a-z0-9©®@](?=x\s?\.\s?com\s?/))?"
    r"(?P<host>linkedin|twitter|x|github|instagram|instagr|xing)\s?[.,]\s?(?P<tld>com|am|de)"
    r"\s?/\s?(?P<path>(?:(?:in|pub|profile|company)\s?/\s?)?)(?P<handle>[A-Za-z0-9_.%\-!]+)/?",
    re.IGNORECASE,
)
_SOCIAL_LABELS = {
    "linkedin": "linkedin", "li": "linkedin", "in": "linkedin", "twitter": "twitter",
    "x": "twitter", "tw": "twitter", "github": "github", "gh": "github", "instagram": "instagram",
    "insta": "instagram", "ig": "instagram", "xing": "xing",
}
_SOCIAL_LABEL_RE = re.compile(
    r"(?<![\w@])(?P<label>linkedin|twitter|github|instagram|insta|xing|li|tw|gh|ig|x|in)"
    r"(?:\s?(?::|/|-|\s)\s?|(?=@))"
    r"(?P<handle>@?[A-Za-z0-9_](?:[A-Za-z0-9_.\-]|!(?=[\w.\-]|$|\s)){1,60})"
    r"(?![\w@])",
    re.IGNORECASE,
)
_BARE_LINKEDIN_RE = re.compile(  # (not the 'in' of 'in /in/anna': a label before the path)
    r"(?<![\w/.])/?in\s?/\s?(?!in\s?/)(?P<handle>[A-Za-z0-9_%\-][A-Za-z0-9_.%\-]+)/?")
_AT_HANDLE_RE = re.compile(
    r"(?<![\w@.])@(?P<handle>[A-Za-z0-9_](?:[A-Za-z0-9_.\-]|!(?=[\w.\-]|$|\s)){1,38})(?![\w@])")


_NOT_LOCAL = frozenset({"instagram", "insta", "ig", "twitter", "x", "tw", "github", "gh",
                        "linkedin", "xing", "threads", "mastodon", "tiktok", "youtube",
                        "facebook", "fb", "telegram", "skype", "follow", "me", "us"})
_LABEL_LETTERS = frozenset("emwtfp")  # E(-mail), M(ail), W(eb) ... printed as 'E. '


@dataclass
class Found:
    value: str
    words: tuple[int, ...]
    conf: float
    segment: int
    service: str = ""  # for social
    #: social: the services an unlabelled '@handle' can be on, most likely first
    could_be: tuple[str, ...] = ()


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def repair_domain(domain: str) -> str:
    """'Example, c0m' -> 'example.com': dots, case, digits read for letters in a TLD."""
    d = _squash(domain).replace(",", ".").lower().strip(".")
    labels = d.split(".")
    tld = labels[-1]
    fixed_tld = tld.replace("0", "o").replace("1", "l")
    if fixed_tld.replace("rn", "m") != fixed_tld and known_tld(fixed_tld.replace("rn", "m")) \
            and not known_tld(fixed_tld):
        fixed_tld = fixed_tld.replace("rn", "m")
    if known_tld(fixed_tld) or not known_tld(tld):
        labels[-1] = fixed_tld
    out = []
    for label in labels[:-1]:
        # a 0 between letters is an o ('g0ogle'); a lone digit label stays
        label = re.sub(r"(?<=[a-z])0(?=[a-z])|^0(?=[a-z]{2})|(?<=[a-z]{2})0$", "o", label)
        out.append(label)
    return ".".join([*out, labels[-1]])


def confusable_key(text: str) -> str:
    """A key under which OCR confusions compare equal ('exarnple' == 'example')."""
    t = text.lower().replace("rn", "m").replace("vv", "w").replace("0", "o").replace("1", "l")
    t = t.replace("i", "l")
    return t.replace("cl", "d")


def find_emails(seg: Segment) -> list[Found]:
    found = []
    for m in EMAIL_RE.finditer(seg.rest):
        start = m.start()
        if m.group("initial") and not _local_head(m.group("initial")[:-2]):
            start = m.start() + len(m.group("initial"))  # 'E. anna@': a label, not 'a. steckel@'
        if m.group("gap") and m.group("local").lower() in _NOT_LOCAL:
            continue  # 'Instagram @anna.schmidt.studio' is a handle after its label
        domain = repair_domain(m.group("domain"))
        tld = domain.rsplit(".", 1)[-1]
        if not known_tld(tld):
            continue
        local = _squash(seg.rest[start:m.start("local") + len(m.group("local"))])
        local = _local_letters(local.strip(".").replace(",", "."))
        address = f"{local}@{domain}"
        raw = m.group(0)
        repaired = raw.replace(" ", "") != address and raw.replace(" ", "").lower() != address
        words = seg.take(start, m.end(), "emails")
        found.append(Found(address, words, seg.conf * (0.85 if repaired else 1.0), seg.index))
    return found


def _local_head(head: str) -> bool:
    """Is ``head`` (the word before '. ' in 'christie. nguyen@') the start of the local part
    OCR cut at its dot?  An initial ('a. steckel@') or a lower-case word ('ingrid. hoefig@')
    is; a label ('E. ', 'Mail. ') is not: emails are printed in lower case, labels are not."""
    if len(head) == 1:
        return head.lower() not in _LABEL_LETTERS
    return head.islower() and fold(head) not in FIELD_LABELS


# a label glued to the address, its separator read as I / l or run into it:
# 'EmailIp.travaglia@', 'EIgionata_spinelli@', 'Email-grazyna@', 'E.nydia@' (addresses
# are lower case)
_GLUED_LABEL = re.compile(r"^(?:(?:E-?[Mm]ail|Mail)[Il|\-~:]|E[I|.])(?=[a-z0-9])")


#: shared mailboxes an envelope icon read as 'E' may stand before: not those that make a
#: label with it ('mail', 'post': 'email@', 'epost@' would lose their 'e')
_ROLE_LOCALS = frozenset(m for m in SHARED_MAILBOXES if "e" + m not in FIELD_LABELS)


def _local_letters(local: str) -> str:
    """'Icampbell', 'chery!-kennedy': a capital I before lower-case letters or a '!' among
    them is OCR's reading of an 'l' (addresses are printed in lower case); 'Ivan.Petrov'
    (capitals elsewhere) and a given name ('Ines.') stay.  A label glued to the front
    ('EmailIp.travaglia') goes."""
    glued = _GLUED_LABEL.match(local)
    if glued and local[glued.end():] == local[glued.end():].lower() and \
            fold(re.split(r"[._\-]", local.replace("I", "l"))[0]) not in given_names():
        local = local[glued.end():]  # (not 'EIena.rossi', Elena with its l misread)
    elif re.match(r"El[a-z]", local) and local == local[0] + local[1:].lower():
        # 'Elashley.nguyen': E| read as 'El' before a given name; 'Elena' stays
        first = re.split(r"[._\-]", local)[0].lower()
        if first not in given_names() and first[2:] in given_names():
            local = local[2:]
    if local[:1] in "Ee" and local[1:] in _ROLE_LOCALS:
        local = local[1:]  # 'Eoffice', 'einfo': the envelope icon before a shared mailbox
    local = re.sub(r"(?<=[a-z])!(?=[a-z._\-]|$)", "l", local)
    m = re.match(r"I(?=[a-z0-9])", local)
    if m and local[1:] == local[1:].lower():
        first = re.split(r"[._\-]", local)[0]
        if fold(first) not in given_names():
            local = "l" + local[1:]
    return local


_EMAIL_LABEL = re.compile(r"(?i)^\s*(?:e|email|e-mail|mail|courriel|correo|posta)\s?[:.|\-–]?\s")


def find_lost_at_emails(seg: Segment, domains: list[str]) -> list[Found]:
    """'E: jennifer.davilaMandersonriveraandturner.com': OCR read the '@' as a letter.
    With the card's website domain glued to the end, the address can be rebuilt."""
    found = []
    for domain in domains:
        regex = re.compile(rf"(?<![\w.@])(?P<local>[A-Za-z0-9][A-Za-z0-9._%+'\-]*"
                           rf"(?:\.\s[A-Za-z0-9._%+'\-]+)?)(?P<at>[^\s@])"
                           rf"{re.escape(domain)}(?![\w.])", re.IGNORECASE)
        for m in regex.finditer(seg.rest):
            local = _squash(m.group("local")).strip(".")
            if len(local) < 2 or not (_EMAIL_LABEL.match(seg.rest) or re.search(r"[._]", local)):
                continue
            words = seg.take(m.start(), m.end(), "emails")
            found.append(Found(f"{local}@{domain}", words, seg.conf * 0.7, seg.index))
    return found


_DOTLESS_EMAIL_RE = re.compile(
    rf"(?<![\w.@])(?P<local>{_LOCAL}){_AT}(?P<label>[a-z0-9\-]{{5,}})(?![\w@.])")
_DOTLESS_WEB_RE = re.compile(
    rf"{_URL_START}{_SCHEME}?{_WWW}[.,]\s?(?P<label>[a-z0-9\-]{{5,}})(?![\w@.])",
    re.IGNORECASE)


def lost_tld_dot(label: str) -> str | None:
    """'friedmanbrewerio' -> 'friedmanbrewer.io': a domain whose last dot OCR lost, when
    it ends in one of the common TLDs (the longest that fits) after at least 3 letters."""
    low = label.lower()
    for tld in sorted(COMMON_TLDS, key=len, reverse=True):
        if low.endswith(tld) and len(low) - len(tld) >= 3 and low[-len(tld) - 1] != "-":
            return f"{low[:-len(tld)]}.{tld}"
    return None


def find_dotless_domains(seg: Segment, elsewhere: list[str]
                         ) -> tuple[list[Found], list[Found]]:
    """Emails and 'www.' addresses whose domain lost the dot before its TLD
    ('p.oliver@friedmanbrewerio', 'www.friedmanbrewerio'), taken with less confidence when
    the card prints the name elsewhere (the company 'Friedman & Brewer', the other
    address): ``elsewhere`` holds the other lines' letters and digits, lower case.
    ('gh@matthieu-rousseau' is a GitHub handle, not 'matthieu-rousse.au'.)"""
    def supported(domain: str) -> bool:
        # (printed with the TLD's letters after it, the name is another word: 'Rousseau'
        # does not support 'matthieu@rousse.au')
        name, tld = domain.rsplit(".", 1)
        name = letters_digits(name)
        return any(name in text and name + tld not in text for text in elsewhere)

    emails, websites = [], []
    for m in _DOTLESS_EMAIL_RE.finditer(seg.rest):
        domain = lost_tld_dot(m.group("label"))
        if domain and m.group("local").lower() not in _NOT_LOCAL and supported(domain):
            local = _local_letters(m.group("local"))
            words = seg.take(m.start(), m.end(), "emails")
            emails.append(Found(f"{local}@{domain}", words, seg.conf * 0.7, seg.index))
    for m in _DOTLESS_WEB_RE.finditer(seg.rest):
        domain = lost_tld_dot(m.group("label"))
        if domain and supported(domain):
            words = seg.take(m.start(), m.end(), "websites")
            websites.append(Found(f"www.{domain}", words, seg.conf * 0.7, seg.index))
    return emails, websites


def _spaced(domain: str) -> str:
    """A pattern for ``domain`` with a space OCR may have put between any two characters,
    and its dots read as a space or lost ('giradello it', 'vanderdussenzimmerde')."""
    return r"\s?".join(r"(?:[.,]|\s(?=\S))?" if ch == "." else re.escape(ch) for ch in domain)


def find_split_domain_emails(seg: Segment, domains: list[str]) -> list[Found]:
    """'w.hentschel@faus ttec-logistik.com': OCR broke the domain with a space.  When the
    card prints that domain elsewhere (its website), the address is rebuilt."""
    found = []
    for domain in domains:
        regex = re.compile(rf"(?<![\w.@])(?P<local>{_FULL_LOCAL}){_AT}\s?"
                           rf"(?P<domain>{_spaced(domain)})(?![\w@]|\.\w)", re.IGNORECASE)
        for m in regex.finditer(seg.rest):
            if m.group("domain").lower() == domain:
                continue  # an unbroken one was found already
            start = m.start()
            if m.group("initial") and not _local_head(m.group("initial")[:-2]):
                start += len(m.group("initial"))
            local = _local_letters(_squash(seg.rest[start:m.end("local")]).strip(".")
                                   .replace(",", "."))
            words = seg.take(start, m.end(), "emails")
            found.append(Found(f"{local}@{domain}", words, seg.conf * 0.8, seg.index))
    return found


def find_spaced_websites(seg: Segment, domains: list[str]) -> list[Found]:
    """'hooperlee. uk', 'acme-solu tions.de': a bare domain OCR broke with a space, taken as
    the website when it is the domain of the card's email."""
    found = []
    for domain in domains:
        regex = re.compile(rf"(?<![\w@./-])(?P<www>{_WWW}\s?[.,]\s?)?{_spaced(domain)}"
                           r"(?![\w@-]|\.\w)", re.IGNORECASE)
        for m in regex.finditer(seg.rest):
            words = seg.take(m.start(), m.end(), "websites")
            www = "www." if m.group("www") else ""
            found.append(Found(f"{www}{domain}", words, seg.conf * 0.8, seg.index))
    return found


def _handle_clean(handle: str) -> str:
    """Punctuation around a handle dropped; a '!' inside it is OCR's 'l' (no service allows
    a '!' in a handle: '@chery!-kennedy'); one at its end may be any letter, or a '!'."""
    return handle.strip("/.,;:!").lstrip("@").replace("!", "l")


def find_social(seg: Segment) -> list[Found]:
    found = []
    for m in _SOCIAL_URL_RE.finditer(seg.rest):
        host = m.group("host").lower()
        service = {"x": "twitter", "instagr": "instagram"}.get(host, host)
        path = _squash(m.group("path")).lower()
        if service == "linkedin" and path.startswith("company"):
            continue  # a company page is a website, not a person's profile
        if service == "linkedin" and not path:
            continue
        handle = _handle_clean(m.group("handle"))
        if not handle or handle.lower() in {"in", "pub", "profile", "company"}:
            continue
        words = seg.take(m.start(), m.end(), "social")
        found.append(Found(handle, words, seg.conf, seg.index, service))
    for m in _BARE_LINKEDIN_RE.finditer(seg.rest):
        handle = _handle_clean(m.group("handle"))
        words = seg.take(m.start(), m.end(), "social")
        found.append(Found(handle, words, seg.conf * 0.9, seg.index, "linkedin"))
    for m in _SOCIAL_LABEL_RE.finditer(seg.rest):
        label = m.group("label").lower()
        handle = _handle_clean(m.group("handle"))
        service = _SOCIAL_LABELS[label]
        # bare "X handle" / "in handle" only with a separator or '@' that says it is a label
        if label in {"x", "in"} and m.group(0)[len(label):len(label) + 1] not in {":", "/"} \
                and not m.group("handle").startswith("@"):
            continue
        if not handle or handle.lower() in {"in", "pub", "profile", "company"} or \
                "." in handle and service in {"twitter", "github"}:
            continue
        words = seg.take(m.start(), m.end(), "social")
        found.append(Found(handle, words, seg.conf * 0.95, seg.index, service))
    for m in _AT_HANDLE_RE.finditer(seg.rest):
        handle = _handle_clean(m.group("handle"))
        words = seg.take(m.start(), m.end(), "social")
        # The icon that would say which service is a picture, not text
        could_be = handle_services(handle)
        found.append(Found(handle, words, seg.conf * 0.6, seg.index, could_be[0], could_be))
    return found


def handle_services(handle: str) -> tuple[str, ...]:
    """The services an unlabelled '@handle' can be on, most likely first: most often
    X/Twitter; with a dot only Instagram (X and GitHub handles cannot hold one), with a
    hyphen only GitHub (X and Instagram handles cannot), with an underscore not GitHub."""
    if "." in handle:
        return ("instagram",)
    if "-" in handle:
        return ("github",)
    return ("twitter", "instagram") if "_" in handle else ("twitter", "instagram", "github")


def place_unlabelled_handles(social: list[Found]) -> None:
    """A card lists one profile per service: an unlabelled '@handle' whose likeliest
    service the card already names ('Twitter: @anna77', 'github.com/anna') is on the next
    service its characters allow."""
    named = {f.service for f in social if not f.could_be}
    for f in social:
        if f.could_be and f.service in named:
            f.service = next((s for s in f.could_be if s not in named), f.service)


def _clean_url(url: str, host: str, path: str | None) -> str:
    u = _squash(url)
    u = re.sub(r"^hxxp", "http", u, flags=re.IGNORECASE)
    scheme = ""
    sm = re.match(r"^(https?|h[a-z]{1,3}ps)[:;.]?//?", u, re.IGNORECASE)  # (spaces squashed)
    if sm:
        scheme = ("https" if sm.group(1).lower().endswith("s") else "http") + "://"
        u = u[sm.end():]
    www = ""
    wm = re.match(rf"^(www\d?)[.,]?|^{_WWW}[.,]", u, re.IGNORECASE)
    if wm and not _squash(host).lower().startswith("www"):
        www = (wm.group(1) or "www").lower() + "."
    domain = repair_domain(host)
    if re.match(r"www[a-z0-9-]{3,}\.", domain) and not www:
        # 'wwwspencer.com': the dot after www lost (no real name starts so)
        www, domain = "www.", domain[3:]
    clean_path = (path or "").rstrip(".,;")
    if clean_path == "/":
        clean_path = ""
    return f"{scheme}{www}{domain}{clean_path}"


def find_websites(seg: Segment) -> list[Found]:
    found = []
    for regex in (WEB_LOOSE_RE, WEB_STRICT_RE):
        for m in regex.finditer(seg.rest):
            host = m.group("host")
            tld = repair_domain(host).rsplit(".", 1)[-1]
            if not known_tld(tld) or "." not in repair_domain(host):
                continue
            if regex is WEB_STRICT_RE and not _plausible_bare_domain(m.group("url"), host):
                continue
            if re.search(r"(?:@|©|®)\S*\s$", seg.rest[:m.start()]):
                continue  # 'hoefig@noacknovaver packungen.eu': the tail of a broken email
            if regex is WEB_STRICT_RE and _EMAIL_LABEL.match(seg.text) and \
                    not re.match(r"(?i)(https?|www)", m.group("url")):
                continue  # 'E: h mendezstargamth.com': an email that lost its '@'

            url = _clean_url(m.group("url"), host, m.group("path"))
            words = seg.take(m.start(), m.end(), "websites")
            found.append(Found(url, words, seg.conf, seg.index))
    return found


def _plausible_bare_domain(url: str, host: str) -> bool:
    """'acme.com' yes; 'Co.Ltd', 'z.B', 'Dipl.-Ing' or 'e.K' no."""
    if re.match(r"(?i)(https?|www)", url):
        return True
    labels = _squash(host).replace(",", ".").split(".")
    if any(len(lb) == 0 for lb in labels):
        return False
    if len(labels[-2]) < 2:
        return False
    # A bare domain is printed in lower case (or all caps); 'Smith.Co' is not one.
    if "," in host:
        return False
    if host == host.lower() or host == host.upper() and len(labels[-2]) > 3:
        return True
    # 'Watsondesign.co.uk': OCR (or the designer) capitalised the first letter only
    return host[:1].isupper() and host[1:] == host[1:].lower() and len(labels[0]) >= 4


def email_local_tokens(local: str) -> list[str]:
    return [t for t in re.split(r"[._\-+']", local.lower()) if t]


def unify_domains(emails: list[Found], websites: list[Found], segs: list[Segment]) -> None:
    """Email and website domains that differ only by OCR confusions ('exarnple.com' vs
    'example.com') are made the same, preferring the reading without 'rn' / digits."""
    def dom(f: Found, is_email: bool) -> str:
        return f.value.split("@", 1)[1] if is_email else normalize_website(f.value).split("/")[0]

    items = [(f, True) for f in emails] + [(f, False) for f in websites]
    countries = {c for s in segs for part in re.split(r"[,•·|]", s.text)
                 if (c := is_country(part))}
    groups: dict[str, list[str]] = {}
    for f, is_email in items:
        d = dom(f, is_email)
        key = confusable_key(d)
        # one letter apart ('narshallstone' / 'marshallstone', 'informatique-feury' /
        # 'informatique-fleury'), two in a long name ('ferrtt-comunicazione' /
        # 'ferretti-comunicazione'): one domain misread, two different domains on one
        # card would not differ so little
        near = next((k for k in groups if len(k) >= 8 and k.rsplit(".", 1)[-1] ==
                     key.rsplit(".", 1)[-1] and 0 < Levenshtein.distance(k, key) <= (
                         2 if min(len(k), len(key)) >= 16 else 1)), None)
        # or the same name under a country TLD one letter off ('letelliervia.tr' /
        # 'letelliervia.fr') when the card prints the country of one of them, which wins
        near = near or next((k for k, seen in groups.items() if any(
            _tld_slip(confusable_key(v), key) and {tld_region(v), tld_region(d)} & countries
            for v in seen)), None)
        groups.setdefault(near or key, []).append(d)
    printed = [letters_digits(s.remaining) for s in segs]
    for variants in groups.values():
        if len(set(variants)) < 2:
            continue
        # how often the card prints it: as an address or site, or as the name of the
        # company ('Marshall & Stone Ltd.' for marshallstone.co.uk)
        support = {d: variants.count(d) + sum(len(lb) >= 4 and lb in p for p in printed)
                   + 10 * (tld_region(d) in countries)
                   for d in set(variants)
                   for lb in [letters_digits(registrable_label(d) or "")]}
        best = min(set(variants), key=lambda d: (-support[d], d.count("rn") + sum(
            ch.isdigit() for ch in d), d.rsplit(".", 1)[-1] not in COMMON_TLDS, d))
        for f, is_email in items:
            d = dom(f, is_email)
            if d != best and d in variants:
                f.value = f.value.replace(d, best, 1)


#: letters OCR takes for one another in small print (l / i, rn / m ... are in confusable_key)
_TLD_SLIPS = frozenset({"ft", "tf", "ce", "ec", "co", "oc", "eo", "oe", "uv", "vu", "hb", "bh"})


def _tld_slip(a: str, b: str) -> bool:
    """'name.fr' / 'name.tr': one name, two-letter TLDs one look-alike letter apart."""
    (na, _, ta), (nb, _, tb) = a.rpartition("."), b.rpartition(".")
    if len(na) < 4 or na != nb or len(ta) != 2 or len(tb) != 2:
        return False
    diff = [x + y for x, y in zip(ta, tb, strict=True) if x != y]
    return len(diff) == 1 and diff[0] in _TLD_SLIPS
