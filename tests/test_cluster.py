"""Scanning on a real Dask cluster (issue 17): ``distributed.LocalCluster`` with two worker
processes on 127.0.0.1, the sample photos, the real OCR engine.

* ``cardpipe run --scheduler`` writes the same book, byte for byte, as the local run;
* a worker killed mid-batch loses and doubles nothing (the book is the same again);
* a photo that kills every worker that reads it is one failed photo, the batch goes on;
* losing the scheduler stops the run with exit 8 and one line, nothing half-written,
  and the next run finishes the work without reading again what was read.

UIDs (uuid4) and REV (the clock) are fixed in this process for the byte comparisons.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import cloudpickle
import dask
import pytest
from click.testing import CliRunner
from distributed import Client, LocalCluster, WorkerPlugin

from cardpipe import cluster, pipeline
from cardpipe.cli import cli
from cardpipe.errors import ExitCode

from .fixed_ids import fix_ids

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
EVENT, DATE = "Sample Expo", "2026-11-20"

pytestmark = pytest.mark.slow


def _start_cluster() -> LocalCluster:
    # allowed-failures 1: a photo whose worker died is given to another once; if that
    # one dies too, the scheduler gives up on it (the photo is reported as failed).
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        return LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                            host="127.0.0.1", dashboard_address=":0")


@pytest.fixture(scope="module")
def local_cluster():
    lc = _start_cluster()
    yield lc
    lc.close()


@pytest.fixture
def fixed_ids(monkeypatch):
    fix_ids(monkeypatch)


def _run(work: Path, name: str, *extra: str) -> tuple[Path, object]:
    book = work / f"{name}.vcf"
    shutil.copy(SAMPLES / "book.vcf", book)
    result = CliRunner().invoke(cli, ["run", str(SAMPLES), "--book", str(book), "--event",
                                      EVENT, "--met-on", DATE, "--no-cache", *extra])
    assert result.exit_code in (ExitCode.OK, ExitCode.PARTIAL), result.output
    return book, result


@pytest.fixture(scope="module")
def local_book(tmp_path_factory):
    """The local run's book (two worker processes), made once for the module."""
    work = tmp_path_factory.mktemp("local")
    mp = pytest.MonkeyPatch()
    fix_ids(mp)
    try:
        book, result = _run(work, "local", "--jobs", "2")
    finally:
        mp.undo()
    return book.read_bytes(), result.output


def test_run_through_a_local_cluster_writes_the_local_runs_book_byte_for_byte(
        tmp_path, local_cluster, local_book, fixed_ids):
    book, result = _run(tmp_path, "cluster", "--scheduler", local_cluster.scheduler_address)
    (tmp_path / "local.vcf").write_bytes(local_book[0])  # to compare, should it differ
    summary = result.output.splitlines()[-1].partition(" — ")[0]
    assert summary == local_book[1].splitlines()[-1].partition(" — ")[0], result.output
    assert book.read_bytes() == local_book[0]


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(tmp_path, local_cluster,
                                                               local_book, fixed_ids):
    killed: list[str] = []
    with Client(local_cluster.scheduler_address, set_as_default=False) as client:
        pids = client.run(os.getpid)
        stop = threading.Event()

        def kill_a_busy_worker() -> None:
            # once a photo is done and another is being read, kill the worker reading it
            while not stop.is_set():
                busy = {w: t for w, t in client.processing().items() if t}
                done = client.run_on_scheduler(
                    lambda dask_scheduler: sum(1 for ts in dask_scheduler.tasks.values()
                                               if ts.state == "memory"))
                if busy and done:
                    worker = next(iter(busy))
                    os.kill(pids[worker], signal.SIGKILL)
                    killed.append(worker)
                    return
                time.sleep(0.05)

        watcher = threading.Thread(target=kill_a_busy_worker, daemon=True)
        watcher.start()
        try:
            book, result = _run(tmp_path, "killed", "--scheduler",
                                local_cluster.scheduler_address)
        finally:
            stop.set()
            watcher.join(5)
        assert killed, "no worker was killed: the batch ended first"
        (tmp_path / "local.vcf").write_bytes(local_book[0])  # to compare, should it differ
        summary = result.output.splitlines()[-1].partition(" — ")[0]
        assert summary == local_book[1].splitlines()[-1].partition(" — ")[0], result.output
        assert book.read_bytes() == local_book[0]
        client.wait_for_workers(2, timeout=60)  # the nanny started a new one


class KillOnPoison(WorkerPlugin):
    """Test plugin: a photo whose name says "poison" ends the worker process that reads
    it, as a crash inside an OCR library would."""

    name = "test-kill-on-poison"

    def setup(self, worker: object) -> None:
        from cardpipe import pipeline as worker_pipeline

        original = worker_pipeline.scan_photo

        def scan_photo(path, *args, **kwargs):  # type: ignore[no-untyped-def]
            if "poison" in Path(path).name:
                os._exit(1)
            return original(path, *args, **kwargs)

        worker_pipeline.scan_photo = scan_photo


def test_a_photo_that_kills_two_workers_is_reported_failed_and_the_batch_goes_on(tmp_path):
    photos = sorted(SAMPLES.glob("card00[0-2]*.png")) + sorted(SAMPLES.glob("card00[0-9]*.jpg"))
    photos = photos[:3]
    folder = tmp_path / "photos"
    folder.mkdir()
    for p in photos:
        shutil.copy(p, folder / p.name)
    shutil.copy(photos[0], folder / f"poison{photos[0].suffix}")
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    lc = _start_cluster()
    try:
        with Client(lc.scheduler_address, set_as_default=False) as client:
            client.register_plugin(KillOnPoison())
            executor = cluster.scan.DaskExecutor(client)
            results = list(pipeline.scan_paths([folder], executor=executor))
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
        lc.close()
    by_name = {Path(r.source).name: r for r in results}
    assert sorted(by_name) == sorted([p.name for p in photos] + [f"poison{photos[0].suffix}"])
    assert len(results) == len(by_name)  # one result each: nothing doubled
    poison = by_name[f"poison{photos[0].suffix}"]
    assert not poison.ok and "stopped the cluster's workers" in (poison.error or "")
    assert poison.error.startswith(str(folder / poison.source.rsplit("/", 1)[-1]))
    assert all(by_name[p.name].ok for p in photos)


# -- losing the scheduler: real `dask scheduler` / `dask worker` / `cardpipe run` processes --

def _dask(*args: str, log: Path) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen([str(Path(sys.executable).parent / "dask"), *args],
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def _end(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)


def _scheduler(work: Path) -> tuple[subprocess.Popen, subprocess.Popen, str]:
    """A scheduler and one worker process; returns them and the scheduler's address."""
    file = work / f"scheduler-{time.monotonic_ns()}.json"
    sched = _dask("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                  "--scheduler-file", str(file), log=work / "dask.log")
    deadline = time.monotonic() + 60
    while not file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert file.exists(), (work / "dask.log").read_text()
    import json

    address = json.loads(file.read_text())["address"]
    worker = _dask("worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard",
                   "--host", "127.0.0.1", log=work / "dask.log")
    return sched, worker, address


def _readings(cache: Path) -> int:
    db = cache / "cardpipe" / "readings.sqlite3"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return int(conn.execute("SELECT count(*) FROM readings").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_losing_the_scheduler_exits_8_with_nothing_written_and_the_next_run_finishes(
        tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    for p in sorted(SAMPLES.glob("card0[01]*.png")) + sorted(SAMPLES.glob("card0[01]*.jpg")):
        shutil.copy(p, photos / p.name)
    book = tmp_path / "book.vcf"
    shutil.copy(SAMPLES / "book.vcf", book)
    before = book.read_bytes()
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))}
    sched, worker, address = _scheduler(tmp_path)
    try:
        run = subprocess.Popen([sys.executable, "-m", "cardpipe", "run", str(photos), "--book",
                                str(book), "--event", EVENT, "--met-on", DATE], env={
                                    **env, "CARDPIPE_SCHEDULER": address},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 300
        while _readings(tmp_path / "cache") < 1 and run.poll() is None \
                and time.monotonic() < deadline:
            time.sleep(0.1)
        assert run.poll() is None, run.communicate()
        _end(sched)
        _, stderr = run.communicate(timeout=120)
    finally:
        _end(worker)
        _end(sched)
    assert run.returncode == ExitCode.SERVER, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("cardpipe: error:")]
    assert len(errors) == 1 and "lost the Dask scheduler" in errors[0], stderr
    assert book.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("book")) == \
        ["book.vcf"]  # no temporary file, no backup: nothing was written

    read = _readings(tmp_path / "cache")
    sched, worker, address = _scheduler(tmp_path)
    try:
        again = subprocess.run([sys.executable, "-m", "cardpipe", "run", str(photos), "--book",
                                str(book), "--event", EVENT, "--met-on", DATE, "--scheduler",
                                address], env=env, capture_output=True, text=True, timeout=600)
    finally:
        _end(worker)
        _end(sched)
    assert again.returncode in (ExitCode.OK, ExitCode.PARTIAL), again.stderr
    assert f"cached {read}" in again.stderr  # what was read before is not read again
    assert book.read_bytes() != before


# -- usage ---------------------------------------------------------------------------

def test_scheduler_without_dask_installed_is_a_usage_error_that_says_what_to_install(
        monkeypatch, tmp_path):
    monkeypatch.setattr(cluster, "available", lambda: False)
    result = CliRunner().invoke(cli, ["scan", str(SAMPLES), "--scheduler",
                                      "tcp://127.0.0.1:8786"])
    assert result.exit_code == ExitCode.USAGE
    assert "pip install 'cardpipe[cluster]'" in result.output


@pytest.mark.parametrize("address", ["127.0.0.1", "http://127.0.0.1:8786", "tcp://:8786",
                                     "tcp://host:port"])
def test_a_malformed_scheduler_address_is_a_usage_error(address):
    result = CliRunner().invoke(cli, ["scan", str(SAMPLES), "--scheduler", address])
    assert result.exit_code == ExitCode.USAGE
    assert "tcp://HOST:PORT" in result.output


def test_an_unreachable_scheduler_from_the_environment_is_exit_8_before_any_work(tmp_path):
    book = tmp_path / "book.vcf"
    shutil.copy(SAMPLES / "book.vcf", book)
    result = CliRunner(env={"CARDPIPE_SCHEDULER": "tcp://127.0.0.1:9"}).invoke(
        cli, ["run", str(SAMPLES), "--book", str(book)])
    assert result.exit_code == ExitCode.SERVER, result.output
    assert "tcp://127.0.0.1:9: cannot reach the Dask scheduler" in result.output
    assert book.read_bytes() == (SAMPLES / "book.vcf").read_bytes()


def test_debug_dir_cannot_be_used_with_a_cluster(tmp_path):
    result = CliRunner().invoke(cli, ["scan", str(SAMPLES), "--scheduler",
                                      "tcp://127.0.0.1:8786", "--debug-dir", str(tmp_path)])
    assert result.exit_code == ExitCode.USAGE
    assert "--debug-dir" in result.output


def test_sync_reads_its_new_photos_on_the_configured_scheduler(tmp_path, local_cluster,
                                                               monkeypatch):
    from cardpipe.cluster.scan import DaskExecutor
    from cardpipe.sync import sync
    from cardpipe.sync.config import load_config

    photos = tmp_path / "photos" / "Expo"
    photos.mkdir(parents=True)
    for p in sorted(SAMPLES.glob("card00[0-1]*.png")):
        shutil.copy(p, photos / p.name)
    (tmp_path / "config.toml").write_text(
        f'book = "{tmp_path / "book.vcf"}"\nledger = "{tmp_path / "ledger.sqlite3"}"\n'
        f'settle_seconds = 0\nscheduler = "{local_cluster.scheduler_address}"\n'
        f'[[watch]]\npath = "{tmp_path / "photos"}"\n', encoding="utf-8")
    sent: list[int] = []
    original = DaskExecutor.scan_photos

    def counting(self, photos, *args):  # type: ignore[no-untyped-def]
        sent.append(len(photos))
        yield from original(self, photos, *args)

    monkeypatch.setattr(DaskExecutor, "scan_photos", counting)
    report = sync(load_config(tmp_path / "config.toml"))
    assert sent == [2]
    assert [p.outcome for p in report.photos] == ["ok", "ok"]
    assert len(pipeline.load_book(tmp_path / "book.vcf")) == 2


def _config_text(tmp_path: Path, scheduler: str) -> dict:
    return {"book": str(tmp_path / "b.vcf"), "watch": {"path": str(tmp_path)},
            "scheduler": scheduler}


def test_the_configs_scheduler_is_checked_and_written_as_an_address(tmp_path):
    from cardpipe.sync.config import parse_config

    assert parse_config(_config_text(tmp_path, "10.0.0.5:8786")).scheduler == \
        "tcp://10.0.0.5:8786"
    assert parse_config({"book": "b.vcf", "watch": {"path": "."}}).scheduler is None


@pytest.mark.parametrize("value", ["", "10.0.0.5", "ftp://10.0.0.5:21"])
def test_a_bad_scheduler_in_the_config_is_a_config_error_naming_the_key(tmp_path, value):
    from cardpipe.errors import ConfigError
    from cardpipe.sync.config import parse_config

    with pytest.raises(ConfigError, match="scheduler"):
        parse_config(_config_text(tmp_path, value))


def test_a_scheduler_in_the_config_without_dask_says_what_to_install(tmp_path, monkeypatch):
    from cardpipe.errors import ConfigError
    from cardpipe.sync.config import parse_config

    monkeypatch.setattr(cluster, "available", lambda: False)
    with pytest.raises(ConfigError, match=r"cardpipe\[cluster\]"):
        parse_config(_config_text(tmp_path, "tcp://10.0.0.5:8786"))
