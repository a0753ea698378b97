"""Real client files: reading and writing them back loses and changes nothing.

Loops over the permissively licensed copies in tests/data/vcards and, when it exists, over
every file of the full development set in ../shared/vcards (iOS, macOS, Android, Outlook,
Google, Evolution, KDE, Nextcloud, Radicale ...).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import vobject

from cardpipe.book import Book
from cardpipe.book.export import export_vcf
from cardpipe.contact import Contact, Email, Phone, Photo
from cardpipe.errors import BookError
from cardpipe.merge import merge
from cardpipe.vcard import read_file, read_vcards, render, same_contact, write_vcards

HERE = Path(__file__).parent / "data" / "vcards"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "vcards"


def _files() -> list[Path]:
    files = sorted(HERE.glob("*.vcf"))
    names = {p.name for p in files}
    if SHARED.is_dir():
        files += sorted(p for p in SHARED.glob("*.vcf") if p.name not in names)
    return files


FILES = _files()
IDS = [f"{p.parent.parent.name}/{p.name}" for p in FILES]


def _manifest() -> dict[str, dict]:
    entries: dict[str, dict] = {}
    for folder in (SHARED, HERE):
        path = folder / "MANIFEST.json"
        if path.is_file():
            entries.update({e["file"]: e for e in json.loads(path.read_text(encoding="utf-8"))})
    return entries


MANIFEST = _manifest()
#: Marked malformed upstream, but what they do is valid folding (inside parameters, with a
#: TAB) and escaping, so they are read without a warning.
READ_AS_VALID = {"eds__13.vcf"}


def test_corpus_has_the_local_copies() -> None:
    assert len(list(HERE.glob("*.vcf"))) == 30
    for name in (p.name for p in HERE.glob("*.vcf")):
        assert MANIFEST[name]["license"] in ("MIT", "BSD-2-Clause", "Apache-2.0")


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_read_then_write_without_change_gives_the_same_bytes(path: Path) -> None:
    data = path.read_bytes()
    vf = read_file(data, source=path.name)
    out = write_vcards([(c, c.contact) for c in vf.cards], after=vf.after)
    assert out == data
    # cards as the manifest counts them (top-level BEGIN:VCARD lines)
    entry = MANIFEST.get(path.name)
    if entry is not None:
        begun = [c for c in vf.cards if c.raw.lstrip().upper().startswith("BEGIN:VCARD")]
        assert len(begun) == entry["contacts"]
        if entry["malformed"] and path.name not in READ_AS_VALID:
            assert any(c.error or c.warnings for c in vf.cards)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_adding_a_contact_keeps_every_other_card_byte_identical(path: Path, tmp_path: Path) -> None:
    target = tmp_path / "book.vcf"
    shutil.copyfile(path, target)
    original = target.read_bytes()
    book = Book.load(target)
    before = [c.raw for c in book.entries]
    uid = book.add(
        Contact(full_name="Zoë Newcomer", emails=(Email("zoe@new.example", "work"),),
                phones=(Phone("+4930901820", "cell"),), note="Met at Expo\nstand 4")
    )  # fmt: skip
    last = book.entries[-2] if len(book.entries) > 1 else None
    if last is not None and last.error and "END:VCARD" not in last.raw.upper():
        # the last card is not closed: a card written after it would be inside it
        with pytest.raises(BookError, match="the last card has no END:VCARD"):
            book.save(backup=False)
        assert target.read_bytes() == original
        return
    assert book.save(backup=False) is True
    data = target.read_bytes()
    assert data.startswith(original)
    again = Book.load(target)
    after = [c.raw for c in again.entries[: len(before)]]
    if before and not before[-1].endswith(("\n", "\r")):
        # a file whose last card had no line end gets one before the new card
        assert after[-1] in (before[-1] + "\r\n", before[-1] + "\n", before[-1] + "\r")
        after, before = after[:-1], before[:-1]
    assert after == before
    assert again.get(uid).full_name == "Zoë Newcomer"
    assert again.get(uid).note == "Met at Expo\nstand 4"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_merging_a_changed_field_keeps_the_other_properties(path: Path) -> None:
    for card in read_vcards(path.read_bytes(), source=path.name):
        if card.contact is None:
            continue
        old = card.contact
        new = old.replace(
            title="Head of Ünits",
            emails=(*old.emails, Email("merged@example.org", "work")),
            note=(old.note + "\n" if old.note else "") + "Met at Expo 2024 on 2024-05-01",
            categories=(*old.categories, "Expo 2024"),
        )
        text = render(card, new)
        back = read_vcards(text, source="rendered")
        assert len(back) == 1 and back[0].error is None
        assert same_contact(back[0].contact, new)
        touched = set()
        for key in ("title", "note", "categories"):
            touched.update(card.bindings.fields.get(key, ()))
        for i, prop in enumerate(card.props):
            if i in touched or (prop.name in ("TITLE", "NOTE", "CATEGORIES") and not prop.value):
                continue
            # unknown and X- properties, groups, parameters, PHOTOs: all verbatim
            assert prop.raw in text, prop.raw[:80]


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_merging_a_card_into_itself_plus_an_email_keeps_every_line(path: Path) -> None:
    """merge() itself (not a hand-made contact) never drops what the book holds, even
    values the card lists twice (one address as home and as work, one number twice)."""
    for card in read_vcards(path.read_bytes(), source=path.name):
        if card.contact is None:
            continue
        old = card.contact
        incoming = Contact(emails=(*old.emails, Email("merged@example.org", "work")),
                           phones=old.phones, addresses=old.addresses, websites=old.websites,
                           social=old.social)
        text = render(card, merge(old, incoming))
        for prop in card.props:
            if prop.name not in ("REV", "BEGIN", "END"):
                assert prop.raw in text, prop.raw[:80]
        assert "merged@example.org" in text


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_export_of_every_card_is_read_by_vobject(path: Path, tmp_path: Path) -> None:
    target = tmp_path / "book.vcf"
    shutil.copyfile(path, target)
    book = Book.load(target)
    for version in ("3.0", "4.0"):
        out = tmp_path / f"export-{version}.vcf"
        n = export_vcf(book, out, version=version)
        data = out.read_bytes()
        cards = list(vobject.readComponents(data.decode("utf-8")))
        assert len(cards) == n == len(book.contacts())
        for card, contact in zip(cards, book.contacts(), strict=True):
            assert card.fn.value == contact.display_name
        for line in data.split(b"\r\n"):
            assert len(line) <= 75


CARD_IMAGE = Photo(b"\xff\xd8\xff\xe0" + b"card image " * 300, "image/jpeg")


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_a_card_image_goes_only_to_cards_without_a_photo_as_one_added_line(path: Path) -> None:
    for card in read_vcards(path.read_bytes(), source=path.name):
        if card.contact is None:
            continue
        merged = merge(card.contact, Contact(photo=CARD_IMAGE))
        text = render(card, merged)
        back = read_vcards(text, source="rendered")[0]
        assert back.error is None
        assert back.contact.photo == (card.contact.photo or CARD_IMAGE)  # the user's wins
        for prop in card.props:
            if prop.name == "PHOTO":
                assert prop.raw in text  # every PHOTO line the card had, as it was
        # the photo changes nothing but itself: one line before END, or nothing at all
        without = render(card, merged.replace(photo=card.contact.photo))
        if card.contact.photo:
            assert text == without
        else:
            end = [m.start() for m in re.finditer(r"(?im)^END:VCARD", without)][-1]
            added = text[end : len(text) - (len(without) - end)]
            assert text == without[:end] + added + without[end:]
            assert added.startswith(("PHOTO;", "PHOTO:data:")) and added.count("PHOTO") == 1


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_inline_photos_are_the_bytes_vobject_decodes(path: Path) -> None:
    for card in read_vcards(path.read_bytes(), source=path.name):
        photo = card.contact.photo if card.contact else None
        if photo is None or photo.uri or card.version != "3.0":
            continue
        try:
            parsed = vobject.readOne(card.raw)
        except Exception:  # noqa: BLE001 - vobject refuses some real cards; ours reads them
            continue
        assert photo.data == parsed.photo.value
