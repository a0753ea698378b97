"""Merging into a book: the same person is recognised, a number the book holds in another
form is not added twice, a job change puts the new company first (issue 14, items 3-5)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from cardpipe.cli import cli
from cardpipe.contact import Contact, Phone
from cardpipe.merge import merge, same_number

VCARDS = Path(__file__).parent / "data" / "vcards"
ERIKA = VCARDS / "nodevcf__multiple.vcf"  # one person as 4.0, 2.1 and 3.0 (node-vcf)


def _cards(path: Path) -> list[str]:
    """Each card of a vCard file as its text (CRLF kept)."""
    text = path.read_bytes().decode("utf-8")
    return re.findall(r"BEGIN:VCARD\r?\n.*?END:VCARD\r?\n", text, flags=re.S)


def _tel_lines(data: bytes) -> list[bytes]:
    return [line for line in data.splitlines() if line.upper().startswith(b"TEL")]


def _merge_cli(book: Path, *vcards: Path, report: Path | None = None):
    args = ["merge", *map(str, vcards), "--book", str(book)]
    if report is not None:
        args += ["--report", str(report)]
    return CliRunner().invoke(cli, args)


# -- 4: a number is compared after normalising both sides -------------------------------


def test_same_number_in_the_book_as_printed_and_on_the_card_in_e164() -> None:
    assert same_number(Phone("(720) 977-6816", "cell"), Phone("+17209776816", "work"))
    assert same_number(Phone("07412 402056", "cell"), Phone("+447412402056", "cell"))
    assert same_number(Phone("(0221) 9999123", "work"), Phone("+492219999123"), "DE")
    assert not same_number(Phone("(720) 977-6816"), Phone("+17209776817"))
    assert not same_number(Phone("07412 402056"), Phone("+447412402057"))


def test_merge_keeps_the_books_printed_number_and_adds_no_e164_copy() -> None:
    book = Contact(full_name="Pat Quinn", phones=(Phone("(720) 977-6816", "cell"),
                                                  Phone("07412 402056", "home")))
    card = Contact(full_name="Pat Quinn", phones=(Phone("+17209776816", "work"),
                                                  Phone("+447412402056", "cell"),
                                                  Phone("+17205550100", "work")))
    merged = merge(book, card)
    assert [p.number for p in merged.phones] == ["(720) 977-6816", "07412 402056",
                                                 "+17205550100"]


def test_merging_a_card_whose_numbers_the_book_holds_as_printed_adds_no_tel_line(
    tmp_path: Path,
) -> None:
    _v40, v21, v30 = _cards(ERIKA)
    book = tmp_path / "book.vcf"
    book.write_bytes(v21.encode())  # TEL;WORK;VOICE:(0221) 9999123 (a 2.1 client)
    incoming = tmp_path / "erika.vcf"
    incoming.write_bytes(v30.encode())  # TEL;TYPE=WORK,VOICE:+49 221 9999123
    report = tmp_path / "report.jsonl"
    result = _merge_cli(book, incoming, report=report)
    assert result.exit_code == 0, result.output
    assert _tel_lines(book.read_bytes()) == _tel_lines(v21.encode())
    (row,) = [json.loads(line) for line in report.read_text().splitlines()]
    assert row["decision"] == "merged"


def test_a_genuinely_new_number_is_still_added(tmp_path: Path) -> None:
    _v40, v21, v30 = _cards(ERIKA)
    book = tmp_path / "book.vcf"
    book.write_bytes(v21.encode())
    incoming = tmp_path / "erika.vcf"
    incoming.write_bytes(v30.replace("+49 221 1234567", "+49 221 7654321").encode())
    assert _merge_cli(book, incoming).exit_code == 0
    tels = _tel_lines(book.read_bytes())
    assert tels[:2] == _tel_lines(v21.encode()) and len(tels) == 3
    assert b"+492217654321" in tels[2]
