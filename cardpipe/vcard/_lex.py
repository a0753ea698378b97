"""The tokenizer: a file's text -> cards -> unfolded content lines, keeping every byte.

Each content line (``Prop``) keeps ``raw``: its exact text including folds, quoted-printable
soft line breaks and line ends.  Joining the ``raw`` of a card's props gives the card's text
back, which is what makes an untouched card byte-identical on write.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

_LINE_END = re.compile(r"\r*\n|\r+")
_ENDS = {"\r\n": "\r\n", "\n": "\n", "\r": "\r"}  # one shared string per line end
# Lenient names: KDE writes "X-messaging/twitter-All"; anything but separators and spaces.
_NAME = re.compile(r'(?:([^\s;:.="]+)\.)?([^\s;:.="]+)')
# group.NAME;param;param...:  (a parameter may hold ; : , inside double quotes)
_LINE = re.compile(r'(?:([^\s;:.="]+)\.)?([^\s;:.="]+)((?:;(?:[^;:"]|"[^"]*")*)*):', re.S)
_PARAM = re.compile(r';((?:[^;:"]|"[^"]*")*)')

ENCODING_WORDS = {"QUOTED-PRINTABLE": "quoted-printable", "BASE64": "b", "B": "b", "8BIT": None}


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter as written: ``TYPE=WORK,VOICE`` or a bare 2.1 ``HOME``."""

    raw: str
    name: str | None  # upper-case; None for a bare (2.1) parameter
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Prop:
    """One unfolded content line (or a blank line when ``name`` is empty)."""

    raw: str  # exact text: folds, soft breaks and the line end(s) included
    line: int  # 1-based line in the file where it starts
    group: str | None = None
    name: str = ""  # upper-case property name, "" for a blank line
    name_raw: str = ""  # the name as written (without the group)
    params: tuple[Param, ...] = ()
    value: str = ""  # unfolded value, QP soft breaks removed, still escaped / encoded
    newline: str = ""  # the line end of the last physical line

    @property
    def is_blank(self) -> bool:
        return not self.name

    def param(self, name: str) -> list[str]:
        """Values of the parameters called ``name`` (upper-case)."""
        out: list[str] = []
        for p in self.params:
            if p.name == name:
                out.extend(p.values)
        return out

    @property
    def types(self) -> set[str]:
        """Lower-case TYPE values, bare 2.1 parameters included."""
        out: set[str] = set()
        for p in self.params:
            if p.name == "TYPE" or p.name is None:
                for v in p.values:  # TYPE="work,voice" (4.0) lists inside quotes
                    out.update(t.strip().lower() for t in v.split(",") if t.strip())
        return out

    @property
    def encoding(self) -> str | None:
        """'quoted-printable', 'b' (base64) or None."""
        for p in self.params:
            words = p.values if p.name in (None, "ENCODING") else ()
            for v in words:
                key = v.strip().upper()
                if key in ENCODING_WORDS and (p.name == "ENCODING" or key != "B"):
                    return ENCODING_WORDS[key]
        return None

    @property
    def charset(self) -> str | None:
        values = self.param("CHARSET")
        return values[0] if values else None


@dataclass
class Chunk:
    """A card's lines as found in the file (before mapping to a Contact)."""

    props: list[Prop]
    line: int
    before: str = ""
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


def parse_param(raw: str) -> Param:
    if "=" in raw:
        name, _, value = raw.partition("=")
        if '"' in value:
            values = tuple(_unquote(v) for v in _split_commas(value))
        else:
            values = tuple(v.strip() for v in value.split(","))
        return Param(raw, name.strip().upper(), values)
    return Param(raw, None, tuple(v.strip() for v in raw.split(",")) if raw else ())


def _split_commas(value: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in value:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _unquote(v: str) -> str:
    v = v.strip()
    if len(v) >= 2 and v[0] == '"' and v[-1] == '"':
        return v[1:-1]
    return v


def parse_content_line(text: str) -> tuple[str | None, str, list[Param], str] | None:
    """(group, name as written, params, value) or None when ``text`` is not a content line."""
    m = _LINE.match(text)
    if not m:
        return None
    head = m.group(3)
    params = [parse_param(p) for p in _PARAM.findall(head)] if head else []
    return m.group(1), m.group(2), params, text[m.end() :]


def _is_qp(params: list[Param]) -> bool:
    for p in params:
        if p.name is None or p.name == "ENCODING":
            for v in p.values:
                if v.strip().upper() == "QUOTED-PRINTABLE":
                    return True
    return False


_MARKER_START = frozenset("BbEe \t")


def _is_marker(content: str, word: str) -> bool:
    return (
        content[:1] in _MARKER_START
        and len(content) < 40
        and content.strip().upper() == f"{word}:VCARD"
    )


def _is_any_marker(content: str) -> bool:
    return (
        content[:1] in _MARKER_START
        and len(content) < 40
        and content.strip().upper() in ("BEGIN:VCARD", "END:VCARD")
    )


def split_cards(text: str, source: str, first_line: int = 1) -> tuple[list[Chunk], str]:
    """Cut the text into card chunks; returns (chunks, text after the last card).

    ``first_line`` is the file line ``text`` starts on (for messages).
    """
    tail: list[str] = []
    chunks = list(iter_chunks(text, source, first_line, tail))
    return chunks, "".join(tail)


def _iter_lines(text: str) -> Iterator[tuple[str, str]]:
    pos = 0
    for m in _LINE_END.finditer(text):
        end = m.group()
        yield text[pos : m.start()], _ENDS.get(end, end)
        pos = m.end()
    if pos < len(text):
        yield text[pos:], ""


def _agent_line(content: str) -> bool:
    head = content.strip().upper()
    return head.endswith(":") and head.split(";")[0].split(".")[-1].startswith("AGENT")


def iter_chunks(
    text: str, source: str, first_line: int = 1, tail: list[str] | None = None
) -> Iterator[Chunk]:
    """Card chunks one at a time (a big book never has all its lines in memory at once).

    The text after the last card is appended to ``tail``.
    """
    lines = enumerate(_iter_lines(text), start=first_line)
    pushed: tuple[int, tuple[str, str]] | None = None

    def take() -> tuple[int, tuple[str, str]] | None:
        nonlocal pushed
        if pushed is not None:
            item, pushed = pushed, None
            return item
        return next(lines, None)

    before: list[str] = []
    while (item := take()) is not None:
        start, (content, end) = item
        if not content.strip():
            before.append(content + end)
            continue
        buf = [(content, end)]
        error = None
        if _is_marker(content, "BEGIN"):
            depth = 0
            closed = False
            while (item := take()) is not None:
                no, (c, e) = item
                if _is_marker(c, "BEGIN"):
                    if not _agent_line(buf[-1][0]):
                        error = (
                            f"{source}:{start}: no END:VCARD before the next BEGIN:VCARD "
                            f"(line {no})"
                        )
                        pushed = item
                        break
                    depth += 1  # a 2.1 AGENT's embedded card
                elif _is_marker(c, "END"):
                    if not depth:
                        buf.append((c, e))
                        closed = True
                        break
                    depth -= 1
                buf.append((c, e))
            if not closed and error is None:
                error = f"{source}:{start}: no END:VCARD before the end of the file"
        else:
            ended = _is_marker(content, "END")
            while not ended and (item := take()) is not None:
                c = item[1][0]
                if _is_marker(c, "BEGIN"):
                    pushed = item
                    break
                buf.append(item[1])
                ended = _is_marker(c, "END")
            if ended:
                error = f"{source}:{start}: card does not start with BEGIN:VCARD"
            else:
                error = f"{source}:{start}: text outside BEGIN:VCARD ... END:VCARD"
        chunk = _chunk(buf, start, source)
        chunk.before = "".join(before)
        before = []
        if error:
            chunk.error = error
        yield chunk
    if tail is not None:
        tail.append("".join(before))


def _chunk(lines: list[tuple[str, str]], first_line: int, source: str) -> Chunk:
    """Unfold a card's physical lines into props (folding, QP soft breaks, AGENT cards)."""
    props: list[Prop] = []
    chunk = Chunk(props, first_line)
    k = 0
    n = len(lines)
    while k < n:
        content, end = lines[k]
        lineno = first_line + k
        if not content.strip():
            props.append(Prop(content + end, lineno))
            k += 1
            continue
        raw = [content + end]
        logical = content
        k += 1
        qp: bool | None = None  # known once the parameters have been read
        head = None
        head_of = None
        while k < n:
            nxt = lines[k][0]
            if qp is None:
                head, head_of = parse_content_line(logical), logical
                if head is not None:
                    qp = _is_qp(head[2])
            if _is_any_marker(nxt):
                break
            if qp and logical.endswith("="):
                logical = logical[:-1] + nxt  # quoted-printable soft line break
            elif nxt[:1] in (" ", "\t"):
                logical += nxt[1:]  # folding
            elif qp and nxt.strip() and parse_content_line(nxt) is None:
                logical += nxt  # a QP value broken without '=' (seen from Evolution)
            else:
                break
            raw.append(nxt + lines[k][1])
            k += 1
        parsed = head if head_of is logical else parse_content_line(logical)
        if parsed is None and _NAME.fullmatch(logical.strip()):
            # "FN" alone on a line: read as an empty property (KAddressBook does too)
            chunk.warnings.append(f"{source}:{lineno}: property without a value: {logical!r}")
            name = logical.strip().split(".")[-1]
            props.append(
                Prop("".join(raw), lineno, None, name.upper(), name, (), "", lines[k - 1][1])
            )
            continue
        if parsed is None:
            if chunk.error is None:
                chunk.error = f"{source}:{lineno}: not a vCard content line: {logical[:40]!r}"
            props.append(Prop("".join(raw), lineno, newline=lines[k - 1][1]))
            continue
        group, name_raw, params, value = parsed
        prop = Prop("", lineno, group, name_raw.upper(), name_raw, tuple(params), value)
        if (
            prop.name == "AGENT"
            and not value.strip()
            and k < n
            and _is_marker(lines[k][0], "BEGIN")
        ):
            # 2.1 embedded card: BEGIN:VCARD ... END:VCARD belongs to this property.
            depth = 0
            while k < n:
                c = lines[k][0]
                raw.append(c + lines[k][1])
                k += 1
                if _is_marker(c, "BEGIN"):
                    depth += 1
                elif _is_marker(c, "END"):
                    depth -= 1
                    if depth <= 0:
                        break
        props.append(
            Prop(
                "".join(raw),
                lineno,
                group,
                name_raw.upper(),
                name_raw,
                tuple(params),
                value,
                lines[k - 1][1],
            )
        )
    return chunk
