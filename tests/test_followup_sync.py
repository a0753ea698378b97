"""The follow-up property travels with the contact: byte for byte through ``cardpipe
export`` and back, and through a real Radicale (127.0.0.1) to another machine's book;
``sync`` rewrites the configured .ics. Invented people only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from cardpipe import followup
from cardpipe.book import Book
from cardpipe.cli import cli
from cardpipe.contact import Contact, Email
from cardpipe.followup.state import PROPERTY
from cardpipe.sync import sync
from cardpipe.sync.config import DEFAULT_PASSWORD_ENV, load_config
from tests.radicale_server import RadicaleServer, radicale  # noqa: F401

NOW = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
PEOPLE = [
    Contact(full_name="Maëlle Quéré", given_name="Maëlle", family_name="Quéré",
            company="Brise Marine SARL", emails=(Email("maelle@brise.example"),), uid="fu-1",
            note="Met at Salon Nautique on 2026-11-12"),
    Contact(full_name="Tobias Wendt", company="Wendt & Söhne KG", uid="fu-2",
            emails=(Email("tw@wendt.example"),)),
]


def _book_with_followups(tmp_path: Path, version: str = "3.0") -> Path:
    path = tmp_path / "book.vcf"
    book = Book.load(path)
    book.version = version
    for c in PEOPLE:
        book.add(c)
    followup.first_followup(book, "fu-1", before=None, event="Salon Nautique",
                            met_on="2026-11-12", now=NOW)
    followup.add_action(book, "fu-1", "Envoyer le devis; remise 5%, livraison à Brest",
                        dt.date(2026, 12, 1), now=NOW)
    done = followup.add_action(book, "fu-2", "Call back about the pilot", dt.date(2026, 11, 25),
                               now=NOW)
    followup.mark_done(book, done.id, now=NOW)
    book.save()
    return path


def _prop_lines(text: str) -> list[str]:
    """The follow-up properties of a file as written (folds and line ends included)."""
    out, current = [], None
    for line in text.splitlines(keepends=True):
        if current is not None and line.startswith((" ", "\t")):
            current += line
            continue
        if current is not None:
            out.append(current)
            current = None
        if line.upper().startswith(PROPERTY + ":"):
            current = line
    if current is not None:
        out.append(current)
    return out


def _unfolded(lines: list[str]) -> list[str]:
    return sorted("".join(x.replace("\r\n ", "").replace("\n ", "") for x in [line])
                  .rstrip("\r\n") for line in lines)


def _invoke(*args: str) -> None:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_the_followup_property_is_byte_identical_through_export_and_back(
        tmp_path: Path, version: str) -> None:
    book = _book_with_followups(tmp_path, version)
    original = _prop_lines(book.read_text(encoding="utf-8"))
    assert len(original) == 3
    exported = tmp_path / "phone.vcf"
    _invoke("export", "--book", str(book), "--to", str(exported), "--vcard-version", version,
            "--vdir", str(tmp_path / "vdir"))
    assert _prop_lines(exported.read_text(encoding="utf-8")) == original
    vdir = "".join(p.read_text(encoding="utf-8") for p in sorted((tmp_path / "vdir").iterdir()))
    assert sorted(_prop_lines(vdir)) == sorted(original)
    # back: the export merged into a new book, and exported again
    back = tmp_path / "back.vcf"
    _invoke("merge", str(exported), "--book", str(back))
    assert _prop_lines(back.read_text(encoding="utf-8")) == original
    again = tmp_path / "again.vcf"
    _invoke("export", "--book", str(back), "--to", str(again), "--vcard-version", version)
    assert _prop_lines(again.read_text(encoding="utf-8")) == original
    reread = Book.load(back)
    assert [f.id for _, f in followup.open_followups(reread)] == \
        [f.id for _, f in followup.open_followups(Book.load(book))]


def _sync_config(tmp_path: Path, name: str, server: RadicaleServer, book: Path,
                 extra: str = "") -> Path:
    folder = tmp_path / name
    (folder / "photos").mkdir(parents=True)
    cfg = folder / "config.toml"
    cfg.write_text(
        f'book = "{book}"\nledger = "state/ledger.sqlite3"\nsettle_seconds = 0\n{extra}'
        '[[watch]]\npath = "photos"\n'
        f'[carddav]\nurl = "{server.base_url}"\nusername = "{server.user}"\n'
        'password_source = "env"\n', encoding="utf-8")
    return cfg


def test_the_followup_property_survives_a_radicale_round_trip_to_another_machine(
        tmp_path: Path, radicale: RadicaleServer,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DEFAULT_PASSWORD_ENV, radicale.password)
    radicale.make_book()
    book = _book_with_followups(tmp_path)
    original = _prop_lines(book.read_text(encoding="utf-8"))
    sync(load_config(_sync_config(tmp_path, "laptop", radicale, book)))
    on_server = [x for text in radicale.items().values() for x in _prop_lines(text)]
    assert _unfolded(on_server) == _unfolded(original)
    # another machine starts from nothing and pulls the book from the server
    other = tmp_path / "desktop.vcf"
    sync(load_config(_sync_config(tmp_path, "desktop", radicale, other)))
    assert sorted(_prop_lines(other.read_text(encoding="utf-8"))) == sorted(original)
    # marked done there, synced back: the first machine sees it done
    theirs = Book.load(other)
    (_, nxt), *_ = followup.open_followups(theirs)
    followup.mark_done(theirs, nxt.id, now=NOW)
    theirs.save()
    sync(load_config(tmp_path / "desktop" / "config.toml"))
    sync(load_config(tmp_path / "laptop" / "config.toml"))
    mine = Book.load(book)
    assert nxt.id not in [f.id for _, f in followup.open_followups(mine)]
    assert [f.state for f in followup.followups_of(mine, "fu-1") if f.id == nxt.id] == ["done"]


def test_sync_rewrites_the_configured_ics_and_leaves_it_alone_when_nothing_changed(
        tmp_path: Path) -> None:
    book = _book_with_followups(tmp_path)
    ics = tmp_path / "cal" / "followups.ics"
    ics.parent.mkdir()
    folder = tmp_path / "night"
    (folder / "photos").mkdir(parents=True)
    cfg = folder / "config.toml"
    cfg.write_text(f'book = "{book}"\nledger = "ledger.sqlite3"\nics = "{ics}"\n'
                   'settle_seconds = 0\n[[watch]]\npath = "photos"\n', encoding="utf-8")
    sync(load_config(cfg))
    todos = Calendar.from_ical(ics.read_bytes()).walk("VTODO")
    assert len(todos) == 2  # the done one is not there
    stamp = ics.stat().st_mtime_ns
    sync(load_config(cfg))
    assert ics.stat().st_mtime_ns == stamp
    b = Book.load(book)
    followup.mark_done(b, str(todos[0]["UID"]), now=NOW)
    b.save()
    sync(load_config(cfg))
    assert [str(t["UID"]) for t in Calendar.from_ical(ics.read_bytes()).walk("VTODO")] == \
        [str(todos[1]["UID"])]


def test_sync_gives_the_first_followup_the_configs_followup_after(tmp_path: Path) -> None:
    """A merge plan a killed run left pending is finished with the config's span."""
    from cardpipe.pipeline import Plan
    from cardpipe.sync.ledger import Ledger

    folder = tmp_path / "night"
    (folder / "photos").mkdir(parents=True)
    cfg = folder / "config.toml"
    cfg.write_text(f'book = "{tmp_path / "book.vcf"}"\nledger = "ledger.sqlite3"\n'
                   'followup_after = "3d"\nsettle_seconds = 0\n[[watch]]\npath = "photos"\n',
                   encoding="utf-8")
    plan = Plan(PEOPLE[1].replace(uid=None), "new", "new-uid", event="Expo Nord",
                met_on="2026-11-19")
    with Ledger.open(folder / "ledger.sqlite3") as ledger:
        ledger.record("ab" * 32, path=folder / "photos" / "card.jpg", size=1, mtime=1.0,
                      outcome="pending", plan=[plan.to_dict()])
    sync(load_config(cfg))
    book = Book.load(tmp_path / "book.vcf")
    assert [(f.due, f.event) for f in followup.followups_of(book, "new-uid")] == \
        [(dt.date(2026, 11, 22), "Expo Nord")]
