"""Fit cardpipe/data/calibration.json: field confidences calibrated on real cards.

    python scripts/fit_calibration.py                      # OCR ../shared/real_cards, fit, write
    python scripts/fit_calibration.py --pages DIR          # pages already read (see below)
    python scripts/fit_calibration.py --dry-run            # print the tables, write nothing

Each photo of ``../shared/real_cards`` is read (or its pages taken from ``--pages DIR``, one
``<photo name>.json`` per photo holding the list of ``OcrPage.to_dict()`` of its cards), parsed
with raw confidences (``parse_page(..., calibrated=False)``), and every predicted field item is
marked right or wrong by ``../shared/real_cards/score.py`` itself (its pairing and matching
rules). Per field and per script (Latin / CJK; groups with fewer than ``MIN_ITEMS`` items fall
back to the field over both scripts, then to all fields together), an isotonic regression of
right-or-wrong on the raw score gives a monotone step function; each step is then lowered to
the lower end of a one-sided interval on its share right (Wilson, z = 1.28), so that a step
holding few examples does not promise more than they show.

Only that table is written: numbers, no text of any card. The figures it prints are the
honest ones only in the cross-validated column (leave one source repository out: each
repository's cards scored by a table fitted on the others); the README quotes those.
Needs scikit-learn (a dev dependency); cardpipe itself only interpolates the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import math
import sys
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from sklearn.isotonic import IsotonicRegression

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "cardpipe" / "data" / "calibration.json"
MIN_ITEMS = 50  # fewer items: the group is pooled with its field's or all fields' (steadier out of sample)
Z = 1.645  # one-sided 95% Wilson bound per step (the target: 95% right at 0.9 and above)
BUCKETS = ((0.0, 0.6), (0.6, 0.8), (0.8, 0.9), (0.9, 1.01))

Item = tuple[str, str, float, bool, str]  # field, script, raw confidence, right, repository


def _scorer(real: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("real_cards_score", real / "score.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _read(path: str) -> list[dict[str, Any]]:
    from cardpipe.scan import images, reader

    return [p.to_dict() for p in reader.read_image(images.load_image(Path(path)))]


def pages_of(real: Path, pages_dir: Path | None, names: list[str]) -> dict[str, list[Any]]:
    from cardpipe.scan.page import OcrPage

    if pages_dir is not None:
        raw = {n: json.loads((pages_dir / f"{n}.json").read_text()) for n in names}
    else:
        with ProcessPoolExecutor(2) as ex:
            raw = dict(zip(names, ex.map(_read, [str(real / "images" / n) for n in names]),
                           strict=True))
    return {n: [OcrPage.from_dict(d) for d in v] for n, v in raw.items()}


def items(real: Path, pages_dir: Path | None) -> list[Item]:
    """Every predicted field item on the real cards, with its raw score and whether it is right."""
    from cardpipe.contact import CONFIDENCE_FIELDS
    from cardpipe.parse import parse_page
    from cardpipe.parse.calibration import script_of

    score = _scorer(real)
    labels = json.loads((real / "labels.json").read_text(encoding="utf-8"))
    pages = pages_of(real, pages_dir, [e["file"] for e in labels])
    out: list[Item] = []
    for e in labels:
        preds = []
        for page in pages[e["file"]]:
            contact = parse_page(page, calibrated=False)
            pred = dict(contact.to_scan_dict())
            pred["confidence"] = {k: v for k, v in contact.confidence.items()
                                  if k in CONFIDENCE_FIELDS}
            preds.append((pred, script_of(page.text)))
        by_id = {id(p): s for p, s in preds}
        for card, pred in score.pair(e["cards"], [p for p, _ in preds]):
            if pred is None:
                continue
            for field in score.FIELDS:
                raw = pred["confidence"].get(field)
                if raw is None:
                    continue
                one = dict(pred, confidence={field: raw})
                _, calib = score.score_card(card, one)
                out += [(field, by_id[id(pred)], float(c), bool(ok), e["repo"])
                        for c, ok in calib]
    return out


def _wilson_low(k: int, n: int) -> float:
    if n == 0:
        return 0.0
    p = k / n
    centre = p + Z * Z / (2 * n)
    spread = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return max(0.0, (centre - spread) / (1 + Z * Z / n))


def fit_points(xs: list[float], ys: list[bool]) -> list[list[float]]:
    """A monotone step function (as interpolation points) from raw score to a cautious
    share right."""
    x = np.asarray(xs, dtype=float)
    y = np.asarray(ys, dtype=float)
    order = np.argsort(x, kind="stable")
    x, y = x[order], y[order]
    fitted = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit_transform(x, y)
    points: list[list[float]] = []
    level = 0.0
    start = 0
    for i in range(1, len(x) + 1):
        if i == len(x) or fitted[i] != fitted[start]:
            block = y[start:i]
            level = max(level, _wilson_low(int(block.sum()), len(block)))
            lo, hi = float(x[start]), float(x[i - 1])
            points += [[round(lo, 4), round(level, 4)], [round(hi, 4), round(level, 4)]]
            start = i
    if points and points[0][0] > 0.0:
        points.insert(0, [0.0, points[0][1]])
    if points and points[-1][0] < 1.0:
        points.append([1.0, points[-1][1]])
    return points


def fit(data: list[Item]) -> dict[str, dict[str, list[list[float]]]]:
    groups: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for it in data:
        groups[(it[0], it[1])].append(it)
        groups[(it[0], "all")].append(it)
        groups[("*", "all")].append(it)
    maps: dict[str, dict[str, list[list[float]]]] = defaultdict(dict)
    for (field, script), its in sorted(groups.items()):
        if len(its) >= MIN_ITEMS:
            maps[field][script] = fit_points([i[2] for i in its], [i[3] for i in its])
    return dict(maps)


def apply(maps: dict[str, dict[str, list[list[float]]]], it: Item) -> float:
    field, pooled = maps.get(it[0], {}), maps.get("*", {})
    points = (field.get(it[1]) or field.get("all") or pooled.get(it[1])
              or pooled.get("all"))
    if not points:
        return it[2]
    return float(np.interp(it[2], [p[0] for p in points], [p[1] for p in points]))


def buckets(pairs: list[tuple[float, bool]]) -> list[tuple[str, int, float]]:
    out = []
    for lo, hi in BUCKETS:
        inb = [ok for c, ok in pairs if lo <= c < hi]
        out.append((f"{lo:.1f}-{min(hi, 1.0):.1f}", len(inb),
                    round(sum(inb) / len(inb), 3) if inb else float("nan")))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real", type=Path, default=ROOT.parent / "shared" / "real_cards")
    ap.add_argument("--pages", type=Path, default=None)
    ap.add_argument("--dry-run", action="store_true")
    a = ap.parse_args(argv)
    if not (a.real / "labels.json").exists():
        print(f"fit_calibration: no real cards at {a.real}", file=sys.stderr)
        return 2
    data = items(a.real, a.pages)
    maps = fit(data)
    repos = sorted({it[4] for it in data})
    cv: list[tuple[float, bool]] = []
    for repo in repos:  # leave one source repository out
        held = [it for it in data if it[4] == repo]
        m = fit([it for it in data if it[4] != repo])
        cv += [(apply(m, it), it[3]) for it in held]
    raw = buckets([(it[2], it[3]) for it in data])
    fitted = buckets([(apply(maps, it), it[3]) for it in data])
    crossed = buckets(cv)
    print(f"{len(data)} predicted field items from {len(repos)} repositories")
    print("| confidence | raw: items | share right | fitted (in-sample): items | share right "
          "| leave-one-repo-out: items | share right |")
    print("|---|---|---|---|---|---|---|")
    for (b, n1, s1), (_, n2, s2), (_, n3, s3) in zip(raw, fitted, crossed, strict=True):
        print(f"| {b} | {n1} | {s1} | {n2} | {s2} | {n3} | {s3} |")
    table = {
        "about": "Field confidence calibration (cardpipe.parse.calibration), fitted by "
                 "scripts/fit_calibration.py on the real-card development set; numbers only.",
        "fitted": dt.date.today().isoformat(),
        "items": len(data),
        "cross_validated": {b: {"items": n, "share_right": s} for b, n, s in crossed},
        "maps": maps,
    }
    if not a.dry_run:
        OUT.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
        print(f"written: {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
