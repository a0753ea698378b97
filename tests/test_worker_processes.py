"""Real ``cardpipe`` processes with scan workers, killed or interrupted (issue 14, items 10
and 11): no worker outlives its parent, no lock outlives its run, and Ctrl-C stops a
scan at once with exit 130 and nothing written.

The runs read through a fake engine that never finishes (``tests/fake_cli.py``), so the
workers are always busy when the signal comes. Whether a process is gone is read from
``/proc`` (a zombie is gone: it holds no memory and no file).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from cardpipe.errors import ExitCode
from cardpipe.sync import sync
from cardpipe.sync.config import load_config
from cardpipe.sync.lock import RunLock, lock_path_for

from .conftest import TextEngine

ROOT = Path(__file__).resolve().parents[1]
BOOK = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ada-1\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\n"
        "EMAIL:ada@engines.example\r\nEND:VCARD\r\n")

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="Linux only: these tests read processes from /proc (CI and the project target Linux, where they always run)")


def _env(**extra: str) -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path, **extra}


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


def _wait_gone(pids: set[int], seconds: float = 5.0) -> set[int]:
    """The pids still alive after waiting up to ``seconds`` for them to go."""
    deadline = time.monotonic() + seconds
    while (left := {p for p in pids if _alive(p)}) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def _photos(folder: Path, n: int = 4) -> Path:
    folder.mkdir()
    rng = np.random.default_rng(0)
    for i in range(n):
        cv2.imwrite(str(folder / f"card{i}.png"), rng.integers(0, 255, (120, 200, 3), np.uint8))
    return folder


def _start(args: list[str], started: Path, engine: str = "hang") -> subprocess.Popen[bytes]:
    started.mkdir(exist_ok=True)
    return subprocess.Popen([sys.executable, "-m", "tests.fake_cli", *args], cwd=ROOT,
                            env=_env(CARDPIPE_TEST_ENGINE=engine,
                                     CARDPIPE_TEST_STARTED=str(started)),
                            start_new_session=True, stderr=subprocess.PIPE)


def _busy_workers(child: subprocess.Popen[bytes], started: Path, n: int = 2) -> set[int]:
    """Wait until ``n`` workers are reading a photo; their pids."""
    deadline = time.monotonic() + 60
    while len(pids := {int(f.name.split("-")[0]) for f in started.iterdir()}) < n:
        if child.poll() is not None:
            err = child.stderr.read().decode() if child.stderr else ""
            raise AssertionError(f"the run ended before its workers started: {err}")
        assert time.monotonic() < deadline, "the workers never started"
        time.sleep(0.05)
    assert child.pid not in pids  # they are workers, not the parent
    return pids


@contextlib.contextmanager
def _reaped(child: subprocess.Popen[bytes]):  # type: ignore[no-untyped-def]
    try:
        yield
    finally:  # whatever the test found, leave nothing behind
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()


# -- item 10: workers die with their parent ------------------------------------------------


def test_workers_of_a_killed_run_die_with_it(tmp_path: Path) -> None:
    photos = _photos(tmp_path / "photos")
    book = tmp_path / "book.vcf"
    book.write_bytes(BOOK.encode())
    child = _start(["run", str(photos), "--book", str(book), "-j", "2"], tmp_path / "started")
    with _reaped(child):
        workers = _busy_workers(child, tmp_path / "started")
        os.kill(child.pid, signal.SIGKILL)  # the parent only, as the OOM killer or kill -9 does
        child.wait()
        assert _wait_gone(workers) == set()
    assert book.read_bytes() == BOOK.encode()


ORPHAN = textwrap.dedent("""
    import multiprocessing, os, sys, time
    from cardpipe import pipeline
    def worker(parent, ready):
        pipeline._init_worker(parent, False)  # as if forked by another thread: no prctl
        ready.set()
        time.sleep(120)
    if __name__ == "__main__":
        multiprocessing.set_start_method("fork")
        ready = multiprocessing.Event()
        p = multiprocessing.Process(target=worker, args=(os.getpid(), ready))
        p.start()
        ready.wait(30)
        print(p.pid, flush=True)
        time.sleep(120)
""")



def test_a_worker_without_the_parent_death_signal_still_exits_when_orphaned(
    tmp_path: Path,
) -> None:
    script = tmp_path / "orphan.py"
    script.write_text(ORPHAN)
    child = subprocess.Popen([sys.executable, str(script)], cwd=ROOT, env=_env(),
                             stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert child.stdout is not None
        worker = int(child.stdout.readline())
        assert _alive(worker)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        assert _wait_gone({worker}) == set()  # the parent-pid watch, not the kernel
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()


def test_a_killed_sync_leaves_neither_workers_nor_the_lock_behind(tmp_path: Path) -> None:
    _photos(tmp_path / "photos")
    (tmp_path / "book.vcf").write_bytes(BOOK.encode())
    cfg = tmp_path / "config.toml"
    cfg.write_text('book = "book.vcf"\nledger = "state/ledger.sqlite3"\njobs = 2\n'
                   'settle_seconds = 0\n[[watch]]\npath = "photos"\n', encoding="utf-8")
    child = _start(["sync", "--config", str(cfg)], tmp_path / "started")
    with _reaped(child):
        workers = _busy_workers(child, tmp_path / "started")
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        assert _wait_gone(workers) == set()
    config = load_config(cfg)
    with RunLock(lock_path_for(config.ledger)):
        pass  # free at once: the next nightly run is not refused with exit 7
    report = sync(config, engine=TextEngine())
    assert report.exit_code == ExitCode.OK
    assert len(report.photos) == 4


# -- item 10: the lock ---------------------------------------------------------------------

FORK_WHILE_LOCKED = textwrap.dedent("""
    import multiprocessing, sys, time
    from cardpipe.sync.lock import RunLock
    def child():
        time.sleep(120)  # a forked child that outlives its parent (no pipeline initializer)
    if __name__ == "__main__":
        multiprocessing.set_start_method("fork")
        lock = RunLock(sys.argv[1])
        lock.acquire()
        p = multiprocessing.Process(target=child)
        p.start()
        print(p.pid, flush=True)
        time.sleep(120)
""")


def _holds(pid: int, path: Path) -> bool:
    """Whether process ``pid`` has ``path`` open (its /proc fd links)."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        with contextlib.suppress(OSError):
            if os.readlink(f"/proc/{pid}/fd/{fd}") == str(path):
                return True
    return False


def test_a_forked_child_does_not_keep_the_lock_of_a_killed_run(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3.lock"
    script = tmp_path / "fork.py"
    script.write_text(FORK_WHILE_LOCKED)
    child = subprocess.Popen([sys.executable, str(script), str(path)], cwd=ROOT, env=_env(),
                             stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert child.stdout is not None
        forked = int(child.stdout.readline())
        # the child closes its copy of the lock's descriptor right after the fork, in its
        # own time: on a loaded machine that may come after the parent printed its pid
        deadline = time.monotonic() + 10
        while _holds(forked, path) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _holds(forked, path)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        assert _alive(forked)  # still there, and yet:
        with RunLock(path) as lock:
            assert lock.taken_over is None  # the kernel dropped it: nobody else had the fd
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()


HOLD_AS = textwrap.dedent("""
    import fcntl, os, sys, time
    fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.write(fd, sys.argv[2].encode())
    print("held", flush=True)
    time.sleep(120)
""")


def _hold_as(path: Path, content: str) -> subprocess.Popen[str]:
    """A process that holds the lock while the file names someone else (as the orphaned
    workers of an older cardpipe did)."""
    child = subprocess.Popen([sys.executable, "-c", HOLD_AS, str(path), content],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "held"
    return child


def _dead_pid() -> int:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    return gone.pid


@pytest.mark.parametrize("who", ["dead pid", "reused pid"])
def test_a_lock_whose_holder_is_gone_is_taken_over(tmp_path: Path, who: str) -> None:
    path = tmp_path / "ledger.sqlite3.lock"
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        # a reused pid: alive, but started at another tick than the one written
        pid, tick = (_dead_pid(), "") if who == "dead pid" else (other.pid, " 1")
        heir = _hold_as(path, f"{pid} 2026-01-01T00:00:00+00:00{tick}\n")
        try:
            with RunLock(path) as lock:
                assert lock.taken_over is not None and lock.taken_over.pid == pid
                assert path.read_text().split()[0] == str(os.getpid())
                with pytest.raises(Exception, match="another cardpipe run is in progress"):
                    RunLock(path).acquire()  # and now it is ours, refused to others
            with RunLock(path) as again:
                assert again.taken_over is None
        finally:
            heir.kill()
            heir.wait()
    finally:
        other.kill()
        other.wait()


def test_a_lock_whose_holder_is_alive_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3.lock"
    heir = _hold_as(path, "")  # nobody named: the holder is unknown, so taken as alive
    try:
        with pytest.raises(Exception, match="another cardpipe run is in progress"):
            RunLock(path).acquire()
    finally:
        heir.kill()
        heir.wait()


# -- item 11: Ctrl-C -----------------------------------------------------------------------


@pytest.mark.parametrize("to", ["process group", "parent only"])
def test_ctrl_c_stops_a_run_with_workers_at_once_with_exit_130_and_writes_nothing(
    tmp_path: Path, to: str,
) -> None:
    photos = _photos(tmp_path / "photos")
    book = tmp_path / "book.vcf"
    book.write_bytes(BOOK.encode())
    report = tmp_path / "report.jsonl"
    child = _start(["run", str(photos), "--book", str(book), "--report", str(report),
                    "-j", "2"], tmp_path / "started")
    with _reaped(child):
        workers = _busy_workers(child, tmp_path / "started")
        sent = time.monotonic()
        if to == "process group":  # what a terminal's Ctrl-C does
            os.killpg(child.pid, signal.SIGINT)
        else:
            os.kill(child.pid, signal.SIGINT)
        rc = child.wait(timeout=5)
        took = time.monotonic() - sent
        assert rc == ExitCode.INTERRUPTED == 130
        assert took < 2.0, f"took {took:.2f} s to stop"
        assert _wait_gone(workers, 1.0) == set()
        assert child.stderr is not None
        err = child.stderr.read().decode()
    assert err.strip().splitlines()[-1] == "cardpipe: interrupted"
    assert "Traceback" not in err
    assert book.read_bytes() == BOOK.encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.vcf", "photos", "started"]


def test_ctrl_c_during_scan_stops_at_once_prints_no_half_line_and_exits_130(tmp_path: Path) -> None:
    photos = _photos(tmp_path / "photos")
    (tmp_path / "started").mkdir()
    child = subprocess.Popen([sys.executable, "-m", "tests.fake_cli", "scan", str(photos),
                              "-j", "2", "--format", "jsonl"], cwd=ROOT,
                             env=_env(CARDPIPE_TEST_ENGINE="hang",
                                      CARDPIPE_TEST_STARTED=str(tmp_path / "started")),
                             start_new_session=True, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    with _reaped(child):
        _busy_workers(child, tmp_path / "started")
        sent = time.monotonic()
        os.killpg(child.pid, signal.SIGINT)
        out, _ = child.communicate(timeout=5)
        assert child.returncode == 130
        assert time.monotonic() - sent < 2.0
    for line in out.decode().splitlines():  # whatever was printed is whole JSON lines
        assert line.startswith("{") and line.endswith("}")


def test_ctrl_c_stops_a_sync_with_workers_at_once_and_frees_the_lock(tmp_path: Path) -> None:
    _photos(tmp_path / "photos")
    book = tmp_path / "book.vcf"
    book.write_bytes(BOOK.encode())
    cfg = tmp_path / "config.toml"
    cfg.write_text('book = "book.vcf"\nledger = "state/ledger.sqlite3"\njobs = 2\n'
                   'settle_seconds = 0\n[[watch]]\npath = "photos"\n', encoding="utf-8")
    child = _start(["sync", "--config", str(cfg)], tmp_path / "started")
    with _reaped(child):
        workers = _busy_workers(child, tmp_path / "started")
        sent = time.monotonic()
        os.killpg(child.pid, signal.SIGINT)
        assert child.wait(timeout=5) == 130
        assert time.monotonic() - sent < 2.0
        assert _wait_gone(workers, 1.0) == set()
    assert book.read_bytes() == BOOK.encode()
    config = load_config(cfg)
    with RunLock(lock_path_for(config.ledger)) as lock:
        assert lock.taken_over is None
    assert sync(config, engine=TextEngine()).exit_code == ExitCode.OK  # the next night runs
