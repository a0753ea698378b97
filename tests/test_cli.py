"""The command line: every command is there, documented, and maps errors to exit codes."""

import base64
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import vobject
from click.testing import CliRunner
from PIL import Image

from cardpipe.book import Book
from cardpipe.cli import cli
from cardpipe.contact import Photo
from cardpipe.errors import ExitCode
from cardpipe.sync.report import SyncReport

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = sorted(cli.commands)  # every command the CLI has, not a list kept by hand


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_the_cli_has_the_commands_users_expect():
    assert {"scan", "run", "merge", "dedupe", "export", "sync"} <= set(COMMANDS)


def test_help_lists_every_command():
    result = invoke("--help")
    assert result.exit_code == 0
    for name in COMMANDS:
        assert f"  {name} " in result.output


def test_every_command_has_help_with_an_example_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        result = invoke(name, "--help")
        assert result.exit_code == 0, name
        assert "Example" in result.output, name
        assert f"cardpipe {name}" in readme, name


def test_python_dash_m_runs_the_cli():
    out = subprocess.run([sys.executable, "-m", "cardpipe", "--version"],
                         capture_output=True, text=True, check=True)
    assert "cardpipe" in out.stdout


def test_scan_reports_a_bad_file_and_goes_on_with_exit_10(tmp_path):
    bad = tmp_path / "notes.jpg"
    bad.write_text("this is not a photo")
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    result = invoke("scan", "--format", "jsonl", "--jobs", "1", str(bad), str(empty),
                    str(tmp_path / "missing.jpg"))
    assert result.exit_code == ExitCode.PARTIAL
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 3
    for line in lines:
        assert line["ok"] is False
        assert set(line) == {"source", "ok", "error"}
        assert line["source"] in line["error"]
        assert "\n" not in line["error"]


def test_missing_tesseract_is_exit_5_with_install_advice(tmp_path):
    photo = tmp_path / "card.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    env = {**os.environ, "PATH": str(bindir)}
    proc = subprocess.run([sys.executable, "-m", "cardpipe", "scan", "--engine", "tesseract",
                           str(photo)], capture_output=True, text=True, env=env)
    assert proc.returncode == ExitCode.DEPENDENCY
    assert "apt-get install tesseract-ocr" in proc.stderr
    assert proc.stderr.count("\n") == 1


def test_the_default_engine_does_not_need_tesseract(tmp_path):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    env = {**os.environ, "PATH": str(bindir)}  # no tesseract binary anywhere
    proc = subprocess.run([sys.executable, "-m", "cardpipe", "scan", "-j", "1",
                           str(ROOT / "samples" / "card000-clean-en_US.png")],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["contact"]["emails"]


def test_export_without_a_target_is_a_usage_error(tmp_path):
    book = tmp_path / "b.vcf"
    book.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nUID:1\r\nEND:VCARD\r\n")
    result = CliRunner().invoke(cli, ["export", "--book", str(book)])
    assert result.exit_code == ExitCode.USAGE


@pytest.mark.parametrize("command", ["scan", "run"])
def test_a_language_for_the_rapidocr_engine_is_a_usage_error(tmp_path, command):
    args = [command, "--engine", "rapidocr", "--lang", "deu", str(tmp_path)]
    if command == "run":
        args += ["--book", str(tmp_path / "b.vcf")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == ExitCode.USAGE
    assert "--engine tesseract" in result.output


def test_unreadable_book_is_exit_4_naming_the_file(tmp_path):
    book = tmp_path / "book.vcf"
    book.mkdir()  # a folder without .vcf files is an empty vdir; make it unreadable instead
    (book / "x.vcf").write_bytes(b"\xff\xfe\x00")
    book.chmod(0)
    try:
        if os.access(book, os.R_OK):  # root can read anyway: use a path through a file
            target = tmp_path / "file"
            target.write_text("x")
            path = str(target / "book.vcf")
        else:
            path = str(book)
        result = CliRunner().invoke(cli, ["merge", str(ROOT / "README.md"), "--book", path])
    finally:
        book.chmod(0o755)
    assert result.exit_code == ExitCode.BOOK, result.output
    assert path in result.output


def test_tesseract_is_on_path_for_the_real_tests():
    assert shutil.which("tesseract"), "Tesseract missing: run `make test`, which installs it"


# -- --attach-photo ---------------------------------------------------------------------

SAMPLE = ROOT / "samples" / "card000-clean-en_US.png"  # Dr. Michael Mullins
OWN_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)


def _run(book: Path, *extra: str):
    return invoke("run", str(SAMPLE), "--book", str(book), "--event", "Expo",
                  "--met-on", "2026-11-20", "--jobs", "1", *extra)


def _photos(book: Path) -> list[Photo | None]:
    return [c.photo for c in Book.load(book).contacts()]


def test_run_attach_photo_end_to_end_with_the_real_tesseract(tmp_path):
    # off by default
    plain = tmp_path / "plain.vcf"
    assert _run(plain).exit_code == 0
    assert b"PHOTO" not in plain.read_bytes()

    # on: the new contact gets the card as a small JPEG that vobject reads too
    book = tmp_path / "book.vcf"
    result = _run(book, "--attach-photo")
    assert result.exit_code == 0, result.output
    [photo] = _photos(book)
    assert photo is not None and photo.media_type == "image/jpeg"
    assert 5_000 < len(photo.data) <= 60_000
    assert max(Image.open(io.BytesIO(photo.data)).size) == 640
    [card] = vobject.readComponents(book.read_text(encoding="utf-8"))
    assert card.photo.value == photo.data and "Mullins" in card.fn.value

    # rerun: nothing changes, not a byte
    before = book.read_bytes()
    result = _run(book, "--attach-photo")
    assert result.exit_code == 0 and "merged 1" in result.output
    assert book.read_bytes() == before

    # exported for a phone as vCard 4.0: the same picture as a data: URI
    phone = tmp_path / "phone.vcf"
    assert invoke("export", "--book", str(book), "--to", str(phone),
                  "--vcard-version", "4.0").exit_code == 0
    assert b"PHOTO:data:image/jpeg;base64,/9j/" in phone.read_bytes()
    assert _photos(phone) == [photo]


def test_run_attach_photo_keeps_the_photo_a_contact_already_has(tmp_path):
    book = tmp_path / "book.vcf"
    own = "PHOTO;ENCODING=b;TYPE=PNG:" + base64.b64encode(OWN_PNG).decode() + "\r\n"
    book.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:mm-1\r\nFN:Michael Mullins\r\n"
                    "N:Mullins;Michael;;;\r\nEMAIL:michael@smithengineering.com\r\n"
                    + own + "END:VCARD\r\n", encoding="utf-8", newline="")
    result = _run(book, "--attach-photo")
    assert result.exit_code == 0, result.output
    assert "merged 1" in result.output
    data = book.read_bytes()
    assert data.count(b"PHOTO") == 1 and own.encode() in data
    assert _photos(book) == [Photo(OWN_PNG, "image/png")]


@pytest.mark.parametrize(("in_config", "flag", "expected"), [
    (None, (), False), ("true", (), True), ("true", ("--no-attach-photo",), False),
    (None, ("--attach-photo",), True),
])
def test_sync_attach_photo_comes_from_the_flag_else_the_config(
    tmp_path, monkeypatch, in_config, flag, expected
):
    import cardpipe.sync

    seen = []

    def fake_sync(config, **kw):
        seen.append(config.attach_photo)
        return SyncReport(book=str(config.book))

    monkeypatch.setattr(cardpipe.sync, "sync", fake_sync)
    cfg = tmp_path / "config.toml"
    cfg.write_text('book = "b.vcf"\n' + (f"attach_photo = {in_config}\n" if in_config else "")
                   + '[[watch]]\npath = "p"\n', encoding="utf-8")
    result = invoke("sync", "--config", str(cfg), *flag)
    assert result.exit_code == 0, result.output
    assert seen == [expected]
