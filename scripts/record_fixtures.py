#!/usr/bin/env python3
"""Record OCR pages of sample cards as JSON fixtures for the parser tests.

    python scripts/record_fixtures.py                 # samples/*.jpg|png|heic
    python scripts/record_fixtures.py IMAGE...        # these images (with <stem>.json truth)
    python scripts/record_fixtures.py --generate 6 --difficulty clean --seed 31
    python scripts/record_fixtures.py --engine tesseract --out tests/fixtures/pages-tesseract

For each image it runs the OCR stage (``cardpipe.ocr.read_image``; plain Tesseract through
pytesseract when that stage is not installed) and writes ``tests/fixtures/pages/<stem>.json``:
the ``OcrPage.to_dict()`` of the card with the most words, with ``meta`` holding the
image name, the engine and the ground truth (``truth``: the contact; ``printed``: the text
printed per field) from the ``<stem>.json`` next to the image.  Re-record on purpose
(``make fixtures``) when the OCR stage changes; the tests assert fields, not OCR text.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cardpipe.page import Line, OcrPage, Word  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "pages"
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".heic")


def tesseract_page(image: Any) -> OcrPage:
    """A page from plain ``pytesseract.image_to_data`` (the fallback before cardpipe.ocr)."""
    import cv2
    import pytesseract

    try:  # turn the photo upright first (Tesseract's orientation detection)
        osd = pytesseract.image_to_osd(image, output_type=pytesseract.Output.DICT)
        turn = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180,
                270: cv2.ROTATE_90_COUNTERCLOCKWISE}.get(int(osd.get("rotate", 0)))
        if turn is not None:
            image = cv2.rotate(image, turn)
    except pytesseract.TesseractError:
        pass
    data = pytesseract.image_to_data(image, lang="eng+deu+fra+spa+ita",
                                     output_type=pytesseract.Output.DICT)
    words: list[Word] = []
    groups: dict[tuple[int, int, int], list[int]] = {}
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        groups.setdefault(key, []).append(len(words))
        box = (data["left"][i], data["top"][i], data["width"][i], data["height"][i])
        words.append(Word(text, box, conf / 100.0, -1, data["block_num"][i]))
    lines: list[Line] = []
    for key in sorted(groups, key=lambda k: min(words[w].box[1] for w in groups[k])):
        idx = groups[key]
        for w in idx:
            words[w] = Word(words[w].text, words[w].box, words[w].conf, len(lines), key[0])
        boxes = [words[w].box for w in idx]
        left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
        right = max(b[0] + b[2] for b in boxes)
        bottom = max(b[1] + b[3] for b in boxes)
        lines.append(Line(tuple(idx), " ".join(words[w].text for w in idx),
                          (left, top, right - left, bottom - top),
                          float(statistics.median(b[3] for b in boxes)),
                          statistics.fmean(words[w].conf for w in idx), key[0]))
    height, width = image.shape[:2]
    return OcrPage(width, height, tuple(words), tuple(lines), engine="tesseract-plain")


def read_pages(path: Path, engine: str | None = None) -> list[OcrPage]:
    from cardpipe.images import load_image

    image = load_image(path)
    try:
        from cardpipe.ocr import make_engine, read_image
    except ImportError:
        return [tesseract_page(image)]
    return read_image(image, engine=make_engine(engine) if engine else None)


def record(path: Path, out_dir: Path, engine: str | None = None) -> Path:
    truth_path = path.with_suffix(".json")
    truth = json.loads(truth_path.read_text(encoding="utf-8")) if truth_path.exists() else {}
    pages = read_pages(path, engine)
    page = max(pages, key=lambda p: len(p.words))
    d = page.to_dict()
    d["meta"] = {**d.get("meta", {}), "image": path.name,
                 "truth": truth.get("contact"), "printed": truth.get("printed"),
                 "difficulty": truth.get("difficulty"), "locale": truth.get("locale"),
                 "qr_truth": truth.get("qr")}
    out = out_dir / f"{path.stem}.json"
    out.write_text(json.dumps(d, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("images", nargs="*", type=Path, help="images (default: samples/*)")
    ap.add_argument("--out", type=Path, default=OUT, help=f"output folder (default {OUT})")
    ap.add_argument("--generate", type=int, default=0, metavar="N",
                    help="record N freshly generated cards instead (samples/generate.py)")
    ap.add_argument("--difficulty", default="clean", choices=["clean", "photo", "hard", "mixed"])
    ap.add_argument("--seed", type=int, default=31)
    ap.add_argument("--engine", default=None, help="OCR engine (default: cardpipe's default)")
    args = ap.parse_args(argv)
    images = list(args.images)
    if args.generate:
        sys.path.insert(0, str(ROOT / "samples"))
        from generate import generate

        tmp = Path(tempfile.mkdtemp(prefix="fixtures-"))
        images = generate(tmp, args.seed, args.generate, args.difficulty)
    elif not images:
        images = sorted(p for p in (ROOT / "samples").iterdir()
                        if p.suffix.lower() in IMAGE_SUFFIXES)
    if not images:
        print("no images to record", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for path in images:
        out = record(Path(path), args.out, args.engine)
        print(f"{path} -> {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
