"""Writing a book's files safely: atomic replacement (temporary file, fsync, rename, fsync
of the folder), timestamped backups beside the book, and safe vdir file names."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import shutil
import stat
from datetime import datetime
from pathlib import Path

from ..errors import BookError

_SAFE = re.compile(r"[^A-Za-z0-9._-]")
#: the folder inside a vdir book that holds its backups
BACKUP_DIR = ".cardpipe-backups"


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not supported on this platform / file system
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def real_path(path: str | os.PathLike[str]) -> Path:
    """The file a path names, through any symlinks (the path itself when it is none).

    A book reached through a symlink is written and backed up at the file it points
    to: replacing the link would leave that file stale and the link a regular file.
    """
    p = Path(path)
    if not p.is_symlink():
        return p
    return Path(os.path.realpath(p))


def check_writable(path: str | os.PathLike[str]) -> None:
    """Raise ``BookError`` when ``path`` exists and is read-only.

    A file without any write permission bit (say 0444) is refused even for root, whom
    ``os.access`` would let write anything: the user made it read-only on purpose.
    """
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        return
    except OSError as e:
        raise BookError(f"{p}: cannot write: {e.strerror or e}") from e
    read_only = not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    if read_only or not os.access(p, os.W_OK):
        raise BookError(f"{p}: the file is read-only; nothing was written",
                        hint="make it writable (chmod u+w) or write elsewhere with --out")


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically: the old content stays on any error.

    The temporary file is created beside the target (same file system), written and
    fsynced, given the target's permissions (new files: 0666 minus the umask), renamed
    over the target with ``os.replace``, and the folder is fsynced.  A symlink is
    written through (its target is replaced, the link stays); a read-only target is
    refused (``check_writable``).
    """
    target = real_path(path)
    check_writable(target)
    folder = target.parent
    tmp = folder / f".{target.name}.{secrets.token_hex(6)}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as e:
        raise BookError(f"{target}: cannot write: {e.strerror or e}") from e
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(tmp, target)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise BookError(f"{target}: cannot write: {e.strerror or e}") from e
        raise
    fsync_dir(folder)


def timestamp() -> str:
    return datetime.now().strftime("%Y%m%dT%H%M%S")


def keep_copy(source: Path, copy: Path) -> None:
    """A hard link where possible (instant; the old inode survives os.replace), else a copy."""
    try:
        os.link(source, copy)
    except OSError:
        shutil.copy2(source, copy)


def backup_file(path: Path, keep: int | None = 30) -> Path | None:
    """Keep ``path`` as ``NAME.bak-YYYYmmddTHHMMSS`` beside it; prune to the newest ``keep``.

    For a symlink, the backup holds the bytes of the file it points to (never a link to
    the link, which would show the new content once the book is written).
    """
    if not path.is_file():
        return None
    source = real_path(path)
    stem = f"{path.name}.bak-{timestamp()}"
    copy = path.with_name(stem)
    n = 1
    while copy.exists():
        copy = path.with_name(f"{stem}-{n}")
        n += 1
    try:
        keep_copy(source, copy)
    except OSError as e:
        raise BookError(f"{path}: cannot make a backup: {e.strerror or e}") from e
    fsync_dir(path.parent)
    if keep:
        old = sorted(path.parent.glob(f"{glob_escape(path.name)}.bak-*"), key=lambda p: p.name)
        for stale in old[:-keep]:
            with contextlib.suppress(OSError):
                stale.unlink()
    return copy


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def vdir_filename(uid: str, taken: set[str] | None = None) -> str:
    """A file name from a UID with safe characters only (a hash keeps unsafe ones unique)."""
    base = _SAFE.sub("_", uid).strip("._")[:80]
    if base != uid or not base:
        digest = hashlib.sha1(uid.encode("utf-8")).hexdigest()[:12]
        base = f"{base[:60]}-{digest}" if base else digest
    name = f"{base}.vcf"
    n = 1
    while taken is not None and name in taken:
        name = f"{base}-{n}.vcf"
        n += 1
    return name
