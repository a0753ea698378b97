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
from tests.fault_server import Fault, FaultServer, Request
from tests.radicale_server import RadicaleServer, radicale  # noqa: F401

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
    def boom(self: object, known: str | None = None) -> str:
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


# -- 23 / 24: one card the server refuses --------------------------------------------------

THREE = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ada-1\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\n"
    "EMAIL:ada@engines.example\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:alan-2\r\nFN:Alan Turing\r\nN:Turing;Alan;;;\r\n"
    "EMAIL:alan@bletchley.example\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:grace-3\r\nFN:Grace Hopper\r\nN:Hopper;Grace;;;\r\n"
    "EMAIL:grace@navy.example\r\nEND:VCARD\r\n"
)


class Refuse:
    """A proxy rule: answer ``fault`` to every PUT of the card whose href holds ``name``."""

    def __init__(self, name: str, fault: Fault) -> None:
        self.name = name
        self.fault: Fault | None = fault
        self.puts = 0

    def __call__(self, r: Request) -> Fault | None:
        if r.method == "PUT" and self.name in r.path:
            self.puts += 1
            return self.fault
        return None


def _uids_on(server: RadicaleServer) -> set[str]:
    return {next(line[4:].strip() for line in text.splitlines() if line.startswith("UID:"))
            for text in server.items().values()}


def test_a_card_the_server_refuses_is_reported_by_name_and_the_others_are_pushed(
    tmp_path: Path, radicale: RadicaleServer, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
) -> None:
    radicale.make_book()
    rule = Refuse("alan-2", Fault.status(500))
    with FaultServer(rule, upstream=radicale.base_url) as proxy:
        config = _config(tmp_path, proxy.url, monkeypatch, book=THREE)
        report = sync(config)
        assert report.exit_code == 10
        assert sorted(u for u, _ in report.pushed) == ["ada-1", "grace-3"]  # grace after alan
        assert [u for u, _ in report.remote_problems] == ["alan-2"]
        assert "Alan Turing" in report.remote_problems[0][1]
        assert "500" in report.remote_problems[0][1]
        assert _uids_on(radicale) == {"ada-1", "grace-3"}
        with Ledger.open(config.ledger) as ledger:
            assert ledger.runs()[0].exit_code == 10
            assert ledger.refusals(report.carddav or "")["alan-2"].attempts == 1
        # tried again a bounded number of times, then only reported until it changes
        for _ in range(3):
            again = sync(config)
            assert again.exit_code == 10 and again.pushed == []
            assert [u for u, _ in again.remote_problems] == ["alan-2"]
        assert rule.puts == 3
        assert "not sent again until it changes" in again.remote_problems[0][1]
        # changed here: sent again; the server takes it now
        text = config.book.read_text(encoding="utf-8")
        config.book.write_text(text.replace("FN:Alan Turing", "FN:Alan M. Turing"),
                               encoding="utf-8", newline="")
        rule.fault = None
        fixed = sync(config)
        assert fixed.exit_code == 0 and [u for u, _ in fixed.pushed] == ["alan-2"]
        assert rule.puts == 4
        assert _uids_on(radicale) == {"ada-1", "alan-2", "grace-3"}
        with Ledger.open(config.ledger) as ledger:
            assert ledger.refusals(report.carddav or "") == {}
        quiet = sync(config)
        assert quiet.exit_code == 0 and quiet.pushed == [] and quiet.remote_problems == []


def test_a_server_that_says_it_is_unavailable_still_stops_the_run(
    tmp_path: Path, radicale: RadicaleServer, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
) -> None:
    radicale.make_book()
    with FaultServer(Refuse("ada-1", Fault.status(503)), upstream=radicale.base_url) as proxy:
        config = _config(tmp_path, proxy.url, monkeypatch, book=THREE)
        with pytest.raises(ServerError) as info:
            sync(config)
    assert info.value.exit_code == 8 and "503" in info.value.one_line()
    _assert_recorded_failure(config, "503")


STRICT_BOOK = (
    "BEGIN:vCard\r\nVERSION:3.0\r\nUID:mixed-1\r\nFN:Mixed Case\r\nN:Case;Mixed;;;\r\n"
    "EMAIL:mixed@example.org\r\nEND:vCard\r\n"
    "BEGIN:VCARD\r\nUID:nover-2\r\nFN:No Version\r\nN:Version;No;;;\r\n"
    "EMAIL:nover@example.org\r\nEND:VCARD\r\n"
)


def _strict(r: Request) -> Fault | None:
    """A server that answers 412 to a card it cannot read (as Xandikos does)."""
    if r.method == "PUT" and (not r.body.startswith(b"BEGIN:VCARD\r\n")
                              or b"\nVERSION:" not in r.body
                              or not r.body.rstrip().endswith(b"END:VCARD")):
        return Fault.status(412)
    return None


def test_cards_a_strict_server_cannot_read_are_sent_in_a_form_it_reads(
    tmp_path: Path, radicale: RadicaleServer, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
) -> None:
    radicale.make_book()
    with FaultServer(_strict, upstream=radicale.base_url) as proxy:
        config = _config(tmp_path, proxy.url, monkeypatch, book=STRICT_BOOK)
        before = config.book.read_bytes()
        report = sync(config)
        assert report.remote_problems == [] and report.conflicts == []
        assert sorted(u for u, _ in report.pushed) == ["mixed-1", "nover-2"]
        assert config.book.read_bytes() == before  # the book keeps its own text
        quiet = sync(config)
        assert quiet.pushed == [] and quiet.pulled == [] and quiet.remote_problems == []
        assert not quiet.book_changed
    assert _uids_on(radicale) == {"mixed-1", "nover-2"}


def test_a_412_for_a_card_that_is_not_on_the_server_is_a_refusal_not_a_conflict(
    tmp_path: Path, radicale: RadicaleServer, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
) -> None:
    radicale.make_book()
    rule = Refuse("alan-2", Fault.status(412))
    with FaultServer(rule, upstream=radicale.base_url) as proxy:
        config = _config(tmp_path, proxy.url, monkeypatch, book=THREE)
        report = sync(config)
        assert [u for u, _ in report.remote_problems] == ["alan-2"]
        reason = report.remote_problems[0][1]
        assert "Alan Turing" in reason and "refused" in reason
        assert "changed on the server" not in reason
        assert sorted(u for u, _ in report.pushed) == ["ada-1", "grace-3"]
        for _ in range(3):
            again = sync(config)
            assert [u for u, _ in again.remote_problems] == ["alan-2"]
        assert rule.puts == 3  # bounded


# -- 22: sync matches as run does ------------------------------------------------------------


def test_sync_loads_the_book_as_run_does_so_a_region_changes_no_match(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cardpipe import cli as cli_module
    from cardpipe import pipeline
    from cardpipe import sync as syncing
    from cardpipe.contact import Contact, Phone

    book = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:jr-1\r\nFN:Jane Roe\r\nN:Roe;Jane;;;\r\n"
            "TEL;TYPE=WORK:(720) 977-6816\r\nEND:VCARD\r\n")
    cfg = tmp_path / "config.toml"
    (tmp_path / "book.vcf").write_text(book, encoding="utf-8", newline="")
    cfg.write_text('book = "book.vcf"\nregion = "DE"\n[[watch]]\npath = "photos"\n',
                   encoding="utf-8")
    config = load_config(cfg)
    card = Contact(full_name="Jane Roe", given_name="Jane", family_name="Roe",
                   company="Acme", phones=(Phone("+17209776816", "work"),))
    decisions = []
    for loaded in (cli_module._load_book(config.book), syncing._load_book(config)):
        rows = pipeline.merge_into_book(loaded, [("card.jpg", card)]).rows
        decisions.append([(r.decision, r.into) for r in rows])
    assert decisions[0] == decisions[1] == [("merged", "jr-1")]
