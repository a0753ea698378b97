"""OCR bench (issue 3): raw Tesseract versus cardpipe's preprocessing + OCR, same photos.

Generates a fresh labelled set with samples/generate.py (a seed different from the
committed samples), then for every photo runs

* raw Tesseract: ``pytesseract.image_to_string`` on the whole photo, default settings;
* cardpipe: ``images.load_image`` + ``reader.read_image`` (find, warp, orient, clean, OCR).

and prints, per difficulty, the recoverability per field type: the share of printed
ground-truth values found in the OCR text (whitespace and case ignored; phone numbers
compared by their digits, within one line) and the seconds per card of each.

    .venv/bin/python bench/bench_ocr.py                 # 40 cards per difficulty
    .venv/bin/python bench/bench_ocr.py --count 10 --difficulty photo --show-misses
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import cv2
import numpy as np
import pytesseract

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "samples"))

from cardpipe.scan import engines, images, reader  # noqa: E402
from cardpipe.scan.engines.tesseract import DEFAULT_PSM  # noqa: E402

FIELDS = ["full_name", "title", "company", "emails", "phones", "websites", "address", "social"]
TARGETS = {"clean": 0.98, "photo": 0.95, "hard": 0.90}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def truth_items(printed: dict) -> list[tuple[str, str]]:
    """(field, value) for every printed ground-truth value."""
    out = []
    for f in FIELDS:
        v = printed.get(f)
        if not v:
            continue
        for item in v if isinstance(v, list) else [v]:
            if item and str(item).strip():
                out.append((f, str(item)))
    return out


def found(field: str, value: str, text: str) -> bool:
    if field == "phones":
        want = _digits(value)
        if want.startswith("00"):
            want = want[2:]
        # compare national significant digits: "+49 (0)30 ..." prints a trunk zero
        lines = [_digits(ln) for ln in text.splitlines()]
        tail = want[-8:] if len(want) > 8 else want
        return any(want in ln for ln in lines) or any(
            tail in ln and len(ln) >= len(want) - 3 for ln in lines)
    return _squash(value) in _squash(text)


def raw_tesseract(path: Path) -> str:
    env = os.environ.pop("OMP_THREAD_LIMIT", None)  # Tesseract as installed
    try:
        image = images.load_image(path)
        return pytesseract.image_to_string(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
    finally:
        if env is not None:
            os.environ["OMP_THREAD_LIMIT"] = env


def cardpipe_text(path: Path, engine: engines.Engine) -> tuple[str, list]:
    pages = reader.read_image(images.load_image(path), engine=engine)
    return "\n".join(p.text for p in pages), pages


def quad_iou(a: list, b: list, size: tuple[int, int]) -> float:
    h, w = size
    ma = np.zeros((h // 4 + 1, w // 4 + 1), np.uint8)
    mb = ma.copy()
    cv2.fillPoly(ma, [np.int32(np.array(a) / 4)], 1)
    cv2.fillPoly(mb, [np.int32(np.array(b) / 4)], 1)
    inter = int((ma & mb).sum())
    union = int((ma | mb).sum())
    return inter / union if union else 0.0


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the Tesseract runs):
    unlike wall time, not inflated by other work on the machine."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=40, help="cards per difficulty (default 40)")
    ap.add_argument("--seed", type=int, default=9103, help="generator seed (samples/ uses "
                    "20240611)")
    ap.add_argument("--difficulty", default="clean,photo,hard",
                    help="comma-separated: clean,photo,hard")
    ap.add_argument("--data", type=Path, default=None,
                    help="reuse (or keep) the generated set in this folder")
    ap.add_argument("--lang", default=None,
                    help="Tesseract languages for cardpipe's tesseract engine (default eng)")
    ap.add_argument("--psm", type=int, default=DEFAULT_PSM)
    ap.add_argument("--engine", choices=list(engines.ENGINES), default=engines.DEFAULT_ENGINE,
                    help="cardpipe's OCR engine (default: cardpipe's default)")
    ap.add_argument("--no-raw", action="store_true", help="skip raw Tesseract")
    ap.add_argument("--show-misses", action="store_true", help="list the values not found")
    ap.add_argument("--jobs", type=int, default=1, help="processes for generating the set")
    args, _unknown = ap.parse_known_args(argv)

    engines.check_tesseract()
    engine = engines.make_engine(args.engine, lang=args.lang, psm=args.psm)
    tmp = None
    if args.data is None:
        tmp = tempfile.TemporaryDirectory(prefix="cardpipe-bench-ocr-")
        base = Path(tmp.name)
    else:
        base = args.data
    from generate import generate  # samples/generate.py

    print(f"cardpipe OCR bench: seed {args.seed}, {args.count} cards per difficulty, "
          f"engine {engine!r}, Tesseract {engines.check_tesseract()}")
    all_ok = True
    for diff in [d for d in args.difficulty.split(",") if d]:
        folder = base / diff
        if not any(folder.glob("*.json")):
            t = time.perf_counter()
            generate(folder, seed=args.seed, count=args.count, difficulty=diff, jobs=args.jobs)
            print(f"\n[{diff}] generated {args.count} photos in {time.perf_counter() - t:.0f} s")
        truths = sorted(folder.glob("*.json"))[: args.count]
        hits: dict[str, dict[str, list[int]]] = {"raw": defaultdict(lambda: [0, 0]),
                                                  "cardpipe": defaultdict(lambda: [0, 0])}
        secs = {"raw": 0.0, "cardpipe": 0.0}
        cpu = {"raw": 0.0, "cardpipe": 0.0}
        detect = [0, 0]
        misses: list[str] = []
        for tj in truths:
            gt = json.loads(tj.read_text())
            path = folder / gt["image"]
            items = truth_items(gt["printed"])
            runs = {}
            if not args.no_raw:
                t, c = time.perf_counter(), _cpu()
                runs["raw"] = raw_tesseract(path)
                secs["raw"] += time.perf_counter() - t
                cpu["raw"] += _cpu() - c
            t, c = time.perf_counter(), _cpu()
            runs["cardpipe"], pages = cardpipe_text(path, engine)
            secs["cardpipe"] += time.perf_counter() - t
            cpu["cardpipe"] += _cpu() - c
            quad = pages[0].info.quad if pages and pages[0].info else None
            if gt.get("card_quad") and quad:
                detect[1] += 1
                size = images.load_image(path).shape[:2]
                detect[0] += quad_iou(gt["card_quad"], [list(p) for p in quad], size) >= 0.9
            elif gt.get("card_quad"):
                detect[1] += 1
            for name, text in runs.items():
                for field, value in items:
                    ok = found(field, value, text)
                    hits[name][field][0] += ok
                    hits[name][field][1] += 1
                    if not ok and name == "cardpipe" and args.show_misses:
                        rot = pages[0].info.rotation if pages[0].info else None
                        misses.append(f"  {path.name} [{rot}/"
                                      f"{gt.get('rotation')}] {field}: {value!r}")
        n = len(truths)
        print(f"\n[{diff}] {n} cards   (target recoverability >= {TARGETS.get(diff, 0):.2f})")
        print(f"  {'field':<11} {'raw tesseract':>14} {'cardpipe':>10}   values")
        for field in FIELDS:
            c = hits["cardpipe"].get(field)
            if not c or not c[1]:
                continue
            r = hits["raw"].get(field, [0, 0])
            raw_s = f"{r[0] / r[1]:.3f}" if r[1] else "-"
            print(f"  {field:<11} {raw_s:>14} {c[0] / c[1]:>10.3f}   {c[1]}")
        tot = {k: [sum(v[0] for v in h.values()), sum(v[1] for v in h.values())]
               for k, h in hits.items()}
        raw_all = f"{tot['raw'][0] / tot['raw'][1]:.3f}" if tot["raw"][1] else "-"
        cp_all = tot["cardpipe"][0] / max(tot["cardpipe"][1], 1)
        print(f"  {'ALL':<11} {raw_all:>14} {cp_all:>10.3f}   {tot['cardpipe'][1]}")
        raw_spc = f"{secs['raw'] / n:.2f}" if not args.no_raw else "-"
        print(f"  {'s / card':<11} {raw_spc:>14} {secs['cardpipe'] / n:>10.2f}   wall clock")
        raw_cpu = f"{cpu['raw'] / n:.2f}" if not args.no_raw else "-"
        print(f"  {'cpu s/card':<11} {raw_cpu:>14} {cpu['cardpipe'] / n:>10.2f}   "
              f"CPU time incl. Tesseract")
        if detect[1]:
            print(f"  card outline found (IoU >= 0.9): {detect[0]}/{detect[1]}")
        for m in misses:
            print(m)
        all_ok &= cp_all >= TARGETS.get(diff, 0)
    if tmp is not None:
        tmp.cleanup()
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
