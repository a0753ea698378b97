"""Reading CJK cards: Korean cards are read again with Tesseract kor+eng
(cardpipe/scan/engines/hangul.py), Chinese and Japanese ones stay with RapidOCR.

The cards are rendered here with the Noto CJK fonts (Debian fonts-noto-cjk), with
invented people and firms.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from cardpipe.errors import TesseractNotFound
from cardpipe.parse import parse_page
from cardpipe.scan import engines, reader
from cardpipe.scan.engines import hangul
from cardpipe.scan.page import Line, OcrPage, Word

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
BOLD = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")


KOREAN_CARD = [("(주)한빛소프트", 40, True), ("박 지 훈", 64, True), ("기술지원팀 / 책임연구원", 30, False),
               ("서울특별시 마포구 월드컵로 45 7층", 28, False),
               ("Mobile 010-2345-6789", 28, False), ("jihoon.park@example.co.kr", 28, False)]
CHINESE_CARD = [("宏图科技有限公司", 40, True), ("王晓明", 64, True), ("销售部 经理", 30, False),
                ("地址:上海市浦东新区世纪大道100号", 28, False), ("手机:13912345678", 28, False),
                ("wang@example.cn", 28, False)]


def render(lines: list[tuple[str, int, bool]]) -> np.ndarray:
    """A white card 1400 x 800 with the lines in black, as a BGR image."""
    img = Image.new("RGB", (1400, 800), "white")
    draw = ImageDraw.Draw(img)
    y = 60
    for text, size, bold in lines:
        font = ImageFont.truetype(str(BOLD if bold else FONT), size, index=1)  # the KR face
        draw.text((80, y), text, font=font, fill="black")
        y += int(size * 1.7)
    return np.asarray(img)[:, :, ::-1].copy()


def test_a_korean_card_is_read_in_hangul_and_parsed() -> None:
    pages = reader.read_image(render(KOREAN_CARD))
    assert len(pages) == 1
    page = pages[0]
    assert "tesseract" in page.engine  # read again with Tesseract kor+eng
    c = parse_page(page)
    assert (c.full_name or "").replace(" ", "") == "박지훈"
    assert c.company == "(주)한빛소프트"
    assert c.addresses and "마포구" in c.addresses[0].one_line()
    assert [e.address for e in c.emails] == ["jihoon.park@example.co.kr"]  # RapidOCR's line
    assert [p.number[-4:] for p in c.phones] == ["6789"]


def test_a_chinese_card_stays_with_rapidocr(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = engines.TesseractEngine.recognize

    def counting(self: engines.TesseractEngine, image: np.ndarray,
                 source: np.ndarray | None = None) -> OcrPage:
        calls.append(1)
        return real(self, image, source)

    monkeypatch.setattr(engines.TesseractEngine, "recognize", counting)
    pages = reader.read_image(render(CHINESE_CARD))
    assert "tesseract" not in pages[0].engine
    assert calls == []  # read confidently: no second reading at all
    c = parse_page(pages[0])
    assert c.full_name == "王晓明"
    assert c.company == "宏图科技有限公司"


def _page(lines: list[tuple[str, tuple[int, int, int, int], float]], engine: str) -> OcrPage:
    words, out = [], []
    for i, (text, box, conf) in enumerate(lines):
        words.append(Word(text, box, conf, i))
        out.append(Line((i,), text, box, float(box[3]), conf))
    return OcrPage(1000, 600, tuple(words), tuple(out), engine=engine)


def test_merge_keeps_the_main_engines_confident_ascii_lines() -> None:
    main = _page([("舎吾", (100, 50, 200, 60), 0.55), ("kim@example.co.kr", (100, 300, 400, 30), 0.98),
                  ("Tel 02-123-4567", (100, 400, 300, 30), 0.95)], "rapidocr")
    korean = _page([("김 민 준", (100, 50, 200, 60), 0.9), ("kirn@exarnple.co.kr", (102, 302, 396, 28), 0.7),
                    ("Tel 02-123-4567", (100, 400, 300, 30), 0.8),
                    ("서울특별시 강남구", (100, 200, 400, 30), 0.85)], "tesseract")
    merged = hangul.merge(korean, main)
    assert [ln.text for ln in merged.lines] == ["김 민 준", "서울특별시 강남구", "kim@example.co.kr",
                                                "Tel 02-123-4567"]
    assert all(merged.words[w].line == i for i, ln in enumerate(merged.lines) for w in ln.words)
    assert merged.engine == "rapidocr+tesseract"


@pytest.mark.parametrize(("words", "expected"), [
    ([("宏图科技有限公司", 0.99), ("王晓明", 0.98)], False),  # real Chinese, read confidently
    ([("舎吾", 0.62), ("kim@example.co.kr", 0.97)], True),  # Hangul as Han
    ([("Anna", 0.99), ("Schmidt", 0.98)], False),
    ([("Ol2Al", 0.45), ("Tel", 0.99)], True),  # Hangul as Latin garbage
])
def test_suspect(words: list[tuple[str, float]], expected: bool) -> None:
    page = _page([(t, (10, 40 * i, 100, 30), c) for i, (t, c) in enumerate(words)], "rapidocr")
    assert hangul.suspect(page) is expected


def test_hangul_syllables_counts_only_confident_words() -> None:
    page = _page([("김민준", (0, 0, 10, 10), 0.9), ("대표", (0, 20, 10, 10), 0.3)], "tesseract")
    assert hangul.hangul_syllables(page) == 3


def test_without_tesseract_rapidocr_reads_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    tess = engines.TesseractEngine(lang="eng")

    def missing() -> set[str]:
        raise TesseractNotFound("no tesseract")

    monkeypatch.setattr(engines.tesseract, "available_languages", missing)
    rapid = engines.RapidOcrEngine()
    assert hangul.with_korean(rapid) is rapid
    assert hangul.with_korean(tess) is tess  # only RapidOCR needs the help


def test_with_korean_wraps_rapidocr() -> None:
    wrapped = hangul.with_korean(engines.RapidOcrEngine())
    assert isinstance(wrapped, hangul.HangulEngine)
    assert wrapped.tells_upside_down()
    assert wrapped.name == "rapidocr"
