"""scan: the real engines (RapidOCR, the default, and Tesseract) on rendered card photos
(they must be installed: a missing engine fails these tests, it never skips them), plus the
engine-neutral parts (orientation, cascade) with fake engines behind the Engine interface."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from cardpipe.errors import DependencyError, TesseractNotFound
from cardpipe.scan import engines, linebox, reader
from cardpipe.scan.engines import Engine
from cardpipe.scan.engines import rapidocr as rapid
from cardpipe.scan.page import OcrPage, Word

from .conftest import photograph, render_card, squash

EMAIL = "dana.whitfield@example.org"
PHONE = "+44 20 7946 0958"
LINES = ["Dana Whitfield", "Head of Research", EMAIL, PHONE, "www.example.org"]


def digits(text: str) -> list[str]:
    return ["".join(ch for ch in line if ch.isdigit()) for line in text.splitlines()]


# ----------------------------------------------------------------------------- real Tesseract


def test_check_tesseract_reports_the_version() -> None:
    version = engines.check_tesseract()
    assert version and version[0].isdigit()


def test_a_missing_tesseract_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    with pytest.raises(TesseractNotFound) as err:
        engines.check_tesseract()
    assert "apt-get install tesseract-ocr" in err.value.one_line()


@pytest.mark.parametrize("engine", ["rapidocr", "tesseract"])
def test_reads_email_and_phone_from_a_card_photo(engine: str) -> None:
    pages = reader.read_image(photograph(render_card()), engine=engines.make_engine(engine))
    assert len(pages) == 1
    page = pages[0]
    assert squash(EMAIL) in squash(page.text)
    assert "442079460958" in digits(page.text)
    assert page.info.rotation == 0 and page.info.quad is not None
    email_words = [w for w in page.words if "@" in w.text]
    assert email_words and 0.5 < email_words[0].conf <= 1.0
    line = page.lines[email_words[0].line]
    assert line.height > 10 and email_words[0].box[2] > 100


@pytest.mark.parametrize("engine", ["rapidocr", "tesseract"])
@pytest.mark.parametrize("turn", [90, 180])
def test_a_turned_photo_is_read_upright(turn: int, engine: str) -> None:
    pages = reader.read_image(photograph(render_card(), rotate=turn),
                           engine=engines.make_engine(engine))
    page = pages[0]
    assert squash(EMAIL) in squash(page.text)
    assert page.info.rotation == (360 - turn) % 360


def test_a_dark_card_is_inverted_and_read() -> None:
    page = reader.read_image(photograph(render_card(dark=True)))[0]
    assert page.info.inverted > 0.5
    assert squash(EMAIL) in squash(page.text)


def test_a_qr_payload_lands_in_the_page_and_not_in_the_text(tmp_path: Path) -> None:
    payload = "BEGIN:VCARD\nVERSION:3.0\nFN:Dana Whitfield\nEMAIL:dana@example.org\nEND:VCARD"
    pages = reader.read_image(photograph(render_card(qr_text=payload)), debug_dir=tmp_path)
    assert pages[0].qr == (payload,)
    assert squash(EMAIL) in squash(pages[0].text)
    names = sorted(p.name for p in tmp_path.iterdir())
    for stage in ("input", "detect_quads", "warped", "qr_blanked", "normalized", "ocr_input"):
        assert any(stage in n for n in names), (stage, names)


def test_text_without_a_card_outline_is_read_from_the_whole_image() -> None:
    page_img = np.full((900, 1200, 3), 252, np.uint8)
    page_img[250:650, 300:1000] = render_card()  # no edge between card and ground
    page = reader.read_image(page_img)[0]
    assert page.info.method in ("text", "whole")
    assert squash(EMAIL) in squash(page.text)


def test_languages_installed_and_selected() -> None:
    have = engines.available_languages()
    assert "eng" in have and "osd" not in have
    assert engines.select_languages("eng+xx_not_installed") == "eng"
    assert engines.select_languages(["xx", "eng"]) == "eng"
    with pytest.raises(DependencyError) as err:
        engines.select_languages("xx+yy")
    assert "xx+yy" in str(err.value) and "tesseract-ocr-" in err.value.one_line()
    engine = engines.TesseractEngine(lang=engines.select_languages("eng"))
    assert isinstance(engine, engines.Engine)


# ----------------------------------------------------------------------------- without Tesseract


class FakeEngine(Engine):
    """Reads 'upright' only when the image is landscape-wide with ink on the left: lets the
    orientation logic be checked without Tesseract."""

    name = "fake"

    def __init__(self) -> None:
        self.calls = 0

    def recognize(self, image: np.ndarray, source: np.ndarray | None = None) -> OcrPage:
        self.calls += 1
        h, w = image.shape[:2]
        ink_left = float((image[:, : w // 2] < 128).mean())
        ink_right = float((image[:, w // 2 :] < 128).mean())
        good = w > h and ink_left > ink_right
        conf = 0.95 if good else 0.2
        text = OcrPage.from_lines(["alpha beta gamma delta epsilon zeta theta"])
        words = tuple(Word(wd.text, wd.box, conf, wd.line) for wd in text.words)
        return OcrPage(w, h, words, text.lines, engine="fake")


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_orientation_is_chosen_by_the_engines_confidence(turn: int) -> None:
    card = render_card()
    engine = FakeEngine()
    pages = reader.read_image(photograph(card, rotate=turn), engine=engine)
    assert pages[0].info.rotation == (360 - turn) % 360
    assert pages[0].engine == "fake"
    assert engine.calls <= 6


def test_quality_prefers_confident_text_over_garbage() -> None:
    good = OcrPage.from_lines(["Dana Whitfield", "dana@example.org"])
    garbage = OcrPage(good.width, good.height, tuple(
        Word("~'", w.box, 0.3, w.line) for w in good.words), good.lines)
    assert engines.quality(good) > 10 * max(engines.quality(garbage), 0.01)


class FixedEngine(Engine):
    def __init__(self, name: str, conf: float) -> None:
        self.name = name
        self.conf = conf
        self.calls = 0

    def recognize(self, image: np.ndarray, source: np.ndarray | None = None) -> OcrPage:
        self.calls += 1
        text = OcrPage.from_lines(["Dana Whitfield", "Head of Research", "dana@example.org"])
        words = tuple(Word(w.text, w.box, self.conf, w.line) for w in text.words)
        return OcrPage(text.width, text.height, words, text.lines, engine=self.name)


def test_cascade_asks_the_second_engine_only_when_the_first_is_unsure() -> None:
    img = np.full((100, 200), 255, np.uint8)
    sure, backup = FixedEngine("a", 0.95), FixedEngine("b", 0.9)
    assert engines.CascadeEngine(sure, backup).recognize(img).engine == "a"
    assert backup.calls == 0
    unsure, backup = FixedEngine("a", 0.4), FixedEngine("b", 0.9)
    assert engines.CascadeEngine(unsure, backup).recognize(img).engine == "b"
    worse = FixedEngine("b", 0.1)
    assert engines.CascadeEngine(FixedEngine("a", 0.4), worse).recognize(img).engine == "a"


def test_make_engine_by_name() -> None:
    assert isinstance(engines.make_engine("tesseract"), engines.TesseractEngine)
    with pytest.raises(ValueError, match="unknown OCR engine"):
        engines.make_engine("nope")


# ----------------------------------------------------------------------------- RapidOCR

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def render_lines(lines: list[str], *, size: int = 30) -> np.ndarray:
    font = ImageFont.truetype(str(DEJAVU), size)
    im = Image.new("RGB", (900, 80 + len(lines) * (size + 22)), (250, 250, 246))
    d = ImageDraw.Draw(im)
    for i, text in enumerate(lines):
        d.text((40, 40 + i * (size + 22)), text, font=font, fill=(25, 25, 25))
    return np.array(im)[:, :, ::-1].copy()


def test_the_default_engine_is_rapidocr_loaded_once_per_process() -> None:
    assert isinstance(engines.make_engine(), engines.RapidOcrEngine)
    assert engines.default_engine() is engines.default_engine()
    assert isinstance(engines.make_engine("tesseract", lang="eng+deu"), engines.TesseractEngine)


def test_rapidocr_loads_its_bundled_models_without_the_network(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("RapidOCR tried to reach the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    fresh = rapid._rapidocr.__wrapped__(1, rapid.DET_SIDE)  # not the cached instance
    engine = engines.RapidOcrEngine()
    engine._ocr = fresh
    page = engine.recognize(render_card())
    assert squash(EMAIL) in squash(page.text)


def test_rapidocr_keeps_accents_and_separators() -> None:
    lines = ["Timothée Lemaire", "Logística Größe Straße", "Hauptstr. 7 · 10115 Berlin"]
    page = engines.RapidOcrEngine().recognize(render_lines(lines))
    for line in lines:
        assert line.replace(" ", "") in page.text.replace(" ", "")


def test_rapidocr_turns_an_upside_down_card_by_reading_its_lines_both_ways() -> None:
    card = render_card()
    page = engines.RapidOcrEngine().recognize(cv2.rotate(card, cv2.ROTATE_180))
    assert page.flipped is True
    assert squash(EMAIL) in squash(page.text)
    upright = engines.RapidOcrEngine().recognize(card)
    assert upright.flipped is False
    # boxes of the flipped reading are in the turned image's pixels: the name on top
    name = next(ln for ln in page.lines if "Dana" in ln.text)
    assert name.box[1] < card.shape[0] / 3


def test_rapidocr_detects_the_lines_again_on_an_upside_down_card(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # the detector fits its boxes less well around upside-down print: once the card is
    # known to be upside down, its lines are found again on the turned image
    card = render_card()
    engine = engines.RapidOcrEngine()
    seen: list[np.ndarray] = []
    detect = engine.detect

    def spy(image: np.ndarray) -> list[np.ndarray]:
        seen.append(image.copy())
        return detect(image)

    monkeypatch.setattr(engine, "detect", spy)
    page = engine.recognize(cv2.rotate(card, cv2.ROTATE_180))
    assert page.flipped is True
    assert len(seen) == 2 and np.array_equal(seen[1], card)
    assert squash(EMAIL) in squash(page.text)


def test_rapidocr_finds_the_lines_on_the_image_and_reads_them_from_the_source() -> None:
    image = render_lines(["Dana Whitfield Research", "Head of Research Labs"])
    source = render_lines(["Nora Lind", "Chief Editor"])  # same places, shorter
    page = engines.RapidOcrEngine().recognize(image, source)
    assert "Nora Lind" in page.text and "Chief Editor" in page.text
    assert "Dana" not in page.text


class SourceEngine(Engine):
    """Records what a source-reading engine is given."""

    name = "source"

    def tells_upside_down(self) -> bool:
        return True

    def __init__(self) -> None:
        self.seen: list[tuple[np.ndarray, np.ndarray | None]] = []

    def recognize(self, image: np.ndarray, source: np.ndarray | None = None) -> OcrPage:
        self.seen.append((image, source))
        text = OcrPage.from_lines(["alpha beta gamma delta epsilon zeta theta"])
        h, w = image.shape[:2]
        return OcrPage(w, h, text.words, text.lines, engine=self.name)


def test_lines_are_read_from_the_colour_card_not_the_normalised_one() -> None:
    # normalising stretches the contrast of blurred small print into blobs; the detector
    # works on the normalised card, the recogniser reads the card as photographed
    engine = SourceEngine()
    reader.read_image(photograph(render_card(dark=True)), engine=engine)
    image, source = engine.seen[0]
    assert source is not None and source.ndim == 3
    assert source.shape[:2] == image.shape[:2]
    # light print on a dark card: normalised to dark on light, the source stays dark
    assert float(np.median(image)) > 200 > 100 > float(np.median(source))


SMALL_PRINT = ["+44 20 7946 0958", "+44 7700 900461", "Fax +44 20 7946 0959",
               "dana.whitfield@example.org", "www.example.org",
               "12 Harbour Road, Leith, Edinburgh EH6 6QN"]


def render_small_print_card(texture: bool = False) -> np.ndarray:
    """A 1200-pixel card (the warped size): large name and company, and the contact lines
    in 14-pixel print set 17 pixels apart, as small cards print them. At the detector's
    512 pixels those lines are 6 pixels tall and 1 apart."""
    im = Image.new("L", (1200, 780), 250)
    d = ImageDraw.Draw(im)
    d.text((250, 80), "Northwind Traders Ltd", font=ImageFont.load_default(size=40), fill=30)
    d.text((250, 140), "DANA WHITFIELD", font=ImageFont.load_default(size=52), fill=20)
    d.text((250, 205), "Head of Research", font=ImageFont.load_default(size=28), fill=60)
    font = ImageFont.load_default(size=14)
    for i, text in enumerate(SMALL_PRINT):
        d.text((420, 570 + 17 * i), text, font=font, fill=40)
    card = np.array(im)
    if texture:  # faint paper fibre: specks all over, as a normalised hard photo shows
        rng = np.random.default_rng(5)
        specks = cv2.GaussianBlur(rng.normal(0, 1, card.shape).astype(np.float32), (0, 0), 1.2)
        card = np.clip(card - np.maximum(0, 40 * specks / specks.std() - 40), 0, 255)
    return card.astype(np.uint8)


def test_small_print_set_close_together_is_detected_again_at_full_size() -> None:
    page = engines.RapidOcrEngine().recognize(render_small_print_card())
    for line in SMALL_PRINT:
        assert squash(line) in squash(page.text), line


def test_missed_text_is_the_small_print_not_paper_texture() -> None:
    card = render_small_print_card()
    engine = engines.RapidOcrEngine()
    coarse = rapid._detect(engine._ocr, card)
    (x0, y0, x1, y1), = linebox.missed_text(card, coarse)
    # the small print, down to its last line (its first lines may have been found)
    assert x0 <= 420 and 560 <= y0 <= 570 + 17 * 2 and y1 >= 570 + 17 * len(SMALL_PRINT)
    assert x1 >= 700
    assert (x1 - x0) * (y1 - y0) < 0.25 * card.size  # a crop, not the card
    # with every line found, texture alone asks for no second look
    big = render_lines(LINES)
    speckled = render_small_print_card(texture=True)
    speckled[:big.shape[0], :big.shape[1]] = big if big.ndim == 2 else big[:, :, 0]
    speckled[500:, :] = 250
    assert linebox.missed_text(speckled, rapid._detect(engine._ocr, speckled)) == []


def test_rapidocr_says_when_the_lines_run_down_the_image() -> None:
    card = render_card()
    engine = engines.RapidOcrEngine()
    assert engine.recognize(cv2.rotate(card, cv2.ROTATE_90_CLOCKWISE)).sideways
    assert engine.recognize(card).sideways is False


class SidewaysEngine(Engine):
    """Reads a few confident words either way, but says when the lines run down the
    image (as RapidOCR does from its boxes); reads more the right way round."""

    name = "sideways"

    def tells_upside_down(self) -> bool:
        return True

    def __init__(self) -> None:
        self.calls = 0

    def recognize(self, image: np.ndarray, source: np.ndarray | None = None) -> OcrPage:
        self.calls += 1
        h, w = image.shape[:2]
        words = ["alpha beta gamma delta epsilon zeta theta"] * (1 if h > w else 4)
        page = OcrPage.from_lines(words)
        conf = tuple(Word(wd.text, wd.box, 0.95, wd.line) for wd in page.words)
        return OcrPage(w, h, conf, page.lines, engine="sideways", sideways=h > w)


def test_a_confident_reading_of_lines_running_down_the_card_is_tried_turned() -> None:
    # the ink's line profile can take a tilted card on its side for upright; a confident
    # reading of a few lines does not settle it when the engine saw the lines run down
    card = np.full((700, 400), 250, np.uint8)  # taller than wide: read as it lies first
    card[100:600:40, 150:250] = 0
    engine = SidewaysEngine()
    page = reader.read_image(card, engine=engine)[0]
    assert engine.calls == 2
    assert page.info.rotation in (90, 270) and page.width > page.height


def test_rapidocr_text_comes_out_in_compatibility_form(monkeypatch: pytest.MonkeyPatch) -> None:
    # the recogniser's alphabet holds full-width forms and ligatures as well: 'Gulo\uff54ta
    # \uff06 Luna' must compare and print as 'Gulotta & Luna'
    engine = engines.RapidOcrEngine()

    class Out:
        txts = ("Gulo\uff54ta \uff06 Luna S.p.A.", "O\ufb03ce")
        scores = (0.9, 0.8)

    monkeypatch.setattr(engine._ocr, "text_rec", lambda _inp: Out())
    crop = np.full((20, 60, 3), 255, np.uint8)
    assert engine.read_lines([crop, crop]) == [("Gulotta & Luna S.p.A.", 0.9), ("Office", 0.8)]
