"""The two sides of one card photographed side by side: one contact, not two.

People photograph a card's front and back together (a logo or slogan on the back; or the
same details in a second language, e.g. Chinese on one side and English on the other).
:func:`join_sides` finds such pairs among the cards of one photo and reads each pair as one
page: the side with the contact details first, the other below it.

Two cards count as the sides of one when they are the same size and shape (one card stock)
and either
* exactly two cards are in the photo and only one of them carries contact details (e-mail,
  phone number, web address): the other is a back with a logo, a slogan, a map; or
* both carry details, they share one, and all of one side's details are on the other (a
  translation). Two colleagues' cards share the office number and the web site, but each
  has its own e-mail or mobile, so they stay two.
"""

from __future__ import annotations

import dataclasses
import re

from .page import Line, OcrPage, Word

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_WEB = re.compile(r"(?:https?://|www\.)[\w.-]+", re.IGNORECASE)
#: a run of digits with single separators between groups (greedy, so no backtracking)
_DIGITS = re.compile(r"\+?\d+(?:[ .\-()/]?\d+)*")
#: pixels between the two sides in the joined page
_GAP = 40


def details(page: OcrPage) -> frozenset[str]:
    """The contact details printed on a page, normalised: e-mails and web hosts lower-case,
    phone numbers as their last 8 digits (one side may add the country code)."""
    text = page.text
    out = {m.group(0).lower() for m in _EMAIL.finditer(text)}
    out |= {"web:" + m.group(0).lower().split("://")[-1].removeprefix("www.")
            for m in _WEB.finditer(text)}
    for m in _DIGITS.finditer(text):
        run = m.group(0)
        # two numbers on one line, one space apart: too long for one, so each on its own
        parts = [run] if len(re.sub(r"\D", "", run)) <= 15 else run.split()
        for part in parts:
            digits = re.sub(r"\D", "", part)
            if 7 <= len(digits) <= 15:
                out.add("tel:" + digits[-8:])
    return frozenset(out)


def _same_stock(a: OcrPage, b: OcrPage) -> bool:
    """Same shape (aspect within 10%) and, when the outlines are known, the same size in
    the photo (area within 25%)."""
    ra = max(a.width, a.height) / max(1, min(a.width, a.height))
    rb = max(b.width, b.height) / max(1, min(b.width, b.height))
    if abs(ra - rb) > 0.1 * min(ra, rb):
        return False
    qa = a.info.quad if a.info else None
    qb = b.info.quad if b.info else None
    if qa and qb:
        area_a, area_b = _area(qa), _area(qb)
        return max(area_a, area_b) <= 1.25 * max(min(area_a, area_b), 1e-6)
    return True


def _area(quad: tuple[tuple[float, float], ...]) -> float:
    pts = list(quad)
    s = 0.0
    for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=True):
        s += x0 * y1 - x1 * y0
    return abs(s) / 2


def sides_of_one(a: OcrPage, b: OcrPage, *, cards: int) -> bool:
    """Whether ``a`` and ``b`` (two of ``cards`` pages from one photo) are one card's two
    sides."""
    if not (a.words and b.words) or not _same_stock(a, b):
        return False
    da, db = details(a), details(b)
    if not da or not db:
        return cards == 2 and bool(da or db)
    return bool(da & db) and (da <= db or db <= da)


def stack(front: OcrPage, back: OcrPage) -> OcrPage:
    """One page: ``front`` with ``back`` below it (words, lines and blocks renumbered)."""
    dy = front.height + _GAP
    nw, nl = len(front.words), len(front.lines)
    nb = 1 + max((w.block for w in front.words), default=0)
    words = front.words + tuple(
        Word(w.text, (w.box[0], w.box[1] + dy, w.box[2], w.box[3]), w.conf, w.line + nl,
             w.block + nb) for w in back.words)
    lines = front.lines + tuple(
        Line(tuple(i + nw for i in ln.words), ln.text,
             (ln.box[0], ln.box[1] + dy, ln.box[2], ln.box[3]), ln.height, ln.conf,
             ln.block + nb) for ln in back.lines)
    return dataclasses.replace(front, width=max(front.width, back.width),
                               height=dy + back.height, words=words, lines=lines,
                               qr=front.qr + tuple(q for q in back.qr if q not in front.qr))


def join_sides(pages: list[OcrPage]) -> list[OcrPage]:
    """The pages of one photo with each card's two sides joined into one page (the side
    with more contact details first); the card indices in ``info`` renumbered."""
    if len(pages) < 2:
        return pages
    out: list[OcrPage] = []
    used: set[int] = set()
    for i, a in enumerate(pages):
        if i in used:
            continue
        for j in range(i + 1, len(pages)):
            b = pages[j]
            if j not in used and sides_of_one(a, b, cards=len(pages)):
                front, back = (a, b) if len(details(a)) >= len(details(b)) else (b, a)
                a = stack(front, back)
                used.add(j)
                break
        out.append(a)
    if len(out) == len(pages):
        return pages
    return [dataclasses.replace(p, info=dataclasses.replace(p.info, card=k, cards=len(out)))
            if p.info is not None else p for k, p in enumerate(out)]
