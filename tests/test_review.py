"""The review session: what is listed, each decision written to the book and the ledger,
undo, pairs kept separate staying apart in later runs, and the server's gate."""

from __future__ import annotations

import datetime as dt
import http.client
import io
import json
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from cardpipe import followup, match, pipeline
from cardpipe.book import Book
from cardpipe.cli import cli
from cardpipe.contact import Contact, Source
from cardpipe.review import ReviewError, ReviewServer, ReviewSession
from cardpipe.review.session import decision_dict, unmark, with_fields
from cardpipe.sync.ledger import Ledger

from .conftest import DANA_LINES, TextEngine, photograph, render_card
from .review_cards import PAIRS, SINGLES, text_book


@pytest.fixture
def reviewed(tmp_path: Path):
    """A book of the generated pairs and singles (read as text) and its open ledger."""
    cards = [a for a, _ in PAIRS] + list(SINGLES) + [b for _, b in PAIRS]
    book, ledger_path = text_book(tmp_path, cards)
    with Ledger.open(ledger_path) as ledger:
        yield book, ledger


def _by_name(session: ReviewSession, name: str, *, marked: bool) -> str:
    return next(i.uid for i in session.items() if i.name == name and i.marked == marked)


def _first_of(book: Path, name: str) -> str:
    return next(c.uid for c in Book.load(book).contacts()
                if c.full_name == name and "cardpipe-review" not in c.categories)


# -- what scanning keeps ------------------------------------------------------------------

def test_a_scanned_card_keeps_its_image_lines_and_field_lines_in_the_ledger(tmp_path):
    photo = tmp_path / "dana.jpg"
    import cv2

    cv2.imwrite(str(photo), photograph(render_card()))
    book = Book.new(tmp_path / "book.vcf")
    result = pipeline.run([photo], book=book, jobs=1, engine=TextEngine(), keep_cards=True)
    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger:
        assert pipeline.keep_cards(ledger, result) == 1
        uid = result.report.rows[0].into
        (kept,) = ledger.kept_cards(uid)
        image = Image.open(io.BytesIO(ledger.card_image(kept.sha256, kept.card) or b""))
    assert image.format == "JPEG"
    assert (image.width, image.height) == (kept.meta["width"], kept.meta["height"])
    assert [ln["text"] for ln in kept.meta["lines"]] == DANA_LINES
    assert kept.meta["fields"]["full_name"] == [0]
    assert kept.meta["outline"] is not None  # the card's corners in the photo
    assert kept.path == str(photo) and kept.confidence["full_name"] > 0
    for line in kept.meta["lines"]:  # every box lies on the kept image
        x, y, w, h = line["box"]
        assert min(x, y) >= 0 and x + w <= image.width + 1 and y + h <= image.height + 1


def test_a_reading_without_a_card_view_keeps_nothing(tmp_path):  # a cached one
    book = Book.new(tmp_path / "book.vcf")
    contact = Contact(full_name="Dana Whitfield", phones=())
    result = pipeline.RunResult([pipeline.ScanResult("x.jpg", True, contact, sha256="ab")],
                                pipeline.MergeReport())
    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger:
        assert not pipeline.keep_card(ledger, result.scans[0], "uid-1")
        assert ledger.kept_cards() == []
    assert len(book) == 0


# -- what is listed -----------------------------------------------------------------------

def test_the_list_holds_the_pairs_left_for_review_and_the_low_confidence_cards(reviewed):
    book, ledger = reviewed
    session = ReviewSession(book, ledger)
    items = session.items()
    marked = [i for i in items if i.marked]
    assert sorted(i.name for i in marked) == ["Marta Quell", "Oskar Brandvold"]
    assert all("name: exact" in i.note for i in marked)
    for item in marked:
        detail = session.detail(item.uid)
        assert detail["candidate"]["uid"] == _first_of(book, item.name)
        fields = {r["field"] for r in detail["candidate"]["reasons"]}
        assert {"name", "company"} <= fields
    for item in items:  # every listed field is below 0.6, every one below 0.6 is listed
        conf = ledger.kept_cards(item.uid)[-1].confidence
        assert set(item.low) == {f for f, v in conf.items() if v < 0.6}


# -- decisions ----------------------------------------------------------------------------

def test_accept_unmarks_the_contact_writes_a_backup_and_records_it(reviewed):
    book, ledger = reviewed
    session = ReviewSession(book, ledger)
    uid = _by_name(session, "Marta Quell", marked=True)
    assert not list(book.parent.glob("book.vcf.bak-*"))
    record = session.decide("accept", uid)
    contact = Book.load(book).get(uid)
    assert contact is not None and "cardpipe-review" not in contact.categories
    assert "cardpipe review" not in (contact.note or "")
    (backup,) = book.parent.glob("book.vcf.bak-*")  # the book as it was before
    assert b"cardpipe-review" in backup.read_bytes()
    assert ledger.decisions()[-1].id == record.id and record.kind == "accept"
    assert uid not in [i.uid for i in session.items()]


def test_an_edit_writes_the_typed_fields_and_settles_the_card(reviewed):
    book, ledger = reviewed
    session = ReviewSession(book, ledger)
    uid = _by_name(session, "Priya Ramaswamy", marked=False)
    session.decide("edit", uid, values={"title": "Chief Technology Officer",
                                        "phones": "+1 415 555 0142\n+1 415 555 0199"})
    contact = Book.load(book).get(uid)
    assert contact is not None and contact.title == "Chief Technology Officer"
    assert [p.number for p in contact.phones] == ["+14155550142", "+14155550199"]
    assert contact.emails[0].address == "priya@tidewaterlabs.com"  # untouched
    (record,) = ledger.decisions()
    assert record.kind == "edit" and record.detail["fields"] == ["phones", "title"]
    assert "Chief Technology Officer" in (record.after[uid] or "")
    assert "Chief Technology Officer" not in (record.before[uid] or "")
    assert uid not in [i.uid for i in session.items()]


def test_with_fields_refuses_a_field_it_does_not_edit():
    with pytest.raises(ReviewError):
        with_fields(Contact(full_name="A B"), {"uid": "x"})


def test_merge_folds_the_card_into_the_candidate_and_undo_brings_both_back(reviewed):
    book, ledger = reviewed
    before = book.read_bytes()
    session = ReviewSession(book, ledger)
    uid = _by_name(session, "Oskar Brandvold", marked=True)
    other = session.detail(uid)["candidate"]["uid"]
    session.decide("merge", uid, other=other)
    after = Book.load(book)
    assert after.get(uid) is None
    merged = after.get(other)
    assert merged is not None
    assert {e.address for e in merged.emails} == {"oskar@fjordline.com", "ob@brandvold.net"}
    assert "cardpipe-review" not in merged.categories
    assert {c.uid for c in ledger.kept_cards(other)} == {other}
    assert len(ledger.kept_cards(other)) == 2  # the card's image shows with Oskar now

    session.undo()
    assert book.read_bytes().replace(b"\r\n", b"\n") == before.replace(b"\r\n", b"\n")
    assert len(ledger.kept_cards(uid)) == 1
    assert ledger.decisions() == [] and ledger.decisions(include_undone=True)[0].undone_at


def test_undo_is_refused_when_the_contact_changed_since(reviewed):
    book, ledger = reviewed
    session = ReviewSession(book, ledger)
    uid = _by_name(session, "Jonas Elmquist", marked=False)
    first = session.decide("edit", uid, values={"title": "Head Buyer"})
    session.decide("edit", uid, values={"title": "Chief Buyer"})
    with pytest.raises(ReviewError, match="changed since"):
        session.undo(first.id)
    session.undo()
    session.undo()
    contact = Book.load(book).get(uid)
    assert contact is not None and contact.title == "Buyer"


def test_undo_touches_only_this_sessions_decisions(reviewed):
    book, ledger = reviewed
    earlier = ReviewSession(book, ledger)
    earlier.decide("skip", _by_name(earlier, "Jonas Elmquist", marked=False))
    later = ReviewSession(book, ledger)
    with pytest.raises(ReviewError, match="nothing to undo"):
        later.undo()


def test_skip_changes_nothing_and_keeps_the_contact_listed(reviewed):
    book, ledger = reviewed
    before = book.read_bytes()
    session = ReviewSession(book, ledger)
    uid = _by_name(session, "Marta Quell", marked=True)
    session.decide("skip", uid)
    assert book.read_bytes() == before
    assert uid in [i.uid for i in session.items()]


def test_a_followup_action_goes_into_the_card_keeps_it_listed_and_undoes(reviewed):
    book, ledger = reviewed
    session = ReviewSession(book, ledger)
    uid = _by_name(session, "Marta Quell", marked=True)
    before = book.read_bytes()
    record = session.decide("followup", uid,
                            values={"text": "Call about the pilot", "due": "2027-01-15"})
    (action,) = [f for f in followup.followups_of(Book.load(book), uid)
                 if f.text == "Call about the pilot"]
    assert action.due == dt.date(2027, 1, 15) and action.state == "open"
    raw = Book.load(book).card(uid).raw
    assert "X-CARDPIPE-FOLLOWUP:" in raw and "Call about the pilot" in raw
    assert uid in [i.uid for i in session.items()]  # still to be decided
    assert decision_dict(record)["followup"]["due"] == "2027-01-15"
    session.undo(record.id)
    assert book.read_bytes() == before
    with pytest.raises(ValueError):  # no text: nothing to do
        session.decide("followup", uid, values={"text": " ", "due": "30d"})


def test_unmark_removes_only_the_review_line_and_category():
    contact = Contact(full_name="A B", note="Met at Expo on 2026-11-12\ncardpipe review: why",
                      categories=("cardpipe-review", "expo"))
    out = unmark(contact)
    assert out.note == "Met at Expo on 2026-11-12" and out.categories == ("expo",)


# -- a pair kept separate stays apart -----------------------------------------------------

def _rescan_of(ledger: Ledger, uid: str, book: Path, other: str) -> Contact:
    """What a later run reads again from that contact's photo when the number that comes
    out is the company switchboard the namesake's card printed too (colleagues share one):
    the same name and the same number would otherwise make it certainly the namesake."""
    (card,) = ledger.kept_cards(uid)
    namesake = Book.load(book).get(other)
    assert namesake is not None
    return Contact(full_name="Marta Quell", given_name="Marta", family_name="Quell",
                   company="Lindqvist Analytics Ltd", phones=namesake.phones[:1],
                   sources=(Source("photo", card.path, card.sha256),))


def test_a_pair_kept_separate_never_merges_again_in_a_later_run(reviewed):
    book, ledger = reviewed
    session = ReviewSession(book, ledger)
    uid = _by_name(session, "Marta Quell", marked=True)
    other = session.detail(uid)["candidate"]["uid"]
    session.decide("separate", uid, other=other)
    assert ledger.apart_pairs() == {frozenset((uid, other))}
    assert session.detail(uid)["candidate"] is None

    rescan = _rescan_of(ledger, uid, book, other)
    without = pipeline.merge_into_book(Book.load(book), [("again.jpg", rescan)])
    assert (without.rows[0].decision, without.rows[0].into) == ("merged", other)  # the hook's
    again = pipeline.merge_into_book(Book.load(book), [("again.jpg", rescan)],
                                     apart=ledger.apart_for)
    assert again.rows[0].into != other

    session.undo()  # undone: the pair is no longer kept apart
    assert ledger.apart_pairs() == set()


def test_a_pair_kept_separate_is_never_grouped_by_dedupe(tmp_path):
    # two records dedupe would fold into one (same name, e-mail and phone); a person said no
    cards = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:Ilse Vandermolen\r\n"
        f"N:Vandermolen;Ilse;;;\r\nEMAIL:ilse@vandermolen.example\r\n"
        f"TEL;TYPE=CELL:+31612345678\r\n{extra}END:VCARD\r\n"
        for uid, extra in (("ilse-1", ""), ("ilse-2", "TITLE:Architect\r\n")))
    book = tmp_path / "book.vcf"
    book.write_text(cards, newline="")
    ledger_path = tmp_path / "ledger.sqlite3"

    def groups() -> list[list[str]]:
        result = CliRunner().invoke(cli, ["dedupe", "--book", str(book), "--format", "jsonl",
                                          "--ledger", str(ledger_path)])
        assert result.exit_code == 0, result.output
        return [json.loads(line)["uids"] for line in result.stdout.splitlines() if line]

    assert groups() == [["ilse-1", "ilse-2"]]  # no ledger yet: none is created either
    assert not ledger_path.exists()
    with Ledger.open(ledger_path) as ledger:
        ledger.record_decision("separate", "ilse-2", other="ilse-1")
    assert groups() == []
    result = CliRunner().invoke(cli, ["dedupe", "--book", str(book), "--apply",
                                      "--ledger", str(ledger_path)])
    assert result.exit_code == 0 and len(Book.load(book).contacts()) == 2


def test_the_matcher_never_offers_an_excluded_record():
    people = [Contact(full_name="Marta Quell", company="Lindqvist Analytics Ltd", uid=u)
              for u in ("a", "b")]
    index = match.MatchIndex(people)
    incoming = Contact(full_name="Marta Quell", company="Lindqvist Analytics Ltd")
    assert match.decide(incoming, index).target in {"a", "b"}
    assert match.decide(incoming, index, exclude={"a", "b"}).kind == "new"
    assert match.decide(incoming, index, exclude={"a"}).target in {"b", None}


# -- the server's gate --------------------------------------------------------------------

@pytest.fixture
def server(tmp_path: Path):
    """The review server on a thread of its own, one thread per request (the ledger
    opened for that, as ``cardpipe review`` opens it)."""
    cards = [a for a, _ in PAIRS] + list(SINGLES) + [b for _, b in PAIRS]
    book, ledger_path = text_book(tmp_path, cards)
    with Ledger.open(ledger_path, threads=True) as ledger:
        srv = ReviewServer(ReviewSession(book, ledger))
        thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05},
                                  daemon=True)
        thread.start()
        yield srv
        srv.shutdown()
        srv.server_close()
        thread.join(5)


def _request(srv: ReviewServer, method: str, path: str, *, headers: dict | None = None,
             body: bytes | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_the_server_listens_on_loopback_only_on_a_free_port(server):
    assert server.server_address[0] == "127.0.0.1" and server.port > 0
    assert server.url.startswith(f"http://127.0.0.1:{server.port}/?token=")


def test_requests_without_the_token_or_from_another_host_name_are_refused(server):
    token = server.token
    assert _request(server, "GET", "/")[0] == 403
    assert _request(server, "GET", "/api/items")[0] == 403
    assert _request(server, "GET", "/?token=wrong" + token)[0] == 403
    assert _request(server, "GET", f"/?token={token}")[0] == 200
    # a name that rebinds to 127.0.0.1 is not this page, even with the token
    assert _request(server, "GET", f"/?token={token}",
                    headers={"Host": f"evil.example:{server.port}"})[0] == 403
    # a change needs the token in its header: a cookie (which another site's form
    # would send along) is not enough
    body = json.dumps({"kind": "skip", "uid": "x"}).encode()
    cookie = {"Cookie": f"cardpipe_review={token}", "Content-Type": "application/json"}
    assert _request(server, "POST", "/api/decide", headers=cookie, body=body)[0] == 403
    status, data = _request(server, "GET", "/api/items", headers={"X-Cardpipe-Token": token})
    assert status == 200 and json.loads(data)["items"]


def test_a_decision_through_the_api_is_written_at_once(server):
    token = server.token
    session = server.session
    _, items = _request(server, "GET", "/api/items", headers={"X-Cardpipe-Token": token})
    uid = next(i["uid"] for i in json.loads(items)["items"] if i["name"] == "Jonas Elmquist")
    body = json.dumps({"kind": "edit", "uid": uid, "values": {"title": "Head Buyer"}}).encode()
    status, data = _request(server, "POST", "/api/decide", body=body,
                            headers={"X-Cardpipe-Token": token,
                                     "Content-Type": "application/json"})
    assert status == 200, data
    contact = Book.load(session.book_path).get(uid)
    assert contact is not None and contact.title == "Head Buyer"
    assert json.loads(data)["history"][0]["kind"] == "edit"


# -- the command line ---------------------------------------------------------------------

def test_cardpipe_run_keeps_the_cards_in_the_ledger_and_a_dry_run_writes_none(tmp_path):
    import cv2
    from click.testing import CliRunner

    from cardpipe.cli import cli

    photo = tmp_path / "photos" / "dana.jpg"
    photo.parent.mkdir()
    cv2.imwrite(str(photo), photograph(render_card()))
    ledger_path = tmp_path / "ledger.sqlite3"
    args = ["run", str(photo.parent), "--book", str(tmp_path / "book.vcf"),
            "--ledger", str(ledger_path), "--jobs", "1", "--no-cache"]
    dry = CliRunner().invoke(cli, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert not ledger_path.exists()
    done = CliRunner().invoke(cli, args)
    assert done.exit_code == 0, done.output
    contact = Book.load(tmp_path / "book.vcf").contacts()[0]
    with Ledger.open(ledger_path) as ledger:
        (kept,) = ledger.kept_cards(contact.uid)
        assert ledger.card_image(kept.sha256, kept.card)
    assert any("Whitfield" in ln["text"] for ln in kept.meta["lines"])


def test_sync_keeps_the_cards_it_reads_for_the_review_page(tmp_path):
    import os
    import time

    import cv2

    from cardpipe.sync import sync
    from cardpipe.sync.config import load_config

    photo = tmp_path / "photos" / "Harbour Expo" / "dana.jpg"
    photo.parent.mkdir(parents=True)
    cv2.imwrite(str(photo), photograph(render_card()))
    old = time.time() - 3600  # settled: not a photo still being copied
    os.utime(photo, (old, old))
    (tmp_path / "config.toml").write_text(
        'book = "book.vcf"\nledger = "state/ledger.sqlite3"\nsettle_seconds = 0\njobs = 1\n'
        '[[watch]]\npath = "photos"\n', encoding="utf-8")
    config = load_config(tmp_path / "config.toml")
    report = sync(config)
    assert [p.outcome for p in report.photos] == ["ok"], report.summary_lines()
    (uid,) = report.photos[0].uids
    with Ledger.open(config.ledger) as ledger:
        (kept,) = ledger.kept_cards(uid)
        assert kept.path == str(photo) and ledger.card_image(kept.sha256, 0)
