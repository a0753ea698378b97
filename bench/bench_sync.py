#!/usr/bin/env python3
"""Time a nightly ``cardpipe sync``: 1,000 photos processed before + 20 new ones, against
a 10,000-contact book.  Prints where the time goes, and compares the run with the new
photos' own work (scanning them alone), so the overhead of everything else is visible.

    python bench/bench_sync.py [--book 10000] [--known 1000] [--new 20] [--jobs N] [--carddav]

The 20 new photos are rendered with samples/generate.py ("photo" difficulty); the 1,000
old ones are cheap copies of one photo with distinct bytes, recorded in the ledger as a
previous run would have.  The book comes from bench/bookgen.py (Faker, seeded).  With
``--carddav`` a local Radicale (tests/radicale_server.py) holds the whole book first (the
initial upload is timed apart), and the nightly run pulls and pushes against it.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for p in (str(ROOT), str(ROOT / "samples"), str(ROOT / "bench"), str(ROOT / "tests")):
    if p not in sys.path:
        sys.path.insert(0, p)

from cardpipe import pipeline  # noqa: E402
from cardpipe import sync as sync_pkg  # noqa: E402
from cardpipe.book import Book, write_book  # noqa: E402
from cardpipe.sync import photos as sync_photos  # noqa: E402
from cardpipe.sync import remote as sync_remote  # noqa: E402
from cardpipe.sync.config import load_config  # noqa: E402
from cardpipe.sync.ledger import Ledger  # noqa: E402

TIMES: dict[str, float] = defaultdict(float)


def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            TIMES[name] += time.perf_counter() - start

    return wrapper


def timed_iter(name: str, fn: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Iterator[Any]:
        it = fn(*args, **kwargs)
        while True:
            start = time.perf_counter()
            try:
                item = next(it)
            except StopIteration:
                TIMES[name] += time.perf_counter() - start
                return
            TIMES[name] += time.perf_counter() - start
            yield item

    return wrapper


def instrument() -> None:
    Book.load = classmethod(timed("load book", Book.load.__func__))  # type: ignore[method-assign]
    Book.save = timed("save book", Book.save)  # type: ignore[method-assign]
    sync_photos.find_photos = timed("find photos (walk, stat, ledger)", sync_photos.find_photos)
    sync_pkg.find_photos = sync_photos.find_photos  # type: ignore[attr-defined]
    pipeline.scan_paths = timed_iter("scan new photos (OCR)", pipeline.scan_paths)
    pipeline.merge_into_book = timed("match + merge into the book", pipeline.merge_into_book)
    sync_remote.Remote.pull = timed("CardDAV pull (list ETags, fetch)", sync_remote.Remote.pull)
    sync_remote.Remote.push = timed("CardDAV push (compare, PUT)", sync_remote.Remote.push)


def setup(work: Path, book_size: int, known: int, new: int, seed: int) -> Path:
    from bookgen import generate as make_book  # type: ignore[import-not-found]
    from generate import generate as make_photos  # type: ignore[import-not-found]

    print(f"setting up in {work} ...", file=sys.stderr)
    photos = work / "photos"
    fresh = photos / "Trade fair 2025"
    old = photos / "Archive 2024"
    fresh.mkdir(parents=True)
    old.mkdir(parents=True)
    t = time.perf_counter()
    new_paths = make_photos(fresh, seed=seed, count=new, difficulty="photo")
    for p in fresh.glob("*.json"):
        p.unlink()
    print(f"  rendered {len(new_paths)} new photos in {time.perf_counter() - t:.1f} s",
          file=sys.stderr)

    t = time.perf_counter()
    dataset = make_book(book_size, 0, seed=seed)
    book = write_book(dataset.book, work / "book.vcf")
    uids = [c.uid for c in book.contacts() if c.uid]
    print(f"  wrote a {len(uids)}-contact book in {time.perf_counter() - t:.1f} s",
          file=sys.stderr)

    t = time.perf_counter()
    from io import BytesIO

    from PIL import Image

    buf = BytesIO()  # a smaller copy keeps 1,000 files at ~50 MB
    with Image.open(new_paths[0]) as im:
        im.convert("RGB").resize((im.width // 2, im.height // 2)).save(buf, "JPEG", quality=70)
    template = buf.getvalue()
    rng = random.Random(seed)
    past = time.time() - 30 * 86400
    with Ledger.open(work / "ledger.sqlite3") as ledger, ledger.transaction():
        for i in range(known):
            path = old / f"IMG_{i:05d}.jpg"
            path.write_bytes(template + i.to_bytes(4, "big"))  # bytes after EOI: still a JPEG
            os.utime(path, (past, past))
            st = path.stat()
            ledger.record(sync_photos.file_sha256(path), path=path, size=st.st_size,
                          mtime=st.st_mtime, outcome="ok", uids=[rng.choice(uids)])
    print(f"  made {known} processed photos + ledger rows in {time.perf_counter() - t:.1f} s",
          file=sys.stderr)
    past = time.time() - 3600
    for p in new_paths:
        os.utime(p, (past, past))
    config = work / "config.toml"
    config.write_text('book = "book.vcf"\nledger = "ledger.sqlite3"\n'
                      '[[watch]]\npath = "photos"\n', encoding="utf-8")
    return config


def with_carddav(work: Path, config_path: Path, server: Any) -> float:
    """Give the running Radicale the whole book; a first sync of the old photos only
    compares it (returns that sync's time)."""
    from cardpipe.sync.config import DEFAULT_PASSWORD_ENV

    server.make_book()
    os.environ[DEFAULT_PASSWORD_ENV] = server.password
    dav = (f'[carddav]\nurl = "{server.book_url}"\nusername = "{server.user}"\n'
           'password_source = "env"\ntimeout = 600\n')
    text = config_path.read_text(encoding="utf-8")
    first = work / "first.toml"
    first.write_text(text.replace('path = "photos"', 'path = "photos/Archive 2024"') + dav,
                     encoding="utf-8")
    config_path.write_text(text + dav, encoding="utf-8")
    # Radicale checks every PUT against the whole collection (O(n) each), so 10,000 PUTs
    # take half an hour: put the cards into its storage folder instead, as if the phone
    # had them already; the first sync then fetches and compares them all.
    from cardpipe.sync.bookview import BookView

    folder = server.storage / "collection-root" / server.user / "contacts"
    view = BookView(Book.load(work / "book.vcf"))
    for uid in view.uids():
        text = view.text(uid)
        if text is not None:
            (folder / f"{uid}.vcf").write_text(text, encoding="utf-8", newline="")
    t = time.perf_counter()  # Radicale builds its item cache on the first listing
    with server.client() as c:
        c.request("PROPFIND", server.book_url, headers={"Depth": "1"}, timeout=900)
    print(f"  Radicale indexed the {len(view.uids())} cards in {time.perf_counter() - t:.1f} s",
          file=sys.stderr)
    t = time.perf_counter()
    report = sync_pkg.sync(load_config(first))
    first_sync = time.perf_counter() - t
    print(f"  first sync compared {len(view.uids())} cards with Radicale's copies, "
          f"pushed {len(report.pushed)}, in {first_sync:.1f} s", file=sys.stderr)
    return first_sync


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--book", type=int, default=10_000, help="contacts in the book")
    ap.add_argument("--known", type=int, default=1_000, help="photos processed before")
    ap.add_argument("--new", type=int, default=20, help="new photos")
    ap.add_argument("--jobs", type=int, default=None, help="OCR worker processes")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--carddav", action="store_true",
                    help="sync with a local Radicale server too")
    args = ap.parse_args(argv)

    server = None
    with tempfile.TemporaryDirectory(prefix="cardpipe-bench-sync-") as tmp:
        try:
            work = Path(tmp)
            config_path = setup(work, args.book, args.known, args.new, args.seed)
            if args.carddav:
                from radicale_server import RadicaleServer  # type: ignore[import-not-found]

                server = RadicaleServer(work / "radicale")
                server.start()
                with_carddav(work, config_path, server)
            config = load_config(config_path)
            if args.jobs:
                config = type(config)(**{**config.__dict__, "jobs": args.jobs})
            new_photos = sorted(str(p) for p in (work / "photos" / "Trade fair 2025").iterdir())

            # The new photos' own work: scanning them, outside any sync.
            t = time.perf_counter()
            scanned = list(pipeline.scan_paths(new_photos, jobs=config.jobs))
            own = time.perf_counter() - t
            ok = sum(1 for r in scanned if r.ok)

            instrument()
            t = time.perf_counter()
            report = sync_pkg.sync(config)
            total = time.perf_counter() - t
            phases = dict(TIMES)
            TIMES.clear()
            t = time.perf_counter()
            rerun = sync_pkg.sync(config)
            quiet = time.perf_counter() - t
            quiet_phases = dict(TIMES)
        finally:
            if server is not None:
                server.stop()

    counts = report.counts()
    scan = phases.get("scan new photos (OCR)", 0.0)
    rest = total - scan
    print(f"\nnightly sync: {args.known:,} known photos + {args.new} new, "
          f"{args.book:,}-contact book, jobs={config.jobs or pipeline.default_jobs()}\n")
    print(f"{'phase':<40} {'seconds':>9} {'share':>7}")
    print("-" * 58)
    names = ["load book", "find photos (walk, stat, ledger)", "scan new photos (OCR)",
             "match + merge into the book", "save book"]
    if args.carddav:
        names[1:1] = ["CardDAV pull (list ETags, fetch)"]
        names.append("CardDAV push (compare, PUT)")
    for name in names:
        v = phases.get(name, 0.0)
        print(f"{name:<40} {v:>9.2f} {v / total:>7.0%}")
    other = total - sum(phases.values())
    print(f"{'ledger, lock, report, rest':<40} {other:>9.2f} {other / total:>7.0%}")
    print("-" * 58)
    print(f"{'total sync run':<40} {total:>9.2f}")
    print(f"{f'the {args.new} new photos scanned alone':<40} {own:>9.2f}")
    print(f"{'sync minus its scan (everything else)':<40} {rest:>9.2f}")
    print(f"{'sync / own work':<40} {total / own:>9.2f}x")
    print(f"\nresult: {counts['photos_new']} photos ok ({ok} cards read alone), "
          f"{counts['photos_failed']} failed, {counts['photos_known']} known; "
          f"{counts['contacts_new']} new, {counts['contacts_merged']} merged, "
          f"{counts['contacts_review']} review"
          + (f"; {counts['pushed']} cards pushed" if args.carddav else ""))
    print(f"rerun with nothing new: {quiet:.2f} s (find photos "
          f"{quiet_phases.get('find photos (walk, stat, ledger)', 0):.2f} s, load book "
          f"{quiet_phases.get('load book', 0):.2f} s), book changed: {rerun.book_changed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
