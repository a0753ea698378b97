"""sync.threeway.merge3: a card changed here and on the server, against the agreed base."""

from __future__ import annotations

from cardpipe import vcard
from cardpipe.sync.threeway import merge3

BASE = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u1\r\nFN:Jane Doe\r\nN:Doe;Jane;;;\r\n"
        "TEL;TYPE=WORK:+49 30 1234567\r\nEMAIL:jane@example.de\r\nNOTE:Met at Expo\r\n"
        "END:VCARD\r\n")


def _lines(text: str) -> set[str]:
    return set(vcard.canonical_lines(text))


def _with(text: str, *lines: str) -> str:
    return text.replace("END:VCARD", "".join(f"{ln}\r\n" for ln in lines) + "END:VCARD")


def test_each_side_keeps_what_it_added_including_properties_cardpipe_does_not_model():
    mine = _with(BASE, "ROLE:Buyer", "X-CUSTOM;X-A=1:kept", "TITLE:Head of Sales",
                 "TITLE:Board member")
    theirs = _with(BASE, "TEL;TYPE=CELL:+49 171 5550000")
    out = merge3(BASE, mine, theirs)
    assert out.conflicts == ()
    assert _lines(out.text) == _lines(mine) | _lines(theirs)


def test_a_rewrite_by_the_server_is_no_change():
    theirs = BASE.replace("TEL;TYPE=WORK:", "tel;type=work:").replace("\r\n", "\n")
    mine = _with(BASE, "ROLE:Buyer")
    out = merge3(BASE, mine, theirs)
    assert _lines(out.text) == _lines(mine)
    assert "\r\n" not in out.text  # written with the server's line ends


def test_a_deletion_on_one_side_wins_over_no_change_on_the_other():
    theirs = BASE.replace("EMAIL:jane@example.de\r\n", "")
    mine = _with(BASE, "ROLE:Buyer")
    out = merge3(BASE, mine, theirs)
    assert "jane@example.de" not in out.text and "ROLE:Buyer" in out.text


def test_a_single_valued_field_changed_on_one_side_takes_that_side():
    mine = BASE.replace("FN:Jane Doe", "FN:Jane A. Doe")
    theirs = _with(BASE, "BDAY:1980-02-03")
    out = merge3(BASE, mine, theirs)
    assert "FN:Jane A. Doe" in out.text and "BDAY:1980-02-03" in out.text
    assert out.conflicts == ()
    assert "FN" in out.changed_here and "BDAY" in out.changed_there


def test_a_true_conflict_keeps_the_servers_value_and_ours_in_the_note():
    mine = BASE.replace("FN:Jane Doe", "FN:Jane Doe-Miller")
    theirs = BASE.replace("FN:Jane Doe", "FN:Jane Smith")
    out = merge3(BASE, mine, theirs)
    assert [(c.name, c.ours, c.theirs) for c in out.conflicts] == [
        ("FN", "Jane Doe-Miller", "Jane Smith")]
    assert "FN:Jane Smith" in out.text
    contact = vcard.read_vcards(out.text, source="t")[0].contact
    assert contact is not None and contact.note is not None
    assert "Jane Doe-Miller" in contact.note and "Met at Expo" in contact.note


def test_notes_are_merged_line_by_line():
    mine = BASE.replace("NOTE:Met at Expo", "NOTE:Met at Expo\\nCall about the pilot")
    theirs = BASE.replace("NOTE:Met at Expo", "NOTE:Met at Expo\\nPrefers e-mail")
    contact = vcard.read_vcards(merge3(BASE, mine, theirs).text, source="t")[0].contact
    assert contact is not None
    assert contact.note == "Met at Expo\nPrefers e-mail\nCall about the pilot"


def test_a_group_added_here_is_renamed_when_the_server_used_its_name():
    mine = _with(BASE, "item1.URL:https://jane.example", "item1.X-ABLabel:blog")
    theirs = _with(BASE, "item1.X-ABDATE:2020-01-01", "item1.X-ABLabel:met")
    out = merge3(BASE, mine, theirs)
    assert "item1.X-ABDATE:2020-01-01" in out.text
    assert "item2.URL:https://jane.example" in out.text
    assert "item2.X-ABLabel:blog" in out.text


def test_identical_changes_on_both_sides_are_one_change():
    both = _with(BASE, "TEL;TYPE=CELL:+49 171 5550000")
    out = merge3(BASE, both, both)
    assert _lines(out.text) == _lines(both) and out.conflicts == ()
