"""Exports for phones and address books: one .vcf file, a vdir folder, Google / Outlook CSV.

The .vcf export is what iOS, Android and Google import most reliably: vCard 3.0 by default
(4.0 on request), UTF-8, CRLF, FN always present, lines folded at 75 octets without
splitting a UTF-8 character, NOTE line breaks escaped, and a unique UID on every card.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

from ..contact import Address, Contact, Phone
from ..vcard import Card, convert_card
from ..vcard._read import prop_text
from ..vcard._text import unescape
from .files import atomic_write, vdir_filename
from .store import Book, unique_uids

__all__ = [
    "GOOGLE_BASE_COLUMNS",
    "OUTLOOK_COLUMNS",
    "birthday",
    "csv_rows",
    "export_csv",
    "export_vcf",
    "export_vdir",
    "unique_uids",
]


def _card_texts(book: Book, version: str) -> list[tuple[str, str]]:
    """(uid, card text) per contact, UIDs made unique, each card's extras (PHOTO, BDAY,
    X- properties: what the Contact has no field for) carried over."""
    pairs = book.items()
    contacts = unique_uids(c for _, c in pairs)
    out = []
    for (card, _), contact in zip(pairs, contacts, strict=True):
        out.append((contact.uid or "", convert_card(card, version, contact=contact,
                                                    newline="\r\n")))
    return out


def export_vcf(book: Book, path: str | os.PathLike[str], version: str = "3.0") -> int:
    """Write every contact of ``book`` into one .vcf file (atomically); returns how many.
    (A list of contacts is exported as ``Book.of(contacts)``.)"""
    cards = [text for _, text in _card_texts(book, version)]
    atomic_write(Path(path), "".join(cards).encode("utf-8"))
    return len(cards)


def export_vdir(book: Book, directory: str | os.PathLike[str], version: str = "3.0") -> int:
    """One .vcf per contact in ``directory``, named after its UID; a file whose content
    would not change is not rewritten.  Returns how many files were written."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    written = 0
    for uid, text in _card_texts(book, version):
        name = vdir_filename(uid, taken)
        taken.add(name)
        data = text.encode("utf-8")
        target = folder / name
        if target.is_file() and target.read_bytes() == data:
            continue
        atomic_write(target, data)
        written += 1
    return written


# -- CSV --------------------------------------------------------------------------------

#: The fixed columns of a Google Contacts CSV (the "Google CSV" import/export layout);
#: numbered groups (E-mail 1 - Type ...) follow, as many as the contacts need.
GOOGLE_BASE_COLUMNS = (
    "Name", "Given Name", "Additional Name", "Family Name", "Yomi Name", "Given Name Yomi",
    "Additional Name Yomi", "Family Name Yomi", "Name Prefix", "Name Suffix", "Initials",
    "Nickname", "Short Name", "Maiden Name", "Birthday", "Gender", "Location",
    "Billing Information", "Directory Server", "Mileage", "Occupation", "Hobby",
    "Sensitivity", "Priority", "Subject", "Notes", "Language", "Photo", "Group Membership",
)  # fmt: skip
_GOOGLE_GROUPS = {
    "E-mail": ("Type", "Value"),
    "Phone": ("Type", "Value"),
    "Address": (
        "Type", "Formatted", "Street", "City", "PO Box", "Region", "Postal Code", "Country",
        "Extended Address",
    ),
    "Organization": (
        "Type", "Name", "Yomi Name", "Title", "Department", "Symbol", "Location",
        "Job Description",
    ),
    "Website": ("Type", "Value"),
}  # fmt: skip
_GOOGLE_PHONE = {"work": "Work", "cell": "Mobile", "fax": "Work Fax", "home": "Home"}

#: Outlook's CSV export / import layout ("Comma Separated Values").
OUTLOOK_COLUMNS = (
    "Title", "First Name", "Middle Name", "Last Name", "Suffix", "Company", "Department",
    "Job Title", "Business Street", "Business Street 2", "Business Street 3", "Business City",
    "Business State", "Business Postal Code", "Business Country/Region", "Home Street",
    "Home Street 2", "Home Street 3", "Home City", "Home State", "Home Postal Code",
    "Home Country/Region", "Other Street", "Other Street 2", "Other Street 3", "Other City",
    "Other State", "Other Postal Code", "Other Country/Region", "Assistant's Phone",
    "Business Fax", "Business Phone", "Business Phone 2", "Callback", "Car Phone",
    "Company Main Phone", "Home Fax", "Home Phone", "Home Phone 2", "ISDN", "Mobile Phone",
    "Other Fax", "Other Phone", "Pager", "Primary Phone", "Radio Phone", "TTY/TDD Phone",
    "Telex", "Account", "Anniversary", "Assistant's Name", "Billing Information", "Birthday",
    "Business Address PO Box", "Categories", "Children", "Directory Server", "E-mail Address",
    "E-mail Type", "E-mail Display Name", "E-mail 2 Address", "E-mail 2 Type",
    "E-mail 2 Display Name", "E-mail 3 Address", "E-mail 3 Type", "E-mail 3 Display Name",
    "Gender", "Government ID Number", "Hobby", "Home Address PO Box", "Initials",
    "Internet Free Busy", "Keywords", "Language", "Location", "Manager's Name", "Mileage",
    "Notes", "Office Location", "Organizational ID Number", "Other Address PO Box",
    "Priority", "Private", "Profession", "Referred By", "Sensitivity", "Spouse", "User 1",
    "User 2", "User 3", "User 4", "Web Page",
)  # fmt: skip
_OUTLOOK_PHONE_SLOTS = {
    "work": ("Business Phone", "Business Phone 2", "Company Main Phone"),
    "cell": ("Mobile Phone", "Car Phone"),
    "home": ("Home Phone", "Home Phone 2"),
    "fax": ("Business Fax", "Home Fax", "Other Fax"),
    "other": ("Other Phone", "Primary Phone", "Callback"),
}


def _phone_text(p: Phone) -> str:
    return p.number + (f" x{p.extension}" if p.extension else "")


_BASIC_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?$")
_NO_YEAR_DATE = re.compile(r"^--(\d{2})-?(\d{2})$")


def birthday(card: Card | None) -> str | None:
    """The card's birthday as the CSV layouts write it: ``1980-03-22``, or ``--03-22``
    without a year (vCard 4.0 ``--0322``, Apple's ``X-APPLE-OMIT-YEAR``); a text value
    ("circa 1980") as it is.  BDAY is not a Contact field: it is read from the card."""
    if card is None:
        return None
    for prop in card.props:
        if prop.name != "BDAY" or not prop.value.strip():
            continue
        value = unescape(prop_text(prop, card.encoding)).strip()
        m = _BASIC_DATE.match(value)
        if m:
            year, month, day = m.groups()
            omit = prop.param("X-APPLE-OMIT-YEAR")
            return f"--{month}-{day}" if omit and omit[0].strip() == year else f"{year}-{month}-{day}"
        m = _NO_YEAR_DATE.match(value)
        return f"--{m.group(1)}-{m.group(2)}" if m else value
    return None


def _google_rows(
    contacts: list[Contact], birthdays: list[str | None]
) -> tuple[list[str], list[dict[str, str]]]:
    counts = {
        "E-mail": max((len(c.emails) for c in contacts), default=0),
        "Phone": max((len(c.phones) for c in contacts), default=0),
        "Address": max((len(c.addresses) for c in contacts), default=0),
        "Organization": max((1 if (c.company or c.title) else 0) for c in contacts)
        if contacts
        else 0,
        "Website": max((len(c.websites) + len(c.social) for c in contacts), default=0),
    }
    header = list(GOOGLE_BASE_COLUMNS)
    for group, fields in _GOOGLE_GROUPS.items():
        for n in range(1, max(counts[group], 1) + 1):
            header.extend(f"{group} {n} - {f}" for f in fields)
    rows = []
    for c, bday in zip(contacts, birthdays, strict=True):
        row = {
            "Name": c.display_name,
            "Birthday": bday or "",
            "Given Name": c.given_name or "",
            "Additional Name": c.middle_name or "",
            "Family Name": c.family_name or "",
            "Name Prefix": c.prefix or "",
            "Name Suffix": c.suffix or "",
            "Nickname": c.nickname or "",
            "Notes": c.note or "",
            "Group Membership": " ::: ".join(["* myContacts", *c.categories]),
        }
        for n, e in enumerate(c.emails, 1):
            kind = (e.type or "other").capitalize()
            row[f"E-mail {n} - Type"] = ("* " if n == 1 else "") + kind
            row[f"E-mail {n} - Value"] = e.address
        for n, p in enumerate(c.phones, 1):
            row[f"Phone {n} - Type"] = _GOOGLE_PHONE.get(p.type, "Other")
            row[f"Phone {n} - Value"] = _phone_text(p)
        for n, a in enumerate(c.addresses, 1):
            prefix = f"Address {n} - "
            row[prefix + "Type"] = (a.type or "other").capitalize()
            row[prefix + "Formatted"] = a.one_line()
            row[prefix + "Street"] = a.street
            row[prefix + "City"] = a.locality
            row[prefix + "PO Box"] = a.po_box
            row[prefix + "Region"] = a.region
            row[prefix + "Postal Code"] = a.postcode
            row[prefix + "Country"] = a.country
            row[prefix + "Extended Address"] = a.extended
        if c.company or c.title or c.department:
            row["Organization 1 - Type"] = "Work"
            row["Organization 1 - Name"] = c.company or ""
            row["Organization 1 - Title"] = c.title or ""
            row["Organization 1 - Department"] = c.department or ""
        sites = [("Work" if i == 0 else "Other", u) for i, u in enumerate(c.websites)]
        sites += [("Profile", s.url) for s in c.social]
        for n, (kind, url) in enumerate(sites, 1):
            row[f"Website {n} - Type"] = kind
            row[f"Website {n} - Value"] = url
        rows.append(row)
    return header, rows


def _outlook_address(row: dict[str, str], kind: str, a: Address) -> None:
    row[f"{kind} Street"] = a.street
    row[f"{kind} Street 2"] = a.extended
    row[f"{kind} City"] = a.locality
    row[f"{kind} State"] = a.region
    row[f"{kind} Postal Code"] = a.postcode
    row[f"{kind} Country/Region"] = a.country
    row[f"{kind} Address PO Box"] = a.po_box


def _outlook_rows(
    contacts: list[Contact], birthdays: list[str | None]
) -> tuple[list[str], list[dict[str, str]]]:
    rows = []
    for c, bday in zip(contacts, birthdays, strict=True):
        given, family = c.given_name, c.family_name
        if not (given or family) and c.full_name:
            given, _, family = c.full_name.rpartition(" ")
            given, family = (given, family) if given else (family, "")
        row = {
            "Title": c.prefix or "",
            "First Name": given or "",
            "Middle Name": c.middle_name or "",
            "Last Name": family or "",
            "Suffix": c.suffix or "",
            "Company": c.company or "",
            "Department": c.department or "",
            "Job Title": c.title or "",
            "Categories": ";".join(c.categories),
        }
        overflow: list[str] = []
        if bday and _BASIC_DATE.match(bday):
            row["Birthday"] = bday
        elif bday:
            overflow.append(f"Birthday: {bday}")  # Outlook's Birthday needs a year
        for n, e in enumerate(c.emails, 1):
            if n > 3:
                overflow.append(f"E-mail: {e.address}")
                continue
            slot = "E-mail" if n == 1 else f"E-mail {n}"
            row[f"{slot} Address"] = e.address
            row[f"{slot} Type"] = "SMTP"
            row[f"{slot} Display Name"] = f"{c.display_name} ({e.address})"
        for p in c.phones:
            phone_slot = next((s for s in _OUTLOOK_PHONE_SLOTS[p.type] if s not in row), None)
            if phone_slot is None:
                overflow.append(f"Phone ({p.type}): {_phone_text(p)}")
            else:
                row[phone_slot] = _phone_text(p)
        used: set[str] = set()
        for a in c.addresses:
            kind = {"work": "Business", "home": "Home"}.get(a.type or "", "Other")
            if kind in used:
                kind = "Other" if "Other" not in used else ""
            if not kind:
                overflow.append(f"Address: {a.one_line()}")
                continue
            used.add(kind)
            _outlook_address(row, kind, a)
        urls = list(c.websites) + [s.url for s in c.social]
        if urls:
            row["Web Page"] = urls[0]
            overflow.extend(f"Web: {u}" for u in urls[1:])
        note = c.note or ""
        if overflow:
            note = (note + "\n" if note else "") + "\n".join(overflow)
        row["Notes"] = note
        rows.append(row)
    return list(OUTLOOK_COLUMNS), rows


def csv_rows(book: Book, dialect: str = "google") -> tuple[list[str], list[dict[str, str]]]:
    """(header, rows) of the CSV for ``dialect`` "google" or "outlook"."""
    pairs = book.items()
    contacts = [c for _, c in pairs]
    birthdays = [birthday(card) for card, _ in pairs]
    if dialect == "google":
        return _google_rows(contacts, birthdays)
    if dialect == "outlook":
        return _outlook_rows(contacts, birthdays)
    raise ValueError(f"CSV dialect must be 'google' or 'outlook', not {dialect!r}")


def export_csv(book: Book, path: str | os.PathLike[str], dialect: str = "google") -> int:
    """Write a CSV that Google Contacts ("google") or Outlook ("outlook") imports.

    Google gets plain UTF-8; Outlook gets UTF-8 with a BOM (without it Outlook reads the
    file in the Windows code page).  Returns how many contacts were written.
    """
    header, rows = csv_rows(book, dialect)
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=header, restval="", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    encoding = "utf-8-sig" if dialect == "outlook" else "utf-8"
    atomic_write(Path(path), buf.getvalue().encode(encoding))
    return len(rows)
