"""The word lists in cardpipe/data: each file parses, holds no entry twice, is read once,
and the lists the parser and the matcher share are one list to both (issue 12)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from cardpipe import data
from cardpipe.contact import Contact, Email, fold
from cardpipe.match import company_key, load_model, model_from_dict, normalize
from cardpipe.parse import lexicon
from cardpipe.parse.company import registrable_label

from .conftest import parse

# file -> (columns: fewest, most; the entries are fold()-ed)
LISTS = {
    "legal_forms.tsv": (2, 3, False),
    "webmail_domains.txt": (1, 1, True),
    "shared_mailboxes.txt": (1, 1, True),
    "parse_phone_labels.tsv": (2, 2, True),
    "parse_field_labels.txt": (1, 1, True),
    "parse_tlds.tsv": (2, 2, True),
    "parse_street_words.tsv": (2, 3, True),
    "parse_countries.tsv": (2, 2, False),
    "parse_departments.txt": (1, 1, True),
    "parse_function_words.txt": (1, 1, True),
    "parse_cjk_words.tsv": (2, 2, False),
    "parse_cjk_surnames.txt": (1, 1, False),
    "parse_han_variants.tsv": (2, 2, True),
    "parse_id_labels.txt": (1, 1, True),
}
MODEL = load_model()


def _files() -> list[str]:
    folder = resources.files("cardpipe.data")
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".txt", ".tsv")))


def test_every_list_file_is_known_here() -> None:
    # (the larger lists of names, titles and accents have tests of their own)
    others = {"parse_given_names.txt", "parse_titles.txt", "parse_accents.txt", "parse_cjk.tsv",
              "match_nicknames.tsv"}  # (tests/test_match_identity.py)
    assert set(_files()) == set(LISTS) | others


@pytest.mark.parametrize("name", sorted(LISTS))
def test_each_file_parses_and_says_what_it_is(name: str) -> None:
    text = resources.files("cardpipe.data").joinpath(name).read_text(encoding="utf-8")
    assert text.startswith("# ")  # the header
    low, high, folded = LISTS[name]
    rows = data.read_rows(name)
    assert rows
    for row in rows:
        assert low <= len(row) <= high, (name, row)
        assert all(row), (name, row)
        if folded:
            assert fold(row[0]) == row[0], (name, row)


# (not parse_function_words.txt: it lists "recherche" twice, which a set does not mind)
@pytest.mark.parametrize("name", sorted(set(LISTS) - {"parse_function_words.txt"}))
def test_no_entry_is_listed_twice(name: str) -> None:
    keys = Counter(row[0].lower() for row in data.read_rows(name))
    assert [k for k, n in keys.items() if n > 1] == []


def test_the_columns_hold_what_the_headers_say() -> None:
    countries = {f.country for f in data.legal_forms()} - {None}
    assert all(re.fullmatch(r"[A-Z]{2}", c) for c in countries if c)
    assert all(row[2:] in ([], ["word"]) for row in data.read_rows("legal_forms.tsv"))
    assert set(lexicon.PHONE_LABELS.values()) == {"work", "cell", "fax", "home", "phone"}
    tags = {t for _, tags in data.read_rows("parse_tlds.tsv") for t in tags.split()}
    assert tags == {"generic", "common", "second"}
    groups = {cc for _, ccs, *_ in data.read_rows("parse_street_words.tsv") for cc in ccs.split()}
    assert groups == set(lexicon.STREET_WORDS)
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9\-]*\.(?:[a-z]+|\*)", d)
               for d in data.webmail_domains())


_READS = """
import collections, json
from cardpipe import data
reads = collections.Counter()
read_lines = data.read_lines
def counting(name):
    reads[name] += 1
    return read_lines(name)
data.read_lines = counting
from cardpipe.contact import Contact
from cardpipe.match import MatchIndex, decide, load_model
from cardpipe.merge import merge
from cardpipe.parse import parse_page
from cardpipe.scan.page import OcrPage
for _ in range(2):
    card = parse_page(OcrPage.from_lines(["Anna Schmidt", "ACME GmbH", "Hauptstr. 5",
                                          "10115 Berlin", "info@acme.de", "Tel. 030 123456"]))
    model = load_model()
    book = MatchIndex([Contact(full_name="Anna Schmidt", company="Acme AG", uid="a")], model)
    decide(card, book, model)
    merge(Contact(full_name="Anna Schmidt", company="ACME AG"), card)
print(json.dumps(reads))
"""


def test_each_list_is_read_once_by_parse_and_match_together() -> None:
    out = subprocess.run([sys.executable, "-c", _READS], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[1])
    reads = json.loads(out.stdout)
    assert {"legal_forms.tsv", "webmail_domains.txt", "shared_mailboxes.txt"} <= set(reads)
    assert set(reads.values()) == {1}, reads


# -- one list for the parser and the matcher -----------------------------------------------


@pytest.mark.parametrize("form", [f.form for f in data.legal_forms()])
def test_a_legal_form_the_parser_knows_is_a_suffix_the_matcher_strips(form: str) -> None:
    # (in capitals, as cards often print a company: 'eG' alone would be too short a word)
    assert lexicon.legal_suffix(f"ACME {form.upper()}") == form.upper()
    assert company_key(f"Acme {form}", MODEL.company_suffixes) == "acme"


def test_the_parser_reads_legal_forms_with_and_without_dots() -> None:
    assert lexicon.legal_suffix("Taliercio S.r.l") == "S.r.l"  # the final dot lost
    assert lexicon.legal_suffix("Taliercio Srl") == "Srl"
    assert lexicon.legal_suffix("Harding Pty Ltd") == "Pty Ltd"
    assert lexicon.legal_suffix("Harding Pty. Ltd.") == "Pty. Ltd."
    assert lexicon.legal_suffix("Chen Trading Co.,Ltd.") == "Co.,Ltd."
    assert lexicon.legal_suffix("Müller UG (haftungsbeschrankt)") == "UG (haftungsbeschrankt)"
    assert lexicon.legal_suffix("ACME Holding GmbH & Co. KG") == "GmbH & Co. KG"
    assert lexicon.legal_suffix("Tejada S.A. de C.V.") == "S.A. de C.V."  # the longest form
    assert lexicon.legal_suffix("Anna S. L. Jackson") is None  # initials are no legal form
    assert lexicon.legal_suffix("Sa Bicicleta") is None  # a short word only at the end


def test_legal_forms_point_to_their_country() -> None:
    assert lexicon.legal_region("Weber e.K.") == "DE"
    assert lexicon.legal_region("Harding Pty Ltd") == "AU"
    assert lexicon.legal_region("Harding Ltd") == "GB"
    assert lexicon.legal_region("Rossi S.r.l") == "IT"
    assert lexicon.legal_region("Dupont S.A.") is None  # several countries


@pytest.mark.parametrize("domain", data.webmail_domains())
def test_a_webmail_domain_is_no_employer_to_either(domain: str) -> None:
    for host in ([domain[:-2] + ".com", domain[:-2] + ".co.uk"] if domain.endswith(".*")
                 else [domain]):
        assert registrable_label(host) is None, host  # the parser: no company's name
        assert MODEL.is_free_domain(host), host  # the matcher: no shared employer


@pytest.mark.parametrize("mailbox", sorted(data.shared_mailboxes()))
def test_a_shared_mailbox_is_one_to_both(mailbox: str) -> None:
    assert mailbox in MODEL.role_email_locals
    printed = f"E{mailbox}@rinaldivia.eu"  # the envelope icon read as 'E'
    got = parse(["Claudia Rinaldi", printed]).emails[0].address
    if "e" + mailbox in lexicon.FIELD_LABELS:  # 'email@', 'epost@' are addresses
        assert got.lower() == printed.lower()
    else:
        assert got == f"{mailbox}@rinaldivia.eu"


def test_the_model_file_carries_no_word_lists_and_uses_the_shared_ones() -> None:
    raw = json.loads(resources.files("cardpipe").joinpath("data/match_model.json").read_text())
    assert "words" not in raw
    assert MODEL.company_suffixes == normalize.legal_suffixes()
    assert MODEL.role_email_locals == data.shared_mailboxes()
    assert MODEL.is_free_domain("gmx.at") and MODEL.is_free_domain("hotmail.es")
    assert not MODEL.is_free_domain("acme-solutions.de")


def test_an_older_model_file_with_its_own_words_keeps_them() -> None:
    raw = json.loads(resources.files("cardpipe").joinpath("data/match_model.json").read_text())
    raw["words"] = {"free_email_domains": ["example.org"], "role_email_locals": ["desk"],
                    "company_suffixes": ["gmbh"]}
    model = model_from_dict(raw, "old.json")
    assert model.is_free_domain("example.org") and not model.is_free_domain("web.de")
    assert model.is_free_domain("gmail.com")  # (the list it does not carry: the shared one)
    assert model.role_email_locals == {"desk"}
    assert company_key("Acme GmbH & Co. KG", model.company_suffixes) == "acme gmbh and co kg"
    contact = Contact(full_name="Anna Berg", emails=(Email("desk@acme.org"),))
    assert normalize.features(contact, model).emails[0].role
