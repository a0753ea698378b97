"""Emails, websites and social profiles, with OCR slips repaired."""

from __future__ import annotations

import pytest

from cardpipe.parse.web import confusable_key, repair_domain

from .conftest import parse


@pytest.mark.parametrize(
    "printed",
    ["anna.schmidt@acme.de", "anna.schmidt©acme.de", "anna.schmidt(at)acme.de",
     "anna.schmidt [at] acme.de", "anna.schmidt@acme,de", "anna.schmidt @ acme. de",
     "Anna.Schmidt@ACME.DE", "anna.schmidt®acme.de", "anna.schmidt@acme .de"],
)
def test_email_ocr_confusions_are_repaired(printed: str) -> None:
    emails = [e.address.lower() for e in parse([f"E-Mail: {printed}"]).emails]
    assert emails == ["anna.schmidt@acme.de"]


def test_digit_zero_in_a_domain_is_the_letter_o() -> None:
    assert repair_domain("g0ogle.c0m") == "google.com"
    assert [e.address for e in parse(["info@exampl0.c0m"]).emails] == ["info@examplo.com"]


def test_rn_for_m_is_unified_between_email_and_website() -> None:
    contact = parse(["j.doe@exarnple.com", "www.example.com"])
    assert [e.address for e in contact.emails] == ["j.doe@example.com"]
    assert contact.websites == ("www.example.com",)
    assert confusable_key("exarnple") == confusable_key("example")


@pytest.mark.parametrize(
    ("printed", "expected"),
    [("www.acme.com", "www.acme.com"), ("acme-solutions.de", "acme-solutions.de"),
     ("https://www.acme.io/", "https://www.acme.io"), ("WWW.ACME.CO.UK", "www.acme.co.uk"),
     ("www. acme. com", "www.acme.com"), ("www,acme,com", "www.acme.com"),
     ("Web: www.acme.com", "www.acme.com"), ("http;//acme.com/team", "http://acme.com/team")],
)
def test_websites_are_normalised_as_printed(printed: str, expected: str) -> None:
    assert parse([printed]).websites == (expected,)


def test_web_in_a_title_is_not_a_url() -> None:
    contact = parse(["Lena Fischer", "Head of Web & Mobile", "lena@fischer-web.de"])
    assert contact.websites == ()
    assert contact.title == "Head of Web & Mobile"


def test_company_abbreviations_are_not_websites() -> None:
    contact = parse(["Müller & Co.KG", "Dipl.-Ing. Hans Müller", "z.B. Beratung"])
    assert contact.websites == ()


def test_email_domain_is_not_also_a_website() -> None:
    assert parse(["anna@acme.de"]).websites == ()


@pytest.mark.parametrize(
    ("printed", "service", "handle"),
    [("linkedin.com/in/anna-schmidt", "linkedin", "anna-schmidt"),
     ("https://www.linkedin.com/in/anna-schmidt-1a2b3c/", "linkedin", "anna-schmidt-1a2b3c"),
     ("/in/annaschmidt", "linkedin", "annaschmidt"),
     ("LinkedIn: anna-schmidt", "linkedin", "anna-schmidt"),
     ("x.com/aschmidt", "twitter", "aschmidt"), ("twitter.com/aschmidt", "twitter", "aschmidt"),
     ("X: @aschmidt", "twitter", "aschmidt"), ("Twitter @aschmidt", "twitter", "aschmidt"),
     ("github.com/aschmidt", "github", "aschmidt"), ("GitHub: @a-schmidt", "github", "a-schmidt"),
     ("instagram.com/anna.schmidt", "instagram", "anna.schmidt"),
     ("Instagram @anna_schmidt.studio", "instagram", "anna_schmidt.studio"),
     ("xing.com/profile/Anna_Schmidt", "xing", "Anna_Schmidt"),
     ("XING: Anna_Schmidt", "xing", "Anna_Schmidt")],
)
def test_social_profiles_and_handles(printed: str, service: str, handle: str) -> None:
    contact = parse([printed])
    assert [(s.service, s.handle) for s in contact.social] == [(service, handle)]
    assert contact.websites == ()


def test_social_label_cut_off_by_a_separator() -> None:
    contact = parse(["GitHub | @aschmidt"])
    assert [(s.service, s.handle) for s in contact.social] == [("github", "aschmidt")]


def test_unlabelled_at_handle_with_a_dot_is_instagram() -> None:
    assert [s.service for s in parse(["@anna.schmidt"]).social] == ["instagram"]


def test_linkedin_company_page_is_a_website_not_a_person() -> None:
    contact = parse(["linkedin.com/company/acme"])
    assert contact.social == ()
    assert contact.websites == ("linkedin.com/company/acme",)


def test_email_is_not_read_as_a_handle() -> None:
    contact = parse(["anna@acme.de"])
    assert contact.social == ()


def test_capitalised_bare_domain_is_a_website() -> None:
    assert parse(["Watsondesign.co.uk"]).websites == ("watsondesign.co.uk",)


def test_handle_after_a_social_label_is_not_an_email() -> None:
    contact = parse(["Instagram @anna.schmidt.studio"])
    assert contact.emails == ()
    assert [(s.service, s.handle) for s in contact.social] == [
        ("instagram", "anna.schmidt.studio")]


def test_unlabelled_at_handle_with_a_hyphen_is_github() -> None:
    assert [s.service for s in parse(["@anna-schmidt"]).social] == ["github"]


def test_website_tld_misread_is_unified_with_the_email_domain() -> None:
    contact = parse(["info@verkade-bouw.nl", "verkade-bouw.ni"])
    assert contact.websites == ("verkade-bouw.nl",)


def test_at_sign_read_as_a_letter_is_rebuilt_from_the_website_domain() -> None:
    contact = parse(["E: jennifer. davilaMandersonrivera.com", "www.andersonrivera.com"])
    assert [e.address for e in contact.emails] == ["jennifer.davila@andersonrivera.com"]


def test_scheme_with_a_space_between_the_slashes() -> None:
    assert parse(["https: / /www.beckmannanders.de"]).websites == ("https://www.beckmannanders.de",)


def test_space_read_inside_an_email_local_part() -> None:
    contact = parse(["E. pauline _gibbs@rice-dyer.uk"])
    assert [e.address for e in contact.emails] == ["pauline_gibbs@rice-dyer.uk"]
