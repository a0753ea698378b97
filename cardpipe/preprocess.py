"""Find the card(s) in a photo, straighten them, and make the text easy to read.

Pure OpenCV/numpy: no OCR here (orientation, which needs the engine, is in ``ocr``).

* ``find_cards`` — card outlines as quadrilaterals: edges and contours first, then a
  brightness/colour segmentation (a card on a darker table, a card in a hand), then the
  bounding box of the text (a white card on a white table). None found: the whole image.
* ``warp`` — perspective-correct a quadrilateral to a flat card of a standard size.
* ``clean`` — even out the lighting, turn light-on-dark regions (dark cards, white text on
  a coloured band) into dark-on-light, and deskew small residual angles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

#: the long side a card is warped to: ~9 px per point of type on a 3.5 in card, which is
#: where Tesseract's LSTM reads 6-7 pt print reliably.
CARD_LONG_SIDE = 2000
_WORK_SIDE = 800  # detection runs on a downscaled copy
_MIN_AREA = 0.04  # a card covers at least 4% of the frame
_MAX_AREA = 0.97  # ...and is not the frame itself

Debug = Callable[[str, np.ndarray], None]


@dataclass(frozen=True)
class Quad:
    """Four corners (tl, tr, br, bl) in image pixels, and how it was found."""

    points: np.ndarray  # float32 (4, 2)
    method: str
    score: float = 0.0

    @property
    def area(self) -> float:
        return float(cv2.contourArea(self.points.astype(np.float32)))


def _no_debug(name: str, image: np.ndarray) -> None:
    return None


def order_points(pts: np.ndarray) -> np.ndarray:
    """Corners in tl, tr, br, bl order."""
    pts = np.asarray(pts, dtype=np.float32).reshape(4, 2)
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()
    out = np.zeros((4, 2), dtype=np.float32)
    out[0] = pts[np.argmin(s)]
    out[2] = pts[np.argmax(s)]
    out[1] = pts[np.argmin(d)]
    out[3] = pts[np.argmax(d)]
    if len({tuple(p) for p in out.tolist()}) < 4:  # degenerate: fall back to angle order
        c = pts.mean(axis=0)
        ang = np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0])
        out = pts[np.argsort(ang)]
        start = int(np.argmin(out.sum(axis=1)))
        out = np.roll(out, -start, axis=0)
    return out


def to_gray(image: np.ndarray) -> np.ndarray:
    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def _quad_ok(pts: np.ndarray, frame_area: float) -> bool:
    area = cv2.contourArea(pts.astype(np.float32))
    if not (_MIN_AREA * frame_area <= area <= _MAX_AREA * frame_area):
        return False
    if not cv2.isContourConvex(pts.astype(np.float32).reshape(-1, 1, 2)):
        return False
    o = order_points(pts)
    w = (np.linalg.norm(o[1] - o[0]) + np.linalg.norm(o[2] - o[3])) / 2
    h = (np.linalg.norm(o[3] - o[0]) + np.linalg.norm(o[2] - o[1])) / 2
    if min(w, h) < 1:
        return False
    ratio = max(w, h) / min(w, h)
    # business cards are 1.4-1.9 wide; allow perspective foreshortening
    return 1.1 <= ratio <= 2.8


def _approx_quad(contour: np.ndarray) -> np.ndarray | None:
    peri = cv2.arcLength(contour, True)
    for eps in (0.015, 0.025, 0.04, 0.06):
        approx = cv2.approxPolyDP(contour, eps * peri, True)
        if len(approx) == 4:
            return approx.reshape(4, 2).astype(np.float32)
    # not four clean corners (rounded corners, a finger over an edge): the min-area box,
    # accepted only when the contour fills it well
    rect = cv2.minAreaRect(contour)
    box = cv2.boxPoints(rect).astype(np.float32)
    box_area = max(cv2.contourArea(box), 1.0)
    if cv2.contourArea(contour) / box_area > 0.85:
        return box
    return None


def _quads_from_mask(mask: np.ndarray, method: str, scale: float) -> list[Quad]:
    frame_area = mask.shape[0] * mask.shape[1]
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    quads = []
    for c in sorted(contours, key=cv2.contourArea, reverse=True)[:6]:
        if cv2.contourArea(c) < _MIN_AREA * frame_area:
            break
        q = _approx_quad(c)
        if q is not None and _quad_ok(q, frame_area):
            fill = cv2.contourArea(c) / max(cv2.contourArea(q), 1.0)
            quads.append(Quad(order_points(q / scale), method, float(min(fill, 1 / fill))))
    return quads


def _edge_support(edges: np.ndarray, quad: np.ndarray) -> float:
    """Share of points along the quad's sides that lie on an edge pixel."""
    h, w = edges.shape
    hits = total = 0
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        n = max(int(np.linalg.norm(b - a) / 3), 8)
        for t in np.linspace(0.05, 0.95, n):
            x, y = (a + (b - a) * t).astype(int)
            total += 1
            if 0 <= x < w and 0 <= y < h and edges[y, x]:
                hits += 1
    return hits / max(total, 1)


def _edge_quads(gray: np.ndarray, scale: float) -> list[Quad]:
    """Quadrilaterals whose four sides run along image edges, at several edge thresholds
    (a card's outline is stronger than wood grain or cloth texture)."""
    frame_area = gray.shape[0] * gray.shape[1]
    blur = cv2.GaussianBlur(gray, (5, 5), 0)
    out: list[Quad] = []
    for lo, hi in ((20, 60), (40, 120), (80, 200), (120, 300)):
        edges = cv2.Canny(blur, lo, hi)
        thick = cv2.dilate(edges, np.ones((3, 3), np.uint8), iterations=1)
        contours, _ = cv2.findContours(thick, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        support_map = cv2.dilate(edges, np.ones((5, 5), np.uint8))
        for c in sorted(contours, key=cv2.contourArea, reverse=True)[:12]:
            if cv2.contourArea(c) < _MIN_AREA * frame_area:
                break
            q = _approx_quad(c)
            if q is None or not _quad_ok(q, frame_area):
                continue
            support = _edge_support(support_map, order_points(q))
            if support >= 0.6:
                out.append(Quad(order_points(q / scale), f"edges{hi}", support))
    return out


def _segment_masks(small: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """Card-vs-table masks from brightness and colour (Otsu on L, and on saturation)."""
    lab = cv2.cvtColor(small, cv2.COLOR_BGR2LAB)
    hsv = cv2.cvtColor(small, cv2.COLOR_BGR2HSV)
    out = []
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (15, 15))
    for name, channel in (("light", lab[:, :, 0]), ("colour", hsv[:, :, 1])):
        blur = cv2.GaussianBlur(channel, (7, 7), 0)
        _, m = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        for mm in (m, 255 - m):
            mm = cv2.morphologyEx(mm, cv2.MORPH_CLOSE, kernel)  # text holes inside the card
            mm = cv2.morphologyEx(mm, cv2.MORPH_OPEN, kernel)  # thin bridges to the table
            out.append((name, mm))
    return out


def _text_box(gray: np.ndarray, scale: float) -> Quad | None:
    """The last resort: the rotated box around everything that looks like text."""
    grad = cv2.morphologyEx(gray, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    _, bw = cv2.threshold(grad, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bw = cv2.morphologyEx(bw, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(bw)
    h, w = gray.shape
    keep = np.zeros_like(bw)
    pts = []
    for i in range(1, n):
        x, y, ww, hh, area = stats[i]
        if 4 <= hh <= h * 0.15 and ww >= 4 and area > 20 and ww < w * 0.9:
            pts.append([[x, y]])
            pts.append([[x + ww, y + hh]])
            keep[y:y + hh, x:x + ww] = 255
    if len(pts) < 8:
        return None
    rect = cv2.minAreaRect(np.array(pts, dtype=np.float32))
    (cx, cy), (rw, rh), angle = rect
    rect = ((cx, cy), (rw * 1.15 + 20, rh * 1.2 + 20), angle)  # margins around the text
    box = cv2.boxPoints(rect)
    box[:, 0] = np.clip(box[:, 0], 0, w - 1)
    box[:, 1] = np.clip(box[:, 1], 0, h - 1)
    return Quad(order_points(box / scale), "text", 0.3)


def _text_points(gray: np.ndarray) -> np.ndarray:
    """Centres of word-like blobs (wider than tall, a plausible text height)."""
    grad = cv2.morphologyEx(gray, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    _, bw = cv2.threshold(grad, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bw = cv2.morphologyEx(bw, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))
    n, _, stats, centroids = cv2.connectedComponentsWithStats(bw)
    h = gray.shape[0]
    keep = [i for i in range(1, n)
            if 0.008 * h <= stats[i, 3] <= 0.06 * h and stats[i, 2] >= 1.5 * stats[i, 3]
            and stats[i, 4] >= 0.3 * stats[i, 2] * stats[i, 3]]
    return centroids[keep].astype(np.float32)


def _holds_the_text(quad: Quad, points: np.ndarray, scale: float) -> bool:
    """A card outline holds (nearly) all the text around it; an outline that leaves much
    text outside is a logo box, a band or a QR code on a card that fills the frame."""
    if len(points) < 6:
        return True
    poly = (quad.points * scale).astype(np.float32).reshape(-1, 1, 2)
    inside = sum(cv2.pointPolygonTest(poly, (float(x), float(y)), False) >= 0
                 for x, y in points)
    return inside / len(points) >= 0.75


def _overlap(a: Quad, b: Quad) -> float:
    inter, _ = cv2.intersectConvexConvex(a.points.astype(np.float32), b.points.astype(np.float32))
    return float(inter) / max(min(a.area, b.area), 1.0)


def find_cards(image: np.ndarray, debug: Debug = _no_debug) -> list[Quad]:
    """Card outlines in the photo, largest first (several cards give several quads).

    Returns an empty list when nothing card-like is found (the caller reads the whole image).
    """
    h, w = image.shape[:2]
    scale = _WORK_SIDE / max(h, w)
    small = cv2.resize(image, (max(1, int(w * scale)), max(1, int(h * scale))),
                       interpolation=cv2.INTER_AREA) if scale < 1 else image.copy()
    if small.ndim == 2:
        small = cv2.cvtColor(small, cv2.COLOR_GRAY2BGR)
    scale = min(scale, 1.0)
    gray = to_gray(small)
    candidates: list[Quad] = []
    candidates += _edge_quads(gray, scale)
    if not candidates:
        for name, mask in _segment_masks(small):
            candidates += _quads_from_mask(mask, name, scale)
    # the best-fitting outline per card; then drop outlines inside a chosen one
    candidates.sort(key=lambda q: (round(q.score, 1), q.area), reverse=True)
    chosen: list[Quad] = []
    for q in candidates:
        if all(_overlap(q, c) < 0.3 for c in chosen):
            chosen.append(q)
    if chosen:
        # several cards only when they are of similar size (not a card plus its own logo box)
        big = chosen[0].area
        chosen = [q for q in chosen if q.area > 0.4 * big]
        points = _text_points(gray)
        if len(chosen) == 1 and not _holds_the_text(chosen[0], points, scale):
            chosen = []
    if not chosen:
        tb = _text_box(gray, scale)
        # only a compact text area is trusted; scattered "text" is table texture
        if tb is not None and tb.area < 0.6 * h * w:
            chosen = [tb]
    if chosen:
        vis = small.copy()
        for q in chosen:
            cv2.polylines(vis, [np.int32(q.points * scale)], True, (0, 0, 255), 2)
        debug("detect-quads", vis)
    return chosen


def warp(image: np.ndarray, quad: Quad, long_side: int = CARD_LONG_SIDE) -> np.ndarray:
    """The card flattened to ``long_side`` px on its longer side (its own aspect ratio)."""
    o = quad.points
    w = (np.linalg.norm(o[1] - o[0]) + np.linalg.norm(o[2] - o[3])) / 2
    h = (np.linalg.norm(o[3] - o[0]) + np.linalg.norm(o[2] - o[1])) / 2
    k = long_side / max(w, h, 1.0)
    tw, th = max(1, int(round(w * k))), max(1, int(round(h * k)))
    dst = np.array([[0, 0], [tw - 1, 0], [tw - 1, th - 1], [0, th - 1]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(o.astype(np.float32), dst)
    return cv2.warpPerspective(image, m, (tw, th), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)


def resize_long_side(image: np.ndarray, long_side: int = CARD_LONG_SIDE) -> np.ndarray:
    h, w = image.shape[:2]
    k = long_side / max(h, w)
    if abs(k - 1) < 0.05:
        return image
    interp = cv2.INTER_AREA if k < 1 else cv2.INTER_CUBIC
    return cv2.resize(image, (int(w * k), int(h * k)), interpolation=interp)


def clean(card: np.ndarray, debug: Debug = _no_debug) -> np.ndarray:
    """Grayscale card with even lighting, dark text on light ground everywhere."""
    gray = to_gray(card)
    h, w = gray.shape
    # the background level, from a heavily smoothed copy (text removed by closing/opening)
    k = max(15, (min(h, w) // 30) | 1)
    small = cv2.resize(gray, (w // 4, h // 4), interpolation=cv2.INTER_AREA)
    ks = max(5, (k // 4) | 1)
    # light-on-dark regions (a dark card, a coloured band): where the local median over a
    # window much larger than the letters is dark compared with the card's light ground
    km = max(15, (min(small.shape) // 5) | 1)
    med = cv2.medianBlur(small, min(km, 255))
    light_ground = float(np.percentile(small, 95))
    dark = (med < 0.5 * light_ground).astype(np.uint8) * 255
    dark = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((ks, ks), np.uint8))
    if dark.mean() > 0.6 * 255:  # mostly dark: a dark card, invert all of it
        dark[:] = 255
    dark = cv2.resize(dark, (w, h), interpolation=cv2.INTER_NEAREST) > 0
    flipped = np.where(dark, 255 - gray, gray).astype(np.uint8)
    debug("clean-inverted", flipped)
    # even out the lighting: divide by the local background
    small = cv2.resize(flipped, (w // 4, h // 4), interpolation=cv2.INTER_AREA)
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((ks, ks), np.uint8))
    bg = cv2.GaussianBlur(bg, (ks, ks), 0)
    bg = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    norm = np.clip(flipped.astype(np.float32) / np.maximum(bg, 1) * 255.0, 0, 255)
    # stretch contrast so faint print gets dark
    lo = float(np.percentile(norm, 1))
    norm = np.clip((norm - lo) * (255.0 / max(255.0 - lo, 1.0)), 0, 255).astype(np.uint8)
    debug("clean-normalised", norm)
    return norm


def deskew(gray: np.ndarray, max_angle: float = 8.0) -> tuple[np.ndarray, float]:
    """Rotate away a small residual text angle (from the text lines' own direction)."""
    inv = 255 - gray
    _, bw = cv2.threshold(inv, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bw = cv2.morphologyEx(bw, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (25, 3)))
    contours, _ = cv2.findContours(bw, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    angles, weights = [], []
    for c in contours:
        (_, _), (rw, rh), a = cv2.minAreaRect(c)
        if rw < rh:
            rw, rh, a = rh, rw, a - 90
        if rw > 60 and rw > 4 * rh:
            a = (a + 90) % 180 - 90
            if abs(a) <= max_angle:
                angles.append(a)
                weights.append(rw)
    if len(angles) < 3:
        return gray, 0.0
    angle = float(np.average(angles, weights=weights))
    if abs(angle) < 0.3:
        return gray, 0.0
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_CUBIC,
                          borderMode=cv2.BORDER_REPLICATE), angle


def rotate90(image: np.ndarray, degrees: int) -> np.ndarray:
    """Rotate clockwise by 0/90/180/270."""
    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180,
             270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(image, codes[degrees % 360]) if degrees % 360 else image
