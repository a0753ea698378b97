"""Text-line boxes from a detector: the ink it left outside every box (to look at again
at full size), whether the lines run down the image, and each line cut out upright for a
recogniser. Image geometry only; no OCR engine here (see :mod:`cardpipe.ocr`)."""

from __future__ import annotations

import cv2
import numpy as np

from . import preprocess as pp

#: a patch of missed ink is text worth a second look when it holds this many strokes
ZOOM_MIN_STROKES = 8
#: line crops lower than this are enlarged (bicubic) to it: the recogniser's input height
LINE_HEIGHT = 48


def sideways(boxes: list[np.ndarray]) -> bool:
    """Whether most line boxes are taller than wide: the text runs down the image (it is
    on its side)."""
    across = sum(float(np.ptp(b[:, 0])) > float(np.ptp(b[:, 1])) for b in boxes)
    return across < len(boxes) / 2


def overlaps(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether the upright rectangles around two boxes share a third of the smaller."""
    ax0, ay0 = a.min(axis=0)
    ax1, ay1 = a.max(axis=0)
    bx0, by0 = b.min(axis=0)
    bx1, by1 = b.max(axis=0)
    inter = max(0.0, min(ax1, bx1) - max(ax0, bx0)) * max(0.0, min(ay1, by1) - max(ay0, by0))
    small = min((ax1 - ax0) * (ay1 - ay0), (bx1 - bx0) * (by1 - by0))
    return bool(small > 0 and inter > small / 3)


def missed_text(image: np.ndarray, boxes: list[np.ndarray]) -> list[tuple[int, int, int, int]]:
    """Rectangles (x0, y0, x1, y1) around text the line boxes do not hold: patches of at
    least ZOOM_MIN_STROKES character-sized strokes (local threshold) whose centres are in
    no box, or in a box that holds two rows of ink (two lines read as one), that fill at
    least 2% of their extent and are at least three letters wide; none when most boxes
    are taller than wide (the image is on its side). Each rectangle has a margin and is
    grown over the line boxes it touches, so no line it began is cut by its edge."""
    gray = pp.to_gray(image)
    h, w = gray.shape
    if sideways(boxes):
        return []
    bw = pp.char_ink((pp.binarize(gray) == 0).astype(np.uint8))
    n, labels, stats, centres = cv2.connectedComponentsWithStats(bw, connectivity=8)
    if n <= ZOOM_MIN_STROKES:
        return []
    covered = np.zeros((h, w), np.uint8)
    for b in boxes:
        x0, y0 = np.floor(b.min(axis=0)).astype(int).clip(0)
        x1, y1 = np.ceil(b.max(axis=0)).astype(int)
        rows = np.diff(np.concatenate([[0], (bw[y0:y1, x0:x1].max(axis=1) > 0), [0]]))
        runs = np.flatnonzero(rows == -1) - np.flatnonzero(rows == 1)
        if len(runs) and (runs >= max(3, 0.5 * runs.max())).sum() >= 2:
            continue  # two rows of ink in one box
        cv2.fillPoly(covered, [b.astype(np.int32)], 1)
    cx = centres[:, 0].astype(int).clip(0, w - 1)
    cy = centres[:, 1].astype(int).clip(0, h - 1)
    # specks of paper texture are smaller than any letter a detector could box
    missed = (covered[cy, cx] == 0) & (stats[:, cv2.CC_STAT_HEIGHT] >= 4) & (
        stats[:, cv2.CC_STAT_AREA] >= 8)
    missed[0] = False
    if missed.sum() < ZOOM_MIN_STROKES:
        return []
    # strokes into patches: a few letters apart along a line, a line apart across
    ch = max(8.0, float(np.median(stats[missed, cv2.CC_STAT_HEIGHT])))
    strokes = missed[labels].astype(np.uint8)
    patches = cv2.dilate(strokes, cv2.getStructuringElement(
        cv2.MORPH_RECT, (int(4 * ch) | 1, int(2 * ch) | 1)))
    m, plabels, pstats, _ = cv2.connectedComponentsWithStats(patches, connectivity=8)
    per_patch = np.bincount(plabels[cy[missed], cx[missed]], minlength=m)
    out = []
    for j in range(1, m):
        if per_patch[j] < ZOOM_MIN_STROKES:
            continue
        x, y, pw, ph = pstats[j, :4]
        ink = (plabels[y:y + ph, x:x + pw] == j) & (strokes[y:y + ph, x:x + pw] > 0)
        ys, xs = np.nonzero(ink)
        sw, sh = int(np.ptp(xs)) + 1, int(np.ptp(ys)) + 1
        # text is a dense patch at least a word wide; paper texture or a table's grain
        # scatters strokes thinly over the card, a card edge stacks them in a thin column
        if sw < 3 * ch or len(ys) < 0.02 * sw * sh or pw * ph > 0.5 * w * h:
            continue
        x0, y0, x1, y1 = x - ch, y - 0.5 * ch, x + pw + ch, y + ph + 0.5 * ch
        grown = True
        while grown:  # over the line boxes the rectangle touches (not logos or blocks)
            grown = False
            for b in boxes:
                (bx0, by0), (bx1, by1) = b.min(axis=0), b.max(axis=0)
                if (by1 - by0 <= 3 * ch and bx0 < x1 and bx1 > x0 and by0 < y1 and by1 > y0
                        and not (x0 <= bx0 and y0 <= by0 and bx1 <= x1 and by1 <= y1)):
                    x0, y0 = min(x0, bx0), min(y0, by0)
                    x1, y1 = max(x1, bx1), max(y1, by1)
                    grown = True
        out.append((int(max(0, x0)), int(max(0, y0)), int(min(w, x1)), int(min(h, y1))))
    return out


def line_crop(image: np.ndarray, box: np.ndarray, *, pad: float = 0.15, pad_y: float = 0.0
              ) -> np.ndarray:
    """The text line inside a detected (4, 2) box, warped upright, with a margin of
    ``pad`` times the line height left and right (the box may clip the first or last
    letter) and ``pad_y`` times it above and below. The detector's box already holds the
    ascenders and descenders with room to spare: a margin there only pulls in the edges
    of the lines above and below (closely set small print) and shrinks the letters, as
    the recogniser scales every line to the same height."""
    pts = np.asarray(box, np.float32).reshape(4, 2)
    wd = float(max(np.linalg.norm(pts[1] - pts[0]), np.linalg.norm(pts[2] - pts[3])))
    ht = float(max(np.linalg.norm(pts[3] - pts[0]), np.linalg.norm(pts[2] - pts[1])))
    wd, ht = max(wd, 2.0), max(ht, 2.0)
    mx, my = pad * ht, pad_y * ht
    k = max(1.0, LINE_HEIGHT / ht)  # small print up to the recogniser's height, bicubic
    mx, my, wd, ht = mx * k, my * k, wd * k, ht * k
    dst = np.array([[mx, my], [mx + wd, my], [mx + wd, my + ht], [mx, my + ht]], np.float32)
    mat = cv2.getPerspectiveTransform(pts, dst)
    size = (int(round(wd + 2 * mx)), int(round(ht + 2 * my)))
    return cv2.warpPerspective(image, mat, size, flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)
