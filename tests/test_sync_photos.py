"""``cardpipe sync`` with real photos (real Tesseract) — incremental runs, problem files,
and SIGKILL at every checkpoint followed by a rerun.

Photos are rendered once per session with samples/generate.py (clean cards: OCR of these
is reliable; ~2-4 s per photo, so every test uses 2 or 3).
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image

from cardpipe import pipeline
from cardpipe.book import Book
from cardpipe.contact import Contact, Email, Photo
from cardpipe.errors import ExitCode
from cardpipe.sync import CHECKPOINTS, sync
from cardpipe.sync.bookview import BookView
from cardpipe.sync.carddav import content_key
from cardpipe.sync.config import DEFAULT_PASSWORD_ENV, Config, load_config
from cardpipe.sync.ledger import Ledger
from cardpipe.vcard import read_vcards
from tests.radicale_server import RadicaleServer, radicale  # noqa: F401
from tests.test_sync import run_until

ROOT = Path(__file__).resolve().parents[1]
EVENT = "Expo 2025"
BOOK = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ada-1\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\n"
    "EMAIL:ada@engines.example\r\nEND:VCARD\r\n"
)


@pytest.fixture(scope="session")
def cards(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, dict[str, object]]]:
    """Three rendered card photos with their ground truth."""
    sys.path.insert(0, str(ROOT / "samples"))
    try:
        from generate import generate  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(ROOT / "samples"))
    out = tmp_path_factory.mktemp("cards")
    paths = generate(out, seed=7, count=3, difficulty="clean")
    return [(p, json.loads(p.with_suffix(".json").read_text(encoding="utf-8"))) for p in paths]


def _config(tmp_path: Path, server: RadicaleServer | None = None, settle: int = 0) -> Config:
    (tmp_path / "photos" / EVENT).mkdir(parents=True, exist_ok=True)
    if not (tmp_path / "book.vcf").exists():
        (tmp_path / "book.vcf").write_text(BOOK, encoding="utf-8", newline="")
    text = ('book = "book.vcf"\nledger = "state/ledger.sqlite3"\n'
            f"settle_seconds = {settle}\njobs = 1\n"
            '[[watch]]\npath = "photos"\n')
    if server is not None:
        text += (f'[carddav]\nurl = "{server.book_url}"\nusername = "{server.user}"\n'
                 'password_source = "env"\n')
    (tmp_path / "config.toml").write_text(text, encoding="utf-8")
    return load_config(tmp_path / "config.toml")


def _add_photo(config: Config, photo: Path, name: str | None = None) -> Path:
    target = config.watch[0].path / EVENT / (name or photo.name)
    shutil.copyfile(photo, target)
    old = time.time() - 3600
    os.utime(target, (old, old))
    return target


class ScanSpy:
    """Records which photos the real scanner was asked to read."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[str] = []
        real = pipeline.scan_paths

        def spy(paths: list[str], **kw: object) -> object:
            self.paths.extend(str(p) for p in paths)
            return real(paths, **kw)  # type: ignore[arg-type]

        monkeypatch.setattr(pipeline, "scan_paths", spy)


def _people(book_path: Path) -> Counter[tuple[str, ...]]:
    """Each contact as its sorted emails (what 'nobody lost or duplicated' is checked on)."""
    book = Book.load(book_path)
    assert book.errors == []
    return Counter(tuple(sorted(e.address.lower() for e in c.emails)) for c in book.contacts())


def test_photos_are_scanned_once_and_a_rerun_writes_nothing(
    tmp_path: Path, cards: list[tuple[Path, dict[str, object]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = _config(tmp_path)
    for photo, _ in cards[:2]:
        _add_photo(config, photo)
    spy = ScanSpy(monkeypatch)
    report = sync(config)
    assert report.exit_code == ExitCode.OK, report.summary_lines()
    assert len(spy.paths) == 2
    assert [p.outcome for p in report.photos] == ["ok", "ok"]
    book = Book.load(config.book)
    assert len(book.contacts()) == 3
    with Ledger.open(config.ledger) as ledger:
        rows = ledger.photos("ok")
    assert len(rows) == 2
    assert sorted(r.sha256 for r in rows) == sorted(p.sha256 for p in report.photos)
    for row in rows:  # each photo's contact is in the book, with where we met
        [uid] = row.uids
        person = book.get(uid)
        assert person is not None and person.uid != "ada-1"
        assert person.note and f"Met at {EVENT}" in person.note
        assert EVENT in person.categories
    before, mtime = config.book.read_bytes(), config.book.stat().st_mtime_ns
    again = sync(config)
    assert len(spy.paths) == 2  # nothing scanned again
    assert again.known == 2 and again.photos == [] and not again.book_changed
    assert config.book.read_bytes() == before and config.book.stat().st_mtime_ns == mtime


def test_new_and_changed_photos_are_scanned_and_a_deleted_one_keeps_its_contact(
    tmp_path: Path, cards: list[tuple[Path, dict[str, object]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = _config(tmp_path)
    first = _add_photo(config, cards[0][0])
    second = _add_photo(config, cards[1][0])
    sync(config)
    people = _people(config.book)
    spy = ScanSpy(monkeypatch)
    with open(first, "ab") as f:  # same picture, other bytes (e.g. metadata edited)
        f.write(b"\0" * 16)
    old = time.time() - 3600
    os.utime(first, (old, old))
    third = _add_photo(config, cards[2][0])
    second.unlink()
    report = sync(config)
    assert sorted(spy.paths) == sorted([str(first), str(third)])
    assert sorted(d for p in report.photos for d in p.decisions) == ["merged", "new"]
    after = _people(config.book)
    assert sum(after.values()) == sum(people.values()) + 1  # only the third card is new
    assert all(after[k] == 1 for k in after)  # nobody twice, the deleted photo's kept


def test_problem_files_each_get_a_reason_and_the_batch_goes_on(
    tmp_path: Path, cards: list[tuple[Path, dict[str, object]]],
) -> None:
    config = _config(tmp_path, settle=60)
    folder = config.watch[0].path / EVENT
    good = _add_photo(config, cards[0][0])
    (folder / "notes.txt").write_text("not a photo")
    (folder / "empty.jpg").write_bytes(b"")
    data = cards[1][0].read_bytes()
    (folder / "truncated.jpg").write_bytes(data[: len(data) // 3])
    Image.new("1", (20000, 20000)).save(folder / "huge.png")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "broken.jpg").symlink_to(folder / "nowhere.jpg")
    old = time.time() - 3600
    for name in ("notes.txt", "empty.jpg", "truncated.jpg", "huge.png"):
        os.utime(folder / name, (old, old))
    shutil.copyfile(cards[2][0], folder / "still-copying.jpg")  # modified just now
    report = sync(config)
    skipped = {Path(p).name: r for p, r in report.skipped}
    assert skipped["notes.txt"].startswith("not a photo")
    assert skipped["empty.jpg"] == "empty file (0 bytes)"
    assert skipped["still-copying.jpg"].startswith("still being written")
    assert skipped["loop"].startswith("symlink loop")
    assert "broken symlink" in skipped["broken.jpg"]
    failed = {Path(p.path).name: p.error for p in report.photos if p.outcome == "failed"}
    assert set(failed) == {"truncated.jpg", "huge.png"}
    assert "too large" in (failed["huge.png"] or "")
    assert [p.path for p in report.photos if p.outcome == "ok"] == [str(good)]
    assert report.exit_code == ExitCode.PARTIAL
    assert all("\n" not in r for r in skipped.values())
    # failed photos are not retried; the settled file is taken by the next run
    os.utime(folder / "still-copying.jpg", (old, old))
    again = sync(config)
    assert [Path(p.path).name for p in again.photos] == ["still-copying.jpg"]


# -- SIGKILL at every checkpoint, then a rerun ----------------------------------------------

@pytest.fixture(scope="session")
def reference(tmp_path_factory: pytest.TempPathFactory,
              cards: list[tuple[Path, dict[str, object]]]) -> Counter[tuple[str, ...]]:
    """The people an uninterrupted run ends with."""
    folder = tmp_path_factory.mktemp("reference")
    config = _config(folder)
    for photo, _ in cards[:2]:
        _add_photo(config, photo)
    sync(config)
    return _people(config.book)


@pytest.mark.slow
@pytest.mark.parametrize("checkpoint", CHECKPOINTS)
def test_killed_at_any_checkpoint_the_next_run_finishes_the_work(
    tmp_path: Path, checkpoint: str, radicale: RadicaleServer,  # noqa: F811
    cards: list[tuple[Path, dict[str, object]]], reference: Counter[tuple[str, ...]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    radicale.make_book()
    monkeypatch.setenv(DEFAULT_PASSWORD_ENV, radicale.password)
    config = _config(tmp_path, radicale)
    for photo, _ in cards[:2]:
        _add_photo(config, photo)
    run_until(config, checkpoint, tmp_path / "paused")
    Book.load(config.book)  # the book on disk is always a valid, complete file
    report = sync(config)
    assert report.exit_code == ExitCode.OK, report.summary_lines()
    assert _people(config.book) == reference  # nobody lost, nobody twice
    book = Book.load(config.book)
    local = {c.uid: content_key(book.card(c.uid).raw) for c in book.contacts()  # type: ignore[union-attr]
             if c.uid}
    server = {}
    for text in radicale.items().values():
        uid = next(line[4:] for line in text.splitlines() if line.upper().startswith("UID:"))
        server[uid] = content_key(text)
    assert server == local  # the server has exactly the book
    with Ledger.open(config.ledger) as ledger:
        assert ledger.photos("pending") == []
        assert len(ledger.photos("ok")) == 2
    quiet = sync(config)
    assert quiet.photos == [] and quiet.pushed == [] and not quiet.book_changed


# -- attach_photo --------------------------------------------------------------------------

def test_attach_photo_gives_new_contacts_the_card_image_on_the_server_too(
    tmp_path: Path, cards: list[tuple[Path, dict[str, object]]],
    radicale: RadicaleServer, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
) -> None:
    radicale.make_book()
    monkeypatch.setenv(DEFAULT_PASSWORD_ENV, radicale.password)
    config = dataclasses.replace(_config(tmp_path, radicale), attach_photo=True)
    _add_photo(config, cards[0][0])
    report = sync(config)
    assert report.exit_code == ExitCode.OK, report.summary_lines()
    [uid] = report.photos[0].uids
    book = Book.load(config.book)
    photo = book.get(uid).photo  # type: ignore[union-attr]
    assert photo is not None and photo.media_type == "image/jpeg"
    assert 1_000 < len(photo.data) <= 60_000
    assert book.get("ada-1").photo is None  # type: ignore[union-attr]  # nobody else got one
    on_server = [c.contact for text in radicale.items().values()
                 for c in read_vcards(text, source="server")]
    assert [c.photo for c in on_server if c and c.uid == uid] == [photo]
    before = config.book.read_bytes()
    quiet = sync(config)
    assert quiet.photos == [] and quiet.pushed == [] and quiet.pulled == []
    assert not quiet.book_changed and config.book.read_bytes() == before


def test_a_plan_resumed_after_a_kill_still_attaches_the_card_image(tmp_path: Path) -> None:
    (tmp_path / "book.vcf").write_text(BOOK, encoding="utf-8", newline="")
    view = BookView(Book.load(tmp_path / "book.vcf"))
    photo = Photo(b"\xff\xd8\xff\xe0" + b"card image" * 100)
    dana = Contact(full_name="Dana Whitfield", emails=(Email("dana@example.org"),), photo=photo)
    ada = Contact(full_name="Ada Lovelace", emails=(Email("ada@engines.example"),), photo=photo)
    plan = [  # as the ledger keeps it: JSON
        {"contact": dana.to_dict(), "event": EVENT, "met_on": "2025-05-01", "decision": "new",
         "into": "dana-1", "reasons": []},
        {"contact": ada.to_dict(), "event": EVENT, "met_on": "2025-05-01",
         "decision": "merged", "into": "ada-1", "reasons": ["email"]},
    ]
    for item in json.loads(json.dumps(plan)):
        assert view.apply_plan(pipeline.Plan.from_dict(item)) is True
    assert view.book.get("dana-1").photo == photo  # type: ignore[union-attr]
    assert view.book.get("ada-1").photo == photo  # type: ignore[union-attr]
    text = view.book.to_bytes()
    for item in json.loads(json.dumps(plan)):  # applied again (killed once more): no change
        assert view.apply_plan(pipeline.Plan.from_dict(item)) is False
    assert view.book.to_bytes() == text and text.count(b"PHOTO") == 2
