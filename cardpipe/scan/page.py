"""The OCR result model: what an engine read, and where, knowing nothing of the engine.

An ``OcrPage`` holds words (text, box, confidence) grouped into lines and blocks.
Parsers work on it; tests record it as JSON so the parser is tested without Tesseract.
Boxes are ``(left, top, width, height)`` in pixels of the card image the engine saw.
What the engine found out about the card (``flipped``, ``sideways``) and how the card was
found and turned in the photo (``info``, a :class:`CardInfo`) are typed fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

Box = tuple[int, int, int, int]
Point = tuple[float, float]


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
class CardInfo:
    """How a card was found in its photo and turned to be read (``read_image`` fills it)."""

    card: int = 0  # index of the card within the photo
    cards: int = 1  # cards found in the photo
    method: str = "whole"  # how the outline was found ('text': the box around the text,
    #                        'whole': the whole photo)
    quad: tuple[Point, ...] | None = None  # the outline's corners in the photo
    quad_score: float = 0.0
    rotation: int = 0  # degrees the card was turned (clockwise) to be read upright
    deskew: float = 0.0  # degrees of skew corrected
    inverted: float = 0.0  # share of the card inverted (light print on dark)
    direction_margin: float = 0.0  # how clearly the ink's line profile told the direction
    orientations: tuple[tuple[int, float], ...] = ()  # (rotation, quality) of each reading
    detect_s: float = 0.0  # seconds: finding the card(s) in the photo
    prep_s: float = 0.0  # seconds: normalising the card
    ocr_s: float = 0.0  # seconds: reading it

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["quad"] = None if self.quad is None else [list(p) for p in self.quad]
        d["orientations"] = [list(o) for o in self.orientations]
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> CardInfo:
        quad = d.get("quad")
        return cls(
            card=int(d.get("card", 0)), cards=int(d.get("cards", 1)),
            method=str(d.get("method", "whole")),
            quad=None if quad is None else tuple((float(x), float(y)) for x, y in quad),
            quad_score=float(d.get("quad_score", 0.0)), rotation=int(d.get("rotation", 0)),
            deskew=float(d.get("deskew", 0.0)), inverted=float(d.get("inverted", 0.0)),
            direction_margin=float(d.get("direction_margin", 0.0)),
            orientations=tuple((int(r), float(q)) for r, q in d.get("orientations", ())),
            detect_s=float(d.get("detect_s", 0.0)), prep_s=float(d.get("prep_s", 0.0)),
            ocr_s=float(d.get("ocr_s", 0.0)))


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
    #: the engine read the card turned by 180 degrees (boxes are in the turned image)
    flipped: bool = False
    #: the engine found the text lines running down the image (the card is on its side)
    sideways: bool = False
    #: how the card was found and turned (None: a page not made by ``read_image``)
    info: CardInfo | None = None
    #: the card as a colour (BGR) picture, upright; not serialised, for e.g. a contact photo
    image: Any = field(default=None, compare=False, repr=False)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def to_dict(self) -> dict[str, Any]:
        return {"width": self.width, "height": self.height, "engine": self.engine,
                "words": [w.to_dict() for w in self.words],
                "lines": [ln.to_dict() for ln in self.lines],
                "qr": list(self.qr), "flipped": self.flipped, "sideways": self.sideways,
                "info": None if self.info is None else self.info.to_dict()}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> OcrPage:
        """The page ``to_dict`` wrote (other keys, e.g. a test fixture's, are ignored)."""
        info = d.get("info")
        return cls(int(d["width"]), int(d["height"]),
                   tuple(Word.from_dict(w) for w in d.get("words", ())),
                   tuple(Line.from_dict(ln) for ln in d.get("lines", ())),
                   d.get("engine", ""), tuple(d.get("qr", ())),
                   flipped=bool(d.get("flipped", False)),
                   sideways=bool(d.get("sideways", False)),
                   info=None if info is None else CardInfo.from_dict(info))

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
