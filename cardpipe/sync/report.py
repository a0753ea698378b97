"""What a sync run did: ``SyncReport`` (summary lines, JSON) and the JSON-lines run log."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..errors import ExitCode, PartialFailure


@dataclass
class PhotoOutcome:
    path: str
    sha256: str
    outcome: str  # ok | failed
    uids: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()  # new | merged | review, per card
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "sha256": self.sha256, "outcome": self.outcome,
                "uids": list(self.uids), "decisions": list(self.decisions),
                "error": self.error}


@dataclass
class SyncReport:
    run_id: int | None = None
    dry_run: bool = False
    photos: list[PhotoOutcome] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    known: int = 0  # photos processed by an earlier run
    resumed: int = 0  # photos of an interrupted run, finished now
    pulled: list[tuple[str, str]] = field(default_factory=list)  # (uid, what happened)
    conflicts: list[tuple[str, str]] = field(default_factory=list)  # (uid, how it was merged)
    pushed: list[tuple[str, str]] = field(default_factory=list)  # (uid, created|updated)
    remote_problems: list[tuple[str, str]] = field(default_factory=list)  # (uid/href, reason)
    book_changed: bool = False
    book: str = ""
    carddav: str | None = None  # the address book URL

    # -- counts -------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        decisions = [d for p in self.photos for d in p.decisions]
        return {
            "photos_new": sum(1 for p in self.photos if p.outcome == "ok"),
            "photos_failed": sum(1 for p in self.photos if p.outcome == "failed"),
            "photos_known": self.known,
            "photos_resumed": self.resumed,
            "skipped": len(self.skipped),
            "contacts_new": decisions.count("new"),
            "contacts_merged": decisions.count("merged"),
            "contacts_review": decisions.count("review"),
            "pulled": len(self.pulled),
            "conflicts": len(self.conflicts),
            "pushed": len(self.pushed),
            "remote_problems": len(self.remote_problems),
        }

    @property
    def failures(self) -> int:
        """Photos that failed and cards that could not be synced."""
        c = self.counts()
        return int(c["photos_failed"]) + int(c["remote_problems"])

    @property
    def exit_code(self) -> ExitCode:
        """What the CLI exits with for this report (recorded in the ledger and the log):
        0, or 10 (``PartialFailure``) when some photo failed or a card was not synced."""
        return PartialFailure.exit_code if self.failures else ExitCode.OK

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "dry_run": self.dry_run,
            "book": self.book,
            "carddav": self.carddav,
            "book_changed": self.book_changed,
            "counts": self.counts(),
            "exit_code": self.exit_code,
            "photos": [p.to_dict() for p in self.photos],
            "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
            "pulled": [{"uid": u, "what": w} for u, w in self.pulled],
            "conflicts": [{"uid": u, "what": w} for u, w in self.conflicts],
            "pushed": [{"uid": u, "what": w} for u, w in self.pushed],
            "remote_problems": [{"card": u, "reason": r} for u, r in self.remote_problems],
        }

    def summary_lines(self) -> list[str]:
        """The human summary (the CLI prints it on stderr)."""
        c = self.counts()
        head = "dry run, nothing written: " if self.dry_run else ""
        lines = [
            f"{head}{c['photos_new']} new photo(s): {c['contacts_new']} new contact(s), "
            f"{c['contacts_merged']} merged, {c['contacts_review']} for review; "
            f"{c['photos_failed']} failed; {c['photos_known']} already processed"
            + (f"; {c['photos_resumed']} finished from an interrupted run" if c["photos_resumed"]
               else "")
        ]
        if self.carddav:
            lines.append(
                f"CardDAV: {c['pulled']} change(s) pulled, {c['conflicts']} merged from both "
                f"sides, {c['pushed']} card(s) pushed"
            )
        lines.append(f"book {'updated' if self.book_changed else 'unchanged'}: {self.book}")
        for p in self.photos:
            if p.outcome == "failed":
                lines.append(f"  failed: {p.path}: {p.error}")
        for path, reason in self.skipped:
            lines.append(f"  skipped: {path}: {reason}")
        for uid, what in self.conflicts:
            lines.append(f"  changed on both sides, merged: {uid}: {what}")
        for uid, reason in self.remote_problems:
            lines.append(f"  not synced: {uid}: {reason}")
        return lines


class RunLog:
    """Appends one JSON object per line to ``path`` (``None``: does nothing).

    Lines carry a timestamp, the run id and an ``event`` name; never a credential.
    """

    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path).expanduser() if path else None
        self.run_id: int | None = None
        self._file: IO[str] | None = None

    def __call__(self, event: str, /, **data: Any) -> None:
        if self.path is None:
            return
        if self._file is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = open(self.path, "a", encoding="utf-8")  # noqa: SIM115
        record = {"ts": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                  "run": self.run_id, "pid": os.getpid(), **data, "event": event}
        self._file.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
