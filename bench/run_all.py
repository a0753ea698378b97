"""`make bench`: every benchmark in turn, each printing its own table.

Extra arguments are passed to every benchmark (e.g. `--count 10` for a quick look).
Set BENCH=ocr,match to run only some of them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = {
    "ocr": "bench_ocr.py",  # issue 3: recoverability and seconds per card vs raw Tesseract
    "parse": "bench_parse.py",  # issue 4: field precision / recall / F1 end to end
    "match": "bench_match.py",  # issue 5: pairwise F1, false merges, time, memory
    "sync": "bench_sync.py",  # issue 6: nightly run cost over an already-processed folder
    "rerun": "bench_rerun.py",  # issue 14 item 19: `run` again over the same photos
    "real": "bench_real.py",  # issue 13: real cards in ../shared (skipped without them)
    "heldout": "bench_heldout.py",  # issue 13: the parser on a generator it was not tuned on
    "followup": "bench_followup.py",  # issue 16: the running list and .ics of a big book
    "cluster": "bench_cluster.py",  # issue 17: 2 Dask workers vs the process pool; matching on a cluster
    "review": "bench_review.py",  # issue 16: the review page of 200 cards shows in < 1 s
}


def main() -> int:
    wanted = os.environ.get("BENCH", ",".join(BENCHES)).split(",")
    failures = 0
    for name in wanted:
        script = HERE / BENCHES[name]
        print(f"\n=== {name}: {script.name} ===", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, str(script), *sys.argv[1:]])
        print(f"--- {name}: exit {code}, {time.perf_counter() - start:.0f} s", flush=True)
        failures += code != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
