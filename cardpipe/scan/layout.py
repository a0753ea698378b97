"""Layout: OCR words into lines and lines into blocks, in the order a reader takes them,
and the :class:`~cardpipe.page.OcrPage` built from them. Engine-neutral: Tesseract's TSV
rows and RapidOCR's line boxes both come through here."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np

from .page import Line, OcrPage, Word

#: one OCR word: (text, (x, y, width, height), confidence 0..1)
WordT = tuple[str, tuple[int, int, int, int], float]


def page_from_data(data: Mapping[str, list[Any]], *, width: int, height: int,
                   engine: str) -> OcrPage:
    """An OcrPage from Tesseract's TSV columns (image_to_data as a dict): words grouped
    into lines by (block, paragraph, line); confidences scaled to 0..1."""
    groups: dict[tuple[int, int, int], list[tuple[str, tuple[int, int, int, int], float]]] = {}
    order: list[tuple[int, int, int]] = []
    n = len(data.get("text", ()))
    for i in range(n):
        text = str(data["text"][i]).strip()
        try:
            conf = float(data["conf"][i])
        except (TypeError, ValueError):
            conf = -1.0
        if not text or conf < 0:
            continue
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        if key not in groups:
            groups[key] = []
            order.append(key)
        box = (int(data["left"][i]), int(data["top"][i]), int(data["width"][i]),
               int(data["height"][i]))
        groups[key].append((text, box, max(0.0, min(1.0, conf / 100.0))))
    lines, blocks = reading_order([groups[k] for k in order])
    return page_from_lines(lines, blocks, width=width, height=height, engine=engine)


def _lbox(line: list[WordT]) -> tuple[int, int, int, int]:
    x0 = min(b[0] for _, b, _ in line)
    y0 = min(b[1] for _, b, _ in line)
    x1 = max(b[0] + b[2] for _, b, _ in line)
    y1 = max(b[1] + b[3] for _, b, _ in line)
    return x0, y0, x1, y1


#: a field label printed before its value: one short word, a few ending in a colon, an icon
_LABEL_RE = re.compile(r"^\W{0,2}[^\W\d][\w.\-/]{0,11}:?$|^[^:]{1,16}:$|^\W{1,2}$")


def _is_label(line: list[WordT]) -> bool:
    return bool(_LABEL_RE.match(" ".join(w[0] for w in line).strip()))


def reading_order(lines: list[list[WordT]]) -> tuple[list[list[WordT]], list[int]]:
    """Lines as a reader sees them: fragments on one baseline joined into one line (sparse
    segmentation cuts "Tel. | +49 ..." apart), lines that sit under each other in one column
    kept together as a block (a two-line title stays in one piece), blocks top to bottom.
    Returns the lines and each line's block number."""
    lines = [sorted(ln, key=lambda w: w[1][0]) for ln in lines if ln]
    # 1. join fragments on the same baseline that are close horizontally
    lines.sort(key=lambda ln: (_lbox(ln)[1], _lbox(ln)[0]))
    merged: list[list[WordT]] = []
    for ln in lines:
        x0, y0, x1, y1 = _lbox(ln)
        for m in merged:
            mx0, my0, mx1, my1 = _lbox(m)
            h1, h2 = max(y1 - y0, 1), max(my1 - my0, 1)
            hgt = max(h1, h2)
            overlap = min(y1, my1) - max(y0, my0)
            gap = x0 - mx1 if x0 >= mx1 else mx0 - x1
            # one line: about the same size and height on the card; a small title beside
            # or under a big name is not part of the name's line
            centred = abs((y0 + y1) - (my0 + my1)) / 2 <= 0.3 * hgt
            # a word space joins; a wider gap only after a label ("Tel.   +49 ..."): two
            # text columns side by side (a company name under the logo, the phones
            # beside it) share baselines but are not one line
            left = m if x0 >= mx1 else ln
            near = gap < 0.6 * hgt or (gap < 3.0 * hgt and _is_label(left))
            if (overlap >= 0.6 * min(h1, h2) and centred and hgt <= 1.6 * min(h1, h2)
                    and -0.2 * hgt < gap and near):
                m.extend(ln)
                m.sort(key=lambda w: w[1][0])
                break
        else:
            merged.append(list(ln))
    # 2. stack lines into column blocks
    merged.sort(key=lambda ln: (_lbox(ln)[1], _lbox(ln)[0]))
    blocks: list[list[list[WordT]]] = []
    for ln in merged:
        x0, y0, x1, y1 = _lbox(ln)
        best, best_gap = None, None
        for b in blocks:
            bx0, by0, bx1, by1 = _lbox(b[-1])
            hgt = max(y1 - y0, by1 - by0, 1)
            vgap = y0 - by1
            h_overlap = min(x1, bx1) - max(x0, bx0)
            aligned = abs(x0 - bx0) < hgt or abs(x1 - bx1) < hgt or h_overlap > 0
            if -0.3 * hgt <= vgap < 1.0 * hgt and aligned and (best_gap is None or
                                                              vgap < best_gap):
                best, best_gap = b, vgap
        if best is None:
            blocks.append([ln])
        else:
            best.append(ln)
    out: list[list[WordT]] = []
    ids: list[int] = []
    for bi, b in enumerate(blocks):
        for ln in b:
            out.append(ln)
            ids.append(bi)
    return out, ids


def page_from_lines(lines: list[list[tuple[str, tuple[int, int, int, int], float]]],
                    blocks: list[int], *, width: int, height: int, engine: str) -> OcrPage:
    """An OcrPage from lines of (text, box, conf) words; blocks renumbered from 0."""
    block_ids: dict[int, int] = {}
    words: list[Word] = []
    out_lines: list[Line] = []
    for li, (line, blk) in enumerate(zip(lines, blocks, strict=True)):
        b = block_ids.setdefault(blk, len(block_ids))
        idx = []
        for text, box, conf in line:
            idx.append(len(words))
            words.append(Word(fix_token(text), box, conf, li, b))
        x0 = min(bx[0] for _, bx, _ in line)
        y0 = min(bx[1] for _, bx, _ in line)
        x1 = max(bx[0] + bx[2] for _, bx, _ in line)
        y1 = max(bx[1] + bx[3] for _, bx, _ in line)
        height_px = float(np.median([bx[3] for _, bx, _ in line]))
        conf = float(np.mean([c for _, _, c in line]))
        out_lines.append(Line(tuple(idx), " ".join(words[i].text for i in idx),
                              (x0, y0, x1 - x0, y1 - y0), height_px, conf, b))
    return OcrPage(width, height, tuple(words), tuple(out_lines), engine=engine)


_ADDRESS_LIKE = re.compile(r"@|^(?:https?:|www\.)|\.(?:com|org|net|de|fr|it|es|nl|eu|io)\b",
                           re.IGNORECASE)


_LOST_SLASH = re.compile(r"^(https?):/(?=[^/])", re.IGNORECASE)
_ABBREVIATION = re.compile(r"^(?:[A-Za-z]\.){2,}[A-Za-z]?\.?$")


def fix_token(text: str) -> str:
    """Undo the one confusion no engine can see: in a sans-serif font a capital I and a
    small l are the same glyph. Inside an email address or web address written in small
    letters (``Iheymans@vos.nl``, ``I.jopich@jaehn.eu``) an I that starts a word is an l,
    and so is the last letter of a dotted abbreviation in small letters (``S.r.I.``)."""
    text = _LOST_SLASH.sub(r"\1://", text)  # "https:/www.x.de": a slash read as nothing
    if "I" not in text:
        return text
    if _ADDRESS_LIKE.search(text):
        upper = {ch for ch in text if ch.isupper()}
        if upper == {"I"} and any(ch.islower() for ch in text):
            # only where a word starts: "linkedIn" may be printed so
            return re.sub(r"(?<![^\W\d_])I", "l", text)
    elif _ABBREVIATION.match(text):  # "S.r.I." after a small letter: S.r.l.
        return re.sub(r"(?<=[a-z]\.)I(?=\.?$)", "l", text)
    return text


def spread_words(text: str, box: tuple[int, int, int, int], conf: float) -> list[WordT]:
    """Word boxes spread over a line box in proportion to their length."""
    x0, y0, x1, y1 = box
    tokens = text.split()
    if not tokens:
        return []
    total = sum(len(t) for t in tokens) + len(tokens) - 1
    words, pos = [], 0
    for t in tokens:
        wx0 = x0 + (x1 - x0) * pos / total
        wx1 = x0 + (x1 - x0) * (pos + len(t)) / total
        words.append((t, (int(wx0), y0, max(1, int(wx1 - wx0)), max(1, y1 - y0)),
                      float(conf)))
        pos += len(t) + 1
    return words
