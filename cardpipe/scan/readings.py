"""The reading cache of ``cardpipe run``: what each photo was read as, so a rerun over the
same photos reads none of them again.

One SQLite file, ``readings.sqlite3`` in the user's cache folder (platformdirs:
``$XDG_CACHE_HOME/cardpipe/``, by default ``~/.cache/cardpipe/``), with two tables:

* ``readings`` — (photo sha256, reading key) -> the scan results of that photo as JSON
  (one per card). The *reading key* holds everything that changes a reading: the OCR
  engine and its library versions, ``--lang``, ``--region``, ``--attach-photo`` and a
  digest of cardpipe's reading code (``scan/``, ``parse/``, ``data/``, ...), so another
  engine, another region or a new cardpipe reads again.
* ``files`` — path -> (size, mtime in ns, sha256) as last seen, so a photo whose path,
  size and mtime did not change is not even hashed again (as ``sync/photos.py`` does).

Why the user cache folder and not a file beside the book: a reading depends on the photo
and the settings, never on the book (the same photos run into two books are read once);
the book's folder is often synced to other machines or is a vdir other tools read, where
a database file does not belong; and the cache folder is where a user (and a backup
tool) expects data that may be deleted at any time. It is kept apart from the nightly
job's ledger (``sync``), which is not a cache but the job's memory.

It is only a cache: a file that is not a database (or is damaged) is a one-line warning
and replaced by a fresh one; a cache that cannot be opened or written is a warning and
the run reads every photo as it would without one. It holds what the cards say (names,
e-mails, phones), so it is made readable by its owner only.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from . import inputs

SCHEMA_VERSION = 1
FILENAME = "readings.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS readings (
    sha256    TEXT NOT NULL,
    key       TEXT NOT NULL,
    results   TEXT NOT NULL,
    stored_at TEXT NOT NULL DEFAULT (datetime('now')),
    PRIMARY KEY (sha256, key)
);
CREATE TABLE IF NOT EXISTS files (
    path     TEXT PRIMARY KEY,
    size     INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256   TEXT NOT NULL
);
"""

Warn = Callable[[str], None]


def default_path() -> Path:
    """``readings.sqlite3`` in the user's cache folder (``~/.cache/cardpipe/`` on Linux)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("cardpipe")) / FILENAME


#: the parts of cardpipe whose code decides what a photo is read as
_READING_CODE = ("scan", "parse", "data", "contact.py", "pipeline.py")


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """cardpipe's version and a digest of its reading code: any change reads again."""
    from .. import __version__

    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(__version__.encode())
    for part in _READING_CODE:
        base = root / part
        files = sorted(base.rglob("*")) if base.is_dir() else [base]
        for f in files:
            if f.is_file() and "__pycache__" not in f.parts and f.suffix != ".pyc":
                h.update(str(f.relative_to(root)).encode())
                h.update(f.read_bytes())
    return f"{__version__}+{h.hexdigest()[:16]}"


def _dist_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "-"


@functools.lru_cache(maxsize=8)
def engine_version(name: str) -> str:
    """The versions of the libraries (and program) an engine named ``name`` reads with."""
    parts = []
    if name in ("rapidocr", "cascade"):
        parts += [f"rapidocr {_dist_version('rapidocr')}",
                  f"onnxruntime {_dist_version('onnxruntime')}"]
    if name in ("tesseract", "cascade"):
        from .engines import check_tesseract

        try:
            parts.append(f"tesseract {check_tesseract()}")
        except Exception:  # noqa: BLE001 - the scan says so; the key only has to differ
            parts.append("tesseract -")
    return ", ".join(parts)


def reading_key(engine: str, *, lang: str | None, region: str | None,
                attach_photo: bool) -> str:
    """Everything that changes what a photo is read as, as one string. ``engine``: an
    engine name, or a description of an engine object (its class and name)."""
    return json.dumps({"engine": engine, "engine_version": engine_version(engine),
                       "lang": lang, "region": region, "attach_photo": attach_photo,
                       "code": code_version()}, sort_keys=True)


class ReadingCache:
    """The reading cache; open with ``ReadingCache.open()``; use as a context manager.

    ``writable=False`` (a dry run): stored readings are used, nothing is written (a
    missing cache is not created, a damaged one is not replaced). ``reuse=False``
    (``--rescan``): every photo is read again and its new reading stored.
    """

    def __init__(self, conn: sqlite3.Connection | None, path: Path, *, writable: bool,
                 reuse: bool = True, warn: Warn | None = None) -> None:
        self._conn = conn
        self.path = path
        self.writable = writable
        self.reuse = reuse
        self._warn = warn or (lambda message: None)
        #: photos whose reading came from the cache / were stored in it, this run
        self.hits = 0
        self.stored = 0

    # -- opening --------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path | None = None, *, writable: bool = True,
             reuse: bool = True, warn: Warn | None = None) -> ReadingCache:
        """Open (or create) the cache at ``path`` (default: ``default_path()``). Never
        raises: a problem is one line to ``warn`` and a cache that does nothing."""
        p = Path(path).expanduser() if path is not None else default_path()
        say = warn or (lambda message: None)
        if not writable and not p.exists():
            return cls(None, p, writable=False, reuse=reuse, warn=warn)
        try:
            conn = _connect(p, writable)
        except sqlite3.DatabaseError as exc:  # not a database, damaged, foreign schema
            if not writable:
                say(f"{p}: not a usable reading cache ({exc}); not used (dry run)")
                return cls(None, p, writable=False, reuse=reuse, warn=warn)
            say(f"{p}: not a usable reading cache ({exc}); starting a fresh one")
            try:
                for stale in (p, p.with_name(p.name + "-journal")):
                    stale.unlink(missing_ok=True)
                conn = _connect(p, writable)
            except (sqlite3.Error, OSError) as again:
                say(f"{p}: cannot make a reading cache ({_reason(again)}); reading every photo")
                return cls(None, p, writable=False, reuse=reuse, warn=warn)
        except (sqlite3.Error, OSError) as exc:
            say(f"{p}: cannot open the reading cache ({_reason(exc)}); reading every photo")
            return cls(None, p, writable=False, reuse=reuse, warn=warn)
        return cls(conn, p, writable=writable, reuse=reuse, warn=warn)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> ReadingCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def active(self) -> bool:
        """False when the cache could not be opened (or failed during the run)."""
        return self._conn is not None

    # -- use ------------------------------------------------------------------------
    def sha256(self, path: Path) -> str | None:
        """The photo's sha256: as recorded when its path, size and mtime are unchanged,
        else hashed (and recorded). None when the file cannot be read (the scan says why)."""
        try:
            st = path.stat()
        except OSError:
            return None
        name = _path_key(path)
        if self._conn is not None:
            row = self._query("SELECT size, mtime_ns, sha256 FROM files WHERE path = ?",
                              (name,))
            if row is not None and row[0] == st.st_size and row[1] == st.st_mtime_ns:
                return str(row[2])
        try:
            sha = inputs.file_sha256(path)
        except OSError:
            return None
        self._write("INSERT OR REPLACE INTO files (path, size, mtime_ns, sha256) "
                    "VALUES (?, ?, ?, ?)", (name, st.st_size, st.st_mtime_ns, sha))
        return sha

    def get(self, sha256: str, key: str) -> list[dict[str, Any]] | None:
        """The stored results of the photo ``sha256`` read with ``key``, or None."""
        if not self.reuse or self._conn is None:
            return None
        row = self._query("SELECT results FROM readings WHERE sha256 = ? AND key = ?",
                          (sha256, key))
        if row is None:
            return None
        try:
            results = json.loads(row[0])
        except ValueError:
            return None
        if not isinstance(results, list) or not results:
            return None
        self.hits += 1
        return results

    def put(self, sha256: str, key: str, results: list[dict[str, Any]]) -> None:
        """Store what the photo ``sha256`` was read as (nothing in a read-only cache)."""
        if self._write("INSERT OR REPLACE INTO readings (sha256, key, results) "
                       "VALUES (?, ?, ?)", (sha256, key, json.dumps(results))):
            self.stored += 1

    # -- SQLite -----------------------------------------------------------------------
    def _query(self, sql: str, args: tuple[Any, ...]) -> Any:
        assert self._conn is not None
        try:
            return self._conn.execute(sql, args).fetchone()
        except sqlite3.Error as exc:
            self._give_up(exc)
            return None

    def _write(self, sql: str, args: tuple[Any, ...]) -> bool:
        if self._conn is None or not self.writable:
            return False
        try:
            with _transaction(self._conn):
                self._conn.execute(sql, args)
        except sqlite3.Error as exc:
            self._give_up(exc)
            return False
        return True

    def _give_up(self, exc: sqlite3.Error) -> None:
        self._warn(f"{self.path}: reading cache failed ({_reason(exc)}); "
                   "not used for the rest of this run")
        self.close()


def _connect(path: Path, writable: bool) -> sqlite3.Connection:
    if writable:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fresh = not path.exists()
        conn = sqlite3.connect(path, isolation_level=None, timeout=10)
        if fresh:
            with contextlib.suppress(OSError):
                os.chmod(path, 0o600)
    else:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                               isolation_level=None, timeout=10)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if version != SCHEMA_VERSION and tables:
            raise sqlite3.DatabaseError(f"schema {version}, this cardpipe reads "
                                        f"{SCHEMA_VERSION}")
        if writable and version != SCHEMA_VERSION:
            conn.execute("PRAGMA synchronous=NORMAL")
            with _transaction(conn):
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    except BaseException:
        conn.close()
        raise
    return conn


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _path_key(path: Path) -> str:
    try:
        return str(path.resolve())
    except OSError:
        return str(path.absolute())


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
