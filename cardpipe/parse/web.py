"""Emails, websites and social profiles, with the OCR confusions repaired.

OCR reads ``@`` as ``©``/``®``/``(at)``, ``.`` as ``,``, puts spaces around dots and
confuses ``rn``/``m`` and ``0``/``o``.  Each detector matches a pattern tolerant of
those slips on the raw text, then normalises what it matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import known_tld
from .segments import Segment

_AT = r"(?:@|©|®|\(at\)|\[at\]|\{at\}|\s\(at\)\s|\sat\s(?=[\w-]+\s*[.,]\s*[a-z]))"
_LOCAL = r"[A-Za-z0-9][A-Za-z0-9._%+'\-]*"
_LABEL = r"[A-Za-z0-9ÄÖÜäöüß](?:[A-Za-z0-9ÄÖÜäöüß\-]*[A-Za-z0-9ÄÖÜäöüß])?"
_DOT = r"(?:\s?\.\s?|,(?=\S))"  # a dot, maybe with a space read next to it, or a comma
EMAIL_RE = re.compile(
    rf"(?<![\w.@])(?P<local>(?P<initial>[A-Za-z]\.\s)?{_LOCAL}(?:\s[._\-][A-Za-z0-9._%+'\-]+)?)"
    rf"(?P<gap>\s?){_AT}\s?"
    rf"(?P<domain>{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}(?P<tld>[A-Za-z0-9]{{2,12}}))"
    r"(?![\w@])",
    re.IGNORECASE,
)
_SCHEME = r"(?:(?:https?|hxxps?)\s?[:;.]?\s?/\s?/\s?)"
WEB_STRICT_RE = re.compile(
    rf"(?<![\w@./-])(?P<url>{_SCHEME}?(?:www\d?[.,])?"
    rf"(?P<host>{_LABEL}(?:[.,]{_LABEL})*[.,](?P<tld>[A-Za-z]{{2,12}}))"
    r"(?P<path>/[^\s,;]*)?)(?![\w@-])",
    re.IGNORECASE,
)
# With spaces around the dots: only when it starts with a scheme or www.
WEB_LOOSE_RE = re.compile(
    rf"(?<![\w@./-])(?P<url>(?:{_SCHEME}(?:www\d?{_DOT})?|www\d?{_DOT})"
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
    r"(?P<host>linkedin|twitter|x|github|instagram|instagr|xing)\s?[.,]\s?(?P<tld>com|am|de)"
    r"\s?/\s?(?P<path>(?:(?:in|pub|profile|company)\s?/\s?)?)(?P<handle>[A-Za-z0-9_.%\-]+)/?",
    re.IGNORECASE,
)
_SOCIAL_LABELS = {
    "linkedin": "linkedin", "li": "linkedin", "in": "linkedin", "twitter": "twitter",
    "x": "twitter", "tw": "twitter", "github": "github", "gh": "github", "instagram": "instagram",
    "insta": "instagram", "ig": "instagram", "xing": "xing",
}
_SOCIAL_LABEL_RE = re.compile(
    r"(?<![\w@])(?P<label>linkedin|twitter|github|instagram|insta|xing|li|tw|gh|ig|x|in)"
    r"\s?(?::|/|-|\s)\s?(?P<handle>@?[A-Za-z0-9_][A-Za-z0-9_.\-]{1,60})(?![\w@])",
    re.IGNORECASE,
)
_BARE_LINKEDIN_RE = re.compile(
    r"(?<![\w/.])/?in\s?/\s?(?P<handle>[A-Za-z0-9_%\-][A-Za-z0-9_.%\-]+)/?")
_AT_HANDLE_RE = re.compile(r"(?<![\w@.])@(?P<handle>[A-Za-z0-9_][A-Za-z0-9_.\-]{1,38})(?![\w@])")


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
        if m.group("initial") and m.group("initial")[0].lower() in _LABEL_LETTERS:
            start = m.start() + len(m.group("initial"))  # 'E. anna@': a label, not 'a. steckel@'
        if m.group("gap") and m.group("local").lower() in _NOT_LOCAL:
            continue  # 'Instagram @anna.schmidt.studio' is a handle after its label
        domain = repair_domain(m.group("domain"))
        tld = domain.rsplit(".", 1)[-1]
        if not known_tld(tld):
            continue
        local = _squash(seg.rest[start:m.start("local") + len(m.group("local"))])
        local = local.strip(".").replace(",", ".")
        address = f"{local}@{domain}"
        raw = m.group(0)
        repaired = raw.replace(" ", "") != address and raw.replace(" ", "").lower() != address
        words = seg.take(start, m.end(), "emails")
        found.append(Found(address, words, seg.conf * (0.85 if repaired else 1.0), seg.index))
    return found


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


def _handle_clean(handle: str) -> str:
    return handle.strip("/.,;:").lstrip("@")


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
        handle = m.group("handle").rstrip(".")
        words = seg.take(m.start(), m.end(), "social")
        # An unlabelled @handle is most often X/Twitter; with a dot it is Instagram's (X and
        # GitHub handles cannot hold one), with a hyphen GitHub's (X and Instagram handles
        # cannot).  The icon that would say which is a picture, not text.
        service = "instagram" if "." in handle else "github" if "-" in handle else "twitter"
        found.append(Found(handle, words, seg.conf * 0.6, seg.index, service))
    return found


def _clean_url(url: str, host: str, path: str | None) -> str:
    u = _squash(url)
    u = re.sub(r"^hxxp", "http", u, flags=re.IGNORECASE)
    scheme = ""
    sm = re.match(r"^(https?)[:;.]?//", u, re.IGNORECASE)  # (spaces already squashed)
    if sm:
        scheme = sm.group(1).lower() + "://"
        u = u[sm.end():]
    www = ""
    wm = re.match(r"^(www\d?)[.,]?", u, re.IGNORECASE)
    if wm and not _squash(host).lower().startswith("www"):
        www = wm.group(1).lower() + "."
    domain = repair_domain(host)
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
