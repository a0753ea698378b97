"""Two engines in turn: the first (fast) for every card, the second only for the cards the
first does not read confidently; the reading with more believable text wins."""

from __future__ import annotations

import numpy as np

from ..page import OcrPage
from .base import Engine, confident, quality


class CascadeEngine(Engine):
    """Orientation probes use the primary engine alone (:meth:`probe`); the secondary one
    reads a card only when the primary's reading of it is not confident (:meth:`refine`)."""

    def __init__(self, primary: Engine, secondary: Engine) -> None:
        self.primary = primary
        self.secondary = secondary
        self.name = f"{primary.name}+{secondary.name}"

    def __repr__(self) -> str:
        return f"CascadeEngine({self.primary!r}, {self.secondary!r})"

    def probe(self, image: np.ndarray) -> OcrPage:
        return self.primary.recognize(image)

    def refine(self, image: np.ndarray, page: OcrPage) -> OcrPage:
        if confident(page):
            return page
        second = self.secondary.recognize(image)
        return second if quality(second) > quality(page) else page

    def recognize(self, image: np.ndarray, source: np.ndarray | None = None) -> OcrPage:
        return self.refine(image, self.primary.recognize(image))
