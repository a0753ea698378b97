"""The batch runner without OCR: collecting photos, merging contacts into a book."""

from __future__ import annotations

import os

from cardpipe import pipeline
from cardpipe.book import Book
from cardpipe.contact import Contact, Email, Phone

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
    os.symlink(tmp_path, tmp_path / "sub" / "loop")  # a symlink loop is not followed
    photos, missing = pipeline.collect_photos([tmp_path, tmp_path / "gone.jpg"])
    assert sorted(p.name for p in photos) == ["a.jpg", "b.HEIC"]
    assert len(missing) == 1 and "gone.jpg" in missing[0].error


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
