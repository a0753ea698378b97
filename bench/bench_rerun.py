"""`cardpipe run` over the sample photos: the first run, a rerun (readings from the reading
cache), and a rerun with --rescan (every photo read again), as real processes.

Each run merges into its own copy of samples/book.vcf with a fresh cache folder
(XDG_CACHE_HOME) for the whole table; the rerun's book must come out byte-identical.

    python bench/bench_rerun.py [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
sys.path.insert(0, str(ROOT))

from cardpipe.scan.inputs import is_photo_name  # noqa: E402


def _run(book: Path, cache: Path, jobs: int, *extra: str) -> float:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache),
           "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH"))
                                         if p)}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "cardpipe", "run", str(SAMPLES), "--book",
                           str(book), "--event", "Sample Expo", "--met-on", "2026-11-20",
                           "--jobs", str(jobs), *extra], env=env, capture_output=True,
                          text=True)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 10):
        sys.exit(f"cardpipe run failed (exit {proc.returncode}): {proc.stderr.strip()}")
    return seconds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2)
    args, _ = ap.parse_known_args()  # run_all passes every bench the same extra arguments
    photos = sum(1 for p in SAMPLES.iterdir() if is_photo_name(p))
    with tempfile.TemporaryDirectory(prefix="cardpipe-bench-rerun-") as tmp:
        work = Path(tmp)
        cache = work / "cache"
        book = work / "book.vcf"
        shutil.copy(SAMPLES / "book.vcf", book)
        first = _run(book, cache, args.jobs)
        after_first = book.read_bytes()
        rerun = _run(book, cache, args.jobs)
        same = book.read_bytes() == after_first
        rescan = _run(book, cache, args.jobs, "--rescan")
    print(f"cardpipe run over samples/ ({photos} photos, --jobs {args.jobs})")
    print()
    print("| run | seconds | vs first |")
    print("|---|---|---|")
    for label, seconds in (("first run (empty cache)", first),
                           ("rerun (readings from the cache)", rerun),
                           ("rerun --rescan (every photo read)", rescan)):
        print(f"| {label} | {seconds:.1f} | {seconds / first:.0%} |")
    print()
    print(f"rerun left the book byte-identical: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
