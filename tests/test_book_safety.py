"""The book file is never written into an open card, through a replaced symlink, over a
read-only file or over something that is not a contact book (issue 14, items 6-9)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cardpipe.book import Book
from cardpipe.cli import cli
from cardpipe.contact import Contact, Email
from cardpipe.errors import BookError, ExitCode

VCARDS = Path(__file__).parent / "data" / "vcards"
CLOSED = VCARDS / "nodevcf__vcard-3.0.vcf"  # Forrest Gump, a real client card
NEW = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Nina New\r\nEMAIL:nina@new.example\r\nEND:VCARD\r\n"


def _newcomer(tmp_path: Path) -> Path:
    path = tmp_path / "new.vcf"
    path.write_bytes(NEW)
    return path


def _merge(book: Path, *vcards: Path) -> object:
    return CliRunner().invoke(cli, ["merge", *map(str, vcards), "--book", str(book)])


def _backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + ".bak-*"))


# -- 6: a last card without END:VCARD ---------------------------------------------------


def _open_book(tmp_path: Path) -> tuple[Path, bytes]:
    data = CLOSED.read_bytes() + b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Half Written\r\n"
    path = tmp_path / "book.vcf"
    path.write_bytes(data)
    return path, data


def test_a_new_card_is_never_written_into_an_open_last_card(tmp_path: Path) -> None:
    path, data = _open_book(tmp_path)
    book = Book.load(path)
    book.add(Contact(full_name="Nina New", emails=(Email("nina@new.example"),)))
    with pytest.raises(BookError, match=r"book\.vcf:\d+: the last card has no END:VCARD"):
        book.save()
    assert path.read_bytes() == data and not _backups(path)


def test_merge_into_a_book_with_an_open_last_card_is_exit_4_naming_file_and_line(
    tmp_path: Path,
) -> None:
    path, data = _open_book(tmp_path)
    line = data[: data.rindex(b"BEGIN:VCARD")].count(b"\n") + 1
    result = _merge(path, _newcomer(tmp_path))
    assert result.exit_code == ExitCode.BOOK, result.output
    assert f"{path}:{line}: the last card has no END:VCARD" in result.output
    assert path.read_bytes() == data


def test_a_book_with_an_open_last_card_can_still_change_its_closed_cards(tmp_path: Path) -> None:
    path, data = _open_book(tmp_path)
    book = Book.load(path)
    uid, gump = next((c.uid, c) for c in book.contacts() if c.full_name == "Forrest Gump")
    assert uid is not None
    book.update(uid, gump.replace(note="met on a bench"))
    book.save()
    assert path.read_bytes().endswith(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Half Written\r\n")


# -- 7: a symlinked book --------------------------------------------------------------


def test_a_symlinked_book_is_written_through_to_its_target(tmp_path: Path) -> None:
    real = tmp_path / "sync" / "contacts.vcf"
    real.parent.mkdir()
    shutil.copy(CLOSED, real)
    before = real.read_bytes()
    link = tmp_path / "book.vcf"
    link.symlink_to(real)
    result = _merge(link, _newcomer(tmp_path))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert b"FN:Nina New" in real.read_bytes()
    assert real.read_bytes().startswith(before)
    (backup,) = _backups(link)
    assert not backup.is_symlink() and backup.read_bytes() == before


# -- 8: a read-only book --------------------------------------------------------------


def test_a_read_only_book_is_not_written_and_merge_exits_4(tmp_path: Path) -> None:
    path = tmp_path / "book.vcf"
    shutil.copy(CLOSED, path)
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        result = _merge(path, _newcomer(tmp_path))  # as root too: the mode bits are checked
        assert result.exit_code == ExitCode.BOOK, result.output
        assert f"{path}: the file is read-only" in result.output
        assert path.read_bytes() == before and not _backups(path)
        assert (path.stat().st_mode & 0o777) == 0o444
    finally:
        path.chmod(0o644)


def test_a_read_only_book_can_still_be_merged_elsewhere_with_out(tmp_path: Path) -> None:
    path = tmp_path / "book.vcf"
    shutil.copy(CLOSED, path)
    path.chmod(0o444)
    out = tmp_path / "merged.vcf"
    try:
        result = CliRunner().invoke(cli, ["merge", str(_newcomer(tmp_path)), "--book",
                                          str(path), "--out", str(out)])
    finally:
        path.chmod(0o644)
    assert result.exit_code == 0, result.output
    assert b"FN:Nina New" in out.read_bytes()


def test_a_read_only_vdir_card_is_not_rewritten(tmp_path: Path) -> None:
    folder = tmp_path / "cards"
    folder.mkdir()
    shutil.copy(CLOSED, folder / "gump.vcf")
    (folder / "gump.vcf").chmod(0o444)
    try:
        book = Book.load(folder)
        (gump,) = book.contacts()
        assert gump.uid is not None
        book.update(gump.uid, gump.replace(note="changed"))
        with pytest.raises(BookError, match="read-only"):
            book.save()
        assert (folder / "gump.vcf").read_bytes() == CLOSED.read_bytes()
    finally:
        (folder / "gump.vcf").chmod(0o644)


# -- 9: a book that is not a vCard file -----------------------------------------------


@pytest.mark.parametrize("content", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",  # a photo named as the book
    b"Meeting notes\nnot a contact book\n",
])
def test_a_book_that_is_not_a_vcard_file_is_refused_with_exit_4(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "book.vcf"
    path.write_bytes(content)
    with pytest.raises(BookError, match="not a vCard file"):
        Book.load(path)
    result = _merge(path, _newcomer(tmp_path))
    assert result.exit_code == ExitCode.BOOK, result.output
    assert f"{path}: not a vCard file" in result.output
    assert path.read_bytes() == content and not _backups(path)


@pytest.mark.parametrize("content", [b"", b"\r\n\r\n"])
def test_an_empty_book_file_takes_new_cards(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "book.vcf"
    path.write_bytes(content)
    result = _merge(path, _newcomer(tmp_path))
    assert result.exit_code == 0, result.output
    assert b"FN:Nina New" in path.read_bytes()


def test_a_book_with_junk_around_real_cards_is_still_a_book(tmp_path: Path) -> None:
    path = tmp_path / "book.vcf"
    path.write_bytes(b"exported by hand\r\n" + CLOSED.read_bytes())
    assert [c.full_name for c in Book.load(path).contacts()] == ["Forrest Gump"]


def test_the_read_only_check_does_not_depend_on_os_access(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "book.vcf"
    shutil.copy(CLOSED, path)
    path.chmod(0o444)
    monkeypatch.setattr(os, "access", lambda *a, **k: True)  # what root sees
    try:
        book = Book.load(path)
        book.add(Contact(full_name="Nina New", emails=(Email("nina@new.example"),)))
        with pytest.raises(BookError, match="read-only"):
            book.save()
    finally:
        path.chmod(0o644)
