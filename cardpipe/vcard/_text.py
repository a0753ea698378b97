"""Byte- and character-level helpers: file encodings, quoted-printable, escaping, folding.

Everything here is pure and small so the tokenizer and the writer can share it.

Lossless decoding: a file is decoded with ``errors="surrogateescape"`` so bytes that do not
decode (a UTF-8 character split by a line fold, a stray Latin-1 byte) survive as lone
surrogates and encode back to the very same bytes.
"""

from __future__ import annotations

import codecs
import re

#: Encodings whose bytes for ASCII are ASCII (so a value can be turned back into its bytes).
_ASCII_COMPATIBLE = {"utf-8", "cp1252", "latin-1", "ascii"}

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_FOLD_BYTES = re.compile(rb"(?:\r\n|\r|\n)[ \t]")

#: Declared charsets that are really "some Western 8-bit code page" (often wrongly declared).
_WESTERN = {"latin-1", "iso8859-1", "iso8859-15", "cp1252", "ascii", "utf-8"}


def decode_file(data: bytes) -> tuple[str, str, bytes]:
    """Decode a vCard file: ``(text, encoding, bom)``; ``encode_file`` reverses it exactly."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            return body.decode(encoding, _errors(encoding)), encoding, bom
    if len(data) >= 4 and data.count(b"\x00") * 3 > len(data) and len(data) % 2 == 0:
        # UTF-16 without a BOM: ASCII characters have a zero high byte.
        encoding = "utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be"
        try:
            return data.decode(encoding, "surrogatepass"), encoding, b""
        except UnicodeDecodeError:
            pass  # not UTF-16 after all
    try:
        return data.decode("utf-8"), "utf-8", b""
    except UnicodeDecodeError:
        pass
    # UTF-8 whose only faults are characters split by line folding is still UTF-8.
    try:
        _FOLD_BYTES.sub(b"", data).decode("utf-8")
        return data.decode("utf-8", "surrogateescape"), "utf-8", b""
    except UnicodeDecodeError:
        pass
    return data.decode("cp1252", "surrogateescape"), "cp1252", b""


def encode_file(text: str, encoding: str, bom: bytes = b"") -> bytes:
    """The bytes for ``text`` in the encoding it was read in (``decode_file`` reverses it).

    Bytes that were kept as lone surrogates go back as they were.  In an 8-bit file
    (Windows-1252) a new character the encoding has no byte for (say, a Chinese name) is
    written in UTF-8, that character only: the file's other bytes stay as they were, and
    the reader takes non-ASCII values that are valid UTF-8 as UTF-8.
    """
    try:
        return bom + text.encode(encoding, _errors(encoding))
    except UnicodeEncodeError:
        if encoding not in _ASCII_COMPATIBLE:
            raise
        return bom + text.encode(encoding, "cardpipe-utf8")


def _errors(encoding: str) -> str:
    """The error handler that makes ``encoding``'s decoding and encoding lossless."""
    if encoding in _ASCII_COMPATIBLE:
        return "surrogateescape"
    if encoding.startswith(("utf-16", "utf-32")):
        return "surrogatepass"  # an unpaired UTF-16 surrogate comes back as it was
    return "strict"


def _utf8_fallback(error: UnicodeError) -> tuple[bytes, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    chunk = error.object[error.start : error.end]
    return chunk.encode("utf-8", "surrogateescape"), error.end


codecs.register_error("cardpipe-utf8", _utf8_fallback)


def text_to_bytes(text: str, encoding: str) -> bytes:
    """The file bytes a piece of decoded text came from (for QP / CHARSET decoding)."""
    if encoding in _ASCII_COMPATIBLE:
        return text.encode(encoding, "surrogateescape")
    return text.encode("utf-8", "surrogateescape")


def normalise_charset(charset: str | None) -> str | None:
    """A Python codec name for a vCard CHARSET, or None when unknown / absent."""
    if not charset:
        return None
    try:
        name = codecs.lookup(charset.strip().strip('"')).name
    except LookupError:
        return None
    return {"iso8859-1": "latin-1"}.get(name, name)


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Text from value bytes: declared charset where it makes sense, UTF-8 first otherwise.

    Clients often declare ISO-8859-1 for UTF-8 text (and the reverse); valid UTF-8 with
    non-ASCII bytes is practically never Latin-1 text, so UTF-8 wins over Western charsets.
    """
    if data.isascii():
        return data.decode("ascii")
    codec = normalise_charset(charset)
    order: list[str] = []
    if codec and codec not in _WESTERN:
        order.append(codec)
    order.append("utf-8")
    if codec and codec not in order:
        order.append(codec)
    order.append("cp1252")
    for name in order:
        try:
            return data.decode(name)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


# -- quoted-printable -----------------------------------------------------------

_HEX = "0123456789ABCDEFabcdef"


def qp_decode(data: bytes) -> bytes:
    """Decode quoted-printable bytes whose soft line breaks are already removed.

    Lenient: an ``=`` not followed by two hex digits is kept as it is.
    """
    out = bytearray()
    i = 0
    n = len(data)
    while i < n:
        b = data[i]
        if b == 0x3D:
            pair = data[i + 1 : i + 3]
            if len(pair) == 2 and chr(pair[0]) in _HEX and chr(pair[1]) in _HEX:
                out.append(int(pair, 16))
                i += 3
                continue
        out.append(b)
        i += 1
    return bytes(out)


def qp_encode(data: bytes, newline: str, first_line: int, limit: int = 76) -> str:
    """Quoted-printable text with ``=`` soft breaks so no line exceeds ``limit`` characters.

    ``first_line`` is how many characters the property name and parameters already take.
    """
    tokens = []
    for b in data:
        if (33 <= b <= 126 and b != 0x3D) or (b == 0x20):
            tokens.append(chr(b))
        else:
            tokens.append(f"={b:02X}")
    if tokens and tokens[-1] == " ":
        tokens[-1] = "=20"  # trailing white space would be stripped by readers
    lines: list[str] = []
    current = ""
    used = first_line
    for tok in tokens:
        if used + len(current) + len(tok) > limit - 1:  # keep room for the soft break "="
            lines.append(current)
            current = ""
            used = 0
        if not current and tok == " ":
            tok = "=20"  # a line starting with a space would read as a folded line
        current += tok
    lines.append(current)
    return ("=" + newline).join(lines)


# -- escaping -------------------------------------------------------------------


def unescape(text: str) -> str:
    r"""Undo vCard text escaping: ``\n \N \, \; \: \\``; other backslashes are kept."""
    if "\\" not in text:
        return text
    out = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            nxt = text[i + 1]
            if nxt in "nN":
                out.append("\n")
                i += 2
                continue
            if nxt in ",;:\\":
                out.append(nxt)
                i += 2
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def split_unescaped(text: str, sep: str) -> list[str]:
    """Split on ``sep`` where it is not escaped by a backslash (parts stay escaped)."""
    if "\\" not in text:
        return text.split(sep)
    parts = []
    current = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            current.append(text[i : i + 2])
            i += 2
            continue
        if ch == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts


def escape(text: str, *, newlines: bool = True) -> str:
    r"""Escape a text value: ``\`` ``,`` ``;`` and (unless ``newlines=False``) line breaks."""
    text = text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    if newlines:
        text = text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")
    return text


# -- folding --------------------------------------------------------------------


def fold(line: str, newline: str, limit: int = 75) -> str:
    """Fold a content line at ``limit`` octets (UTF-8) without splitting a character."""
    if len(line.encode("utf-8", "surrogateescape")) <= limit:
        return line
    if line.isascii():  # one octet per character (base64 photos): slice
        step = limit - 1  # a continuation line starts with one space
        rest = [line[i : i + step] for i in range(limit, len(line), step)]
        return (newline + " ").join([line[:limit], *rest])
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    room = limit
    for ch in line:
        width = len(ch.encode("utf-8", "surrogateescape"))
        if size + width > room:
            pieces.append("".join(current))
            current = []
            size = 0
            room = limit - 1  # a continuation line starts with one space
        current.append(ch)
        size += width
    pieces.append("".join(current))
    return (newline + " ").join(pieces)
