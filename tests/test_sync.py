"""``cardpipe sync`` against real CardDAV servers: each test runs against Radicale
(radicale_server.py) and Xandikos (xandikos_server.py), both started on 127.0.0.1.

The CardDAV tests use a book and no photos (fast); test_sync_photos.py covers photos,
OCR and the kill tests.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cardpipe.book import Book
from cardpipe.errors import AuthError, ExitCode, LockedError, ServerError
from cardpipe.sync import carddav, sync
from cardpipe.sync.carddav import content_key
from cardpipe.sync.config import DEFAULT_PASSWORD_ENV, Config, load_config
from cardpipe.sync.ledger import Ledger
from cardpipe.sync.lock import RunLock, lock_path_for
from cardpipe.sync.photos import find_photos
from tests.radicale_server import RadicaleServer
from tests.xandikos_server import XandikosServer

BOOK = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ada-1\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\n"
    "ORG:Analytical Engines Ltd\r\nTITLE:Programmer\r\nEMAIL;TYPE=INTERNET,WORK:ada@engines.example\r\n"
    "TEL;TYPE=CELL:+44 20 7946 0018\r\nX-CUSTOM-THING:kept as is\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:alan-2\r\nFN:Alan Turing\r\nN:Turing;Alan;;;\r\n"
    "EMAIL:alan@bletchley.example\r\nNOTE:Met at Bletchley on 1941-05-01\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nN:Hopper;Grace;;;\r\n"
    "EMAIL:grace@navy.example\r\nEND:VCARD\r\n"
)


@pytest.fixture(params=["radicale", "xandikos"])
def dav_server(request: pytest.FixtureRequest, tmp_path: Path
               ) -> Iterator[RadicaleServer | XandikosServer]:
    """Each sync test runs against both real servers, started on 127.0.0.1."""
    server: RadicaleServer | XandikosServer = (
        RadicaleServer(tmp_path / "radicale") if request.param == "radicale"
        else XandikosServer(tmp_path / "xandikos"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def env(tmp_path: Path, dav_server: RadicaleServer,
        monkeypatch: pytest.MonkeyPatch) -> tuple[Config, RadicaleServer]:
    radicale = dav_server
    radicale.make_book()
    (tmp_path / "photos").mkdir()
    (tmp_path / "book.vcf").write_text(BOOK, encoding="utf-8", newline="")
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        'book = "book.vcf"\nledger = "state/ledger.sqlite3"\nlog_file = "state/sync.jsonl"\n'
        "settle_seconds = 0\n"
        '[[watch]]\npath = "photos"\n'
        f'[carddav]\nurl = "{radicale.base_url}"\nusername = "{radicale.user}"\n'
        'password_source = "env"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv(DEFAULT_PASSWORD_ENV, radicale.password)
    return load_config(cfg), radicale


def _server_keys(server: RadicaleServer) -> dict[str, str]:
    """UID -> content key of every card on the server."""
    out = {}
    for text in server.items().values():
        uid = next(line[4:] for line in text.splitlines() if line.upper().startswith("UID:"))
        out[uid] = content_key(text)
    return out


def _local_keys(config: Config) -> dict[str, str]:
    book = Book.load(config.book)
    out = {}
    for c in book.contacts():
        card = book.card(c.uid or "")
        assert card is not None
        out[c.uid or ""] = content_key(card.raw)
    return out


class PutCounter:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[str] = []
        real = carddav.CardDAVClient.put

        def put(client: carddav.CardDAVClient, href: str, text: str, **kw: object) -> object:
            self.calls.append(href)
            return real(client, href, text, **kw)  # type: ignore[arg-type]

        monkeypatch.setattr(carddav.CardDAVClient, "put", put)


def _phone_edit(server: RadicaleServer, uid: str, edit: object) -> None:
    """Change a card on the server the way a phone would: GET, edit, PUT If-Match."""
    url = server.book_url + f"{uid}.vcf"
    with server.client() as c:
        r = c.get(url)
        assert r.status_code == 200
        text = edit(r.text)  # type: ignore[operator]
        put = c.put(url, content=text.encode(), headers={"If-Match": r.headers["etag"],
                                                        "Content-Type": "text/vcard"})
        assert put.status_code in (201, 204), put.text


def test_first_sync_uploads_every_contact_with_a_uid(env: tuple[Config, RadicaleServer]) -> None:
    config, server = env
    report = sync(config)
    assert report.exit_code == ExitCode.OK
    assert len(report.pushed) == 3
    local = _local_keys(config)
    assert len(local) == 3
    assert _server_keys(server) == local  # same content on both sides (not same bytes)
    text = config.book.read_text(encoding="utf-8")
    assert text.count("UID:") == 3  # Grace got a UID before upload
    assert "X-CUSTOM-THING:kept as is" in text
    assert any("X-CUSTOM-THING" in t for t in server.items().values())


def test_rerun_with_nothing_new_writes_nothing(env: tuple[Config, RadicaleServer],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    config, server = env
    sync(config)
    before_bytes = config.book.read_bytes()
    before_stat = config.book.stat().st_mtime_ns
    before_server = server.items()
    counter = PutCounter(monkeypatch)
    report = sync(config)
    assert counter.calls == []
    assert report.pushed == [] and report.pulled == [] and not report.book_changed
    assert config.book.read_bytes() == before_bytes
    assert config.book.stat().st_mtime_ns == before_stat
    assert server.items() == before_server
    assert not list(config.book.parent.glob("book.vcf.bak-*"))[1:]  # only the first run's


def test_an_edit_on_the_phone_is_pulled_into_the_book(
    env: tuple[Config, RadicaleServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    config, server = env
    sync(config)
    _phone_edit(server, "ada-1", lambda t: t.replace("TITLE:Programmer", "TITLE:Countess")
                .replace("END:VCARD", "BDAY:1815-12-10\r\nEND:VCARD"))
    counter = PutCounter(monkeypatch)
    report = sync(config)
    assert [u for u, _ in report.pulled] == ["ada-1"]
    assert counter.calls == []  # nothing to send back
    book = Book.load(config.book)
    ada = book.get("ada-1")
    assert ada is not None and ada.title == "Countess"
    card = book.card("ada-1")
    assert card is not None and "BDAY:1815-12-10" in card.raw  # a field cardpipe has no slot for
    assert _server_keys(server) == _local_keys(config)
    # and it stays quiet afterwards
    again = sync(config)
    assert again.pulled == [] and again.pushed == [] and not again.book_changed


def _local_edit(config: Config, uid: str, edit: object) -> None:
    """Change a card's text in the book the way another local client would."""
    book = Book.load(config.book)
    card = book.card(uid)
    assert card is not None
    book.put_text(edit(card.raw), uid=uid)  # type: ignore[operator]
    book.save()


def test_edits_on_both_sides_are_merged_three_way_keeping_every_change(
    env: tuple[Config, RadicaleServer],
) -> None:
    config, server = env
    sync(config)
    book = Book.load(config.book)
    alan = book.get("alan-2")
    assert alan is not None
    from cardpipe.contact import Email, Phone

    book.update("alan-2", alan.replace(emails=(*alan.emails, Email("alan@manchester.example")),
                                       title="Reader"))
    book.save()
    # properties cardpipe has no field for, or keeps only one of, changed here
    _local_edit(config, "alan-2", lambda t: t.replace(
        "END:VCARD", "ROLE:Codebreaker\r\nANNIVERSARY:19360528\r\nX-TEAM:Hut 8\r\n"
                     "TITLE:Fellow\r\nEND:VCARD"))
    _phone_edit(server, "alan-2", lambda t: t.replace("FN:Alan Turing", "FN:Alan M. Turing")
                .replace("END:VCARD", "TEL;TYPE=CELL:+44 161 496 0000\r\nEND:VCARD"))
    report = sync(config)
    assert report.conflicts == []  # different properties: nothing to decide
    assert [u for u, _ in report.pulled] == ["alan-2"]
    merged = Book.load(config.book).get("alan-2")
    assert merged is not None
    assert {e.address for e in merged.emails} == {"alan@bletchley.example",
                                                  "alan@manchester.example"}
    assert [p.number for p in merged.phones] == [Phone("+441614960000").number]
    assert merged.note and "Met at Bletchley" in merged.note
    assert merged.full_name == "Alan M. Turing"  # the phone's correction
    assert merged.title == "Reader"  # our change
    raw = Book.load(config.book).card("alan-2").raw  # type: ignore[union-attr]
    for line in ("ROLE:Codebreaker", "ANNIVERSARY:19360528", "X-TEAM:Hut 8", "TITLE:Fellow"):
        assert line in raw  # every local change survives, not only modelled fields
    assert _server_keys(server) == _local_keys(config)  # the merge went back to the server
    again = sync(config)
    assert again.pulled == [] and again.pushed == [] and again.conflicts == []


def test_a_field_changed_differently_on_both_sides_keeps_both_and_is_reported(
    env: tuple[Config, RadicaleServer],
) -> None:
    config, server = env
    _local_edit(config, "alan-2", lambda t: t.replace("END:VCARD",
                                                      "BDAY:1912-06-23\r\nEND:VCARD"))
    sync(config)
    _local_edit(config, "alan-2", lambda t: t.replace("BDAY:1912-06-23", "BDAY:1912-06-22"))
    _phone_edit(server, "alan-2", lambda t: t.replace("BDAY:1912-06-23", "BDAY:1912-07-23"))
    report = sync(config)
    assert [u for u, _ in report.conflicts] == ["alan-2"]
    assert "BDAY" in report.conflicts[0][1]
    card = Book.load(config.book).card("alan-2")
    assert card is not None
    assert "BDAY:1912-07-23" in card.raw  # the phone's value is the card's
    contact = Book.load(config.book).get("alan-2")
    assert contact is not None and contact.note and "1912-06-22" in contact.note  # ours kept
    assert _server_keys(server) == _local_keys(config)


def test_a_property_deleted_on_the_phone_is_not_brought_back_by_a_local_edit(
    env: tuple[Config, RadicaleServer],
) -> None:
    config, server = env
    _local_edit(config, "alan-2", lambda t: t.replace(
        "END:VCARD", "TEL;TYPE=HOME:+44 20 7946 0000\r\nEND:VCARD"))
    sync(config)
    _local_edit(config, "alan-2", lambda t: t.replace("END:VCARD",
                                                      "ROLE:Codebreaker\r\nEND:VCARD"))
    _phone_edit(server, "alan-2", lambda t: "".join(
        ln for ln in t.splitlines(keepends=True) if "7946" not in ln))
    sync(config)
    card = Book.load(config.book).card("alan-2")
    assert card is not None
    assert "7946" not in card.raw and "ROLE:Codebreaker" in card.raw
    assert _server_keys(server) == _local_keys(config)


def test_without_a_recorded_base_both_sides_are_merged_field_by_field(
    env: tuple[Config, RadicaleServer],
) -> None:
    """A ledger from before base texts were kept (or one that lost them) still merges."""
    config, server = env
    sync(config)
    with Ledger.open(config.ledger) as ledger:
        ledger._conn.execute("UPDATE carddav SET base = NULL")
    book = Book.load(config.book)
    alan = book.get("alan-2")
    assert alan is not None
    book.update("alan-2", alan.replace(title="Reader"))
    book.save()
    _phone_edit(server, "alan-2", lambda t: t.replace("FN:Alan Turing", "FN:Alan M. Turing"))
    report = sync(config)
    assert [u for u, _ in report.conflicts] == ["alan-2"]  # reported as a field-wise merge
    merged = Book.load(config.book).get("alan-2")
    assert merged is not None
    assert merged.full_name == "Alan M. Turing" and merged.title == "Reader"
    assert _server_keys(server) == _local_keys(config)


def test_a_photo_set_on_the_phone_wins_over_a_card_image_attached_here(
    env: tuple[Config, RadicaleServer],
) -> None:
    import base64

    from cardpipe.contact import Photo

    config, server = env
    sync(config)
    card_image = Photo(b"\xff\xd8\xff\xe0" + b"card image" * 200)
    portrait = Photo(b"\x89PNG\r\n\x1a\n" + b"portrait" * 50, "image/png")
    book = Book.load(config.book)
    alan = book.get("alan-2")
    assert alan is not None
    book.update("alan-2", alan.replace(photo=card_image, title="Reader"))
    book.save()
    line = "PHOTO;ENCODING=b;TYPE=PNG:" + base64.b64encode(portrait.data).decode()
    _phone_edit(server, "alan-2", lambda t: t.replace("END:VCARD", line + "\r\nEND:VCARD"))
    report = sync(config)
    assert [u for u, _ in report.conflicts] == ["alan-2"]
    merged = Book.load(config.book).get("alan-2")
    assert merged is not None
    assert merged.photo == portrait  # the person's own picture, not the card
    assert merged.title == "Reader"  # our other change is kept
    assert _server_keys(server) == _local_keys(config)
    again = sync(config)
    assert again.pulled == [] and again.pushed == [] and not again.book_changed


def test_a_card_made_on_the_phone_is_added_and_one_deleted_there_is_kept(
    env: tuple[Config, RadicaleServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    config, server = env
    sync(config)
    new = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-77\r\nFN:Katherine Johnson\r\n"
           "N:Johnson;Katherine;;;\r\nTEL;TYPE=CELL:+1 757 555 0100\r\nEND:VCARD\r\n")
    with server.client() as c:
        assert c.put(server.book_url + "phone-77.vcf", content=new.encode(),
                     headers={"If-None-Match": "*"}).status_code == 201
        assert c.delete(server.book_url + "alan-2.vcf").status_code in (200, 204)
    counter = PutCounter(monkeypatch)
    report = sync(config)
    what = dict(report.pulled)
    assert what["phone-77"] == "added from the server"
    assert what["alan-2"].startswith("deleted on the server")
    book = Book.load(config.book)
    assert book.get("phone-77") is not None
    assert book.get("alan-2") is not None  # never lost
    assert counter.calls == []  # Alan is not uploaded again
    assert sync(config).pushed == []


@pytest.mark.parametrize("dav_server", ["radicale"], indirect=True)  # Xandikos has no auth
def test_wrong_password_is_an_auth_error_and_nothing_changes_locally(
    env: tuple[Config, RadicaleServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    config, _server = env
    monkeypatch.setenv(DEFAULT_PASSWORD_ENV, "not-the-password")
    before = config.book.read_bytes()
    with pytest.raises(AuthError) as info:
        sync(config)
    assert info.value.exit_code == 9
    assert "not-the-password" not in info.value.one_line()
    assert config.book.read_bytes() == before
    assert list(config.book.parent.glob("book.vcf.bak-*")) == []
    with Ledger.open(config.ledger) as ledger:
        assert ledger.runs()[0].exit_code == 9
    log = config.log_file.read_text(encoding="utf-8") if config.log_file else ""
    assert "not-the-password" not in log


def test_server_down_leaves_the_book_alone_and_the_next_run_catches_up(
    env: tuple[Config, RadicaleServer],
) -> None:
    config, server = env
    server.stop()
    before = config.book.read_bytes()
    with pytest.raises(ServerError) as info:
        sync(config)
    assert info.value.exit_code == 8
    assert config.book.read_bytes() == before
    server.start()
    report = sync(config)
    assert len(report.pushed) == 3
    assert _server_keys(server) == _local_keys(config)


def test_a_second_run_while_one_holds_the_lock_exits_at_once(
    env: tuple[Config, RadicaleServer],
) -> None:
    config, _server = env
    with RunLock(lock_path_for(config.ledger)), pytest.raises(LockedError) as info:
        sync(config)
    assert info.value.exit_code == 7
    assert "another cardpipe run is in progress" in str(info.value)


def test_dry_run_writes_nothing_anywhere(env: tuple[Config, RadicaleServer],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    config, server = env
    before = config.book.read_bytes()
    counter = PutCounter(monkeypatch)
    report = sync(config, dry_run=True)
    assert report.dry_run and len(report.pushed) == 3  # what it would do
    assert counter.calls == []
    assert server.items() == {}
    assert config.book.read_bytes() == before


def test_dry_run_with_a_fresh_ledger_reports_what_the_real_run_does(
    env: tuple[Config, RadicaleServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    config, server = env
    sync(config)  # everything is on the server now
    for p in config.ledger.parent.glob(config.ledger.name + "*"):
        p.unlink()  # a lost ledger
    counter = PutCounter(monkeypatch)
    dry = sync(config, dry_run=True)
    real = sync(config)
    assert counter.calls == []
    assert dry.pushed == real.pushed == []
    assert dry.summary_lines()[1] == real.summary_lines()[1]


def test_a_card_the_server_rewrote_is_not_merged_with_itself_when_the_ledger_is_lost(
    env: tuple[Config, RadicaleServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    config, server = env
    hans = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:hans-4\r\nFN:Hans Maier\r\nN:Maier;Hans;;;\r\n"
            "TEL;TYPE=WORK:07412 402056\r\nTEL;TYPE=CELL:0171 2345678\r\n"
            "EMAIL:hans@maier.example\r\nEND:VCARD\r\n")
    config.book.write_text(BOOK + hans, encoding="utf-8", newline="")
    sync(config)
    # the server (or a phone app) rewrites the numbers in E.164 and the e-mail's case
    _phone_edit(server, "hans-4", lambda t: t.replace("07412 402056", "+497412402056")
                .replace("0171 2345678", "+49 171 2345678")
                .replace("hans@maier.example", "Hans@Maier.example"))
    for p in config.ledger.parent.glob(config.ledger.name + "*"):
        p.unlink()  # a lost ledger: nothing says which side changed
    before = config.book.read_bytes()
    counter = PutCounter(monkeypatch)
    report = sync(config)
    assert report.conflicts == [] and report.pushed == [] and counter.calls == []
    assert config.book.read_bytes() == before
    stored = server.items()["hans-4.vcf"]
    assert stored.count("TEL") == 2
    quiet = sync(config)
    assert quiet.pulled == [] and quiet.pushed == [] and not quiet.book_changed


def test_run_log_is_json_lines_without_the_password(env: tuple[Config, RadicaleServer],
                                                    tmp_path: Path) -> None:
    config, server = env
    log = tmp_path / "other.jsonl"
    sync(config, log=log)
    events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert events[0]["event"] == "start" and events[-1]["event"] == "summary"
    assert events[-1]["counts"]["pushed"] == 3
    assert {e["run"] for e in events} == {events[0]["run"]}
    assert server.password not in log.read_text(encoding="utf-8")
    assert os.environ[DEFAULT_PASSWORD_ENV] not in log.read_text(encoding="utf-8")


# -- finding photos (no OCR needed) ------------------------------------------------------


def _photo_config(tmp_path: Path, settle: int = 30) -> Config:
    (tmp_path / "photos" / "Fair").mkdir(parents=True)
    (tmp_path / "config.toml").write_text(
        f'book = "book.vcf"\nledger = "ledger.sqlite3"\nsettle_seconds = {settle}\n'
        '[[watch]]\npath = "photos"\n', encoding="utf-8")
    return load_config(tmp_path / "config.toml")


def _jpeg(path: Path, payload: bytes, age: float = 3600) -> Path:
    path.write_bytes(b"\xff\xd8\xff\xe0" + payload)
    old = time.time() - age
    os.utime(path, (old, old))
    return path


def test_find_photos_gives_every_skipped_file_a_reason(tmp_path: Path) -> None:
    config = _photo_config(tmp_path)
    folder = config.watch[0].path / "Fair"
    a = _jpeg(folder / "a.jpg", b"one")
    _jpeg(folder / "copy-of-a.jpg", b"one")
    _jpeg(folder / "fresh.jpg", b"two", age=1)
    _jpeg(folder / "empty.png", b"")
    (folder / "empty.png").write_bytes(b"")
    (folder / "notes.txt").write_text("x")
    (folder / ".DS_Store").write_text("x")
    (folder / "loop").symlink_to(config.watch[0].path, target_is_directory=True)
    (folder / "dangling.jpg").symlink_to(folder / "missing.jpg")
    (folder / "self.jpg").symlink_to(folder / "self.jpg")
    with Ledger.open(config.ledger) as ledger:
        plan = find_photos(config, ledger)
    assert [f.path for f in plan.new] == [a]
    reasons = {Path(p).name: r for p, r in plan.skipped}
    assert reasons["copy-of-a.jpg"] == f"same photo as {a}"
    assert reasons["fresh.jpg"].startswith("still being written")
    assert reasons["empty.png"] == "empty file (0 bytes)"
    assert reasons["notes.txt"] == "not a photo (.txt)"
    assert reasons["loop"].startswith("symlink loop")
    assert reasons["dangling.jpg"].startswith("broken symlink")
    assert reasons["self.jpg"].startswith("symlink loop")
    assert ".DS_Store" not in reasons


def test_known_photos_are_skipped_and_a_changed_file_is_new(tmp_path: Path) -> None:
    config = _photo_config(tmp_path)
    folder = config.watch[0].path / "Fair"
    a = _jpeg(folder / "a.jpg", b"one")
    b = _jpeg(folder / "b.jpg", b"two")
    with Ledger.open(config.ledger) as ledger:
        for f in find_photos(config, ledger).new:
            ledger.record(f.sha256, path=f.path, size=f.size, mtime=f.mtime, outcome="ok")
        plan = find_photos(config, ledger)
        assert plan.new == [] and plan.known == 2
        _jpeg(b, b"two, edited")
        plan = find_photos(config, ledger)
        assert [f.path for f in plan.new] == [b] and plan.known == 1
        a.unlink()
        assert find_photos(config, ledger).known == 0


# -- SIGKILL in the middle of a first sync, then a rerun ----------------------------------

RUNNER = """
import sys
from cardpipe.sync.config import load_config
from cardpipe.sync import sync
sync(load_config(sys.argv[1]))
"""
ROOT = Path(__file__).resolve().parents[1]


def run_until(config: Config, checkpoint: str, marker: Path) -> None:
    """Run sync in a child process, SIGKILL it (and its workers) at ``checkpoint``."""
    env = {**os.environ, "CARDPIPE_SYNC_PAUSE_AT": checkpoint,
           "CARDPIPE_SYNC_PAUSE_FILE": str(marker),
           "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH"))
                                         if p)}
    child = subprocess.Popen([sys.executable, "-c", RUNNER, str(config.path)], env=env,
                             start_new_session=True, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 180
        while not marker.exists():
            if child.poll() is not None:
                err = child.stderr.read().decode() if child.stderr else ""
                raise AssertionError(f"sync ended before {checkpoint}: {err}")
            assert time.monotonic() < deadline, f"sync never reached {checkpoint}"
            time.sleep(0.05)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL


@pytest.mark.parametrize("checkpoint", ["saved", "recorded", "put-sent"])
def test_killed_during_a_first_sync_the_rerun_uploads_everything_once(
    env: tuple[Config, RadicaleServer], checkpoint: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config, server = env
    run_until(config, checkpoint, tmp_path / "paused")
    Book.load(config.book)  # always a complete, valid file
    counter = PutCounter(monkeypatch)
    report = sync(config)
    assert report.exit_code == ExitCode.OK
    local = _local_keys(config)
    assert len(local) == 3
    assert _server_keys(server) == local
    assert len(server.items()) == 3  # nobody twice on the server
    already = 1 if checkpoint == "put-sent" else 0
    assert len(counter.calls) == 3 - already
    assert sync(config).pushed == []


def test_a_vdir_book_syncs_both_ways(env: tuple[Config, RadicaleServer]) -> None:
    config, server = env
    vdir = config.book.parent / "contacts"
    Book.load(config.book).save(vdir)  # the same three contacts, one file each
    config = dataclasses.replace(config, book=vdir)
    sync(config)
    assert len(server.items()) == 3
    _phone_edit(server, "ada-1", lambda t: t.replace("TITLE:Programmer", "TITLE:Countess"))
    report = sync(config)
    assert [u for u, _ in report.pulled] == ["ada-1"]
    ada = Book.load(vdir).get("ada-1")
    assert ada is not None and ada.title == "Countess"
    assert len(list(vdir.glob("*.vcf"))) == 3
    assert _server_keys(server) == _local_keys(config)


def test_commas_and_vcard_21_survive_a_server_that_rewrites_cards(
    env: tuple[Config, RadicaleServer], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Radicale (vobject) cuts 'NOTE:a, b' to 'NOTE:a' and mangles quoted-printable."""
    config, server = env
    config.book.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c-1\r\nFN:Carla Comma\r\nN:Comma;Carla;;;\r\n"
        "ORG:Smith, Jones & Partners\r\nNOTE:Met at Expo, Lisbon on 2025-11-12\r\n"
        "NICKNAME:Cee\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:2.1\r\nUID:q-2\r\nN:M=C3=BCller;J=C3=BCrgen\r\n"
        "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller\r\n"
        "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Gr=C3=BC=C3=9Fe, aus K=C3=B6ln\r\n"
        "TEL;CELL:+49 170 5550100\r\nEND:VCARD\r\n",
        encoding="utf-8", newline="")
    before = config.book.read_bytes()
    report = sync(config)
    assert len(report.pushed) == 2 and report.remote_problems == []
    assert config.book.read_bytes() == before  # the book keeps its own text
    stored = "\n".join(server.items().values())
    assert "Lisbon on 2025-11-12" in stored and "Jones & Partners" in stored
    assert "aus Köln" in stored and "Jürgen Müller" in stored
    counter = PutCounter(monkeypatch)
    again = sync(config)
    assert counter.calls == [] and again.pulled == [] and again.conflicts == []


def test_a_card_that_is_not_utf8_is_pushed_as_the_reader_decoded_it(
    env: tuple[Config, RadicaleServer], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """kcontacts' vcard9.vcf: UTF-8 characters split by line folds; and a Latin-1 value."""
    config, server = env
    data = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:split-1\r\nFN:Длинны".encode() + b"\xd0\r\n"
            b" \xb9\r\nNOTE;CHARSET=ISO-8859-1:Caf\xe9 cr\xe8me\r\nEND:VCARD\r\n")
    config.book.write_bytes(data)
    report = sync(config)
    assert report.exit_code == ExitCode.OK and len(report.pushed) == 1
    stored = "\n".join(server.items().values())
    assert "Длинный" in stored and "Café crème" in stored
    assert config.book.read_bytes() == data  # the book keeps its own bytes
    counter = PutCounter(monkeypatch)
    again = sync(config)
    assert counter.calls == [] and again.pulled == [] and again.conflicts == []


def test_uri_values_reach_the_server_whole_and_without_backslashes(
    env: tuple[Config, RadicaleServer], monkeypatch: pytest.MonkeyPatch,
) -> None:
    config, server = env
    config.book.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:geo-1\r\nFN:Gina Geo\r\nN:Geo;Gina;;;\r\n"
        "GEO:geo:51.5237,0.1585\r\nURL:https://maps.example/?ll=51.5,0.1\r\n"
        "X-SOCIALPROFILE;type=twitter:https://x.com/gina,geo\r\nEND:VCARD\r\n",
        encoding="utf-8", newline="")
    report = sync(config)
    assert len(report.pushed) == 1 and report.remote_problems == []
    stored = next(iter(server.items().values()))
    assert "GEO:geo:51.5237,0.1585" in stored and "\\," not in stored
    assert "https://maps.example/?ll=51.5%2C0.1" in stored
    assert "https://x.com/gina%2Cgeo" in stored
    counter = PutCounter(monkeypatch)
    again = sync(config)
    assert counter.calls == [] and again.pulled == [] and again.conflicts == []


def test_a_vcard_21_card_keeps_every_property_through_upload_and_a_phone_edit(
    env: tuple[Config, RadicaleServer],
) -> None:
    """The upload of a 2.1 card carries every property as written (a PHOTO, each TEL line,
    PREF, a number without country code), so a phone edit pulled back loses nothing."""
    config, server = env
    data = (Path(__file__).parent / "data" / "vcards" / "ezvcard__John_Doe_ANDROID.vcf"
            ).read_bytes()
    from cardpipe import vcard

    card = next(c for c in vcard.read_file(data, source="android").cards
                if c.ok and sum(p.name == "TEL" for p in c.props) >= 3
                and any(p.name == "PHOTO" for p in c.props))
    text = card.raw.replace("END:VCARD", "UID:android-1\r\nTEL;HOME:123456\r\nEND:VCARD")
    config.book.write_text(text, encoding="utf-8", newline="")
    before = vcard.read_vcards(text, source="before")[0]
    tels = sorted(p.value for p in before.props if p.name == "TEL")
    first = sync(config)
    assert first.pushed == [("android-1", "created")], first.remote_problems
    _phone_edit(server, "android-1", lambda t: t.replace("END:VCARD",
                                                         "ROLE:Edited on the phone\r\nEND:VCARD"))
    report = sync(config)
    assert [u for u, _ in report.pulled] == ["android-1"] and report.conflicts == []
    after = Book.load(config.book).card("android-1")
    assert after is not None and after.contact is not None and before.contact is not None
    assert "ROLE:Edited on the phone" in after.raw
    assert sorted(p.value for p in after.props if p.name == "TEL") == tels  # as written
    assert sum(p.name == "PHOTO" for p in after.props) == 1
    assert [p.number for p in after.contact.phones] == [p.number for p in before.contact.phones]
    assert sum("PREF" in p.raw.upper() for p in after.props if p.name == "TEL") == sum(
        "PREF" in p.raw.upper() for p in before.props if p.name == "TEL")
    # the picture the server could not take (its base64 is broken) is still in the book
    assert [p.value for p in after.props if p.name == "PHOTO"] == [
        p.value for p in before.props if p.name == "PHOTO"]
    again = sync(config)
    assert again.pushed == [] and again.pulled == [] and again.remote_problems == []

