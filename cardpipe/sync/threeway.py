"""Three-way merge of one vCard changed both here and on the server, against the last
version both sides agreed on (the ledger's ``base``).

Every property is compared by its canonical content line (``vcard.canonical_line``:
case, parameter syntax, escapes and folding do not count), so what a server rewrites is
no change. Then, as a version-control merge does:

- a property that may appear many times (TEL, EMAIL, ADR, URL, TITLE, ROLE, X-…, and a
  whole ``item1.`` group with its label) is kept when both sides have it or when one side
  added it; it is dropped when one side deleted it and the other did not touch it;
- a property that appears once (FN, N, BDAY, ANNIVERSARY, GENDER, KIND, PHOTO …) takes
  the side that changed it; changed on both sides to different values it is a conflict:
  the server's value is kept (an edit on the phone is a person's correction) and ours
  goes into the note, and the conflict is reported;
- NOTE is merged line by line in the same way;
- VERSION, PRODID and REV come from the server's card.

Properties cardpipe does not model pass through untouched: the merge works on the cards'
own lines, not on ``Contact``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..vcard import Prop, canonical_line, prop_text
from ..vcard._lex import iter_chunks
from ..vcard._text import escape, fold, unescape

__all__ = ["Merged", "merge3"]

#: RFC 6350 cardinality *1 (and PHOTO / LOGO / SOUND, which clients treat as one)
SINGLE = frozenset({"FN", "N", "BDAY", "ANNIVERSARY", "GENDER", "KIND", "UID", "TZ", "GEO",
                    "PHOTO", "LOGO", "SOUND", "SORT-STRING", "CLASS"})
#: the server's copy is taken: they say nothing about the person
FROM_SERVER = frozenset({"VERSION", "PRODID", "REV"})
_FRAME = frozenset({"BEGIN", "END"})
_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
_GROUP_NO = re.compile(r"(\d+)$")


@dataclass(frozen=True)
class Conflict:
    name: str  # the property, e.g. "BDAY"
    ours: str | None  # its value here (None: deleted here)
    theirs: str | None  # its value on the server


@dataclass(frozen=True)
class Merged:
    text: str
    conflicts: tuple[Conflict, ...] = ()
    changed_here: tuple[str, ...] = ()  # properties our side changed that were kept
    changed_there: tuple[str, ...] = ()


@dataclass
class _Card:
    frame: list[Prop] = field(default_factory=list)
    server: list[Prop] = field(default_factory=list)  # VERSION, PRODID, REV
    singles: dict[str, Prop] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    note_props: list[Prop] = field(default_factory=list)
    items: list[tuple[tuple[str, ...], list[Prop]]] = field(default_factory=list)
    newline: str = "\r\n"


def _key(prop: Prop) -> str:
    line = canonical_line(prop) or ""
    return line.split(".", 1)[1] if "." in line.split(";", 1)[0].split(":", 1)[0] else line


def _read(text: str) -> _Card:
    card = _Card()
    chunk = next(iter(iter_chunks(text, "")), None)
    if chunk is None:
        return card
    groups: dict[str, list[Prop]] = {}
    order: list[tuple[str | None, Prop]] = []
    for prop in chunk.props:
        if prop.newline:
            card.newline = prop.newline
        if not prop.name:
            continue
        if prop.name in _FRAME:
            card.frame.append(prop)
        elif prop.name in FROM_SERVER and not prop.group:
            card.server.append(prop)
        elif prop.group:
            g = prop.group.lower()
            if g not in groups:
                groups[g] = []
                order.append((g, prop))
            groups[g].append(prop)
        elif prop.name == "NOTE":
            card.notes.extend(_text(prop).splitlines())
            card.note_props.append(prop)
        elif prop.name in SINGLE and prop.name not in card.singles:
            card.singles[prop.name] = prop
        else:
            order.append((None, prop))
    for key, prop in order:
        props = groups[key] if key is not None else [prop]
        card.items.append((tuple(sorted(_key(p) for p in props)), props))
    return card


def _text(prop: Prop) -> str:
    return unescape(prop_text(prop, "utf-8"))


def _keep(key: object, mine: set, theirs: set, base: set) -> bool:
    """The three-way rule for one item of a set: present on both sides, or added by one."""
    return (key in mine and key in theirs) or (key in mine and key not in base) or (
        key in theirs and key not in base)


def _merge_lines(base: list[str], mine: list[str], theirs: list[str]) -> list[str]:
    b, m, t = set(base), set(mine), set(theirs)
    out = [x for x in theirs if _keep(x, m, t, b)]
    out += [x for x in mine if x not in t and x not in b and x not in out]
    return out


def _line(prop: Prop, newline: str) -> str:
    """The property's own text with the server card's line ends."""
    return re.sub(r"\r\n|\r|\n", newline, prop.raw)


def _regroup(props: list[Prop], taken: set[str]) -> tuple[list[Prop], str | None]:
    """Props of a group of ours renamed when the server's card uses its name already."""
    group = props[0].group
    if group is None or group.lower() not in taken:
        return props, group
    stem = _GROUP_NO.sub("", group) or "item"
    n = 1
    while f"{stem}{n}".lower() in taken:
        n += 1
    new = f"{stem}{n}"
    renamed = [Prop(raw=re.sub(rf"^{re.escape(group)}\.", f"{new}.", p.raw), line=p.line,
                    group=new, name=p.name, name_raw=p.name_raw, params=p.params,
                    value=p.value, newline=p.newline) for p in props]
    return renamed, new


def merge3(base: str, mine: str, theirs: str) -> Merged:
    """Our card (``mine``) and the server's (``theirs``), both changed since ``base``."""
    b, m, t = _read(base), _read(mine), _read(theirs)
    nl = t.newline
    conflicts: list[Conflict] = []
    here: list[str] = []
    there: list[str] = []
    singles: list[Prop] = []
    names = list(dict.fromkeys([*t.singles, *m.singles, *b.singles]))
    for name in names:
        pb, pm, pt = b.singles.get(name), m.singles.get(name), t.singles.get(name)
        kb, km, kt = (_key(p) if p is not None else None for p in (pb, pm, pt))
        if km in (kt, kb):
            chosen = pt
            if kt != kb:
                there.append(name)
        elif kt == kb:
            chosen = pm
            here.append(name)
        else:  # both changed it, differently: the server's wins, ours goes to the note
            chosen = pt if pt is not None else pm
            conflicts.append(Conflict(name, None if pm is None else _text(pm),
                                      None if pt is None else _text(pt)))
        if chosen is not None:
            singles.append(chosen)
    bk = {k for k, _ in b.items}
    mk = {k for k, _ in m.items}
    tk = {k for k, _ in t.items}
    items: list[list[Prop]] = [props for k, props in t.items if _keep(k, mk, tk, bk)]
    there += sorted({props[0].name for k, props in t.items if k not in bk} |
                    {props[0].name for k, props in b.items if k not in tk and k in mk})
    taken = {p.group.lower() for props in items for p in props if p.group}
    seen = set(tk)
    for k, props in m.items:
        if k in seen or k in bk:
            continue
        seen.add(k)
        props, group = _regroup(props, taken)
        if group:
            taken.add(group.lower())
        items.append(props)
        here.append(props[0].name)
    here += sorted({props[0].name for k, props in b.items if k not in mk and k in tk})
    notes = _merge_lines(b.notes, m.notes, t.notes)
    for c in conflicts:  # a picture is reported, not written into the note
        if c.ours is not None and c.ours != c.theirs and c.name not in _BINARY:
            notes.append(f"{c.name} here before the server's change: {c.ours}")
    begin = next((p for p in t.frame if p.name == "BEGIN"), None)
    out = [_line(begin, nl) if begin is not None else f"BEGIN:VCARD{nl}"]
    out += [_line(p, nl) for p in t.server]
    out += [_line(p, nl) for p in singles]
    out += [_line(p, nl) for props in items for p in props]
    if notes == t.notes:  # the server's note as it wrote it
        out += [_line(p, nl) for p in t.note_props]
    elif notes:
        out.append(fold("NOTE:" + escape("\n".join(notes)), nl) + nl)
    out.append(f"END:VCARD{nl}")
    return Merged("".join(out), tuple(conflicts), tuple(dict.fromkeys(here)),
                  tuple(dict.fromkeys(there)))
