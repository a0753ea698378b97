#!/usr/bin/env python3
"""Field accuracy of the parser, end to end from generated card photos.

    python bench/bench_parse.py                      # read_image + parse_page, 40 cards each
    python bench/bench_parse.py --count 10 --difficulty photo
    python bench/bench_parse.py --from-truth         # the parser alone, on the printed lines
    python bench/bench_parse.py --pages tests/fixtures/pages   # recorded OCR pages

Generates fresh labelled photos with samples/generate.py (clean / photo / hard, seeds
``--seed``, ``--seed``+1, ... that are not the committed samples' one), runs
``cardpipe.scan.reader.read_image`` and ``cardpipe.parse.parse_page`` on each and prints per-field precision / recall / F1 per
difficulty.  Scoring is exact match after normalisation:

- full_name, given_name, family_name, title, company: case and whitespace folded;
- emails: exact (case-insensitive); phones: the same number (E.164); ``phone+type``:
  the same number with the same type (reported, not in the overall score);
- websites: without scheme, ``www.`` and a trailing slash; social: the profile URL;
- address: the one-line address, case folded, punctuation dropped, compared as the
  multiset of its words (so "94043 Mountain View" equals "Mountain View 94043").

A wrong value counts as one false positive and one false negative.  ``--from-truth``
builds each OcrPage from the ground truth's printed lines (uniform text height), which
measures the parser without OCR errors.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "samples"))

from cardpipe.contact import Contact, normalize_website  # noqa: E402
from cardpipe.parse import parse_page  # noqa: E402
from cardpipe.scan.page import OcrPage  # noqa: E402

SCALARS = ("full_name", "title", "company", "address")
LISTS = ("emails", "phones", "websites", "social")
OVERALL = ("full_name", "title", "company", "emails", "phones", "websites", "address", "social")
EXTRA = ("given_name", "family_name", "phone+type")
BENCH_SEED = 4242  # not the committed samples' seed


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    out = " ".join(value.casefold().split())
    return out or None


def _address(value: str | None) -> str | None:
    if not value:
        return None
    words = sorted(re.findall(r"\w+", value.casefold()))
    return " ".join(words) or None


def normalise(contact: dict[str, Any]) -> dict[str, Any]:
    """The comparable form of a ``to_scan_dict()``-shaped contact."""
    phones = contact.get("phones") or []
    return {
        "full_name": _text(contact.get("full_name")),
        "given_name": _text(contact.get("given_name")),
        "family_name": _text(contact.get("family_name")),
        "title": _text(contact.get("title")),
        "company": _text(contact.get("company")),
        "address": _address(contact.get("address")),
        "emails": {e.strip().lower() for e in contact.get("emails") or []},
        "phones": {p["number"] for p in phones},
        "phone+type": {(p["number"], p["type"]) for p in phones},
        "websites": {normalize_website(w) for w in contact.get("websites") or []},
        "social": {s.lower().rstrip("/") for s in contact.get("social") or []},
    }


def score(pred: dict[str, Any], truth: dict[str, Any], counts: dict[str, Counter]) -> list[str]:
    """Add one card's true/false positives and negatives to ``counts``; returns misses."""
    misses = []
    for field in (*OVERALL, *EXTRA):
        p, t = pred[field], truth[field]
        c = counts.setdefault(field, Counter())
        if isinstance(t, set):
            c["tp"] += len(p & t)
            c["fp"] += len(p - t)
            c["fn"] += len(t - p)
            if p != t:
                misses.append(f"{field}: got {sorted(p - t)} missed {sorted(t - p)}")
        else:
            if p is not None and p == t:
                c["tp"] += 1
            else:
                c["fp"] += p is not None
                c["fn"] += t is not None
                if p != t:
                    misses.append(f"{field}: got {p!r} want {t!r}")
    return misses


def prf(c: Counter) -> tuple[float, float, float]:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def best_page(pages: Iterable[OcrPage], region: str | None) -> Contact:
    """Parse every card the OCR found; keep the one with the most fields."""
    best, best_n = Contact(), -1
    for page in pages:
        c = parse_page(page, region=region)
        d = c.to_scan_dict()
        n = sum(bool(v) for v in d.values())
        if n > best_n:
            best, best_n = c, n
    return best


def run(difficulty: str, count: int, seed: int, from_truth: bool, data: Path | None,
        region: str | None, verbose: bool) -> tuple[dict[str, Counter], float, int]:
    from generate import generate  # samples/generate.py

    out = (data / difficulty) if data else Path(tempfile.mkdtemp(prefix=f"bench-{difficulty}-"))
    images = sorted(p for p in out.glob("*") if p.suffix in (".jpg", ".png", ".heic")) \
        if out.exists() else []
    if len(images) < count:
        images = generate(out, seed, count, difficulty)
    images = images[:count]
    read_image = load_image = None
    if not from_truth:
        try:
            from cardpipe.scan.images import load_image
            from cardpipe.scan.reader import read_image
        except ImportError as exc:  # the OCR stage is part of the pipeline under test
            raise SystemExit(f"cardpipe.scan.reader.read_image is needed for the end-to-end bench "
                             f"({exc}); use --from-truth to measure the parser alone") from exc
    counts: dict[str, Counter] = {}
    elapsed = 0.0
    for path in images:
        truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        start = time.perf_counter()
        if from_truth:
            contact = parse_page(OcrPage.from_lines(truth["lines"]), region=region)
        else:
            contact = best_page(read_image(load_image(path)), region)
        elapsed += time.perf_counter() - start
        misses = score(normalise(contact.to_scan_dict()), normalise(truth["contact"]), counts)
        if verbose and misses:
            print(f"--- {path.name}", file=sys.stderr)
            for m in misses:
                print(f"    {m}", file=sys.stderr)
    return counts, elapsed, len(images)


def run_pages(folder: Path, region: str | None, verbose: bool
              ) -> tuple[dict[str, Counter], float, int]:
    """Score recorded OcrPage fixtures (scripts/record_fixtures.py) against their truth."""
    counts: dict[str, Counter] = {}
    elapsed, n = 0.0, 0
    for path in sorted(folder.glob("*.json")):
        d = json.loads(path.read_text(encoding="utf-8"))
        truth = (d.get("fixture") or {}).get("truth")
        if not truth:
            continue
        start = time.perf_counter()
        contact = parse_page(OcrPage.from_dict(d), region=region)
        elapsed += time.perf_counter() - start
        n += 1
        misses = score(normalise(contact.to_scan_dict()), normalise(truth), counts)
        if verbose and misses:
            print(f"--- {path.name}", file=sys.stderr)
            for m in misses:
                print(f"    {m}", file=sys.stderr)
    return counts, elapsed, n


def table(difficulty: str, counts: dict[str, Counter], elapsed: float, n: int) -> str:
    rows = [f"\n{difficulty}  ({n} cards, {elapsed / max(n, 1) * 1000:.0f} ms per card)",
            f"{'field':<13}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>5}{'fn':>5}"]
    total: Counter = Counter()
    for field in (*OVERALL, *EXTRA):
        c = counts.get(field, Counter())
        if field in OVERALL:
            total.update(c)
        p, r, f = prf(c)
        mark = "" if field in OVERALL else "  (extra)"
        rows.append(f"{field:<13}{p:7.3f}{r:7.3f}{f:7.3f}{c['tp']:6}{c['fp']:5}{c['fn']:5}{mark}")
    p, r, f = prf(total)
    rows.append(f"{'OVERALL':<13}{p:7.3f}{r:7.3f}{f:7.3f}{total['tp']:6}{total['fp']:5}"
                f"{total['fn']:5}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=40, help="cards per difficulty (default 40)")
    ap.add_argument("--seed", type=int, default=BENCH_SEED)
    ap.add_argument("--difficulty", nargs="+", default=["clean", "photo", "hard"],
                    choices=["clean", "photo", "hard", "mixed"])
    ap.add_argument("--from-truth", action="store_true",
                    help="parse the ground truth's printed lines instead of OCR output")
    ap.add_argument("--data", type=Path, default=None,
                    help="keep generated cards here and reuse them on the next run")
    ap.add_argument("--pages", type=Path, default=None,
                    help="score recorded OcrPage JSON files in this folder instead")
    ap.add_argument("--region", default=None, help="default phone region, as --region")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every miss to stderr")
    args = ap.parse_args(argv)
    if args.pages:
        counts, elapsed, n = run_pages(args.pages, args.region, args.verbose)
        print(f"bench_parse: recorded pages in {args.pages}")
        print(table("recorded", counts, elapsed, n))
        return 0
    mode = "parser alone (printed lines)" if args.from_truth else "read_image + parse_page"
    print(f"bench_parse: {mode}, seed {args.seed}")
    for k, difficulty in enumerate(args.difficulty):
        # a seed per difficulty: the same seed would draw the same people for each
        counts, elapsed, n = run(difficulty, args.count, args.seed + k, args.from_truth,
                                 args.data, args.region, args.verbose)
        print(table(difficulty, counts, elapsed, n), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
