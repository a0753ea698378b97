"""A card's content in one canonical form, and its text made safe for vobject servers.

Servers rewrite what they store (Radicale passes every card through vobject: property
order, name case and parameter syntax change), so sync compares cards by ``content_key``,
never by bytes.  Both work on the tokenizer's content lines (``_lex``).
"""

from __future__ import annotations

import hashlib
import re

from cardpipe.vcard._lex import Prop, _split_commas, iter_chunks
from cardpipe.vcard._read import BINARY_PROPS as _BINARY
from cardpipe.vcard._read import prop_text
from cardpipe.vcard._text import fold, normalise_charset

#: Properties that say nothing about the person: a server or client rewrites them freely.
_VOLATILE = frozenset({"PRODID", "REV", "X-RADICALE-NAME"})
_FRAME = frozenset({"BEGIN", "END"})
#: Values where a bare comma is a separator the server keeps (lists, structured values) or
#: where escaping would change the data (binary / data: URIs).
_COMMA_OK = frozenset({"CATEGORIES", "N", "ADR", "VERSION", "GEO"}) | _BINARY
#: Properties whose value is a URI (RFC 6350 / 2426), or one when it starts with a scheme.
_URI_VALUED = frozenset({
    "URL", "SOURCE", "FBURL", "CALURI", "CALADRURI", "MEMBER", "IMPP", "RELATED", "TEL",
    "X-SOCIALPROFILE", "SOCIALPROFILE", "X-ADDRESSBOOKSERVER-MEMBER",
})  # fmt: skip
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # a byte the reader kept (surrogateescape)
_BARE_COMMA = re.compile(r"(?<!\\)((?:\\\\)*),")
_BARE_SEPARATOR = re.compile(r"(?<!\\)((?:\\\\)*)([;,])")


def content_key(text: str) -> str:
    """A hash of a card's content that ignores what servers rewrite: line folding and
    endings, property order, name and parameter case, parameter syntax
    (``type=a;type=b`` = ``TYPE=a,b``), PRODID and REV."""
    return hashlib.sha256("\n".join(canonical_lines(text)).encode()).hexdigest()


def utf8_text(text: str, encoding: str = "utf-8") -> str:
    """The card's text with each value as the reader decodes it, fit for UTF-8.

    A card from a legacy-charset file (or one whose UTF-8 characters a line fold split)
    holds bytes the reader kept as lone surrogates; its values are decoded as the reader
    decodes them (``CHARSET``, then UTF-8, then Windows-1252) and those lines written
    again without ``CHARSET``.  ``encoding`` is the file's (``Card.encoding``).  Lines that
    need nothing keep their bytes and folding, so a UTF-8 card comes back unchanged.
    """
    if text.isascii():
        return text
    newline = "\r\n" if "\r\n" in text else ("\r" if "\r" in text else "\n")
    out: list[str] = []
    tail: list[str] = []
    for chunk in iter_chunks(text, "", 1, tail):
        out.append(chunk.before)
        out.extend(_utf8_line(prop, encoding, newline) for prop in chunk.props)
    out.extend(tail)
    joined = "".join(out)
    if _ESCAPED_BYTE.search(joined):  # left in a parameter or an encoded value
        joined = joined.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return joined


def canonical_lines(text: str) -> list[str]:
    """The sorted canonical content lines of one card (see ``content_key``)."""
    lines = []
    for chunk in iter_chunks(utf8_text(text), ""):
        for prop in chunk.props:
            line = _canonical_line(prop)
            if line is not None:
                lines.append(line)
    return sorted(lines)


def server_safe(text: str) -> str:
    """The card with every bare comma in a text value escaped (``a, b`` -> ``a\\, b``).

    Servers built on vobject (Radicale) cut a value at its first bare comma — ``NOTE:a, b``
    is stored as ``NOTE:a`` — and refuse ``ORG`` with one.  Escaped, the value means the
    same to every client (``content_key`` treats both forms alike).  Only lines that need
    it are rewritten; the others keep their bytes and folding.
    """
    newline = "\r\n" if "\r\n" in text else ("\r" if "\r" in text else "\n")
    out: list[str] = []
    tail: list[str] = []
    for chunk in iter_chunks(text, "", 1, tail):
        out.append(chunk.before)
        out.extend(_server_safe_line(prop, newline) for prop in chunk.props)
    out.extend(tail)
    return "".join(out)


def canonical_line(prop: Prop) -> str | None:
    """One content line in the form ``content_key`` compares (None: a line that does not
    count: BEGIN / END, PRODID, REV, a blank line)."""
    return _canonical_line(prop)


def _canonical_line(prop: Prop) -> str | None:
    name = prop.name
    if not name or name in _VOLATILE or name in _FRAME:
        return None
    params: dict[str, set[str]] = {}
    for param in prop.params:
        if param.name is None:  # vCard 2.1 bare parameter: TEL;HOME
            key, values = "TYPE", [v.strip() for v in _split_commas(param.raw)]
        else:
            key, values = param.name, list(param.values)
        params.setdefault(key, set()).update(v.strip('"').lower() for v in values)
    canon_params = ";".join(f"{k}={','.join(sorted(v))}" for k, v in sorted(params.items()))
    value = prop.value
    if name in _BINARY or "ENCODING" in params:
        value = "".join(value.split())
    if name in _BINARY:  # one value, never a list: ``data:a\;b\,c`` = ``data:a;b,c``
        value = re.sub(r"\\([,;\\])", r"\1", value)
    else:
        value = _canonical_value(value)
    return f"{(prop.group or '').lower()}.{name};{canon_params}:{value}"


def _canonical_value(value: str) -> str:
    # Escapes differ between writers (\N or \n, ',' escaped or not where harmless):
    # compare the unescaped components.
    parts = re.split(r"(?<!\\);", value)
    out = []
    for part in parts:
        part = re.sub(r"\\([nN])", "\n", part)
        part = re.sub(r"\\([,;:\\])", r"\1", part)
        out.append(part.strip())
    while out and out[-1] == "":
        out.pop()
    return "\x1f".join(out)


def _server_safe_line(prop: Prop, newline: str) -> str:
    value = prop.value
    if prop.name in _BINARY and value[:5].lower() == "data:":
        # vCard 4.0 inline data: vobject-based servers keep only ``data:image/jpeg\;base64``
        # of ``data:image/jpeg;base64,...``; escaped, the URI arrives whole.
        escaped = _BARE_SEPARATOR.sub(r"\1\\\2", value)
    elif not prop.name or prop.name in _COMMA_OK:
        return prop.raw
    elif _is_uri(prop):
        # A URI is not text: a backslash would become part of it (RFC 6350 escapes text
        # only), and vobject cuts a value at a bare comma; "%2C" is the same URI to a web
        # server and survives both.  (GEO, a geo: URI, is kept whole by vobject.)
        # Nor is a backslash ever part of one: "http\://" (Gmail and Apple escape the
        # colon) is "http://", which vobject would store with the backslash doubled.
        plain = re.sub(r"\\([:,;])", r"\1", value)
        escaped = plain.replace(",", "%2C") if "," in plain and "\\" not in plain else plain
    else:
        escaped = _BARE_COMMA.sub(r"\1\\,", value)
    if escaped == value:
        return prop.raw
    head = f"{prop.group}." if prop.group else ""
    head += prop.name_raw + "".join(f";{p.raw}" for p in prop.params)
    return fold(f"{head}:{escaped}", newline) + newline


def _utf8_line(prop: Prop, encoding: str, newline: str) -> str:
    raw = prop.raw
    if raw.isascii() or not prop.name or prop.name in _BINARY or prop.encoding is not None:
        return raw
    value = prop_text(prop, encoding)
    charset = normalise_charset(prop.charset)
    declared = charset not in (None, "utf-8") and not value.isascii()  # now it is UTF-8
    if value == prop.value and not declared and not _ESCAPED_BYTE.search(raw):
        return raw
    params = [p.raw for p in prop.params if p.name != "CHARSET"]
    head = (f"{prop.group}." if prop.group else "") + prop.name_raw
    head += "".join(f";{p}" for p in params)
    return fold(f"{head}:{value}", newline) + newline


def _is_uri(prop: Prop) -> bool:
    kinds = {v.lower() for v in prop.param("VALUE")}
    if "text" in kinds:
        return False
    value = prop.value.replace("\\:", ":")  # "http\://": a colon escaped as if text
    return "uri" in kinds or (prop.name in _URI_VALUED and bool(_SCHEME.match(value)))
