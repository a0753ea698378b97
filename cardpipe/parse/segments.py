"""Cut an ``OcrPage`` into segments: runs of words on one line between separators.

Cards print several fields on one line ("T +49 30 1234 | M +49 170 1234",
"www.acme.de · info@acme.de") and OCR sometimes joins two columns into one line.
A segment is the unit the field detectors work on; it remembers the OCR words it
holds, so every field can say which words it came from.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..scan.page import OcrPage

# Tokens that separate fields printed on one line.
# (a lone ©, ® or pictogram inside a line is an icon before the next field)
_SEPARATORS = frozenset({"|", "||", "·", "•", "∙", "●", "◦", "■", "▪", "—", "¦", "©", "®",
                         "☎", "✆", "✉", "⌂", "⊕"})
_SPLIT_INSIDE = re.compile(r"\s*[|·•∙●¦]\s*")
# Bullets / icon glyphs OCR reads at the start of a segment.
_LEADING_JUNK = re.compile(r"^[\s|·•∙●◦■▪¦>»›*~_=+©®°¢€£%&<«‹\\\"'`]+")


@dataclass
class Segment:
    line: int
    index: int  # position in reading order
    words: tuple[int, ...]
    tokens: tuple[str, ...]  # the words' text (after trimming separators)
    height: float
    box: tuple[int, int, int, int]
    conf: float
    used: set[str] = field(default_factory=set)
    rest: str = ""  # the text detectors have not taken yet (taken parts blanked out)

    def __post_init__(self) -> None:
        self.rest = self.text

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    @property
    def remaining(self) -> str:
        """What is left, whitespace collapsed."""
        return " ".join(self.rest.split())

    def span_words(self, start: int, end: int) -> tuple[int, ...]:
        """The word indices covering characters ``start:end`` of ``self.text``."""
        out, pos = [], 0
        for wi, tok in zip(self.words, self.tokens, strict=True):
            if pos < end and pos + len(tok) > start:
                out.append(wi)
            pos += len(tok) + 1
        return tuple(out)

    def take(self, start: int, end: int, field_name: str) -> tuple[int, ...]:
        """Mark ``text[start:end]`` as consumed by ``field_name``; returns its words."""
        # Keep offsets stable: blank the consumed part instead of cutting it out.
        self.rest = self.rest[:start] + " " * (end - start) + self.rest[end:]
        self.used.add(field_name)
        return self.span_words(start, end)


# A '|' glued to a dot is a letter l, never a separator: '|.deman@', 'S.r.|.', and so is one
# ending a one-letter top-level domain ('rek-bouw.n|')
_PIPE_L = re.compile(r"^\|(?=\.[A-Za-z])|(?<=\.)\|(?=\.|$)|(?<=\w\.[a-z])\|$")


def _split_word(text: str) -> list[str]:
    """'T:+49|M:+49' style glued separators -> pieces."""
    return _SPLIT_INSIDE.split(_PIPE_L.sub("l", text))


@dataclass
class _Row:
    """One printed row: the words of one or more OCR lines, left to right."""

    words: list[int]
    height: float
    box: tuple[int, int, int, int]


def _word_box(page: OcrPage, words: list[int]) -> tuple[int, int, int, int]:
    boxes = [page.words[w].box for w in words]
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right = max(b[0] + b[2] for b in boxes)
    bottom = max(b[1] + b[3] for b in boxes)
    return (left, top, right - left, bottom - top)


def _same_row(a: _Row, b: _Row) -> bool:
    """Fragments of one printed row (sparse-text OCR cuts 'Smith' | 'Engineering Inc')."""
    (ax, ay, aw, ah), (bx, by, bw, bh) = a.box, b.box
    v_overlap = min(ay + ah, by + bh) - max(ay, by)
    if v_overlap < 0.5 * min(ah, bh):
        return False
    h = max(a.height, b.height, 1.0)
    low = max(min(a.height, b.height), 1.0)
    if h > 2.5 * low:
        return False
    gap = max(ax, bx) - min(ax + aw, bx + bw)
    if h > 1.5 * low and gap > 0.3 * low:
        return False  # 'Virginie Fischer' in large type beside a small 'E-mail ...' column
    return gap <= 0.8 * h


def _bands(page: OcrPage, words: list[int]) -> list[list[int]]:
    """The words of one OCR line in bands that do not overlap vertically: Tesseract makes
    one line of 'Office: (404) 867-3155' and 'Mobile: (415) 763-6016' printed one under the
    other beside a taller item ('Aguirre LLC'), and interleaves their words.  A band of a
    character or two (a speck, a raised ®) stays with the line, and so do the two ends of a
    slanted line (side by side, not one under the other)."""
    def span(ws: list[int]) -> tuple[float, float]:
        return (statistics.median(page.words[w].box[1] for w in ws),
                statistics.median(page.words[w].box[1] + page.words[w].box[3] for w in ws))

    bands: list[list[int]] = []
    for w in sorted(words, key=lambda w: page.words[w].box[1] + page.words[w].box[3] / 2):
        top, h = page.words[w].box[1], page.words[w].box[3]
        if bands:
            b_top, b_bottom = span(bands[-1])
            if min(top + h, b_bottom) - max(top, b_top) >= 0.3 * min(h, b_bottom - b_top):
                bands[-1].append(w)
                continue
        bands.append([w])
    if len(bands) < 2 or any(sum(len(page.words[w].text.strip()) for w in b) < 3 for b in bands):
        return [words]
    # rows one under the other share their columns; a slanted line's ends do not
    xs = [(min(page.words[w].box[0] for w in b),
           max(page.words[w].box[0] + page.words[w].box[2] for w in b)) for b in bands]
    if any(min(a[1], b[1]) <= max(a[0], b[0]) for a, b in zip(xs, xs[1:], strict=False)):
        return [words]
    return bands


def rows(page: OcrPage) -> list[_Row]:
    """The page's printed rows, top to bottom, OCR line fragments of a row joined."""
    out: list[_Row] = []
    for line in page.lines:
        words = [w for w in line.words if page.words[w].text.strip()]
        if not words:
            continue
        # A logo or icon read as a short 'word' much taller than the text beside it
        # ('nL', '[=]', '©'): its own row, so it neither joins the text nor stretches the
        # row into the next one.
        typical = statistics.median(page.words[w].box[3] for w in words)
        logo = [w for w in words if page.words[w].box[3] > 1.8 * typical
                and len(page.words[w].text.strip()) <= 4]
        if logo and len(logo) < len(words):
            for w in logo:
                out.append(_Row([w], float(page.words[w].box[3]), page.words[w].box))
            words = [w for w in words if w not in logo]
            height = float(statistics.median(page.words[w].box[3] for w in words))
        else:
            height = line.height or _word_box(page, words)[3]
        out.append(_Row(words, height, _word_box(page, words)))
    # union the fragments of each row (rows sorted by top: only overlapping ones compared)
    out.sort(key=lambda r: r.box[1])
    parent = list(range(len(out)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(out):
        bottom = a.box[1] + a.box[3]
        for j in range(i + 1, len(out)):
            if out[j].box[1] > bottom:
                break
            if _same_row(a, out[j]):
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(out)):
        groups.setdefault(root(i), []).append(i)
    joined: list[_Row] = []
    for members in groups.values():
        words = [w for i in members for w in out[i].words]
        height = max(out[i].height for i in members)
        bands = _bands(page, words)
        if len(bands) > 1:  # two printed lines OCR took for one
            joined.extend(_Row(b, float(statistics.median(page.words[w].box[3] for w in b)),
                               _word_box(page, b)) for b in bands)
        else:
            joined.append(_Row(words, height, _word_box(page, words)))
    out = joined
    for row in out:
        row.words.sort(key=lambda w: page.words[w].box[0])
    out.sort(key=lambda r: (r.box[1] + r.box[3] / 2, r.box[0]))
    return out


def build_segments(page: OcrPage) -> list[Segment]:
    """Segments in reading order: rows top to bottom, separators and wide gaps cut."""
    segments: list[Segment] = []
    for li, row in enumerate(rows(page)):
        height = row.height
        groups: list[list[tuple[int, str]]] = [[]]
        prev_right = None
        for pos, wi in enumerate(row.words):
            word = page.words[wi]
            text = word.text.strip()
            if not text:
                continue
            if re.fullmatch(r"\|[ADLN]", text) and pos + 1 < len(row.words) and re.fullmatch(
                    r"\d{5}(?:-\d{4})?,?", page.words[row.words[pos + 1]].text.strip()):
                text = "I" + text[1:]  # 'Garyland, |A 30531': Iowa, the I read as '|'
            left = word.box[0]
            if prev_right is not None and groups[-1] and height > 0 and \
                    left - prev_right > 1.5 * height:
                groups.append([])  # a wide gap: another column
            prev_right = word.box[0] + word.box[2]
            if text in _SEPARATORS:
                groups.append([])
                continue
            pieces = _split_word(text)
            for k, piece in enumerate(pieces):
                if k > 0:
                    groups.append([])
                if piece:
                    groups[-1].append((wi, piece))
        for group in groups:
            if not group:
                continue
            idx = tuple(wi for wi, _ in group)
            tokens = tuple(t for _, t in group)
            boxes = [page.words[wi].box for wi in idx]
            left = min(b[0] for b in boxes)
            top = min(b[1] for b in boxes)
            right = max(b[0] + b[2] for b in boxes)
            bottom = max(b[1] + b[3] for b in boxes)
            conf = statistics.fmean(page.words[wi].conf for wi in idx)
            seg = Segment(li, len(segments), idx, tokens, float(height),
                          (left, top, right - left, bottom - top), conf)
            _despace(page, seg)
            segments.append(seg)
    return segments


def _despace(page: OcrPage, seg: Segment) -> None:
    """Letter-spaced text ('A C M E   S O L U T I O N S') read as one letter per word:
    glue the letters, keeping a space where the gap is much wider than between letters."""
    if len(seg.tokens) < 4 or sum(len(t) == 1 for t in seg.tokens) < 0.7 * len(seg.tokens):
        return
    boxes = [page.words[w].box for w in seg.words]
    gaps = [b[0] - (a[0] + a[2]) for a, b in zip(boxes, boxes[1:], strict=False)]
    typical = statistics.median(gaps) if gaps else 0
    groups: list[list[int]] = [[0]]
    for k, gap in enumerate(gaps, start=1):
        if gap > max(2.0 * typical, typical + 0.3 * seg.height):
            groups.append([])
        groups[-1].append(k)
    if len(groups) == len(seg.tokens):
        return
    # one token per glued word; its evidence is the word of its first letter
    seg.tokens = tuple("".join(seg.tokens[k] for k in g) for g in groups)
    seg.words = tuple(seg.words[g[0]] for g in groups)
    seg.rest = seg.text


def merge_labels(segments: list[Segment], is_label: Callable[[str], bool]) -> list[Segment]:
    """A label cut off by a separator ('GitHub | @anna', 'T | +49 ...') joins the value
    that follows it on the same line."""
    out: list[Segment] = []
    for seg in segments:
        prev = out[-1] if out else None
        if prev is not None and prev.line == seg.line and len(prev.tokens) > 1 and \
                is_label(prev.tokens[-1]) and re.match(r"[+(\d@]", seg.tokens[0]) and \
                not prev.used and not seg.used:
            # '+39 06 1234 / Fax | +39 06 5678': the label belongs to the next number
            seg = Segment(seg.line, seg.index, prev.words[-1:] + seg.words,
                          prev.tokens[-1:] + seg.tokens, seg.height, _union(prev.box, seg.box),
                          min(prev.conf, seg.conf))
            out[-1] = Segment(prev.line, prev.index, prev.words[:-1], prev.tokens[:-1],
                              prev.height, prev.box, prev.conf)
        if prev is not None and prev.line == seg.line and is_label(prev.text) and \
                not prev.used and not seg.used:
            merged = Segment(prev.line, prev.index, prev.words + seg.words,
                             prev.tokens + seg.tokens, max(prev.height, seg.height),
                             _union(prev.box, seg.box), min(prev.conf, seg.conf))
            out[-1] = merged
            continue
        out.append(seg)
    for i, seg in enumerate(out):
        seg.index = i
    return out


def _union(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    left, top = min(a[0], b[0]), min(a[1], b[1])
    right, bottom = max(a[0] + a[2], b[0] + b[2]), max(a[1] + a[3], b[1] + b[3])
    return (left, top, right - left, bottom - top)


def stacked(upper: Segment, lower: Segment, *, gap: float = 1.3) -> bool:
    """Is ``lower`` the next line under ``upper`` in the same column?  (OCR interleaves the
    lines of side-by-side columns, so neighbouring line numbers are not enough.)"""
    ux, uy, uw, uh = upper.box
    lx, ly, lw, lh = lower.box
    if ly < uy + 0.5 * uh:
        return False
    if ly - (uy + uh) > gap * max(uh, lh, 1):
        return False
    overlap = min(ux + uw, lx + lw) - max(ux, lx)
    return overlap > 0 or abs(ux - lx) < max(uh, lh)


def clean_piece(text: str) -> str:
    """Strip bullets and icon glyphs OCR put around a piece of text."""
    text = _LEADING_JUNK.sub("", text)
    return text.strip(" |·•,;:")


def clean_keep_comma(text: str) -> str:
    """Like clean_piece, but a trailing comma stays (it joins a title over two lines)."""
    text = _LEADING_JUNK.sub("", text)
    return text.strip(" |·•;:")


def median_height(segments: Iterable[Segment]) -> float:
    heights = [s.height for s in segments if s.height > 0]
    return statistics.median(heights) if heights else 1.0
