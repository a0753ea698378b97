from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from cardpipe.errors import BookError
from cardpipe.sync.ledger import Ledger


def test_new_photo_is_not_done_and_recorded_ok_photo_is(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "l.sqlite3") as ledger:
        assert not ledger.is_done("a" * 64)
        ledger.record("a" * 64, path="x.jpg", size=10, mtime=1.5, outcome="ok", uids=["u1"])
        assert ledger.is_done("a" * 64)
        rec = ledger.photo("a" * 64)
        assert rec is not None
        assert rec.uids == ("u1",) and rec.outcome == "ok" and rec.path == "x.jpg"


def test_failed_is_done_but_retry_and_pending_are_not(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "l.sqlite3") as ledger:
        ledger.record("f", path="f.jpg", size=1, mtime=0, outcome="failed", error="not a card")
        ledger.record("r", path="r.jpg", size=1, mtime=0, outcome="retry", error="busy")
        ledger.record("p", path="p.jpg", size=1, mtime=0, outcome="pending", plan=[{"a": 1}])
        assert ledger.is_done("f")
        assert not ledger.is_done("r")
        assert not ledger.is_done("p")
        assert ledger.done_hashes() == {"f"}
        assert [p.plan for p in ledger.photos("pending")] == [[{"a": 1}]]


def test_record_again_updates_outcome_but_keeps_first_seen(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "l.sqlite3") as ledger:
        ledger.record("s", path="a.jpg", size=1, mtime=0, outcome="pending", plan=[1])
        first = ledger.photo("s")
        ledger.record("s", path="b.jpg", size=1, mtime=0, outcome="ok", uids=["u"])
        second = ledger.photo("s")
        assert first is not None and second is not None
        assert second.first_seen == first.first_seen
        assert second.outcome == "ok" and second.plan is None and second.path == "b.jpg"


def test_unknown_outcome_is_refused(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "l.sqlite3") as ledger, pytest.raises(ValueError):
        ledger.record("s", path="a.jpg", size=1, mtime=0, outcome="maybe")


def test_runs_are_numbered_and_keep_counts_and_exit_code(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "l.sqlite3") as ledger:
        one = ledger.start_run()
        ledger.finish_run(one, counts={"new": 2}, exit_code=0)
        two = ledger.start_run()
        assert two == one + 1
        runs = ledger.runs()
        assert runs[0].id == two and runs[0].finished is None
        assert runs[1].counts == {"new": 2} and runs[1].exit_code == 0


def test_transaction_rolls_back_every_write_on_error(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "l.sqlite3") as ledger:
        with pytest.raises(RuntimeError), ledger.transaction():
            ledger.record("s", path="a.jpg", size=1, mtime=0, outcome="ok")
            ledger.set_remote("c", "/h.vcf", uid="u", etag='"1"', content="k")
            raise RuntimeError("crash")
        assert ledger.photo("s") is None
        assert ledger.remote_states("c") == {}


def test_remote_state_per_collection_and_forget(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "l.sqlite3") as ledger:
        ledger.set_remote("c1", "/a.vcf", uid="u", etag='"1"', content="k1")
        ledger.set_remote("c1", "/a.vcf", uid="u", etag='"2"', content="k2")
        ledger.set_remote("c2", "/a.vcf", uid="v", etag=None, content=None)
        state = ledger.remote_states("c1")
        assert state["/a.vcf"].etag == '"2"' and state["/a.vcf"].content == "k2"
        assert ledger.remote_states("c2")["/a.vcf"].etag is None
        ledger.forget_remote("c1", "/a.vcf")
        assert ledger.remote_states("c1") == {}


def test_ledger_survives_reopen_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "l.sqlite3"
    with Ledger.open(path) as ledger:
        ledger.record("s", path="a.jpg", size=1, mtime=0, outcome="ok")
    with Ledger.open(path) as ledger:
        assert ledger.is_done("s")
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_ledger_from_a_newer_cardpipe_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version=99")
    conn.close()
    with pytest.raises(BookError, match="newer"):
        Ledger.open(path)


def test_unusable_ledger_path_is_a_book_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(BookError, match="cannot open the ledger"):
        Ledger.open(tmp_path / "file" / "l.sqlite3")


def test_a_schema_1_ledger_is_upgraded_in_place_keeping_its_states(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE carddav (collection TEXT NOT NULL, href TEXT NOT NULL, uid TEXT,"
        " etag TEXT, content TEXT, local TEXT, synced_at TEXT NOT NULL,"
        " PRIMARY KEY (collection, href));"
        "INSERT INTO carddav VALUES ('c', '/a.vcf', 'a', '\"1\"', 'k', 'h', 'then');"
        "PRAGMA user_version=1;")
    conn.close()
    with Ledger.open(path) as ledger:
        state = ledger.remote_states("c")["/a.vcf"]
        assert (state.uid, state.etag, state.content, state.base) == ("a", '"1"', "k", None)
        ledger.set_remote("c", "/a.vcf", uid="a", etag='"2"', content="k2", base="BEGIN:VCARD")
        assert ledger.remote_states("c")["/a.vcf"].base == "BEGIN:VCARD"
