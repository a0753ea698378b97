from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cardpipe.errors import ExitCode, LockedError
from cardpipe.sync.lock import RunLock, lock_path_for

HOLD = """
import sys, time
from cardpipe.sync.lock import RunLock
lock = RunLock(sys.argv[1])
lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


def _hold_in_child(path: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE,
                             text=True, cwd=Path(__file__).resolve().parents[1])
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "held"
    return child


def test_second_lock_fails_at_once_with_locked_error(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3.lock"
    with RunLock(path):
        started = time.monotonic()
        with pytest.raises(LockedError) as info:
            RunLock(path).acquire()
        assert time.monotonic() - started < 1
    assert info.value.exit_code == ExitCode.LOCKED == 7
    assert "another cardpipe run is in progress" in str(info.value)
    assert f"pid {os.getpid()}" in str(info.value)


def test_lock_is_free_again_after_release(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    with RunLock(path) as lock:
        assert lock.held
    assert not lock.held
    with RunLock(path):
        pass


def test_lock_held_by_another_process_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    child = _hold_in_child(path)
    try:
        with pytest.raises(LockedError, match=f"pid {child.pid}"):
            RunLock(path).acquire()
    finally:
        child.kill()
        child.wait()


def test_lock_of_a_killed_process_is_released_by_the_kernel(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    child = _hold_in_child(path)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    with RunLock(path):
        pass


def test_lock_file_sits_beside_the_ledger() -> None:
    assert lock_path_for("/data/cardpipe/ledger.sqlite3") == Path(
        "/data/cardpipe/ledger.sqlite3.lock"
    )
