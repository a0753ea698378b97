"""From a photo to flat card images that an OCR engine reads well.

Stages (each a plain function of arrays, so they are tested one by one; orientation, which
needs the OCR engine, is decided in ``ocr``):

* :func:`find_cards` - quadrilaterals of the cards in a photo: Canny edges at a strong and
  a faint threshold (a white card on a white table), colour distance from the background,
  brightness segmentation; a card held in a hand is fitted as the largest quadrilateral
  on its outline's hull. Cards laid side by side, touching, of one colour, which no region
  or closed outline separates, are found from straight line segments (LSD): two pairs of
  near-parallel lines at a right angle with a card's aspect. Several cards in one photo
  give several quads; the set of most card-shaped outlines wins over one outline around
  or across several cards.
* :func:`warp_card` - perspective warp of a quad to a standard size (long side
  :data:`CARD_LONG_SIDE` pixels), so 6-point print is big enough for OCR.
* :func:`text_region` - when no card outline is found: the rotated box around the text.
* :func:`normalize` - grayscale with even lighting; regions printed light-on-dark (dark
  cards, white text on a coloured band) are inverted so all text is dark on light.
* :func:`deskew` - the small residual rotation of the text lines.
* :func:`binarize` - local (Sauvola) thresholding.
* :func:`text_direction` - whether text lines run along the image's x or its y axis.

Quads are float32 arrays of shape (4, 2) in the order top-left, top-right, bottom-right,
bottom-left, in the pixel coordinates of the image given.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

#: long side of a warped card in pixels: an 85 mm card at ~360 dpi. 1200 read as well as
#: 1600 and 2000 on the bench at less CPU (bench/bench_ocr.py).
CARD_LONG_SIDE = 1200
#: detection works on a copy with this long side
_DETECT_SIDE = 800

Debug = Callable[[str, np.ndarray], None]


def _no_debug(name: str, image: np.ndarray) -> None:
    return None


@dataclass(frozen=True)
class Quad:
    """A card outline found in a photo."""

    points: np.ndarray  # (4, 2) float32, tl tr br bl, in photo pixels
    score: float  # 0..1: the share of the outline that lies on an edge
    method: str  # which detector found it

    @property
    def area(self) -> float:
        return float(cv2.contourArea(self.points.astype(np.float32)))


# ----------------------------------------------------------------------------- detection


def order_points(pts: np.ndarray) -> np.ndarray:
    """Order four points as top-left, top-right, bottom-right, bottom-left."""
    pts = np.asarray(pts, dtype=np.float32).reshape(4, 2)
    c = pts.mean(axis=0)
    ang = np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0])
    pts = pts[np.argsort(ang)]  # clockwise on screen (y points down)
    start = int(np.argmin(pts.sum(axis=1)))  # the top-left corner has the smallest x + y
    return np.roll(pts, -start, axis=0)


def find_cards(image: np.ndarray, *, max_cards: int = 6, exclude: Sequence[np.ndarray] = (),
               debug: Debug = _no_debug) -> list[Quad]:
    """Outlines of the cards in a photo, best first; empty when none is found.

    ``exclude``: polygons (photo pixels) that are not cards, e.g. QR codes found on it.
    """
    h0, w0 = image.shape[:2]
    scale = min(1.0, _DETECT_SIDE / max(h0, w0))
    small = image if scale >= 1 else cv2.resize(
        image, (max(1, round(w0 * scale)), max(1, round(h0 * scale))),
        interpolation=cv2.INTER_AREA)
    if small.ndim == 2:
        small = cv2.cvtColor(small, cv2.COLOR_GRAY2BGR)
    h, w = small.shape[:2]
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (5, 5), 0), cv2.COLOR_BGR2LAB)
    cands: list[Quad] = []
    not_cards = [Quad(order_points(np.asarray(p, np.float32) * scale), 1.0, "excluded")
                 for p in exclude if len(p) == 4]
    for level, edges in _edge_maps(lab):
        debug(f"detect_edges_{level}", edges)
        support = cv2.dilate(edges, np.ones((7, 7), np.uint8))
        for method, mask in _candidate_masks(lab, edges, with_regions=level == "strong"):
            for cnt in _contours(mask, w * h):
                q = _fit_quad(cnt, support, w, h, f"{method}/{level}")
                if q is not None and q.score >= 0.6 and not any(
                        _overlap(q, x) > 0.5 and q.area < 2 * x.area for x in not_cards):
                    contrast = _side_contrast(q.points, lab)
                    cands.append(Quad(q.points, q.score * min(1.0, contrast / 12.0),
                                      q.method))
    # cards that touch: no region or closed outline separates them, straight sides do;
    # but so do a table's planks, tiles and grain, which hold no print
    chars = _text_mask(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY))
    for q in _line_quads(lab[:, :, 0], "lines"):
        if _printed(q, chars) and not any(
                _overlap(q, x) > 0.5 and q.area < 2 * x.area for x in not_cards):
            q = Quad(q.points, _edge_support(q.points, support), q.method)
            contrast = _side_contrast(q.points, lab)
            cands.append(Quad(q.points, q.score * min(1.0, contrast / 12.0), q.method))
    chosen = _select(cands, max_cards, chars)
    if chosen and (_text_outside(chosen, chars) > 0.4 or (
            len(chosen) == 1 and _cuts_text(chosen[0], chars))):
        # the outline is something printed on the card (a band, a logo, a box), or a
        # smaller object: the caller falls back to the text's own outline
        chosen = []
    if chosen:
        vis = small.copy()
        for q in chosen:
            cv2.polylines(vis, [q.points.astype(np.int32)], True, (0, 0, 255), 2)
        debug("detect_quads", vis)
    return [Quad((q.points / scale).astype(np.float32), q.score, q.method) for q in chosen]


def _edge_maps(lab: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """Canny edges over the L, a and b channels at a strong and a faint threshold (a white
    card on a white table differs by only a few grey levels)."""
    maps = []
    for level, (lo, hi) in (("strong", (40.0, 110.0)), ("faint", (12.0, 36.0))):
        out = cv2.Canny(lab[:, :, 0], lo, hi, L2gradient=True)
        for i in (1, 2):
            ch = lab[:, :, i]
            if float(ch.std()) >= 2.0:  # a colourless channel only holds noise
                out = cv2.bitwise_or(out, cv2.Canny(ch, lo / 3, hi / 3, L2gradient=True))
        maps.append((level, out))
    return maps


def _candidate_masks(lab: np.ndarray, edges: np.ndarray, *, with_regions: bool
                     ) -> list[tuple[str, np.ndarray]]:
    h, w = lab.shape[:2]
    k = max(3, round(min(h, w) / 160)) | 1
    ker = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    masks: list[tuple[str, np.ndarray]] = [
        ("edges", cv2.morphologyEx(edges, cv2.MORPH_CLOSE, ker, iterations=2))]
    if not with_regions:
        return masks
    fill = cv2.getStructuringElement(cv2.MORPH_RECT, (3 * k, 3 * k))

    def clean(m: np.ndarray) -> np.ndarray:
        m = cv2.morphologyEx(m, cv2.MORPH_CLOSE, fill)  # text holes inside the card
        return cv2.morphologyEx(m, cv2.MORPH_OPEN, ker, iterations=2)  # bridges to the table

    # colour distance from the background, estimated along the image border
    border = np.concatenate([lab[:4].reshape(-1, 3), lab[-4:].reshape(-1, 3),
                             lab[:, :4].reshape(-1, 3), lab[:, -4:].reshape(-1, 3)])
    bg = np.median(border.astype(np.float32), axis=0)
    diff = (lab.astype(np.float32) - bg) ** 2 * np.array([1.0, 2.0, 2.0], np.float32)
    dist = np.sqrt(diff.sum(axis=2))
    dist8 = cv2.normalize(dist, np.zeros_like(dist), 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    _, fg = cv2.threshold(dist8, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    masks.append(("colour", clean(fg)))
    # brightness: a light card on a darker surface, or the reverse
    _, otsu = cv2.threshold(lab[:, :, 0], 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    masks.append(("light", clean(otsu)))
    masks.append(("dark", clean(255 - otsu)))
    return masks


def _contours(mask: np.ndarray, total: float) -> list[np.ndarray]:
    cnts, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    hulls = [(cv2.contourArea(cv2.convexHull(c)), c) for c in cnts]
    big = [(a, c) for a, c in hulls if a > 0.02 * total]
    big.sort(key=lambda t: -t[0])
    return [c for _, c in big[:12]]


def _fit_quad(cnt: np.ndarray, support: np.ndarray, w: int, h: int,
              method: str) -> Quad | None:
    hull = cv2.convexHull(cnt)
    peri = cv2.arcLength(hull, True)
    best: np.ndarray | None = None
    for eps in (0.01, 0.02, 0.03, 0.05, 0.07):
        approx = cv2.approxPolyDP(hull, eps * peri, True)
        if len(approx) == 4:
            best = approx.reshape(4, 2).astype(np.float32)
            break
        if len(approx) < 4:
            break
    if best is None:
        # a hand or another object bulges the outline: the largest quad on the hull
        approx = cv2.approxPolyDP(hull, 0.01 * peri, True).reshape(-1, 2).astype(np.float32)
        if len(approx) < 4 or len(approx) > 18:
            return None
        best = _max_area_quad(approx)
        method += "+hull"
    pts = _refine_sides(order_points(best), cnt.reshape(-1, 2).astype(np.float32))
    if not _plausible(pts, w, h):
        return None
    # the outline must look like the quad: a circle or a blob has a quad inside it too
    hull_area = float(cv2.contourArea(hull))
    quad_area = float(cv2.contourArea(pts))
    if not 0.8 * quad_area <= hull_area <= 1.25 * quad_area:
        return None
    return Quad(pts, _edge_support(pts, support), method)


def _refine_sides(pts: np.ndarray, contour: np.ndarray) -> np.ndarray:
    """Fit a straight line to the outline along each side and intersect neighbouring lines:
    the corners of a card with rounded corners (a polygon on the outline cuts them off and
    puts the sides inside the card)."""
    if len(contour) < 8:
        return pts
    # a dense outline: CHAIN_APPROX_SIMPLE keeps only the ends of straight runs, so every
    # run is resampled every 2 pixels (vectorised: this runs for every candidate outline)
    seg = np.roll(contour, -1, axis=0) - contour
    n = np.maximum(1, (np.linalg.norm(seg, axis=1) / 2).astype(int))
    which = np.repeat(np.arange(len(contour)), n)
    step = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
    cpts = contour[which] + seg[which] * (step / n[which])[:, None]
    lines = []
    for i in range(4):
        a, b = pts[i], pts[(i + 1) % 4]
        length = float(np.linalg.norm(b - a))
        if length < 10:
            return pts
        d = (b - a) / length
        nrm = np.array([-d[1], d[0]], np.float32)
        rel = cpts - a
        t = rel @ d / length
        dist = np.abs(rel @ nrm)
        sel = cpts[(t > 0.15) & (t < 0.85) & (dist < max(6.0, 0.05 * length))]
        if len(sel) < 5:
            return pts
        vx, vy, x0, y0 = cv2.fitLine(sel, cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        lines.append((np.array([x0, y0]), np.array([vx, vy])))
    out = []
    for i in range(4):
        (p1, d1), (p2, d2) = lines[i - 1], lines[i]
        m = np.array([d1, -d2]).T
        if abs(np.linalg.det(m)) < 1e-6:
            return pts
        s_, _ = np.linalg.solve(m, p2 - p1)
        out.append(p1 + s_ * d1)
    new = np.array(out, np.float32)
    # the refinement may only move corners a little (rounded corners, not another shape)
    limit = 0.15 * float(np.linalg.norm(pts[2] - pts[0]))
    if float(np.abs(new - pts).max()) > limit:
        return pts
    return order_points(new)


def _max_area_quad(pts: np.ndarray) -> np.ndarray:
    best_area, best = -1.0, pts[:4]
    for combo in itertools.combinations(range(len(pts)), 4):
        q = pts[list(combo)]
        a = cv2.contourArea(q)
        if a > best_area:
            best_area, best = a, q
    return best


def _plausible(pts: np.ndarray, w: int, h: int) -> bool:
    area = cv2.contourArea(pts)
    if area < 0.02 * w * h or area > 0.985 * w * h:
        return False
    if not cv2.isContourConvex(pts.reshape(-1, 1, 2)):
        return False
    for i in range(4):
        a, b, c = pts[i - 1], pts[i], pts[(i + 1) % 4]
        v1, v2 = a - b, c - b
        cosang = float(np.dot(v1, v2) / (np.linalg.norm(v1) * np.linalg.norm(v2) + 1e-9))
        if abs(cosang) > 0.6:  # a corner outside ~53..127 degrees
            return False
    sides = [float(np.linalg.norm(pts[i] - pts[(i + 1) % 4])) for i in range(4)]
    pair_a, pair_b = sides[0] + sides[2], sides[1] + sides[3]
    aspect = max(pair_a, pair_b) / max(min(pair_a, pair_b), 1e-6)
    return aspect <= 2.6


def _edge_support(pts: np.ndarray, support: np.ndarray) -> float:
    """Share of points along the outline that lie on an edge. One side may instead run
    along the image border (a card cut by the frame)."""
    h, w = support.shape
    on_edge, on_border = [], []
    for i in range(4):
        a, b = pts[i], pts[(i + 1) % 4]
        n = max(8, int(np.linalg.norm(b - a) / 3))
        t = np.linspace(0.03, 0.97, n)[:, None]
        xy = np.rint(a + (b - a) * t).astype(int)
        x = np.clip(xy[:, 0], 0, w - 1)
        y = np.clip(xy[:, 1], 0, h - 1)
        on_edge.append(float((support[y, x] > 0).mean()))
        on_border.append(float(((x <= 2) | (x >= w - 3) | (y <= 2) | (y >= h - 3)).mean()))
    border_sides = [i for i in range(4) if on_border[i] > 0.5]
    if len(border_sides) == 1:
        on_edge[border_sides[0]] = max(on_edge[border_sides[0]], on_border[border_sides[0]])
    elif len(border_sides) > 1:
        return 0.0  # a region of the frame, not a card
    return float(np.mean(on_edge))


def _side_contrast(pts: np.ndarray, lab: np.ndarray, offset: float = 4.0) -> float:
    """How clearly the inside differs from the outside along the outline: the weakest
    side's median colour difference (Lab units) between points just in and just out.
    A random outline through a textured table differs little and irregularly."""
    h, w = lab.shape[:2]
    c = pts.mean(axis=0)
    meds = []
    for i in range(4):
        a, b = pts[i], pts[(i + 1) % 4]
        length = float(np.linalg.norm(b - a))
        d = (b - a) / max(length, 1e-6)
        nrm = np.array([-d[1], d[0]], np.float32)
        if float(np.dot((a + b) / 2 - c, nrm)) < 0:
            nrm = -nrm  # pointing outwards
        t = np.linspace(0.1, 0.9, max(8, int(length / 6)))[:, None]
        p = a + (b - a) * t
        pin = np.rint(p - nrm * offset).astype(int)
        pout = np.rint(p + nrm * offset).astype(int)
        ok = ((pout[:, 0] >= 0) & (pout[:, 0] < w) & (pout[:, 1] >= 0) & (pout[:, 1] < h)
              & (pin[:, 0] >= 0) & (pin[:, 0] < w) & (pin[:, 1] >= 0) & (pin[:, 1] < h))
        if ok.mean() < 0.5:
            continue  # this side runs along or outside the frame
        vin = lab[pin[ok, 1], pin[ok, 0]].astype(np.float32)
        vout = lab[pout[ok, 1], pout[ok, 0]].astype(np.float32)
        meds.append(float(np.median(np.linalg.norm(vin - vout, axis=1))))
    return min(meds) if meds else 0.0


def _select(cands: list[Quad], max_cards: int, chars: np.ndarray | None = None
            ) -> list[Quad]:
    """The cards among the outlines found. Outlines of one card found by several detectors
    and outlines printed on a card (a band, a frame) are settled one card at a time
    (:func:`_select_one_each`). Cards laid side by side also give outlines around two or
    four of them (their common outer sides) or across two (one card's sides run on into
    its neighbour): when more cards, each clear and card-shaped, explain the same outlines
    (:func:`_select_most`), those are the cards."""
    chosen = _select_one_each(cands, max_cards)
    many = _select_most(cands, max_cards, chars)
    if len(many) <= len(chosen):
        return chosen
    # every outline chosen one at a time is one of the many, or lies under them
    for q in chosen:
        if any(_iou(q, m) > 0.85 for m in many):
            continue
        under = sum(float(cv2.intersectConvexConvex(q.points, m.points)[0]) for m in many)
        if under < 0.8 * q.area:
            return chosen
    return many


def _select_one_each(cands: list[Quad], max_cards: int) -> list[Quad]:
    good = [q for q in cands if q.score >= 0.5]
    if not good:
        return []
    # the same card is found by several detectors, and outlines printed on a card (a band,
    # a frame) lie inside it: among overlapping outlines keep the best, the bigger one
    # when they are about as good
    good.sort(key=lambda q: -q.area)
    kept: list[Quad] = []
    for q in good:
        same = [i for i, k in enumerate(kept) if _overlap(q, k) > 0.5]
        if not same:
            kept.append(q)
            continue
        for i in same:
            if q.score > kept[i].score + 0.1:
                kept[i] = q
    kept = [k for i, k in enumerate(kept)
            if all(_overlap(k, o) <= 0.5 or o is k for o in kept[:i])]
    kept.sort(key=lambda q: -(q.score * q.area ** 0.25))
    best = kept[0]
    out = [best]
    for q in kept[1:]:
        if len(out) >= max_cards:
            break
        if q.area >= 0.35 * best.area and q.score >= 0.75 and all(
                _overlap(q, o) < 0.1 and not _tile_one(q, o) for o in out):
            out.append(q)
    return out


def _select_most(cands: list[Quad], max_cards: int, chars: np.ndarray | None = None
                 ) -> list[Quad]:
    """The most non-overlapping outlines that are clear (score >= 0.75), card-shaped,
    card-sized (at least 0.35 of the biggest) and printed on (``chars``: the photo's
    character mask), the best ``score * area ** 0.25`` among sets of as many; empty when
    fewer than two. Two halves of one card, split by a crease, are not card-shaped (a
    card's aspect halved or doubled is no card's); a band and the rest of its card may each
    look card-shaped in perspective, but together they tile one card-shaped outline, which
    two cards side by side never do. A plank of the table between straight grain lines
    holds no print."""
    good = [q for q in cands if q.score >= 0.75 and _card_aspect(q.points)
            and _printed(q, chars)]
    value = [q.score * q.area ** 0.25 for q in good]
    order = sorted(range(len(good)), key=lambda i: -value[i])
    kept: list[int] = []  # near-duplicates (one card found by several detectors): the best
    for i in order:
        if not any(_iou(good[i], good[k]) > 0.85 for k in kept):
            kept.append(i)
    quads = [good[i] for i in kept[:20]]
    vals = [value[i] for i in kept[:20]]
    n = len(quads)
    clash = [[_overlap(quads[i], quads[j]) >= 0.1 or _tile_one(quads[i], quads[j])
              for j in range(n)] for i in range(n)]
    best: tuple[int, float, list[int]] = (0, 0.0, [])

    def search(start: int, chosen: list[int], total: float) -> None:
        nonlocal best
        if (len(chosen), total) > best[:2]:
            best = (len(chosen), total, list(chosen))
        if len(chosen) >= max_cards or len(chosen) + n - start < best[0]:
            return
        for j in range(start, n):
            if any(clash[j][c] for c in chosen):
                continue
            members = [*chosen, j]
            big = max(quads[m].area for m in members)
            if any(quads[m].area < 0.35 * big for m in members):
                continue
            chosen.append(j)
            search(j + 1, chosen, total + vals[j])
            chosen.pop()

    search(0, [], 0.0)
    if best[0] < 2:
        return []
    return sorted((quads[i] for i in best[2]), key=lambda q: -(q.score * q.area ** 0.25))


def _printed(q: Quad, chars: np.ndarray | None) -> bool:
    """Whether character-like ink covers at least 0.5% of the outline (a card's print
    covers several per cent; a bare stretch of table next to none)."""
    if chars is None:
        return True
    inside = np.zeros(chars.shape, np.uint8)
    cv2.fillPoly(inside, [np.rint(q.points).astype(np.int32)], 1)
    area = int(inside.sum())
    return area > 0 and int((chars[inside > 0] > 0).sum()) >= 0.005 * area


def _tile_one(a: Quad, b: Quad) -> bool:
    """Whether two outlines side by side together fill one card-shaped outline (a band
    and the rest of the card it is printed on)."""
    pts = np.concatenate([a.points, b.points]).astype(np.float32)
    (_, _), (rw, rh), _ = cv2.minAreaRect(pts)
    hull = float(cv2.contourArea(cv2.convexHull(pts)))
    if hull <= 0 or a.area + b.area < 0.85 * hull:
        return False
    r = max(rw, rh) / max(min(rw, rh), 1e-6)
    return CARD_ASPECT[0] <= r <= CARD_ASPECT[1]


def _iou(a: Quad, b: Quad) -> float:
    inter, _ = cv2.intersectConvexConvex(a.points.astype(np.float32),
                                         b.points.astype(np.float32))
    return float(inter) / max(a.area + b.area - float(inter), 1e-6)


def _overlap(a: Quad, b: Quad) -> float:
    """Intersection area over the smaller area."""
    inter, _ = cv2.intersectConvexConvex(a.points.astype(np.float32),
                                         b.points.astype(np.float32))
    return float(inter) / max(min(a.area, b.area), 1e-6)


# ----------------------------------------------------------------------------- straight sides

#: long/short side of a card's outline: ISO 7810 (1.59), Japan (1.65), China (1.67), US
#: (1.75), Korea (1.8), widened for perspective
CARD_ASPECT = (1.35, 2.2)


@dataclass
class _Line:
    """Collinear edge segments merged into one straight line."""

    p: np.ndarray  # a point on the line
    d: np.ndarray  # unit direction
    spans: list[tuple[float, float]]  # covered intervals, in units of d from p

    def offset(self, q: np.ndarray) -> float:
        return float(self.d[0] * (q[1] - self.p[1]) - self.d[1] * (q[0] - self.p[0]))


def _edge_lines(gray: np.ndarray, *, limit: int = 40) -> list[_Line]:
    """The longest straight lines in a grey image: line-segment detector (LSD) segments,
    merged when collinear (a card's side is broken by its rounded corners, a shadow, a
    finger). LSD rather than Hough on the edge map: a row of characters gives many short
    segments there, not one long line."""
    h, w = gray.shape
    short = min(h, w)
    found = cv2.createLineSegmentDetector(cv2.LSD_REFINE_STD).detect(gray)[0]
    if found is None:
        return []
    segs = [s for s in found.reshape(-1, 4).astype(np.float32)
            if float(np.hypot(s[2] - s[0], s[3] - s[1])) >= max(12, short // 25)]
    segs.sort(key=lambda s: -float(np.hypot(s[2] - s[0], s[3] - s[1])))
    lines: list[_Line] = []
    tol = max(2.5, short / 200)
    for x0, y0, x1, y1 in segs[:400]:
        a, b = np.array([x0, y0], np.float32), np.array([x1, y1], np.float32)
        for ln in lines:
            if (abs(ln.offset(a)) <= tol and abs(ln.offset(b)) <= tol):
                break
        else:
            d = (b - a) / max(float(np.linalg.norm(b - a)), 1e-6)
            ln = _Line(a, d, [])
            lines.append(ln)
        ts = sorted((float(np.dot(a - ln.p, ln.d)), float(np.dot(b - ln.p, ln.d))))
        ln.spans.append((ts[0], ts[1]))
    length = [sum(s1 - s0 for s0, s1 in ln.spans) for ln in lines]
    order = np.argsort(length)[::-1][:limit]
    # the frame's own sides: a card cut by the frame has one side there
    frame = [_Line(np.array(p, np.float32), np.array(d, np.float32), [(0.0, float(n))])
             for p, d, n in (((0, 0), (1, 0), w), ((0, h - 1), (1, 0), w),
                             ((0, 0), (0, 1), h), ((w - 1, 0), (0, 1), h))]
    return [lines[i] for i in order] + frame


def _line_quads(gray: np.ndarray, method: str, *, min_cover: float = 0.45
                ) -> list[Quad]:
    """Card outlines made of four straight lines, two near-parallel pairs at about a right
    angle, each side mostly covered by line segments, with a card's aspect. Finds cards that
    touch each other or a same-coloured neighbour, where no region or closed outline
    separates them: each card's four sides are still straight (the seam between two cards
    is one). Vectorised over all pairs of pairs of lines."""
    h, w = gray.shape
    lines = _edge_lines(gray)
    n = len(lines)
    if n < 4:
        return []
    p = np.array([ln.p for ln in lines], np.float64)
    d = np.array([ln.d for ln in lines], np.float64)
    cross = d[:, None, 0] * d[None, :, 1] - d[:, None, 1] * d[None, :, 0]  # sin of angle
    rel = p[None, :, :] - p[:, None, :]  # p_j - p_i
    offset = d[:, None, 0] * rel[..., 1] - d[:, None, 1] * rel[..., 0]  # of p_j from line i
    with np.errstate(divide="ignore", invalid="ignore"):
        # where line j crosses line i, in units along line i from p_i
        t = (rel[..., 0] * d[None, :, 1] - rel[..., 1] * d[None, :, 0]) / cross
    perp = np.abs(cross) >= np.sin(np.radians(76))
    par = (np.abs(cross) <= np.sin(np.radians(6))) & (np.abs(offset) >= 0.08 * min(h, w))
    # cumulative coverage of each line, one bin per pixel along it
    reach = int(np.hypot(w, h)) + 2
    cum = np.zeros((n, 2 * reach + 2))
    for i, ln in enumerate(lines):
        on = np.zeros(2 * reach + 1)
        for s0, s1 in ln.spans:
            on[int(np.clip(s0 + reach, 0, 2 * reach)):int(np.clip(s1 + reach, 0, 2 * reach))] = 1
        cum[i, 1:] = np.cumsum(on)
    ii, jj = np.nonzero(np.triu(par, 1))
    if len(ii) < 2:
        return []
    pa, pb = np.meshgrid(np.arange(len(ii)), np.arange(len(ii)), indexing="ij")
    sel = pa < pb
    a1, a2, b1, b2 = ii[pa[sel]], jj[pa[sel]], ii[pb[sel]], jj[pb[sel]]
    ok = perp[a1, b1] & perp[a1, b2] & perp[a2, b1] & perp[a2, b2]
    a1, a2, b1, b2 = a1[ok], a2[ok], b1[ok], b2[ok]

    def cover(i: np.ndarray, j: np.ndarray, k: np.ndarray, part: float = 1.0) -> np.ndarray:
        """Share of line i between where j and k cross it (of the ``part`` of that next
        to j) that segments cover."""
        tj, tk = t[i, j], t[i, k]
        tk = tj + (tk - tj) * part
        t0, t1 = np.minimum(tj, tk), np.maximum(tj, tk)
        lo = np.clip(np.rint(t0 + reach), 0, 2 * reach + 1).astype(int)
        hi = np.clip(np.rint(t1 + reach), 0, 2 * reach + 1).astype(int)
        return (cum[i, hi] - cum[i, lo]) / np.maximum(t1 - t0, 1.0)

    cov = np.stack([cover(a1, b1, b2), cover(a2, b1, b2), cover(b1, a1, a2),
                    cover(b2, a1, a2)])
    # a side on the frame (the last four lines) is no evidence: the others must be, and
    # the two sides that meet it must run up to it
    frame = np.stack([a1, a2, b1, b2]) >= n - 4
    seen = ~frame
    mean = (cov * seen).sum(axis=0) / np.maximum(seen.sum(axis=0), 1)
    low = np.where(frame, 1.0, cov).min(axis=0)
    ok = (low >= min_cover) & (mean >= 0.6) & (frame.sum(axis=0) <= 1)
    near = 0.12  # the end of a side next to the frame: a card's edge, not the table's
    meets = np.stack([
        np.minimum(cover(b1, a1, a2, near), cover(b2, a1, a2, near)),
        np.minimum(cover(b1, a2, a1, near), cover(b2, a2, a1, near)),
        np.minimum(cover(a1, b1, b2, near), cover(a2, b1, b2, near)),
        np.minimum(cover(a1, b2, b1, near), cover(a2, b2, b1, near))])
    ok &= ~(frame & (meets < 0.8)).any(axis=0)
    out: list[Quad] = []
    for x1, x2, y1, y2, c in zip(a1[ok], a2[ok], b1[ok], b2[ok], mean[ok], strict=True):
        pts = np.array([p[x1] + t[x1, y1] * d[x1], p[x1] + t[x1, y2] * d[x1],
                        p[x2] + t[x2, y2] * d[x2], p[x2] + t[x2, y1] * d[x2]], np.float32)
        if (pts[:, 0].min() < -0.02 * w or pts[:, 0].max() > 1.02 * w
                or pts[:, 1].min() < -0.02 * h or pts[:, 1].max() > 1.02 * h):
            continue
        pts = order_points(pts)
        if _plausible(pts, w, h) and _card_aspect(pts):
            out.append(Quad(pts, float(c), method))
    return out


def _card_aspect(pts: np.ndarray) -> bool:
    sides = [float(np.linalg.norm(pts[i] - pts[(i + 1) % 4])) for i in range(4)]
    a, b = sides[0] + sides[2], sides[1] + sides[3]
    r = max(a, b) / max(min(a, b), 1e-6)
    return CARD_ASPECT[0] <= r <= CARD_ASPECT[1]


# ----------------------------------------------------------------------------- warping


def warp_card(image: np.ndarray, quad: np.ndarray, *, long_side: int = CARD_LONG_SIDE
              ) -> np.ndarray:
    """Warp the quad to a rectangle whose long side is ``long_side`` pixels."""
    pts = order_points(quad)
    wa = (np.linalg.norm(pts[1] - pts[0]) + np.linalg.norm(pts[2] - pts[3])) / 2
    ha = (np.linalg.norm(pts[3] - pts[0]) + np.linalg.norm(pts[2] - pts[1])) / 2
    s = long_side / max(float(wa), float(ha), 1.0)
    w, h = max(1, round(wa * s)), max(1, round(ha * s))
    dst = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    m = cv2.getPerspectiveTransform(pts, dst)
    return cv2.warpPerspective(image, m, (w, h), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)


def resize_long(image: np.ndarray, long_side: int) -> np.ndarray:
    """Scale so the long side is ``long_side`` pixels."""
    h, w = image.shape[:2]
    s = long_side / max(h, w)
    if abs(s - 1) < 0.02:
        return image
    interp = cv2.INTER_AREA if s < 1 else cv2.INTER_CUBIC
    return cv2.resize(image, (max(1, round(w * s)), max(1, round(h * s))), interpolation=interp)


def text_region(image: np.ndarray) -> np.ndarray | None:
    """The rotated rectangle (with a margin) around the main cluster of text, as a quad in
    image pixels; None when nothing text-like is found."""
    h0, w0 = image.shape[:2]
    scale = min(1.0, 1200 / max(h0, w0))
    gray = to_gray(image)
    small = gray if scale >= 1 else cv2.resize(gray, (round(w0 * scale), round(h0 * scale)),
                                               interpolation=cv2.INTER_AREA)
    h, w = small.shape
    chars = _text_mask(small)
    if chars is None:
        return None
    # characters into words and lines, lines into the text block
    smear = cv2.dilate(chars, cv2.getStructuringElement(
        cv2.MORPH_RECT, (max(9, w // 40), max(5, h // 60))))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(smear)
    if n <= 1:
        return None
    area_big = stats[1:, cv2.CC_STAT_AREA].max()
    sel = [i for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] >= 0.05 * area_big]
    pts = np.column_stack(np.nonzero(np.isin(labels, sel) & (chars > 0)))[:, ::-1]
    if len(pts) < 20:
        return None
    # an upright box: the text's own tilt is measured later (deskew), not guessed here
    x0, y0 = pts.min(axis=0)
    x1, y1 = pts.max(axis=0)
    margin = 0.05 * max(x1 - x0, y1 - y0) + 8
    x0, y0 = max(0.0, x0 - margin), max(0.0, y0 - margin)
    x1, y1 = min(w - 1.0, x1 + margin), min(h - 1.0, y1 + margin)
    box = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)
    return order_points(box / scale)


def _text_mask(gray: np.ndarray) -> np.ndarray | None:
    """Character-sized strokes of either polarity (255) in a grayscale image; None when
    the image holds no contrast at all.

    Dark-on-light and light-on-dark strokes are kept apart until the size check: the
    top-hat of dark text lines set close together lights up the gaps between them, and
    with both polarities in one mask a whole text column merged into one block that was
    then thrown away as "not character-sized".
    """
    h, w = gray.shape
    k = cv2.getStructuringElement(cv2.MORPH_RECT, (15, 15))
    dark = cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT, k)
    light = cv2.morphologyEx(gray, cv2.MORPH_TOPHAT, k)
    resp = cv2.max(dark, light)
    if float(resp.max()) < 25:
        return None
    otsu, _ = cv2.threshold(resp, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # Otsu alone keeps only the strongest print (white on a dark band) and loses grey text
    thr = max(18.0, min(otsu, 0.5 * otsu + 10))
    chars = np.zeros((h, w), np.uint8)
    for polarity in (dark, light):
        bw = (polarity > thr).astype(np.uint8) * 255
        n, labels, stats, _ = cv2.connectedComponentsWithStats(bw, connectivity=8)
        cw, ch, area = stats[:, 2], stats[:, 3], stats[:, 4]
        # strokes, words or whole lines (the black-hat fills the gaps between letters);
        # not hairlines, not large areas, not long thin lines across the frame (wood
        # grain, a table edge): those fill little of their bounding box
        keep = ((ch >= 3) & (ch <= h / 4) & (cw <= 0.8 * w) & (area >= 6)
                & (area < 0.05 * h * w) & ((area >= 0.08 * cw * ch) | (np.maximum(cw, ch) <= 24)))
        keep[0] = False
        chars |= keep[labels].astype(np.uint8) * 255
    return chars if chars.any() else None


def _background_ink(chars: np.ndarray, outside: np.ndarray) -> float:
    """Share of pixels a textured table (granite, speckle, grain) lights up in the
    character mask by itself: the median over a grid of cells of the photo that lie
    outside the outlines. Printed text is local and leaves most cells empty (0); texture
    is everywhere."""
    h, w = chars.shape
    ch, cw = max(1, h // 8), max(1, w // 8)
    dens = []
    for y in range(0, h - ch + 1, ch):
        for x in range(0, w - cw + 1, cw):
            out = outside[y:y + ch, x:x + cw] > 0
            if out.mean() > 0.9:
                dens.append(float((chars[y:y + ch, x:x + cw][out] > 0).mean()))
    return float(np.median(dens)) if len(dens) >= 8 else 0.0


def _text_outside(quads: list[Quad], chars: np.ndarray | None) -> float:
    """Share of the photo's character-like ink outside all the outlines, beyond what the
    table's own texture puts there."""
    if chars is None:
        return 0.0
    inside: np.ndarray = np.zeros(chars.shape, np.uint8)
    for q in quads:
        cv2.fillPoly(inside, [q.points.astype(np.int32)], 1)
    inside = cv2.dilate(inside, np.ones((7, 7), np.uint8))
    total = int((chars > 0).sum())
    if total < 200:
        return 0.0
    outside = inside == 0
    t_out: float = int(((chars > 0) & outside).sum())
    t_out = max(0.0, t_out - _background_ink(chars, outside) * int(outside.sum()))
    return t_out / max(1.0, total - int(((chars > 0) & outside).sum()) + t_out)


def _cuts_text(q: Quad, chars: np.ndarray | None) -> bool:
    """Whether text continues just outside the outline: the outline is a band or a box
    printed on the card, not the card."""
    if chars is None:
        return False
    inside = np.zeros(chars.shape, np.uint8)
    cv2.fillPoly(inside, [q.points.astype(np.int32)], 1)
    sides = [float(np.linalg.norm(q.points[i] - q.points[(i + 1) % 4])) for i in range(4)]
    reach = max(9, int(0.6 * min(sides)))
    ring = cv2.dilate(inside, cv2.getStructuringElement(cv2.MORPH_RECT, (reach, reach)))
    ring = cv2.bitwise_and(ring, 1 - cv2.dilate(inside, np.ones((9, 9), np.uint8)))
    t_in = int((chars[inside > 0] > 0).sum())
    t_out: float = int((chars[ring > 0] > 0).sum())
    t_out -= _background_ink(chars, (ring == 0) & (inside == 0)) * int((ring > 0).sum())
    return t_out > 0.3 * t_in and t_out > 200


# ----------------------------------------------------------------------------- enhancement


def to_gray(image: np.ndarray) -> np.ndarray:
    """A BGR image in grey (a grey one as it is)."""
    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def normalize(image: np.ndarray, *, debug: Debug = _no_debug) -> tuple[np.ndarray, float]:
    """Grayscale with text dark on an even light background.

    Returns the image and the share of its area that was inverted (light-on-dark print).
    """
    gray = to_gray(image)
    h, w = gray.shape
    # local background level: a median over a window well above the text size (a bold
    # 30-point name must not count as a dark ground)
    f = max(1, round(max(h, w) / 240))
    small = cv2.resize(gray, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
    k = max(5, (min(small.shape) // 5) | 1)
    bgl = cv2.medianBlur(small, min(k, 255))
    thr, _ = cv2.threshold(bgl, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    dark = bgl < thr
    lo = float(bgl[dark].mean()) if dark.any() else 0.0
    hi = float(bgl[~dark].mean()) if (~dark).any() else 255.0
    regions = [np.ones_like(dark)] if hi - lo < 40 else [dark, ~dark]
    inverted = np.zeros_like(dark)
    for region in regions:
        n, lab = cv2.connectedComponents(region.astype(np.uint8))
        for i in range(1, n):
            comp = lab == i
            size = int(comp.sum())
            if size < 0.03 * comp.size:
                continue
            # print lighter than its ground, more than print darker than it: invert
            diff = small[comp].astype(np.int16) - bgl[comp].astype(np.int16)
            bright = int((diff > 25).sum())
            darker = int((diff < -25).sum())
            if bright > 1.3 * darker + 0.0005 * size:
                inverted |= comp
    share = float(inverted.mean())
    if share > 0:
        mask = cv2.resize(inverted.astype(np.uint8) * 255, (w, h),
                          interpolation=cv2.INTER_NEAREST) > 127
        gray = np.where(mask, 255 - gray, gray).astype(np.uint8)
        debug("inverted", gray)
    # even out the lighting: divide by a background estimate with the text closed away
    f2 = max(1, round(max(h, w) / 400))
    sm = cv2.resize(gray, (max(1, w // f2), max(1, h // f2)), interpolation=cv2.INTER_AREA)
    bg = cv2.morphologyEx(sm, cv2.MORPH_CLOSE,
                          cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (15, 15)))
    bg = cv2.GaussianBlur(bg, (0, 0), 3)
    bg = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    flat = gray.astype(np.float32) / np.maximum(bg, 1.0)
    # stretch: the ground to white, the darkest print to black
    lo = float(np.percentile(flat, 0.5))
    out = np.clip((flat - lo) / max(0.97 - lo, 0.05) * 255.0, 0, 255).astype(np.uint8)
    debug("normalized", out)
    return out, share


def binarize(gray: np.ndarray, *, window: int = 0, k: float = 0.2) -> np.ndarray:
    """Sauvola local threshold: text 0, background 255."""
    h, w = gray.shape
    if window <= 0:
        window = max(15, (max(h, w) // 40) | 1)
    g = gray.astype(np.float32)
    mean = cv2.boxFilter(g, -1, (window, window), borderType=cv2.BORDER_REFLECT)
    sq = cv2.boxFilter(g * g, -1, (window, window), borderType=cv2.BORDER_REFLECT)
    std = np.sqrt(np.maximum(sq - mean * mean, 0))
    thr = mean * (1 + k * (std / 128.0 - 1))
    return np.where(g > thr, 255, 0).astype(np.uint8)


def ink(gray: np.ndarray, *, side: int = 800) -> np.ndarray:
    """Binary text mask (1 = ink) of a normalised image, reduced to ``side`` pixels."""
    h, w = gray.shape
    s = min(1.0, side / max(h, w))
    small = gray if s >= 1 else cv2.resize(gray, (round(w * s), round(h * s)),
                                           interpolation=cv2.INTER_AREA)
    _, bw = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return bw


def char_ink(bw: np.ndarray) -> np.ndarray:
    """The character-sized parts of a binary ink mask (1 = ink): no rules, borders, logos
    or single specks."""
    h, w = bw.shape
    n, labels, stats, _ = cv2.connectedComponentsWithStats(bw, connectivity=8)
    if n <= 1:
        return bw
    cw, ch = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    keep = (cw < w / 8) & (ch < h / 8) & (stats[:, cv2.CC_STAT_AREA] >= 4)
    keep[0] = False
    return keep[labels].astype(np.uint8)


def _line_sharpness(bw: np.ndarray) -> float:
    rows = bw.sum(axis=1).astype(np.float64)
    return float(np.square(np.diff(rows)).mean()) if len(rows) > 1 else 0.0


def deskew(gray: np.ndarray, *, max_angle: float = 10.0) -> tuple[np.ndarray, float]:
    """Rotate so that text lines are horizontal (the angle at which rows of ink alternate
    most sharply, searched coarse to fine); returns the image and the angle applied
    (degrees, counter-clockwise)."""
    bw = char_ink(ink(gray, side=600))
    if int(bw.sum()) < 50:
        return gray, 0.0
    h, w = bw.shape
    c = (w / 2, h / 2)

    def sharp(a: float) -> float:
        if abs(a) < 1e-9:
            return _line_sharpness(bw)
        m = cv2.getRotationMatrix2D(c, float(a), 1.0)
        return _line_sharpness(cv2.warpAffine(bw, m, (w, h), flags=cv2.INTER_NEAREST))

    base = sharp(0.0)
    step = 1.0 if max_angle > 4 else 0.5
    scores = {float(a): sharp(float(a)) for a in np.arange(-max_angle, max_angle + 1e-9, step)}
    best_a = max(scores, key=lambda a: scores[a])
    for a in np.arange(best_a - step + 0.25, best_a + step - 0.24, 0.25):
        scores.setdefault(float(a), sharp(float(a)))
    best_a = max(scores, key=lambda a: scores[a])
    if abs(best_a) < 0.2 or scores[best_a] < 1.05 * base:
        return gray, 0.0
    return rotate(gray, best_a, fill=255), best_a


def rotate(image: np.ndarray, angle: float, *, fill: int = 255) -> np.ndarray:
    """Rotate by ``angle`` degrees counter-clockwise, growing the canvas to keep corners."""
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    border = (fill, fill, fill) if image.ndim == 3 else fill
    return cv2.warpAffine(image, m, (nw, nh), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=border)


def rotate90(image: np.ndarray, degrees: int) -> np.ndarray:
    """Rotate by a multiple of 90 degrees clockwise."""
    k = (degrees // 90) % 4
    if k == 0:
        return image
    codes = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(image, codes[k])


def text_direction(gray: np.ndarray) -> tuple[int, float]:
    """0 when text lines run horizontally, 90 when vertically, and the margin (how many
    times sharper the winning direction's line profile is). Only character-sized ink
    counts: rules, borders and logos are left out."""
    bw = char_ink(ink(gray, side=600))
    horiz = _line_sharpness(bw)
    vert = _line_sharpness(bw.T)
    if horiz >= vert:
        return 0, horiz / max(vert, 1e-9)
    return 90, vert / max(horiz, 1e-9)
