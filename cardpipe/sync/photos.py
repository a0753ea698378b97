"""Find the photos a sync run has to scan, and say why every other file is left alone.

A file is *known* when the ledger already has its content (sha256) as done.  To keep a
nightly run over thousands of old photos cheap, a file whose path, size and mtime are
exactly what the ledger recorded is known without reading it (as git and rsync do);
anything else is hashed.  A changed file is therefore new; a deleted one is simply no
longer seen (its contact stays).

Skipped, with a one-line reason: files that are not photos (by suffix), empty files,
files modified in the last ``settle_seconds`` (still being written: the next run takes
them), broken symlinks and symlink loops, unreadable files.  Hidden files and folders
(dot names, e.g. ``.DS_Store``, ``._IMG_1.JPG`` from macOS) are ignored silently.  The
folder walk is :func:`cardpipe.scan.inputs.walk`, the one ``cardpipe run`` uses too.
"""

from __future__ import annotations

import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..scan.inputs import file_sha256, is_photo_name, os_reason, walk
from .config import Config, Watch
from .ledger import Ledger


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
        for path, problem in walk(watch.path, recursive=watch.recursive):
            if problem:
                plan.skipped.append((str(path), problem))
                continue
            real = path.resolve()
            if real in seen_paths:
                continue  # the same file reached twice (a symlink, two watches)
            seen_paths.add(real)
            if not is_photo_name(path):
                suffix = path.suffix.lower() or "no suffix"
                plan.skipped.append((str(path), f"not a photo ({suffix})"))
                continue
            try:
                st = path.stat()
            except OSError as exc:
                plan.skipped.append((str(path), os_reason(exc)))
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
                plan.skipped.append((str(path), os_reason(exc)))
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
