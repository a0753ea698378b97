"""Exports re-import: vobject reads every exported card; CSV columns and values are right."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import vobject

from cardpipe.book import Book
from cardpipe.book.export import OUTLOOK_COLUMNS, export_csv, export_vcf, export_vdir
from cardpipe.contact import Address, Contact, Email, Phone, Photo, Social
from cardpipe.vcard import read_vcards, same_contact

PEOPLE = [
    Contact(
        full_name="Zoë Ångström-Müller",
        given_name="Zoë",
        family_name="Ångström-Müller",
        title="Head of Research, Europe",
        company="Nordlicht GmbH",
        department="R&D",
        emails=(Email("zoe@nordlicht.example", "work"), Email("zoe@home.example", "home")),
        phones=(Phone("+4930901820", "work"), Phone("+491711234567", "cell"), Phone("+4930901829", "fax")),
        websites=("https://nordlicht.example",),
        addresses=(Address(street="Unter den Linden 1", locality="Berlin", postcode="10117", country="Germany", type="work"),),
        social=(Social("linkedin", "zoe-am"),),
        note="Met at Expo 2024 on 2024-05-01\nTalked about 日本語 OCR; follow up, soon",
        categories=("Expo 2024", "clients"),
        uid="u-1",
    ),
    Contact(full_name="Bob Builder", emails=(Email("bob@example.com"),), uid="u-1"),  # same UID
    Contact(company="Acme Corp", phones=(Phone("0301234567", "other", extension="12"),)),  # no name, no UID
    Contact(full_name="長い名前" * 12, note="x" * 200),
]  # fmt: skip


def physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    return data[:-2].split(b"\r\n")


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_export_vcf_is_read_by_vobject_and_by_us(tmp_path: Path, version: str) -> None:
    out = tmp_path / "phone.vcf"
    assert export_vcf(Book.of(PEOPLE), out, version=version) == len(PEOPLE)
    data = out.read_bytes()
    for line in physical_lines(data):
        assert len(line) <= 75
        line.decode("utf-8")  # strict: no character split by a fold
    cards = list(vobject.readComponents(data.decode("utf-8")))
    assert len(cards) == len(PEOPLE)
    assert [c.version.value for c in cards] == [version] * len(PEOPLE)
    assert [c.fn.value for c in cards] == [p.display_name for p in PEOPLE]
    uids = [c.uid.value for c in cards]
    assert len(set(uids)) == len(uids) and uids[0] == "u-1"
    assert cards[0].note.value == PEOPLE[0].note  # newline and ; , survived
    assert b"\\n" in data and b"NOTE:Met at Expo 2024 on 2024-05-01\\nTalked" in data
    ours = read_vcards(data, source=str(out))
    assert same_contact(ours[0].contact, PEOPLE[0])
    assert ours[2].contact.phones[0].extension == "12"


def test_export_vcf_phone_types_and_org_for_phones(tmp_path: Path) -> None:
    out = tmp_path / "phone.vcf"
    export_vcf(Book.of(PEOPLE[:1]), out)
    card = vobject.readOne(out.read_text(encoding="utf-8"))
    tels = {t.value: t.params.get("TYPE") for t in card.contents["tel"]}
    assert tels == {"+4930901820": ["WORK"], "+491711234567": ["CELL"], "+4930901829": ["FAX"]}
    assert card.org.value == ["Nordlicht GmbH", "R&D"]
    assert card.title.value == "Head of Research, Europe"


def test_export_vdir_one_file_per_contact_and_idempotent(tmp_path: Path) -> None:
    folder = tmp_path / "vdir"
    assert export_vdir(Book.of(PEOPLE[:2]), folder) == 2
    files = sorted(folder.glob("*.vcf"))
    assert len(files) == 2 and "u-1.vcf" in [f.name for f in files]
    for f in files:
        assert vobject.readOne(f.read_text(encoding="utf-8")).fn.value
    assert export_vdir(Book.of(PEOPLE[:2]), folder) == 0  # same content, same UIDs: nothing written
    assert len(list(folder.glob("*.vcf"))) == 2


def read_csv(path: Path, encoding: str) -> list[dict[str, str]]:
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.DictReader(f))


def test_export_csv_google_layout(tmp_path: Path) -> None:
    out = tmp_path / "google.csv"
    assert export_csv(Book.of(PEOPLE), out) == len(PEOPLE)
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = read_csv(out, "utf-8")
    header = list(rows[0])
    for col in ("Name", "Given Name", "Family Name", "Notes", "Group Membership",
                "E-mail 1 - Type", "E-mail 1 - Value", "E-mail 2 - Value", "Phone 3 - Value",
                "Organization 1 - Name", "Organization 1 - Title", "Website 1 - Value",
                "Address 1 - Formatted"):  # fmt: skip
        assert col in header
    zoe = rows[0]
    assert zoe["Name"] == "Zoë Ångström-Müller" and zoe["Given Name"] == "Zoë"
    assert (zoe["E-mail 1 - Type"], zoe["E-mail 1 - Value"]) == ("* Work", "zoe@nordlicht.example")
    assert (zoe["E-mail 2 - Type"], zoe["E-mail 2 - Value"]) == ("Home", "zoe@home.example")
    phones = {zoe[f"Phone {n} - Type"]: zoe[f"Phone {n} - Value"] for n in (1, 2, 3)}
    assert phones == {"Work": "+4930901820", "Mobile": "+491711234567", "Work Fax": "+4930901829"}
    assert zoe["Organization 1 - Name"] == "Nordlicht GmbH"
    assert zoe["Organization 1 - Title"] == "Head of Research, Europe"
    assert zoe["Address 1 - Formatted"] == "Unter den Linden 1, 10117 Berlin, Germany"
    assert zoe["Address 1 - City"] == "Berlin"
    assert zoe["Notes"] == PEOPLE[0].note
    assert zoe["Group Membership"] == "* myContacts ::: Expo 2024 ::: clients"
    assert {zoe["Website 1 - Value"], zoe["Website 2 - Value"]} == {
        "https://nordlicht.example", "https://www.linkedin.com/in/zoe-am",
    }  # fmt: skip
    assert rows[2]["Name"] == "Acme Corp" and rows[2]["Phone 1 - Value"] == "0301234567 x12"


def test_export_csv_outlook_layout(tmp_path: Path) -> None:
    out = tmp_path / "outlook.csv"
    export_csv(Book.of(PEOPLE), out, dialect="outlook")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = read_csv(out, "utf-8-sig")
    assert list(rows[0]) == list(OUTLOOK_COLUMNS)
    zoe = rows[0]
    assert (zoe["First Name"], zoe["Last Name"]) == ("Zoë", "Ångström-Müller")
    assert (zoe["Company"], zoe["Job Title"], zoe["Department"]) == (
        "Nordlicht GmbH", "Head of Research, Europe", "R&D",
    )  # fmt: skip
    assert zoe["E-mail Address"] == "zoe@nordlicht.example"
    assert zoe["E-mail 2 Address"] == "zoe@home.example"
    assert zoe["Business Phone"] == "+4930901820"
    assert zoe["Mobile Phone"] == "+491711234567"
    assert zoe["Business Fax"] == "+4930901829"
    assert zoe["Business City"] == "Berlin" and zoe["Business Postal Code"] == "10117"
    assert zoe["Web Page"] == "https://nordlicht.example"
    assert "https://www.linkedin.com/in/zoe-am" in zoe["Notes"]  # no second web column
    assert zoe["Categories"] == "Expo 2024;clients"
    assert (rows[1]["First Name"], rows[1]["Last Name"]) == ("Bob", "Builder")


def test_export_csv_rejects_unknown_dialect(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        export_csv(Book.of(PEOPLE), tmp_path / "x.csv", dialect="yahoo")


IPHONE_LIKE = (
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;John\r\nFN:John Doe\r\nTEL;CELL:+1 212 555 0100\r\n"
    "BDAY:1980-04-15\r\nX-CUSTOM;HOME:custom value\r\n"
    "NOTE;ENCODING=QUOTED-PRINTABLE:line one=0D=0Aline two\r\n"
    "ROLE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Gesch=C3=A4ftsf=C3=BChrer\r\n"
    "PHOTO;ENCODING=BASE64;JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBD\r\n AAIBAQEBAQIBAQE=\r\n\r\n"
    "item1.X-ABDATE:2010-06-01\r\nitem1.X-ABLabel:_$!<Anniversary>!$_\r\nEND:VCARD\r\n"
)


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_export_of_a_book_carries_photo_birthday_and_x_properties(
    tmp_path: Path, version: str
) -> None:
    src = tmp_path / "book.vcf"
    src.write_text(IPHONE_LIKE, encoding="utf-8", newline="")
    out = tmp_path / "phone.vcf"
    assert export_vcf(Book.load(src), out, version=version) == 1
    text = out.read_bytes().decode("utf-8")
    card = vobject.readOne(text)
    # RFC 6350 dates are the ISO basic form; RFC 2426 allows both
    assert card.bday.value == ("1980-04-15" if version == "3.0" else "19800415")
    assert card.role.value == "Geschäftsführer"
    assert card.note.value == "line one\nline two"
    assert card.contents["x-custom"][0].value == "custom value"
    assert "item1.X-ABDATE:2010-06-01\r\nitem1.X-ABLabel:_$!<Anniversary>!$_\r\n" in text
    photo = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAIBAQEBAQIBAQE="
    if version == "3.0":
        assert "PHOTO;ENCODING=b;TYPE=JPEG:" + photo in text.replace("\r\n ", "")
    else:
        assert "PHOTO:data:image/jpeg;base64," + photo in text.replace("\r\n ", "")
    assert "QUOTED-PRINTABLE" not in text and "CHARSET" not in text


# -- an attached photo ----------------------------------------------------------------

CARD_JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 60 + b"\xff\xd9"


def _book_with_an_attached_photo(tmp_path: Path, version: str) -> Book:
    src = tmp_path / f"book-{version}.vcf"
    src.write_text(IPHONE_LIKE.replace("VERSION:2.1", f"VERSION:{version}")
                   if version != "2.1" else IPHONE_LIKE, encoding="utf-8", newline="")
    book = Book.load(src)
    book.add(Contact(full_name="Dana Whitfield", emails=(Email("dana@example.org"),),
                     uid="dana-1", photo=Photo(CARD_JPEG)))
    book.save(backup=False)
    return Book.load(src)


@pytest.mark.parametrize("book_version", ["2.1", "3.0"])
@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_an_attached_photo_survives_the_book_and_every_vcard_export(
    tmp_path: Path, book_version: str, version: str
) -> None:
    book = _book_with_an_attached_photo(tmp_path, book_version)
    assert book.get("dana-1").photo == Photo(CARD_JPEG)
    out = tmp_path / "phone.vcf"
    export_vcf(book, out, version=version)
    data = out.read_bytes()
    assert all(len(line) <= 75 for line in physical_lines(data))
    cards = read_vcards(data, source=str(out))
    dana = next(c.contact for c in cards if c.contact.uid == "dana-1")
    assert dana.photo == Photo(CARD_JPEG)
    assert data.count(b"PHOTO") == 2  # John's own photo and Dana's, nothing doubled
    parsed = {c.uid.value: c for c in vobject.readComponents(data.decode("utf-8"))}
    if version == "3.0":
        assert parsed["dana-1"].photo.value == CARD_JPEG
        assert parsed["dana-1"].photo.params == {"ENCODING": ["b"], "TYPE": ["JPEG"]}
    else:
        assert b"PHOTO:data:image/jpeg;base64,/9j/4" in data
    vdir = tmp_path / "vdir"
    export_vdir(book, vdir, version=version)
    [one] = read_vcards((vdir / "dana-1.vcf").read_bytes(), source="vdir")
    assert one.contact.photo == Photo(CARD_JPEG)


def test_exporting_contacts_without_a_book_writes_their_photo_and_csv_leaves_it_out(
    tmp_path: Path,
) -> None:
    dana = Contact(full_name="Dana Whitfield", uid="dana-1", photo=Photo(CARD_JPEG))
    export_vcf(Book.of([dana]), tmp_path / "p.vcf")
    assert read_vcards((tmp_path / "p.vcf").read_bytes(), source="p")[0].contact.photo == dana.photo
    for dialect in ("google", "outlook"):
        export_csv(Book.of([dana]), tmp_path / f"{dialect}.csv", dialect=dialect)
        text = (tmp_path / f"{dialect}.csv").read_text(encoding="utf-8-sig")
        assert "/9j/" not in text and "base64" not in text and "Whitfield" in text
        rows = list(csv.DictReader(text.splitlines()))
        assert rows[0].get("Photo", "") == ""


def test_csv_exports_keep_every_birthday_of_the_real_client_cards(tmp_path: Path) -> None:
    from cardpipe.book.export import birthday, csv_rows
    from tests.test_vcard_corpus import FILES

    for path in FILES:
        book = Book.load(path)
        with_bday = [c for c, _ in book.items() if any(p.name == "BDAY" and p.value.strip()
                                                      for p in c.props)]
        for dialect in ("google", "outlook"):
            out = tmp_path / f"{dialect}.csv"
            export_csv(book, out, dialect=dialect)
            rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
            kept = [r for r in rows if r["Birthday"] or "Birthday: " in r["Notes"]]
            assert len(kept) == len(with_bday), (path.name, dialect)
    src = tmp_path / "book.vcf"
    src.write_text(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:a\r\nFN:A\r\nBDAY:19800322\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:b\r\nFN:B\r\nBDAY:--0415\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c\r\nFN:C\r\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-07-01\r\n"
        "END:VCARD\r\n", encoding="utf-8", newline="")
    book = Book.load(src)
    assert [birthday(c) for c, _ in book.items()] == ["1980-03-22", "--04-15", "--07-01"]
    header, rows = csv_rows(book, "outlook")
    assert rows[0]["Birthday"] == "1980-03-22" and "Birthday: --04-15" in rows[1]["Notes"]
    header, rows = csv_rows(book, "google")
    assert [r["Birthday"] for r in rows] == ["1980-03-22", "--04-15", "--07-01"]
