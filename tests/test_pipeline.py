"""The batch runner without OCR: collecting photos, merging contacts into a book."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from cardpipe import match, pipeline
from cardpipe.book import Book
from cardpipe.contact import Contact, Email, Phone, Photo

from .conftest import CrashEngine, TextEngine

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

BOOK = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ann-1\r\nFN:Ann Lee\r\nN:Lee;Ann;;;\r\n"
    "ORG:Acme Inc\r\nTITLE:Engineer\r\nEMAIL;TYPE=WORK:ann.lee@acme.com\r\n"
    "X-CUSTOM;FOO=bar:kept as is\r\nEND:VCARD\r\n"
)


def _book(tmp_path) -> Book:
    path = tmp_path / "book.vcf"
    path.write_text(BOOK, newline="")
    return Book.load(path)


def ann_card() -> Contact:
    return Contact(full_name="Ann Lee", given_name="Ann", family_name="Lee", company="Acme Inc",
                   title="Engineer", emails=(Email("ann.lee@acme.com"),),
                   phones=(Phone("+14155550101", "cell"),))


def test_a_known_person_is_merged_with_a_met_at_note(tmp_path):
    book = _book(tmp_path)
    report = pipeline.merge_into_book(book, [("card.jpg", ann_card())], event="Expo",
                                      met_on="2026-11-20")
    assert [r.decision for r in report.rows] == ["merged"]
    assert report.rows[0].into == "ann-1"
    ann = book.get("ann-1")
    assert "+14155550101" in {p.number for p in ann.phones}
    assert ann.note.count("Met at Expo on 2026-11-20") == 1
    assert "X-CUSTOM;FOO=bar:kept as is" in book.card("ann-1").raw or \
        "X-CUSTOM;FOO=bar:kept as is" in book.to_bytes().decode()


def test_the_same_card_twice_changes_nothing_the_second_time(tmp_path):
    book = _book(tmp_path)
    pipeline.merge_into_book(book, [("card.jpg", ann_card())], event="Expo", met_on="2026-11-20")
    before = book.to_bytes()
    report = pipeline.merge_into_book(book, [("card.jpg", ann_card())], event="Expo",
                                      met_on="2026-11-20")
    assert report.rows[0].decision == "merged" and report.rows[0].changed is False
    assert book.to_bytes() == before


@pytest.mark.parametrize("fields", [
    {"company": "Ostwind Logistik GmbH"}, {"title": "課長", "company": "合同会社テスト電機"},
    {"company": "Nordlicht AG", "title": "Einkauf"}])
def test_a_card_read_without_email_or_phone_is_one_person_on_a_rerun(tmp_path, fields):
    # OCR missed every number and address on it: a name and a company are all the card
    # gives; the matcher does not merge on that, but the book has all of it already
    book = _book(tmp_path)
    card = Contact(full_name="Jana Ostrowski", given_name="Jana", family_name="Ostrowski",
                   **fields)
    pipeline.merge_into_book(book, [("a.jpg", card)], event="Expo", met_on="2026-11-20")
    before = book.to_bytes()
    report = pipeline.merge_into_book(book, [("a.jpg", card)], event="Expo",
                                      met_on="2026-11-20")
    assert report.rows[0].decision == "merged" and report.rows[0].changed is False
    assert book.to_bytes() == before


def test_a_namesake_card_that_says_something_new_is_not_taken_for_a_rerun(tmp_path):
    book = _book(tmp_path)
    first = Contact(full_name="Jana Ostrowski", company="Ostwind Logistik GmbH")
    pipeline.merge_into_book(book, [("a.jpg", first)], event="Expo", met_on="2026-11-20")
    index = match.MatchIndex(book.contacts())

    def again(card: Contact, event: str, met_on: str) -> bool:
        return pipeline.read_again(card, index, event=event, met_on=met_on) is not None

    assert again(first, "Expo", "2026-11-20")
    # met at another event, another title on it, or a name alone: not the same card again
    assert not again(first, "Fair", "2026-12-01")
    assert not again(first.replace(title="CFO"), "Expo", "2026-11-20")
    assert not again(Contact(full_name="Jana Ostrowski"), "Expo", "2026-11-20")


def test_a_new_person_is_added_once_even_when_photographed_twice(tmp_path):
    book = _book(tmp_path)
    bob = Contact(full_name="Bob Stone", given_name="Bob", family_name="Stone",
                  emails=(Email("bob@stone.io"),), phones=(Phone("+4930123456", "work"),))
    report = pipeline.merge_into_book(book, [("a.jpg", bob), ("b.jpg", bob)], event="Expo")
    assert [r.decision for r in report.rows] == ["new", "merged"]
    assert len(book.contacts()) == 2
    assert report.summary()["new"] == 1


def test_collect_photos_expands_folders_skips_other_files_and_reports_missing(tmp_path):
    (tmp_path / "a.jpg").write_bytes(b"x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.HEIC").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / ".hidden.jpg").write_bytes(b"x")
    os.symlink(tmp_path, tmp_path / "sub" / "loop")  # a symlink loop is reported, not followed
    os.symlink(tmp_path / "nowhere.jpg", tmp_path / "broken.jpg")
    photos, missing = pipeline.collect_photos([tmp_path, tmp_path / "gone.jpg"])
    assert sorted(p.name for p in photos) == ["a.jpg", "b.HEIC"]
    errors = {Path(r.source).name: r.error for r in missing}
    assert set(errors) == {"loop", "broken.jpg", "gone.jpg"}
    assert "symlink loop" in errors["loop"] and "broken symlink" in errors["broken.jpg"]
    assert all(not r.ok and r.error.startswith(r.source) for r in missing)


def test_a_symlinked_folder_of_photos_is_walked_once(tmp_path):
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "a.jpg").write_bytes(b"x")
    os.symlink(tmp_path / "cards", tmp_path / "link")
    photos, missing = pipeline.collect_photos([tmp_path])
    assert [p.name for p in photos] == ["a.jpg"] and missing == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_engine_that_crashes_fails_its_photo_and_the_batch_goes_on(jobs: int) -> None:
    # a bug or a library failure on one photo is that photo's failed result, named after
    # it, never an exception out of the batch (in this process or in a worker)
    photos = [SAMPLES / "card000-clean-en_US.png", SAMPLES / "card001-clean-de_DE.png"]
    results = list(pipeline.scan_paths(photos, engine=CrashEngine(), jobs=jobs))
    assert [r.source for r in results] == [str(p) for p in photos]
    for r, p in zip(results, photos, strict=True):
        assert not r.ok and r.contact is None
        assert r.error == f"{p}: unexpected RuntimeError: engine exploded"


def test_run_with_a_crashing_engine_reports_every_photo_and_leaves_the_book(tmp_path) -> None:
    book = _book(tmp_path)
    before = book.to_bytes()
    result = pipeline.run([SAMPLES / "card000-clean-en_US.png"], book=book,
                          engine=CrashEngine(), jobs=1)
    assert result.report.rows == []
    assert [s for s, _ in result.report.failed] == [str(SAMPLES / "card000-clean-en_US.png")]
    assert book.to_bytes() == before and not book.changed


def test_scan_result_json_has_the_stable_keys():
    result = pipeline.ScanResult("x.jpg", True, ann_card(), text="Ann Lee", warnings=())
    d = result.to_json()
    assert set(d) == {"source", "ok", "contact", "confidence", "text", "warnings"}
    assert set(d["contact"]) == {"full_name", "given_name", "family_name", "title", "company",
                                 "emails", "phones", "websites", "address", "social"}
    assert d["contact"]["phones"] == [{"number": "+14155550101", "type": "cell"}]


def test_a_card_read_as_a_name_only_is_reported_not_added():
    assert pipeline.too_little(Contact(full_name="Claire Gillespie"))
    assert pipeline.too_little(Contact(full_name="Ann Lee", company="Acme")) is None
    assert pipeline.too_little(Contact(emails=(Email("a@b.io"),))) is None


# -- --attach-photo -----------------------------------------------------------------------

OWN = Photo(b"\x89PNG\r\n\x1a\n the user's own picture", "image/png")
CARD = Photo(b"\xff\xd8\xff\xe0 the card image " * 40, "image/jpeg")


@pytest.mark.parametrize(
    ("engine", "lang", "kind"),
    [(None, None, None), (None, "eng", "tesseract"), ("tesseract", None, "tesseract"),
     ("cascade", "eng", "CascadeEngine"), ("rapidocr", None, "rapidocr")],
)
def test_the_engine_is_chosen_by_name_and_a_language_alone_means_tesseract(
        engine: str | None, lang: str | None, kind: str | None) -> None:
    made = pipeline.engine_for(engine, lang)
    if kind is None:
        assert made is None  # read_image's default engine
    else:
        assert kind in (getattr(made, "name", ""), type(made).__name__)


def test_a_language_for_rapidocr_or_an_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="lang"):
        pipeline.check_engine("rapidocr", "deu")
    with pytest.raises(ValueError, match="unknown OCR engine"):
        pipeline.check_engine("easyocr", None)


@pytest.mark.parametrize("attach", [False, True])
def test_scan_photo_attaches_the_card_image_only_when_asked(attach: bool) -> None:
    [result] = pipeline.scan_photo(SAMPLES / "card000-clean-en_US.png",
                                   pipeline.ScanOptions(attach_photo=attach), engine=TextEngine())
    assert result.ok and result.contact is not None, result.error
    line = result.to_json()
    if not attach:
        assert result.contact.photo is None and "photo" not in line
        return
    photo = result.contact.photo
    assert photo is not None and photo.media_type == "image/jpeg"
    assert 1_000 < len(photo.data) <= 60_000
    assert photo.data.startswith(b"\xff\xd8\xff")
    assert line["photo"]["media_type"] == "image/jpeg"
    assert base64.b64decode(line["photo"]["base64"]) == photo.data
    assert "photo" not in line["contact"]  # the stable contact keys stay as they were


def test_attached_photos_go_to_a_new_contact_and_to_a_merged_one_without_a_photo(tmp_path):
    book = _book(tmp_path)
    bob = Contact(full_name="Bob Stone", emails=(Email("bob@stone.io"),), photo=CARD)
    report = pipeline.merge_into_book(
        book, [("a.jpg", ann_card().replace(photo=CARD)), ("b.jpg", bob)], event="Expo")
    assert [r.decision for r in report.rows] == ["merged", "new"]
    assert book.get("ann-1").photo == CARD
    assert book.get(report.rows[1].into).photo == CARD
    book.save()
    again = Book.load(tmp_path / "book.vcf")
    assert [c.photo for c in again.contacts()] == [CARD, CARD]
    assert "X-CUSTOM;FOO=bar:kept as is" in again.card("ann-1").raw


def test_a_photo_the_book_has_is_kept_and_a_rerun_writes_the_same_bytes(tmp_path):
    own = "PHOTO;ENCODING=b;TYPE=PNG:" + base64.b64encode(OWN.data).decode() + "\r\n"
    (tmp_path / "book.vcf").write_text(BOOK.replace("END:VCARD", own + "END:VCARD"),
                                       newline="")
    book = Book.load(tmp_path / "book.vcf")
    assert book.get("ann-1").photo == OWN
    incoming = [("card.jpg", ann_card().replace(photo=CARD))]
    report = pipeline.merge_into_book(book, incoming, event="Expo", met_on="2026-11-20")
    assert report.rows[0].changed  # the new phone and the Met-at note
    book.save()
    first = (tmp_path / "book.vcf").read_bytes()
    assert first.count(b"PHOTO") == 1 and own.encode() in first
    assert Book.load(tmp_path / "book.vcf").get("ann-1").photo == OWN
    book = Book.load(tmp_path / "book.vcf")
    report = pipeline.merge_into_book(book, incoming, event="Expo", met_on="2026-11-20")
    assert report.rows[0].changed is False
    assert book.save() is False
    assert (tmp_path / "book.vcf").read_bytes() == first


def test_a_rerun_with_the_same_card_image_adds_no_second_photo(tmp_path):
    path = tmp_path / "book.vcf"
    bob = Contact(full_name="Bob Stone", emails=(Email("bob@stone.io"),), photo=CARD)
    book = Book.load(path)
    pipeline.merge_into_book(book, [("a.jpg", bob)], event="Expo", met_on="2026-11-20")
    book.save()
    first = path.read_bytes()
    other_image = Photo(b"\xff\xd8\xff another shot of the same card")
    for photo in (CARD, other_image):  # the same photo again, or a second photo of the card
        book = Book.load(path)
        report = pipeline.merge_into_book(book, [("b.jpg", bob.replace(photo=photo))],
                                          event="Expo", met_on="2026-11-20")
        assert [(r.decision, r.changed) for r in report.rows] == [("merged", False)]
        assert book.save() is False
        assert path.read_bytes() == first and first.count(b"PHOTO") == 1
