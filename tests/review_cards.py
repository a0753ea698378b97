"""Generated books for the review page's tests and benchmark (invented people only).

``scanned_book``: card photos rendered from invented people and read by the real OCR
through ``pipeline.run`` (the path ``cardpipe run`` takes), so the ledger holds what
scanning keeps: two pairs the matcher leaves for review and two people on their own.

``large_book``: many contacts without OCR (each card's lines parsed as text, with a
rendered card image kept in the ledger), about a third of them left for review, for
timing the page.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

import cv2

from cardpipe import pipeline
from cardpipe.book import Book
from cardpipe.contact import Source
from cardpipe.parse import parse_page
from cardpipe.scan import cardview
from cardpipe.scan.page import OcrPage
from cardpipe.sync.ledger import Ledger

from .conftest import photograph, render_card

#: (first card, second card) of the same name: the matcher cannot tell (new job, new number)
PAIRS = (
    (["Marta Quell", "Head of Research", "Lindqvist Analytics Ltd", "marta@lindqvist.com",
      "+44 20 7946 0123"],
     ["Marta Quell", "Research Director", "Lindqvist Analytics Ltd", "mquell@quellco.com",
      "+44 20 7946 0777"]),
    (["Oskar Brandvold", "Sales Manager", "Fjordline Systems AS", "oskar@fjordline.com",
      "+47 22 12 34 56"],
     ["Oskar Brandvold", "Account Executive", "Fjordline Systems AS", "ob@brandvold.net",
      "+47 22 98 76 54"]),
)
SINGLES = (
    ["Priya Ramaswamy", "CTO", "Tidewater Labs Inc", "priya@tidewaterlabs.com",
     "+1 415 555 0142"],
    ["Jonas Elmquist", "Buyer", "Nordhavn Retail AB", "jonas@nordhavn.se", "+46 8 123 456 78"],
)


@dataclass(frozen=True)
class ScannedBook:
    book: Path
    ledger: Path
    photos: Path
    result: pipeline.RunResult


def scanned_book(folder: Path) -> ScannedBook:
    """Photos of the cards in ``PAIRS`` and ``SINGLES`` in ``folder/photos`` (each pair's
    first card in one run, then the rest in a second run), read and merged into
    ``folder/book.vcf`` with the card images kept in ``folder/ledger.sqlite3``."""
    photos = folder / "photos"
    photos.mkdir(parents=True)
    first = [a for a, _ in PAIRS] + list(SINGLES)
    second = [b for _, b in PAIRS]
    paths = []
    for i, lines in enumerate(first + second):
        path = photos / f"card{i:02d}.jpg"
        cv2.imwrite(str(path), photograph(render_card(lines), seed=i))
        paths.append(path)
    book_path = folder / "book.vcf"
    ledger_path = folder / "ledger.sqlite3"
    result = None
    with Ledger.open(ledger_path) as ledger:
        for batch in (paths[:len(first)], paths[len(first):]):
            book = Book.load(book_path)
            result = pipeline.run(batch, book=book, jobs=1, keep_cards=True,
                                  apart=ledger.apart_for, event="Harbour Expo")
            pipeline.keep_cards(ledger, result)
            book.save()
    assert result is not None
    return ScannedBook(book_path, ledger_path, photos, result)


def large_book(folder: Path, n: int = 200, seed: int = 7) -> tuple[Path, Path]:
    """A book of ``n`` invented contacts (about a third left for review against a
    namesake) with a card image and OCR lines kept for each; returns (book, ledger)."""
    from faker import Faker

    fake = Faker(["en_GB", "de_DE", "en_US"])
    Faker.seed(seed)
    rng = random.Random(seed)
    people = []
    for _ in range(n):
        name = fake.name()
        domain = fake.domain_name()
        people.append([name, fake.job()[:40], fake.company(),
                       f"{name.split()[0].lower()}@{domain}", f"+44 20 7946 {rng.randint(1000, 9999)}"])
    cards = list(people)
    # every third person's second card: same name and company, another number
    cards[2::3] = [[p[0], "Director", p[2], "", f"+44 20 7946 {rng.randint(1000, 9999)}"]
                   for p in people[1::3][:len(cards[2::3])]]
    return text_book(folder, cards, seed=seed)


def text_book(folder: Path, cards: list[list[str]], *, seed: int = 0) -> tuple[Path, Path]:
    """``cards`` (each its printed lines) parsed as text, merged one by one into
    ``folder/book.vcf``, each with a rendered card image and its lines kept in
    ``folder/ledger.sqlite3``; returns (book, ledger)."""
    book_path = folder / "book.vcf"
    ledger_path = folder / "ledger.sqlite3"
    book = Book.new(book_path)
    incoming = []
    views = []
    for i, lines in enumerate(cards):
        lines = [ln for ln in lines if ln]
        page = OcrPage.from_lines(lines, heights=[34] + [24] * (len(lines) - 1), width=700)
        image = render_card(lines)
        page = OcrPage(page.width, page.height, page.words, page.lines, engine="text",
                       image=cv2.resize(image, (page.width, page.height)))
        contact = parse_page(page)
        sha = hashlib.sha256(f"{seed}-{i}".encode()).hexdigest()
        contact = contact.replace(sources=(Source("photo", f"card{i}.jpg", sha),))
        incoming.append(pipeline.Incoming(f"card{i}.jpg", contact, "Bench Expo", "2026-11-12"))
        views.append((sha, cardview.card_view(page, contact), contact))
    report = pipeline.merge_into_book(book, incoming)
    book.save()
    with Ledger.open(ledger_path) as ledger, ledger.transaction():
        for (sha, view, contact), row in zip(views, report.rows, strict=True):
            assert view is not None
            ledger.keep_card(sha, 0, path=f"card{sha[:6]}.jpg", uid=row.into, jpeg=view.jpeg,
                             meta=view.meta(), confidence=contact.confidence)
    return book_path, ledger_path
