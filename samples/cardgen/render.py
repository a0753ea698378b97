"""Render a flat business card (as printed, ~300 dpi) from a Person.

A layout places blocks of text lines into regions of the card; a block that does not fit
its region is scaled down as a whole, so every printed value is drawn in full and nothing
overlaps.  Returns the RGB image, every drawn line with its box, and the QR payload.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

import numpy as np
import qrcode
from PIL import Image, ImageDraw

from . import content as content_mod
from .content import Content, TLine
from .fonts import Family, families, symbol_font
from .people import Person

LAYOUTS = ("left_aligned", "centered", "two_column", "logo_block", "company_top",
           "band_left", "band_bottom", "band_top", "name_top", "right_aligned")

LIGHT_BG = ((255, 255, 255), (255, 255, 255), (252, 251, 247), (246, 243, 235), (240, 240, 238),
            (238, 244, 250), (250, 246, 240), (222, 205, 170))
DARK_BG = ((20, 20, 22), (29, 39, 51), (34, 49, 63), (43, 43, 43), (15, 59, 46), (74, 16, 32),
           (44, 36, 80), (10, 30, 60))
DARK_TEXT = ((20, 20, 20), (40, 40, 40), (31, 42, 68), (55, 55, 60))
LIGHT_TEXT = ((255, 255, 255), (240, 240, 240), (245, 238, 220), (230, 232, 236))
ACCENTS = ((0, 115, 140), (180, 30, 45), (220, 100, 20), (30, 70, 170), (20, 120, 60),
           (110, 40, 140), (170, 130, 50), (0, 90, 160), (200, 40, 90))
LIGHT_ACCENTS = ((212, 180, 106), (120, 200, 220), (250, 170, 90), (160, 220, 160),
                 (255, 255, 255))
BANDS = ((20, 40, 80), (140, 20, 35), (15, 80, 70), (40, 40, 45), (0, 84, 140), (90, 30, 110),
         (200, 80, 10))


@dataclass
class Style:
    head: Family
    body: Family
    bg: tuple[int, int, int]
    text: tuple[int, int, int]
    accent: tuple[int, int, int]
    muted: tuple[int, int, int]
    band: tuple[int, int, int]
    band_text: tuple[int, int, int]
    dark: bool


@dataclass
class DrawnLine:
    text: str
    field: str
    box: tuple[int, int, int, int]


@dataclass
class Rendered:
    image: np.ndarray  # RGB uint8
    lines: list[DrawnLine]
    layout: str
    dark: bool
    qr: str | None
    content: Content
    size_in: tuple[float, float]
    extra: dict = field(default_factory=dict)


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b, strict=True))  # type: ignore


def pick_style(rng: random.Random, dark: bool, low_contrast: bool,
               fams: tuple[Family, ...] | None = None) -> Style:
    """Fonts and colours; ``fams`` are the families to draw from (default: all Latin ones)."""
    fams = fams or families()
    head = rng.choice(fams)
    body = head if rng.random() < 0.45 else rng.choice(fams)
    if dark:
        bg, text = rng.choice(DARK_BG), rng.choice(LIGHT_TEXT)
        accent = rng.choice(LIGHT_ACCENTS)
        muted = _mix(text, bg, 0.25)
        band, band_text = _mix(bg, (255, 255, 255), 0.12), text
    else:
        bg, text = rng.choice(LIGHT_BG), rng.choice(DARK_TEXT)
        accent = rng.choice(ACCENTS)
        muted = _mix(text, bg, 0.35)
        band, band_text = rng.choice(BANDS), rng.choice(LIGHT_TEXT)
        if low_contrast:
            text = _mix(text, bg, rng.uniform(0.2, 0.35))
            muted = _mix(text, bg, 0.3)
            accent = _mix(accent, bg, 0.3)
    return Style(head, body, bg, text, accent, muted, band, band_text, dark)


# -- measuring and drawing lines ------------------------------------------------------------


class Painter:
    def __init__(self, img: Image.Image, style: Style, pt_px: float) -> None:
        self.min_pt = 99.0  # the smallest body text drawn, in points
        self.img = img
        self.draw = ImageDraw.Draw(img)
        self.style = style
        self.pt_px = pt_px
        self.lines: list[DrawnLine] = []

    def _font(self, line: TLine, seg_style: str, scale: float):
        fam = self.style.head if line.family == "head" else self.style.body
        return fam.font(seg_style or line.style, line.size * self.pt_px * scale)

    def seg_width(self, line: TLine, seg: content_mod.Seg, scale: float) -> float:
        size = line.size * self.pt_px * scale
        if seg.role == "icon":
            f = symbol_font(size * 0.95)
            return f.getlength(seg.text) if f else 0.0
        if seg.role == "badge":
            return size * 1.45
        font = self._font(line, seg.style, scale)
        if line.tracking:
            return sum(font.getlength(ch) for ch in seg.text) + line.tracking * size * len(seg.text)
        return font.getlength(seg.text)

    def line_size(self, line: TLine, scale: float) -> tuple[float, float]:
        size = line.size * self.pt_px * scale
        width = sum(self.seg_width(line, s, scale) for s in line.segs)
        return width, size * 1.28 * (1 + line.gap)

    def block_size(self, lines: list[TLine], scale: float) -> tuple[float, float]:
        sizes = [self.line_size(ln, scale) for ln in lines]
        return (max((w for w, _ in sizes), default=0.0), sum(h for _, h in sizes))

    def draw_block(self, lines: list[TLine], x0: float, y0: float, x1: float, align: str,
                   scale: float, on_band: bool = False) -> None:
        y = y0
        for line in lines:
            w, h = self.line_size(line, scale)
            size = line.size * self.pt_px * scale
            y += h - size * 1.28
            x = {"left": x0, "center": (x0 + x1 - w) / 2, "right": x1 - w}[align]
            baseline = y + size * 1.0
            self._draw_line(line, x, baseline, size, scale, on_band)
            text = line.text
            if line.field not in ("name", "company", "title", "tagline"):
                self.min_pt = min(self.min_pt, line.size * scale)
            if text:
                box = (int(x), int(y + size * 0.1), int(math.ceil(x + w)), int(baseline + size * 0.25))
                self.lines.append(DrawnLine(text, line.field, box))
            y += size * 1.28

    def draw_column(self, line: TLine, x_center: float, y_top: float, scale: float) -> float:
        """Draw ``line`` as a vertical column (top to bottom, with the font's vertical
        forms), centred on ``x_center``; returns the column's height in pixels."""
        size = line.size * self.pt_px * scale
        font = self._font(line, "", scale)
        text = line.text
        box = self.draw.textbbox((x_center, y_top), text, font=font, direction="ttb",
                                 anchor="mt")
        self.draw.text((x_center, y_top), text, font=font, direction="ttb", anchor="mt",
                       fill=self._color(line.color, False))
        if line.field not in ("name", "company", "title", "tagline"):
            self.min_pt = min(self.min_pt, line.size * scale)
        self.lines.append(DrawnLine(text, line.field, (int(box[0]), int(box[1]),
                                                       int(math.ceil(box[2])),
                                                       int(math.ceil(box[3])))))
        return max(float(box[3] - box[1]), size)

    def column_length(self, line: TLine, scale: float) -> float:
        font = self._font(line, "", scale)
        box = self.draw.textbbox((0, 0), line.text, font=font, direction="ttb", anchor="mt")
        return float(box[3] - box[1])

    def _color(self, key: str, on_band: bool) -> tuple[int, int, int]:
        s = self.style
        if on_band:
            return s.band_text if key != "accent" else _mix(s.band_text, s.band, 0.15)
        return {"text": s.text, "accent": s.accent, "muted": s.muted}[key]

    def _draw_line(self, line: TLine, x: float, baseline: float, size: float, scale: float,
                   on_band: bool) -> None:
        for seg in line.segs:
            w = self.seg_width(line, seg, scale)
            if seg.role == "icon":
                f = symbol_font(size * 0.95)
                if f:
                    self.draw.text((x, baseline), seg.text, font=f, anchor="ls",
                                   fill=self._color("accent", on_band))
            elif seg.role == "badge":
                self._badge(seg.text, x, baseline, size, on_band)
            else:
                color = line.color
                if seg.role == "label_accent":
                    color = "accent"
                elif seg.role in ("label", "sep") and line.color == "text":
                    color = "text"
                font = self._font(line, seg.style, scale)
                fill = self._color(color, on_band)
                if line.tracking:
                    cx = x
                    for ch in seg.text:
                        self.draw.text((cx, baseline), ch, font=font, anchor="ls", fill=fill)
                        cx += font.getlength(ch) + line.tracking * size
                else:
                    self.draw.text((x, baseline), seg.text, font=font, anchor="ls", fill=fill)
            x += w

    def _badge(self, service: str, x: float, baseline: float, size: float, on_band: bool) -> None:
        """A social-network icon: a small rounded square with the network's letter(s)."""
        s = size * 1.05
        top = baseline - size * 0.85
        fill = self._color("accent", on_band)
        inner = self.style.band if on_band else self.style.bg
        self.draw.rounded_rectangle((x, top, x + s, top + s), radius=s * 0.22, fill=fill)
        mark = {"linkedin": "in", "twitter": "X", "github": "gh", "instagram": "◉",
                "xing": "x"}.get(service, "@")
        f = symbol_font(s * (0.62 if len(mark) == 1 else 0.55))
        if f:
            self.draw.text((x + s / 2, top + s / 2), mark, font=f, anchor="mm", fill=inner)


# -- decorations -------------------------------------------------------------------------


def draw_logo(draw: ImageDraw.ImageDraw, rng: random.Random, box: tuple[float, float, float, float],
              color: tuple[int, int, int], bg: tuple[int, int, int]) -> None:
    x0, y0, x1, y1 = box
    s = min(x1 - x0, y1 - y0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    kind = rng.choice(("circle", "ring", "triangle", "diamond", "bars", "hexagon", "squares",
                       "arc"))
    r = s / 2
    if kind == "circle":
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=color)
        draw.ellipse((cx - r * 0.45, cy - r * 0.45, cx + r * 0.45, cy + r * 0.45), fill=bg)
    elif kind == "ring":
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=color, width=max(2, int(s * 0.12)))
        draw.ellipse((cx - r * 0.3, cy - r * 0.3, cx + r * 0.3, cy + r * 0.3), fill=color)
    elif kind == "triangle":
        draw.polygon([(cx, cy - r), (cx + r, cy + r * 0.8), (cx - r, cy + r * 0.8)], fill=color)
    elif kind == "diamond":
        draw.polygon([(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)], fill=color)
        draw.polygon([(cx, cy - r * 0.4), (cx + r * 0.4, cy), (cx, cy + r * 0.4),
                      (cx - r * 0.4, cy)], fill=bg)
    elif kind == "bars":
        w = s / 7
        for i, hgt in enumerate((0.5, 0.8, 1.0, 0.65)):
            bx = x0 + (s - 7 * w) / 2 + i * 1.8 * w + w / 2
            draw.rectangle((bx, cy + r - s * hgt, bx + w, cy + r), fill=color)
    elif kind == "hexagon":
        pts = [(cx + r * math.cos(math.pi / 3 * i + math.pi / 6),
                cy + r * math.sin(math.pi / 3 * i + math.pi / 6)) for i in range(6)]
        draw.polygon(pts, fill=color)
    elif kind == "squares":
        q = s * 0.46
        for i, j in ((0, 0), (1, 0), (0, 1)):
            draw.rectangle((cx - r + i * s * 0.54, cy - r + j * s * 0.54,
                            cx - r + i * s * 0.54 + q, cy - r + j * s * 0.54 + q), fill=color)
    else:
        draw.arc((cx - r, cy - r, cx + r, cy + r), 200, 520, fill=color, width=max(2, int(s * 0.16)))


def qr_payload(person: Person) -> str:
    """A compact vCard 3.0, as QR generators write them (LF line ends, few parameters)."""
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{person.family};{person.given}",
             f"FN:{person.full_name}"]
    if person.company:
        lines.append(f"ORG:{person.company}")
    kinds = {"work": "WORK", "cell": "CELL", "fax": "FAX"}
    lines += [f"TEL;TYPE={kinds[p.type]}:{p.number}" for p in person.phones]
    lines += [f"EMAIL:{e}" for e in person.emails[:1]]
    if person.websites:
        w = person.websites[0]
        lines.append(f"URL:{w if w.startswith('http') else 'https://' + w}")
    if person.title and sum(len(x) + 1 for x in lines) + len(person.title) < 220:
        lines.insert(4, f"TITLE:{person.title}")
    lines.append("END:VCARD")
    return "\n".join(lines)


def draw_qr(img: Image.Image, payload: str, box: tuple[float, float, float, float]) -> None:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_L, border=0)
    qr.add_data(payload)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    n = len(matrix) + 4  # quiet zone of 2 modules each side on a white patch
    x0, y0, x1, y1 = box
    s = min(x1 - x0, y1 - y0)
    mod = max(1, int(s / n))
    total = mod * n
    ox, oy = int((x0 + x1 - total) / 2), int((y0 + y1 - total) / 2)
    draw = ImageDraw.Draw(img)
    draw.rectangle((ox, oy, ox + total - 1, oy + total - 1), fill=(255, 255, 255))
    for r, row in enumerate(matrix):
        for c, on in enumerate(row):
            if on:
                px, py = ox + (c + 2) * mod, oy + (r + 2) * mod
                draw.rectangle((px, py, px + mod - 1, py + mod - 1), fill=(0, 0, 0))
