"""OCR: the engine interface, the Tesseract engine, and ``read_image`` (photo -> pages).

Only this module talks to Tesseract (through pytesseract).  What it returns is an
engine-neutral :class:`~cardpipe.page.OcrPage`, so parsing is tested without Tesseract and
another engine can stand behind the same ``Engine`` protocol.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np
import pytesseract

from . import preprocess
from .errors import DependencyError, TesseractNotFound
from .page import Line, OcrPage, Word

#: the languages cardpipe reads when they are installed (Tesseract gets slower with each)
PREFERRED_LANGS = ("eng", "deu", "fra", "spa", "ita", "nld")
DEFAULT_LANGS = ("eng", "deu", "fra", "spa")
MIN_WORD_CONF = 0.30
MIN_CARD_SCORE = 40.0  # confident characters a found card must carry to count as a card
MIN_CARD_CONF = 0.6  # ...and their mean confidence (texture reads as many unsure words)
DEFAULT_PSM = 11  # sparse text: cards have scattered blocks, not paragraphs


class Engine(Protocol):
    """Reads a prepared (straight, upright, grayscale) card image."""

    name: str

    def read(self, image: np.ndarray) -> OcrPage: ...

    def orientation(self, image: np.ndarray) -> tuple[int, float] | None:
        """Clockwise rotation (0/90/180/270) that makes the text upright, and a confidence;
        None when the engine cannot tell."""
        ...


@lru_cache(maxsize=1)
def check_tesseract() -> str:
    """Tesseract's version; raises TesseractNotFound with install advice."""
    cmd = pytesseract.pytesseract.tesseract_cmd
    if shutil.which(cmd) is None:
        raise TesseractNotFound(f"Tesseract OCR is not installed or not on PATH ({cmd!r})")
    try:
        return str(pytesseract.get_tesseract_version())
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise TesseractNotFound(f"Tesseract OCR cannot be run: {exc}") from exc


@lru_cache(maxsize=1)
def available_languages() -> frozenset[str]:
    check_tesseract()
    try:
        return frozenset(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractError, subprocess.SubprocessError, OSError):
        return frozenset({"eng"})


def default_lang() -> str:
    have = available_languages()
    langs = [lang for lang in DEFAULT_LANGS if lang in have]
    return "+".join(langs) or "eng"


def select_languages(lang: str | None = None) -> str:
    """The ``lang`` to give Tesseract: the one asked for (checked), else the default."""
    return resolve_lang(lang)


def resolve_lang(lang: str | None) -> str:
    """'eng+deu' checked against what is installed; a missing language is an error."""
    if not lang:
        return default_lang()
    have = available_languages()
    wanted = [x for x in lang.split("+") if x]
    missing = [x for x in wanted if x not in have]
    if missing:
        raise DependencyError(
            f"Tesseract language(s) not installed: {', '.join(missing)}",
            hint="e.g. 'sudo apt-get install " + " ".join(f"tesseract-ocr-{m}" for m in missing)
            + "'")
    return "+".join(wanted)


class TesseractEngine:
    """Tesseract 4/5 LSTM through pytesseract.

    psm 11 (sparse text) suits cards: text scattered in blocks, no paragraphs; words are
    regrouped into lines geometrically afterwards.
    """

    name = "tesseract"

    def __init__(self, lang: str | None = None, psm: int = DEFAULT_PSM, oem: int = 1) -> None:
        self.lang = lang
        self.psm = psm
        self.oem = oem

    def __repr__(self) -> str:
        return f"TesseractEngine(lang={self.lang!r}, psm={self.psm}, oem={self.oem})"

    def _lang(self) -> str:
        return resolve_lang(self.lang)

    def read(self, image: np.ndarray) -> OcrPage:
        check_tesseract()
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        data = pytesseract.image_to_data(
            image, lang=self._lang(), config=f"--oem {self.oem} --psm {self.psm}",
            output_type=pytesseract.Output.DICT)
        raw = []
        for i, text in enumerate(data["text"]):
            text = (text or "").strip()
            conf = float(data["conf"][i])
            if not text or conf < 0:
                continue
            raw.append((text, (int(data["left"][i]), int(data["top"][i]), int(data["width"][i]),
                               int(data["height"][i])), conf / 100.0, int(data["block_num"][i])))
        h, w = image.shape[:2]
        return build_page(raw, w, h, engine=f"tesseract psm{self.psm}")

    def orientation(self, image: np.ndarray) -> tuple[int, float] | None:
        try:
            osd = pytesseract.image_to_osd(image, config="--psm 0 -c min_characters_to_try=5",
                                           output_type=pytesseract.Output.DICT)
        except pytesseract.TesseractError:
            return None
        return int(osd.get("rotate", 0)) % 360, float(osd.get("orientation_conf", 0.0))


def build_page(raw: list[tuple[str, tuple[int, int, int, int], float, int]], width: int,
               height: int, *, engine: str = "") -> OcrPage:
    """Group words (text, box, conf, block) into lines by geometry, top to bottom.

    Two words are on one line when they overlap vertically by most of their height and
    the gap between them is small relative to the text size.
    """
    items = [r for r in raw if not _is_noise(r[0], r[2])]
    items.sort(key=lambda r: (r[1][0], r[1][1]))  # left to right: lines grow rightwards
    lines: list[list[int]] = []
    for idx, (_, (x, y, w, h), _, _) in enumerate(items):
        cy = y + h / 2
        best, best_gap = None, None
        for li, line in enumerate(lines):
            lx, ly, lw, lh = _union([items[j][1] for j in line])
            ref_h = float(max(items[j][1][3] for j in line))  # not a dash's tiny height
            if abs(cy - (ly + lh / 2)) > 0.5 * max(ref_h, h):
                continue
            small_mark = h < 0.55 * ref_h and ly <= cy <= ly + lh  # a dash, a dot, a bar
            if not (small_mark or 0.55 < h / max(ref_h, 1) < 1.8):
                continue
            gap = max(lx - (x + w), x - (lx + lw))  # horizontal distance to the line's box
            if -0.3 * ref_h <= gap <= 2.5 * max(ref_h, h) and (best_gap is None or gap < best_gap):
                best, best_gap = li, gap
        if best is None:
            lines.append([idx])
        else:
            lines[best].append(idx)
            lines[best].sort(key=lambda j: items[j][1][0])
    lines = _reading_order([[items[j][1] for j in line] for line in lines], lines)
    words: list[Word] = []
    out_lines: list[Line] = []
    for li, (block, line) in enumerate(lines):
        idxs = []
        for j in line:
            text, box, conf, _ = items[j]
            idxs.append(len(words))
            words.append(Word(text, box, conf, li, block))
        boxes = [items[j][1] for j in line]
        heights = [b[3] for b in boxes]
        out_lines.append(Line(tuple(idxs), " ".join(items[j][0] for j in line), _union(boxes),
                              float(np.median(heights)),
                              float(np.mean([items[j][2] for j in line])), block))
    return OcrPage(width, height, tuple(words), tuple(out_lines), engine=engine)


def _reading_order(boxes: list[list[tuple[int, int, int, int]]],
                   lines: list[list[int]]) -> list[tuple[int, list[int]]]:
    """Lines grouped into blocks (a column, an address, a name with its title) and put in
    reading order: blocks top to bottom (left to right when level), lines inside a block
    top to bottom.  Returns (block number, line) pairs."""
    ub = [_union(b) for b in boxes]
    n = len(ub)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    order = sorted(range(n), key=lambda i: ub[i][1])
    for a_pos, a in enumerate(order):
        ax, ay, aw, ah = ub[a]
        for b in order[a_pos + 1:]:
            bx, by, bw, bh = ub[b]
            gap = by - (ay + ah)
            if gap > 1.3 * max(ah, bh):
                break
            overlap = min(ax + aw, bx + bw) - max(ax, bx)
            left_aligned = abs(ax - bx) < 0.8 * max(ah, bh)
            centred = abs((ax + aw / 2) - (bx + bw / 2)) < 0.8 * max(ah, bh)
            if gap > -0.3 * min(ah, bh) and (left_aligned or centred
                                             or overlap > 0.6 * min(aw, bw)):
                parent[find(b)] = find(a)
    blocks: dict[int, list[int]] = {}
    for i in range(n):
        blocks.setdefault(find(i), []).append(i)
    ordered = sorted(blocks.values(), key=lambda m: (round(min(ub[i][1] for i in m) / 40),
                                                     min(ub[i][0] for i in m)))
    out: list[tuple[int, list[int]]] = []
    for bi, members in enumerate(ordered):
        for i in sorted(members, key=lambda i: (ub[i][1], ub[i][0])):
            out.append((bi, lines[i]))
    return out


def _union(boxes: list[tuple[int, int, int, int]]) -> tuple[int, int, int, int]:
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return (x0, y0, x1 - x0, y1 - y0)


def _is_noise(text: str, conf: float) -> bool:
    if conf >= MIN_WORD_CONF:
        return not any(ch.isalnum() for ch in text) and len(text) > 3
    # low confidence: keep it only when it looks like a word, a number or an address
    alnum = sum(ch.isalnum() for ch in text)
    return alnum < 2 or alnum / len(text) < 0.6


# -- QR codes -------------------------------------------------------------------------


def decode_qr(image: np.ndarray) -> tuple[str, ...]:
    """Payloads of the QR codes in the image (vCard, MECARD, URL ...)."""
    detector = cv2.QRCodeDetector()
    found: list[str] = []
    try:
        ok, texts, _, _ = detector.detectAndDecodeMulti(image)
    except cv2.error:
        ok, texts = False, ()
    if ok:
        found += [t for t in texts if t]
    if not found:
        try:
            text, _, _ = detector.detectAndDecode(image)
        except cv2.error:
            text = ""
        if text:
            found.append(text)
    return tuple(dict.fromkeys(found))


# -- photo -> pages ------------------------------------------------------------------


Debug = Callable[[str, np.ndarray], None]


def _debugger(debug_dir: Path | None) -> Debug:
    if debug_dir is None:
        return preprocess._no_debug
    debug_dir = Path(debug_dir)
    debug_dir.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1000))

    def write(name: str, image: np.ndarray) -> None:
        cv2.imwrite(str(debug_dir / f"{next(counter):02d}-{name}.png"), image)

    return write


def _page_score(page: OcrPage) -> float:
    """How much confident text a reading has: compares orientations of one card."""
    return sum(w.conf * len(w.text) for w in page.words if w.conf > 0.5)


def orient_and_read(card: np.ndarray, engine: Engine, debug: Debug, *,
                    is_card: bool = True) -> tuple[OcrPage, int]:
    """Read a clean card in the right orientation.

    A portrait card is first turned to landscape (cards are landscape far more often);
    the engine's orientation detector decides when it is confident, otherwise both
    readings (as is and turned 180°) are compared.
    """
    h, w = card.shape[:2]
    if is_card:  # a card's long side is horizontal when upright
        candidates = [0, 180] if w >= h else [90, 270]
    else:  # a whole photo: any of the four
        candidates = [0, 90, 180, 270]
    osd = engine.orientation(card)
    if osd is not None and osd[1] >= 2.0 and osd[0] in candidates:
        rotation = osd[0]
        page = engine.read(preprocess.rotate90(card, rotation))
        if _page_score(page) > 0 and np.mean([x.conf for x in page.words] or [0]) > 0.6:
            return page, rotation
        tried = {rotation: page}
    else:
        tried = {}
    for rotation in candidates:
        if rotation not in tried:
            tried[rotation] = engine.read(preprocess.rotate90(card, rotation))
    rotation = max(tried, key=lambda r: _page_score(tried[r]))
    return tried[rotation], rotation


def read_image(image: np.ndarray, *, engine: Engine | None = None,
               debug_dir: Path | None = None) -> list[OcrPage]:
    """Find the card(s) in a photo, straighten, orient and OCR each: one page per card.

    When no card outline is found the whole image is read.
    """
    engine = engine or TesseractEngine()
    debug = _debugger(debug_dir)
    debug("input", image)
    started = time.perf_counter()
    quads = preprocess.find_cards(image, debug)
    if quads:
        cards = [(preprocess.warp(image, q), q) for q in quads]
    else:
        cards = [(preprocess.resize_long_side(image), None)]
    qr_all = decode_qr(image) if len(cards) == 1 else ()
    pages: list[OcrPage] = []
    for i, (card, quad) in enumerate(cards):
        debug(f"card{i}-warped", card)
        qr = decode_qr(card) or qr_all
        clean = preprocess.clean(card, debug)
        clean, skew = preprocess.deskew(clean)
        page, rotation = orient_and_read(clean, engine, debug, is_card=quad is not None)
        if _mean_conf(page) < MIN_CARD_CONF:
            # a poor reading (no clear card, busy background): Tesseract's own
            # binarisation on the plain grayscale sometimes does better; keep the best
            plain = preprocess.to_gray(card)
            page2, rotation2 = orient_and_read(plain, engine, debug, is_card=quad is not None)
            if _mean_conf(page2) * len(page2.text) > _mean_conf(page) * len(page.text):
                page, rotation, clean = page2, rotation2, plain
        debug(f"card{i}-read", preprocess.rotate90(clean, rotation))
        meta = {"rotation": rotation, "skew": round(skew, 2),
                "card_found": quad is not None, "method": quad.method if quad else "whole",
                "seconds": round(time.perf_counter() - started, 3)}
        if quad is not None:
            meta["quad"] = [[round(float(v), 1) for v in p] for p in quad.points]
        pages.append(OcrPage(page.width, page.height, page.words, page.lines, page.engine,
                             qr, meta))
    if len(pages) > 1:
        # a "card" without much confident text is a logo box, a sticker, table texture
        real = [p for p in pages
                if _page_score(p) >= MIN_CARD_SCORE and _mean_conf(p) >= MIN_CARD_CONF]
        pages = real or [max(pages, key=_mean_conf)]
    return pages


def _mean_conf(page: OcrPage) -> float:
    confs = [w.conf for w in page.words if any(ch.isalnum() for ch in w.text)]
    return float(np.mean(confs)) if confs else 0.0
