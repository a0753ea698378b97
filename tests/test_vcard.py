"""vCard reading and writing: regressions named after the problem, rendering, round trips."""

from __future__ import annotations

import base64
import codecs
import io
import string

import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from cardpipe.contact import Address, Contact, Email, Phone, Photo, Social
from cardpipe.errors import VCardError
from cardpipe.vcard import (
    contact_to_vcard,
    read_file,
    read_vcards,
    render,
    same_contact,
    signature,
    write_vcards,
)


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def one(data: bytes | str, **kw) -> Contact:
    cards = read_vcards(data, source="t.vcf", **kw)
    assert len(cards) == 1
    assert cards[0].error is None, cards[0].error
    return cards[0].contact


# -- reading: regressions --------------------------------------------------------------


def test_21_quoted_printable_soft_break() -> None:
    data = crlf(
        "BEGIN:VCARD\nVERSION:2.1\n"
        "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=\n=C3=BCrgen;;;\n"
        "NOTE;ENCODING=QUOTED-PRINTABLE:first line=0D=0A=\nsecond line\n"
        "TEL;CELL:+49 171 1234567\nEND:VCARD\n"
    ).encode()
    c = one(data)
    assert c.family_name == "Müller"
    assert c.given_name == "Jürgen"
    assert c.note == "first line\nsecond line"
    assert c.phones[0].number == "+491711234567"
    assert write_vcards(read_vcards(data, source="t.vcf")) == data


def test_qp_value_broken_without_equals_sign_is_joined() -> None:
    # Evolution wrote quoted-printable lines that continue without a soft break '='.
    data = "BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=UTF-8;QUOTED-PRINTABLE:=E5=8D=81=E5=9F\n=8E\nEND:VCARD\n"
    assert one(data).full_name == "十城"


def test_bare_21_param_home_is_kept() -> None:
    data = crlf(
        "BEGIN:VCARD\nVERSION:2.1\nN:Doe;Jane\nTEL;HOME:555-1234\nTEL;WORK;FAX:555-9999\n"
        "EMAIL;INTERNET;WORK:jane@example.com\nEND:VCARD\n"
    )
    c = one(data)
    assert [(p.number, p.type) for p in c.phones] == [("555-1234", "home"), ("555-9999", "fax")]
    assert c.emails == (Email("jane@example.com", "work"),)
    card = read_vcards(data, source="t.vcf")[0]
    changed = c.replace(title="Boss")
    text = render(card, changed)
    assert "TEL;HOME:555-1234\r\n" in text and "TEL;WORK;FAX:555-9999\r\n" in text


def test_card_without_fn_is_read() -> None:
    cards = read_vcards(
        "BEGIN:VCARD\nVERSION:3.0\nN:Doe;John;;;\nEMAIL:j@x.org\nEND:VCARD\n", source="a.vcf"
    )
    assert cards[0].error is None
    assert cards[0].contact.full_name == "John Doe"
    assert cards[0].contact.emails[0].address == "j@x.org"
    assert any("no FN" in w for w in cards[0].warnings)


def test_malformed_card_in_middle_is_kept_and_reported() -> None:
    data = crlf(
        "BEGIN:VCARD\nVERSION:3.0\nFN:First\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Broken\nthis line has no colon at all\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Third\nEND:VCARD\n"
    ).encode()
    cards = read_vcards(data, source="book.vcf")
    assert [c.contact.full_name if c.contact else None for c in cards] == ["First", None, "Third"]
    assert cards[1].error is not None and cards[1].error.startswith("book.vcf:8: ")
    assert write_vcards(cards) == data
    # and a card that is not closed before the next one starts
    data2 = "BEGIN:VCARD\nFN:A\nBEGIN:VCARD\nVERSION:3.0\nFN:B\nEND:VCARD\n"
    cards2 = read_vcards(data2, source="b.vcf")
    assert cards2[0].error.startswith("b.vcf:1: no END:VCARD")
    assert cards2[1].contact.full_name == "B"


def test_malformed_card_cannot_be_rendered_with_changes() -> None:
    card = read_vcards("BEGIN:VCARD\nFN:x\n", source="a.vcf")[0]
    assert card.error is not None
    with pytest.raises(VCardError):
        render(card, Contact(full_name="x"))


def test_utf16_bom_file() -> None:
    text = crlf(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Zoë Ångström\nTEL;TYPE=CELL:+33 6 12 34 56 78\nEND:VCARD\n"
    )
    data = b"\xff\xfe" + text.encode("utf-16-le")
    cards = read_vcards(data, source="u.vcf")
    assert cards[0].contact.full_name == "Zoë Ångström"
    assert cards[0].contact.phones[0].number == "+33612345678"
    assert write_vcards(cards) == data
    out = write_vcards([cards[0], Contact(full_name="New Person", uid="n1")])
    assert out.startswith(data) and out[len(data) :].decode("utf-16-le").startswith("BEGIN:VCARD")


def test_cr_only_line_ends() -> None:
    data = b"BEGIN:VCARD\rVERSION:3.0\rFN:Old Mac\rNOTE:folded\r  line\rEND:VCARD\r"
    cards = read_vcards(data, source="mac.vcf")
    assert cards[0].contact.full_name == "Old Mac"
    assert cards[0].contact.note == "folded line"
    assert write_vcards(cards) == data
    text = render(cards[0], cards[0].contact.replace(title="CEO"))
    assert "TITLE:CEO\r" in text and "\n" not in text


def test_utf8_character_split_by_a_fold_is_read_and_kept() -> None:
    data = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Длинны".encode() + b"\xd0\r\n \xb9\r\nEND:VCARD\r\n"
    cards = read_vcards(data, source="k.vcf")
    assert cards[0].contact.full_name == "Длинный"
    assert write_vcards(cards) == data


def test_windows_1252_file_is_read_and_kept() -> None:
    data = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:François Müller – ok\r\nEND:VCARD\r\n".encode("cp1252")
    f = read_file(data, source="w.vcf")
    assert f.encoding == "cp1252"
    assert f.cards[0].contact.full_name == "François Müller – ok"
    assert write_vcards(f.cards) == data


def test_declared_latin1_charset_is_decoded() -> None:
    data = b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=ISO-8859-1:Jos\xe9\r\nEND:VCARD\r\n"
    assert one(data).full_name == "José"


def test_group_label_becomes_type() -> None:
    data = crlf(
        "BEGIN:VCARD\nVERSION:3.0\nFN:G\n"
        "item1.TEL:+1 212 555 0100\nitem1.X-ABLabel:_$!<Mobile>!$_\n"
        "item2.EMAIL;type=INTERNET:g@work.example\nitem2.X-ABLabel:_$!<Work>!$_\n"
        "item3.TEL:+1 212 555 0101\nitem3.X-ABLabel:_$!<HomeFAX>!$_\n"
        "item4.EMAIL:g@school.example\nitem4.X-ABLabel:School\nEND:VCARD\n"
    )
    c = one(data)
    assert [(p.number, p.type) for p in c.phones] == [
        ("+12125550100", "cell"),
        ("+12125550101", "fax"),
    ]
    assert [(e.address, e.type) for e in c.emails] == [
        ("g@work.example", "work"),
        ("g@school.example", None),
    ]


def test_vcard40_tel_uri_and_pref() -> None:
    data = crlf(
        'BEGIN:VCARD\nVERSION:4.0\nFN:Four\nTEL;VALUE=uri;PREF=1;TYPE="voice,work":tel:+1-555-555-5555;ext=102\n'
        "TEL;VALUE=uri;TYPE=cell:tel:+44 7700 900123\nEND:VCARD\n"
    )
    c = one(data)
    assert (c.phones[0].number, c.phones[0].type, c.phones[0].extension) == (
        "+15555555555",
        "work",
        "102",
    )
    assert (c.phones[1].number, c.phones[1].type) == ("+447700900123", "cell")


def test_phone_without_plus_uses_region_or_stays_as_printed() -> None:
    data = "BEGIN:VCARD\nVERSION:3.0\nFN:P\nTEL:030 1234567\nEND:VCARD\n"
    assert one(data).phones[0].number == "030 1234567"
    assert one(data, region="DE").phones[0].number == "+49301234567"
    assert one(data, region="DE").phones[0].raw == "030 1234567"


def test_several_cards_folding_and_structured_values() -> None:
    data = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:A\nORG:Acme\\, Inc.;R&D\nTITLE:Head of\n  Things\n"
        "ADR;TYPE=WORK:;;1 Main St\\nSuite 2;Springfield;IL;62701;USA\n"
        "CATEGORIES:clients,berlin 2024\nNICKNAME:Al\nEND:VCARD\n\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:B\nEND:VCARD\n"
    )
    cards = read_vcards(data, source="m.vcf")
    a = cards[0].contact
    assert (a.company, a.department, a.title) == ("Acme, Inc.", "R&D", "Head of Things")
    assert a.addresses[0] == Address(
        street="1 Main St\nSuite 2", locality="Springfield", region="IL", postcode="62701",
        country="USA", type="work",
    )  # fmt: skip
    assert a.categories == ("clients", "berlin 2024")
    assert a.nickname == "Al"
    assert cards[1].contact.full_name == "B" and cards[1].before == "\n"


def test_social_profiles_and_im_are_read() -> None:
    data = crlf(
        "BEGIN:VCARD\nVERSION:3.0\nFN:S\n"
        "X-SOCIALPROFILE;type=linkedin:https://www.linkedin.com/in/jdoe\n"
        "X-SOCIALPROFILE;type=twitter;x-user=jd:http://twitter.com/jd\n"
        "IMPP;X-SERVICE-TYPE=Skype:skype:jdoe.skype\nX-JABBER:jd@jabber.example\nEND:VCARD\n"
    )
    c = one(data)
    assert [(s.service, s.handle) for s in c.social] == [
        ("linkedin", "jdoe"),
        ("twitter", "jd"),
        ("skype", "jdoe.skype"),
        ("jabber", "jd@jabber.example"),
    ]


# -- writing ---------------------------------------------------------------------------

ANDROID_21 = crlf(
    "BEGIN:VCARD\nVERSION:2.1\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=91o;Ana;;;\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Ana =C3=91o\n"
    "TEL;CELL;PREF:+34 600 000 001\nX-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Anita;1\n"
    "PHOTO;ENCODING=BASE64;JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBD\n AAIBAQEBAQIBAQE\n\n"
    "END:VCARD\n"
)


def test_unchanged_contact_renders_original_text() -> None:
    card = read_vcards(ANDROID_21, source="a.vcf")[0]
    assert render(card, card.contact) == card.raw
    # confidence / sources are not vCard content
    assert render(card, card.contact.replace(sources=(), confidence={"title": 0.5})) == card.raw


def test_render_21_appends_in_card_version_and_keeps_photo() -> None:
    card = read_vcards(ANDROID_21, source="a.vcf")[0]
    changed = card.contact.replace(
        emails=(Email("ana@example.es", "work"),),
        title="Directora de I+D",
        note="Conocida en Málaga\nstand 4",
    )
    text = render(card, changed)
    assert "EMAIL;INTERNET;WORK:ana@example.es\r\n" in text
    assert "TITLE:Directora de I+D\r\n" in text
    assert "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Conocida en M=C3=A1laga=0D=0A" in text
    assert all(len(line) <= 76 for line in text.split("\r\n"))
    for kept in ("X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Anita;1\r\n",
                 "PHOTO;ENCODING=BASE64;JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBD\r\n AAIBAQEBAQIBAQE\r\n\r\n",
                 "TEL;CELL;PREF:+34 600 000 001\r\n"):  # fmt: skip
        assert kept in text
    back = read_vcards(text, source="b.vcf")[0].contact
    assert same_contact(back, changed)


def test_render_replaces_title_in_place_keeping_group_and_params() -> None:
    data = crlf(
        "BEGIN:VCARD\nVERSION:3.0\nFN:T\nitem1.TITLE;LANGUAGE=en:Engineer\nitem1.X-FOO:bar\n"
        "X-CUSTOM;X-PARAM=1:keep me\nEND:VCARD\n"
    )
    card = read_vcards(data, source="t.vcf")[0]
    text = render(card, card.contact.replace(title="Senior Engineer"))
    assert text == data.replace("Engineer\r\n", "Senior Engineer\r\n")


def test_render_removed_phone_removes_its_line_and_label() -> None:
    data = crlf(
        "BEGIN:VCARD\nVERSION:3.0\nFN:R\nitem1.TEL:+1 212 555 0100\nitem1.X-ABLabel:_$!<Mobile>!$_\n"
        "TEL;TYPE=WORK:+1 212 555 0199\nEND:VCARD\n"
    )
    card = read_vcards(data, source="r.vcf")[0]
    text = render(card, card.contact.replace(phones=card.contact.phones[1:]))
    assert text == crlf(
        "BEGIN:VCARD\nVERSION:3.0\nFN:R\nTEL;TYPE=WORK:+1 212 555 0199\nEND:VCARD\n"
    )


def test_render_changed_phone_type_rewrites_only_that_line() -> None:
    data = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:R\nTEL;TYPE=VOICE,PREF:+1 212 555 0100\nNOTE:n\nEND:VCARD\n"
    )
    card = read_vcards(data, source="r.vcf")[0]
    phone = card.contact.phones[0]
    text = render(card, card.contact.replace(phones=(Phone(phone.number, "cell"),)))
    assert text == data.replace(
        "TEL;TYPE=VOICE,PREF:+1 212 555 0100", "TEL;TYPE=CELL,PREF:+12125550100"
    )


def test_render_new_lines_use_card_line_ends_and_fold_at_75_octets() -> None:
    data = "BEGIN:VCARD\nVERSION:3.0\nFN:L\nEND:VCARD\n"
    card = read_vcards(data, source="l.vcf")[0]
    text = render(card, card.contact.replace(note="ü" * 100))
    assert "\r" not in text
    for line in text.encode().split(b"\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # no character split by a fold
    assert read_vcards(text, source="x")[0].contact.note == "ü" * 100


def test_contact_to_vcard_always_has_fn_and_uid() -> None:
    text = contact_to_vcard(Contact(company="Acme GmbH", emails=(Email("info@acme.de"),)))
    card = vobject.readOne(text)
    assert card.fn.value == "Acme GmbH"
    assert card.uid.value
    assert read_vcards(text, source="x")[0].contact.uid == card.uid.value
    with pytest.raises(ValueError):
        contact_to_vcard(Contact(full_name="x"), version="5.0")


# -- hypothesis round trip --------------------------------------------------------------

_TEXT = (
    st.text(
        alphabet=st.sampled_from(
            list(string.ascii_letters + string.digits + " ,;:\\.-'&") + list("éßüñ中文Ωø€")
        ),
        min_size=1,
        max_size=24,
    )
    .map(str.strip)
    .filter(bool)
)
_PHONES = st.builds(
    Phone,
    number=st.sampled_from(
        [
            "+12125550100",
            "+4930901820",
            "+447700900123",
            "+33612345678",
            "+819012345678",
            "0301234567",
        ]
    ),
    type=st.sampled_from(["work", "cell", "fax", "home", "other"]),
    extension=st.one_of(st.none(), st.from_regex(r"[1-9][0-9]{0,3}", fullmatch=True)),
)
_EMAILS = st.builds(
    Email,
    address=st.from_regex(r"[a-z][a-z0-9._]{0,10}@[a-z]{2,8}\.(com|de|org)", fullmatch=True),
    type=st.sampled_from([None, "work", "home", "other"]),
)
_SOCIAL = st.builds(
    Social,
    service=st.sampled_from(
        ["linkedin", "twitter", "github", "instagram", "xing", "skype", "jabber", "facebook"]
    ),
    handle=st.from_regex(r"[a-z][a-z0-9_-]{1,12}", fullmatch=True),
)
_ADDRESSES = st.builds(
    Address,
    street=_TEXT,
    locality=st.one_of(st.just(""), _TEXT),
    postcode=st.one_of(st.just(""), st.from_regex(r"[0-9]{5}", fullmatch=True)),
    country=st.one_of(st.just(""), _TEXT),
    type=st.sampled_from([None, "work", "home"]),
)
_MAYBE = st.one_of(st.none(), _TEXT)
_CONTACTS = st.builds(
    Contact,
    full_name=_TEXT,
    given_name=_MAYBE,
    family_name=_MAYBE,
    middle_name=_MAYBE,
    prefix=_MAYBE,
    suffix=_MAYBE,
    nickname=_MAYBE,
    title=_MAYBE,
    company=_MAYBE,
    department=_MAYBE,
    emails=st.lists(_EMAILS, max_size=3, unique_by=lambda e: e.key),
    phones=st.lists(_PHONES, max_size=3, unique_by=lambda p: (p.key, p.extension)),
    websites=st.lists(st.from_regex(r"https://[a-z]{3,10}\.(com|de)/[a-z]{0,6}", fullmatch=True), max_size=2, unique=True),
    addresses=st.lists(_ADDRESSES, max_size=2, unique=True),
    social=st.lists(_SOCIAL, max_size=3, unique_by=lambda s: s.key),
    note=st.one_of(st.none(), st.text(alphabet=st.sampled_from(list("ab ,;\\\nü中:")), min_size=1, max_size=200).filter(str.strip)),
    categories=st.lists(_TEXT, max_size=3, unique=True),
    uid=st.one_of(st.uuids().map(str), st.from_regex(r"[A-Za-z0-9@.-]{1,20}", fullmatch=True)),
    rev=st.sampled_from([None, "2024-05-01T10:00:00Z"]),
    photo=st.one_of(
        st.none(),
        st.builds(Photo, data=st.binary(min_size=1, max_size=400),
                  media_type=st.sampled_from(["image/jpeg", "image/png", "image/gif"])),
        st.builds(Photo, media_type=st.sampled_from(["", "image/jpeg"]),
                  uri=st.sampled_from(["https://example.com/me.jpg", "http://x.org/a?b=1&c=2"])),
    ),
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contact=_CONTACTS, version=st.sampled_from(["2.1", "3.0", "4.0"]))
def test_contact_to_vcard_then_read_gives_same_contact(contact: Contact, version: str) -> None:
    text = contact_to_vcard(contact, version)
    cards = read_vcards(text, source="h.vcf")
    assert len(cards) == 1 and cards[0].error is None
    assert signature(cards[0].contact) == signature(contact)
    assert render(cards[0], contact) == text


@settings(max_examples=80, deadline=None)
@given(old=_CONTACTS, new=_CONTACTS, version=st.sampled_from(["2.1", "3.0", "4.0"]))
def test_render_of_any_change_reads_back_as_the_new_contact(
    old: Contact, new: Contact, version: str
) -> None:
    card = read_vcards(contact_to_vcard(old, version), source="h.vcf")[0]
    text = render(card, new)
    back = read_vcards(text, source="h2.vcf")
    assert len(back) == 1 and back[0].error is None
    assert signature(back[0].contact) == signature(new)


def test_render_type_change_drops_the_contradicting_apple_label() -> None:
    data = crlf(
        "BEGIN:VCARD\nVERSION:3.0\nFN:A\nitem1.TEL:+1 212 555 0100\nitem1.X-ABLabel:_$!<Mobile>!$_\n"
        "item2.EMAIL:a@b.example\nitem2.X-ABLabel:Custom\nEND:VCARD\n"
    )
    card = read_vcards(data, source="a.vcf")[0]
    c = card.contact
    new = c.replace(
        phones=(Phone(c.phones[0].number, "work"),), emails=(Email("A@b.example", "home"),)
    )
    text = render(card, new)
    assert "item1.TEL;TYPE=WORK:+12125550100\r\n" in text and "Mobile" not in text
    assert "item2.EMAIL;TYPE=INTERNET,HOME:A@b.example\r\nitem2.X-ABLabel:Custom\r\n" in text
    assert same_contact(read_vcards(text, source="b")[0].contact, new)


def test_render_company_change_keeps_further_org_units() -> None:
    data = "BEGIN:VCARD\nVERSION:2.1\nFN:O\nORG;ENCODING=QUOTED-PRINTABLE:Old;Dept;Unit =C3=9C\nEND:VCARD\n"
    card = read_vcards(data, source="o.vcf")[0]
    assert (card.contact.company, card.contact.department) == ("Old", "Dept")
    text = render(card, card.contact.replace(company="New"))
    assert "ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:New;Dept;Unit =C3=9C\n" in text


def test_windows_1252_file_keeps_its_bytes_when_new_text_does_not_fit() -> None:
    data = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Renée\r\nEND:VCARD\r\n".encode("cp1252")
    cards = read_vcards(data, source="w.vcf")
    fits = write_vcards([(cards[0], cards[0].contact.replace(title="Café owner"))])
    assert fits.decode("cp1252").count("Café owner") == 1 and fits.startswith(b"BEGIN")
    assert b"Ren\xe9e" in fits
    # Chinese cannot be written in Windows-1252: only the new text is UTF-8, every other
    # byte stays, and the file reads back as it was meant
    other = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë – Ærø\r\nEND:VCARD\r\n".encode("cp1252")
    cards = read_vcards(data + other, source="w.vcf")
    wide = write_vcards([(cards[0], cards[0].contact.replace(title="总经理")), cards[1]])
    assert wide.endswith(other) and b"FN:Ren\xe9e\r\n" in wide
    assert "TITLE:总经理\r\n".encode() in wide
    back = read_vcards(wide, source="w.vcf")
    assert [c.contact.full_name for c in back] == ["Renée", "Zoë – Ærø"]
    assert back[0].contact.title == "总经理"
    assert write_vcards(back) == wide


def _sjis(text: str) -> bytes:
    return text.encode("shift_jis")


#: A vCard 2.1 card as Japanese phones write them (made for this test): Shift_JIS values
#: whose bytes (0x81 0x5B "ー", 0x81 0x41 "、") Windows-1252 has no character for.
SHIFT_JIS_CARD = (
    b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=SHIFT_JIS:" + _sjis("鈴木;一郎") + b";;;\r\n"
    b"FN;CHARSET=SHIFT_JIS:" + _sjis("鈴木一郎") + b"\r\n"
    b"ORG;CHARSET=SHIFT_JIS:" + _sjis("東京ソフトウェア、株式会社") + b"\r\n"
    b"TITLE;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:=83=8A=81=5B=83=5F=81=5B\r\n"
    b"TEL;CELL:090-1234-5678\r\nEND:VCARD\r\n"
)


def test_a_shift_jis_card_is_read_written_unchanged_and_added_to(tmp_path) -> None:
    from cardpipe.book import Book
    from cardpipe.book.export import export_vcf

    card = read_vcards(SHIFT_JIS_CARD, source="jp.vcf")[0]
    assert (card.contact.full_name, card.contact.family_name) == ("鈴木一郎", "鈴木")
    assert card.contact.company == "東京ソフトウェア、株式会社"
    assert card.contact.title == "リーダー"
    assert write_vcards([(card, card.contact)]) == SHIFT_JIS_CARD
    path = tmp_path / "book.vcf"
    path.write_bytes(SHIFT_JIS_CARD)
    book = Book.load(path)
    book.add(Contact(full_name="山田花子", emails=(Email("hanako@example.jp"),)))
    assert book.save(backup=False)
    data = path.read_bytes()
    assert data.startswith(SHIFT_JIS_CARD)
    again = Book.load(path)
    assert sorted(c.full_name for c in again.contacts()) == ["山田花子", "鈴木一郎"]
    export_vcf(again, tmp_path / "phone.vcf")
    text = (tmp_path / "phone.vcf").read_bytes().decode("utf-8")
    assert "FN:鈴木一郎\r\n" in text and "ORG:東京ソフトウェア、株式会社\r\n" in text


def test_any_charset_python_knows_is_read_and_kept() -> None:
    for charset, name in (("EUC-KR", "김민준"), ("GB18030", "王小明"), ("KOI8-R", "Иван"),
                          ("ISO-8859-7", "Νίκος"), ("BIG5", "陳大文")):
        data = (b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=" + charset.encode() + b":"
                + name.encode(charset) + b"\r\nEND:VCARD\r\n")
        card = read_vcards(data, source="c.vcf")[0]
        assert card.contact.full_name == name, charset
        assert not card.warnings
        assert write_vcards([(card, card.contact)]) == data
        changed = write_vcards([(card, card.contact.replace(title="CEO"))])
        assert changed.startswith(data[: data.index(b"END:VCARD")])


def test_a_utf16_book_that_gets_a_new_card_keeps_the_other_cards_bytes(tmp_path) -> None:
    from cardpipe.book import Book

    text = crlf("BEGIN:VCARD\nVERSION:3.0\nFN:Jürgen Ölsen\nUID:j1\nEND:VCARD\n")
    for encoding, bom in (("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
                          ("utf-16-le", b""), ("utf-32-le", codecs.BOM_UTF32_LE)):
        data = bom + text.encode(encoding)
        path = tmp_path / "book.vcf"
        path.write_bytes(data)
        book = Book.load(path)
        book.add(Contact(full_name="Zoë 山田", phones=(Phone("+4930901820", "cell"),)))
        assert book.save(backup=False)
        out = path.read_bytes()
        assert out.startswith(data), encoding
        assert "FN:Zoë 山田" in out[len(bom):].decode(encoding)
    # an unpaired UTF-16 surrogate (a broken export) is kept as it was
    broken = codecs.BOM_UTF16_LE + crlf(
        "BEGIN:VCARD\nVERSION:3.0\nFN:A\ud800B\nEND:VCARD\n").encode("utf-16-le", "surrogatepass")
    assert write_vcards(read_vcards(broken, source="b.vcf")) == broken


def test_00_international_prefix_is_read_as_plus_when_no_region_is_known():
    from cardpipe.vcard._read import normalise_phone

    assert normalise_phone("0039 320 784 1579", None) == ("+393207841579", None)
    assert normalise_phone("030 1234567", None) == ("030 1234567", None)


# -- photos ---------------------------------------------------------------------------

PNG_1PX = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)


def _jpeg(size: tuple[int, int] = (320, 200)) -> bytes:
    """A real JPEG of some 20 KB (noise does not compress): many folded lines."""
    buf = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(buf, "JPEG", quality=80)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("line", "media_type"),
    [
        ("PHOTO;ENCODING=BASE64;PNG:" + PNG_1PX[:40] + "\n " + PNG_1PX[40:] + "\n\n", "image/png"),
        ("PHOTO;ENCODING=b;TYPE=PNG:" + PNG_1PX + "\n", "image/png"),
        ('PHOTO;TYPE="png";ENCODING=b:' + PNG_1PX + "\n", "image/png"),
        ("PHOTO:data:image/png;base64," + PNG_1PX + "\n", "image/png"),
        ("PHOTO:data:image/PNG\\;base64\\," + PNG_1PX + "\n", "image/png"),  # escaped (Radicale)
        ("PHOTO;TYPE=WORK;ENCODING=b:" + PNG_1PX + "\n", "image/png"),  # no format: sniffed
        ("PHOTO;ENCODING=b:" + PNG_1PX.rstrip("=") + "\n", "image/png"),  # padding left out
    ],
)
def test_inline_photos_are_read_in_every_version_form(line: str, media_type: str) -> None:
    version = "2.1" if "BASE64" in line else "3.0"
    card = read_vcards(crlf(f"BEGIN:VCARD\nVERSION:{version}\nFN:P\n{line}END:VCARD\n"),
                       source="p.vcf")[0]
    assert card.contact.photo == Photo(base64.b64decode(PNG_1PX), media_type)
    assert card.warnings == ()  # the blank line ending 2.1 base64 is not a problem
    assert render(card, card.contact) == card.raw


def test_photo_uri_is_read_as_a_uri_and_empty_or_broken_photos_as_none() -> None:
    data = crlf(
        "BEGIN:VCARD\nVERSION:3.0\nFN:A\nPHOTO;VALUE=uri;TYPE=GIF:http://x.org/a.gif\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:4.0\nFN:B\nPHOTO:https://x.org/b\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:4.0\nFN:C\nPHOTO:\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:D\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAA\n"
        "END:VCARD\n"
    )
    a, b, c, d = (card.contact for card in read_vcards(data, source="u.vcf"))
    assert a.photo == Photo(media_type="image/gif", uri="http://x.org/a.gif")
    assert b.photo == Photo(media_type="", uri="https://x.org/b")
    assert c.photo is None
    assert d.photo is None  # truncated base64 (one character too many): not a picture


@pytest.mark.parametrize("version", ["2.1", "3.0"])
def test_new_card_photo_is_base64_with_type_folded_at_75_octets(version: str) -> None:
    jpeg = _jpeg()
    text = contact_to_vcard(Contact(full_name="Jane Doe", photo=Photo(jpeg)), version)
    head = "PHOTO;ENCODING=b;TYPE=JPEG:" if version == "3.0" else "PHOTO;ENCODING=BASE64;TYPE=JPEG:"
    assert head + base64.b64encode(jpeg).decode()[:20] in text
    lines = text.split("\r\n")
    assert len(lines) > len(jpeg) * 4 // 3 // 75  # folded, not one long line
    assert all(len(line.encode()) <= 75 for line in lines)
    card = read_vcards(text, source="n.vcf")[0]
    assert card.contact.photo == Photo(jpeg, "image/jpeg") and card.warnings == ()
    if version == "3.0":
        parsed = vobject.readOne(text)
        assert parsed.photo.value == jpeg
        assert parsed.photo.params["TYPE"] == ["JPEG"]


def test_new_card_photo_in_40_is_a_data_uri_that_vobject_and_we_read() -> None:
    jpeg = _jpeg()
    text = contact_to_vcard(Contact(full_name="Jane Doe", photo=Photo(jpeg)), "4.0")
    assert "\r\nPHOTO:data:image/jpeg;base64,/9j/" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert vobject.readOne(text).fn.value == "Jane Doe"
    # vobject's PHOTO behaviour is 3.0's (a text value cut at its first comma), so the
    # 4.0 data: URI is checked on vobject's own unfolded, parsed content line
    lines = [vobject.base.parseLine(ln)
             for ln, _ in vobject.base.getLogicalLines(io.StringIO(text))]
    [(_, params, uri, _)] = [ln for ln in lines if ln[0] == "PHOTO"]
    head, _, data = uri.partition(",")
    assert params == [] and head == "data:image/jpeg;base64" and base64.b64decode(data) == jpeg
    assert one(text).photo == Photo(jpeg, "image/jpeg")


def test_render_adds_a_photo_to_a_card_without_one_and_changes_nothing_else() -> None:
    data = crlf("BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\nitem1.EMAIL;type=INTERNET:ann@x.org\n"
                "item1.X-ABLabel:_$!<Other>!$_\nX-CUSTOM;X-P=1:keep\nEND:VCARD\n")
    card = read_vcards(data, source="a.vcf")[0]
    photo = Photo(_jpeg((64, 40)))
    text = render(card, card.contact.replace(photo=photo))
    body, _, end = text.rpartition("PHOTO;ENCODING=b;TYPE=JPEG:")
    assert body == data[: -len("END:VCARD\r\n")] and end.endswith("\r\nEND:VCARD\r\n")
    assert one(text).photo == photo
    assert render(read_vcards(text, source="b.vcf")[0], one(text)) == text  # rerun: same


def test_render_keeps_an_unreadable_photo_line_and_adds_the_new_one_beside_it() -> None:
    broken = "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAA\r\n"  # cut: 4n+1 characters
    data = crlf("BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\n") + broken + "END:VCARD\r\n"
    card = read_vcards(data, source="a.vcf")[0]
    photo = Photo(_jpeg((64, 40)))
    text = render(card, card.contact.replace(photo=photo))
    assert broken in text and text.count("PHOTO") == 2
    assert one(text).photo == photo


def test_render_of_a_21_card_writes_its_photo_the_21_way_and_reads_back_cleanly() -> None:
    card = read_vcards(crlf("BEGIN:VCARD\nVERSION:2.1\nN:Lee;Ann\nFN:Ann Lee\nEND:VCARD\n"),
                       source="a.vcf")[0]
    photo = Photo(_jpeg((64, 40)))
    text = render(card, card.contact.replace(photo=photo))
    assert "\r\nPHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/" in text
    assert text.endswith("\r\n\r\nEND:VCARD\r\n")  # 2.1 ends base64 with a blank line
    back = read_vcards(text, source="b.vcf")[0]
    assert back.contact.photo == photo and back.warnings == ()
    # replacing it takes the old blank line along: no blank lines pile up
    other = Photo(_jpeg((40, 64)))
    again = render(back, back.contact.replace(photo=other))
    assert again.count("\r\n\r\n") == 1 and one(again).photo == other
