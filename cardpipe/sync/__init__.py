"""``cardpipe sync``: the nightly job — incremental, idempotent, crash-safe, synced.

One run, in this order (each step only reads until the book is saved):

1. take the run lock (a second run exits at once: ``LockedError``, exit 7);
2. load the book; finish the merge plans of a run that was killed (``pending`` photos
   in the ledger: their scanned contacts and targets are there, no OCR again);
3. pull the CardDAV server's changes into the book (an unreachable server or refused
   credentials stop the run here, with the book untouched);
4. find new photos (unknown sha256), scan them, merge them into the book, and write
   the merge plan to the ledger as ``pending``;
5. save the book atomically (only if something changed: a run with nothing new leaves
   its bytes alone);
6. in one ledger transaction: the photos' outcomes and UIDs, the pulled cards' state;
7. push changed cards, recording each right after its PUT;
8. rewrite the configured ``ics`` file of open follow-ups when it changed.

Why a SIGKILL anywhere is harmless: before 4's plan is written, the next run does the
work again from scratch; between the plan and 6, it re-applies the plan — merging a
scanned contact into its recorded target again changes nothing (the merge is a union
and the "Met at" note is idempotent), and a "new" contact is added under its recorded
UID only if it is not there yet; after 6 only pushes are left, and a PUT whose answer
was lost is recognised by content on the next pull.  So no contact is lost or
duplicated, and the book on disk is always a complete file (atomic rename).

For the tests that prove it, ``CARDPIPE_SYNC_PAUSE_AT=<checkpoint>`` makes the process
stop at a named checkpoint (``scanned``, ``planned``, ``saved``, ``recorded``, and
``put-sent``: after the first PUT, before the ledger records it) after writing the name
to ``CARDPIPE_SYNC_PAUSE_FILE``, until killed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import pipeline
from ..book import Book
from ..errors import CardpipeError, exit_code_for
from .bookview import BookView
from .carddav import CardDAVClient
from .config import Config
from .ledger import Ledger
from .lock import RunLock, lock_path_for
from .photos import Found, find_photos
from .remote import Remote
from .report import PhotoOutcome, RunLog, SyncReport

__all__ = ["sync", "SyncReport", "CHECKPOINTS"]

CHECKPOINTS = ("scanned", "planned", "saved", "recorded", "put-sent")
PAUSE_ENV = "CARDPIPE_SYNC_PAUSE_AT"
PAUSE_FILE_ENV = "CARDPIPE_SYNC_PAUSE_FILE"


def sync(
    config: Config,
    *,
    dry_run: bool = False,
    log: str | Path | None = None,
    engine: Any = None,
    model: Any = None,
    progress: pipeline.Progress | None = None,
    now: dt.datetime | None = None,
) -> SyncReport:
    """Run the nightly job once (see the module docstring).

    ``log``: a JSON-lines run log file (default ``config.log_file``).  ``engine`` /
    ``model``: the OCR engine and match model (defaults: the configured engine, the
    shipped model).
    Raises ``LockedError`` (7), ``ConfigError`` (6), ``ServerError`` (8),
    ``AuthError`` (9), ``BookError`` (4), ``TesseractNotFound`` (5); per-photo and
    per-card problems are in the report (``report.exit_code`` is then 10).
    """
    runlog = RunLog(log if log is not None else config.log_file)
    lock = RunLock(lock_path_for(config.ledger))
    lock.acquire()
    try:
        with Ledger.open(config.ledger) as ledger:
            run_id = None if dry_run else ledger.start_run()
            runlog.run_id = run_id
            runlog("start", dry_run=dry_run, book=str(config.book),
                   carddav=config.carddav.url if config.carddav else None)
            if lock.taken_over is not None:  # its holder was gone (see sync.lock)
                runlog("lock_taken_over", holder=lock.taken_over.describe())
            try:
                report = _Run(config, ledger, runlog, dry_run=dry_run, engine=engine,
                              model=model, progress=progress, now=now).go()
            except CardpipeError as exc:
                runlog("error", message=exc.one_line(), exit_code=exc.exit_code)
                if run_id is not None:
                    ledger.finish_run(run_id, counts={"error": exc.one_line()},
                                      exit_code=exc.exit_code)
                raise
            except BaseException as exc:
                # A bug or Ctrl-C: still close the run and say why, then let it propagate
                # (the CLI edge maps it to its exit code).  Recording must not hide it.
                message = " ".join(f"{type(exc).__name__}: {exc}".split())[:500]
                code = int(exit_code_for(exc))
                with contextlib.suppress(Exception):
                    runlog("error", message=message, exit_code=code)
                if run_id is not None:
                    with contextlib.suppress(Exception):
                        ledger.finish_run(run_id, counts={"error": message}, exit_code=code)
                raise
            report.run_id = run_id
            runlog("summary", **report.to_dict())
            if run_id is not None:
                ledger.finish_run(run_id, counts=report.counts(), exit_code=report.exit_code)
            return report
    finally:
        runlog.close()
        lock.release()


class _Run:
    def __init__(self, config: Config, ledger: Ledger, log: RunLog, *, dry_run: bool,
                 engine: Any, model: Any, progress: pipeline.Progress | None,
                 now: dt.datetime | None) -> None:
        self.config = config
        self.ledger = ledger
        self.log = log
        self.dry_run = dry_run
        self.engine = engine
        self.model = model
        self.progress = progress
        self.now = now
        self.report = SyncReport(dry_run=dry_run, book=str(config.book))
        self._failed: list[tuple[Found, str]] = []

    def go(self) -> SyncReport:
        book = _load_book(self.config)
        view = BookView(book)
        resumed = self._resume(view)
        with self._remote() as remote:
            if remote is not None:
                view.ensure_uids()  # every card has a UID before it is compared or uploaded
            writes = remote.pull(view) if remote else []
            plans = self._photos(view)
            _checkpoint("scanned")
            if plans and not self.dry_run:
                with self.ledger.transaction():
                    for found, plan in plans:
                        self.ledger.record(found.sha256, path=found.path, size=found.size,
                                           mtime=found.mtime, outcome="pending", plan=plan,
                                           run_id=self.log.run_id)
            _checkpoint("planned")
            self.report.book_changed = view.changed
            if view.changed and not self.dry_run:
                book.save()
                self.log("book_saved", path=str(self.config.book))
            _checkpoint("saved")
            if not self.dry_run:
                self._record(resumed, plans)
                if remote is not None:
                    remote.record(writes)
            _checkpoint("recorded")
            if remote is not None:
                remote.push(view, dry_run=self.dry_run, checkpoint=_checkpoint,
                            pulled=writes)
                if not self.dry_run:
                    remote.finish()
        self._write_ics(book)
        return self.report

    def _write_ics(self, book: Book) -> None:
        """Rewrite the configured .ics of open follow-ups (only when it changed), so a
        calendar subscribed to it stays current."""
        if self.config.ics is None or self.dry_run:
            return
        from ..followup import write_ics

        if write_ics(book, self.config.ics):
            self.log("ics_written", path=str(self.config.ics))

    # -- CardDAV ----------------------------------------------------------------------
    @contextlib.contextmanager
    def _remote(self) -> Iterator[Remote | None]:
        dav = self.config.carddav
        if dav is None:
            yield None
            return
        username, password = dav.credentials()
        with CardDAVClient(dav.url, username=username, password=password,
                           verify=dav.verify_tls, timeout=dav.timeout) as client:
            yield Remote(client, self.ledger, self.report, self.log)

    # -- photos ------------------------------------------------------------------------
    def _resume(self, view: BookView) -> list[Any]:
        """Re-apply the merge plans of an interrupted run (idempotent)."""
        pending = self.ledger.photos("pending")
        for record in pending:
            for item in record.plan or []:
                view.apply_plan(pipeline.Plan.from_dict(item), now=self.now,
                                followup_after=self.config.followup_after)
            self.log("resumed", path=record.path, sha256=record.sha256)
        self.report.resumed = len(pending)
        return pending

    def _photos(self, view: BookView) -> list[tuple[Found, list[dict[str, Any]]]]:
        found = find_photos(self.config, self.ledger,
                            now=self.now.timestamp() if self.now else time.time())
        self.report.skipped.extend(found.skipped)
        self.report.known = found.known
        for path, reason in found.skipped:
            self.log("skipped", path=path, reason=reason)
        if not found.new:
            return []
        by_path = {str(f.path): f for f in found.new}
        results: dict[str, list[pipeline.ScanResult]] = {}
        with _executor(self.config) as executor:
            for result in pipeline.scan_paths(list(by_path), jobs=self.config.jobs,
                                              engine=self.engine or self.config.engine,
                                              region=self.config.region,
                                              lang=self.config.lang, progress=self.progress,
                                              attach_photo=self.config.attach_photo,
                                              keep_cards=not self.dry_run,
                                              executor=executor):
                results.setdefault(result.source, []).append(result)
        incoming: list[tuple[Found, pipeline.Incoming]] = []
        read: list[pipeline.ScanResult] = []  # the scan result of each incoming item
        failed: dict[str, str] = {}
        for path, f in by_path.items():
            scans = results.get(path, [])
            good = [r for r in scans if r.ok and r.contact is not None
                    and not r.contact.is_empty()]
            if not good:
                errors = [r.error for r in scans if r.error]
                failed[path] = errors[0] if errors else "no contact details found on the photo"
                continue
            event = self.config.event_for(f.path, f.watch)
            for r in good:
                assert r.contact is not None
                incoming.append((f, pipeline.Incoming(path, r.contact, event, r.taken_on)))
                read.append(r)
        merged = pipeline.merge_into_book(view.book, [i for _, i in incoming], model=self.model,
                                          now=self.now, apart=self.ledger.apart_for,
                                          followup_after=self.config.followup_after)
        if not self.dry_run:  # what the review page shows of each card, days later
            for r, row in zip(read, merged.rows, strict=True):
                pipeline.keep_card(self.ledger, r, row.into)
        plans: dict[str, list[dict[str, Any]]] = {}
        outcomes: dict[str, PhotoOutcome] = {}
        for (f, item), row in zip(incoming, merged.rows, strict=True):
            plans.setdefault(str(f.path), []).append(row.plan.to_dict())
            out = outcomes.setdefault(str(f.path), PhotoOutcome(str(f.path), f.sha256, "ok"))
            out.uids = (*out.uids, row.into or "")
            out.decisions = (*out.decisions, row.decision)
            self.log("photo", path=str(f.path), sha256=f.sha256, decision=row.decision,
                     into=row.into, met_at=item.event, met_on=item.met_on)
        for path, f in by_path.items():
            if path in failed:
                self.report.photos.append(PhotoOutcome(path, f.sha256, "failed",
                                                       error=failed[path]))
                self.log("photo_failed", path=path, sha256=f.sha256, error=failed[path])
            else:
                self.report.photos.append(outcomes[path])
        self._failed = [(by_path[p], e) for p, e in failed.items()]
        return [(by_path[p], plan) for p, plan in plans.items()]

    def _record(self, resumed: list[Any], plans: list[tuple[Found, list[dict[str, Any]]]]
                ) -> None:
        run_id = self.log.run_id
        with self.ledger.transaction():
            for record in resumed:
                uids = [item.get("into") for item in record.plan or [] if item.get("into")]
                self.ledger.record(record.sha256, path=record.path, size=record.size,
                                   mtime=record.mtime, outcome="ok", uids=uids, run_id=run_id)
            for found, plan in plans:
                uids = [item["into"] for item in plan if item.get("into")]
                self.ledger.record(found.sha256, path=found.path, size=found.size,
                                   mtime=found.mtime, outcome="ok", uids=uids, run_id=run_id)
            for found, error in self._failed:
                self.ledger.record(found.sha256, path=found.path, size=found.size,
                                   mtime=found.mtime, outcome="failed", error=error,
                                   run_id=run_id)


def _executor(config: Config) -> Any:
    """The config's Dask cluster for a ``with`` block (None: the process pool)."""
    if not config.scheduler:
        return contextlib.nullcontext(None)
    from .. import cluster

    return cluster.maybe_connect(config.scheduler)


def _load_book(config: Config) -> Book:
    """The book; a missing one is a new empty book (a vdir unless the name ends in .vcf)."""
    location = config.book
    kind = None
    if not location.exists():
        kind = "file" if location.suffix.lower() == ".vcf" else "vdir"
    return pipeline.load_book(location, kind=kind)  # as ``run`` reads it (issue 14/22)


def _checkpoint(name: str) -> None:
    """Test hook: stop here until killed when $CARDPIPE_SYNC_PAUSE_AT names this point."""
    if os.environ.get(PAUSE_ENV) != name:
        return
    marker = os.environ.get(PAUSE_FILE_ENV)
    if marker:
        Path(marker).write_text(name, encoding="utf-8")
    while True:  # pragma: no cover - ended by SIGKILL
        time.sleep(3600)

