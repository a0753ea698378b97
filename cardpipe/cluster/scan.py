"""Scanning photos on a Dask cluster: the executor ``pipeline.scan_paths`` takes.

* Photos travel as bytes (read on the client just before they are sent), so workers
  need no shared filesystem; a worker writes them to a private temporary file, reads
  them with ``pipeline.scan_photo`` and sends back the ``ScanResult`` items, named after
  the client's path.
* ``EnginePlugin`` (a worker plugin) makes the OCR engine once per worker process when
  it joins, not once per photo.
* At most ``max_in_flight`` photos are on the cluster at a time and results come back in
  input order, so a 30,000-photo batch never sits in the client's memory.
* Faults: the scheduler gives the photos of a worker that died to another worker; a
  photo the scheduler gives up on (it killed ``distributed.scheduler.allowed-failures``
  + 1 workers: set it to 1 so that two deaths are enough) is a failed result and the
  batch goes on; losing the scheduler raises ``ClusterError`` (exit 8).
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import os
import tempfile
import time
import uuid
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import distributed
from distributed import Client, Future, WorkerPlugin
from distributed.scheduler import KilledWorker

from .. import pipeline
from ..book import Book
from ..contact import Contact
from ..errors import ClusterError
from ..pipeline import ScanOptions, ScanResult

#: how long to wait for the scheduler when connecting, and after losing it mid-run
CONNECT_TIMEOUT = 10.0
#: photos on the cluster per worker thread (enough to keep every thread busy)
IN_FLIGHT_PER_THREAD = 2
#: books of this many contacts or more are matched on the cluster (below, shipping the
#: book costs more than matching it here: see bench/bench_cluster.py)
MATCH_ON_CLUSTER_FROM = 100_000


class EnginePlugin(WorkerPlugin):
    """Loads the OCR engine of a run once in each worker process (``setup``); the photos
    then find it in ``pipeline.engine_for``'s per-process cache."""

    def __init__(self, engine: str | None, lang: str | None) -> None:
        self.engine = engine
        self.lang = lang
        self.name = plugin_name(engine, lang)

    def setup(self, worker: Any) -> None:
        # Tesseract's OpenMP threads and ONNX Runtime's would fight with the worker's
        # own threads for the cores (as in the process pool).
        os.environ["OMP_THREAD_LIMIT"] = "1"
        from .. import parse  # noqa: F401 - its dictionaries load once, here

        pipeline.engine_for(self.engine, self.lang) or _default_engine()


def _default_engine() -> Any:
    from ..scan.engines import default_engine

    return default_engine()


def plugin_name(engine: str | None, lang: str | None) -> str:
    return f"cardpipe-ocr-{engine or 'default'}-{lang or '-'}"


def scan_bytes(data: bytes, name: str, source: str, options: ScanOptions, sha256: str,
               taken_on: str | None) -> list[ScanResult]:
    """Scan one photo sent as bytes (runs on a worker): the results name ``source``,
    the client's path, and carry the client's ``taken_on`` (the file date is the
    client's; the EXIF date is read from the bytes all the same)."""
    with tempfile.TemporaryDirectory(prefix="cardpipe-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        results = pipeline.scan_photo(path, options, None, sha256)
    return [_renamed(r, str(path), source, taken_on) for r in results]


def _renamed(result: ScanResult, tmp: str, source: str, taken_on: str | None) -> ScanResult:
    contact: Contact | None = result.contact
    if contact is not None:
        contact = contact.replace(sources=tuple(
            dataclasses.replace(s, path=source) if s.path == tmp else s
            for s in contact.sources))
    error = result.error.replace(tmp, source) if result.error else None
    return dataclasses.replace(result, source=source, contact=contact, error=error,
                               taken_on=taken_on if result.ok else result.taken_on)


class DaskExecutor:
    """Scans photos on the Dask cluster a ``distributed.Client`` is connected to.

    ``max_in_flight``: photos on the cluster at once (default: two per worker thread).
    ``lost_after``: seconds without the scheduler before the run stops (``ClusterError``).
    Use it as a context manager (or ``close()`` it): it closes a client it made.
    """

    def __init__(self, client: Client, *, max_in_flight: int | None = None,
                 lost_after: float = CONNECT_TIMEOUT, own_client: bool = False,
                 match_from: int = MATCH_ON_CLUSTER_FROM) -> None:
        self.client = client
        self.max_in_flight = max_in_flight
        self.match_from = match_from
        self.lost_after = lost_after
        self._own = own_client
        self._plugins: set[str] = set()

    @classmethod
    def connect(cls, address: str, *, timeout: float = CONNECT_TIMEOUT,
                **kwargs: Any) -> DaskExecutor:
        """Connect to the scheduler at ``address``; ``ClusterError`` when it does not
        answer within ``timeout`` seconds."""
        try:
            client = Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"{address}: cannot reach the Dask scheduler: "
                               f"{_one_line(exc)}") from None
        return cls(client, own_client=True, lost_after=timeout, **kwargs)

    @property
    def address(self) -> str:
        return str(self.client.scheduler.address if self.client.scheduler else "?")

    def close(self) -> None:
        if self._own:
            # A client whose scheduler is gone would wait for it before closing.
            with contextlib.suppress(Exception):  # after a loss there is nothing to save
                self.client.close(timeout=2)

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def threads(self) -> int:
        """Worker threads on the cluster now (at least 1)."""
        try:
            return max(1, sum(self.client.nthreads().values()))
        except Exception as exc:  # noqa: BLE001 - the scheduler is gone
            raise self._lost(exc) from None

    def _lost(self, exc: BaseException | None = None) -> ClusterError:
        why = f": {_one_line(exc)}" if exc is not None else ""
        return ClusterError(f"{self.address}: lost the Dask scheduler mid-run{why}")

    def load_engine(self, options: ScanOptions) -> None:
        """Have every worker (and every worker that joins later) load the OCR engine
        ``options`` name, once per worker process (``EnginePlugin``)."""
        name = plugin_name(options.engine, options.lang)
        if name in self._plugins:
            return
        try:
            self.client.register_plugin(EnginePlugin(options.engine, options.lang), name=name)
        except Exception as exc:  # noqa: BLE001 - a worker that cannot load it: say so
            if _scheduler_gone(self.client):
                raise self._lost(exc) from None
            raise ClusterError(f"{self.address}: the workers cannot load the OCR engine: "
                               f"{_one_line(exc)}") from None
        self._plugins.add(name)

    # -- matching: what pipeline.run calls ---------------------------------------------
    def merge_into_book(self, book: Book, incoming: Iterable[pipeline.Incoming],
                        **kwargs: Any) -> pipeline.MergeReport:
        """``pipeline.merge_into_book``, on the cluster for a book of at least
        ``match_from`` contacts (``cluster.matching``: the same result), else here."""
        if len(book) < self.match_from:
            return pipeline.merge_into_book(book, incoming, **kwargs)
        from .matching import merge_on_cluster

        return merge_on_cluster(self.client, book, incoming, **kwargs)

    # -- the seam pipeline.scan_paths calls -------------------------------------------
    def scan_photos(self, photos: Sequence[Path], options: ScanOptions,
                    shas: Sequence[str | None]) -> Iterator[list[ScanResult]]:
        """One list of results per photo, in the order of ``photos``."""
        if not photos:
            return
        if options.debug_dir:
            raise ValueError("--debug-dir writes on the machine that reads the photo; "
                             "it cannot be used with a cluster")
        self.load_engine(options)
        window = self.max_in_flight or IN_FLIGHT_PER_THREAD * self.threads()
        run = uuid.uuid4().hex[:8]
        pending: deque[tuple[Path, Future | list[ScanResult]]] = deque()
        todo = iter(zip(photos, shas, strict=True))
        try:
            while True:
                for path, sha in itertools.islice(todo, max(0, window - len(pending))):
                    pending.append((path, self._submit(path, sha, options, run)))
                if not pending:
                    return
                path, job = pending.popleft()
                yield job if isinstance(job, list) else self._result(path, job)
        finally:
            for _path, job in pending:  # the caller stopped reading, or the run failed
                if isinstance(job, Future):
                    job.release()

    def _submit(self, path: Path, sha: str | None, options: ScanOptions, run: str
                ) -> Future | list[ScanResult]:
        source = str(path)
        try:
            data = path.read_bytes()
            taken_on = pipeline._taken_on(path)
        except OSError as exc:
            return [ScanResult(source, False, error=f"{source}: {exc.strerror or exc}")]
        sha = sha or _sha256(data)
        try:
            # pure=False: the same photo twice in a batch is read twice, as locally.
            return self.client.submit(scan_bytes, data, path.name, source, options, sha,
                                      taken_on, key=f"cardpipe-scan-{run}-{uuid.uuid4().hex}",
                                      pure=False)
        except Exception as exc:  # noqa: BLE001 - the client is closed: the scheduler is gone
            raise self._lost(exc) from None

    def _result(self, path: Path, future: Future) -> list[ScanResult]:
        source = str(path)
        lost_since: float | None = None
        try:
            while True:
                if future.done():
                    return list(future.result())
                try:
                    return list(future.result(timeout=0.5))
                except TimeoutError:
                    # Not done (or done just now: the loop's next turn takes it, never
                    # this timeout as the photo's failure).
                    pass
                # A client that lost its scheduler tries to reconnect for a while; past
                # ``lost_after`` the run stops.
                if _scheduler_gone(self.client):
                    lost_since = lost_since or time.monotonic()
                    if time.monotonic() - lost_since > self.lost_after:
                        raise self._lost()
                else:
                    lost_since = None
        except KilledWorker as exc:
            return [ScanResult(source, False, error=f"{source}: the photo stopped the "
                               f"cluster's workers that read it ({_one_line(exc)})")]
        except distributed.client.FutureCancelledError as exc:
            raise self._lost(exc) from None
        except Exception as exc:  # noqa: BLE001 - scan_photo catches its own; this is the cluster's
            if _scheduler_gone(self.client):
                raise self._lost(exc) from None
            return [ScanResult(source, False, error=f"{source}: the cluster failed on it: "
                               f"{type(exc).__name__}: {_one_line(exc)}")]


def _scheduler_gone(client: Client) -> bool:
    status = getattr(client, "status", "running")
    return status not in ("running", "newly-created")


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]
