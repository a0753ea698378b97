"""``cardpipe sync`` against servers that misbehave (tests/fault_server.py).

A server that sends one byte every 2 s, a redirect loop, a body that claims gzip and is
not: each ends the run with ServerError (exit 8, one line), recorded in the run log and
the ledger, the book untouched.  A proxy in front of the tests' Radicale refuses one
chosen card (500, or 412 for a card it cannot read): the others are pushed.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cardpipe.cli import cli
from cardpipe.errors import ServerError
from cardpipe.sync import sync
from cardpipe.sync.carddav import CardDAVClient
from cardpipe.sync.config import DEFAULT_PASSWORD_ENV, Config, load_config
from cardpipe.sync.ledger import Ledger
from tests.fault_server import Fault, FaultServer

BOOK = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ada-1\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\n"
    "EMAIL:ada@engines.example\r\nEND:VCARD\r\n"
)


def _config(tmp_path: Path, url: str, monkeypatch: pytest.MonkeyPatch, *,
            timeout: float = 3, book: str = BOOK) -> Config:
    (tmp_path / "photos").mkdir(exist_ok=True)
    (tmp_path / "book.vcf").write_text(book, encoding="utf-8", newline="")
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        'book = "book.vcf"\nledger = "state/ledger.sqlite3"\nlog_file = "state/sync.jsonl"\n'
        "settle_seconds = 0\n"
        '[[watch]]\npath = "photos"\n'
        f'[carddav]\nurl = "{url}"\nusername = "alice"\npassword_source = "env"\n'
        f"timeout = {timeout}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv(DEFAULT_PASSWORD_ENV, "s3cret-Passw0rd")
    return load_config(cfg)


def _events(config: Config) -> list[dict[str, object]]:
    assert config.log_file is not None
    return [json.loads(line) for line in
            config.log_file.read_text(encoding="utf-8").splitlines()]


def _assert_recorded_failure(config: Config, reason: str) -> None:
    """The run log's last line and the ledger's run both say why the run ended (exit 8)."""
    last = _events(config)[-1]
    assert last["event"] == "error" and last["exit_code"] == 8
    assert reason in str(last["message"])
    with Ledger.open(config.ledger) as ledger:
        run = ledger.runs()[0]
    assert run.finished is not None and run.exit_code == 8
    assert reason in str(run.counts.get("error"))


# -- 12: the timeout bounds the whole request -------------------------------------------


def test_a_server_sending_one_byte_every_two_seconds_times_out_within_the_timeout() -> None:
    with FaultServer(lambda r: Fault.dribble()) as server:
        client = CardDAVClient(server.url, timeout=3)
        start = time.monotonic()
        with pytest.raises(ServerError) as info:
            client.discover()
        elapsed = time.monotonic() - start
        client.close()
    assert elapsed < 6, elapsed  # each read got a byte within 3 s; the request did not
    assert "did not answer within carddav.timeout" in info.value.one_line()
    assert info.value.exit_code == 8


def test_sync_against_a_dribbling_server_exits_8_in_time_and_records_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FaultServer(lambda r: Fault.dribble()) as server:
        config = _config(tmp_path, server.url, monkeypatch, timeout=2)
        before = config.book.read_bytes()
        start = time.monotonic()
        result = CliRunner().invoke(cli, ["sync", "--config", str(tmp_path / "config.toml")])
        elapsed = time.monotonic() - start
    assert result.exit_code == 8, result.output
    assert elapsed < 6, elapsed
    assert "did not answer within carddav.timeout" in result.output
    assert "Traceback" not in result.output
    assert config.book.read_bytes() == before
    _assert_recorded_failure(config, "did not answer within carddav.timeout")


# -- 13: a redirect loop, a bad gzip body --------------------------------------------------


@pytest.mark.parametrize(("fault", "reason"), [
    (Fault.redirect_to_self(), "redirects in a loop"),
    (Fault.bad_gzip(), "body that cannot be decoded"),
])
def test_a_redirect_loop_or_bad_gzip_is_exit_8_with_one_line_logged_and_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: Fault, reason: str
) -> None:
    with FaultServer(lambda r: fault) as server:
        config = _config(tmp_path, server.url, monkeypatch)
        before = config.book.read_bytes()
        result = CliRunner().invoke(cli, ["sync", "--config", str(tmp_path / "config.toml")])
    assert result.exit_code == 8, result.output
    errors = [line for line in result.output.splitlines() if "error" in line]
    assert len(errors) == 1 and reason in errors[0], result.output
    assert "s3cret" not in result.output
    assert config.book.read_bytes() == before
    _assert_recorded_failure(config, reason)


def test_an_unexpected_exception_still_closes_the_run_and_logs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(self: object) -> str:
        raise RuntimeError("a bug")

    monkeypatch.setattr(CardDAVClient, "discover", boom)
    config = _config(tmp_path, "http://127.0.0.1:9/", monkeypatch)
    with pytest.raises(RuntimeError):
        sync(config)
    last = _events(config)[-1]
    assert last["event"] == "error" and last["exit_code"] == 1
    assert "RuntimeError: a bug" in str(last["message"])
    with Ledger.open(config.ledger) as ledger:
        run = ledger.runs()[0]
    assert run.finished is not None and run.exit_code == 1
