"""Fonts from Debian font packages, found by file name on the system.

Each family lists the file names of its styles.  A family is usable when its regular and
bold files are installed.  The Debian packages that provide them are in ``APT_PACKAGES``
(the Makefile installs them); with fewer fonts installed the generator still works, it
only picks from fewer families (so the output for a seed differs from the committed set).
"""

from __future__ import annotations

import functools
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

APT_PACKAGES = (
    "fonts-dejavu-core",
    "fonts-dejavu-extra",
    "fonts-liberation",
    "fonts-noto-core",
    "fonts-open-sans",
    "fonts-roboto-unhinted",
    "fonts-lato",
    "fonts-crosextra-carlito",
    "fonts-crosextra-caladea",
    "fonts-ebgaramond",
    "fonts-cantarell",
    "fonts-noto-cjk",
)

# family -> (kind, regular, bold, italic, light or None)
_FAMILIES: dict[str, tuple[str, str, str, str, str | None]] = {
    "DejaVu Sans": ("sans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
                    "DejaVuSans-ExtraLight.ttf"),
    "DejaVu Sans Condensed": ("sans", "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf",
                              "DejaVuSansCondensed-Oblique.ttf", None),
    "DejaVu Serif": ("serif", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf",
                     None),
    "Liberation Sans": ("sans", "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf",
                        "LiberationSans-Italic.ttf", None),
    "Liberation Sans Narrow": ("sans", "LiberationSansNarrow-Regular.ttf",
                               "LiberationSansNarrow-Bold.ttf", "LiberationSansNarrow-Italic.ttf",
                               None),
    "Liberation Serif": ("serif", "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf",
                         "LiberationSerif-Italic.ttf", None),
    "Noto Sans": ("sans", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf",
                  "NotoSans-Light.ttf"),
    "Noto Serif": ("serif", "NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf", "NotoSerif-Italic.ttf",
                   "NotoSerif-Light.ttf"),
    "Open Sans": ("sans", "OpenSans-Regular.ttf", "OpenSans-Bold.ttf", "OpenSans-Italic.ttf",
                  "OpenSans-Light.ttf"),
    "Roboto": ("sans", "Roboto-Regular.ttf", "Roboto-Bold.ttf", "Roboto-Italic.ttf",
               "Roboto-Light.ttf"),
    "Roboto Condensed": ("sans", "RobotoCondensed-Regular.ttf", "RobotoCondensed-Bold.ttf",
                         "RobotoCondensed-Italic.ttf", "RobotoCondensed-Light.ttf"),
    "Lato": ("sans", "Lato-Regular.ttf", "Lato-Bold.ttf", "Lato-Italic.ttf", "Lato-Light.ttf"),
    "Carlito": ("sans", "Carlito-Regular.ttf", "Carlito-Bold.ttf", "Carlito-Italic.ttf", None),
    "Cantarell": ("sans", "Cantarell-Regular.otf", "Cantarell-Bold.otf", "Cantarell-Regular.otf",
                  "Cantarell-Light.otf"),
    "Caladea": ("serif", "Caladea-Regular.ttf", "Caladea-Bold.ttf", "Caladea-Italic.ttf", None),
    "EB Garamond": ("serif", "EBGaramond12-Regular.otf", "EBGaramond12-Bold.otf",
                    "EBGaramond12-Italic.otf", None),
}

_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", os.path.expanduser("~/.fonts"))


@dataclass(frozen=True)
class Family:
    name: str
    kind: str  # sans | serif
    paths: dict[str, str]  # style -> file path (regular, bold, italic, light)

    def font(self, style: str, size: float) -> ImageFont.FreeTypeFont:
        path = self.paths.get(style) or self.paths["regular"]
        return _load(path, max(6, round(size)))


@functools.lru_cache(maxsize=512)
def _load(path: str, size: int) -> ImageFont.FreeTypeFont:
    # "file.ttc#2": face 2 of a font collection (the CJK collections hold one face a script)
    file, _, index = path.partition("#")
    return ImageFont.truetype(file, size, index=int(index or 0))


@functools.lru_cache(maxsize=1)
def _font_files() -> dict[str, str]:
    files: dict[str, str] = {}
    try:
        out = subprocess.run(["fc-list", "--format", "%{file}\n"], capture_output=True,
                             text=True, check=False, timeout=30).stdout
        for line in out.splitlines():
            files.setdefault(Path(line).name, line)
    except (OSError, subprocess.SubprocessError):
        pass
    for root in _FONT_DIRS:
        for dirpath, _dirs, names in os.walk(root):
            for name in names:
                files.setdefault(name, os.path.join(dirpath, name))
    return files


@functools.lru_cache(maxsize=1)
def families() -> tuple[Family, ...]:
    """The installed families, in a fixed order (so a seed gives the same choices)."""
    files = _font_files()
    found = []
    for name, (kind, regular, bold, italic, light) in _FAMILIES.items():
        if regular not in files or bold not in files:
            continue
        paths = {"regular": files[regular], "bold": files[bold]}
        paths["italic"] = files.get(italic, files[regular])
        if light and light in files:
            paths["light"] = files[light]
        # a style that cannot print the locales' letters would print boxes where the
        # ground truth has letters (Debian's EB Garamond 12 Bold has no accented glyph):
        # the regular face stands in for it
        paths = {style: (path if _covers(path) else paths["regular"])
                 for style, path in paths.items()}
        found.append(Family(name, kind, paths))
    if not found:
        raise RuntimeError(
            "no usable fonts found; install them with: apt-get install -y "
            + " ".join(APT_PACKAGES)
        )
    return tuple(found)


#: letters the locales print (names, streets, companies, the euro sign)
_LATIN = "ÂÀÉÈÊËÎÏÔÛÙÜÇÆŒäöüßÄÖñÑáéíóúàèìòùçãõâêîôûëïØøÅå€"


@functools.lru_cache(maxsize=64)
def _covers(path: str, letters: str = _LATIN) -> bool:
    """Whether the font draws every one of ``letters`` (a missing glyph draws the same
    .notdef box as a code point no font has)."""
    font = _load(path, 24)
    missing = bytes(font.getmask("\U0010fffd"))
    return all(bytes(font.getmask(ch)) != missing for ch in letters)


def symbol_font(size: float) -> ImageFont.FreeTypeFont | None:
    """DejaVu Sans (has phone/envelope glyphs for icons), or None."""
    path = _font_files().get("DejaVuSans.ttf")
    return _load(path, max(6, round(size))) if path else None


#: Noto CJK (fonts-noto-cjk): one collection a weight, one face a script, in this order
_CJK_FACES = {"ja": 0, "ko": 1, "zh": 2, "zh-Hant": 3}
_CJK_FILES = {"Noto Sans CJK": ("sans", "NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc"),
              "Noto Serif CJK": ("serif", "NotoSerifCJK-Regular.ttc", "NotoSerifCJK-Bold.ttc")}


@functools.lru_cache(maxsize=8)
def cjk_families(lang: str) -> tuple[Family, ...]:
    """Noto Sans/Serif CJK with the face of ``lang`` (ja, ko, zh, zh-Hant); they draw Latin too.
    Empty when fonts-noto-cjk is not installed."""
    files = _font_files()
    index = _CJK_FACES[lang]
    found = []
    for name, (kind, regular, bold) in _CJK_FILES.items():
        if regular in files and bold in files:
            reg, bld = f"{files[regular]}#{index}", f"{files[bold]}#{index}"
            found.append(Family(name, kind, {"regular": reg, "bold": bld, "italic": reg}))
    return tuple(found)


@functools.lru_cache(maxsize=8)
def families_covering(letters: str) -> tuple[Family, ...]:
    """The installed families whose every style draws ``letters`` (e.g. Vietnamese ạ ế ữ)."""
    return tuple(f for f in families()
                 if all(_covers(path, letters) for path in f.paths.values()))
