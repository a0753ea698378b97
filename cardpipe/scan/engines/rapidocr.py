"""RapidOCR 3: PaddleOCR's PP-OCRv6 small detection and recognition models on ONNX Runtime.

Only this module imports rapidocr. The models ship inside the ``rapidocr`` wheel and are
loaded from there by path, so nothing is ever downloaded.
"""

from __future__ import annotations

import dataclasses
import functools
import unicodedata
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from ...errors import DependencyError
from ..layout import page_from_lines, reading_order, spread_words
from ..linebox import line_crop, missed_text, overlaps, sideways
from ..page import OcrPage
from .base import Engine, confident, quality

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


class RapidOcrEngine(Engine):
    """Reads small and low-contrast print better than Tesseract, and keeps accents; costs
    more CPU. Tells upside-down cards itself, and reads the lines it finds on the
    normalised card from the card as photographed (``source``).

    ``det_side``: the detector sees the image with this long side (line boxes only need a
    coarse view; recognition reads crops of the full image).
    """

    name = "rapidocr"

    def __init__(self, *, threads: int = 1, det_side: int = DET_SIDE) -> None:
        self.det_side = det_side
        self.threads = threads
        self._ocr = _rapidocr(threads, det_side)

    def __repr__(self) -> str:
        return f"RapidOcrEngine(det_side={self.det_side})"

    def tells_upside_down(self) -> bool:
        return True

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
                found = [b + np.array([x0, y0], np.float32) for b in _detect(
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
        see :func:`line_crop`) and read from there. The page is then ``flipped`` and its
        boxes are in the turned image's pixels."""
        h, w = image.shape[:2]
        src = image if source is None else source
        boxes = self.detect(image)
        crops = [line_crop(src, b) for b in boxes]
        probe = sorted(range(len(boxes)), key=lambda i: -crops[i].shape[1])[:PROBE_LINES]
        read = dict(zip(probe, self.read_lines([crops[i] for i in probe]), strict=True))
        upright = self._page([boxes[i] for i in probe], [read[i] for i in probe], w, h)
        if probe and not confident(upright):
            corner = np.array([[w - 1, h - 1]], np.float32)
            turned = [corner - boxes[i][[2, 3, 0, 1]] for i in probe]
            flipped = self._page(
                turned, self.read_lines([crops[i][::-1, ::-1] for i in probe]), w, h)
            if quality(flipped) > 1.2 * quality(upright):
                again = self.recognize_upright(
                    np.ascontiguousarray(image[::-1, ::-1]),
                    np.ascontiguousarray(src[::-1, ::-1]))
                return dataclasses.replace(again, flipped=True)
        rest = [i for i in range(len(boxes)) if i not in read]
        read.update(zip(rest, self.read_lines([crops[i] for i in rest]), strict=True))
        page = self._page(boxes, [read[i] for i in range(len(boxes))], w, h)
        if boxes and sideways(boxes):
            return dataclasses.replace(page, sideways=True)
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
    boxes = out.boxes  # RapidOCR's detection-only output (TextDetOutput); None: no text
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
