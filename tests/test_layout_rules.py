"""The house rules of the code layout (issue 12): the folders are the stages, few modules
at the top, no two modules with one name for different jobs, and a README whose module
table names only paths that exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "cardpipe"


def test_at_most_seven_modules_at_the_top_of_the_package() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 7, top


def test_no_two_modules_share_a_name() -> None:
    seen: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "__init__.py":
            continue
        assert path.stem not in seen, (path, seen.get(path.stem))
        seen[path.stem] = path


def _how_it_works() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("## How it works", 1)[1].split("\n## ", 1)[0]


def test_the_readme_module_table_names_only_paths_that_exist() -> None:
    section = _how_it_works()
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert len(rows) >= 10
    for row in rows:
        folder, *_ = re.findall(r"`([^`]+)`", row)
        assert (PACKAGE / folder).exists(), folder
        base = PACKAGE / folder if folder.endswith("/") else PACKAGE
        for name in re.findall(r"`([a-z_]+\.py)`", row)[1:]:
            assert (base / name).exists() or (PACKAGE / name).exists(), (folder, name)


def test_the_readme_picture_names_only_stages_that_exist() -> None:
    picture = _how_it_works().split("```", 2)[1]
    for name in re.findall(r"\b([a-z_]+(?:/|\.py))", picture):
        assert (PACKAGE / name).exists(), name


def test_every_package_folder_is_in_the_readme_table() -> None:
    section = _how_it_works()
    for folder in sorted(p for p in PACKAGE.iterdir() if (p / "__init__.py").exists()):
        assert f"`{folder.name}/`" in section, folder.name
