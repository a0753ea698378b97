"""Books: a .vcf file or a vdir; atomic, backed-up, minimal writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cardpipe.book import Book
from cardpipe.book import files as book_files
from cardpipe.book.files import atomic_write, vdir_filename
from cardpipe.contact import Contact, Email, Phone
from cardpipe.errors import BookError

BOOK = (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:a-1\r\nFN:Anna Alpha\r\nN:Alpha;Anna;;;\r\n"
    b"item1.EMAIL;type=INTERNET:anna@alpha.example\r\nitem1.X-ABLabel:_$!<Work>!$_\r\n"
    b"X-UNKNOWN;X-P=1:keep\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQ\r\n ABAAD/2wBD\r\n"
    b"END:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:No Uid Person\r\nTEL;TYPE=CELL:+1 212 555 0100\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\nno colon here\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c-3\r\nFN:Carl Charlie\r\nEND:VCARD\r\n"
)


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    path = tmp_path / "book.vcf"
    path.write_bytes(BOOK)
    return path


def backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + ".bak-*"))


def test_missing_file_is_an_empty_new_book(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "new.vcf"
    book = Book.load(path)
    assert book.contacts() == [] and not book.changed
    assert book.save() is False and not path.exists()
    uid = book.add(Contact(full_name="First Person", emails=(Email("f@p.example"),)))
    assert book.changed and book.save() is True
    again = Book.load(path)
    assert [c.full_name for c in again.contacts()] == ["First Person"]
    assert again.get(uid).emails[0].address == "f@p.example"


def test_load_lists_contacts_errors_and_gives_every_contact_a_uid(book_path: Path) -> None:
    book = Book.load(book_path)
    names = [c.full_name for c in book.contacts()]
    assert names == ["Anna Alpha", "No Uid Person", "Carl Charlie"]
    assert len(book.entries) == 4
    assert book.errors == [f"{book_path}:20: not a vCard content line: 'no colon here'"]
    uids = [c.uid for c in book.contacts()]
    assert all(uids) and len(set(uids)) == 3
    # the synthetic UID is stable across loads
    assert Book.load(book_path).contacts()[1].uid == uids[1]


def test_unchanged_book_save_writes_nothing(book_path: Path) -> None:
    before = book_path.stat()
    book = Book.load(book_path)
    for c in book.contacts():
        book.update(c.uid, c)
    assert not book.changed
    assert book.save() is False
    assert book_path.read_bytes() == BOOK
    assert book_path.stat().st_mtime_ns == before.st_mtime_ns
    assert backups(book_path) == []


def test_add_keeps_every_other_card_byte_identical_and_backs_up(book_path: Path) -> None:
    book = Book.load(book_path)
    uid = book.add(Contact(full_name="Dora Delta", phones=(Phone("+4930901820", "work"),)))
    assert book.save() is True
    data = book_path.read_bytes()
    assert data.startswith(BOOK)
    assert b"FN:Dora Delta\r\n" in data and f"UID:{uid}\r\n".encode() in data
    [bak] = backups(book_path)
    assert bak.read_bytes() == BOOK
    assert not book.changed and book.save() is False


def test_update_rewrites_only_the_changed_card(book_path: Path) -> None:
    book = Book.load(book_path)
    anna = book.contacts()[0]
    merged = anna.replace(title="CTO", emails=(*anna.emails, Email("anna@home.example", "home")))
    assert book.update(anna.uid, merged) is True
    book.save()
    data = book_path.read_bytes().decode()
    first, rest = data.split("END:VCARD\r\n", 1)
    assert rest == BOOK.decode().split("END:VCARD\r\n", 1)[1]
    for kept in ("item1.EMAIL;type=INTERNET:anna@alpha.example\r\nitem1.X-ABLabel:_$!<Work>!$_\r\n",
                 "X-UNKNOWN;X-P=1:keep\r\n", "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQ\r\n ABAAD/2wBD\r\n"):  # fmt: skip
        assert kept in first
    assert "TITLE:CTO\r\n" in first and "EMAIL;TYPE=INTERNET,HOME:anna@home.example\r\n" in first
    assert Book.load(book_path).get(anna.uid).title == "CTO"


def test_card_without_uid_gets_its_uid_written_when_changed(book_path: Path) -> None:
    book = Book.load(book_path)
    person = book.contacts()[1]
    book.update(person.uid, person.replace(title="Chef"))
    book.save()
    again = Book.load(book_path)
    assert again.get(person.uid).title == "Chef"
    assert f"UID:{person.uid}\r\n".encode() in book_path.read_bytes()


def test_malformed_card_is_kept_and_cannot_be_updated(book_path: Path) -> None:
    book = Book.load(book_path)
    book.add(Contact(full_name="New"))
    book.save()
    assert b"FN:Broken\r\nno colon here\r\n" in book_path.read_bytes()
    with pytest.raises(BookError):
        book.update("no-such-uid", Contact(full_name="x"))


def test_remove_drops_the_card(book_path: Path) -> None:
    book = Book.load(book_path)
    book.remove("c-3")
    book.save()
    assert b"Carl Charlie" not in book_path.read_bytes()
    assert [c.full_name for c in Book.load(book_path).contacts()] == ["Anna Alpha", "No Uid Person"]


def test_failed_write_leaves_the_old_book_and_no_temp_file(
    book_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = Book.load(book_path)
    book.add(Contact(full_name="Never Written"))

    def boom(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(book_files.os, "replace", boom)
    with pytest.raises(BookError, match="No space left"):
        book.save(backup=False)
    assert book_path.read_bytes() == BOOK
    assert [p.name for p in book_path.parent.iterdir()] == ["book.vcf"]


def test_book_changed_on_disk_since_load_is_not_overwritten(book_path: Path) -> None:
    book = Book.load(book_path)
    book.add(Contact(full_name="Mine"))
    book_path.write_bytes(BOOK + b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Theirs\r\nEND:VCARD\r\n")
    with pytest.raises(BookError, match="changed on disk"):
        book.save()
    assert b"Theirs" in book_path.read_bytes() and b"Mine" not in book_path.read_bytes()


def test_save_to_other_location_writes_everything(book_path: Path, tmp_path: Path) -> None:
    book = Book.load(book_path)
    out = tmp_path / "out.vcf"
    assert book.save(out) is True
    assert out.read_bytes() == BOOK
    assert book_path.read_bytes() == BOOK


def test_backups_are_timestamped_and_pruned(book_path: Path) -> None:
    book = Book.load(book_path)
    book.keep_backups = 2
    for n in range(4):
        book.add(Contact(full_name=f"P{n}"))
        book.save()
    baks = backups(book_path)
    assert len(baks) == 2
    assert all(b.name.startswith("book.vcf.bak-2") for b in baks)


def test_atomic_write_creates_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "f.vcf"
    atomic_write(target, b"one")
    atomic_write(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["f.vcf"]


# -- vdir ---------------------------------------------------------------------------------


def make_vdir(root: Path) -> Path:
    folder = root / "contacts"
    folder.mkdir()
    (folder / "a-1.vcf").write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:a-1\r\nFN:Anna\r\nX-KEEP:1\r\nEND:VCARD\r\n"
    )
    (folder / "b-2.vcf").write_bytes(b"BEGIN:VCARD\nVERSION:4.0\nUID:b-2\nFN:Ben\nEND:VCARD\n")
    (folder / "notes.txt").write_text("not a card")
    return folder


def test_vdir_writes_only_changed_and_new_files(tmp_path: Path) -> None:
    folder = make_vdir(tmp_path)
    b_before = (folder / "b-2.vcf").stat().st_mtime_ns
    book = Book.load(folder)
    assert book.kind == "vdir" and len(book) == 2
    anna = book.get("a-1")
    book.update("a-1", anna.replace(title="Boss"))
    uid = book.add(Contact(full_name="Cleo", uid="urn:uuid:1/2 weird"))
    assert book.save() is True
    assert (folder / "b-2.vcf").stat().st_mtime_ns == b_before
    assert b"TITLE:Boss\r\n" in (folder / "a-1.vcf").read_bytes()
    assert b"X-KEEP:1\r\n" in (folder / "a-1.vcf").read_bytes()
    new_file = folder / vdir_filename(uid)
    assert new_file.exists() and b"FN:Cleo" in new_file.read_bytes()
    assert all(ch.isalnum() or ch in "._-" for ch in new_file.name)
    [backup_dir] = (folder / book_files.BACKUP_DIR).iterdir()
    assert [p.name for p in backup_dir.iterdir()] == ["a-1.vcf"]
    again = Book.load(folder)
    assert {c.full_name for c in again.contacts()} == {"Anna", "Ben", "Cleo"}
    assert again.save() is False


def test_vdir_remove_deletes_the_file(tmp_path: Path) -> None:
    folder = make_vdir(tmp_path)
    book = Book.load(folder)
    book.remove("b-2")
    book.save()
    assert not (folder / "b-2.vcf").exists()
    assert (folder / "notes.txt").exists()


def test_file_book_saved_as_vdir(book_path: Path, tmp_path: Path) -> None:
    book = Book.load(book_path)
    out = tmp_path / "vdir"
    book.save(out)
    files = sorted(p.name for p in out.glob("*.vcf"))
    assert len(files) == 4 and "a-1.vcf" in files and "c-3.vcf" in files
    assert len(Book.load(out).contacts()) == 3
    assert len(Book.load(out).errors) == 1


def test_vdir_filename_is_safe_and_unique() -> None:
    assert vdir_filename("E627D8ED-37BB.4AF0") == "E627D8ED-37BB.4AF0.vcf"
    weird = vdir_filename("../../etc/passwd")
    assert "/" not in weird and not weird.startswith(".")
    assert vdir_filename("a b") != vdir_filename("a_b")
    assert vdir_filename("x", {"x.vcf"}) == "x-1.vcf"
    assert os.sep not in vdir_filename("a" + os.sep + "b")


def test_ensure_uids_writes_missing_and_duplicate_uids(tmp_path: Path) -> None:
    path = tmp_path / "b.vcf"
    path.write_bytes(
        BOOK + b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:a-1\r\nFN:Same Uid\r\nEND:VCARD\r\n"
    )
    book = Book.load(path)
    assert any("used by another card" in w for w in book.warnings)
    assert book.ensure_uids() == 2
    assert book.ensure_uids() == 0
    book.save()
    again = Book.load(path)
    uids = [c.uid for c in again.contacts()]
    assert len(set(uids)) == 4 and "a-1" in uids
    assert again.warnings == [] and again.ensure_uids() == 0


def test_put_text_replaces_or_adds_a_card_keeping_its_text(book_path: Path) -> None:
    book = Book.load(book_path)
    server = "BEGIN:VCARD\nVERSION:3.0\nUID:c-3\nFN:Carl Charlie\nBDAY:1980-01-01\nX-PHONE:1\nEND:VCARD\n"
    assert book.put_text(server) == "c-3"
    assert book.card("c-3").raw == server.replace("\n", "\r\n")
    assert book.put_text(server) == "c-3" and len(book.contacts()) == 3
    new_uid = book.put_text("BEGIN:VCARD\nVERSION:4.0\nUID:srv-9\nFN:From Phone\nEND:VCARD\n")
    assert new_uid == "srv-9" and book.get("srv-9").full_name == "From Phone"
    with pytest.raises(BookError):
        book.put_text("BEGIN:VCARD\nFN:x\n")
    book.save()
    data = book_path.read_bytes()
    assert b"BDAY:1980-01-01\r\nX-PHONE:1\r\n" in data and b"UID:srv-9\r\n" in data


def test_save_keeps_the_file_permissions(book_path: Path) -> None:
    book_path.chmod(0o600)
    book = Book.load(book_path)
    book.add(Contact(full_name="Private"))
    book.save()
    assert book_path.stat().st_mode & 0o777 == 0o600


def test_items_pair_each_card_with_its_contact(book_path: Path) -> None:
    book = Book.load(book_path)
    items = book.items()
    assert [c.full_name for _, c in items] == ["Anna Alpha", "No Uid Person", "Carl Charlie"]
    assert b"PHOTO" in items[0][0].raw.encode()
