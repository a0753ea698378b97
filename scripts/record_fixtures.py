#!/usr/bin/env python3
"""Record OCR pages of sample cards as JSON fixtures for the parser tests.

    python scripts/record_fixtures.py                 # samples/*.jpg|png|heic
    python scripts/record_fixtures.py IMAGE...        # these images (with <stem>.json truth)
    python scripts/record_fixtures.py --generate 6 --difficulty clean --seed 31
    python scripts/record_fixtures.py --engine tesseract --out tests/fixtures/pages-tesseract

For each image it runs the OCR stage (``cardpipe.scan.reader.read_image``) and writes
``tests/fixtures/pages/<stem>.json``: the ``OcrPage.to_dict()`` of the card with the most
words, with ``fixture`` holding the image name and the ground truth (``truth``: the
contact; ``printed``: the text printed per field) from the ``<stem>.json`` next to the
image.  Re-record on purpose
(``make fixtures``) when the OCR stage changes; the tests assert fields, not OCR text.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cardpipe.scan.page import OcrPage  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "pages"
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".heic")


#: Tesseract languages for a card's script (the truth's "script"; Latin cards: eng)
TESSERACT_LANGS = {"ja": "jpn+eng", "ko": "kor+eng", "zh": "chi_sim+eng",
                   "zh-Hant": "chi_tra+eng", "vi": "vie+eng"}


def read_pages(path: Path, engine: str | None = None, lang: str | None = None
               ) -> list[OcrPage]:
    from cardpipe.scan.images import load_image

    image = load_image(path)
    from cardpipe.scan.engines import make_engine
    from cardpipe.scan.reader import read_image

    return read_image(image, engine=make_engine(engine, lang=lang) if engine else None)


def record(path: Path, out_dir: Path, engine: str | None = None) -> Path:
    truth_path = path.with_suffix(".json")
    truth = json.loads(truth_path.read_text(encoding="utf-8")) if truth_path.exists() else {}
    # Tesseract reads a CJK card only in its languages (as a user would set --lang)
    lang = TESSERACT_LANGS.get(truth.get("script", "")) if engine == "tesseract" else None
    pages = read_pages(path, engine, lang)
    page = max(pages, key=lambda p: len(p.words))
    d = page.to_dict()
    d["fixture"] = {"image": path.name,
                    "truth": truth.get("contact"), "printed": truth.get("printed"),
                 "difficulty": truth.get("difficulty"), "locale": truth.get("locale"),
                 "qr_truth": truth.get("qr")}
    if "script" in truth:  # a world card (samples/cardgen/world.py): its extra truth
        d["fixture"].update({"script": truth["script"], "note": truth.get("note"),
                             "latin_name": truth.get("latin_name"),
                             "vertical": truth.get("vertical")})
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
