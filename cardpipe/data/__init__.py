"""The word lists and tables in this folder, read once, for the parser and the matcher.

Every list is a text file: one entry per line, ``#`` lines are comments, and a ``.tsv``
file has its columns separated by tabs; each file's header says what it holds and who
reads it.  ``parse_*`` files are the parser's alone (``cardpipe/parse/lexicon.py``);
the lists here with a function of their own (legal forms, webmail domains, shared
mailboxes) are read by both the parser and the matcher, each deriving the form it
compares from the one list.  ``match_model.json`` is the match model
(``cardpipe/match/model.py``).
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import NamedTuple

__all__ = ["LegalForm", "legal_forms", "read_lines", "read_rows", "shared_mailboxes",
           "webmail_domains"]


def read_lines(name: str) -> list[str]:
    """The entries of data file ``name``: its lines stripped, without blanks and comments."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def read_rows(name: str) -> list[list[str]]:
    """The entries of a ``.tsv`` data file, each split into its columns."""
    return [[cell.strip() for cell in ln.split("\t")] for ln in read_lines(name)]


class LegalForm(NamedTuple):
    form: str  # as printed: 'GmbH', 'S.r.l.', 'Co., Ltd.'
    country: str | None  # the ISO code of the one country it points to
    word: bool  # also an ordinary word or initials ('AS', 'Co.'): only at the end of a line


@functools.cache
def legal_forms() -> tuple[LegalForm, ...]:
    """Legal forms of companies (``legal_forms.tsv``), in the file's order."""
    forms = []
    for row in read_rows("legal_forms.tsv"):
        form, country, *flags = row
        forms.append(LegalForm(form, None if country == "-" else country, "word" in flags))
    return tuple(forms)


@functools.cache
def webmail_domains() -> tuple[str, ...]:
    """Free email services (``webmail_domains.txt``): domains, and ``name.*`` for a service
    under every top-level domain."""
    return tuple(read_lines("webmail_domains.txt"))


@functools.cache
def shared_mailboxes() -> frozenset[str]:
    """Local parts of shared mailboxes: info, office, vertrieb ... (``shared_mailboxes.txt``)."""
    return frozenset(read_lines("shared_mailboxes.txt"))
