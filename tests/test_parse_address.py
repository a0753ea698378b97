"""Addresses: postcode patterns per country, street above, country after, one line."""

from __future__ import annotations

import pytest

from cardpipe.parse import parse_page
from cardpipe.scan.page import OcrPage


def address(lines: list[str]):
    c = parse_page(OcrPage.from_lines(["Ada Lovelace", *lines]))
    assert c.addresses, c.note
    return c.addresses[0]


@pytest.mark.parametrize(
    ("lines", "street", "postcode", "city", "region", "country"),
    [
        (["Hauptstraße 12", "10115 Berlin"], "Hauptstraße 12", "10115", "Berlin", "", ""),
        (["Bahnhofstrasse 1", "CH-8001 Zürich", "Schweiz"], "Bahnhofstrasse 1", "8001",
         "Zürich", "", "Schweiz"),
        (["Stephansplatz 1", "A-1010 Wien"], "Stephansplatz 1", "1010", "Wien", "", ""),
        (["12 rue de la Paix", "75002 Paris Cedex 02", "France"], "12 rue de la Paix", "75002",
         "Paris Cedex 02", "", "France"),
        (["Calle Mayor 5", "28013 Madrid", "España"], "Calle Mayor 5", "28013", "Madrid", "",
         "España"),
        (["Via Roma 10", "00184 Roma (RM)"], "Via Roma 10", "00184", "Roma", "RM", ""),
        (["Keizersgracht 123", "1015 CJ Amsterdam"], "Keizersgracht 123", "1015 CJ",
         "Amsterdam", "", ""),
        (["Rue de la Loi 16", "1000 Bruxelles", "Belgique"], "Rue de la Loi 16", "1000",
         "Bruxelles", "", "Belgique"),
        (["10 Downing Street", "London SW1A 2AA"], "10 Downing Street", "SW1A 2AA", "London",
         "", ""),
        (["221B Baker Street", "London, NW1 6XE", "United Kingdom"], "221B Baker Street",
         "NW1 6XE", "London", "", "United Kingdom"),
        (["1600 Amphitheatre Parkway", "Mountain View, CA 94043", "USA"],
         "1600 Amphitheatre Parkway", "94043", "Mountain View", "CA", "USA"),
        (["1-2-3 Marunouchi, Chiyoda-ku", "Tokyo 100-0005", "Japan"],
         "1-2-3 Marunouchi, Chiyoda-ku", "100-0005", "Tokyo", "", "Japan"),
    ],
)
def test_address_parts_by_country(lines, street, postcode, city, region, country) -> None:
    a = address(lines)
    assert (a.street, a.postcode, a.locality, a.region, a.country) == (
        street, postcode, city, region, country)


def test_address_on_one_line_with_separators() -> None:
    a = address(["Hauptstraße 12 · 10115 Berlin · Deutschland"])
    assert a.one_line() == "Hauptstraße 12, 10115 Berlin, Deutschland"


def test_us_address_on_one_line_with_commas() -> None:
    a = address(["500 W 2nd St, Austin, TX 78701"])
    assert (a.street, a.locality, a.region, a.postcode) == ("500 W 2nd St", "Austin", "TX",
                                                            "78701")


def test_suite_and_floor_go_to_the_extended_part() -> None:
    a = address(["350 Fifth Avenue, Floor 3", "New York, NY 10118"])
    assert (a.street, a.extended) == ("350 Fifth Avenue", "Floor 3")
    b = address(["Studio 6", "Neil Oval", "Leeds LS1 4AP"])
    assert (b.street, b.extended) == ("Neil Oval", "Studio 6")


def test_po_box() -> None:
    a = address(["PO Box 123", "Austin, TX 78701"])
    assert (a.po_box, a.street) == ("PO Box 123", "")


def test_street_number_first_is_not_a_postcode() -> None:
    a = address(["1600 Amphitheatre Parkway", "Mountain View, CA 94043"])
    assert a.street == "1600 Amphitheatre Parkway"


def test_country_of_a_five_digit_postcode_decides_the_phone_region() -> None:
    c = parse_page(OcrPage.from_lines(["Ada Lovelace", "Calle Mayor 5", "28013 Madrid",
                                       "Tel. 912 345 678"]))
    assert [p.number for p in c.phones] == ["+34912345678"]


def test_name_and_title_lines_above_are_not_the_street() -> None:
    c = parse_page(OcrPage.from_lines(["Ada Lovelace", "Analyst", "10115 Berlin"]))
    assert c.addresses[0].street == ""
    assert c.title == "Analyst"


def test_italian_street_with_the_number_after_a_comma_and_a_country() -> None:
    a = address(["Stretto Imelda, 57, 26842 Zoldo Alto, Italy"])
    assert (a.street, a.postcode, a.locality, a.country) == ("Stretto Imelda, 57", "26842",
                                                             "Zoldo Alto", "Italy")
