"""One run at a time: an exclusive ``flock`` on a lock file beside the ledger.

The kernel drops the lock when the process ends, however it ends (SIGKILL too), so a
crashed run never leaves a stale lock behind.  The file holds the holder's PID and
start time only to make the message of a refused run useful.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from pathlib import Path
from types import TracebackType

from ..errors import LockedError


class RunLock:
    """``with RunLock(path):`` — raises ``LockedError`` at once when another run holds it."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise LockedError(
                f"another cardpipe run is in progress{holder} (lock {self.path})",
                hint="it exits by itself when done; this run did nothing",
            ) from None
        except OSError:
            os.close(fd)
            raise
        started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {started}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
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


def _read_holder(fd: int) -> str:
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").split()
    except OSError:
        return ""
    if len(text) >= 2 and text[0].isdigit():
        return f" (pid {text[0]}, started {text[1]})"
    return ""
