"""Run the stages over a batch: photos -> OCR pages -> contacts -> decisions -> book.

Two composable steps, both callable from Python with the CLI's option names:

* ``scan_paths`` turns photos into ``ScanResult`` items (one per card found), in
  worker processes, never stopping the batch for one bad photo;
* ``merge_into_book`` matches incoming contacts against a ``Book`` (and against each
  other), decides a ``Plan`` for each (merge into a contact, add, add for review),
  applies it with ``apply_plan`` and returns a ``MergeReport`` that says why.

``apply_plan`` is idempotent: the nightly job records its plans before it saves the book
and replays them after a crash (``cardpipe.sync``).

The executor is a parameter (``jobs`` picks a process pool; any
``concurrent.futures.Executor`` can be passed, or a ``PhotoExecutor`` such as
``cardpipe.cluster``'s Dask executor, which ships photos as bytes and streams results).
"""

from __future__ import annotations

import ctypes
import dataclasses
import datetime as dt
import functools
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from . import match, merge, vcard
from .book import Book, export
from .contact import CONFIDENCE_FIELDS, Contact, Source, fold
from .errors import BookError, CardpipeError, InputError
from .scan import cardview, engines, images, inputs, reader, readings, thumbnail
from .scan.engines import Engine
from .scan.page import OcrPage

if TYPE_CHECKING:  # sync imports this module
    from .sync.ledger import Ledger

LOW_CONFIDENCE = 0.5

Progress = Callable[[int, int], None]  # (done, total)


@dataclass(frozen=True)
class ScanOptions:
    """What a worker needs to scan one photo (picklable)."""

    lang: str | None = None  # e.g. "eng+deu" (Tesseract); None: the engine's default
    engine: str | None = None  # an engines.ENGINES name; None: tesseract with lang, else default
    region: str | None = None  # default phone region, e.g. "DE"
    debug_dir: str | None = None
    attach_photo: bool = False  # give each contact the card image as a small JPEG photo
    keep_cards: bool = False  # make each card's CardView (its image and lines, for review)


@dataclass(frozen=True)
class ScanResult:
    """One card read from one photo, or one photo that failed."""

    source: str
    ok: bool
    contact: Contact | None = None
    text: str = ""
    warnings: tuple[str, ...] = ()
    error: str | None = None
    sha256: str | None = None
    card: int = 0  # index of the card within the photo
    cards: int = 1  # cards found in the photo
    taken_on: str | None = None  # ISO date: EXIF date, else the file's modification date
    #: the card image and its OCR lines for the review page (``keep_cards``), else None
    view: cardview.CardView | None = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        """The stable JSON line of ``cardpipe scan``."""
        if not self.ok or self.contact is None:
            return {"source": self.source, "ok": False, "error": self.error}
        out: dict[str, Any] = {
            "source": self.source,
            "ok": True,
            "contact": self.contact.to_scan_dict(),
            "confidence": {
                k: round(float(v), 3)
                for k, v in self.contact.confidence.items()
                if k in CONFIDENCE_FIELDS
            },
            "text": self.text,
            "warnings": list(self.warnings),
        }
        if self.cards > 1:
            out["card"] = self.card
        if self.contact.photo is not None:  # only with attach_photo: ~80 KB of base64
            out["photo"] = self.contact.photo.to_dict()
        return out

    def to_cache(self) -> dict[str, Any]:
        """What the reading cache keeps of a card read (``from_cache`` makes it back)."""
        assert self.ok and self.contact is not None
        return {"contact": self.contact.to_dict(), "text": self.text,
                "warnings": list(self.warnings), "card": self.card, "cards": self.cards}

    @classmethod
    def from_cache(cls, d: Mapping[str, Any], path: Path, sha256: str) -> ScanResult:
        """A result stored by ``to_cache`` for the photo now at ``path`` (it may have been
        read under another name: the contact's photo source names this one)."""
        source = str(path)
        contact = Contact.from_dict(d["contact"])
        contact = contact.replace(sources=tuple(
            dataclasses.replace(s, path=source) if s.kind == "photo" and s.sha256 == sha256
            else s for s in contact.sources))
        return cls(source, True, contact, text=d.get("text") or "",
                   warnings=tuple(d.get("warnings") or ()), sha256=sha256,
                   card=int(d.get("card") or 0), cards=int(d.get("cards") or 1),
                   taken_on=_taken_on(path))


@runtime_checkable
class PhotoExecutor(Protocol):
    """An executor that takes the photos themselves (``cardpipe.cluster.DaskExecutor``):
    one list of results per photo, in the order given; it makes its own OCR engine from
    ``options`` where it reads."""

    def scan_photos(self, photos: Sequence[Path], options: ScanOptions,
                    shas: Sequence[str | None]) -> Iterator[list[ScanResult]]: ...

    def merge_into_book(self, book: Book, incoming: Iterable[Incoming],
                        **kwargs: Any) -> MergeReport:
        """``pipeline.merge_into_book`` as this executor runs it (where the book lives)."""
        ...


def collect_photos(paths: Iterable[str | Path]) -> tuple[list[Path], list[ScanResult]]:
    """The photo files ``paths`` name (folders walked as ``scan.inputs`` says), and a
    failed result for each path that cannot be taken, so the batch goes on."""
    photos, problems = inputs.collect_photos(paths)
    return photos, [ScanResult(source, False, error=error) for source, error in problems]


def _nothing_to_read(problems: Sequence[ScanResult]) -> InputError:
    if not problems:
        return InputError("nothing to read", "no photos")
    reasons = [r.error or r.source for r in problems]
    shown = "; ".join(reasons[:3]) + (f"; and {len(reasons) - 3} more" if len(reasons) > 3
                                      else "")
    first = problems[0].source if len(problems) == 1 else "nothing to read"
    reason = reasons[0].removeprefix(f"{first}: ") if len(problems) == 1 else shown
    return InputError(first, reason)


def _taken_on(path: Path) -> str:
    date = images.photo_date(path)
    if date is None:
        date = dt.datetime.fromtimestamp(path.stat().st_mtime).date()
    return date.isoformat()


def warnings_for(contact: Contact) -> tuple[str, ...]:
    """What a user should double-check on a parsed card."""
    out = []
    if not contact.full_name:
        out.append("no name found")
    if not contact.emails and not contact.phones:
        out.append("no email or phone found")
    for name in CONFIDENCE_FIELDS:
        value = contact.confidence.get(name)
        if value is not None and value < LOW_CONFIDENCE:
            out.append(f"low confidence in {name} ({value:.2f})")
    return tuple(out)


def scan_photo(
    path: str | Path, options: ScanOptions = ScanOptions(), engine: Engine | None = None,
    sha256: str | None = None,
) -> list[ScanResult]:
    """Scan one photo into one result per card; any failure becomes a failed result.
    ``sha256``: the photo's, when the caller has just hashed it."""
    from . import parse  # imported here: parse loads its dictionaries once per process

    source = str(path)
    p = Path(path)
    try:
        sha = sha256 or inputs.file_sha256(p)
        image = images.load_image(p)
        debug = Path(options.debug_dir) / p.stem if options.debug_dir else None
        if engine is None:
            engine = engine_for(options.engine, options.lang)
        pages = reader.read_image(image, engine=engine, debug_dir=debug)
        taken_on = _taken_on(p)
        results = []
        for i, page in enumerate(pages):
            contact = parse.parse_page(page, region=options.region)
            src = Source(kind="photo", path=source, sha256=sha,
                         detail=f"card {i + 1} of {len(pages)}" if len(pages) > 1 else None)
            contact = contact.replace(sources=(*contact.sources, src))
            warnings = warnings_for(contact)
            if options.attach_photo:
                contact, problem = _with_card_photo(contact, page)
                warnings += (problem,) if problem else ()
            view = cardview.card_view(page, contact) if options.keep_cards else None
            results.append(
                ScanResult(source, True, contact, text=page.text, warnings=warnings,
                           sha256=sha, card=i, cards=len(pages), taken_on=taken_on,
                           view=view)
            )
        return results
    except CardpipeError as exc:
        return [ScanResult(source, False, error=exc.one_line())]
    except OSError as exc:
        return [ScanResult(source, False, error=f"{source}: {exc.strerror or exc}")]
    except Exception as exc:  # a bug or a library failure on one photo never stops the batch
        return [ScanResult(source, False, error=f"{source}: unexpected {type(exc).__name__}: {exc}")]


def check_engine(engine: str | None, lang: str | None) -> str | None:
    """The engine name that ``engine`` and ``lang`` ask for: ``lang`` alone means Tesseract
    (the only engine told a language), nothing means the default. Raises ``ValueError``
    for an unknown name or a language given to RapidOCR, which reads Latin script in any
    of them."""
    if engine is not None and engine not in engines.ENGINES:
        raise ValueError(f"unknown OCR engine {engine!r} "
                         f"(choose from {', '.join(engines.ENGINES)})")
    if lang and engine == "rapidocr":
        raise ValueError("--lang chooses Tesseract's languages; the rapidocr engine reads "
                         "Latin script in any language (use --engine tesseract or cascade)")
    return engine or ("tesseract" if lang else None)


def check_region(region: str | None) -> str | None:
    """``region`` as a phone region code (upper case), or None for none. Raises
    ``ValueError`` for a code that ``phonenumbers`` does not know (``XX``, ``EU``,
    ``DEU``): numbers would be read without one, silently."""
    if region is None:
        return None
    import phonenumbers

    code = region.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"{region!r} is not a phone region: use a two-letter country code "
                         "such as US, DE or GB")
    return code


@functools.lru_cache(maxsize=4)
def engine_for(engine: str | None, lang: str | None) -> Engine | None:
    """The engine a worker reads with (one per process and setting); None: the default."""
    name = check_engine(engine, lang)
    return None if name is None else engines.make_engine(name, lang=lang)


def _with_card_photo(contact: Contact, page: OcrPage) -> tuple[Contact, str | None]:
    """The contact with the card image as its photo, or unchanged and the reason why.

    Made here, in the worker: only the small JPEG crosses to the parent process.
    """
    if page.image is None:
        return contact, "no card image to attach as a photo"
    try:
        return contact.replace(photo=thumbnail.card_photo(page.image)), None
    except ValueError as exc:
        return contact, f"no photo attached: {exc}"


def _limit_threads() -> None:
    # Tesseract's OpenMP threads fight with our processes for the cores.
    os.environ["OMP_THREAD_LIMIT"] = "1"


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
#: how often a worker looks whether its parent is still there (the portable fallback)
PARENT_WATCH_SECONDS = 0.5


def _init_worker(parent: int, forked_by_main_thread: bool) -> None:
    """Set up a worker process of the scan pool.

    * Ctrl-C is the parent's to handle: a terminal sends SIGINT to the whole process
      group, and a worker that took it would die mid-photo (or, inside some OCR library,
      swallow it) while the parent waits; the parent cancels the work and ends the pool.
    * A worker dies with its parent, however the parent ends (SIGKILL too): otherwise it
      stays, some 250 MB, waiting forever on a queue nobody writes to.  On Linux the
      kernel sends it SIGKILL (``PR_SET_PDEATHSIG``; only when the pool was started by
      the main thread, since the signal comes when the forking *thread* ends: a fork
      pool starts all its workers at the first submit, in the thread that made it, and
      without ``max_tasks_per_child`` never starts another); everywhere
      a thread watches the parent pid and exits the process when the worker is orphaned.
    """
    _limit_threads()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if forked_by_main_thread and sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the watch does it
            pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="cardpipe-parent-watch",
                     daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_WATCH_SECONDS)
    os._exit(1)  # orphaned: nobody reads what this worker would send


def _stop_pool(executor: ProcessPoolExecutor) -> None:
    """End a pool now: cancel the photos not started, terminate the workers (they ignore
    SIGINT; SIGTERM, then SIGKILL for one that is still there after a second)."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    manager = getattr(executor, "_executor_manager_thread", None)
    executor.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        proc.terminate()
    deadline = time.monotonic() + 1.0
    for proc in processes:
        proc.join(max(0.0, deadline - time.monotonic()))
        if proc.is_alive():  # pragma: no cover - a worker stuck in the kernel
            proc.kill()
            proc.join(1.0)
    if manager is not None:
        # The pool's own thread sees its workers gone and closes its pipes; waiting for it
        # keeps the interpreter's exit hook from writing to a pipe it closed.
        manager.join(1.0)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def scan_paths(
    paths: Sequence[str | Path],
    *,
    jobs: int | None = None,
    engine: Engine | str | None = None,
    region: str | None = None,
    lang: str | None = None,
    debug_dir: str | Path | None = None,
    progress: Progress | None = None,
    executor: Executor | PhotoExecutor | None = None,
    attach_photo: bool = False,
    require_photos: bool = False,
    cache: readings.ReadingCache | None = None,
    keep_cards: bool = False,
) -> Iterator[ScanResult]:
    """Scan photos and folders of photos; results come in input order.

    ``engine``: an OCR engine object, or the name of one (``engines.ENGINES``; each worker
    process then makes its own); with neither ``engine`` nor ``lang`` the default engine.

    ``attach_photo``: each contact gets the card image as a JPEG ``photo`` of at most
    ``thumbnail.MAX_BYTES`` (made in the worker that read the card).

    ``keep_cards``: each result read carries its ``view`` (the card image and OCR lines
    that ``Ledger.keep_card`` keeps for the review page; a cached reading has none).

    ``require_photos``: when ``paths`` name no photo at all (every one missing, a folder
    without photos ...), raise ``InputError`` (exit 3) instead of yielding only failures
    (the command line's choice: nothing to do is an error there, not a partial success).

    ``executor``: where the photos are read (default: a process pool of ``jobs``); a
    ``PhotoExecutor`` (a cluster) is given the photos themselves and needs ``engine`` as
    a name, not an object.

    ``cache``: a ``readings.ReadingCache``: a photo whose content (sha256) was read
    before with the same settings gives its stored results and is not read again; the
    others are read and stored (a failed photo is not stored: it is tried again next
    time). Not used with ``debug_dir``.

    Raises ``DependencyError`` (``TesseractNotFound``) before any work when the engine
    named cannot run here; every other problem is a failed ``ScanResult`` and the batch
    goes on.
    """
    engine_obj: Engine | None
    if engine is None or isinstance(engine, str):
        name, engine_obj = check_engine(engine, lang), None
        engines.check_engine(name or engines.DEFAULT_ENGINE)
    else:
        name, engine_obj = None, engine
    photos, missing = collect_photos(paths)
    if require_photos and paths and not photos:
        raise _nothing_to_read(missing)
    yield from missing
    options = ScanOptions(lang=lang, engine=name, region=region,
                          debug_dir=str(debug_dir) if debug_dir else None,
                          attach_photo=attach_photo, keep_cards=keep_cards)
    if debug_dir:  # the intermediate images are wanted: read every photo
        cache = None
    key = "" if cache is None else readings.reading_key(
        _engine_label(name, engine_obj), lang=lang, region=region, attach_photo=attach_photo)
    shas: list[str | None] = [None] * len(photos)
    stored: dict[int, list[ScanResult]] = {}
    if cache is not None:
        for i, p in enumerate(photos):
            shas[i] = cache.sha256(p)
            sha = shas[i]
            kept = cache.get(sha, key) if sha else None
            if kept is not None and sha is not None:
                try:
                    stored[i] = [ScanResult.from_cache(d, p, sha) for d in kept]
                except (KeyError, TypeError, ValueError):  # a reading we cannot use
                    cache.hits -= 1
    todo = [i for i in range(len(photos)) if i not in stored]
    total = len(photos)
    if progress:
        progress(0, total)
    jobs = default_jobs() if jobs is None else max(1, jobs)
    own_executor = None
    if executor is None and jobs > 1 and len(todo) > 1:
        forked_by_main = threading.current_thread() is threading.main_thread()
        own_executor = executor = ProcessPoolExecutor(
            max_workers=min(jobs, len(todo)), initializer=_init_worker,
            initargs=(os.getpid(), forked_by_main),
        )
    try:
        batches: Iterator[list[ScanResult]]
        if executor is None:
            if todo:
                _limit_threads()
            batches = (scan_photo(photos[i], options, engine_obj, shas[i]) for i in todo)
        elif isinstance(executor, PhotoExecutor):
            if engine_obj is not None:
                raise ValueError("a cluster makes its OCR engine where it reads: give the "
                                 "engine's name, not an engine object")
            batches = executor.scan_photos([photos[i] for i in todo], options,
                                           [shas[i] for i in todo])
        else:
            batches = iter(executor.map(scan_photo, [photos[i] for i in todo],
                                        [options] * len(todo), [engine_obj] * len(todo),
                                        [shas[i] for i in todo]))
        for done, i in enumerate(range(total), 1):
            if i in stored:
                batch = stored[i]
            else:
                batch = next(batches)
                sha = shas[i]
                if cache is not None and sha and batch and all(r.ok for r in batch):
                    cache.put(sha, key, [r.to_cache() for r in batch])
            yield from batch
            if progress:
                progress(done, total)
    except BaseException:
        # Ctrl-C (KeyboardInterrupt), or the caller stopped reading: do not wait for the
        # photos in progress, end the workers now (nothing of theirs is used).
        if own_executor is not None:
            _stop_pool(own_executor)
        raise
    finally:
        if own_executor is not None:
            own_executor.shutdown(cancel_futures=True)


def _engine_label(name: str | None, engine: Engine | None) -> str:
    """The engine as the reading cache's key names it."""
    if engine is None:
        return name or engines.DEFAULT_ENGINE
    cls = type(engine)
    return f"{cls.__module__}.{cls.__qualname__}:{engine.name}"


# -- matching and merging into a book -------------------------------------------


@dataclass(frozen=True)
class Incoming:
    """A contact on its way into a book, with where and when it was met."""

    source: str
    contact: Contact
    event: str | None = None
    met_on: str | None = None
    card: str | None = None  # the vCard text it was read from (``merge``), else None


@dataclass(frozen=True)
class Plan:
    """Where one incoming contact goes in a book, as the matcher decided: merged into the
    contact ``into``, or added (``new``, or ``review`` when the matcher was unsure) under
    the UID ``into`` (None until it is added). Plain data (``to_dict``), so that the
    nightly job can record it before it saves the book and replay it after a crash.
    ``card``: the vCard text the contact was read from, whose properties that no Contact
    field holds (BDAY, X- ...) go into the book with it."""

    contact: Contact
    decision: str  # new | merged | review
    into: str | None = None
    reasons: tuple[str, ...] = ()
    score: float = 0.0
    event: str | None = None  # where the person was met
    met_on: str | None = None  # when (ISO date)
    card: str | None = None  # the vCard it was read from

    def to_dict(self) -> dict[str, Any]:
        d = {"contact": self.contact.to_dict(), "event": self.event, "met_on": self.met_on,
             "decision": self.decision, "into": self.into, "reasons": list(self.reasons),
             "score": round(self.score, 3)}
        if self.card is not None:
            d["card"] = self.card
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Plan:
        return cls(Contact.from_dict(d["contact"]), d.get("decision") or "new", d.get("into"),
                   tuple(d.get("reasons") or ()), float(d.get("score") or 0.0),
                   d.get("event"), d.get("met_on"), d.get("card"))

    def source_card(self, region: str | None = None) -> vcard.Card | None:
        """The vCard the contact was read from, as a ``Card`` (None: not from a vCard)."""
        if self.card is None:
            return None
        cards = vcard.read_vcards(self.card, source="<incoming>", region=region)
        return cards[0] if len(cards) == 1 and cards[0].ok else None


#: the first follow-up after a meeting is due this long after it (config followup_after)
FOLLOWUP_AFTER = dt.timedelta(hours=24)


def apply_plan(book: Book, plan: Plan, *, now: dt.datetime | None = None,
               followup_after: dt.timedelta | None = FOLLOWUP_AFTER) -> tuple[Plan, bool]:
    """``_apply_plan``, then the person newly met gets a first follow-up, due
    ``followup_after`` the meeting (None: none); idempotent like the merge."""
    from .followup import first_followup

    before = book.get(plan.into) if plan.into else None
    applied, changed = _apply_plan(book, plan, now=now)
    if applied.into and first_followup(book, applied.into, before=before, event=plan.event,
                                       met_on=plan.met_on, after=followup_after, now=now):
        changed = True
    return applied, changed


def _apply_plan(book: Book, plan: Plan, *, now: dt.datetime | None = None
                ) -> tuple[Plan, bool]:
    """Carry out ``plan`` on ``book``; returns the plan as applied (``into``: the UID the
    contact is in now) and whether the book changed.

    Idempotent: when the contact ``into`` names is in the book already (a merge target,
    or a contact this plan added before a crash), the incoming contact is merged into it,
    which changes nothing the second time (the merge is a union and the "Met at" note is
    written once); otherwise the contact is added with its "Met at" note, marked for
    review when the plan says so."""
    existing = book.get(plan.into) if plan.into else None
    card = plan.source_card(book.region)
    if existing is not None:
        assert plan.into is not None
        merged = merge.merge(existing, plan.contact, event=plan.event, met_on=plan.met_on,
                             now=now, region=book.region)
        extras = card is not None and book.carry_extras(plan.into, card)
        if same_but_rev(merged, existing) and not extras:
            return plan, False
        book.update(plan.into, merged)
        return plan, True
    added = plan.contact
    if plan.event or plan.met_on:
        added = merge.add_met_at(added, plan.event, plan.met_on)
    if plan.decision == "review":
        added = merge.mark_for_review(added, "; ".join(plan.reasons))
    uid = book.add(added.replace(uid=plan.into) if plan.into else added, like=card)
    return dataclasses.replace(plan, into=uid), True


@dataclass(frozen=True)
class ReportRow:
    """What became of one incoming contact."""

    source: str
    plan: Plan  # as applied
    changed: bool = True  # False: merged, but the book already had all of it

    @property
    def decision(self) -> str:
        return self.plan.decision

    @property
    def into(self) -> str | None:
        """UID of the contact it ended up in."""
        return self.plan.into

    @property
    def uid(self) -> str | None:
        """The incoming contact's own UID (a card gets the one it was added under)."""
        own = self.plan.contact.uid
        return own or (self.plan.into if self.decision in ("new", "review") else None)

    @property
    def score(self) -> float:
        return self.plan.score

    @property
    def reasons(self) -> tuple[str, ...]:
        return self.plan.reasons

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "uid": self.uid, "decision": self.decision,
                "into": self.into, "score": round(self.score, 3), "reasons": list(self.reasons),
                "changed": self.changed}


@dataclass
class MergeReport:
    rows: list[ReportRow] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source, error)

    def count(self, decision: str) -> int:
        return sum(1 for r in self.rows if r.decision == decision)

    def summary(self) -> dict[str, int]:
        return {"new": self.count("new"), "merged": self.count("merged"),
                "review": self.count("review"), "failed": len(self.failed),
                "unchanged": sum(1 for r in self.rows if not r.changed)}

    @property
    def changed(self) -> bool:
        return any(r.changed for r in self.rows)


def _as_incoming(item: Incoming | tuple[str, Contact]) -> Incoming:
    return item if isinstance(item, Incoming) else Incoming(item[0], item[1])


def load_book(location: str | Path, *, kind: str | None = None) -> Book:
    """The book as ``run`` and ``sync`` both read it before matching (one path).

    Read without a phone region, so the numbers it holds stay as written
    (``(720) 977-6816``) and the matcher and ``merge.same_number`` read each in the
    country of the number it is compared with; a default region (``--region``, the
    config's ``region``) applies to what is read from photos only.  Read with ``DE``,
    that US number would become ``+497209776816`` and match nobody.
    """
    return Book.load(location, kind=kind)


def merge_into_book(
    book: Book,
    incoming: Iterable[Incoming | tuple[str, Contact]],
    *,
    event: str | None = None,
    met_on: str | None = None,
    model: match.MatchModel | None = None,
    now: dt.datetime | None = None,
    followup_after: dt.timedelta | None = FOLLOWUP_AFTER,
    learn: bool = False,
    index: match.MatchIndex | None = None,
    apart: Callable[[Contact], Collection[str]] | None = None,
) -> MergeReport:
    """Match each incoming contact against the book and the batch so far; merge or add.

    ``learn``: weigh the fields with m learned from this book and batch first
    (``match.learn``: EM over the batch's candidate pairs, ``model`` as the prior).

    ``event`` / ``met_on`` are defaults for items that carry none.  A contact the
    model is unsure about is added as its own contact, marked for review, never
    merged.  The book is changed in memory; the caller saves it.  ``index``: the
    book's contacts as a ``MatchIndex`` already (``cardpipe.cluster.matching`` passes
    one that counts the records left on the cluster); default: one made here.

    ``apart``: the UIDs an incoming contact must never be merged into nor offered for
    review with (pairs a person kept separate on the review page: ``Ledger.apart_for``).
    """
    model = model or match.load_model()
    if index is None:
        index = match.MatchIndex(book.contacts(), model, book_birthdays(book))
    items = [_as_incoming(raw) for raw in incoming]
    bdays = [_incoming_birthday(item.card) for item in items]
    if learn:
        model = match.learn(index, model, [(it.contact, b) for it, b in zip(items, bdays,
                                                                          strict=True)])
    report = MergeReport()
    for item, bday in zip(items, bdays, strict=True):
        contact = item.contact
        exclude = frozenset(apart(contact)) if apart is not None else frozenset()
        decision = same_person(contact, index, model, region=book.region, exclude=exclude) \
            or read_again(contact, index, event=item.event or event,
                          met_on=item.met_on or met_on, region=book.region, exclude=exclude) \
            or match.decide(contact, index, model, birthday=bday, exclude=exclude)
        merging = decision.kind == "merged" and decision.target is not None
        plan = Plan(contact, "merged" if merging else decision.kind,
                    decision.target if merging else None, tuple(decision.reasons),
                    float(decision.score), item.event or event, item.met_on or met_on,
                    item.card)
        plan, changed = apply_plan(book, plan, now=now, followup_after=followup_after)
        target = book.get(plan.into) if plan.into else None
        if target is not None and (changed or not merging):
            index.add(target, merged_from=contact if merging else None,
                      birthday=None if merging else bday, merged_birthday=bday)
        report.rows.append(ReportRow(item.source, plan, changed))
    return report


def _incoming_birthday(card_text: str | None) -> str | None:
    """The BDAY of an incoming vCard's text (matching weighs it), else None."""
    if not card_text or "BDAY" not in card_text.upper():
        return None
    cards = vcard.read_vcards(card_text, source="<incoming>")
    return export.birthday(cards[0]) if len(cards) == 1 and cards[0].ok else None


def _name_key(contact: Contact) -> str:
    return " ".join(fold(contact.display_name).split()) if contact.full_name or \
        contact.family_name else ""


def same_person(incoming: Contact, index: match.MatchIndex, model: match.MatchModel,
                *, region: str | None = None, exclude: Collection[str] = ()
                ) -> match.Decision | None:
    """A merge decision when ``incoming`` is certainly someone the index holds, else None
    (the matcher decides).

    Certain means: the same UID, or the same name and the same e-mail address or phone
    number (compared after normalising both, ``merge.same_number``).  When several
    records have the same name and share an e-mail or phone, only one that says exactly
    what ``incoming`` says is taken (a book holding the same card twice); otherwise the
    matcher decides.  Records whose UID is in ``exclude`` are never taken.
    """
    uid = incoming.uid
    if uid and uid in index and uid not in exclude:
        ps = match.score(incoming, uid, index, model)
        return match.Decision("merged", uid, 1.0, [f"uid: same ({uid})", *ps.reasons],
                              ps.log_odds, 1)
    name = _name_key(incoming)
    if not name:
        return None
    emails = {e.key for e in incoming.emails}
    hits = []
    for other in index.candidates(incoming):
        if other.uid is None or other.uid in exclude or _name_key(other) != name:
            continue
        email = next((e.address for e in other.emails if e.key in emails), None)
        phone = next((p.number for p in other.phones
                      if any(merge.same_number(p, q, region) for q in incoming.phones)), None)
        if email or phone:
            hits.append((other, f"email: same ({email})" if email else f"phone: same ({phone})"))
    if len(hits) > 1:
        hits = [(c, why) for c, why in hits if same_but_rev(c.replace(uid=incoming.uid,
                sources=incoming.sources), incoming)][:1]
    if len(hits) != 1:
        return None
    other, why = hits[0]
    assert other.uid is not None
    ps = match.score(incoming, other.uid, index, model)
    return match.Decision("merged", other.uid, max(ps.probability, 0.99),
                          [f"name: same ({incoming.display_name}) and {why}", *ps.reasons],
                          ps.log_odds, len(hits))


def read_again(incoming: Contact, index: match.MatchIndex, *, event: str | None,
               met_on: str | None, region: str | None = None,
               exclude: Collection[str] = ()) -> match.Decision | None:
    """A merge decision when ``incoming`` is a card the book has already taken in whole:
    a record with the same name to which merging it (with this event's "Met at" line)
    would add nothing.  A card OCR read without any e-mail or phone then stays one person
    on a rerun, where the matcher (rightly) would not merge on a name.  The card must name
    a company as well, and the record must be the only one it fits; a namesake's card that
    brings anything new goes to the matcher."""
    name = _name_key(incoming)
    if not name or not incoming.company:
        return None
    fits = [other for other in index.candidates(incoming)
            if other.uid is not None and other.uid not in exclude and _name_key(other) == name and
            same_but_rev(merge.merge(other, incoming, event=event, met_on=met_on,
                                     region=region), other)]
    if len(fits) != 1 or fits[0].uid is None:
        return None
    return match.Decision("merged", fits[0].uid, 1.0,
                          [f"name: same ({incoming.display_name}) and the book has all "
                           "of this card already"], None, 1)


@dataclass
class RunResult:
    scans: list[ScanResult]
    report: MergeReport

    def summary(self) -> dict[str, int]:
        s = self.report.summary()
        s["photos"] = len({r.source for r in self.scans})
        return s


def run(
    photos: Sequence[str | Path],
    *,
    book: Book,
    event: str | None = None,
    met_on: str | None = None,
    jobs: int | None = None,
    region: str | None = None,
    lang: str | None = None,
    engine: Engine | str | None = None,
    debug_dir: str | Path | None = None,
    progress: Progress | None = None,
    model: match.MatchModel | None = None,
    now: dt.datetime | None = None,
    on_result: Callable[[ScanResult], None] | None = None,
    attach_photo: bool = False,
    require_photos: bool = False,
    cache: readings.ReadingCache | None = None,
    executor: Executor | PhotoExecutor | None = None,
    keep_cards: bool = False,
    apart: Callable[[Contact], Collection[str]] | None = None,
) -> RunResult:
    """The whole job: scan photos, then match and merge every card into ``book``.

    The event defaults to each photo's folder name and the date to the photo's EXIF
    date (else its file date).  With ``attach_photo`` a contact without a photo gets the
    card image (one it has is kept).  The book is changed in memory; the caller saves it.
    ``cache``: reuse the readings of earlier runs (``scan_paths``); merging the same
    contacts again changes nothing, so a rerun over the same photos leaves the book's
    bytes as they were.  ``executor``: as ``scan_paths`` takes it (a cluster's);
    ``keep_cards`` and ``apart``: as ``scan_paths`` and ``merge_into_book`` take them.
    """
    scans: list[ScanResult] = []
    for result in scan_paths(photos, jobs=jobs, region=region, lang=lang, engine=engine,
                             debug_dir=debug_dir, progress=progress,
                             attach_photo=attach_photo, require_photos=require_photos,
                             cache=cache, executor=executor,
                             keep_cards=keep_cards):
        scans.append(result)
        if on_result:
            on_result(result)
    usable = [checked(r) for r in scans]
    incoming = [
        Incoming(r.source, r.contact, event or _folder_event(r.source), met_on or r.taken_on)
        for r in usable
        if r.ok and r.contact is not None
    ]
    # a cluster matches a big book where it lives (cardpipe.cluster.matching)
    merging = executor.merge_into_book if isinstance(executor, PhotoExecutor) \
        else merge_into_book
    report = merging(book, incoming, model=model, now=now, apart=apart)
    for r in usable:
        if not r.ok:
            report.failed.append((r.source, r.error or "failed"))
    return RunResult(scans, report)


def keep_card(ledger: Ledger, result: ScanResult, uid: str | None) -> bool:
    """Keep the card image and OCR lines of ``result`` (read with ``keep_cards``) in the
    ledger under the contact ``uid`` it went into, for ``cardpipe review``; False when
    there is nothing to keep (a cached reading, a failed photo)."""
    if result.view is None or result.sha256 is None or result.contact is None:
        return False
    ledger.keep_card(result.sha256, result.card, path=result.source, uid=uid,
                     jpeg=result.view.jpeg, meta=result.view.meta(),
                     confidence=result.contact.confidence)
    return True


def keep_cards(ledger: Ledger, result: RunResult) -> int:
    """``keep_card`` for every card of a ``run`` that went into the book; returns how many."""
    merged = [r for r in (checked(s) for s in result.scans) if r.ok and r.contact is not None]
    return sum(keep_card(ledger, r, row.into)
               for r, row in zip(merged, result.report.rows, strict=True))


def checked(result: ScanResult) -> ScanResult:
    """``result``, or a failed one when what was read is too little to become a contact
    (``too_little``): ``run`` reports those, and ``scan`` says the same of them."""
    if not result.ok or result.contact is None:
        return result
    reason = too_little(result.contact)
    if reason is None:
        return result
    return dataclasses.replace(result, ok=False, error=f"{result.source}: {reason}")


def too_little(contact: Contact) -> str | None:
    """Why a card reading is too thin to become a contact, or None.

    A name alone (no email, phone, web address, handle or company) cannot be followed up
    and cannot be matched safely on a later run (a name alone never merges), so it would
    come back as a duplicate each time: it is reported for a better photo instead.
    """
    if contact.emails or contact.phones or contact.websites or contact.social:
        return None
    if contact.company and (contact.full_name or contact.family_name):
        return None
    read = [f for f in ("full_name", "title", "company") if getattr(contact, f)]
    what = ", ".join(read) if read else "nothing usable"
    return f"too little read from the card ({what}); take a sharper photo or add it by hand"


def _folder_event(source: str) -> str | None:
    name = Path(source).resolve().parent.name
    return name or None


def same_but_rev(a: Contact, b: Contact) -> bool:
    """Would a vCard say the same about both, REV aside? (Then there is nothing to write.)"""
    return vcard.same_contact(a.replace(rev=None), b.replace(rev=None))


def merge_vcards(
    paths: Sequence[str | Path],
    *,
    book: Book,
    event: str | None = None,
    met_on: str | None = None,
    model: match.MatchModel | None = None,
    now: dt.datetime | None = None,
    learn: bool = False,
) -> MergeReport:
    """Merge the contacts of vCard files from elsewhere into ``book`` (``learn``: see
    ``merge_into_book``).

    A file that cannot be read, or a malformed card inside one, is reported in
    ``MergeReport.failed`` and the rest goes on.
    """
    incoming: list[Incoming] = []
    failed: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw)
        try:
            cards = vcard.read_vcards(path.read_bytes(), source=str(path))
        except CardpipeError as exc:
            failed.append((str(path), exc.one_line()))
            continue
        except OSError as exc:
            failed.append((str(path), f"{path}: {exc.strerror or exc}"))
            continue
        for card in cards:
            if card.contact is None or card.error:
                failed.append((str(path), card.error or f"{path}:{card.line}: unreadable card"))
                continue
            src = Source(kind="vcard", path=str(path))
            incoming.append(Incoming(str(path), card.contact.replace(
                sources=(*card.contact.sources, src)), card=card.raw))
    report = merge_into_book(book, incoming, event=event, met_on=met_on, model=model, now=now,
                             learn=learn)
    report.failed.extend(failed)
    return report


@dataclass
class DedupeResult:
    groups: list[match.DuplicateGroup]
    merged: int = 0  # contacts folded into another (with apply=True)
    learned: match.Learned | None = None  # the weights used, learned from the book


def dedupe(
    book: Book,
    *,
    apply: bool = False,
    model: match.MatchModel | None = None,
    now: dt.datetime | None = None,
    apart: Collection[frozenset[str]] = (),
) -> DedupeResult:
    """Find groups of duplicates inside a book; with ``apply`` merge each group into its
    first contact (the others are removed from the book after their data is merged).
    ``apart``: pairs of UIDs kept separate on the review page (``Ledger.apart_pairs``),
    never grouped."""
    from .followup import absorb

    model = model or match.load_model()
    index = match.MatchIndex(book.contacts(), model, book_birthdays(book))
    learned = match.estimate(index, model)
    groups = match.duplicates_in(index, learned.model, learn=False, apart=apart)
    result = DedupeResult(groups, learned=learned)
    if apply:
        for group in groups:
            keep, *others = group.uids
            merged = _contact(book, keep)
            for uid in others:
                merged = merge.merge(merged, _contact(book, uid), now=now,
                                     region=book.region)
            book.update(keep, merged)
            for uid in others:
                absorb(book, keep, uid)  # their follow-ups (an X- property) too
                book.remove(uid)
                result.merged += 1
    return result


def book_birthdays(book: Book) -> dict[str, str | None]:
    """UID -> BDAY of each card that has one (matching weighs it; not a Contact field)."""
    out: dict[str, str | None] = {}
    for card, contact in book.items():
        bday = export.birthday(card)
        if bday and contact.uid:
            out[contact.uid] = bday
    return out


def _contact(book: Book, uid: str) -> Contact:
    """The contact with UID ``uid``, which the caller knows is in the book."""
    contact = book.get(uid)
    if contact is None:
        raise BookError(f"{book.location}: no contact with UID {uid!r}")
    return contact
