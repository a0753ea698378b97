"""Merging into a book: the same person is recognised, a number the book holds in another
form is not added twice, a job change puts the new company first (issue 14, items 3-5)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from cardpipe import pipeline
from cardpipe.book import Book
from cardpipe.cli import cli
from cardpipe.contact import Contact, Phone
from cardpipe.merge import merge, same_number
from cardpipe.vcard import read_vcards

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


# -- 3: the same contact is recognised; a copy keeps what the Contact has no field for ----

#: real client cards: with UIDs (Evolution, Lotus Notes, issue114, XING) and without (iPhone
#: and Mac OS X for one John Doe, Android's six 2.1 cards, Outlook 2003, three Erikas)
SELF = ["ezvcard__John_Doe_EVOLUTION.vcf", "ezvcard__John_Doe_LOTUS_NOTES.vcf",
        "ezvcard__issue114.vcf", "nodevcf__xing.vcf", "ezvcard__John_Doe_IPHONE.vcf",
        "ezvcard__John_Doe_MAC_ADDRESS_BOOK.vcf", "ezvcard__John_Doe_ANDROID.vcf",
        "ezvcard__outlook-2003.vcf", "nodevcf__multiple.vcf"]


def _book_of(tmp_path: Path, names: list[str], name: str = "book.vcf") -> Path:
    path = tmp_path / name
    path.write_bytes(b"".join((VCARDS / n).read_bytes().rstrip(b"\r\n") + b"\r\n"
                              for n in names))
    return path


def _rows(report: Path) -> list[dict]:
    return [json.loads(line) for line in report.read_text().splitlines()]


def test_merging_a_book_into_itself_adds_nobody_and_changes_nothing(tmp_path: Path) -> None:
    book = _book_of(tmp_path, SELF)
    copy = tmp_path / "copy.vcf"
    copy.write_bytes(book.read_bytes())
    before = book.read_bytes()
    count = len(Book.load(book))
    report = tmp_path / "report.jsonl"
    result = _merge_cli(book, copy, report=report)
    assert result.exit_code == 0, result.output
    rows = _rows(report)
    assert len(rows) == count
    assert {r["decision"] for r in rows} == {"merged"}, [r for r in rows if r["decision"] != "merged"]
    assert all(r["score"] > 0.9 for r in rows)
    assert book.read_bytes() == before
    assert len(Book.load(book)) == count


def test_a_card_with_the_same_uid_is_the_same_person(tmp_path: Path) -> None:
    book = _book_of(tmp_path, ["ezvcard__John_Doe_EVOLUTION.vcf"])
    (evolution,) = read_vcards(book.read_bytes(), source="book")
    assert evolution.contact is not None and evolution.contact.uid
    # the same UID with only a name left: the matcher alone would never merge it
    copy = tmp_path / "copy.vcf"
    copy.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:" + evolution.contact.uid
                    + "\r\nFN:John Doe\r\nNOTE:seen again\r\nEND:VCARD\r\n")
    report = tmp_path / "report.jsonl"
    assert _merge_cli(book, copy, report=report).exit_code == 0
    (row,) = _rows(report)
    assert row["decision"] == "merged" and row["into"] == evolution.contact.uid
    assert row["reasons"][0].startswith("uid: same")
    (only,) = Book.load(book).contacts()
    assert only.note is not None and "seen again" in only.note


def test_a_name_alone_is_still_not_the_same_person(tmp_path: Path) -> None:
    book = _book_of(tmp_path, ["jeroen__contacts.vcf"])  # five cards, two with a name only
    copy = tmp_path / "copy.vcf"
    # (without their BDAY: a name and the same date of birth are more than a name)
    copy.write_bytes(b"".join(ln for ln in book.read_bytes().splitlines(keepends=True)
                              if not ln.startswith(b"BDAY")))
    report = tmp_path / "report.jsonl"
    assert _merge_cli(book, copy, report=report).exit_code == 0
    named_only = [r for r in _rows(report) if r["decision"] == "new"]
    assert len(named_only) == 2 and all(r["score"] < 0.5 for r in named_only)


def test_same_name_and_email_merges_even_when_the_book_holds_the_person_twice(
    tmp_path: Path,
) -> None:
    # iPhone and Mac OS X exports of one John Doe: the copy of each goes into its twin
    book = _book_of(tmp_path, ["ezvcard__John_Doe_IPHONE.vcf",
                               "ezvcard__John_Doe_MAC_ADDRESS_BOOK.vcf"])
    uids = [c.uid for c in Book.load(book).contacts()]
    copy = _book_of(tmp_path, ["ezvcard__John_Doe_MAC_ADDRESS_BOOK.vcf"], "copy.vcf")
    report = tmp_path / "report.jsonl"
    assert _merge_cli(book, copy, report=report).exit_code == 0
    (row,) = _rows(report)
    assert row["decision"] == "merged" and row["into"] == uids[1] and not row["changed"]


def test_a_copy_added_as_new_keeps_bday_photo_and_x_properties(tmp_path: Path) -> None:
    book = tmp_path / "book.vcf"
    mac = VCARDS / "ezvcard__John_Doe_MAC_ADDRESS_BOOK.vcf"
    assert _merge_cli(book, mac).exit_code == 0
    data = book.read_bytes()
    for line in (b"BDAY;value=date:2012-06-06", b"X-PHONETIC-FIRST-NAME:Jon",
                 b"X-PHONETIC-LAST-NAME:Dow", b"X-ABUID:6B29A774-D124-4822-B8D0-2780EC1"):
        assert line in data, line
    (card,) = read_vcards(data, source="book")
    assert card.contact is not None and card.contact.photo is not None


def test_merging_a_copy_gives_the_books_card_the_bday_it_lacked_once(tmp_path: Path) -> None:
    iphone = (VCARDS / "ezvcard__John_Doe_IPHONE.vcf").read_bytes()
    book = tmp_path / "book.vcf"
    book.write_bytes(re.sub(rb"BDAY[^\n]*\n", b"", iphone))  # its lines end in CR CR LF
    assert b"BDAY" not in book.read_bytes()
    before = book.read_bytes()
    copy = tmp_path / "copy.vcf"
    copy.write_bytes(iphone)
    report = tmp_path / "report.jsonl"
    assert _merge_cli(book, copy, report=report).exit_code == 0
    (row,) = _rows(report)
    assert row["decision"] == "merged" and row["changed"]
    data = book.read_bytes()
    assert data.count(b"BDAY") == 1 and b"BDAY;value=date:2012-06-06" in data
    assert b"item1.EMAIL" in data and data.count(b"X-ABLabel:_$!<AssistantPhone>!$_") == 1
    assert data.count(b"PHOTO") == before.count(b"PHOTO")
    # again: nothing more to add
    assert _merge_cli(book, copy, report=report).exit_code == 0
    assert _rows(report)[0]["changed"] is False
    assert book.read_bytes() == data


def test_a_different_bday_on_the_copy_never_makes_a_second_one(tmp_path: Path) -> None:
    iphone = (VCARDS / "ezvcard__John_Doe_IPHONE.vcf").read_bytes()
    book = tmp_path / "book.vcf"
    book.write_bytes(iphone)
    copy = tmp_path / "copy.vcf"
    copy.write_bytes(iphone.replace(b"2012-06-06", b"1970-01-01")
                     + b"")
    assert _merge_cli(book, copy).exit_code == 0
    data = book.read_bytes()
    assert data.count(b"BDAY") == 1 and b"2012-06-06" in data


def test_a_plan_carries_its_card_through_the_ledger_form(tmp_path: Path) -> None:
    mac = (VCARDS / "ezvcard__John_Doe_MAC_ADDRESS_BOOK.vcf").read_bytes()
    (card,) = read_vcards(mac, source="mac")
    assert card.contact is not None
    plan = pipeline.Plan(card.contact, "new", card=card.raw)
    again = pipeline.Plan.from_dict(json.loads(json.dumps(plan.to_dict())))
    book = Book.new(tmp_path / "book.vcf")
    pipeline.apply_plan(book, again)
    assert b"X-PHONETIC-FIRST-NAME:Jon" in book.to_bytes()


# -- 5: a job change puts the new company's e-mail, phone and website first --------------


def _job_change_card(tmp_path: Path) -> Path:
    path = tmp_path / "card.vcf"
    path.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;John;Richter,James;Mr.;Sr.\r\n"
                    "FN:Mr. John Richter\\, James Doe Sr.\r\nORG:Initech\r\n"
                    "TITLE:Chief Counter\r\nEMAIL:john.doe@initech.example\r\n"
                    "TEL:+1 905 555 0199\r\nURL:https://initech.example\r\n"
                    "TEL;TYPE=CELL:905-666-1234\r\nEND:VCARD\r\n")
    return path


def test_a_job_change_makes_the_new_companys_email_phone_and_url_first_and_work(
    tmp_path: Path,
) -> None:
    book = _book_of(tmp_path, ["ezvcard__John_Doe_EVOLUTION.vcf"])  # at IBM, e-mail WORK
    before = book.read_bytes()
    report = tmp_path / "report.jsonl"
    assert _merge_cli(book, _job_change_card(tmp_path), report=report).exit_code == 0
    (row,) = _rows(report)
    assert row["decision"] == "merged"
    (card,) = read_vcards(book.read_bytes(), source="book")
    c = card.contact
    assert c is not None and c.company == "Initech"
    assert c.emails[0].address == "john.doe@initech.example" and c.emails[0].type == "work"
    assert c.phones[0].number == "+19055550199" and c.phones[0].type == "work"
    assert c.websites[0] == "https://initech.example"
    lines = card.raw.splitlines()
    first = {name: next(i for i, x in enumerate(lines) if x.upper().startswith(name))
             for name in ("EMAIL", "TEL", "URL")}
    assert "initech" in lines[first["EMAIL"]] and "WORK" in lines[first["EMAIL"]].upper()
    assert "+19055550199" in lines[first["TEL"]]
    assert "initech" in lines[first["URL"]]
    # the old ones stay, byte for byte, typed as before
    for old in before.splitlines():
        if old.upper().startswith((b"EMAIL", b"URL", b"TEL")):
            assert old in book.read_bytes().splitlines(), old
    assert c.note is not None and "Previously: Money Counter, IBM (Accounting)" in c.note


def test_merge_of_a_job_change_orders_the_contact_new_first() -> None:
    from cardpipe.contact import Email

    old = Contact(full_name="Ana Lima", company="Acme GmbH", title="CTO",
                  emails=(Email("ana@acme.example", "work"), Email("ana@home.example", "home")),
                  websites=("https://acme.example",))
    new = Contact(full_name="Ana Lima", company="Initech", title="CEO",
                  emails=(Email("ana@initech.example"), Email("ana@home.example")),
                  websites=("https://initech.example",))
    out = merge(old, new)
    assert [(e.address, e.type) for e in out.emails] == [
        ("ana@initech.example", "work"), ("ana@acme.example", "work"),
        ("ana@home.example", "home")]
    assert out.websites == ("https://initech.example", "https://acme.example")
    assert out.note == "Previously: CTO, Acme GmbH"
