"""The Contact type: its photo and the JSON round trips."""

from __future__ import annotations

import json

import pytest

from cardpipe.contact import Contact, Email, Photo

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40 + b"\xff\xd9"


def test_contact_with_a_photo_survives_to_dict_json_and_from_dict() -> None:
    c = Contact(full_name="Jane Doe", emails=(Email("jane@example.com"),),
                photo=Photo(JPEG, "image/jpeg"))
    d = json.loads(json.dumps(c.to_dict()))
    assert d["photo"]["media_type"] == "image/jpeg"
    assert isinstance(d["photo"]["base64"], str)
    assert Contact.from_dict(d) == c


def test_a_photo_given_by_uri_round_trips_without_data() -> None:
    c = Contact(full_name="Jane", photo=Photo(media_type="", uri="https://example.com/j.jpg"))
    d = c.to_dict()
    assert d["photo"] == {"media_type": "", "uri": "https://example.com/j.jpg"}
    assert Contact.from_dict(d) == c


def test_a_contact_without_a_photo_has_photo_none_in_its_dict() -> None:
    c = Contact(full_name="Jane")
    assert c.to_dict()["photo"] is None
    assert Contact.from_dict(c.to_dict()).photo is None
    assert Contact.from_dict({"full_name": "Jane"}).photo is None  # older dicts


def test_the_scan_dict_never_carries_the_photo() -> None:
    c = Contact(full_name="Jane", photo=Photo(JPEG))
    assert "photo" not in c.to_scan_dict()
    assert "base64" not in json.dumps(c.to_scan_dict())


def test_photo_repr_does_not_print_the_bytes() -> None:
    text = repr(Contact(full_name="Jane", photo=Photo(JPEG)))
    assert f"Photo(image/jpeg, {len(JPEG)} bytes)" in text
    assert len(text) < 600


@pytest.mark.parametrize("kwargs", [{}, {"data": b"x", "uri": "https://example.com/a.jpg"}])
def test_a_photo_has_either_data_or_a_uri(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        Photo(**kwargs)


def test_photos_compare_by_content() -> None:
    assert Photo(JPEG) == Photo(bytes(JPEG), "image/jpeg")
    assert Photo(JPEG) != Photo(JPEG, "image/png")
    assert Contact(full_name="A", photo=Photo(JPEG)) != Contact(full_name="A")
