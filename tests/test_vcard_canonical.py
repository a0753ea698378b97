"""content_key / server_safe: cards compared by content, on the one vCard tokenizer.

A ledger stores the ``content_key`` both sides last agreed on; a new key for the same card
turns the next phone edit of it into a "changed on both sides" merge, so the key of an
ordinary card is pinned.
"""

from __future__ import annotations

from cardpipe import vcard
from cardpipe.sync import bookview, carddav
from cardpipe.vcard import canonical_lines, content_key, server_safe

PLAIN = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u-1\r\nFN:Jane Doe\r\nN:Doe;Jane;;;\r\n"
    "item1.EMAIL;type=INTERNET;type=WORK:jane@example.com\r\nitem1.X-ABLabel:work\r\n"
    "TEL;TYPE=cell:+49 170 1234567\r\nNOTE:Met at Expo\\, Lisbon\\nsecond line\r\n"
    "ORG:ACME\\, Inc.;Sales\r\nEND:VCARD\r\n"
)
QP_SOFT_BREAK = (
    "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Jane Doe\r\n"
    "NOTE;ENCODING=QUOTED-PRINTABLE:first=0D=0A=\r\nsecond line\r\nEND:VCARD\r\n"
)
CR_CR_LF = (
    "BEGIN:VCARD\r\r\nVERSION:3.0\r\r\nFN:Jane Doe\r\r\nNOTE:folded\r\r\n  here\r\r\n"
    "END:VCARD\r\r\n"
)
KDE_NAME = "BEGIN:VCARD\nVERSION:3.0\nFN:Jane Doe\nX-messaging/aim-All:jane\nEND:VCARD\n"


def test_the_key_of_a_plain_card_is_the_one_ledgers_hold() -> None:
    # ledgers written by earlier versions hold this key for this card: it must not move
    assert content_key(PLAIN) == "60e3ee1072d83bd873e1ae72030776448df8cfd307b4ed3074e9201ae0c4fa96"


def test_what_servers_rewrite_does_not_change_the_key() -> None:
    rewritten = (PLAIN.replace("\r\n", "\n").replace("type=INTERNET;type=WORK", "TYPE=work,internet")
                 .replace("FN:Jane Doe", "fn:Jane Doe").replace("NOTE:Met at Expo\\, Lisbon",
                                                                 "NOTE:Met at Expo, Lisbon"))
    folded = rewritten.replace("ORG:ACME\\, Inc.;Sales", "ORG:ACME\\, In\n c.;Sales")
    assert content_key(rewritten) == content_key(folded) == content_key(PLAIN)
    assert content_key(PLAIN.replace("Jane Doe", "Jane Roe")) != content_key(PLAIN)


def test_lines_are_read_by_the_one_vcard_tokenizer() -> None:
    # a quoted-printable soft break continues the value, so an edit after it is seen
    assert ".NOTE;ENCODING=quoted-printable:first=0D=0Asecondline" in canonical_lines(QP_SOFT_BREAK)
    assert content_key(QP_SOFT_BREAK) != content_key(QP_SOFT_BREAK.replace("second", "third"))
    # '\r\r\n' line ends (an iPhone export): folded lines are still unfolded
    assert canonical_lines(CR_CR_LF) == [".FN;:Jane Doe", ".NOTE;:folded here", ".VERSION;:3.0"]
    # a property name with '/' (KDE) is one name
    assert ".X-MESSAGING/AIM-ALL;:jane" in canonical_lines(KDE_NAME)


def test_server_safe_rewrites_only_the_line_that_needs_it() -> None:
    card = CR_CR_LF.replace("FN:Jane Doe", "FN:Doe, Jane")
    assert server_safe(card) == card.replace("FN:Doe, Jane\r\r\n", "FN:Doe\\, Jane\r\n")
    assert server_safe(KDE_NAME.replace(":jane", ":a, b")).endswith("aim-All:a\\, b\nEND:VCARD\n")
    assert server_safe(PLAIN) == PLAIN  # commas already escaped: nothing to do


def test_sync_uses_the_functions_of_the_vcard_package() -> None:
    assert carddav.content_key is vcard.content_key
    assert bookview.server_safe is vcard.server_safe


#: UTF-8 whose characters a line fold split (ownCloud wrote kcontacts' vcard9.vcf so), and
#: a Latin-1 value declared as such: neither is valid UTF-8 as the file holds it.
SPLIT_BY_A_FOLD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:split-1\r\nFN:Длинны".encode() + b"\xd0\r\n \xb9\r\n"
    b"NOTE;CHARSET=ISO-8859-1:Caf\xe9\r\nEND:VCARD\r\n"
)


def test_a_card_that_is_not_utf8_is_hashed_and_uploaded_as_the_reader_decoded_it(tmp_path):
    from cardpipe.book import Book

    path = tmp_path / "book.vcf"
    path.write_bytes(SPLIT_BY_A_FOLD)
    book = Book.load(path)
    card = book.card("split-1")
    assert card is not None and (card.contact.full_name, card.contact.note) == ("Длинный", "Café")
    sent = bookview.BookView(book).text("split-1")
    assert sent is not None
    sent.encode("utf-8")  # what the push uploads
    assert "FN:Длинный\r\n" in sent and "NOTE:Café\r\n" in sent
    uploaded = vcard.read_vcards(sent.encode("utf-8"), source="server")[0]
    assert vcard.same_contact(uploaded.contact, card.contact)
    # hashing never fails, and what the server keeps of the upload is the same content
    assert content_key(card.raw) and vcard.utf8_text(sent) == sent
    assert content_key(sent.replace("\r\n", "\n")) == content_key(sent)
    assert path.read_bytes() == SPLIT_BY_A_FOLD  # the book is not touched


def test_a_utf8_card_is_uploaded_as_it_is() -> None:
    assert vcard.utf8_text(PLAIN.replace("Jane", "Jäne")) == PLAIN.replace("Jane", "Jäne")


def test_commas_in_uri_values_are_never_escaped_with_a_backslash() -> None:
    card = ("BEGIN:VCARD\r\nVERSION:4.0\r\nUID:g-1\r\nFN:Geo Graph\r\nGEO:geo:51.5237,0.1585\r\n"
            "URL:https://example.org/a,b\r\nX-SOCIALPROFILE;type=twitter:https://x.com/a,b\r\n"
            "TEL;VALUE=uri:tel:+44-20-7946-0018,1\r\nNOTE:text, escaped\r\nEND:VCARD\r\n")
    safe = server_safe(card)
    assert "GEO:geo:51.5237,0.1585\r\n" in safe  # a geo: URI is kept whole
    assert "URL:https://example.org/a%2Cb\r\n" in safe  # the same URI, and vobject keeps it
    assert "X-SOCIALPROFILE;type=twitter:https://x.com/a%2Cb\r\n" in safe
    assert "TEL;VALUE=uri:tel:+44-20-7946-0018%2C1\r\n" in safe
    assert "NOTE:text\\, escaped\r\n" in safe  # text is escaped
    assert "\\," not in safe.replace("NOTE:text\\, escaped", "")
