"""OCR: an engine-neutral interface, the Tesseract engine, and ``read_image`` which takes a
photo to one :class:`~cardpipe.page.OcrPage` per card.

``read_image`` finds the card(s) (:mod:`cardpipe.preprocess`), warps each flat, evens out
the light, inverts light-on-dark print, decides the orientation (text direction from the
ink's line profile, then 0 versus 180 degrees by comparing recognition confidence),
deskews, reads QR codes (:mod:`cardpipe.qr`) and runs the engine. With ``debug_dir`` every
intermediate image is written there, so a user can see why a card failed.

Words become lines and blocks in :mod:`cardpipe.layout`; the geometry of detected line
boxes (missed ink, line crops) is in :mod:`cardpipe.linebox`. Only this module imports
pytesseract and rapidocr.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import time
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import cv2
import numpy as np
import pytesseract

from . import preprocess as pp
from . import qr as qrmod
from .errors import DependencyError, TesseractNotFound
from .layout import page_from_data, page_from_lines, reading_order, spread_words
from .linebox import line_crop, missed_text, overlaps, sideways
from .page import OcrPage

#: Tesseract page segmentation: 11 = sparse text, find as much text as possible in no
#: particular order - the layout of a business card (see bench/bench_ocr.py).
DEFAULT_PSM = 11
#: 1 = the LSTM recogniser (the only one in Debian's tessdata).
DEFAULT_OEM = 1
#: long side of the image RapidOCR's line detector sees (a 1200-pixel card): 512 found the
#: lines as well as 640, 800 and 960 on the bench at half the detector's CPU
#: (bench/bench_ocr.py); recognition reads the lines from the full-size card
DET_SIDE = 512
#: ink the detector missed at DET_SIDE (small print set close together on a card with large
#: type: its lines shrink to 4-5 pixels) is detected again at full size, in a crop of the
#: card around it; a crop is at most this long
ZOOM_SIDE = 1280
#: RapidOCR decides between upright and upside down on this many of a card's longest lines
#: (reading every line twice cost a second recognition pass on every unsure card)
PROBE_LINES = 6

# ----------------------------------------------------------------------------- engines


@runtime_checkable
class Engine(Protocol):
    """Reads an upright card image (BGR or grayscale uint8) into an OcrPage.

    An engine that tells upright from upside-down text itself sets ``turns_itself = True``
    and marks a page it read turned by 180 degrees with ``meta["flipped"] = True``; the
    other engines are asked about each turn (see ``_read_card``). An engine that sets
    ``reads_source = True`` takes ``recognize(image, source)``: it finds the lines on the
    normalised ``image`` and reads them from ``source``, the un-normalised card in the same
    geometry."""

    name: str

    def recognize(self, image: np.ndarray) -> OcrPage: ...


def check_tesseract() -> str:
    """The installed Tesseract version; raises TesseractNotFound when it cannot be run."""
    try:
        return str(pytesseract.get_tesseract_version())
    except pytesseract.TesseractNotFoundError as exc:
        raise TesseractNotFound(
            f"Tesseract OCR is not installed or not on PATH "
            f"(looked for '{pytesseract.pytesseract.tesseract_cmd}')") from exc
    except (OSError, pytesseract.TesseractError) as exc:
        raise TesseractNotFound(f"Tesseract OCR cannot be run: {exc}") from exc


@functools.lru_cache(maxsize=4)
def _languages(cmd: str) -> frozenset[str]:
    # `tesseract --list-langs` itself: pytesseract's parser drops names such as "Latin"
    # (the script models of tesseract-ocr-script-*)
    try:
        proc = subprocess.run([cmd, "--list-langs"], capture_output=True, text=True,
                              timeout=30, check=False)
    except FileNotFoundError as exc:
        raise TesseractNotFound(f"Tesseract OCR is not installed or not on PATH ({cmd!r})"
                                ) from exc
    except (OSError, subprocess.SubprocessError) as exc:
        raise TesseractNotFound(f"Tesseract OCR cannot list its languages: {exc}") from exc
    lines = (proc.stdout or "").splitlines()
    langs = [ln.strip() for ln in lines[1:] if ln.strip() and " " not in ln.strip()]
    return frozenset(lang for lang in langs if lang != "osd")


def available_languages() -> set[str]:
    """Tesseract's installed recognition languages (``osd`` excluded)."""
    return set(_languages(pytesseract.pytesseract.tesseract_cmd))


def select_languages(requested: str | Iterable[str]) -> str:
    """A Tesseract ``-l`` value from the requested languages that are installed, in the
    order asked ("eng+deu", ["eng", "deu"] or "eng,deu"). Raises DependencyError when none
    of them is installed."""
    if isinstance(requested, str):
        wanted = [x for x in re.split(r"[+,\s]+", requested) if x]
    else:
        wanted = [x for x in requested if x]
    have = available_languages()
    chosen = list(dict.fromkeys(x for x in wanted if x in have))
    if not chosen:
        raise DependencyError(
            f"none of the OCR languages {'+'.join(wanted) or '(none)'} is installed "
            f"(installed: {', '.join(sorted(have)) or 'none'})",
            hint="install a language pack, e.g. 'sudo apt-get install tesseract-ocr-deu'")
    return "+".join(chosen)


class TesseractEngine:
    """Tesseract through pytesseract's ``image_to_data``: words with boxes and confidences.

    ``threads`` sets OMP_THREAD_LIMIT for the Tesseract processes (1 by default: cardpipe
    runs photos in parallel processes, and Tesseract's own threads only slow that down).
    """

    name = "tesseract"

    def __init__(self, lang: str = "eng", psm: int = DEFAULT_PSM, oem: int = DEFAULT_OEM, *,
                 threads: int | None = 1, config: str = "") -> None:
        # only installed languages ("eng+deu" without deu installed reads with eng);
        # DependencyError when none of them is
        self.lang = select_languages(lang)
        self.psm = psm
        self.oem = oem
        self.threads = threads
        self.config = config

    def __repr__(self) -> str:
        return f"TesseractEngine(lang={self.lang!r}, psm={self.psm}, oem={self.oem})"

    def recognize(self, image: np.ndarray) -> OcrPage:
        if self.threads is not None:
            os.environ["OMP_THREAD_LIMIT"] = str(self.threads)
        config = f"--psm {self.psm} --oem {self.oem} {self.config}".strip()
        rgb = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        try:
            data = pytesseract.image_to_data(rgb, lang=self.lang, config=config,
                                             output_type=pytesseract.Output.DICT)
        except pytesseract.TesseractNotFoundError as exc:
            raise TesseractNotFound("Tesseract OCR is not installed or not on PATH") from exc
        h, w = image.shape[:2]
        return page_from_data(data, width=w, height=h, engine=f"tesseract-psm{self.psm}")


class RapidOcrEngine:
    """RapidOCR 3 (PaddleOCR's PP-OCRv6 small detection and recognition models on ONNX
    Runtime). The models ship inside the ``rapidocr`` wheel and are loaded from there by
    path, so nothing is ever downloaded. Reads small and low-contrast print better than
    Tesseract, and keeps accents; costs more CPU.

    ``det_side``: the detector sees the image with this long side (line boxes only need a
    coarse view; recognition reads crops of the full image).
    """

    name = "rapidocr"
    #: recognize() reads upside-down text too (see :func:`_read_card`)
    turns_itself = True
    #: recognize(image, source) reads the lines found on ``image`` from ``source``
    reads_source = True

    def __init__(self, *, threads: int = 1, det_side: int = DET_SIDE) -> None:
        self.det_side = det_side
        self.threads = threads
        self._ocr = _rapidocr(threads, det_side)

    def __repr__(self) -> str:
        return f"RapidOcrEngine(det_side={self.det_side})"

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        """Text-line boxes: (4, 2) float32 arrays (tl, tr, br, bl) in image pixels.

        The detector sees the image at ``det_side``; where ink is left outside every box,
        or one box holds two rows of ink, it looks again at full size in a crop around
        that place (see :func:`missed_text`; wider when a line found there runs into the
        crop's edge), and the boxes found there replace the ones they overlap."""
        boxes = _detect(self._ocr, image)
        w = image.shape[1]
        for x0, y0, x1, y1 in missed_text(image, boxes):
            for _ in range(3):  # a line the crop cuts at its left or right edge: wider
                found = [b + np.float32([x0, y0]) for b in _detect(
                    _rapidocr(self.threads, ZOOM_SIDE), image[y0:y1, x0:x1])]
                cut_left = x0 > 0 and any(b[:, 0].min() < x0 + 3 for b in found)
                cut_right = x1 < w and any(b[:, 0].max() > x1 - 3 for b in found)
                if not (cut_left or cut_right):
                    break
                step = max(x1 - x0, w // 4)
                x0, x1 = (max(0, x0 - step) if cut_left else x0), (
                    min(w, x1 + step) if cut_right else x1)
            if found:
                boxes = [b for b in boxes if not any(overlaps(b, f) for f in found)] + found
        return boxes

    def read_lines(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        """Text and confidence of each line crop."""
        if not crops:
            return []
        bgr = [c if c.ndim == 3 else cv2.cvtColor(c, cv2.COLOR_GRAY2BGR) for c in crops]
        rec = self._ocr.text_rec if self._ocr.text_rec is not None else (
            self._ocr._load_rec_model())
        from rapidocr.ch_ppocr_rec import TextRecInput
        out = rec(TextRecInput(img=bgr))
        # NFKC: the recogniser also knows full-width forms ('ｔ', '＆') and ligatures
        return [(unicodedata.normalize("NFKC", str(t)), float(s))
                for t, s in zip(out.txts, out.scores, strict=True)]

    def recognize(self, image: np.ndarray, source: np.ndarray | None = None) -> OcrPage:
        """Detect the lines in ``image`` and read them from ``source``: the same card in
        the same geometry before normalisation, e.g. in colour (default: ``image``
        itself). The detector finds lines best on the even, high-contrast normalised
        card, but the recogniser reads small blurred print better from the photo's own
        pixels: stretching the contrast turns the grey edge of a blurred stroke into ink
        and runs neighbouring letters together.

        The longest lines are read first (the most letters); when they are not read
        confidently they are also read turned by 180 degrees, and when that reads better
        the card is upside down: the lines are detected again on the turned image (the
        detector fits its boxes less well around upside-down print: a few pixels off,
        lines split or joined differently, which matters with no margin above and below,
        see :func:`line_crop`) and read from there. The page then says ``meta["flipped"] = True`` and
        its boxes are in the turned image's pixels."""
        h, w = image.shape[:2]
        src = image if source is None else source
        boxes = self.detect(image)
        crops = [line_crop(src, b) for b in boxes]
        probe = sorted(range(len(boxes)), key=lambda i: -crops[i].shape[1])[:PROBE_LINES]
        read = dict(zip(probe, self.read_lines([crops[i] for i in probe]), strict=True))
        upright = self._page([boxes[i] for i in probe], [read[i] for i in probe], w, h)
        if probe and not _confident(upright):
            turned = [np.float32([[w - 1, h - 1]]) - boxes[i][[2, 3, 0, 1]] for i in probe]
            flipped = self._page(
                turned, self.read_lines([crops[i][::-1, ::-1] for i in probe]), w, h)
            if quality(flipped) > 1.2 * quality(upright):
                again = self.recognize_upright(
                    np.ascontiguousarray(image[::-1, ::-1]),
                    np.ascontiguousarray(src[::-1, ::-1]))
                return OcrPage(w, h, again.words, again.lines, again.engine,
                               meta={"flipped": True})
        rest = [i for i in range(len(boxes)) if i not in read]
        read.update(zip(rest, self.read_lines([crops[i] for i in rest]), strict=True))
        page = self._page(boxes, [read[i] for i in range(len(boxes))], w, h)
        if boxes and sideways(boxes):
            return OcrPage(w, h, page.words, page.lines, page.engine, meta={"sideways": True})
        return page

    def recognize_upright(self, image: np.ndarray, source: np.ndarray | None = None
                          ) -> OcrPage:
        """Detect the lines in ``image`` and read them from ``source`` (see
        :meth:`recognize`), taking the image to be upright."""
        h, w = image.shape[:2]
        src = image if source is None else source
        boxes = self.detect(image)
        return self._page(boxes, self.read_lines([line_crop(src, b) for b in boxes]), w, h)

    def _page(self, boxes: list[np.ndarray], read: list[tuple[str, float]], w: int, h: int
              ) -> OcrPage:
        lines = []
        for box, (text, score) in zip(boxes, read, strict=True):
            x0, y0 = box.min(axis=0)
            x1, y1 = box.max(axis=0)
            words = spread_words(text, (int(x0), int(y0), int(x1), int(y1)), score)
            if words:
                lines.append(words)
        ordered, blocks = reading_order(lines)
        return page_from_lines(ordered, blocks, width=w, height=h, engine="rapidocr")


def _detect(ocr: Any, image: np.ndarray) -> list[np.ndarray]:
    bgr = image if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    out = ocr(np.ascontiguousarray(bgr), use_rec=False, use_cls=False)
    boxes = getattr(out, "boxes", None)
    if boxes is None:
        return []
    return [np.asarray(b, np.float32).reshape(4, 2) for b in boxes]


@functools.lru_cache(maxsize=4)
def _rapidocr(threads: int, det_side: int) -> Any:
    """One RapidOCR instance per process and setting (loading the models takes a while)."""
    try:
        import rapidocr
        from rapidocr import RapidOCR
    except ImportError as exc:
        raise DependencyError(
            "the RapidOCR engine needs the rapidocr and onnxruntime packages",
            hint="pip install rapidocr onnxruntime") from exc
    models = Path(rapidocr.__file__).parent / "models"
    paths = {"Det": models / "PP-OCRv6_det_small.onnx",
             "Rec": models / "PP-OCRv6_rec_small.onnx"}  # the recogniser holds its alphabet
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:  # never let rapidocr fetch them from the network
        raise DependencyError(f"RapidOCR's bundled models are missing: {', '.join(missing)}",
                              hint="pip install --force-reinstall rapidocr")
    params: dict[str, Any] = {
        "Global.log_level": "error", "Global.use_cls": False,
        "Global.model_root_dir": str(models),
        "Det.limit_side_len": det_side, "Det.limit_type": "max",
        # one line at a time: a batch pads every line to the widest, which costs more
        # than the batch saves on one thread (12% less recognition CPU)
        "Rec.rec_batch_num": 1,
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    }
    params.update({f"{k}.model_path": str(p) for k, p in paths.items()})
    return RapidOCR(params=params)


class CascadeEngine:
    """The primary engine (fast), and the secondary one only for images the primary does
    not read confidently; the reading with more believable text wins. Orientation probes
    use the primary alone (``probe``)."""

    def __init__(self, primary: Engine, secondary: Engine) -> None:
        self.primary = primary
        self.secondary = secondary
        self.name = f"{primary.name}+{secondary.name}"

    def probe(self, image: np.ndarray) -> OcrPage:
        return self.primary.recognize(image)

    def recognize(self, image: np.ndarray) -> OcrPage:
        first = self.primary.recognize(image)
        if _confident(first):
            return first
        second = self.secondary.recognize(image)
        return second if quality(second) > quality(first) else first


ENGINES = ("rapidocr", "tesseract", "cascade")
#: the engine ``read_image`` uses when given none (see bench/bench_ocr.py and the README)
DEFAULT_ENGINE = "rapidocr"


def make_engine(name: str = DEFAULT_ENGINE, *, lang: str | None = None,
                psm: int = DEFAULT_PSM) -> Engine:
    """An engine by name: ``rapidocr`` (default: PP-OCRv6, reads Latin script with its
    accents whatever ``lang`` says), ``tesseract`` (in the languages ``lang``, default
    ``eng``), or ``cascade`` (Tesseract, then RapidOCR for the cards Tesseract does not
    read confidently). bench/bench_ocr.py measures what each reads and costs."""
    if name == "rapidocr":
        return RapidOcrEngine()
    if name == "tesseract":
        return TesseractEngine(lang=select_languages(lang or "eng"), psm=psm)
    if name == "cascade":
        return CascadeEngine(TesseractEngine(lang=select_languages(lang or "eng"), psm=psm),
                             RapidOcrEngine())
    raise ValueError(f"unknown OCR engine {name!r} (choose from {', '.join(ENGINES)})")


@functools.lru_cache(maxsize=1)
def default_engine() -> Engine:
    """The engine ``read_image`` uses when given none; one per process (models load once)."""
    return make_engine(DEFAULT_ENGINE)


# ----------------------------------------------------------------------------- reading


def quality(page: OcrPage) -> float:
    """How much believable text a page holds: confident letters and digits count, garbage
    (what an engine makes of upside-down text) hardly does."""
    total = 0.0
    for w in page.words:
        alnum = sum(ch.isalnum() for ch in w.text)
        if alnum == 0:
            continue
        total += alnum * w.conf ** 3
    return total


class _Debug:
    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.n = 0
        self.prefix = ""
        if root is not None:
            root.mkdir(parents=True, exist_ok=True)

    def __call__(self, name: str, image: np.ndarray) -> None:
        if self.root is None:
            return
        self.n += 1
        cv2.imwrite(str(self.root / f"{self.n:02d}_{self.prefix}{name}.png"), image)

    def child(self, prefix: str) -> Callable[[str, np.ndarray], None]:
        def write(name: str, image: np.ndarray) -> None:
            self.prefix = prefix
            self(name, image)
            self.prefix = ""
        return write


def read_image(image: np.ndarray, *, engine: Engine | None = None,
               debug_dir: Path | None = None) -> list[OcrPage]:
    """One OcrPage per card found in the photo (the whole photo when none is found)."""
    eng: Engine = engine if engine is not None else default_engine()
    debug = _Debug(Path(debug_dir) if debug_dir is not None else None)
    t0 = time.perf_counter()
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    debug("input", image)
    codes = qrmod.decode(image, thorough=False)
    quads = pp.find_cards(image, exclude=[c.points for c in codes], debug=debug)
    t_detect = time.perf_counter() - t0
    regions: list[tuple[np.ndarray | None, str, float]] = [
        (q.points, q.method, q.score) for q in quads]
    if not regions:
        box = pp.text_region(image)
        regions = [(box, "text", 0.0)] if box is not None else [(None, "whole", 0.0)]
    pages: list[OcrPage] = []
    for i, (quad, method, score) in enumerate(regions):
        sub = debug.child(f"card{i}_") if len(regions) > 1 else debug
        if quad is not None:
            card = pp.warp_card(image, quad)
        else:
            card = pp.resize_long(image, pp.CARD_LONG_SIDE)
        sub("warped", card)
        card_color = card
        if len(regions) > 1:
            mine = [c.text for c in codes if quad is not None and cv2.pointPolygonTest(
                quad.reshape(-1, 1, 2).astype(np.float32), c.center, False) >= 0]
        else:
            mine = [c.text for c in codes]
        unread: list[np.ndarray] = []
        card_codes = qrmod.decode(card, thorough=not mine, unread=unread)
        if not mine:
            mine = [c.text for c in card_codes]
        blank = [c.points for c in card_codes] + unread
        if blank:  # a QR code only yields garbage "text" and costs OCR time
            card = _blank(card, blank)
            sub("qr_blanked", card)
        page = _read_card(card, eng, sub, max_skew=25.0 if method == "text" else 10.0)
        meta = dict(page.meta)
        meta.update({"card": i, "cards": len(regions), "method": method,
                     "quad": None if quad is None else np.round(quad, 1).tolist(),
                     "quad_score": round(score, 3), "detect_s": round(t_detect, 3)})
        upright = pp.rotate90(card_color, int(page.meta.get("rotation", 0)))
        pages.append(OcrPage(page.width, page.height, page.words, page.lines, page.engine,
                             tuple(mine), meta, image=upright))
    if len(pages) > 1:  # an outline with no text on it was not a card
        kept = [p for p in pages if p.words or p.qr]
        pages = kept or pages[:1]
    return pages


def _blank(card: np.ndarray, polygons: list[np.ndarray]) -> np.ndarray:
    out = card.copy()
    for pts in polygons:
        c = pts.mean(axis=0)
        grown = c + (pts - c) * 1.12
        cv2.fillConvexPoly(out, np.int32(np.rint(grown)), (255, 255, 255))
    return out


#: long side of the reduced copies used to compare orientations
PROBE_SIDE = 800


def _read_card(card: np.ndarray, engine: Engine, debug: Callable[[str, np.ndarray], None],
               *, max_skew: float = 10.0) -> OcrPage:
    """Normalise, orient, deskew and read one card image.

    Orientation: the ink's line profile says whether text runs along x or y; the reading
    in that direction is trusted when it is confident. Otherwise every turn is read on a
    reduced copy and the one with the most believable text wins (Tesseract's OSD was
    slower and failed on cards with little text, see bench/bench_ocr.py).
    """
    t0 = time.perf_counter()
    gray, inverted = pp.normalize(card, debug=debug)
    direction, margin = pp.text_direction(gray)
    straight: dict[int, tuple[np.ndarray, float]] = {}
    colour: dict[int, np.ndarray] = {}

    def variant(rot: int) -> tuple[np.ndarray, float]:
        base = rot % 180
        if base not in straight:
            straight[base] = pp.deskew(pp.rotate90(gray, base), max_angle=max_skew)
        img, angle = straight[base]
        return (pp.rotate90(img, 180) if rot >= 180 else img), angle

    def source(rot: int) -> np.ndarray:
        """The card as photographed (colour, not normalised) in variant(rot)'s geometry."""
        base = rot % 180
        if base not in colour:
            _, angle = variant(base)
            c = pp.rotate90(card, base)
            colour[base] = pp.rotate(c, angle, fill=255) if angle else c
        c = colour[base]
        return pp.rotate90(c, 180) if rot >= 180 else c

    t_prep = time.perf_counter() - t0
    if getattr(engine, "turns_itself", False):
        return _read_card_turning(engine, debug, variant, direction, margin, inverted,
                                  t0, t_prep, source)
    cascade = hasattr(engine, "probe")
    probe = engine.probe if cascade else engine.recognize  # type: ignore[attr-defined]
    first = direction
    img, angle = variant(first)
    page = probe(img)
    tried: list[tuple[int, float]] = [(first, round(quality(page), 1))]
    rot = first
    if not _confident(page):
        turns = [first, (first + 180) % 360]
        if margin < 1.5:
            turns += [(first + 90) % 360, (first + 270) % 360]
        probes = {}
        for t in turns:
            small = pp.resize_long(variant(t)[0], PROBE_SIDE)
            probes[t] = quality(probe(small))
            tried.append((t, round(probes[t], 1)))
        if len(probes) < 4 and max(probes.values()) < 25:
            for t in ((first + 90) % 360, (first + 270) % 360):  # the direction was wrong
                probes[t] = quality(probe(pp.resize_long(variant(t)[0], PROBE_SIDE)))
                tried.append((t, round(probes[t], 1)))
        best = max(probes, key=lambda t: probes[t])
        if best != first and probes[best] > 1.2 * probes[first]:
            rot = best
            img, angle = variant(rot)
            page = probe(img)
    if cascade and not _confident(page):
        page = engine.recognize(img)  # a cascade: the second engine reads it too
    debug("ocr_input", img)
    meta = {"rotation": rot, "deskew": round(angle, 2), "inverted": round(inverted, 3),
            "direction_margin": round(margin, 2), "orientations": tried,
            "prep_s": round(t_prep, 3), "ocr_s": round(time.perf_counter() - t0 - t_prep, 3)}
    return OcrPage(page.width, page.height, page.words, page.lines, page.engine, page.qr, meta)


def _read_card_turning(engine: Engine,
                       debug: Callable[[str, np.ndarray], None],
                       variant: Callable[[int], tuple[np.ndarray, float]], first: int,
                       margin: float, inverted: float, t0: float, t_prep: float,
                       source: Callable[[int], np.ndarray]) -> OcrPage:
    """_read_card for an engine that tells 0 from 180 degrees itself: the other text
    direction is tried when the engine found the lines running down the image
    (``meta["sideways"]``), or when the ink's line profile was unsure and the reading
    poor."""
    def recognize(rot: int, img: np.ndarray) -> OcrPage:
        if getattr(engine, "reads_source", False):
            return engine.recognize(img, source(rot))  # type: ignore[call-arg]
        return engine.recognize(img)

    img, angle = variant(first)
    page = recognize(first, img)
    rot = (first + 180) % 360 if page.meta.get("flipped") else first
    tried: list[tuple[int, float]] = [(rot, round(quality(page), 1))]
    if page.meta.get("sideways") or (
            not _confident(page) and (margin < 1.5 or quality(page) < 25)):
        other = (first + 90) % 360
        img2, angle2 = variant(other)
        page2 = recognize(other, img2)
        rot2 = (other + 180) % 360 if page2.meta.get("flipped") else other
        tried.append((rot2, round(quality(page2), 1)))
        if quality(page2) > 1.2 * quality(page):
            page, rot, img, angle = page2, rot2, img2, angle2
    if rot != first and rot % 180 == first % 180:
        img = pp.rotate90(img, 180)
    debug("ocr_input", img)
    meta = {"rotation": rot, "deskew": round(angle, 2), "inverted": round(inverted, 3),
            "direction_margin": round(margin, 2), "orientations": tried,
            "prep_s": round(t_prep, 3),
            "ocr_s": round(time.perf_counter() - t0 - t_prep, 3)}
    return OcrPage(page.width, page.height, page.words, page.lines, page.engine, page.qr, meta)


def _confident(page: OcrPage) -> bool:
    words = [w for w in page.words if sum(ch.isalnum() for ch in w.text) >= 2]
    if len(words) < 6:
        return False
    mean = float(np.mean([w.conf for w in words]))
    return mean >= 0.80
