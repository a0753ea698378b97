"""The reading cache of ``cardpipe run`` (issue 14 item 19): a rerun over the same photos
reads none of them again, and anything that changes a reading reads again."""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import pytest
from click.testing import CliRunner

from cardpipe import pipeline
from cardpipe.book import Book
from cardpipe.cli import cli
from cardpipe.scan import inputs, readings

from .conftest import CountingEngine, CrashEngine, photograph, render_card


@pytest.fixture()
def engine(monkeypatch) -> CountingEngine:
    """The engine every photo is read with (in this process: the tests use --jobs 1)."""
    counting = CountingEngine()
    monkeypatch.setattr(pipeline, "engine_for", lambda name, lang: counting)
    return counting


def _photos(folder: Path, count: int = 2) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"card_{i}.jpg"
        cv2.imwrite(str(path), photograph(render_card(), seed=i))
        paths.append(path)
    return paths


def _run(photos: Path, book: Path, *extra: str):
    args = ["run", str(photos), "--book", str(book), "--event", "Expo", "--met-on",
            "2026-11-20", "--jobs", "1", *extra]
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def _cache_file() -> Path:
    return readings.default_path()


def test_the_cache_lives_in_the_user_cache_folder():
    home = Path(os.environ["XDG_CACHE_HOME"])
    assert _cache_file() == home / "cardpipe" / "readings.sqlite3"


def test_a_rerun_reads_no_photo_again_and_leaves_the_book_byte_identical(tmp_path, engine):
    _photos(tmp_path / "Expo")
    book = tmp_path / "book.vcf"
    first = _run(tmp_path / "Expo", book)
    assert first.exit_code == 0, first.output
    assert engine.calls == 2
    written = book.read_bytes()
    assert _cache_file().exists()
    assert oct(_cache_file().stat().st_mode & 0o777) == "0o600"  # it holds contact data

    again = _run(tmp_path / "Expo", book)
    assert again.exit_code == 0, again.output
    assert engine.calls == 2  # nothing read again
    assert book.read_bytes() == written
    assert "warning" not in again.output
    assert "photos 2 · cached 2 ·" in again.output


def test_a_rerun_from_the_cache_merges_as_the_first_run_did(tmp_path, engine):
    _photos(tmp_path / "Expo")
    first_book, second_book = tmp_path / "a.vcf", tmp_path / "b.vcf"
    assert _run(tmp_path / "Expo", first_book).exit_code == 0
    assert _run(tmp_path / "Expo", second_book).exit_code == 0  # a new book, cached readings
    assert engine.calls == 2
    a, b = Book.load(first_book).contacts(), Book.load(second_book).contacts()
    assert [(c.full_name, c.emails, c.phones, c.note) for c in a] == \
        [(c.full_name, c.emails, c.phones, c.note) for c in b]


def test_a_photo_with_new_bytes_is_read_again(tmp_path, engine):
    first, _second = _photos(tmp_path / "Expo")
    book = tmp_path / "book.vcf"
    assert _run(tmp_path / "Expo", book).exit_code == 0
    cv2.imwrite(str(first), photograph(render_card(), seed=99))
    assert _run(tmp_path / "Expo", book).exit_code == 0
    assert engine.calls == 3


def test_an_unchanged_photo_is_not_even_hashed_again(tmp_path, engine, monkeypatch):
    _photos(tmp_path / "Expo")
    book = tmp_path / "book.vcf"
    assert _run(tmp_path / "Expo", book).exit_code == 0
    hashed: list[Path] = []
    real = inputs.file_sha256
    monkeypatch.setattr(inputs, "file_sha256", lambda p: hashed.append(p) or real(p))
    assert _run(tmp_path / "Expo", book).exit_code == 0
    assert hashed == []
    touched = tmp_path / "Expo" / "card_0.jpg"
    os.utime(touched, ns=(1_000_000_000, 1_000_000_000))  # same bytes, another mtime
    assert _run(tmp_path / "Expo", book).exit_code == 0
    assert hashed == [touched] and engine.calls == 2


def test_a_moved_photo_is_known_by_its_content(tmp_path, engine):
    first, _ = _photos(tmp_path / "Expo")
    book = tmp_path / "book.vcf"
    assert _run(tmp_path / "Expo", book).exit_code == 0
    moved = first.rename(tmp_path / "Expo" / "renamed.jpg")
    results = list(pipeline.scan_paths([moved], jobs=1, cache=readings.ReadingCache.open()))
    assert engine.calls == 2
    assert [r.source for r in results] == [str(moved)]
    assert results[0].contact is not None
    assert [s.path for s in results[0].contact.sources] == [str(moved)]


@pytest.mark.parametrize("option", [("--region", "DE"), ("--attach-photo",)])
def test_another_region_or_attach_photo_reads_again(tmp_path, engine, option):
    _photos(tmp_path / "Expo")
    book = tmp_path / "book.vcf"
    assert _run(tmp_path / "Expo", book).exit_code == 0
    assert _run(tmp_path / "Expo", book, *option).exit_code == 0
    assert engine.calls == 4
    assert _run(tmp_path / "Expo", book, *option).exit_code == 0
    assert engine.calls == 4  # and that reading is kept too


class OtherEngine(CountingEngine):
    name = "other"


def test_another_engine_reads_again(tmp_path):
    photos = _photos(tmp_path / "Expo")
    one, other = CountingEngine(), OtherEngine()
    with readings.ReadingCache.open() as cache:
        for engine in (one, other, one, other):
            list(pipeline.scan_paths(photos, jobs=1, engine=engine, cache=cache))
    assert (one.calls, other.calls) == (2, 2)


def test_a_new_cardpipe_reads_again(tmp_path, monkeypatch):
    photos = _photos(tmp_path / "Expo")
    engine = CountingEngine()
    with readings.ReadingCache.open() as cache:
        list(pipeline.scan_paths(photos, jobs=1, engine=engine, cache=cache))
        monkeypatch.setattr(readings, "code_version", lambda: "0.2.0+changed")
        list(pipeline.scan_paths(photos, jobs=1, engine=engine, cache=cache))
    assert engine.calls == 4


def test_rescan_reads_every_photo_again_and_keeps_the_new_readings(tmp_path, engine):
    _photos(tmp_path / "Expo")
    book = tmp_path / "book.vcf"
    assert _run(tmp_path / "Expo", book).exit_code == 0
    written = book.read_bytes()
    assert _run(tmp_path / "Expo", book, "--rescan").exit_code == 0
    assert engine.calls == 4
    assert book.read_bytes() == written
    assert _run(tmp_path / "Expo", book).exit_code == 0
    assert engine.calls == 4


def test_no_cache_neither_uses_nor_writes_the_cache(tmp_path, engine):
    _photos(tmp_path / "Expo")
    book = tmp_path / "book.vcf"
    assert _run(tmp_path / "Expo", book, "--no-cache").exit_code == 0
    assert not _cache_file().exists()
    assert _run(tmp_path / "Expo", book).exit_code == 0
    assert _run(tmp_path / "Expo", book, "--no-cache").exit_code == 0
    assert engine.calls == 6


def test_a_dry_run_writes_no_cache_but_uses_one(tmp_path, engine):
    _photos(tmp_path / "Expo")
    book = tmp_path / "book.vcf"
    assert _run(tmp_path / "Expo", book, "--dry-run").exit_code == 0
    assert not _cache_file().parent.exists()
    assert _run(tmp_path / "Expo", book).exit_code == 0
    before = _cache_file().read_bytes()
    cv2.imwrite(str(tmp_path / "Expo" / "card_new.jpg"), photograph(render_card(), seed=7))
    assert _run(tmp_path / "Expo", book, "--dry-run").exit_code == 0
    assert engine.calls == 5  # the two known photos came from the cache
    assert _cache_file().read_bytes() == before
    assert sorted(p.name for p in _cache_file().parent.iterdir()) == ["readings.sqlite3"]


def test_a_corrupt_cache_file_is_replaced_with_a_warning(tmp_path, engine):
    _photos(tmp_path / "Expo")
    book = tmp_path / "book.vcf"
    _cache_file().parent.mkdir(parents=True)
    _cache_file().write_bytes(b"this is not SQLite\n" * 100)
    result = _run(tmp_path / "Expo", book)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if "warning" in line]
    assert len(warnings) == 1
    assert str(_cache_file()) in warnings[0] and "starting a fresh one" in warnings[0]
    assert _run(tmp_path / "Expo", book).exit_code == 0
    assert engine.calls == 2  # the fresh cache works


def test_a_cache_that_cannot_be_made_is_a_warning_and_every_photo_is_read(
        tmp_path, engine, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    _photos(tmp_path / "Expo")
    book = tmp_path / "book.vcf"
    for _ in range(2):
        result = _run(tmp_path / "Expo", book)
        assert result.exit_code == 0, result.output
        assert "cannot open the reading cache" in result.output
    assert engine.calls == 4
    assert Book.load(book).contacts()


def test_a_failed_photo_is_not_kept_and_is_tried_again(tmp_path):
    photos = _photos(tmp_path / "Expo", 1)
    crash = CrashEngine()
    with readings.ReadingCache.open() as cache:
        results = list(pipeline.scan_paths(photos, jobs=1, engine=crash, cache=cache))
        assert not results[0].ok and cache.stored == 0
