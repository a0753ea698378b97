"""The OCR result model: what an engine read, and where, knowing nothing of the engine.

An ``OcrPage`` holds words (text, box, confidence) grouped into lines and blocks.
Parsers work on it; tests record it as JSON so the parser is tested without Tesseract.
Boxes are ``(left, top, width, height)`` in pixels of the card image the engine saw.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Word:
    text: str
    box: Box
    conf: float  # 0..1
    line: int  # index into OcrPage.lines
    block: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "box": list(self.box), "conf": round(self.conf, 4),
                "line": self.line, "block": self.block}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Word:
        return cls(d["text"], tuple(d["box"]), float(d["conf"]), int(d["line"]),
                   int(d.get("block", 0)))


@dataclass(frozen=True)
class Line:
    """A line of text: the indices of its words, its box and its text height in pixels."""

    words: tuple[int, ...]
    text: str
    box: Box
    height: float  # typical glyph height (x-height-insensitive: the box height of its words)
    conf: float  # mean word confidence 0..1
    block: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"words": list(self.words), "text": self.text, "box": list(self.box),
                "height": round(self.height, 2), "conf": round(self.conf, 4), "block": self.block}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Line:
        return cls(tuple(d["words"]), d["text"], tuple(d["box"]), float(d["height"]),
                   float(d["conf"]), int(d.get("block", 0)))


@dataclass(frozen=True)
class OcrPage:
    """Everything read from one card image."""

    width: int
    height: int
    words: tuple[Word, ...] = ()
    lines: tuple[Line, ...] = ()
    engine: str = ""
    #: extra structured sources found on the card (e.g. a decoded QR vCard / MECARD text)
    qr: tuple[str, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)
    #: the card as a colour (BGR) picture, upright; not serialised, for e.g. a contact photo
    image: Any = field(default=None, compare=False, repr=False)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def to_dict(self) -> dict[str, Any]:
        return {"width": self.width, "height": self.height, "engine": self.engine,
                "words": [w.to_dict() for w in self.words],
                "lines": [ln.to_dict() for ln in self.lines],
                "qr": list(self.qr), "meta": dict(self.meta)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> OcrPage:
        return cls(int(d["width"]), int(d["height"]),
                   tuple(Word.from_dict(w) for w in d.get("words", ())),
                   tuple(Line.from_dict(ln) for ln in d.get("lines", ())),
                   d.get("engine", ""), tuple(d.get("qr", ())), dict(d.get("meta", {})))

    @classmethod
    def from_lines(cls, lines: list[str], *, line_height: float = 30.0,
                   heights: list[float] | None = None, width: int = 1000) -> OcrPage:
        """A page from plain text lines (for tests and text input): words split on spaces,
        boxes laid out top to bottom, full confidence."""
        words: list[Word] = []
        out_lines: list[Line] = []
        y = 10
        for i, text in enumerate(lines):
            h = heights[i] if heights else line_height
            idx = []
            x = 10
            for token in text.split():
                w = int(len(token) * h * 0.55)
                idx.append(len(words))
                words.append(Word(token, (x, y, w, int(h)), 1.0, i))
                x += w + int(h * 0.4)
            out_lines.append(Line(tuple(idx), " ".join(text.split()), (10, y, max(x - 10, 1),
                                  int(h)), float(h), 1.0))
            y += int(h * 1.6)
        return cls(width, y + 10, tuple(words), tuple(out_lines), engine="text")
