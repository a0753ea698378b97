#!/usr/bin/env python3
"""Field accuracy and speed on real card photos (issue 13): ``../shared/real_cards``.

    python bench/bench_real.py                    # the whole set
    python bench/bench_real.py --timing-photos 6  # fewer photos in the timing A/B

1. Runs ``cardpipe scan --format jsonl`` (the real CLI, all cores) over
   ``../shared/real_cards/images`` and scores it with ``../shared/real_cards/score.py`` (the
   scorer we measure by: per-field P/R/F1, rows per language and per capture kind, and the
   calibration table: confidence bucket -> share right).
2. Times cardpipe (load + find cards + OCR + parse, one process, engine loaded once) against raw
   Tesseract (``pytesseract.image_to_string`` on the same decoded photo) photo by photo, A/B/A/B
   in one run, and prints medians of seconds per card.

The set holds real people's details from unlicensed sources: it is read where it lies and
nothing of it is written here; only aggregate figures are printed. Without ``../shared`` the
benchmark says so and exits 0 (it is a measurement, not a test).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REAL = Path(os.environ.get("CARDPIPE_REAL_CARDS", ROOT.parent / "shared" / "real_cards"))


def score(jsonl: Path) -> int:
    """score.py's report of one scan output (printed as it prints it)."""
    return subprocess.call([sys.executable, str(REAL / "score.py"), str(jsonl),
                            "--labels", str(REAL / "labels.json")])


def timing(photos: list[Path], rounds: int) -> tuple[list[float], list[float], int]:
    """Seconds per photo of cardpipe and of raw Tesseract, alternating photo by photo."""
    import cv2
    import pytesseract

    from cardpipe import pipeline
    from cardpipe.scan import images

    engine = pipeline.engine_for(None, None)
    pipeline.scan_photo(photos[0], engine=engine)  # models loaded before the clock starts
    ours: list[float] = []
    raw: list[float] = []
    cards = 0
    for _ in range(rounds):
        for path in photos:
            t = time.perf_counter()
            results = pipeline.scan_photo(path, engine=engine)
            ours.append(time.perf_counter() - t)
            cards += len(results)
            t = time.perf_counter()
            image = images.load_image(path)
            pytesseract.image_to_string(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
            raw.append(time.perf_counter() - t)
    return ours, raw, cards


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timing-photos", type=int, default=12,
                    help="photos in the speed A/B (every n-th of the set; 0: skip)")
    ap.add_argument("--rounds", type=int, default=1, help="A/B rounds over those photos")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args, _ = ap.parse_known_args(argv)
    if not (REAL / "labels.json").exists() or not (REAL / "score.py").exists():
        print(f"bench_real: skipped: no real cards at {REAL} (set CARDPIPE_REAL_CARDS)")
        return 0
    photos = sorted(p for p in (REAL / "images").iterdir() if p.is_file())
    cardpipe = Path(sys.executable).with_name("cardpipe")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "scan.jsonl"
        t = time.perf_counter()
        with out.open("w") as f:
            code = subprocess.call([str(cardpipe), "scan", "--format", "jsonl", "--jobs",
                                    str(args.jobs), str(REAL / "images")], stdout=f)
        wall = time.perf_counter() - t
        cards = sum(1 for line in out.read_text().splitlines()
                    if line.strip() and json.loads(line).get("ok"))
        print(f"cardpipe scan: {len(photos)} photos, {cards} cards read, {wall:.0f} s wall "
              f"with {args.jobs} jobs (exit {code})\n")
        score(out)
    if args.timing_photos > 0:
        step = max(1, len(photos) // args.timing_photos)
        sample = photos[::step][:args.timing_photos]
        ours, raw, n = timing(sample, args.rounds)
        ratio = statistics.median(o / r for o, r in zip(ours, raw, strict=True))
        print(f"\nspeed, one process, {len(sample)} photos x {args.rounds} round(s), "
              f"A/B alternating (medians):")
        print("| reader | s / photo | cards |")
        print("|---|---|---|")
        print(f"| cardpipe (detect + OCR + parse) | {statistics.median(ours):.2f} | "
              f"{n // args.rounds} |")
        print(f"| raw Tesseract (image_to_string) | {statistics.median(raw):.2f} | - |")
        print(f"median ratio cardpipe / raw Tesseract, photo by photo: {ratio:.2f} "
              f"(target <= 0.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
