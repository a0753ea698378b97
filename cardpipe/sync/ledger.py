"""What was processed, when, with what outcome: the memory that makes runs incremental.

One SQLite file (WAL journal, every change in a transaction) with three tables:

* ``photos`` — one row per photo content (sha256): the path it was last seen at,
  size, mtime, the outcome (``ok`` / ``failed`` / ``retry`` / ``pending``), the UIDs
  of the contacts it went into, the error, when it was first seen and processed.
  ``pending`` rows carry the merge plan (``plan``: the scanned contacts and where
  they go) written *before* the book is saved, so a run killed between the two can
  finish the job without scanning again (see ``sync.py``).
* ``runs`` — run history: start, finish, counts (JSON) and exit code.
* ``carddav`` — per CardDAV collection and href: the ETag, UID and content key of
  the card as both sides last agreed on it, and a hash of the book's text of it then
  (``local``: lets a run skip cards whose text did not change without parsing them).
* ``refused`` — per CardDAV collection and UID: a card the server refused (its content
  key, how many runs in a row it was refused, the last reason), so a card the server
  cannot take is tried a bounded number of times and then only reported until it changes.
* ``cards`` — per photo (sha256) and card in it: the contact UID it went into, the card's
  outline in the photo, its OCR lines and which lines each field came from, the field
  confidences; the card image itself is a JPEG in the folder beside the ledger
  (``LEDGER.cards/``), so ``cardpipe review`` shows it days later.
* ``decisions`` — what a person decided on the review page (accept, edit, merge,
  separate, skip), the book's text of each contact it touched before and after (so a
  session's decisions can be undone) and when it was undone.  A ``separate`` decision not
  undone keeps its two contacts apart in every later ``run`` and ``sync``
  (``apart_for``).

The ledger never holds a password or any other credential.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import BookError

OUTCOMES = ("ok", "failed", "retry", "pending")
SCHEMA_VERSION = 3  # 2: carddav.base, collections; 3: cards, decisions (the review page)
#: the review page's decisions (``followup``: an action with its date added to the contact)
DECISIONS = ("accept", "edit", "merge", "separate", "skip", "followup")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS photos (
    sha256       TEXT PRIMARY KEY,
    path         TEXT NOT NULL,
    size         INTEGER NOT NULL,
    mtime        REAL NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('ok', 'failed', 'retry', 'pending')),
    uids         TEXT NOT NULL DEFAULT '[]',
    error        TEXT,
    plan         TEXT,
    first_seen   TEXT NOT NULL,
    processed_at TEXT NOT NULL,
    run_id       INTEGER
);
CREATE INDEX IF NOT EXISTS photos_outcome ON photos (outcome);
CREATE TABLE IF NOT EXISTS runs (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    started   TEXT NOT NULL,
    finished  TEXT,
    counts    TEXT,
    exit_code INTEGER
);
CREATE TABLE IF NOT EXISTS carddav (
    collection TEXT NOT NULL,
    href       TEXT NOT NULL,
    uid        TEXT,
    etag       TEXT,
    content    TEXT,
    local      TEXT,
    base       TEXT,
    synced_at  TEXT NOT NULL,
    PRIMARY KEY (collection, href)
);
CREATE INDEX IF NOT EXISTS carddav_uid ON carddav (collection, uid);
CREATE TABLE IF NOT EXISTS collections (
    collection TEXT PRIMARY KEY,
    url        TEXT,
    sync_token TEXT,
    ctag       TEXT
);
CREATE TABLE IF NOT EXISTS refused (
    collection TEXT NOT NULL,
    uid        TEXT NOT NULL,
    content    TEXT NOT NULL,
    attempts   INTEGER NOT NULL,
    reason     TEXT NOT NULL,
    refused_at TEXT NOT NULL,
    PRIMARY KEY (collection, uid)
);
CREATE TABLE IF NOT EXISTS cards (
    sha256      TEXT NOT NULL,
    card        INTEGER NOT NULL,
    uid         TEXT,
    path        TEXT NOT NULL,
    image       TEXT,
    meta        TEXT NOT NULL,
    confidence  TEXT NOT NULL DEFAULT '{}',
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (sha256, card)
);
CREATE INDEX IF NOT EXISTS cards_uid ON cards (uid);
CREATE TABLE IF NOT EXISTS decisions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    uid        TEXT NOT NULL,
    other      TEXT,
    kind       TEXT NOT NULL,
    detail     TEXT,
    before     TEXT NOT NULL DEFAULT '{}',
    after      TEXT NOT NULL DEFAULT '{}',
    session    TEXT,
    decided_at TEXT NOT NULL,
    undone_at  TEXT
);
CREATE INDEX IF NOT EXISTS decisions_uid ON decisions (uid);
"""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class PhotoRecord:
    sha256: str
    path: str
    size: int
    mtime: float
    outcome: str
    uids: tuple[str, ...]
    error: str | None
    plan: Any
    first_seen: str
    processed_at: str
    run_id: int | None


@dataclass(frozen=True)
class RunRecord:
    id: int
    started: str
    finished: str | None
    counts: dict[str, Any]
    exit_code: int | None


@dataclass(frozen=True)
class RemoteState:
    """A card as both sides last agreed on it (``etag`` None: deleted on the server)."""

    href: str
    uid: str | None
    etag: str | None
    content: str | None
    local: str | None = None
    #: the card's text when both sides last agreed (the base of a three-way merge)
    base: str | None = None


@dataclass(frozen=True)
class KeptCard:
    """A card kept for review: where it came from, what it went into, what was read."""

    sha256: str
    card: int
    uid: str | None
    path: str  # the photo, as last seen
    image: str | None  # the JPEG's file name in ``Ledger.cards_dir`` (None: none kept)
    meta: dict[str, Any]  # CardView.meta(): width, height, lines, fields, outline
    confidence: dict[str, float]
    recorded_at: str


@dataclass(frozen=True)
class DecisionRecord:
    """One decision made on the review page; ``before`` / ``after``: UID -> the vCard
    text of that contact (None: not in the book) around the decision."""

    id: int
    uid: str
    other: str | None
    kind: str
    detail: dict[str, Any]
    before: dict[str, str | None]
    after: dict[str, str | None]
    session: str | None
    decided_at: str
    undone_at: str | None


@dataclass(frozen=True)
class Refusal:
    """A card the server refused: its content then, how many times in a row, why."""

    uid: str
    content: str
    attempts: int
    reason: str


class Ledger:
    """The SQLite ledger.  Open with ``Ledger.open(path)``; use as a context manager."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path

    # -- opening ------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, threads: bool = False) -> Ledger:
        """``threads``: the connection may be used from other threads than this one (the
        caller makes sure only one at a time does: the review server's lock)."""
        p = Path(path).expanduser()
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(p, isolation_level=None, timeout=30,
                                   check_same_thread=not threads)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                conn.close()
                raise BookError(
                    f"{p}: ledger schema {version} is newer than this cardpipe ({SCHEMA_VERSION})",
                    hint="upgrade cardpipe",
                )
            with _transaction(conn):
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                columns = {r[1] for r in conn.execute("PRAGMA table_info(carddav)")}
                if "base" not in columns:  # a schema 1 ledger: no base texts yet
                    conn.execute("ALTER TABLE carddav ADD COLUMN base TEXT")
                conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except (sqlite3.Error, OSError) as exc:
            raise BookError(f"{p}: cannot open the ledger: {exc}") from exc
        return cls(conn, p)

    def close(self) -> None:
        self._conn.close()

    @property
    def cards_dir(self) -> Path:
        """The folder beside the ledger that holds the kept card images."""
        return self.path.with_name(self.path.stem + ".cards")

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Ledger]:
        """Group several writes into one atomic transaction."""
        with _transaction(self._conn):
            yield self

    # -- photos -------------------------------------------------------------------
    def is_done(self, sha256: str) -> bool:
        """True when this photo content needs no more work (ok or failed for good)."""
        row = self._conn.execute(
            "SELECT outcome FROM photos WHERE sha256 = ?", (sha256,)
        ).fetchone()
        return row is not None and row["outcome"] in ("ok", "failed")

    def photo(self, sha256: str) -> PhotoRecord | None:
        row = self._conn.execute("SELECT * FROM photos WHERE sha256 = ?", (sha256,)).fetchone()
        return _photo(row) if row else None

    def photos(self, outcome: str | None = None) -> list[PhotoRecord]:
        if outcome is None:
            rows = self._conn.execute("SELECT * FROM photos ORDER BY processed_at, sha256")
        else:
            rows = self._conn.execute(
                "SELECT * FROM photos WHERE outcome = ? ORDER BY processed_at, sha256", (outcome,)
            )
        return [_photo(r) for r in rows]

    def done_hashes(self) -> set[str]:
        """Every sha256 that needs no more work (one query, for big folders)."""
        rows = self._conn.execute("SELECT sha256 FROM photos WHERE outcome IN ('ok', 'failed')")
        return {r[0] for r in rows}

    def known_files(self) -> dict[str, tuple[int, float, str]]:
        """path -> (size, mtime, sha256) as last recorded (lets a run skip hashing files
        whose size and mtime did not change)."""
        rows = self._conn.execute(
            "SELECT path, size, mtime, sha256 FROM photos ORDER BY processed_at, rowid"
        )
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def record(
        self,
        sha256: str,
        *,
        path: str | Path,
        size: int,
        mtime: float,
        outcome: str,
        uids: Iterable[str] = (),
        error: str | None = None,
        plan: Any = None,
        run_id: int | None = None,
    ) -> None:
        """Insert or update one photo's row (keeps ``first_seen``)."""
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}, not {outcome!r}")
        now = _now()
        with _transaction(self._conn):
            self._conn.execute(
                """INSERT INTO photos (sha256, path, size, mtime, outcome, uids, error, plan,
                                       first_seen, processed_at, run_id)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (sha256) DO UPDATE SET
                       path = excluded.path, size = excluded.size, mtime = excluded.mtime,
                       outcome = excluded.outcome, uids = excluded.uids,
                       error = excluded.error, plan = excluded.plan,
                       processed_at = excluded.processed_at, run_id = excluded.run_id""",
                (
                    sha256,
                    str(path),
                    int(size),
                    float(mtime),
                    outcome,
                    json.dumps(list(uids)),
                    error,
                    json.dumps(plan) if plan is not None else None,
                    now,
                    now,
                    run_id,
                ),
            )

    # -- runs -----------------------------------------------------------------------
    def start_run(self) -> int:
        with _transaction(self._conn):
            cur = self._conn.execute("INSERT INTO runs (started) VALUES (?)", (_now(),))
        return int(cur.lastrowid or 0)

    def finish_run(
        self, run_id: int, *, counts: Mapping[str, Any] | None = None, exit_code: int = 0
    ) -> None:
        with _transaction(self._conn):
            self._conn.execute(
                "UPDATE runs SET finished = ?, counts = ?, exit_code = ? WHERE id = ?",
                (_now(), json.dumps(dict(counts or {}), sort_keys=True), exit_code, run_id),
            )

    def runs(self, limit: int | None = None) -> list[RunRecord]:
        sql = "SELECT * FROM runs ORDER BY id DESC"
        rows = self._conn.execute(sql + (f" LIMIT {int(limit)}" if limit else ""))
        return [
            RunRecord(r["id"], r["started"], r["finished"],
                      json.loads(r["counts"]) if r["counts"] else {}, r["exit_code"])
            for r in rows
        ]

    # -- CardDAV state --------------------------------------------------------------
    def remote_states(self, collection: str) -> dict[str, RemoteState]:
        """href -> state for one collection."""
        rows = self._conn.execute(
            "SELECT href, uid, etag, content, local, base FROM carddav WHERE collection = ?",
            (collection,),
        )
        return {
            r["href"]: RemoteState(r["href"], r["uid"], r["etag"], r["content"], r["local"],
                                   r["base"])
            for r in rows
        }

    def set_remote(
        self,
        collection: str,
        href: str,
        *,
        uid: str | None,
        etag: str | None,
        content: str | None,
        local: str | None = None,
        base: str | None = None,
    ) -> None:
        """Record what both sides now agree on; ``base``: that card's text (None: unknown,
        and a later edit on both sides is merged without a base)."""
        with _transaction(self._conn):
            self._conn.execute(
                """INSERT INTO carddav (collection, href, uid, etag, content, local, base,
                                        synced_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (collection, href) DO UPDATE SET
                       uid = excluded.uid, etag = excluded.etag, content = excluded.content,
                       local = excluded.local, base = excluded.base,
                       synced_at = excluded.synced_at""",
                (collection, href, uid, etag, content, local, base, _now()),
            )

    def collection_tokens(self, collection: str) -> tuple[str | None, str | None]:
        """The (sync-token, ctag) the collection had when every card of it was last known
        here; (None, None) when none was kept."""
        row = self._conn.execute(
            "SELECT sync_token, ctag FROM collections WHERE collection = ?", (collection,)
        ).fetchone()
        return (row["sync_token"], row["ctag"]) if row else (None, None)

    def set_collection_tokens(self, collection: str, sync_token: str | None,
                              ctag: str | None, *, url: str | None = None) -> None:
        """Keep the tokens, and ``url``: the configured URL the collection was found from."""
        with _transaction(self._conn):
            self._conn.execute(
                """INSERT INTO collections (collection, url, sync_token, ctag)
                   VALUES (?, ?, ?, ?)
                   ON CONFLICT (collection) DO UPDATE SET
                       url = coalesce(excluded.url, url),
                       sync_token = excluded.sync_token, ctag = excluded.ctag""",
                (collection, url, sync_token, ctag),
            )

    def collection_for(self, url: str) -> str | None:
        """The address book found from the configured ``url`` on the last run."""
        row = self._conn.execute(
            "SELECT collection FROM collections WHERE url = ? ORDER BY rowid DESC LIMIT 1",
            (url,)).fetchone()
        return row["collection"] if row else None

    def forget_remote(self, collection: str, href: str) -> None:
        with _transaction(self._conn):
            self._conn.execute(
                "DELETE FROM carddav WHERE collection = ? AND href = ?", (collection, href)
            )

    def refusals(self, collection: str) -> dict[str, Refusal]:
        """uid -> the server's last refusal of that card (cards it took have none)."""
        rows = self._conn.execute(
            "SELECT uid, content, attempts, reason FROM refused WHERE collection = ?",
            (collection,),
        )
        return {r["uid"]: Refusal(r["uid"], r["content"], r["attempts"], r["reason"])
                for r in rows}

    def refuse(self, collection: str, uid: str, *, content: str, reason: str) -> int:
        """Count one more refusal of this card; a changed card starts again at 1.
        Returns the count."""
        with _transaction(self._conn):
            row = self._conn.execute(
                "SELECT content, attempts FROM refused WHERE collection = ? AND uid = ?",
                (collection, uid),
            ).fetchone()
            attempts = row["attempts"] + 1 if row is not None and row["content"] == content else 1
            self._conn.execute(
                """INSERT INTO refused (collection, uid, content, attempts, reason, refused_at)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT (collection, uid) DO UPDATE SET
                       content = excluded.content, attempts = excluded.attempts,
                       reason = excluded.reason, refused_at = excluded.refused_at""",
                (collection, uid, content, attempts, reason, _now()),
            )
        return int(attempts)

    # -- cards kept for review ----------------------------------------------------------
    def keep_card(self, sha256: str, card: int, *, path: str | Path, uid: str | None,
                  jpeg: bytes | None, meta: Mapping[str, Any],
                  confidence: Mapping[str, float]) -> None:
        """Keep what the review page needs of one card (the image as a file beside the
        ledger, written atomically; the rest in the ``cards`` table)."""
        from ..book.files import atomic_write  # the book's writer: temp file, fsync, rename

        name = None
        if jpeg:
            name = f"{sha256[:2]}/{sha256}-{int(card)}.jpg"
            target = self.cards_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, jpeg)
        with _transaction(self._conn):
            self._conn.execute(
                """INSERT INTO cards (sha256, card, uid, path, image, meta, confidence,
                                      recorded_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (sha256, card) DO UPDATE SET
                       uid = excluded.uid, path = excluded.path,
                       image = coalesce(excluded.image, image), meta = excluded.meta,
                       confidence = excluded.confidence""",
                (sha256, int(card), uid, str(path), name, json.dumps(dict(meta)),
                 json.dumps({k: round(float(v), 4) for k, v in confidence.items()}), _now()))

    def set_card_uid(self, sha256: str, card: int, uid: str | None) -> None:
        """Say which contact a kept card is in now (a merge moves it)."""
        with _transaction(self._conn):
            self._conn.execute("UPDATE cards SET uid = ? WHERE sha256 = ? AND card = ?",
                               (uid, sha256, int(card)))

    def kept_cards(self, uid: str | None = None) -> list[KeptCard]:
        """The kept cards of contact ``uid`` (None: all), oldest first."""
        if uid is None:
            rows = self._conn.execute("SELECT * FROM cards ORDER BY recorded_at, rowid")
        else:
            rows = self._conn.execute(
                "SELECT * FROM cards WHERE uid = ? ORDER BY recorded_at, rowid", (uid,))
        return [_card(r) for r in rows]

    def card_image(self, sha256: str, card: int) -> bytes | None:
        """The JPEG kept for a card (None: none kept, or its file is gone)."""
        row = self._conn.execute("SELECT image FROM cards WHERE sha256 = ? AND card = ?",
                                 (sha256, int(card))).fetchone()
        if row is None or not row["image"]:
            return None
        try:
            return (self.cards_dir / row["image"]).read_bytes()
        except OSError:
            return None

    # -- review decisions ----------------------------------------------------------------
    def record_decision(self, kind: str, uid: str, *, other: str | None = None,
                        detail: Mapping[str, Any] | None = None,
                        before: Mapping[str, str | None] | None = None,
                        after: Mapping[str, str | None] | None = None,
                        session: str | None = None) -> int:
        """Record one review decision; returns its id."""
        if kind not in DECISIONS:
            raise ValueError(f"decision must be one of {DECISIONS}, not {kind!r}")
        with _transaction(self._conn):
            cur = self._conn.execute(
                """INSERT INTO decisions (uid, other, kind, detail, before, after, session,
                                          decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (uid, other, kind, json.dumps(dict(detail or {})),
                 json.dumps(dict(before or {})), json.dumps(dict(after or {})), session,
                 _now()))
        return int(cur.lastrowid or 0)

    def mark_undone(self, decision_id: int) -> None:
        with _transaction(self._conn):
            self._conn.execute("UPDATE decisions SET undone_at = ? WHERE id = ?",
                               (_now(), int(decision_id)))

    def decision(self, decision_id: int) -> DecisionRecord | None:
        row = self._conn.execute("SELECT * FROM decisions WHERE id = ?",
                                 (int(decision_id),)).fetchone()
        return _decision(row) if row else None

    def decisions(self, *, session: str | None = None,
                  include_undone: bool = False) -> list[DecisionRecord]:
        """Decisions in the order they were made (of one ``session``, else all)."""
        sql = "SELECT * FROM decisions WHERE 1=1"
        args: list[Any] = []
        if session is not None:
            sql += " AND session = ?"
            args.append(session)
        if not include_undone:
            sql += " AND undone_at IS NULL"
        return [_decision(r) for r in self._conn.execute(sql + " ORDER BY id", args)]

    def apart_pairs(self) -> set[frozenset[str]]:
        """Every pair of UIDs a person kept separate (and did not undo)."""
        rows = self._conn.execute(
            "SELECT uid, other FROM decisions WHERE kind = 'separate' AND undone_at IS NULL "
            "AND other IS NOT NULL")
        return {frozenset((r["uid"], r["other"])) for r in rows}

    def apart_for(self, contact: Any) -> set[str]:
        """The UIDs ``contact`` (a ``Contact``) must never be merged into: the partners of
        its own UID, and of the contacts its photo's cards went into before, in pairs kept
        separate.  The matcher's hook (``pipeline.merge_into_book(apart=...)``)."""
        pairs = self.apart_pairs()
        if not pairs:
            return set()
        selves = {contact.uid} if contact.uid else set()
        for source in contact.sources:
            if source.kind == "photo" and source.sha256:
                rows = self._conn.execute(
                    "SELECT uid FROM cards WHERE sha256 = ? AND uid IS NOT NULL",
                    (source.sha256,))
                selves.update(r["uid"] for r in rows)
        out: set[str] = set()
        for pair in pairs:
            if pair & selves:
                out.update(pair - selves)
        return out

    def clear_refusal(self, collection: str, uid: str) -> None:
        with _transaction(self._conn):
            self._conn.execute(
                "DELETE FROM refused WHERE collection = ? AND uid = ?", (collection, uid)
            )


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE ... COMMIT, nested calls join the outer transaction."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _photo(row: sqlite3.Row) -> PhotoRecord:
    return PhotoRecord(
        sha256=row["sha256"],
        path=row["path"],
        size=row["size"],
        mtime=row["mtime"],
        outcome=row["outcome"],
        uids=tuple(json.loads(row["uids"] or "[]")),
        error=row["error"],
        plan=json.loads(row["plan"]) if row["plan"] else None,
        first_seen=row["first_seen"],
        processed_at=row["processed_at"],
        run_id=row["run_id"],
    )


def _card(row: sqlite3.Row) -> KeptCard:
    return KeptCard(row["sha256"], int(row["card"]), row["uid"], row["path"], row["image"],
                    json.loads(row["meta"]), json.loads(row["confidence"] or "{}"),
                    row["recorded_at"])


def _decision(row: sqlite3.Row) -> DecisionRecord:
    return DecisionRecord(int(row["id"]), row["uid"], row["other"], row["kind"],
                          json.loads(row["detail"] or "{}"), json.loads(row["before"]),
                          json.loads(row["after"]), row["session"], row["decided_at"],
                          row["undone_at"])
