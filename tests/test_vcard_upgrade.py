"""vcard.upgrade_card: what sync uploads for a 2.1 card says everything the book's card says."""

from __future__ import annotations

from pathlib import Path

import pytest

from cardpipe import vcard

DATA = Path(__file__).parent / "data" / "vcards"
_NOT_CARRIED = {"BEGIN", "END", "VERSION", "PROFILE", "AGENT"}


def _cards_21() -> list[tuple[str, vcard.Card]]:
    out = []
    for path in sorted(DATA.glob("*.vcf")):
        for card in vcard.read_file(path.read_bytes(), source=path.name).cards:
            if card.ok and (card.version == "2.1" or "QUOTED-PRINTABLE" in card.raw.upper()):
                out.append((f"{path.name}:{card.line}", card))
    return out


CARDS = _cards_21()


def test_the_corpus_has_21_cards_with_photos_and_several_numbers():
    assert len(CARDS) >= 10
    assert any(sum(p.name == "TEL" for p in c.props) >= 3 for _, c in CARDS)
    assert any(any(p.name == "PHOTO" for p in c.props) for _, c in CARDS)


@pytest.mark.parametrize("name,card", CARDS, ids=[n for n, _ in CARDS])
def test_a_21_card_upgraded_to_30_keeps_every_property_and_value(name, card):
    up = vcard.read_vcards(vcard.upgrade_card(card, keep_undecodable=True), source="up")
    assert len(up) == 1 and up[0].ok and up[0].version == "3.0"
    assert card.contact is not None and up[0].contact is not None
    assert vcard.same_contact(card.contact, up[0].contact)
    names = sorted(p.name for p in card.props if p.name and p.name not in _NOT_CARRIED)
    assert sorted(p.name for p in up[0].props if p.name and p.name not in _NOT_CARRIED) == names
    # each number exactly as written, PREF marks included
    assert sorted(p.value for p in up[0].props if p.name == "TEL") == sorted(
        p.value for p in card.props if p.name == "TEL")
    assert sum("pref" in p.types for p in up[0].props) == sum(
        "pref" in p.types for p in card.props)


def test_a_picture_whose_base64_is_broken_is_left_out_of_the_upload_only():
    card = vcard.read_vcards(
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:A B\r\nPHOTO;ENCODING=BASE64;JPEG:/9j/4AAQS\r\n"
        "TEL;CELL;PREF:0171 5550100\r\nEND:VCARD\r\n", source="t")[0]
    assert "PHOTO" not in vcard.upgrade_card(card)
    kept = vcard.upgrade_card(card, keep_undecodable=True)
    assert "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQS" in kept
    assert "TEL;TYPE=CELL,PREF:0171 5550100" in kept or "TEL;TYPE=CELL;TYPE=PREF" in kept


def test_drop_undecodable_keeps_the_other_lines_bytes():
    text = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A B\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQS\r\n"
            "NOTE:folded\r\n  line\r\nEND:VCARD\r\n")
    assert vcard.drop_undecodable(text) == text.replace(
        "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQS\r\n", "")
    good = text.replace("/9j/4AAQS", "aGVsbG8gd29ybGQ=")
    assert vcard.drop_undecodable(good) == good
