"""The exit codes are stable, distinct and documented in the README."""

import re
from pathlib import Path

from cardpipe import errors
from cardpipe.errors import ExitCode

README = Path(__file__).resolve().parents[1] / "README.md"


def _codes() -> dict[str, int]:
    return {k: v for k, v in vars(ExitCode).items() if not k.startswith("_")}


def test_exit_codes_are_distinct():
    values = list(_codes().values())
    assert len(values) == len(set(values))


def test_every_exit_code_is_documented_in_the_readme():
    table = README.read_text(encoding="utf-8").split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    documented = {int(m) for m in re.findall(r"^\| (\d+) \|", table, flags=re.M)}
    assert documented == set(_codes().values())


def test_every_error_class_maps_to_a_documented_code():
    classes = [c for c in vars(errors).values()
               if isinstance(c, type) and issubclass(c, errors.CardpipeError)]
    assert len(classes) > 5
    for cls in classes:
        assert cls.exit_code in _codes().values(), cls


def test_input_error_names_the_file_and_the_reason_on_one_line():
    exc = errors.InputError("/tmp/a b.jpg", "not an image:\n  cannot identify")
    line = exc.one_line()
    assert "\n" not in line
    assert line.startswith("/tmp/a b.jpg: not an image")


def test_missing_tesseract_error_carries_install_advice():
    exc = errors.TesseractNotFound("tesseract is not installed or not on PATH")
    assert exc.exit_code == ExitCode.DEPENDENCY
    assert "apt-get install tesseract-ocr" in exc.one_line()
