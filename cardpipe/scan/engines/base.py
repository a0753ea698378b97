"""The OCR engine interface: what ``read_image`` asks of an engine, and nothing more.

Every capability is a method with a default (as OCRmyPDF's ``OcrEngine`` plugin spec
does), so an engine declares what it can do by overriding, and the caller never probes
attributes. An engine gets an upright card image and returns an engine-neutral
:class:`~cardpipe.scan.page.OcrPage`; what it found out on the way (the card was upside
down, the lines run down the image) are typed fields of that page.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from ..page import OcrPage


class Engine(ABC):
    """Reads an upright card image (BGR or grayscale uint8) into an OcrPage."""

    #: a short name, written into ``OcrPage.engine`` and the CLI's ``--engine`` choices
    name: str = "engine"

    @abstractmethod
    def recognize(self, image: np.ndarray, source: np.ndarray | None = None) -> OcrPage:
        """Read the card. ``image`` is the normalised card (even light, high contrast);
        ``source`` is the same card in the same geometry before normalisation (e.g. in
        colour), which an engine may read its lines from (default: ignored).

        An engine whose :meth:`tells_upside_down` is True reads an upside-down card too
        and marks the page ``flipped`` (its boxes then in the turned image's pixels); it
        marks the page ``sideways`` when the text runs down the image."""

    def tells_upside_down(self) -> bool:
        """Whether :meth:`recognize` decides between upright and upside down itself.
        When False (the default) the caller reads each turn of the card and compares."""
        return False

    def probe(self, image: np.ndarray) -> OcrPage:
        """A quick reading used to compare the orientations of a card (default: a full
        :meth:`recognize`)."""
        return self.recognize(image)

    def refine(self, image: np.ndarray, page: OcrPage) -> OcrPage:
        """A better reading of ``image`` than ``page`` (what :meth:`probe` read of it)
        when the engine has one to offer, e.g. a second engine for a card the first did
        not read confidently (default: ``page`` as it is)."""
        return page

    @classmethod
    def check(cls) -> None:
        """Raise :class:`~cardpipe.errors.DependencyError` when the engine cannot run on
        this machine (a missing program), before any photo is read (default: it can)."""
        return None


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


def confident(page: OcrPage) -> bool:
    """Whether a reading is good enough to stop looking: six or more words of two letters
    or digits, read with a mean confidence of 0.8 or more."""
    words = [w for w in page.words if sum(ch.isalnum() for ch in w.text) >= 2]
    if len(words) < 6:
        return False
    mean = float(np.mean([w.conf for w in words]))
    return mean >= 0.80
