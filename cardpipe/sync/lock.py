"""One run at a time: an exclusive ``flock`` on a lock file beside the ledger.

The kernel drops the lock when the last file descriptor of the lock's open file goes,
however the process ends (SIGKILL too), so a crashed run leaves no stale lock behind
by itself.  Two things could keep that descriptor open after the run died, and both are
handled here:

* **A child that inherited it.**  ``O_CLOEXEC`` closes it in every program a run
  *executes*, but a *forked* child (the scan's worker processes) gets a copy of every
  descriptor, and a worker that outlived its parent used to hold the lock for ever
  (every later nightly run exited 7).  An ``os.register_at_fork`` hook closes the
  descriptor in every forked child at once (only closes: an unlock there would unlock
  the parent too), and the workers die with their parent anyway (``pipeline``).
* **A holder that is gone while its lock is still held** (orphans of an older version,
  or of any other fork): the file holds the holder's PID, start time and kernel start
  tick; when the lock is busy but that process is not alive (no such PID, a zombie, or
  the PID now belongs to a process started at another tick), the lock is taken over: a
  new lock file is locked and renamed over the old one, so whoever still holds the old
  inode holds nothing anyone looks at.  An unknown holder (no PID in the file) is
  treated as alive.  Deciding and renaming happen under a short second lock
  (``<lock>.guard``), so two runs can never both take over, nor one take over while
  another acquires normally.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from ..errors import LockedError

#: how long an acquire waits for another run that is itself in the middle of acquiring
GUARD_WAIT_SECONDS = 5.0

_HELD: weakref.WeakSet[RunLock] = weakref.WeakSet()


@dataclass(frozen=True)
class Holder:
    """Who wrote the lock file: a PID, its start time (for people) and, on Linux, its
    start tick since boot (for telling a reused PID from the same process)."""

    pid: int
    started: str
    tick: int | None = None

    def describe(self) -> str:
        return f"pid {self.pid}, started {self.started}"

    def alive(self) -> bool:
        if self.pid == os.getpid():
            return True
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass  # there, but another user's
        state, tick = _proc_stat(self.pid)
        if state in ("Z", "X"):  # dead, not yet reaped: its descriptors are closed
            return False
        return not (self.tick is not None and tick is not None and tick != self.tick)


class RunLock:
    """``with RunLock(path):`` — raises ``LockedError`` at once when another run holds it.

    ``taken_over``: after ``acquire``, the holder whose lock was taken over because it
    was gone (for the run log), else None.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None
        self.taken_over: Holder | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _guard(self.path):
            fd = _open(self.path, os.O_CREAT)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_holder(fd)
                os.close(fd)
                if holder is None or holder.alive():
                    raise _locked(self.path, holder) from None
                fd = self._take_over(holder)
            except OSError:
                os.close(fd)
                raise
            started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
            tick = _proc_stat(os.getpid())[1]
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {started} {tick or ''}".rstrip().encode() + b"\n", 0)
            self._fd = fd
            _HELD.add(self)

    def _take_over(self, holder: Holder) -> int:
        """Lock a fresh lock file and rename it over the one a dead holder's heir keeps."""
        fresh = self.path.with_name(f"{self.path.name}.{os.getpid()}.new")
        fd = _open(fresh, os.O_CREAT | os.O_TRUNC)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # nobody else knows this file
            os.replace(fresh, self.path)
        except OSError:
            os.close(fd)
            with contextlib.suppress(OSError):
                fresh.unlink()
            raise
        self.taken_over = holder
        return fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        _HELD.discard(self)
        # Leave the file in place: unlinking it would let a third run lock a new inode
        # while the second still waits on the old one.
        os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def lock_path_for(ledger_path: str | Path) -> Path:
    """The lock file that goes with a ledger: ``<ledger>.lock``."""
    p = Path(ledger_path)
    return p.with_name(p.name + ".lock")


def _close_in_forked_child() -> None:
    """In a forked child: close the inherited lock descriptors (never unlock: the lock
    belongs to the parent's open file, which an unlock here would release)."""
    for lock in list(_HELD):
        fd, lock._fd = lock._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)
    _HELD.clear()


os.register_at_fork(after_in_child=_close_in_forked_child)


def _open(path: Path, flags: int) -> int:
    return os.open(path, os.O_RDWR | os.O_CLOEXEC | flags, 0o600)


@contextlib.contextmanager
def _guard(path: Path) -> Iterator[None]:
    """Held while a run decides whether it may take the lock (a fraction of a second)."""
    fd = _open(path.with_name(path.name + ".guard"), os.O_CREAT)
    try:
        deadline = time.monotonic() + GUARD_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise _locked(path, None) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing drops the guard's flock


def _locked(path: Path, holder: Holder | None) -> LockedError:
    who = f" ({holder.describe()})" if holder else ""
    return LockedError(f"another cardpipe run is in progress{who} (lock {path})",
                       hint="it exits by itself when done; this run did nothing")


def _read_holder(fd: int) -> Holder | None:
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").split()
    except OSError:
        return None
    if len(text) >= 2 and text[0].isdigit():
        tick = int(text[2]) if len(text) >= 3 and text[2].isdigit() else None
        return Holder(int(text[0]), text[1], tick)
    return None


def _proc_stat(pid: int) -> tuple[str | None, int | None]:
    """A process's state letter and start tick from ``/proc`` (None, None off Linux)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            raw = f.read().decode("ascii", "replace")
    except OSError:
        return None, None
    fields = raw.rpartition(")")[2].split()  # the name in (...) may hold spaces
    if len(fields) < 20:
        return None, None
    return fields[0], int(fields[19]) if fields[19].isdigit() else None
