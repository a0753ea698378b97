"""QR payloads (MECARD, BIZCARD, vCard, URL) and their priority over OCR."""

from __future__ import annotations

from dataclasses import replace

from cardpipe.parse import parse_page
from cardpipe.parse.qrcard import parse_mecard, parse_qr
from cardpipe.scan.page import OcrPage


def test_mecard_fields_and_escapes() -> None:
    c = parse_mecard(r"MECARD:N:Doe,John;TEL:+1 415 555 0100;EMAIL:john@acme.com;"
                     r"ORG:Acme\; Sons;URL:https://acme.com;NOTE:met at expo;;")
    assert (c.full_name, c.given_name, c.family_name) == ("John Doe", "John", "Doe")
    assert [p.number for p in c.phones] == ["+14155550100"]
    assert [e.address for e in c.emails] == ["john@acme.com"]
    assert c.company == "Acme; Sons"
    assert c.websites == ("https://acme.com",)
    assert c.note == "met at expo"


def test_bizcard_types_mobile_and_fax() -> None:
    c = parse_qr("BIZCARD:N:Anna;X:Schmidt;T:CTO;C:Acme GmbH;B:+49 30 123456;"
                 "M:+49 170 1234567;F:+49 30 123457;E:anna@acme.de;;")
    assert c is not None
    assert (c.full_name, c.title, c.company) == ("Anna Schmidt", "CTO", "Acme GmbH")
    assert [(p.number, p.type) for p in c.phones] == [
        ("+4930123456", "work"), ("+491701234567", "cell"), ("+4930123457", "fax")]


def test_vcard_payload() -> None:
    payload = ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Rossi;Anna;;Dott.ssa;\r\nFN:Dott.ssa Anna Rossi"
               "\r\nORG:Rossi Srl;Acquisti\r\nTITLE:Responsabile\r\nTEL;TYPE=CELL:+39 333 123 4567"
               "\r\nEMAIL:anna@rossi.it\r\nADR;TYPE=WORK:;;Via Roma 1;Roma;;00184;Italia\r\n"
               "END:VCARD\r\n")
    c = parse_qr(payload)
    assert c is not None
    assert (c.full_name, c.given_name, c.family_name, c.prefix) == (
        "Dott.ssa Anna Rossi", "Anna", "Rossi", "Dott.ssa")
    assert (c.company, c.department, c.title) == ("Rossi Srl", "Acquisti", "Responsabile")
    assert [(p.number, p.type) for p in c.phones] == [("+393331234567", "cell")]
    assert c.addresses[0].one_line() == "Via Roma 1, 00184 Roma, Italia"


def test_plain_url_mailto_and_tel_payloads() -> None:
    assert parse_qr("https://acme.com/anna").websites == ("https://acme.com/anna",)
    assert parse_qr("mailto:anna@acme.com?subject=hi").emails[0].address == "anna@acme.com"
    assert parse_qr("tel:+14155550100").phones[0].number == "+14155550100"
    assert parse_qr("just some text") is None


def test_broken_vcard_payload_is_ignored() -> None:
    assert parse_qr("BEGIN:VCARD\r\nthis is not a vcard") is None


def test_qr_wins_over_ocr_on_conflicts() -> None:
    page = OcrPage.from_lines(["Jon Doe", "Sales Manager", "Acme Inc.", "jon@acme.com",
                               "T +1 415 555 0100"])
    page = replace(page, qr=("MECARD:N:Doe,John;EMAIL:john@acme.com;TEL:+14155550100;;",))
    c = parse_page(page)
    assert c.full_name == "John Doe"
    assert c.confidence["full_name"] > 0.95
    assert [e.address for e in c.emails] == ["john@acme.com", "jon@acme.com"]
    assert [p.number for p in c.phones] == ["+14155550100"]  # the same number once
    assert (c.title, c.company) == ("Sales Manager", "Acme Inc.")  # OCR fills the rest
