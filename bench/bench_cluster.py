"""Issue 17: cardpipe on a Dask cluster against one machine.

1. Scanning: N generated photos (samples/generate.py, "photo" difficulty) read by the
   process pool (2 workers) and by a ``distributed.LocalCluster`` of 2 worker processes
   on 127.0.0.1: photos per second, and the client's peak memory (the cluster client
   holds a bounded window of photos, never the batch).
2. Matching: a generated book (bench/bookgen.py) and a batch of incoming contacts,
   matched by the single-process matcher (``pipeline.merge_into_book``) and on the local
   cluster (``cluster.matching``, the book built on the workers, never on the client):
   the same decisions?, seconds, the client's peak memory.

Each side runs in its own process, so peak RSS (``ru_maxrss``) is its own.
The issue's sizes are ``--photos 200 --book-size 1000000 --incoming 20000`` (the
defaults); that matching needs several GB on the single-process side and some time.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "samples"))


def _peak_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries
    ru_maxrss over from the parent across fork and exec, so the parent's peak (the
    generated data) would show in every side."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:  # pragma: no cover - not Linux
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cluster():  # type: ignore[no-untyped-def]
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        return LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                            host="127.0.0.1", dashboard_address=":0")


# -- 1. scanning --------------------------------------------------------------------------

def scan_worker(which: str, folder: str) -> dict:
    from cardpipe import cluster, pipeline

    lc = _cluster() if which == "dask" else None
    try:
        with cluster.maybe_connect(lc.scheduler_address if lc else None) as executor:
            if executor is not None:  # the engine loads on the workers before the clock
                executor.load_engine(pipeline.ScanOptions())
            t = time.perf_counter()
            n = ok = 0
            for r in pipeline.scan_paths([folder], jobs=2, executor=executor):
                n += 1
                ok += r.ok
            seconds = time.perf_counter() - t
    finally:
        if lc is not None:
            lc.close()
    return {"cards": n, "ok": ok, "seconds": seconds, "peak_mb": _peak_mb()}


# -- 2. matching --------------------------------------------------------------------------

def write_dataset(work: Path, seed: int, book_size: int, incoming: int, parts: int) -> None:
    """The generated book as ``parts`` JSON-lines files of (seq, uid, vCard text), and the
    incoming batch (a pickle): made once, read by both sides (the cluster's workers read
    their partitions; the client never holds the book)."""
    from bookgen import generate

    from cardpipe import pipeline
    from cardpipe.book import Book

    ds = generate(book_size, incoming, 0.3, seed)
    book = Book.of(ds.book)
    records = [(i, c.uid or "", card.raw) for i, (card, c) in enumerate(book.items())]
    for part in range(parts):
        lo, hi = part * len(records) // parts, (part + 1) * len(records) // parts
        with open(work / f"book-{part:03d}.jsonl", "w", encoding="utf-8") as f:
            for r in records[lo:hi]:
                f.write(json.dumps(r) + "\n")
    items = [pipeline.Incoming(f"in-{i}", c.replace(uid=None), "Expo", "2026-05-04")
             for i, c in enumerate(ds.incoming)]
    (work / "incoming.pkl").write_bytes(pickle.dumps(items))


def read_part(path: str) -> list[tuple[int, str, str]]:
    with open(path, encoding="utf-8") as f:
        return [tuple(json.loads(line)) for line in f]  # type: ignore[misc]


def match_worker(which: str, work: str) -> dict:
    from cardpipe import match, pipeline

    model = match.load_model()
    items = pickle.loads(Path(work, "incoming.pkl").read_bytes())
    files = sorted(str(p) for p in Path(work).glob("book-*.jsonl"))
    if which == "local":
        from cardpipe.book import Book

        book = Book(None, "file")
        for path in files:
            for _seq, uid, raw in read_part(path):
                book.put_text(raw, uid=uid or None)
        t = time.perf_counter()
        report = pipeline.merge_into_book(book, items, model=model)
        seconds = time.perf_counter() - t
        return {"seconds": seconds, "peak_mb": _peak_mb(),
                "plans": _decisions([r.plan for r in report.rows])}
    import dask.bag as db
    from distributed import Client

    from cardpipe.cluster import matching

    lc = _cluster()
    try:
        with Client(lc, set_as_default=False) as client:
            bag = client.persist(db.from_sequence(files, npartitions=len(files))
                                 .map_partitions(lambda ps: [r for p in ps
                                                             for r in read_part(p)]))
            client.compute(bag.count(), sync=True)  # read in before the clock starts
            t = time.perf_counter()
            found = matching.plan_on_cluster(client, bag, items, model=model)
            seconds = time.perf_counter() - t
    finally:
        lc.close()
    return {"seconds": seconds, "peak_mb": _peak_mb(), "plans": _decisions(found.plans),
            "candidates": found.candidates, "passes": found.passes}


def _decisions(plans: list) -> list[tuple[str, str | None]]:
    """(decision, target) per incoming contact; a contact added by the batch is named by
    its place in the batch (its UID is random, another in each run)."""
    added = {p.into: f"incoming #{i}" for i, p in enumerate(plans)
             if p.decision != "merged" and p.into}
    return [(p.decision, added.get(p.into, p.into) if p.decision == "merged" else None)
            for p in plans]


def _in_process(args: list[str]) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".pkl", delete=False) as f:
        out = Path(f.name)
    try:
        subprocess.run([sys.executable, __file__, "--worker", json.dumps(args), str(out)],
                       check=True)
        return pickle.loads(out.read_bytes())
    finally:
        out.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--photos", type=int, default=200)
    ap.add_argument("--book-size", type=int, default=1_000_000)
    ap.add_argument("--incoming", type=int, default=20_000)
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--skip-scan", action="store_true")
    ap.add_argument("--skip-match", action="store_true")
    ap.add_argument("--count", type=int, default=None, help="(run_all.py) photos, and "
                    "a book of 500 x COUNT contacts: a quick look")
    ap.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        spec = json.loads(args.worker[0])
        res = scan_worker(*spec[1:]) if spec[0] == "scan" else match_worker(*spec[1:])
        Path(args.worker[1]).write_bytes(pickle.dumps(res))
        return 0
    if args.count:
        args.photos, args.book_size = args.count, 500 * args.count
        args.incoming = min(args.incoming, args.book_size // 10)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    if not args.skip_scan:
        from generate import generate as make_photos  # type: ignore[import-not-found]

        with tempfile.TemporaryDirectory() as tmp:
            make_photos(Path(tmp), seed=args.seed, count=args.photos, difficulty="photo")
            for p in Path(tmp).glob("*.json"):
                p.unlink()
            rows = {w: _in_process(["scan", w, tmp]) for w in ("pool", "dask")}
        print(f"\nscanning {args.photos} generated photos, 2 workers\n")
        print(f"{'executor':26} {'cards':>6} {'ok':>5} {'seconds':>8} {'photos/s':>9} "
              f"{'client peak MB':>15}")
        for w, r in rows.items():
            label = "process pool (--jobs 2)" if w == "pool" else "LocalCluster 2 processes"
            print(f"{label:26} {r['cards']:>6} {r['ok']:>5} {r['seconds']:>8.1f} "
                  f"{args.photos / r['seconds']:>9.2f} {r['peak_mb']:>15.0f}")
    if not args.skip_match:
        with tempfile.TemporaryDirectory() as work:
            t = time.perf_counter()
            write_dataset(Path(work), args.seed, args.book_size, args.incoming,
                          args.partitions)
            print(f"generated the book in {time.perf_counter() - t:.0f} s", file=sys.stderr)
            local = _in_process(["match", "local", work])
            dist = _in_process(["match", "dask", work])
        same = local["plans"] == dist["plans"]
        print(f"\nmatching {args.incoming:,} incoming against {args.book_size:,} contacts\n")
        print(f"{'matcher':30} {'seconds':>8} {'client peak MB':>15} {'same decisions':>15}")
        print(f"{'single process':30} {local['seconds']:>8.1f} {local['peak_mb']:>15.0f} "
              f"{'-':>15}")
        print(f"{'LocalCluster 2 processes':30} {dist['seconds']:>8.1f} "
              f"{dist['peak_mb']:>15.0f} {'yes' if same else 'NO':>15}")
        print(f"\n(cluster: {dist['candidates']:,} candidate records came back, "
              f"{dist['passes']} pass(es))")
        if not same:
            differ = [i for i, (a, b) in enumerate(zip(local["plans"], dist["plans"],
                                                       strict=True)) if a != b]
            print(f"{len(differ)} decision(s) differ, the first: "
                  f"{[(i, local['plans'][i], dist['plans'][i]) for i in differ[:5]]}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
