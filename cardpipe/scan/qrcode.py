"""QR codes on cards (vCard, MECARD, a URL): decoded with OpenCV's detectors.

A QR payload is a high-confidence source for the parser: it is machine-written text, not
OCR. :func:`decode` returns every payload found with where it is in the image.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class QrCode:
    text: str
    points: np.ndarray  # (4, 2) float32 corners in the image given

    @property
    def center(self) -> tuple[float, float]:
        c = self.points.mean(axis=0)
        return float(c[0]), float(c[1])


def _detectors() -> list[cv2.QRCodeDetector]:
    aruco = getattr(cv2, "QRCodeDetectorAruco", None)  # OpenCV >= 4.8: faster, more robust
    return ([aruco()] if aruco is not None else []) + [cv2.QRCodeDetector()]


def _run(detector: cv2.QRCodeDetector, img: np.ndarray) -> tuple[list[tuple[str, np.ndarray]],
                                                                   list[np.ndarray]]:
    """Decoded (text, corners) pairs, and the corners of every code seen (read or not)."""
    try:
        ok, texts, points, _ = detector.detectAndDecodeMulti(img)
    except cv2.error:
        return [], []
    if not ok or points is None:
        return [], []
    corners = [np.asarray(pts, np.float32).reshape(4, 2) for pts in points]
    found = [(text, c) for text, c in zip(texts, corners, strict=False) if text]
    return found, corners


def _run_single(detector: cv2.QRCodeDetector, img: np.ndarray) -> list[tuple[str, np.ndarray]]:
    try:
        text, pts, _ = detector.detectAndDecode(img)
    except cv2.error:
        return []
    if text and pts is not None:
        return [(text, np.asarray(pts, np.float32).reshape(4, 2))]
    return []


def decode(image: np.ndarray, *, max_side: int = 1600, thorough: bool = True,
           unread: list[np.ndarray] | None = None) -> list[QrCode]:
    """All QR payloads found in the image (BGR or grayscale), each once.

    ``unread``: a list that receives the corners of codes that were seen but could not be
    read (so a caller can keep them away from OCR).

    Cheap when there is none (one pass of OpenCV's ArUco-based detector, ~30 ms CPU on a
    1600 px image). With ``thorough``, a code that was seen but not read is tried again
    with the classic detector, binarised and enlarged.
    """
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    h, w = gray.shape
    s = min(1.0, max_side / max(h, w))
    base = gray if s >= 1 else cv2.resize(gray, (round(w * s), round(h * s)),
                                          interpolation=cv2.INTER_AREA)
    detectors = _detectors()
    found, seen = _run(detectors[0], base)
    if found:
        return _unique(found, s)
    if seen and unread is not None:
        unread.extend((c / s).astype(np.float32) for c in seen)
    if not thorough or not seen:
        return []
    _, bw = cv2.threshold(cv2.GaussianBlur(base, (3, 3), 0), 0, 255,
                          cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    found = _run_single(detectors[-1], base)
    if found:
        if unread is not None:
            unread.clear()
        return _unique(found, s)
    variants = [(bw, s)]
    if max(base.shape) < 1200:
        variants.append((cv2.resize(base, None, fx=2.0, fy=2.0,
                                    interpolation=cv2.INTER_CUBIC), 2.0 * s))
    for img, scale in variants:
        for detector in detectors:
            found, _ = _run(detector, img)
            found = found or _run_single(detector, img)
            if found:
                if unread is not None:
                    unread.clear()
                return _unique(found, scale)
    return []


def _unique(found: list[tuple[str, np.ndarray]], scale: float) -> list[QrCode]:
    seen: dict[str, QrCode] = {}
    for text, pts in found:
        seen.setdefault(text, QrCode(text, (pts / scale).astype(np.float32)))
    return list(seen.values())
