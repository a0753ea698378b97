"""The running list and the follow-up calendar on a big book (issue 16): seconds and peak
memory for loading, listing, searching and writing the .ics.

A book of --contacts invented people (default 20,000), each met at one of a few events,
one in ten with an open follow-up; written once, then read back as `cardpipe list` and
`cardpipe followup --ics` read it.

    python bench/bench_followup.py [--contacts N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cardpipe import followup  # noqa: E402
from cardpipe.book import Book  # noqa: E402
from cardpipe.contact import Contact, Email  # noqa: E402

NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
EVENTS = ("Data Days", "Salon Lumière", "Expo Nord", "Web Summit")


def _book(path: Path, n: int) -> None:
    book = Book.load(path)
    for i in range(n):
        event = EVENTS[i % len(EVENTS)]
        book.add(Contact(full_name=f"Person {i} Müller", company=f"Firma {i % 997} GmbH",
                         title="Einkauf", emails=(Email(f"p{i}@firma{i % 997}.example"),),
                         note=f"Met at {event} on 2026-11-{1 + i % 28:02d}", uid=f"c{i}"))
    for i in range(0, n, 10):
        followup.add_action(book, f"c{i}", "Send the price list",
                            dt.date(2026, 11, 1) + dt.timedelta(days=i % 60), now=NOW)
    book.save(backup=False)


def _measure(step: Callable[[], Any]) -> tuple[Any, float, float]:
    tracemalloc.start()
    start = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return result, seconds, peak


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--contacts", type=int, default=20_000)
    args, _ = ap.parse_known_args()  # run_all passes every bench the same extra arguments
    with tempfile.TemporaryDirectory(prefix="cardpipe-bench-followup-") as tmp:
        path = Path(tmp) / "book.vcf"
        _book(path, args.contacts)
        book, load_s, load_mb = _measure(lambda: Book.load(path))
        rows, list_s, list_mb = _measure(lambda: followup.running_list(book, now=NOW))
        found, search_s, search_mb = _measure(
            lambda: followup.running_list(book, search="muller firma 12", now=NOW))
        _, ics_s, ics_mb = _measure(lambda: followup.write_ics(book, Path(tmp) / "f.ics"))
    print(f"follow-ups on a book of {args.contacts:,} contacts "
          f"({args.contacts // 10:,} open follow-ups)")
    print()
    print("| step | seconds | peak MB (Python) | result |")
    print("|---|---:|---:|---|")
    print(f"| load the book | {load_s:.2f} | {load_mb:.0f} | {len(book):,} contacts |")
    print(f"| list (sorted, overdue first) | {list_s:.2f} | {list_mb:.0f} | {len(rows):,} rows |")
    print(f"| list --search (3 words) | {search_s:.2f} | {search_mb:.0f} | {len(found):,} rows |")
    print(f"| followup --ics | {ics_s:.2f} | {ics_mb:.0f} | {args.contacts // 10:,} VTODOs |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
