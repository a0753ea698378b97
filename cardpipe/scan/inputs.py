"""Which files are photos to read: one folder walk for every command.

Rules (the same for ``scan``, ``run`` and ``sync``): folders are walked recursively in
name order; hidden files and folders (dot names: ``.DS_Store``, ``._IMG_1.JPG`` from
macOS) are left out silently; symlinked folders are followed once, and a symlink loop,
a broken symlink or an unreadable folder is reported with a one-line reason, never
followed or fatal. Inside folders only photo suffixes are taken (GIF too: Pillow reads
it, its first frame, as it does named on the command line); a file named on the command
line is taken whatever its suffix (the decoder decides). A folder named that holds no
photo, and a named file that is a symlink loop, are each reported as such.
"""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".heic", ".heif", ".tif", ".tiff",
                            ".webp", ".bmp", ".gif"})


def is_photo_name(path: Path) -> bool:
    return path.suffix.lower() in PHOTO_SUFFIXES


def walk(root: Path, *, recursive: bool = True) -> Iterator[tuple[Path, str | None]]:
    """Every file under ``root`` as ``(path, None)``, in name order, and every entry that
    cannot be walked as ``(path, reason)``. A symlinked folder is followed once: a link
    back to a folder it lies in is a loop (reported); a second way to a folder walked
    already is left out silently."""
    visited: set[tuple[int, int]] = set()

    def key(p: Path) -> tuple[int, int]:
        st = p.stat()
        return (st.st_dev, st.st_ino)

    top = key(root)
    visited.add(top)
    stack: list[tuple[Path, frozenset[tuple[int, int]]]] = [(root, frozenset({top}))]
    while stack:
        folder, ancestors = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield folder, os_reason(exc)
            continue
        subdirs = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError as exc:
                yield path, os_reason(exc)
                continue
            if entry.is_symlink():
                try:
                    path.stat()
                except OSError as exc:
                    yield path, os_reason(exc)
                    continue
            if is_dir:
                if not recursive:
                    continue
                try:
                    k = key(path)
                except OSError as exc:
                    yield path, os_reason(exc)
                    continue
                if k in ancestors:
                    yield path, "symlink loop (a link to a folder it is in), skipped"
                    continue
                if k in visited:
                    continue
                visited.add(k)
                subdirs.append((path, ancestors | {k}))
            else:
                yield path, None
        stack.extend(reversed(subdirs))


def collect_photos(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The photo files that ``paths`` (files and folders) name, each once, and the
    ``(path, "path: reason")`` of every one that cannot be taken (missing, a broken
    symlink, a loop ...)."""
    found: list[Path] = []
    problems: list[tuple[str, str]] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            candidates = []
            others = 0
            for p, problem in walk(path):
                if problem:
                    problems.append((str(p), f"{p}: {problem}"))
                elif is_photo_name(p) and p.is_file():
                    candidates.append(p)
                else:
                    others += 1
            if not candidates:
                what = f"{others} other file(s) skipped" if others else "the folder is empty"
                problems.append((str(raw), f"{raw}: no photos in this folder ({what})"))
            candidates.sort()  # path order: a folder's photos beside its sub-folders'
        elif path.exists():
            candidates = [path]
        else:
            problems.append((str(raw), f"{raw}: {_missing_reason(path)}"))
            continue
        for p in candidates:
            key = p.resolve()
            if key not in seen:
                seen.add(key)
                found.append(p)
    return found, problems


def _missing_reason(path: Path) -> str:
    """Why a named path that does not exist cannot be taken: a symlink loop or a broken
    symlink says so (``exists()`` is False for both), else there is no such file."""
    try:
        path.stat()
    except OSError as exc:
        if exc.errno != errno.ENOENT or path.is_symlink():
            return os_reason(exc)
    return "no such file or folder"


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def os_reason(exc: OSError) -> str:
    """A short reason for a file that cannot be read."""
    if exc.errno == errno.ELOOP:
        return "symlink loop, skipped"
    if exc.errno == errno.ENOENT:
        return "broken symlink or file vanished, skipped"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied, skipped (the next run tries again)"
    return f"cannot read: {exc.strerror or exc}"
