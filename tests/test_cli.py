"""The command line: every command is there, documented, and maps errors to exit codes."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from cardpipe.cli import cli
from cardpipe.errors import ExitCode

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = ["scan", "run", "merge", "dedupe", "export", "sync"]


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


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
    proc = subprocess.run([sys.executable, "-m", "cardpipe", "scan", str(photo)],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == ExitCode.DEPENDENCY
    assert "apt-get install tesseract-ocr" in proc.stderr
    assert proc.stderr.count("\n") == 1


def test_export_without_a_target_is_a_usage_error(tmp_path):
    book = tmp_path / "b.vcf"
    book.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nUID:1\r\nEND:VCARD\r\n")
    result = CliRunner().invoke(cli, ["export", "--book", str(book)])
    assert result.exit_code == ExitCode.USAGE


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
