"""Card layouts and the top-level ``render_card``.

Each layout puts groups of lines into regions of the card (see ``render.Painter``);
``_place`` scales a group down until it fits and falls back to two columns when one
column would make the text too small.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from . import content as content_mod
from .content import Content, Seg, TLine
from .fonts import cjk_families, families_covering
from .people import Person
from .render import (
    LAYOUTS,
    Painter,
    Rendered,
    Style,
    draw_logo,
    draw_qr,
    pick_style,
    qr_payload,
)

#: card formats: name -> (width in, height in); "jp_portrait" is the Japanese 55 x 91 mm card
#: stood on its end, as vertical cards are printed
FORMATS = {"us": (3.5, 2.0), "eu": (85 / 25.4, 55 / 25.4), "jp_portrait": (55 / 25.4, 91 / 25.4)}

#: Vietnamese letters a font must draw for a Vietnamese card
_VI_LETTERS = "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđĐƠơƯư"


@dataclass
class Ctx:
    p: Painter
    c: Content
    rng: random.Random
    style: Style
    rect: tuple[float, float, float, float]
    logo: bool
    W: int
    H: int

    @property
    def draw(self) -> ImageDraw.ImageDraw:
        return self.p.draw


def _gap(lines: list[TLine], gap: float) -> list[TLine]:
    if lines:
        lines = list(lines)
        first = lines[0]
        lines[0] = TLine(first.segs, first.field, first.size, first.family, first.style,
                         first.color, first.tracking, first.gap + gap)
    return lines


def _place(ctx: Ctx, lines: list[TLine], region: tuple[float, float, float, float],
           align: str = "left", valign: str = "top", on_band: bool = False,
           scale: float | None = None) -> float:
    """Draw ``lines`` inside ``region`` (scaled down to fit); returns the scale used."""
    if not lines:
        return 1.0
    x0, y0, x1, y1 = region
    if scale is None:
        bw, bh = ctx.p.block_size(lines, 1.0)
        scale = min(1.0, (x1 - x0) / max(bw, 1), (y1 - y0) / max(bh, 1))
    _, bh = ctx.p.block_size(lines, scale)
    y = {"top": y0, "bottom": y1 - bh, "center": (y0 + y1 - bh) / 2}[valign]
    ctx.p.draw_block(lines, x0, y, x1, align, scale, on_band)
    return scale


def _place_groups(ctx: Ctx, groups: list[list[TLine]], region: tuple[float, float, float, float],
                  align: str = "left", valign: str = "bottom", on_band: bool = False) -> None:
    """One column, or two side by side (same text size) when that keeps the text bigger."""
    groups = [g for g in groups if g]
    if not groups:
        return
    flat = [ln for i, g in enumerate(groups) for ln in (_gap(g, 0.25) if i else g)]
    x0, y0, x1, y1 = region
    bw, bh = ctx.p.block_size(flat, 1.0)
    one = min(1.0, (x1 - x0) / max(bw, 1), (y1 - y0) / max(bh, 1))
    if one >= 0.9 or len(groups) < 2:
        _place(ctx, flat, region, align, valign, on_band)
        return
    left, right = groups[0], [ln for g in groups[1:] for ln in g]
    gap = (x1 - x0) * 0.05
    lw, lh = ctx.p.block_size(left, 1.0)
    rw, rh = ctx.p.block_size(right, 1.0)
    two = min(1.0, (x1 - x0 - gap) / max(lw + rw, 1), (y1 - y0) / max(lh, rh, 1))
    if two <= one:
        _place(ctx, flat, region, align, valign, on_band)
        return
    spare = (x1 - x0 - gap) - (lw + rw) * two
    mid = x0 + lw * two + spare * (0.5 if align != "right" else 1.0)
    side = "left" if align != "right" else "right"
    _place(ctx, left, (x0, y0, mid, y1), side, valign, on_band, two)
    _place(ctx, right, (mid + gap, y0, x1, y1), side, valign, on_band, two)


def _wrap(lines: list[TLine], max_chars: int = 16) -> list[TLine]:
    """Split a long one-line company name over two lines (for narrow bands and blocks)."""
    out = []
    for ln in lines:
        text = ln.segs[0].text if len(ln.segs) == 1 else None
        if text and len(text) > max_chars and " " in text:
            words = text.split(" ")
            best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) -
                                                               len(text) / 2))
            for part in (" ".join(words[:best]), " ".join(words[best:])):
                out.append(TLine([Seg(part)], ln.field, ln.size, ln.family, ln.style, ln.color,
                                 ln.tracking))
        else:
            out.append(ln)
    return out


def _ident(ctx: Ctx, with_company: bool = False) -> list[TLine]:
    c = ctx.c
    lines = c.name + _gap(c.title, 0.05) + [e for e in c.extra if e.field == "dept"]
    if with_company:
        lines += _gap(c.company, 0.35)
    return lines


def _contacts(ctx: Ctx) -> list[list[TLine]]:
    c = ctx.c
    tag = [e for e in c.extra if e.field in ("tagline", "note")]
    return [c.contact, c.address + c.social + tag] if c.address or c.social or tag else [c.contact]


def _logo(ctx: Ctx, box: tuple[float, float, float, float], on_band: bool = False) -> None:
    color = ctx.style.band_text if on_band else ctx.style.accent
    bg = ctx.style.band if on_band else ctx.style.bg
    draw_logo(ctx.draw, ctx.rng, box, color, bg)


# -- layouts -------------------------------------------------------------------------------


def lay_left_aligned(ctx: Ctx) -> None:
    x0, y0, x1, y1 = ctx.rect
    h = y1 - y0
    lw = 0.0
    if ctx.logo:
        s = h * 0.26
        _logo(ctx, (x1 - s, y0, x1, y0 + s))
        lw = s * 1.2
    with_co = ctx.rng.random() < 0.5
    _place(ctx, _ident(ctx, with_co), (x0, y0, x1 - lw, y0 + h * 0.47))
    groups = _contacts(ctx)
    if not with_co:
        groups[0] = ctx.c.company + _gap(groups[0], 0.3)
    _place_groups(ctx, groups, (x0, y0 + h * 0.52, x1, y1))


def lay_centered(ctx: Ctx) -> None:
    x0, y0, x1, y1 = ctx.rect
    h = y1 - y0
    top = y0
    if ctx.logo:
        s = h * 0.18
        cx = (x0 + x1) / 2
        _logo(ctx, (cx - s / 2, y0, cx + s / 2, y0 + s))
        top += s * 1.15
    _place(ctx, ctx.c.company + _gap(_ident(ctx), 0.3), (x0, top, x1, y0 + h * 0.55), "center",
           "center")
    rule_y = y0 + h * 0.58
    ctx.draw.line((x0 + (x1 - x0) * 0.35, rule_y, x1 - (x1 - x0) * 0.35, rule_y),
                  fill=ctx.style.accent, width=max(2, int(h * 0.005)))
    _place_groups(ctx, _contacts(ctx), (x0, y0 + h * 0.62, x1, y1), "center", "center")


def lay_two_column(ctx: Ctx) -> None:
    x0, y0, x1, y1 = ctx.rect
    w = x1 - x0
    mid = x0 + w * 0.47
    lines = _ident(ctx, True)
    if ctx.logo:
        s = (y1 - y0) * 0.2
        _logo(ctx, (x0, y0, x0 + s, y0 + s))
        _place(ctx, lines, (x0, y0 + s * 1.2, mid, y1), "left", "center")
    else:
        _place(ctx, lines, (x0, y0, mid, y1), "left", "center")
    ctx.draw.line((x0 + w * 0.5, y0 + 10, x0 + w * 0.5, y1 - 10), fill=ctx.style.accent,
                  width=max(2, int((y1 - y0) * 0.005)))
    flat = [ln for g in _contacts(ctx) for ln in g]
    _place(ctx, flat, (x0 + w * 0.53, y0, x1, y1), ctx.rng.choice(("left", "right")), "center")


def lay_logo_block(ctx: Ctx) -> None:
    x0, y0, x1, y1 = ctx.rect
    w, h = x1 - x0, y1 - y0
    lx1 = x0 + w * 0.32
    s = min(h * 0.42, w * 0.22)
    _logo(ctx, ((x0 + lx1 - s) / 2, y0 + h * 0.05, (x0 + lx1 + s) / 2, y0 + h * 0.05 + s))
    _place(ctx, _wrap(ctx.c.company), (x0, y0 + h * 0.05 + s * 1.15, lx1, y1), "center", "top")
    rx0 = x0 + w * 0.37
    _place(ctx, _ident(ctx), (rx0, y0, x1, y0 + h * 0.42))
    _place_groups(ctx, _contacts(ctx), (rx0, y0 + h * 0.47, x1, y1))


def lay_company_top(ctx: Ctx) -> None:
    x0, y0, x1, y1 = ctx.rect
    w, h = x1 - x0, y1 - y0
    cx0 = x0
    if ctx.logo:
        s = h * 0.24
        _logo(ctx, (x0, y0, x0 + s, y0 + s))
        cx0 += s * 1.25
    big = [TLine(ln.segs, ln.field, ln.size * 1.25, ln.family, ln.style, ln.color, ln.tracking)
           for ln in ctx.c.company]
    _place(ctx, big, (cx0, y0, x1, y0 + h * 0.26), "left", "center")
    ry = y0 + h * 0.31
    ctx.draw.line((x0, ry, x1, ry), fill=ctx.style.accent, width=max(2, int(h * 0.006)))
    _place(ctx, _ident(ctx), (x0, ry + h * 0.06, x0 + w * 0.46, y1), "left", "bottom")
    flat = [ln for g in _contacts(ctx) for ln in g]
    _place(ctx, flat, (x0 + w * 0.5, ry + h * 0.06, x1, y1), "right", "bottom")


def lay_band_left(ctx: Ctx) -> None:
    x0, y0, x1, y1 = ctx.rect
    h = y1 - y0
    bw = ctx.W * ctx.rng.uniform(0.26, 0.33)
    ctx.draw.rectangle((0, 0, bw, ctx.H), fill=ctx.style.band)
    m = x0
    top = y0
    if ctx.logo:
        s = min(h * 0.3, bw - 2 * m)
        _logo(ctx, ((bw - s) / 2, y0, (bw + s) / 2, y0 + s), on_band=True)
        top = y0 + s * 1.2
    _place(ctx, _wrap(ctx.c.company, 12), (m * 0.7, top, bw - m * 0.7, y1), "center",
           "top" if ctx.logo else "center", on_band=True)
    rx0 = bw + m
    _place(ctx, _ident(ctx), (rx0, y0, x1, y0 + h * 0.42))
    _place_groups(ctx, _contacts(ctx), (rx0, y0 + h * 0.47, x1, y1))


def lay_band_bottom(ctx: Ctx) -> None:
    x0, y0, x1, y1 = ctx.rect
    w = x1 - x0
    by = ctx.H * ctx.rng.uniform(0.56, 0.62)
    ctx.draw.rectangle((0, by, ctx.W, ctx.H), fill=ctx.style.band)
    m = y0
    _place(ctx, _ident(ctx), (x0, y0, x0 + w * 0.58, by - m * 0.5), "left", "center")
    cx0 = x0 + w * 0.62
    if ctx.logo:
        s = (by - y0) * 0.45
        _logo(ctx, (x1 - s, y0, x1, y0 + s))
        _place(ctx, _wrap(ctx.c.company), (cx0, y0 + s * 1.1, x1, by - m * 0.5), "right", "top")
    else:
        _place(ctx, _wrap(ctx.c.company), (cx0, y0, x1, by - m * 0.5), "right", "center")
    _place_groups(ctx, _contacts(ctx), (x0, by + m * 0.5, x1, ctx.H - m * 0.5), "left", "center",
                  on_band=True)


def lay_band_top(ctx: Ctx) -> None:
    x0, y0, x1, y1 = ctx.rect
    w = x1 - x0
    bh = ctx.H * ctx.rng.uniform(0.24, 0.3)
    ctx.draw.rectangle((0, 0, ctx.W, bh), fill=ctx.style.band)
    m = y0
    cx0 = x0
    if ctx.logo:
        s = bh - m
        _logo(ctx, (x0, m / 2, x0 + s, m / 2 + s), on_band=True)
        cx0 += s * 1.2
    _place(ctx, ctx.c.company, (cx0, m * 0.4, x1, bh - m * 0.4), "left", "center", on_band=True)
    _place(ctx, _ident(ctx), (x0, bh + m * 0.6, x0 + w * 0.5, y1), "left", "top")
    flat = [ln for g in _contacts(ctx) for ln in g]
    _place(ctx, flat, (x0 + w * 0.5, bh + m * 0.6, x1, y1), "right", "bottom")


def lay_name_top(ctx: Ctx) -> None:
    x0, y0, x1, y1 = ctx.rect
    w, h = x1 - x0, y1 - y0
    big = [TLine(ln.segs, ln.field, ln.size * 1.35, ln.family, ln.style, ln.color, ln.tracking)
           for ln in ctx.c.name]
    _place(ctx, big + _gap(ctx.c.title, 0.05), (x0, y0, x1, y0 + h * 0.36))
    _place(ctx, ctx.c.company + [e for e in ctx.c.extra if e.field == "dept"],
           (x0, y0 + h * 0.39, x1, y0 + h * 0.52))
    groups = _contacts(ctx)
    if len(groups) == 1:
        _place(ctx, groups[0], (x0, y0 + h * 0.56, x1, y1), "left", "bottom")
        return
    _place(ctx, groups[0], (x0, y0 + h * 0.56, x0 + w * 0.49, y1), "left", "bottom")
    _place(ctx, groups[1], (x0 + w * 0.52, y0 + h * 0.56, x1, y1), "left", "bottom")


def lay_right_aligned(ctx: Ctx) -> None:
    x0, y0, x1, y1 = ctx.rect
    w, h = x1 - x0, y1 - y0
    rx0 = x0
    if ctx.logo:
        s = min(h * 0.35, w * 0.2)
        _logo(ctx, (x0, y0 + (h - s) / 2, x0 + s, y0 + (h + s) / 2))
        rx0 = x0 + s * 1.3
    _place(ctx, ctx.c.company + _gap(_ident(ctx), 0.3), (rx0, y0, x1, y0 + h * 0.5), "right", "top")
    _place_groups(ctx, _contacts(ctx), (rx0, y0 + h * 0.54, x1, y1), "right", "bottom")


def _split_column(line: TLine) -> list[TLine]:
    """A column too long for the card, cut in two at the space nearest its middle."""
    text = line.text
    cuts = [i for i, ch in enumerate(text) if ch in " 　"]
    mid = min(cuts, key=lambda i: abs(i - len(text) / 2)) if cuts else len(text) // 2
    parts = [text[:mid].strip(), text[mid:].strip()]
    return [TLine([Seg(t)], line.field, line.size, line.family, line.style, line.color)
            for t in parts if t]


def lay_vertical(ctx: Ctx) -> None:
    """A portrait CJK card: company, title, name and address as columns from the right;
    numbers, emails and websites in a horizontal block at the foot (as most vertical
    cards print their Latin text)."""
    x0, y0, x1, y1 = ctx.rect
    h = y1 - y0
    c = ctx.c
    foot = y0 + h * 0.7
    col_h = foot - y0 - h * 0.03
    columns: list[tuple[TLine, float]] = []  # (line, top offset as a share of col_h)
    columns += [(ln, 0.0) for ln in c.company[:1]]
    columns += [(ln, 0.12) for ln in c.title]
    columns += [(ln, 0.2) for ln in c.name[:1]]
    for ln in c.address:
        text = TLine([Seg(ln.text)], ln.field, ln.size, ln.family, ln.style, ln.color)
        parts = [text]
        while len(parts) < 4 and any(ctx.p.column_length(q, 1.0) > col_h for q in parts):
            parts = [r for q in parts for r in _split_column(q)]
        columns += [(q, 0.04) for q in parts]
    x = x1
    for i, (ln, top) in enumerate(columns):
        avail = col_h * (1 - top)
        scale = min(1.0, avail / max(ctx.p.column_length(ln, 1.0), 1.0))
        size = ln.size * ctx.p.pt_px * scale
        gap = size * (0.9 if ln.field == "name" or (i and columns[i - 1][0].field == "name")
                      else 0.45)
        x -= size / 2 + (gap if i else 0)
        ctx.p.draw_column(ln, x, y0 + col_h * top, scale)
        x -= size / 2
    flat = [ln for g in _contacts(ctx) for ln in g if ln.field != "address"]
    _place(ctx, flat, (x0, foot + h * 0.02, x1, y1), "left", "bottom")


_LAYOUT_FUNCS = {name: globals()[f"lay_{name}"] for name in (*LAYOUTS, "vertical")}


def render_card(person: Person, rng: random.Random, *, dark: bool, layout: str | None = None,
                qr: bool = False, logo: bool | None = None, small_text: bool = False,
                low_contrast: bool = False, px_per_in: float = 300.0,
                card_format: str | None = None) -> Rendered:
    """Draw the card for ``person``; every choice not given is drawn from ``rng``."""
    fixed_layout = layout
    if person.vertical:
        fixed_layout, card_format, qr = "vertical", "jp_portrait", False
    if card_format is None:
        card_format = "us" if person.region == "US" or rng.random() < 0.2 else "eu"
    w_in, h_in = FORMATS[card_format]
    W, H = int(round(w_in * px_per_in)), int(round(h_in * px_per_in))
    pt_px = px_per_in / 72.0
    fams = None
    if person.script in ("ja", "ko", "zh", "zh-Hant"):
        fams = cjk_families(person.script) or None
    elif person.script == "vi":
        fams = families_covering(_VI_LETTERS) or None
    style = pick_style(rng, dark, low_contrast, fams)
    body = rng.uniform(6.0, 7.0) if small_text else rng.uniform(7.0, 8.6)
    sizes = {"body_pt": body, "name_pt": rng.uniform(11.5, 15.5),
             "company_pt": rng.uniform(9.0, 13.0)}
    if logo is None:
        logo = rng.random() < 0.45
    m = H * rng.uniform(0.07, 0.1)
    payload = qr_payload(person) if qr else None
    best: tuple[float, Image.Image, Painter, str, Content] | None = None
    floor = 5.0 if small_text else 6.0
    for attempt in range(8):
        if attempt == 4:
            # still too crowded: print less (the ground truth follows the person)
            person.social = person.social[:1]
            # what is no longer printed leaves the note too
            person.note_lines = [n for n in person.note_lines if n != person.tagline]
            person.tagline = person.department = None
            if len(person.address_lines) > 2:
                person.address_lines = [", ".join(person.address_lines)]
        if attempt in (0, 4):
            c = content_mod.build(person, rng, **sizes)
        layout = fixed_layout or rng.choice(LAYOUTS)
        if qr and layout in ("band_bottom", "band_top", "centered", "two_column"):
            layout = rng.choice(("left_aligned", "logo_block", "band_left", "name_top"))
        img = Image.new("RGB", (W, H), style.bg)
        painter = Painter(img, style, pt_px)
        rect = [m * 1.1, m, W - m * 1.1, H - m]
        if payload:
            s = H * 0.5
            qx1 = W - m
            draw_qr(img, payload, (qx1 - s, (H - s) / 2, qx1, (H + s) / 2))
            rect[2] = qx1 - s - m * 0.6
        ctx = Ctx(painter, c, rng, style, (rect[0], rect[1], rect[2], rect[3]), logo, W, H)
        _LAYOUT_FUNCS[layout](ctx)
        if attempt >= 4 and best is not None and best[4] is not c:
            best = None  # the person changed: earlier drawings no longer match the truth
        if best is None or painter.min_pt > best[0]:
            best = (painter.min_pt, img, painter, layout, c)
        # keep the text at least ~6 pt (5 pt for the small-print cards) or try another layout
        if painter.min_pt >= floor or fixed_layout:
            break
    assert best is not None
    _, img, painter, layout, c = best
    arr = np.asarray(img, dtype=np.uint8).copy()
    return Rendered(arr, painter.lines, layout, dark, payload, c, (w_in, h_in),
                    {"format": card_format, "min_pt": round(painter.min_pt, 2),
                     "small_text": small_text, "low_contrast": low_contrast and not dark})
