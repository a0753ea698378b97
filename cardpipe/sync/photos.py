"""Find the photos a sync run has to scan, and say why every other file is left alone.

A file is *known* when the ledger already has its content (sha256) as done.  To keep a
nightly run over thousands of old photos cheap, a file whose path, size and mtime are
exactly what the ledger recorded is known without reading it (as git and rsync do);
anything else is hashed.  A changed file is therefore new; a deleted one is simply no
longer seen (its contact stays).

Skipped, with a one-line reason: files that are not photos (by suffix), empty files,
files modified in the last ``settle_seconds`` (still being written: the next run takes
them), broken symlinks and symlink loops, unreadable files.  Hidden files and folders
(dot names, e.g. ``.DS_Store``, ``._IMG_1.JPG`` from macOS) are ignored silently.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config, Watch
from ..ledger import Ledger
from ..pipeline import file_sha256

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".heic", ".heif", ".tif", ".tiff", ".webp", ".bmp"}


@dataclass(frozen=True)
class Found:
    """A photo to scan."""

    path: Path
    watch: Watch
    sha256: str
    size: int
    mtime: float


@dataclass
class PhotoPlan:
    new: list[Found] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    known: int = 0  # photos the ledger already has
    pending: int = 0  # photos of an interrupted run (finished from the ledger)


def find_photos(config: Config, ledger: Ledger, *, now: float | None = None) -> PhotoPlan:
    """Walk every watched folder; return the photos to scan and the skipped files."""
    now = time.time() if now is None else now
    plan = PhotoPlan()
    known_files = ledger.known_files()
    done = ledger.done_hashes()
    pending = {p.sha256 for p in ledger.photos("pending")}
    queued: dict[str, Path] = {}
    seen_paths: set[Path] = set()
    for watch in config.watch:
        if not watch.path.is_dir():
            plan.skipped.append((str(watch.path), "watched folder does not exist"))
            continue
        for path, problem in _walk(watch.path, recursive=watch.recursive):
            if problem:
                plan.skipped.append((str(path), problem))
                continue
            real = path.resolve()
            if real in seen_paths:
                continue  # the same file reached twice (a symlink, two watches)
            seen_paths.add(real)
            if path.suffix.lower() not in PHOTO_SUFFIXES:
                suffix = path.suffix.lower() or "no suffix"
                plan.skipped.append((str(path), f"not a photo ({suffix})"))
                continue
            try:
                st = path.stat()
            except OSError as exc:
                plan.skipped.append((str(path), _os_reason(exc)))
                continue
            if not stat.S_ISREG(st.st_mode):
                plan.skipped.append((str(path), "not a regular file"))
                continue
            if st.st_size == 0:
                plan.skipped.append((str(path), "empty file (0 bytes)"))
                continue
            age = now - st.st_mtime
            if age < config.settle_seconds:
                plan.skipped.append(
                    (str(path), f"still being written (changed {max(age, 0):.0f} s ago); "
                                "the next run takes it")
                )
                continue
            record = known_files.get(str(path))
            if record and record[0] == st.st_size and record[1] == st.st_mtime and (
                record[2] in done
            ):
                plan.known += 1
                continue
            try:
                sha = file_sha256(path)
            except OSError as exc:
                plan.skipped.append((str(path), _os_reason(exc)))
                continue
            if sha in done:
                plan.known += 1
                continue
            if sha in pending:
                plan.pending += 1
                continue
            if sha in queued:
                plan.skipped.append((str(path), f"same photo as {queued[sha]}"))
                continue
            queued[sha] = path
            plan.new.append(Found(path, watch, sha, st.st_size, st.st_mtime))
    return plan


def _walk(root: Path, *, recursive: bool) -> Iterator[tuple[Path, str | None]]:
    """Files under root (sorted), following symlinked folders once; loops are reported."""
    visited: set[tuple[int, int]] = set()

    def key(p: Path) -> tuple[int, int]:
        st = p.stat()
        return (st.st_dev, st.st_ino)

    stack = [root]
    visited.add(key(root))
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield folder, _os_reason(exc)
            continue
        subdirs = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError as exc:
                yield path, _os_reason(exc)
                continue
            if entry.is_symlink():
                try:
                    path.stat()
                except OSError as exc:
                    yield path, _os_reason(exc)
                    continue
            if is_dir:
                if not recursive:
                    continue
                try:
                    k = key(path)
                except OSError as exc:
                    yield path, _os_reason(exc)
                    continue
                if k in visited:
                    yield path, "symlink loop (folder already visited), skipped"
                    continue
                visited.add(k)
                subdirs.append(path)
            else:
                yield path, None
        stack.extend(reversed(subdirs))


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop, skipped"
    if exc.errno == errno.ENOENT:
        return "broken symlink or file vanished, skipped"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied, skipped (the next run tries again)"
    return f"cannot read: {exc.strerror or exc}"
