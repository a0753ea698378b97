"""The CardDAV client against a real Radicale server (see radicale_server.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cardpipe.errors import AuthError, ConfigError, ExitCode, ServerError
from cardpipe.sync.carddav import CardDAVClient, PreconditionFailed, canonical_href
from cardpipe.vcard import canonical_lines, content_key, server_safe
from tests.radicale_server import RadicaleServer, radicale, self_signed_certificate  # noqa: F401

CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:Jane Doe\r\nN:Doe;Jane;;;\r\n"
    "item1.EMAIL;type=INTERNET;type=WORK:jane@example.com\r\nitem1.X-ABLabel:work\r\n"
    "tel;TYPE=cell:+49 170 1234567\r\nNOTE:Met at Expo on 2024-05-01\\nsecond line\\, with "
    "comma\r\nORG:ACME\\, Inc.;Sales\r\nADR;TYPE=work:;;Main St 1;Berlin;;10115;Germany\r\n"
    "END:VCARD\r\n"
)


def _client(server: RadicaleServer, url: str | None = None, password: str | None = None
            ) -> CardDAVClient:
    return CardDAVClient(url or server.book_url, username=server.user,
                         password=password or server.password, timeout=5)


@pytest.mark.parametrize("where", ["root", "home", "book"])
def test_discover_finds_the_address_book_from_root_home_or_itself(
    radicale: RadicaleServer, where: str  # noqa: F811
) -> None:
    radicale.make_book()
    url = {"root": radicale.base_url, "home": radicale.base_url + "alice/",
           "book": radicale.book_url}[where]
    with _client(radicale, url) as client:
        assert client.discover() == radicale.book_url


def test_discover_without_an_address_book_is_a_config_error(
    radicale: RadicaleServer,  # noqa: F811
) -> None:
    with _client(radicale, radicale.base_url) as client, pytest.raises(ConfigError) as info:
        client.discover()
    assert "no address book found" in str(info.value)


def test_create_list_fetch_and_update_with_etags(radicale: RadicaleServer) -> None:  # noqa: F811
    radicale.make_book()
    with _client(radicale) as client:
        assert client.list_etags() == {}
        href = client.href_for("jane-1")
        etag = client.put(href, CARD.format(uid="jane-1"))
        assert etag
        assert client.list_etags() == {href: etag}
        [card] = client.fetch([href])
        assert card.href == href and card.etag == etag
        # Radicale rewrote it (order, case, parameters) but the content is the same.
        assert card.text.replace("\r\n", "\n") != CARD.format(uid="jane-1").replace("\r\n", "\n")
        assert content_key(card.text) == content_key(CARD.format(uid="jane-1"))
        updated = CARD.format(uid="jane-1").replace("Sales", "Marketing")
        new_etag = client.put(href, updated, etag=etag)
        assert new_etag and new_etag != etag
        assert content_key(client.fetch([href])[0].text) == content_key(updated)


def test_create_over_an_existing_card_is_refused(radicale: RadicaleServer) -> None:  # noqa: F811
    radicale.make_book()
    with _client(radicale) as client:
        href = client.href_for("jane-1")
        client.put(href, CARD.format(uid="jane-1"))
        with pytest.raises(PreconditionFailed):
            client.put(href, CARD.format(uid="jane-1"))


def test_update_with_a_stale_etag_is_refused_and_keeps_the_server_edit(
    radicale: RadicaleServer,  # noqa: F811
) -> None:
    radicale.make_book()
    with _client(radicale) as client:
        href = client.href_for("jane-1")
        old = client.put(href, CARD.format(uid="jane-1"))
        assert old
        phone_edit = CARD.format(uid="jane-1").replace("Jane Doe", "Jane Q. Doe")
        client.put(href, phone_edit, etag=old)
        with pytest.raises(PreconditionFailed) as info:
            client.put(href, CARD.format(uid="jane-1").replace("Sales", "X"), etag=old)
        assert info.value.status == 412
        assert content_key(client.fetch([href])[0].text) == content_key(phone_edit)


def test_fetch_many_cards_in_batches(radicale: RadicaleServer,  # noqa: F811
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import cardpipe.sync.carddav as carddav

    monkeypatch.setattr(carddav, "MULTIGET_BATCH", 3)
    radicale.make_book()
    with _client(radicale) as client:
        hrefs = [client.href_for(f"u{i}") for i in range(7)]
        for i, href in enumerate(hrefs):
            client.put(href, CARD.format(uid=f"u{i}"))
        cards = client.fetch(hrefs)
        assert sorted(c.href for c in cards) == sorted(hrefs)
        assert all(f"UID:u{hrefs.index(c.href)}" in c.text for c in cards)


def test_get_of_a_missing_card_is_none(radicale: RadicaleServer) -> None:  # noqa: F811
    radicale.make_book()
    with _client(radicale) as client:
        assert client.get(client.href_for("nobody")) is None


def test_a_put_without_uid_or_with_two_cards_is_refused_before_sending() -> None:
    client = CardDAVClient("http://127.0.0.1:9/book/")
    client.book_url = client.url
    no_uid = CARD.replace("UID:{uid}\r\n", "")
    with pytest.raises(ValueError, match="UID"):
        client.put("/book/a.vcf", no_uid)
    with pytest.raises(ValueError, match="one card"):
        client.put("/book/a.vcf", CARD.format(uid="a") + CARD.format(uid="b"))


def test_wrong_password_is_an_auth_error_without_the_password(
    radicale: RadicaleServer,  # noqa: F811
) -> None:
    radicale.make_book()
    with _client(radicale, password="wrong-pass-123") as client, \
            pytest.raises(AuthError) as info:
        client.list_etags()
    assert info.value.exit_code == ExitCode.AUTH == 9
    assert "wrong-pass-123" not in info.value.one_line()
    assert radicale.password not in info.value.one_line()


def test_server_down_is_a_server_error(radicale: RadicaleServer) -> None:  # noqa: F811
    radicale.make_book()
    radicale.stop()
    with _client(radicale) as client, pytest.raises(ServerError) as info:
        client.list_etags()
    assert info.value.exit_code == ExitCode.SERVER == 8
    assert "cannot reach the CardDAV server" in str(info.value)


def test_tls_is_verified_by_default(tmp_path: Path) -> None:
    cert, key = self_signed_certificate(tmp_path)
    server = RadicaleServer(tmp_path / "radicale", tls=(cert, key))
    server.start()
    try:
        server.make_book()
        with _client(server) as client, pytest.raises(ServerError, match="TLS certificate"):
            client.list_etags()
        with CardDAVClient(server.book_url, username=server.user, password=server.password,
                           verify=str(cert)) as client:
            assert client.list_etags() == {}
    finally:
        server.stop()


def test_content_key_ignores_what_servers_rewrite() -> None:
    ours = CARD.format(uid="x")
    rewritten = (
        "BEGIN:VCARD\nVERSION:3.0\nUID:x\nADR;TYPE=WORK:;;Main St 1;Berlin;;10115;Germany\n"
        "item1.EMAIL;TYPE=INTERNET,WORK:jane@example.com\nFN:Jane Doe\nN:Doe;Jane;;;\n"
        "NOTE:Met at Expo on 2024-05-01\\Nsecond line\\, with comma\nORG:ACME\\, Inc.;Sales\n"
        "PRODID:-//Radicale//\nREV:20240101T000000Z\n"
        "TEL;TYPE=CELL:+49 170 1234567\nitem1.X-ABLABEL:work\nEND:VCARD\n"
    )
    assert content_key(ours) == content_key(rewritten)
    folded = ours.replace("FN:Jane Doe", "FN:Jane\r\n  Doe")
    assert content_key(folded) == content_key(ours.replace("FN:Jane Doe", "FN:Jane Doe"))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("FN:Jane Doe", "FN:Jane Q. Doe"),
        ("tel;TYPE=cell", "tel;TYPE=work"),
        ("ORG:ACME\\, Inc.;Sales", "ORG:ACME\\, Inc.;Sales;Berlin"),
        ("item1.X-ABLabel:work", "item1.X-ABLabel:home"),
        ("END:VCARD", "BDAY:1980-01-01\r\nEND:VCARD"),
    ],
)
def test_content_key_sees_every_real_change(old: str, new: str) -> None:
    ours = CARD.format(uid="x")
    assert new not in ours
    assert content_key(ours) != content_key(ours.replace(old, new))


def test_canonical_lines_treat_bare_21_parameters_as_types() -> None:
    a = canonical_lines("BEGIN:VCARD\nVERSION:2.1\nTEL;HOME;VOICE:123\nEND:VCARD\n")
    b = canonical_lines("BEGIN:VCARD\nVERSION:2.1\nTEL;TYPE=voice,home:123\nEND:VCARD\n")
    assert a == b


def test_canonical_href_is_one_form_per_path() -> None:
    base = "https://dav.example.com/u/book/"
    assert canonical_href(base, "a%20b.vcf") == canonical_href(base, "/u/book/a b.vcf")
    assert canonical_href(base, "x.vcf") == "/u/book/x.vcf"


def test_server_safe_escapes_bare_commas_and_keeps_the_content() -> None:
    card = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:a\r\nFN:Jane Doe\r\nNOTE:Met at Expo, Lisbon\r\n"
            "ORG:Smith, Jones\r\n  & Partners;Sales\r\nNICKNAME:JD\r\nCATEGORIES:a,b\r\n"
            "N:Doe;Jane;;;\r\nTITLE:already\\, escaped\r\nEND:VCARD\r\n")
    safe = server_safe(card)
    assert "NOTE:Met at Expo\\, Lisbon\r\n" in safe
    assert "ORG:Smith\\, Jones & Partners;Sales\r\n" in safe
    assert "CATEGORIES:a,b\r\n" in safe  # a list: its commas are separators
    assert "TITLE:already\\, escaped\r\n" in safe  # not escaped twice
    assert content_key(safe) == content_key(card)
    untouched = card.replace("NOTE:Met at Expo, Lisbon\r\n", "").replace(
        "ORG:Smith, Jones\r\n  & Partners;Sales\r\n", "")
    assert server_safe(untouched) == untouched  # lines without bare commas keep their bytes


def test_server_safe_folds_long_rewritten_lines_without_splitting_characters() -> None:
    note = "Grüße, " * 30
    card = f"BEGIN:VCARD\nVERSION:3.0\nUID:a\nFN:X\nNOTE:{note}\nEND:VCARD\n"
    safe = server_safe(card)
    assert all(len(line.encode("utf-8")) <= 75 for line in safe.split("\n"))
    assert content_key(safe) == content_key(card)


def test_a_40_data_uri_photo_survives_a_vobject_server_and_keeps_its_content_key(
    radicale: RadicaleServer,  # noqa: F811
) -> None:
    import base64

    from cardpipe.vcard import read_vcards

    jpeg = bytes(range(256)) * 40  # long enough to fold; the bytes are what must survive
    data = base64.b64encode(jpeg).decode()
    card = ("BEGIN:VCARD\r\nVERSION:4.0\r\nUID:p-1\r\nFN:Jane Doe\r\n"
            f"PHOTO:data:image/jpeg;base64,{data}\r\nEND:VCARD\r\n")
    radicale.make_book()
    with _client(radicale) as client:
        href = client.href_for("p-1")
        client.put(href, server_safe(card))
        [back] = client.fetch([href])
    assert content_key(back.text) == content_key(card)
    [read] = read_vcards(back.text, source="server")
    contact = read.contact
    assert contact is not None and contact.photo is not None and contact.photo.data == jpeg
