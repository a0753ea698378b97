"""Every value the export writes is valid for its type: RFC 6350 (vCard 4.0) and RFC 2426
(vCard 3.0), checked line by line on the export of every real client card.

Phones and other readers are strict about some of these: ical.js refuses a 4.0 ``REV`` in
the extended ISO form, vobject-based servers cut a URI at a bare comma, and a backslash in
a URI becomes part of it.
"""

from __future__ import annotations

import base64
import binascii
import re
import shutil
from pathlib import Path

import pytest

from cardpipe.book import Book
from cardpipe.book.export import export_vcf
from cardpipe.contact import Contact, Phone
from cardpipe.vcard import contact_to_vcard, convert_card, read_vcards
from cardpipe.vcard._lex import Prop, iter_chunks
from cardpipe.vcard._text import split_unescaped
from tests.test_vcard_corpus import FILES, IDS

# -- RFC 6350 section 4 (ABNF), vCard 4.0 -----------------------------------------------
_YEAR, _MONTH, _DAY = r"\d{4}", r"(?:0[1-9]|1[0-2])", r"(?:0[1-9]|[12]\d|3[01])"
_HOUR, _MINSEC = r"(?:[01]\d|2[0-3])", r"[0-5]\d"
_ZONE = rf"(?:Z|[+-]{_HOUR}(?:{_MINSEC})?)"
_DATE4 = rf"(?:{_YEAR}(?:{_MONTH}{_DAY})?|{_YEAR}-{_MONTH}|--{_MONTH}(?:{_DAY})?|---{_DAY})"
_DATE_NOREDUC = rf"(?:{_YEAR}{_MONTH}{_DAY}|--{_MONTH}{_DAY}|---{_DAY})"
_TIME4 = (rf"(?:{_HOUR}(?:{_MINSEC}(?:{_MINSEC})?)?{_ZONE}?"
          rf"|-{_MINSEC}(?:{_MINSEC})?{_ZONE}?|--{_MINSEC}{_ZONE}?)")
_TIME_NOTRUNC = rf"{_HOUR}(?:{_MINSEC}(?:{_MINSEC})?)?{_ZONE}?"
DATE_AND_OR_TIME_4 = re.compile(rf"^(?:{_DATE_NOREDUC}T{_TIME_NOTRUNC}|{_DATE4}|T{_TIME4})$")
TIMESTAMP_4 = re.compile(rf"^{_YEAR}{_MONTH}{_DAY}T{_HOUR}{_MINSEC}{_MINSEC}{_ZONE}?$")
# -- RFC 2426 section 4 / RFC 2425 5.8.4 (ISO 8601 basic or extended), vCard 3.0 ----------
_DATE3 = rf"{_YEAR}-?{_MONTH}-?{_DAY}"
_TIME3 = rf"{_HOUR}:?{_MINSEC}:?{_MINSEC}(?:[.,]\d+)?(?:Z|[+-]{_HOUR}(?::?{_MINSEC})?)?"
DATE_3 = re.compile(rf"^{_DATE3}$")
DATE_TIME_3 = re.compile(rf"^{_DATE3}T{_TIME3}$")
# -- URIs (RFC 3986), tel: (RFC 3966), geo: (RFC 5870), data: (RFC 2397) -------------------
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s\\\"<>^`{|}]*$")
TEL_URI = re.compile(r"^tel:\+?[0-9A-Fa-f*#().\-]+(?:;[A-Za-z0-9-]+(?:=[^;\s]*)?)*$")
_FLOAT = r"[+-]?\d+(?:\.\d+)?"
GEO_URI = re.compile(rf"^geo:{_FLOAT},{_FLOAT}(?:,{_FLOAT})?(?:;[^\s]*)?$")
GEO_3 = re.compile(rf"^{_FLOAT};{_FLOAT}$")
DATA_URI = re.compile(r"^data:[\w.+-]+/[\w.+-]+;base64,([A-Za-z0-9+/]*={0,2})$")
# -- text (RFC 6350 3.4, RFC 2426 4): \\ \, \; \n are the only escapes --------------------
ESCAPE = re.compile(r"\\[\\,;nN]")

SINGLE_TEXT = {"FN", "TITLE", "NOTE", "ROLE", "EMAIL", "NICKNAME", "CATEGORIES"}
STRUCTURED = {"N": 5, "ADR": 7}
DATES = {"BDAY", "ANNIVERSARY", "DEATHDATE"}
BINARY = {"PHOTO", "LOGO", "SOUND", "KEY"}


def _values(prop: Prop) -> set[str]:
    return {v.lower() for v in prop.param("VALUE")}


def check_prop(prop: Prop, version: str) -> str | None:
    """What is wrong with ``prop``'s value for its type in ``version`` (None: nothing)."""
    name, value = prop.name, prop.value
    if any(ord(ch) < 32 and ch != "\t" for ch in value):
        return "control character in the value"
    kinds = _values(prop)
    if name == "REV":
        ok = TIMESTAMP_4.match(value) if version == "4.0" else (
            DATE_TIME_3.match(value) or DATE_3.match(value))
        return None if ok else "REV is not a timestamp"
    if name in DATES and "text" not in kinds:
        if version == "4.0":
            return None if DATE_AND_OR_TIME_4.match(value) else f"{name} is not date-and-or-time"
        if name == "BDAY":
            ok = DATE_3.match(value) or DATE_TIME_3.match(value)
            return None if ok else "BDAY is not a date or date-time"
        return None  # ANNIVERSARY is not a 3.0 property: any value passes through
    if name == "TEL":
        if "uri" in kinds:
            return None if TEL_URI.match(value) else "TEL;VALUE=uri is not a tel: URI"
        return _text_problem(value, name)
    if name in ("URL", "IMPP"):
        return None if URI.match(value) else f"{name} is not a URI"
    if name == "GEO":
        ok = GEO_URI.match(value) if version == "4.0" else GEO_3.match(value)
        return None if ok else "GEO is not a geo: URI (4.0) / float;float (3.0)"
    if name in BINARY:
        if version == "4.0" or "uri" in kinds:
            m = DATA_URI.match(value)
            if m:
                return _base64_problem(m.group(1))
            return None if URI.match(value) else f"{name} is not a data: URI or a URI"
        if {e.lower() for e in prop.param("ENCODING")} != {"b"}:
            return f"{name} is inline without ENCODING=b"
        return _base64_problem(value)
    if name in STRUCTURED:
        parts = split_unescaped(value, ";")
        if len(parts) != STRUCTURED[name]:
            return f"{name} has {len(parts)} components, not {STRUCTURED[name]}"
        return next((p for x in parts if (p := _text_problem(x, name, lists=True))), None)
    if name == "ORG":
        return next((p for x in split_unescaped(value, ";") if (p := _text_problem(x, name))),
                    None)
    if name in SINGLE_TEXT:
        return _text_problem(value, name, lists=name in ("NICKNAME", "CATEGORIES"))
    return None


def _text_problem(value: str, name: str, *, lists: bool = False) -> str | None:
    if "\\" in ESCAPE.sub("", value):
        return f"{name}: a backslash that is not an escape"
    parts = split_unescaped(value, ",") if lists else [value]
    for part in parts:
        if ";" in ESCAPE.sub("", part) and name not in STRUCTURED:
            return f"{name}: an unescaped ';' in text"
    if not lists and "," in ESCAPE.sub("", value):
        return f"{name}: an unescaped ',' in text"
    return None


def _base64_problem(data: str) -> str | None:
    try:
        base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return "broken base64"
    return None


def _problems(text: str, version: str) -> list[str]:
    out = []
    for chunk in iter_chunks(text, "export"):
        for prop in chunk.props:
            if prop.name and (problem := check_prop(prop, version)):
                out.append(f"{problem}: {prop.raw[:90]!r}")
    return out


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_every_exported_value_is_valid_for_its_type(path: Path, tmp_path: Path) -> None:
    target = tmp_path / "book.vcf"
    shutil.copyfile(path, target)
    book = Book.load(target)
    for version in ("3.0", "4.0"):
        out = tmp_path / f"export-{version}.vcf"
        export_vcf(book, out, version=version)
        assert _problems(out.read_bytes().decode("utf-8"), version) == []


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_rev_is_a_basic_timestamp_in_40_and_reads_back(version: str) -> None:
    contact = Contact(full_name="Rev Ision", uid="r-1", rev="2026-12-02T02:49:29Z")
    text = contact_to_vcard(contact, version)
    assert ("REV:20261202T024929Z\r\n" if version == "4.0"
            else "REV:2026-12-02T02:49:29Z\r\n") in text
    assert _problems(text, version) == []
    back = read_vcards(text, source="r.vcf")[0]
    # the same instant in either form: reading it back is no change
    from cardpipe.vcard import same_contact

    assert same_contact(back.contact, contact)


def test_dates_geo_and_uris_are_converted_between_30_and_40(tmp_path: Path) -> None:
    src = tmp_path / "book.vcf"
    src.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:d-1\r\nFN:Dee Date\r\nN:Date;Dee;;;\r\n"
        "BDAY:1980-03-22\r\nANNIVERSARY:2009-08-08T14:30:00-05:00\r\nGEO:37.386013;-122.082932\r\n"
        "URL:www.example.org\r\nCALURI:http://example.org/a\\,b\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:d-2\r\nFN:Noy Ear\r\nBDAY:--0415\r\n"
        "GEO:geo:51.5237,0.1585\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:d-3\r\nFN:Apple Omit\r\n"
        "BDAY;X-APPLE-OMIT-YEAR=1604:1604-07-01\r\nEND:VCARD\r\n",
        encoding="utf-8", newline="")
    book = Book.load(src)
    export_vcf(book, tmp_path / "4.vcf", version="4.0")
    four = (tmp_path / "4.vcf").read_bytes().decode("utf-8")
    assert "BDAY:19800322\r\n" in four and "ANNIVERSARY:20090808T143000-0500\r\n" in four
    assert "GEO:geo:37.386013,-122.082932\r\n" in four and "URL:http://www.example.org\r\n" in four
    assert "CALURI:http://example.org/a,b\r\n" in four
    assert "BDAY:--0415\r\n" in four and "BDAY:--0701\r\n" in four
    export_vcf(book, tmp_path / "3.vcf", version="3.0")
    three = (tmp_path / "3.vcf").read_bytes().decode("utf-8")
    assert "BDAY:1980-03-22\r\n" in three and "GEO:51.5237;0.1585\r\n" in three
    assert "BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15\r\n" in three
    assert "BDAY;X-APPLE-OMIT-YEAR=1604:1604-07-01\r\n" in three
    assert _problems(four, "4.0") == [] and _problems(three, "3.0") == []


def test_a_text_phone_number_and_a_tel_uri() -> None:
    text = contact_to_vcard(Contact(full_name="P", phones=(Phone("+4930901820", "work"),
                                                           Phone("555-0100,,12", "cell"))), "4.0")
    assert "TEL;VALUE=uri;TYPE=work:tel:+4930901820\r\n" in text
    assert "TEL;VALUE=text;TYPE=cell:555-0100\\,\\,12\r\n" in text
    assert _problems(text, "4.0") == []


# -- groups and PREF marks ---------------------------------------------------------------

#: Lines that only say something about the other lines of their group.
GROUP_HELPERS = {"X-ABLABEL", "X-ABADR"}


def _cards(text: str) -> list[list[Prop]]:
    return [chunk.props for chunk in iter_chunks(text, "export")]


def _pref_marks(props: list[Prop]) -> int:
    return sum(1 for p in props if p.name in ("TEL", "EMAIL")
               and ("pref" in p.types or p.param("PREF")))


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_a_group_is_exported_whole_and_pref_marks_are_kept(path: Path, tmp_path: Path) -> None:
    target = tmp_path / "book.vcf"
    shutil.copyfile(path, target)
    book = Book.load(target)
    for version in ("3.0", "4.0"):
        out = tmp_path / f"export-{version}.vcf"
        export_vcf(book, out, version=version)
        exported = _cards(out.read_bytes().decode("utf-8"))
        for (card, contact), props in zip(book.items(), exported, strict=True):
            groups: dict[str, set[str]] = {}
            for p in props:
                if p.group:
                    groups.setdefault(p.group.lower(), set()).add(p.name)
            for group, names in groups.items():
                assert names - GROUP_HELPERS, f"{group}.{sorted(names)} lost its value line"
            # every grouped phone / e-mail / address the contact still has keeps its group
            for kind in ("phones", "emails", "addresses"):
                for item, idxs in card.bindings.items.get(kind, ()):
                    group = card.props[idxs[0]].group
                    if group and item in getattr(contact, kind):
                        assert group.lower() in groups, f"{kind} {item} lost {group}"
            assert _pref_marks(props) == _pref_marks(list(card.props)), "PREF marks"


def test_pref_is_written_as_each_version_says(tmp_path: Path) -> None:
    src = tmp_path / "book.vcf"
    src.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:p-1\r\nFN:Pia Pref\r\n"
        "item1.TEL;type=CELL;type=VOICE;type=pref:+49 170 1234567\r\n"
        "item1.X-ABLabel:_$!<Mobile>!$_\r\nTEL;TYPE=HOME:+49 30 1234567\r\n"
        "EMAIL;TYPE=INTERNET,WORK,PREF:pia@example.org\r\n"
        "item2.ADR;type=HOME:;;Hauptstr. 1;Berlin;;10115;Germany\r\nitem2.X-ABADR:de\r\n"
        "END:VCARD\r\n", encoding="utf-8", newline="")
    book = Book.load(src)
    export_vcf(book, tmp_path / "3.vcf", version="3.0")
    three = (tmp_path / "3.vcf").read_bytes().decode("utf-8")
    assert "item1.TEL;TYPE=CELL,PREF:+4917012345" in three
    assert "item1.X-ABLabel:_$!<Mobile>!$_\r\n" in three
    assert "EMAIL;TYPE=INTERNET,WORK,PREF:pia@example.org\r\n" in three
    assert "item2.ADR;TYPE=HOME:" in three and "item2.X-ABADR:de\r\n" in three
    export_vcf(book, tmp_path / "4.vcf", version="4.0")
    four = (tmp_path / "4.vcf").read_bytes().decode("utf-8")
    assert "item1.TEL;VALUE=uri;TYPE=cell;PREF=1:tel:+4917012345" in four
    assert "EMAIL;TYPE=work;PREF=1:pia@example.org\r\n" in four
    # an address dropped from the contact takes its group's other lines along: in the
    # export of the card, and in the book's own card
    card, contact = book.items()[0]
    assert "X-ABADR" not in convert_card(card, "3.0", contact=contact.replace(addresses=()))
    assert "item1.X-ABLabel" in convert_card(card, "3.0", contact=contact.replace(addresses=()))
    book.update(contact.uid, contact.replace(addresses=()))
    export_vcf(book, tmp_path / "d.vcf", version="3.0")
    assert "X-ABADR" not in (tmp_path / "d.vcf").read_bytes().decode("utf-8")
