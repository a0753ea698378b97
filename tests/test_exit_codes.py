"""Exit codes and messages as the README's table says (issue 14, item 18): missing and
unreadable photos, empty folders, symlink loops, GIFs, 1x1 images, ``--region`` and
outputs into folders that do not exist."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from PIL import Image

from cardpipe import pipeline
from cardpipe.cli import cli
from cardpipe.errors import ConfigError, ExitCode
from cardpipe.scan import images, inputs
from cardpipe.sync.config import load_config

from .conftest import TextEngine

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "card000-clean-en_US.png"
BOOK = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ada-1\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\n"
        "EMAIL:ada@engines.example\r\nEND:VCARD\r\n")


@pytest.fixture(autouse=True)
def text_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every photo reads as Dana's card (no OCR); ``-j 1`` keeps it in this process."""
    monkeypatch.setattr(pipeline, "engine_for", lambda engine, lang: TextEngine())


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def scan(*paths: str | Path) -> Result:
    return invoke("scan", *paths, "-j", "1", "--format", "jsonl")


def run(tmp_path: Path, *paths: str | Path, extra: tuple[str, ...] = ()) -> Result:
    book = tmp_path / "book.vcf"
    if not book.exists():
        book.write_bytes(BOOK.encode())
    return invoke("run", *paths, "--book", book, "-j", "1", *extra)


def lines(result: Result) -> list[dict[str, object]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def _good(tmp_path: Path, name: str = "good.png") -> Path:
    path = tmp_path / name
    shutil.copy(SAMPLE, path)
    return path


# -- missing photos ----------------------------------------------------------------------


@pytest.mark.parametrize("command", ["scan", "run"])
def test_a_missing_photo_alone_is_exit_3_naming_it(tmp_path: Path, command: str) -> None:
    gone = tmp_path / "gone.jpg"
    result = scan(gone) if command == "scan" else run(tmp_path, gone)
    assert result.exit_code == ExitCode.INPUT == 3
    assert result.stderr.strip() == f"cardpipe: error: {gone}: no such file or folder"
    if command == "run":
        assert (tmp_path / "book.vcf").read_bytes() == BOOK.encode()  # nothing written
        assert not list(tmp_path.glob("book.vcf.bak-*"))


def test_every_photo_named_missing_is_exit_3_naming_each(tmp_path: Path) -> None:
    result = scan(tmp_path / "a.jpg", tmp_path / "b.jpg")
    assert result.exit_code == 3
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1 and "a.jpg" in err and "b.jpg" in err


@pytest.mark.parametrize("command", ["scan", "run"])
def test_a_missing_photo_among_good_ones_is_a_failed_item_exit_10(tmp_path: Path,
                                                                 command: str) -> None:
    gone, good = tmp_path / "gone.jpg", _good(tmp_path)
    result = scan(gone, good) if command == "scan" else run(tmp_path, gone, good)
    assert result.exit_code == ExitCode.PARTIAL == 10
    assert f"cardpipe: {gone}: no such file or folder" in result.stderr.splitlines()
    if command == "scan":
        assert [(d["source"], d["ok"]) for d in lines(result)] == [(str(gone), False),
                                                                    (str(good), True)]
    else:
        assert "Dana Whitfield" in (tmp_path / "book.vcf").read_text()


def test_an_unreadable_photo_named_is_one_line_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    locked, good = _good(tmp_path, "locked.png"), _good(tmp_path)
    locked.chmod(0)
    real = inputs.file_sha256

    def sha256(path: Path) -> str:  # as root, mode 000 is readable: say what it would
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(inputs, "file_sha256", sha256)
    for result in (scan(locked, good), run(tmp_path, locked, good)):
        assert result.exit_code == 10  # not a usage error refusing the batch
        assert f"cardpipe: {locked}: Permission denied" in result.stderr.splitlines()
    assert "Dana Whitfield" in (tmp_path / "book.vcf").read_text()


# -- folders, loops, GIFs, tiny images ---------------------------------------------------


def test_a_folder_without_photos_says_so(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("x")
    result = scan(empty)
    assert result.exit_code == 3
    assert result.stderr.strip() == (f"cardpipe: error: {empty}: no photos in this folder "
                                     "(the folder is empty)")
    result = scan(tmp_path / "notes", _good(tmp_path))  # among good photos: a failed item
    assert result.exit_code == 10
    assert (f"cardpipe: {tmp_path / 'notes'}: no photos in this folder (1 other file(s) "
            "skipped)") in result.stderr.splitlines()


def test_a_file_symlink_loop_named_is_named_as_a_loop(tmp_path: Path) -> None:
    loop = tmp_path / "loop.jpg"
    os.symlink(loop.name, loop)
    result = scan(loop)
    assert result.exit_code == 3
    assert result.stderr.strip() == f"cardpipe: error: {loop}: symlink loop, skipped"
    result = scan(loop, _good(tmp_path))
    assert result.exit_code == 10
    assert lines(result)[0] == {"source": str(loop), "ok": False,
                                "error": f"{loop}: symlink loop, skipped"}


def test_gif_is_read_in_a_folder_as_it_is_named_on_the_command_line(tmp_path: Path) -> None:
    folder = tmp_path / "cards"
    folder.mkdir()
    Image.open(SAMPLE).convert("P").save(folder / "card.gif")
    assert images.load_image(folder / "card.gif").ndim == 3  # Pillow decodes it
    assert inputs.is_photo_name(folder / "card.gif")  # the one rule: scan, run and sync
    for named in (folder, folder / "card.gif"):
        result = scan(named)
        assert result.exit_code == 0, result.stderr
        assert [d["source"] for d in lines(result)] == [str(folder / "card.gif")]


def test_a_1x1_image_is_a_failure_in_scan_as_it_is_in_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pipeline, "engine_for", lambda engine, lang: TextEngine([]))
    dot = tmp_path / "dot.png"
    Image.new("RGB", (1, 1), "white").save(dot)
    in_run = run(tmp_path, dot)
    in_scan = scan(dot)
    assert in_run.exit_code == in_scan.exit_code == 10
    reason = f"{dot}: too little read from the card (nothing usable)"
    assert any(line.startswith(f"cardpipe: {reason}") for line in in_run.stderr.splitlines())
    assert any(line.startswith(f"cardpipe: {reason}") for line in in_scan.stderr.splitlines())
    [line] = lines(in_scan)
    assert line["ok"] is False and str(line["error"]).startswith(reason)


def test_a_1x1_image_fails_in_scan_with_the_real_engine(tmp_path: Path) -> None:
    dot = tmp_path / "dot.png"
    Image.new("RGB", (1, 1), "white").save(dot)
    proc = subprocess.run([sys.executable, "-m", "cardpipe", "scan", str(dot), "-j", "1"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 10, proc.stderr
    assert json.loads(proc.stdout)["ok"] is False
    assert f"cardpipe: {dot}: too little read from the card" in proc.stderr


# -- --region ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["scan", "run"])
def test_a_region_that_is_not_a_phone_region_is_a_usage_error(tmp_path: Path,
                                                              command: str) -> None:
    good = _good(tmp_path)
    result = (invoke("scan", good, "--region", "XX") if command == "scan"
              else run(tmp_path, good, extra=("--region", "XX")))
    assert result.exit_code == ExitCode.USAGE == 2
    assert "'XX' is not a phone region" in result.stderr
    if command == "run":
        assert (tmp_path / "book.vcf").read_bytes() == BOOK.encode()


def test_a_region_in_lower_case_is_taken(tmp_path: Path) -> None:
    assert pipeline.check_region("de") == "DE"
    assert scan(_good(tmp_path), "--region", "gb").exit_code == 0


def test_a_region_in_the_config_that_is_not_a_phone_region_is_a_config_error(
    tmp_path: Path,
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('book = "book.vcf"\nregion = "XX"\n[[watch]]\npath = "photos"\n')
    with pytest.raises(ConfigError, match="region: 'XX' is not a phone region") as info:
        load_config(cfg)
    assert info.value.exit_code == ExitCode.CONFIG


# -- outputs into folders that do not exist --------------------------------------------------


@pytest.mark.parametrize("option", ["--to", "--csv", "--vdir"])
def test_export_into_a_folder_that_does_not_exist_says_so(tmp_path: Path,
                                                          option: str) -> None:
    book = tmp_path / "book.vcf"
    book.write_bytes(BOOK.encode())
    target = tmp_path / "nope" / "out"
    result = invoke("export", "--book", book, option, target)
    assert result.exit_code == ExitCode.BOOK == 4
    assert result.stderr.strip().startswith(
        f"cardpipe: error: {target}: cannot write: the folder {target.parent} does not exist")
    assert not (tmp_path / "nope").exists()  # not created silently


def test_export_vdir_makes_its_own_folder_in_one_that_exists(tmp_path: Path) -> None:
    book = tmp_path / "book.vcf"
    book.write_bytes(BOOK.encode())
    assert invoke("export", "--book", book, "--vdir", tmp_path / "cards").exit_code == 0
    assert len(list((tmp_path / "cards").glob("*.vcf"))) == 1


@pytest.mark.parametrize("option", ["--out", "--report"])
def test_run_output_into_a_folder_that_does_not_exist_is_said_before_any_work(
    tmp_path: Path, option: str,
) -> None:
    target = tmp_path / "nope" / "x"
    result = run(tmp_path, _good(tmp_path), extra=(option, str(target)))
    assert result.exit_code == 4
    assert f"the folder {target.parent} does not exist" in result.stderr
    assert not (tmp_path / "nope").exists()
    assert (tmp_path / "book.vcf").read_bytes() == BOOK.encode()
