"""Fault injection (issue 14): real ``cardpipe run`` and ``sync`` processes, with scan
workers, killed (SIGKILL) or interrupted (SIGINT, to the process or its whole group, as a
terminal's Ctrl-C) at random moments, seeded and bounded. After each: the book parses,
every card the book held is there with all its content (byte for byte for ``run``; ``sync``
also writes each card its UID), no process of the run is left, and a rerun finishes with
nobody lost or doubled.

The book is a real client export (tests/data/vcards: Android's 2.1 cards with
quoted-printable values and photos, and Outlook 2007's). The photos are read by the fake
engine of ``tests/fake_cli.py`` (each takes ``SECONDS``, every photo shows the same person),
so the moments fall before, during and after the scan, the merge and the save.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cardpipe import vcard
from cardpipe.book import Book
from cardpipe.errors import ExitCode

from .conftest import DANA_LINES
from .test_worker_processes import _alive, _env, _photos, _wait_gone

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data" / "vcards"
BOOK_FILES = ("ezvcard__John_Doe_ANDROID.vcf", "ezvcard__outlook-2007.vcf")
SEEDS = range(5)  # per command: 5 moments, each a few seconds

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="Linux only: these tests "
                       "read processes from /proc (CI and the project target Linux)"),
]


def _book_bytes() -> bytes:
    return b"".join((DATA / f).read_bytes() for f in BOOK_FILES)


def _group(pgid: int) -> set[int]:
    """The live processes of one process group (the run and its workers)."""
    out = set()
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            fields = (d / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and _alive(int(d.name)):
            out.add(int(d.name))
    return out


def _cards(data: bytes) -> list[vcard.Card]:
    return [c for c in vcard.read_file(data, source="book").cards if c.ok]


def _content(card: vcard.Card) -> set[str]:
    return {ln for ln in vcard.canonical_lines(card.raw) if not ln.startswith(".UID;")}


def _check_book(book: Path, original: bytes, *, uids_added: bool) -> list[vcard.Card]:
    data = book.read_bytes()
    Book.load(book)  # parses: never half-written
    now = _cards(data)
    if not uids_added:
        text = data.decode("utf-8", "surrogateescape")
        for card in _cards(original):
            assert card.raw in text  # byte for byte
    else:
        for card in _cards(original):
            assert any(_content(card) <= _content(c) for c in now), card.raw[:80]
    return now


def _dana(cards: list[vcard.Card]) -> int:
    return sum(1 for c in cards if c.contact is not None and c.contact.full_name == DANA_LINES[0])


def _run(args: list[str], seconds: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "tests.fake_cli", *args], cwd=ROOT,
                            env=_env(CARDPIPE_TEST_ENGINE=f"slow:{seconds}"),
                            start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def _strike(child: subprocess.Popen[bytes], rng: random.Random) -> tuple[int, int | None]:
    """Wait a random moment, send a random signal; the exit code (None: it had ended)."""
    time.sleep(rng.uniform(0.3, 4.0))
    sig = rng.choice((signal.SIGKILL, signal.SIGINT))
    ended = child.poll()
    if ended is None:
        if rng.random() < 0.5:
            os.killpg(child.pid, sig)  # a terminal's Ctrl-C, or the OOM killer's sweep
        else:
            os.kill(child.pid, sig)  # the parent alone
    try:
        rc = child.wait(timeout=10)
    finally:
        left = _wait_gone(_group(child.pid), 5.0)
        if left:
            os.killpg(child.pid, signal.SIGKILL)
        assert not left, f"processes left after {sig.name}: {sorted(left)}"
    if ended is None and sig == signal.SIGINT:
        # -SIGINT: the signal came while Python was still importing, before cardpipe's
        # handler (the status a shell shows as 130 too)
        assert rc in (ExitCode.INTERRUPTED, ExitCode.OK, ExitCode.PARTIAL, -signal.SIGINT), rc
    return sig, (None if ended is not None else rc)


def _rerun_finishes(args: list[str], book: Path, original: bytes, *, uids_added: bool) -> None:
    """The struck run left a whole book; run again, it ends with the photos' person once."""
    before = _check_book(book, original, uids_added=uids_added)
    assert _dana(before) <= 1
    again = _run(args, "0")
    assert again.wait(timeout=120) in (ExitCode.OK, ExitCode.PARTIAL), again.stderr.read()
    after = _check_book(book, original, uids_added=uids_added)
    assert _dana(after) == 1  # the person on the photos, once
    assert len(after) == len(_cards(original)) + 1


@pytest.mark.parametrize("seed", SEEDS)
def test_run_killed_or_interrupted_at_a_random_moment_loses_and_doubles_nobody(
    tmp_path: Path, seed: int,
) -> None:
    rng = random.Random(f"run:{seed}")
    photos = _photos(tmp_path / "photos", n=6)
    book = tmp_path / "book.vcf"
    original = _book_bytes()
    book.write_bytes(original)
    args = ["run", str(photos), "--book", str(book), "-j", "2"]
    child = _run(args, "0.4")
    _strike(child, rng)
    _rerun_finishes(args, book, original, uids_added=False)


@pytest.mark.parametrize("seed", SEEDS)
def test_sync_killed_or_interrupted_at_a_random_moment_loses_and_doubles_nobody(
    tmp_path: Path, seed: int,
) -> None:
    rng = random.Random(f"sync:{seed}")
    _photos(tmp_path / "photos", n=6)
    book = tmp_path / "book.vcf"
    original = _book_bytes()
    book.write_bytes(original)
    cfg = tmp_path / "config.toml"
    cfg.write_text('book = "book.vcf"\nledger = "state/ledger.sqlite3"\njobs = 2\n'
                   'settle_seconds = 0\n[[watch]]\npath = "photos"\n', encoding="utf-8")
    args = ["sync", "--config", str(cfg)]
    child = _run(args, "0.4")
    _strike(child, rng)
    _rerun_finishes(args, book, original, uids_added=True)
    settled = book.read_bytes()
    quiet = _run(args, "0")  # and the night after changes nothing
    assert quiet.wait(timeout=120) == ExitCode.OK
    assert book.read_bytes() == settled
