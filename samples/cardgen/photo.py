"""Photograph a flat card: background, perspective, rotation, shadow, light, blur, noise.

``photograph`` returns the frame (RGB uint8) and where the card's corners ended up (top-left,
top-right, bottom-right, bottom-left of the card itself, in frame pixels).

Difficulties:
- clean: a flat scan (tiny rotation, no perspective, scanner-lid background, little noise);
- photo: a phone photo of a card on a desk, wood, cloth or paper; tilted, rotated a little
  or by 90/180/270 degrees, with a shadow, a lighting gradient, slight blur and sensor noise;
- hard: a photo with two or three of HARD_EFFECTS at once (stronger tilt, a smaller card,
  dim light, a grey veil, a glossy glare, motion blur, white card on a white table, a hand
  holding the card; the renderer adds small print and low-contrast ink).  Stacking all of
  them would make cards no person could read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

#: what makes a "hard" photo hard; ``photograph`` applies the ones it is given
HARD_EFFECTS = ("tilt", "small_card", "dim", "veil", "glare", "motion", "white_table", "hand")

SKIN = ((224, 172, 140), (198, 134, 100), (241, 194, 167), (141, 85, 60), (176, 120, 90))


@dataclass
class Shot:
    frame: np.ndarray  # RGB uint8
    quad: np.ndarray  # 4x2 float: card TL, TR, BR, BL in frame pixels
    background: str
    hand: bool
    glare: bool
    effects: tuple[str, ...] = ()


# -- backgrounds --------------------------------------------------------------------------------


def _value_noise(rng: np.random.Generator, h: int, w: int, cells: int) -> np.ndarray:
    small = rng.random((max(2, cells * h // max(h, w)), max(2, cells * w // max(h, w))),
                       dtype=np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def _fractal(rng: np.random.Generator, h: int, w: int, octaves: int = 4, base: int = 4
             ) -> np.ndarray:
    out = np.zeros((h, w), np.float32)
    amp, total = 1.0, 0.0
    for i in range(octaves):
        out += amp * _value_noise(rng, h, w, base * 2**i)
        total += amp
        amp *= 0.5
    return out / total


def background(rng: np.random.Generator, h: int, w: int, kind: str) -> np.ndarray:
    """A (h, w, 3) float32 RGB texture, 0..255."""
    if kind == "wood":
        angle = rng.uniform(0, math.pi)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        v = -xx * math.sin(angle) + yy * math.cos(angle)  # across the grain
        sc = max(h, w) / 2000
        warp = (_fractal(rng, h, w, 3, 3) - 0.5) * rng.uniform(60, 140) * sc
        period = rng.uniform(5, 11) * sc
        lines = (0.5 + 0.5 * np.sin((v + warp) / period)) ** rng.uniform(3, 6)
        streak = _fractal(rng, h, w, 3, 12)
        light = np.array(rng.choice([(196, 150, 102), (168, 118, 72), (222, 190, 146),
                                     (140, 92, 58), (205, 170, 125)]), np.float32)
        dark = light * rng.uniform(0.7, 0.85)
        t = np.clip(0.35 * lines + 0.65 * streak, 0, 1)
        tex = light * (1 - t[..., None]) + dark * t[..., None]
        plank = rng.uniform(350, 700) * sc
        seam = np.abs(((v + plank * rng.random()) % plank) - plank / 2) > plank / 2 - 2 * sc
        tex[seam] *= 0.55
        return tex * (1 + (_value_noise(rng, h, w, 2) - 0.5) * 0.15)[..., None]
    if kind == "cloth":
        base = np.array(rng.choice([(60, 70, 90), (120, 40, 40), (70, 90, 70), (150, 140, 120),
                                    (40, 40, 44)]), np.float32)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        p = rng.uniform(2.5, 4.5)
        weave = (np.sin(xx / p * math.pi) * np.sin(yy / p * math.pi)) * 0.06
        n = (_fractal(rng, h, w, 3, 8) - 0.5) * 0.25 + weave
        return base * (1 + n[..., None])
    if kind in ("desk", "dark"):
        level = rng.uniform(95, 170) if kind == "desk" else rng.uniform(25, 60)
        tint = rng.uniform(0.93, 1.07, 3).astype(np.float32)
        n = (_fractal(rng, h, w, 4, 6) - 0.5) * 0.18 + (rng.random((h, w)) - 0.5) * 0.06
        return level * tint * (1 + n[..., None])
    if kind == "granite":
        level = rng.uniform(120, 200)
        n = (_fractal(rng, h, w, 3, 120) - 0.5) * 0.35 + (_fractal(rng, h, w, 2, 6) - 0.5) * 0.1
        specks = (rng.random((h, w)) > 0.985).astype(np.float32) * rng.uniform(-80, 60)
        return np.repeat((level * (1 + n) + specks)[..., None], 3, axis=2)
    # "white": a white table or sheet of paper (white card on white: hard to find)
    level = rng.uniform(225, 245)
    n = (_fractal(rng, h, w, 3, 5) - 0.5) * 0.05
    return np.repeat((level * (1 + n))[..., None], 3, axis=2) * np.array(
        rng.uniform(0.97, 1.0, 3), np.float32)


# -- geometry --------------------------------------------------------------------------------


def _project(w: float, h: float, angle_deg: float, tilt_x: float, tilt_y: float) -> np.ndarray:
    """The card's corners (TL, TR, BR, BL) after lying rotated on a plane seen at a tilt."""
    pts = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]],
                   np.float64)
    a = math.radians(angle_deg)  # clockwise on screen (y points down)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    pts = pts @ rot.T
    p3 = np.c_[pts, np.zeros(4)]
    ax, ay = math.radians(tilt_x), math.radians(tilt_y)
    rx = np.array([[1, 0, 0], [0, math.cos(ax), -math.sin(ax)], [0, math.sin(ax), math.cos(ax)]])
    ry = np.array([[math.cos(ay), 0, math.sin(ay)], [0, 1, 0], [-math.sin(ay), 0, math.cos(ay)]])
    p3 = p3 @ (ry @ rx).T
    f = 1.6 * max(w, h)  # the camera is f away: a flat card keeps its size
    z = p3[:, 2] + f
    return np.c_[p3[:, 0] * f / z, p3[:, 1] * f / z]


def _warp_card(card: np.ndarray, mask: np.ndarray, quad: np.ndarray, size: tuple[int, int]
               ) -> tuple[np.ndarray, np.ndarray]:
    """Warp the card (pre-shrunk with INTER_AREA to avoid aliasing) onto ``quad``."""
    h, w = card.shape[:2]
    side = max(np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[2] - quad[1]))
    shrink = min(1.0, 1.15 * side / max(w, h))
    if shrink < 1.0:
        card = cv2.resize(card, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA)
        mask = cv2.resize(mask, (card.shape[1], card.shape[0]), interpolation=cv2.INTER_AREA)
        h, w = card.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    m = cv2.getPerspectiveTransform(src, quad.astype(np.float32))
    out = cv2.warpPerspective(card, m, size, flags=cv2.INTER_LINEAR, borderValue=0)
    alpha = cv2.warpPerspective(mask, m, size, flags=cv2.INTER_LINEAR, borderValue=0)
    return out.astype(np.float32), alpha.astype(np.float32) / 255.0


def _card_mask(h: int, w: int, radius: int) -> np.ndarray:
    mask = np.full((h, w), 255, np.uint8)
    if radius > 0:
        mask[:] = 0
        cv2.rectangle(mask, (radius, 0), (w - radius - 1, h - 1), 255, -1)
        cv2.rectangle(mask, (0, radius), (w - 1, h - radius - 1), 255, -1)
        for cx, cy in ((radius, radius), (w - radius - 1, radius), (radius, h - radius - 1),
                       (w - radius - 1, h - radius - 1)):
            cv2.circle(mask, (cx, cy), radius, 255, -1, lineType=cv2.LINE_AA)
    return mask


# -- hand -------------------------------------------------------------------------------------


def _ellipse_mask(size: tuple[int, int], center, axes, angle: float) -> np.ndarray:
    m = np.zeros((size[1], size[0]), np.uint8)
    cv2.ellipse(m, (int(center[0]), int(center[1])), (int(axes[0]), int(axes[1])), angle, 0, 360,
                255, -1, lineType=cv2.LINE_AA)
    return m.astype(np.float32) / 255.0


def _capsule(size: tuple[int, int], p0: np.ndarray, p1: np.ndarray, width: float) -> np.ndarray:
    m = np.zeros((size[1], size[0]), np.uint8)
    cv2.line(m, (int(p0[0]), int(p0[1])), (int(p1[0]), int(p1[1])), 255, max(2, int(width)),
             lineType=cv2.LINE_AA)
    return m.astype(np.float32) / 255.0


def _hand(rng: np.random.Generator, quad: np.ndarray, size: tuple[int, int],
          text_mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(hand behind the card, thumb on it, nail, skin colour) for a hand holding one edge.

    The thumb lies over the card's margin, placed where it covers the least text; the rest
    of the hand (thumb base, palm, the sides of the fingers) shows past that edge.
    """
    edges = [(0, 1), (1, 2), (2, 3), (3, 0)]
    center = quad.mean(axis=0)
    short = min(np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[2] - quad[1]))
    best = None
    for _ in range(16):
        i, j = edges[int(rng.integers(4))]
        edge = quad[j] - quad[i]
        p = quad[i] + edge * rng.uniform(0.2, 0.8)
        normal = np.array([edge[1], -edge[0]]) / (np.linalg.norm(edge) + 1e-6)
        if np.dot(normal, p - center) < 0:
            normal = -normal  # pointing out of the card
        width = short * rng.uniform(0.11, 0.14)
        tip = p - normal * short * rng.uniform(0.08, 0.16)
        base = p + normal * short * 0.55
        thumb = _capsule(size, tip, base, width)
        overlap = float((thumb * text_mask).sum())
        if best is None or overlap < best[0]:
            best = (overlap, thumb, p, normal, tip, width, edge)
        if overlap == 0:
            break
    assert best is not None
    _, thumb, p, normal, tip, width, edge = best
    along = edge / (np.linalg.norm(edge) + 1e-6)
    # the hand past the edge: a wedge that widens away from the card, corners rounded
    near, far = short * rng.uniform(0.25, 0.35), short * rng.uniform(0.7, 0.9)
    off = along * short * rng.uniform(-0.15, 0.15)
    poly = np.array([p + off - along * near, p + off + along * near,
                     p + off + along * far + normal * short * 1.8,
                     p + off - along * far + normal * short * 1.8], np.float32)
    m = np.zeros((size[1], size[0]), np.uint8)
    cv2.fillConvexPoly(m, poly.astype(np.int32), 255, lineType=cv2.LINE_AA)
    r = max(3, int(short * 0.06)) | 1
    behind = cv2.GaussianBlur(m.astype(np.float32) / 255.0, (0, 0), r / 2)
    behind = np.clip((behind - 0.5) * 4 + 0.5, 0, 1)
    # finger tips peeking past the card edge beside the thumb
    for k in (-1, 1):
        f0 = p + along * k * short * rng.uniform(0.28, 0.4) - normal * short * 0.03
        behind = np.maximum(behind, _capsule(size, f0, f0 + normal * short * 0.5, width * 0.9))
    nail_c = tip + normal * width * 0.55
    nail = _ellipse_mask(size, nail_c, (width * 0.42, width * 0.32),
                         math.degrees(math.atan2(normal[1], normal[0])))
    skin = np.array(SKIN[int(rng.integers(len(SKIN)))], np.float32)
    return behind, thumb, nail, skin


# -- the photo ---------------------------------------------------------------------------------


def photograph(card: np.ndarray, rng: np.random.Generator, difficulty: str, rotation: int,
               text_boxes: list[tuple[int, int, int, int]], *, hand: bool | None = None,
               noise_free: bool = False, max_width: int | None = None,
               min_card_px: float = 560.0, effects: set[str] | None = None) -> Shot:
    """Photograph ``card`` (RGB uint8, upright) as ``difficulty``, turned by ``rotation``
    degrees clockwise (0/90/180/270) plus a small random angle."""
    ch, cw = card.shape[:2]
    hard = difficulty == "hard"
    if effects is None:
        effects = set(rng.choice(HARD_EFFECTS, size=2, replace=False)) if hard else set()
    fx = effects if hard else set()
    glare = False
    radius = int(rng.choice([0, 0, 0, ch * 0.04, ch * 0.07]))
    mask = _card_mask(ch, cw, radius)
    text_card = np.zeros((ch, cw), np.uint8)
    for x0, y0, x1, y1 in text_boxes:
        text_card[max(0, y0):y1, max(0, x0):x1] = 255

    if difficulty == "clean":
        angle = rotation + rng.normal(0, 0.6)
        tilt = (0.0, 0.0)
        pad = rng.uniform(0.04, 0.1)
        fw = int(cw * (1 + 2 * pad)) if rotation % 180 == 0 else int(ch * (1 + 2 * pad))
        fh = int(ch * (1 + 2 * pad)) if rotation % 180 == 0 else int(cw * (1 + 2 * pad))
        frac = None
        kind = "scanner"
    else:
        top = min(3000, max_width or 3000)
        fw = int(rng.integers(min(1600, top), top + 1))
        portrait = rng.random() < (0.7 if rotation % 180 else 0.3)
        fh = int(fw * (4 / 3 if portrait else 3 / 4))
        if portrait:
            fw, fh = int(fw * 3 / 4), fw
        angle = rotation + rng.normal(0, 6 if hard else 3.5)
        lim = 32 if "tilt" in fx else 18
        tilt = (float(rng.uniform(-lim, lim)), float(rng.uniform(-lim, lim)))
        frac = rng.uniform(0.28, 0.45) if "small_card" in fx else rng.uniform(0.35, 0.7)
        # keep the card wide enough in pixels for a person to read it
        frac = max(frac, min(0.8, min_card_px / min(fw, fh)))
        kinds = ["wood", "desk", "cloth", "granite", "dark", "white"]
        weights = [0.25, 0.3, 0.15, 0.12, 0.1, 0.08]
        kind = str(rng.choice(kinds, p=np.array(weights) / sum(weights)))
        if "white_table" in fx:
            kind = "white"

    quad = _project(cw, ch, angle, *tilt)
    if frac is None:
        quad += np.array([fw / 2, fh / 2])
    else:
        span = quad.max(axis=0) - quad.min(axis=0)
        scale = frac * fw / span[0] if span[0] / fw > span[1] / fh else frac * fh / span[1]
        scale = min(scale, 0.9 * fw / span[0], 0.9 * fh / span[1])
        quad = (quad - quad.min(axis=0)) * scale
        span = quad.max(axis=0) - quad.min(axis=0)
        room = np.array([fw, fh]) - span
        quad += room * rng.uniform(0.2, 0.8, 2)
    size = (fw, fh)

    if kind == "scanner":
        bg = np.full((fh, fw, 3), rng.uniform(236, 252), np.float32)
    else:
        bg = background(rng, fh, fw, kind)
    warped, alpha = _warp_card(card, mask, quad, size)
    text_alpha, _ = _warp_card(np.dstack([text_card] * 3), mask, quad, size)
    text_mask = (text_alpha[..., 0] > 64).astype(np.float32)

    hand = ("hand" in fx) if hand is None else hand
    if hand:
        behind, thumb, nail, skin = _hand(rng, quad, size, text_mask)
        shade = (0.82 + 0.18 * _fractal(rng, fh, fw, 2, 3))[..., None]
        hsh = cv2.GaussianBlur(behind, (0, 0), max(fw, fh) * 0.01)[..., None]
        bg = bg * (1 - 0.4 * hsh)  # the hand's own shadow on the table
        behind = cv2.GaussianBlur(behind, (0, 0), 1.2)[..., None]
        bg = bg * (1 - behind) + skin * shade * behind

    # shadow of the card on the table
    if kind != "scanner":
        off = np.array([rng.uniform(-1, 1), rng.uniform(0.3, 1)]) * max(fw, fh) * 0.008
        m = np.float32([[1, 0, off[0]], [0, 1, off[1]]])
        sh = cv2.warpAffine(alpha, m, size)
        sh = cv2.GaussianBlur(sh, (0, 0), max(fw, fh) * rng.uniform(0.004, 0.012))
        bg = bg * (1 - rng.uniform(0.25, 0.5) * sh[..., None])

    # paper: a faint fibre texture on the card
    grain = 1 + (_fractal(rng, fh, fw, 2, 160) - 0.5) * (0.0 if noise_free else 0.015)
    a = alpha[..., None]
    frame = bg * (1 - a) + warped * grain[..., None] * a

    if hand:
        tshade = (0.9 + 0.1 * _fractal(rng, fh, fw, 2, 3))[..., None]
        t = cv2.GaussianBlur(thumb, (0, 0), 1.2)
        tsh = cv2.GaussianBlur(np.roll(t, (int(fh * 0.006), int(fw * 0.004)), (0, 1)), (0, 0),
                               fw * 0.006)
        frame = frame * (1 - 0.35 * tsh[..., None])
        frame = frame * (1 - t[..., None]) + skin * tshade * t[..., None]
        nl = cv2.GaussianBlur(nail * thumb, (0, 0), 1.5)[..., None]
        frame = frame * (1 - 0.6 * nl) + np.minimum(skin * 1.25 + 20, 255) * 0.6 * nl

    # light: a gradient across the frame, a warm/cold cast, maybe low contrast or glare
    if difficulty != "clean":
        yy, xx = np.mgrid[0:fh, 0:fw].astype(np.float32)
        d = rng.uniform(0, 2 * math.pi)
        g = (xx / fw - 0.5) * math.cos(d) + (yy / fh - 0.5) * math.sin(d)
        lo = rng.uniform(0.5, 0.65) if "dim" in fx else rng.uniform(0.72, 0.9)
        light = lo + (1.04 - lo) * (g - g.min()) / (g.max() - g.min() + 1e-6)
        vign = 1 - 0.18 * (((xx / fw - 0.5) ** 2 + (yy / fh - 0.5) ** 2) * 2)
        frame = frame * (light * vign)[..., None]
        frame = frame * rng.uniform(0.94, 1.06, 3).astype(np.float32)
        if "veil" in fx:  # low contrast: a grey veil (haze, a dirty lens)
            veil = rng.uniform(0.15, 0.3)
            frame = frame * (1 - veil) + veil * frame.mean()
        if "glare" in fx:
            glare = True
            c = quad.mean(axis=0) + (quad[2] - quad[0]) * rng.uniform(-0.3, 0.3, 2) * 0.5
            span = np.linalg.norm(quad[1] - quad[0])
            blob = _ellipse_mask(size, c, (span * rng.uniform(0.12, 0.25),
                                           span * rng.uniform(0.05, 0.12)), rng.uniform(0, 180))
            blob = cv2.GaussianBlur(blob, (0, 0), span * 0.05)
            frame = frame + blob[..., None] * alpha[..., None] * rng.uniform(45, 85)

    # optics and sensor
    frame = np.clip(frame, 0, 255)
    scale = max(fw, fh) / 2000
    if difficulty == "clean":
        sigma, noise = rng.uniform(0.3, 0.6), rng.uniform(0.5, 1.5)
    elif hard:  # phones denoise in the camera; what is left is fine grain
        sigma, noise = rng.uniform(0.8, 1.6) * scale, rng.uniform(3, 6)
    else:
        sigma, noise = rng.uniform(0.5, 1.1) * scale, rng.uniform(1, 3)
    frame = cv2.GaussianBlur(frame, (0, 0), max(0.3, sigma))
    if "motion" in fx:
        length = max(3, int(rng.uniform(4, 10) * scale))
        k = np.zeros((length, length), np.float32)
        k[length // 2, :] = 1.0
        rot = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), rng.uniform(0, 180), 1)
        k = cv2.warpAffine(k, rot, (length, length))
        frame = cv2.filter2D(frame, -1, k / max(k.sum(), 1e-6))
    if noise_free:
        noise = 0.0
    frame = frame + rng.normal(0, noise, (fh, fw, 1)).astype(np.float32) \
        + rng.normal(0, noise * 0.25, (fh, fw, 3)).astype(np.float32)
    out = np.clip(frame, 0, 255).astype(np.uint8)
    return Shot(out, quad, kind, hand, glare, tuple(sorted(fx | ({"hand"} if hand else set()))))
