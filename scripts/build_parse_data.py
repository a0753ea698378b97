"""Build cardpipe/data/parse_given_names.txt and parse_cjk_surnames.txt from permissively
licensed name lists.

Sources (both installed with cardpipe's dev dependencies):
- Faker's per-locale first-name lists (MIT licence), Latin-script locales plus the
  romanised Japanese names;
- the ``nicknames`` package's name table (Apache-2.0), for English given names and
  their nicknames.

parse_cjk_surnames.txt: the family names of Faker's Chinese (zh_CN, zh_TW), Korean
(ko_KR) and Japanese (ja_JP) locales, in their own script (NFC, not folded).

The given-name output is one folded name per line (lower case, no diacritics), sorted.  Run it
again after upgrading Faker: ``python scripts/build_parse_data.py``.
"""

from __future__ import annotations

import csv
import importlib
import pathlib
import unicodedata

import nicknames

LOCALES = (
    "en", "en_US", "en_GB", "en_IE", "en_NZ", "en_IN", "de_DE", "de_AT", "de_CH", "fr_FR",
    "fr_CH", "fr_BE", "fr_CA", "es", "es_ES", "es_MX", "es_AR", "es_CO", "it_IT", "nl_NL",
    "nl_BE", "pt_PT", "pt_BR", "sv_SE", "da_DK", "no_NO", "fi_FI", "pl_PL", "cs_CZ", "sk_SK",
    "hu_HU", "ro_RO", "hr_HR", "sl_SI", "tr_TR", "ga_IE", "et_EE", "lt_LT", "lv_LV", "id_ID",
    "vi_VN",
)
ATTRS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary",
         "first_romanized_names", "first_romanized_names_male", "first_romanized_names_female")
DATA = pathlib.Path(__file__).resolve().parent.parent / "cardpipe" / "data"
OUT = DATA / "parse_given_names.txt"
CJK_OUT = DATA / "parse_cjk_surnames.txt"
CJK_LOCALES = ("zh_CN", "zh_TW", "ko_KR", "ja_JP")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().strip()


def faker_names() -> set[str]:
    names: set[str] = set()
    for loc in (*LOCALES, "ja_JP"):
        try:
            mod = importlib.import_module(f"faker.providers.person.{loc}")
        except ImportError:
            continue
        provider = mod.Provider
        attrs = ATTRS if loc != "ja_JP" else ATTRS[4:]
        for attr in attrs:
            value = getattr(provider, attr, None)
            if not value:
                continue
            for name in value:  # tuples, lists and weighted dicts all iterate names
                names.add(fold(str(name)))
    return names


def nickname_names() -> set[str]:
    path = pathlib.Path(nicknames.__file__).parent / "names.csv"
    out: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.add(fold(row["name1"]))
            out.add(fold(row["name2"]))
    return out


def cjk_surnames() -> set[str]:
    names: set[str] = set()
    for loc in CJK_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{loc}").Provider
        names |= {unicodedata.normalize("NFC", str(n)).strip() for n in provider.last_names}
    return {n for n in names if n}


def main() -> None:
    names = {n for n in faker_names() | nickname_names() if n.replace("-", "").isalpha()
             and len(n) >= 2}
    OUT.write_text("\n".join(sorted(names)) + "\n", encoding="utf-8")
    print(f"{len(names)} names -> {OUT}")
    surnames = cjk_surnames()
    header = ("# Chinese, Korean and Japanese family names in their own script, one a line: the\n"
              "# last_names of Faker's zh_CN, zh_TW, ko_KR and ja_JP locales (MIT licence).\n"
              "# Built by scripts/build_parse_data.py; read by cardpipe/parse/cjk_people.py.\n")
    CJK_OUT.write_text(header + "\n".join(sorted(surnames)) + "\n", encoding="utf-8")
    print(f"{len(surnames)} CJK family names -> {CJK_OUT}")


if __name__ == "__main__":
    main()
