"""A small CardDAV client over httpx: discover, list ETags, fetch, conditional PUT.

Why our own client and not vdirsyncer
-------------------------------------
We looked at syncing the vdir with vdirsyncer, the well-kept engine for this, and chose a
small client (about 400 lines over httpx, which we already depend on) because:

* **Conflicts are ours to merge.**  vdirsyncer resolves a card changed on both sides by
  taking one side whole (``conflict_resolution = "a wins"`` / ``"b wins"``) or by running
  an external command per card.  cardpipe must never lose an edit made on the phone, so it
  merges field-wise with the same merge policy as everything else (union of emails, phones,
  notes ...) and reports it: that needs the cards in our own ``Contact`` model, in process.
* **The book is not always a vdir.**  cardpipe keeps a single ``.vcf`` or a vdir; vdirsyncer
  only syncs vdirs, so a ``.vcf`` book would need a second copy and two sources of truth.
* **One state, one crash story.**  vdirsyncer keeps its own status folder; we keep the
  ETag and content of every card in the same SQLite ledger as the photos, written only after
  the book is saved, so a SIGKILL at any point is recovered by the next run (see ``sync.py``).
* **Small surface.**  We need a handful of requests: PROPFIND (discovery, which also reads
  the book's ``sync-token`` / ``getctag``; ``getetag`` at Depth 1), REPORT
  ``sync-collection`` (RFC 6578: what changed since the last run's token, so a quiet night
  costs one request) and ``addressbook-multiget``, PUT with ``If-None-Match: *`` (new) or ``If-Match``
  (update), and MKCOL for tests.  No DELETE: a photo deleted locally never deletes a
  contact.  vdirsyncer would add aiohttp, click-log, a config format and a second CLI.

What the client guarantees: TLS verified by default (``verify_tls``); one card per PUT,
each with a UID; 401/403 raise ``AuthError`` (exit 9); connection errors, timeouts and
5xx raise ``ServerError`` (exit 8); 412 raises ``PreconditionFailed`` (someone changed the
card since we last saw it: the caller fetches and merges).  Credentials are passed in by
the caller (config.py reads them from an environment variable, netrc or the keyring) and
never appear in a message, a log line or the ledger.

Servers rewrite what they store (Radicale passes every card through vobject: property
order, name case and parameter syntax change), so cards are compared by ``content_key``,
a canonical form of the content, never by bytes (it and ``server_safe`` are in
``cardpipe.vcard``, with the rest of the vCard code).
"""

from __future__ import annotations

import hashlib
import os
import re
import ssl
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

import httpcore
import httpx

from ..errors import AuthError, ConfigError, ServerError
from ..vcard import content_key as content_key  # sync and its tests import it from here

DAV = "DAV:"
CARD = "urn:ietf:params:xml:ns:carddav"
CS = "http://calendarserver.org/ns/"
NS = {"d": DAV, "c": CARD, "cs": CS}
MULTIGET_BATCH = 100
USER_AGENT = "cardpipe-carddav/1"

_PROPFIND_BOOK = b"""<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav"
            xmlns:cs="http://calendarserver.org/ns/">
  <d:prop><d:resourcetype/><d:displayname/><d:current-user-principal/>
  <c:addressbook-home-set/><d:sync-token/><cs:getctag/></d:prop>
</d:propfind>"""

_PROPFIND_TOKENS = b"""<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/">
  <d:prop><d:sync-token/><cs:getctag/></d:prop>
</d:propfind>"""

_SYNC_COLLECTION = """<?xml version="1.0" encoding="utf-8"?>
<d:sync-collection xmlns:d="DAV:">
  <d:sync-token>{token}</d:sync-token><d:sync-level>1</d:sync-level>
  <d:prop><d:getetag/></d:prop>
</d:sync-collection>"""

_PROPFIND_ETAGS = b"""<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><d:resourcetype/></d:prop></d:propfind>"""

_MKCOL = """<?xml version="1.0" encoding="utf-8"?>
<d:mkcol xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">
  <d:set><d:prop>
    <d:resourcetype><d:collection/><c:addressbook/></d:resourcetype>
    <d:displayname>{name}</d:displayname>
  </d:prop></d:set>
</d:mkcol>"""


@dataclass(frozen=True)
class Tokens:
    """What a collection says about its own version (RFC 6578, CalendarServer ctag)."""

    sync_token: str | None
    ctag: str | None


@dataclass(frozen=True)
class Changes:
    changed: dict[str, str]  # href -> ETag of each card changed or added
    removed: tuple[str, ...]
    token: str  # the token to ask from next time


class UnexpectedStatus(ServerError):
    """The server answered with a status we did not expect (``status``)."""

    def __init__(self, message: str, *, status: int, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status


class PreconditionFailed(UnexpectedStatus):
    """412: the card changed on the server (or exists already) since we last saw it."""


@dataclass(frozen=True)
class RemoteCard:
    href: str
    etag: str | None
    text: str


class CardDAVClient:
    """A CardDAV address book.  ``url`` may be the address book itself, the user's
    address-book home, a principal, or the server root (then ``discover`` looks)."""

    def __init__(
        self,
        url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        verify: bool | str = True,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = url if url.endswith("/") else url + "/"
        self._basic: httpx.BasicAuth | None = None
        self._digest: httpx.DigestAuth | None = None
        if username is not None:
            if password is None:
                raise TypeError("CardDAVClient: a username needs a password")
            self._basic = httpx.BasicAuth(username, password)
            self._digest = httpx.DigestAuth(username, password)
        self._auth: httpx.Auth | None = self._basic
        self.timeout = timeout
        # The timeout bounds each whole request (connect, send, every read, redirects,
        # the digest retry): httpx's own timeouts are per socket operation, so a server
        # sending one byte a second would otherwise never time out (see _DeadlineBackend).
        self._clock = _Deadline()
        if transport is None:
            transport = _DeadlineTransport(_ssl_context(verify), self._clock)
        self._http = httpx.Client(
            verify=_ssl_context(verify),
            timeout=timeout,
            transport=transport,
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT},
        )
        self.book_url: str | None = None
        self._tokens: Tokens | None = None

    # -- plumbing -------------------------------------------------------------------
    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> CardDAVClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _request(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        content: bytes | None = None,
        ok: tuple[int, ...] = (200, 207),
    ) -> httpx.Response:
        self._clock.start(self.timeout)
        try:
            response = self._http.request(
                method, url, headers=headers, content=content,
                auth=self._auth or httpx.USE_CLIENT_DEFAULT,
            )
            if (
                response.status_code == 401
                and self._auth is self._basic
                and self._digest is not None
                and response.headers.get("www-authenticate", "").lower().startswith("digest")
            ):
                self._auth = self._digest
                response = self._http.request(
                    method, url, headers=headers, content=content, auth=self._auth
                )
        except httpx.TimeoutException as exc:
            raise ServerError(
                f"{_safe(url)}: the CardDAV server did not answer within carddav.timeout "
                f"({self.timeout:g} s for the whole {method}; {type(exc).__name__})",
                hint="the next run catches up",
            ) from None
        except httpx.TransportError as exc:
            raise ServerError(
                f"{_safe(url)}: cannot reach the CardDAV server: {_reason(exc)}",
                hint="check carddav.url and the network; the next run catches up",
            ) from None
        except httpx.TooManyRedirects:
            raise ServerError(
                f"{_safe(url)}: the CardDAV server redirects in a loop ({method})",
                hint="check carddav.url and the server's configuration",
            ) from None
        except httpx.DecodingError as exc:
            raise ServerError(
                f"{_safe(url)}: the CardDAV server sent a body that cannot be decoded "
                f"({method}; {' '.join(str(exc).split())[:120]})",
                hint="the next run catches up",
            ) from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise ServerError(
                f"{_safe(url)}: {method} failed: {type(exc).__name__}: "
                f"{' '.join(_safe_text(str(exc)).split())[:160]}",
            ) from None
        finally:
            self._clock.stop()
        status = response.status_code
        if status in ok:
            return response
        if status in (401, 403):
            raise AuthError(
                f"{_safe(url)}: the CardDAV server refused the credentials ({status})",
                hint="check carddav.username and the password source; nothing was changed",
            )
        if status == 412:
            raise PreconditionFailed(f"{_safe(url)}: precondition failed (the card changed "
                                     "on the server)", status=412)
        if status >= 500:
            raise UnexpectedStatus(
                f"{_safe(url)}: the CardDAV server failed: {method} -> {status}",
                status=status, hint="the next run catches up",
            )
        raise UnexpectedStatus(f"{_safe(url)}: {method} -> {status} {response.reason_phrase}",
                               status=status)

    def _propfind(self, url: str, body: bytes, depth: str) -> ET.Element:
        r = self._request(
            "PROPFIND", url,
            headers={"Depth": depth, "Content-Type": "application/xml; charset=utf-8"},
            content=body,
        )
        return _xml(r, url)

    # -- discovery ------------------------------------------------------------------
    def discover(self, known: str | None = None) -> str:
        """Find the address book URL (RFC 6352 / 6764) and remember it. ``known``: the
        book an earlier run found from the same URL, tried first (one request)."""
        if self.book_url:
            return self.book_url
        if known and known != self.url:
            try:
                root = self._propfind(known, _PROPFIND_BOOK, "0")
            except AuthError:
                raise
            except ServerError:
                root = None
            for resp in root.findall("d:response", NS) if root is not None else ():
                prop = _ok_prop(resp)
                if prop is not None and prop.find("d:resourcetype/c:addressbook",
                                                  NS) is not None:
                    self.book_url = self._abs(known, resp)
                    self._tokens = _tokens(prop)
                    return self.book_url
        tried: set[str] = set()
        queue = [self.url]
        while queue:
            url = queue.pop(0)
            if url in tried:
                continue
            tried.add(url)
            try:
                root = self._propfind(url, _PROPFIND_BOOK, "0")
            except ServerError as exc:
                if isinstance(exc, AuthError) or (url == self.url and not _is_404(exc)):
                    raise
                continue
            for resp in root.findall("d:response", NS):
                prop = _ok_prop(resp)
                if prop is None:
                    continue
                if prop.find("d:resourcetype/c:addressbook", NS) is not None:
                    self.book_url = self._abs(url, resp)
                    self._tokens = _tokens(prop)  # the same answer says the book's version
                    return self.book_url
                for href in prop.findall("c:addressbook-home-set/d:href", NS):
                    home = urljoin(url, href.text or "")
                    found = self._books_in(home)
                    if found:
                        self.book_url = found
                        return found
                for href in prop.findall("d:current-user-principal/d:href", NS):
                    queue.append(urljoin(url, href.text or ""))
            if url == self.url:
                # A server root or a home without properties: look at its children,
                # then at the well-known URL.
                found = self._books_in(url)
                if found:
                    self.book_url = found
                    return found
                queue.append(urljoin(url, "/.well-known/carddav"))
        raise ConfigError(
            f"carddav.url: no address book found at {_safe(self.url)}",
            hint="give the address book's own URL, or create one on the server first",
        )

    def _books_in(self, home: str) -> str | None:
        try:
            root = self._propfind(home, _PROPFIND_BOOK, "1")
        except ServerError as exc:
            if isinstance(exc, AuthError) or not _is_404(exc):
                raise
            return None
        books = []
        for resp in root.findall("d:response", NS):
            prop = _ok_prop(resp)
            if prop is not None and prop.find("d:resourcetype/c:addressbook", NS) is not None:
                books.append(self._abs(home, resp))
        if not books:
            return None
        # Several books: prefer the conventional default names, else the first by URL.
        books.sort(key=lambda b: (urlsplit(b).path.rstrip("/").rsplit("/", 1)[-1].lower()
                                  not in ("contacts", "addressbook", "default", "card"), b))
        return books[0]

    def _abs(self, base: str, resp: ET.Element) -> str:
        href = resp.findtext("d:href", default="", namespaces=NS)
        url = urljoin(base, href)
        return url if url.endswith("/") else url + "/"

    def create_addressbook(self, url: str, displayname: str = "Contacts") -> str:
        """MKCOL an address book (extended MKCOL, RFC 5689); returns its URL."""
        url = url if url.endswith("/") else url + "/"
        name = displayname.replace("&", "&amp;").replace("<", "&lt;")
        self._request("MKCOL", url, content=_MKCOL.format(name=name).encode(),
                      headers={"Content-Type": "application/xml; charset=utf-8"}, ok=(201,))
        return url

    # -- change tokens ------------------------------------------------------------------
    def tokens(self) -> Tokens:
        """The collection's RFC 6578 ``sync-token`` and CalendarServer ``getctag`` (either
        None when the server offers none): one PROPFIND that tells whether anything
        changed since a run that saw the same token."""
        book = self.discover()
        if self._tokens is not None:  # read with the discovery just now
            tokens, self._tokens = self._tokens, None
            return tokens
        root = self._propfind(book, _PROPFIND_TOKENS, "0")
        for resp in root.findall("d:response", NS):
            prop = _ok_prop(resp)
            if prop is not None:
                return _tokens(prop)
        return Tokens(None, None)

    def changes_since(self, token: str) -> Changes | None:
        """What changed in the book since ``token`` (RFC 6578 ``sync-collection``): the
        changed or new cards with their ETags, the removed ones, and the new token.
        None when the server no longer knows the token or refuses the report (the caller
        lists the whole book instead)."""
        book = self.discover()
        body = _SYNC_COLLECTION.format(token=_xml_escape(token)).encode()
        try:
            r = self._request("REPORT", book, content=body, headers={
                "Depth": "0", "Content-Type": "application/xml; charset=utf-8"})
        except AuthError:  # 403 is how RFC 6578 says "valid-sync-token" failed
            return None
        except UnexpectedStatus as exc:
            if exc.status >= 500:
                raise
            return None  # 409, 400, 501: the server cannot tell; list the book instead
        root = _xml(r, book)
        changed: dict[str, str] = {}
        removed: list[str] = []
        book_path = canonical_href(book, book)
        for resp in root.findall("d:response", NS):
            href = canonical_href(book, resp.findtext("d:href", default="", namespaces=NS))
            if href == book_path:
                continue
            status = resp.findtext("d:status", default="", namespaces=NS)
            if " 404" in status:
                removed.append(href)
                continue
            prop = _ok_prop(resp)
            if prop is None or prop.find("d:resourcetype/d:collection", NS) is not None:
                continue
            changed[href] = prop.findtext("d:getetag", default="", namespaces=NS).strip()
        new = (root.findtext("d:sync-token", default="", namespaces=NS) or "").strip()
        if not new:
            return None
        return Changes(changed, tuple(removed), new)

    # -- reading ----------------------------------------------------------------------
    def list_etags(self) -> dict[str, str]:
        """href (a path, percent-encoded canonically) -> ETag of every card in the book."""
        book = self.discover()
        root = self._propfind(book, _PROPFIND_ETAGS, "1")
        out: dict[str, str] = {}
        book_path = canonical_href(book, book)
        for resp in root.findall("d:response", NS):
            href = canonical_href(book, resp.findtext("d:href", default="", namespaces=NS))
            prop = _ok_prop(resp)
            if href == book_path or prop is None:
                continue
            if prop.find("d:resourcetype/d:collection", NS) is not None:
                continue
            etag = prop.findtext("d:getetag", default="", namespaces=NS).strip()
            out[href] = etag
        return out

    def fetch(self, hrefs: Iterable[str]) -> list[RemoteCard]:
        """The cards at ``hrefs`` (addressbook-multiget in batches; GET as a fallback)."""
        book = self.discover()
        wanted = list(dict.fromkeys(hrefs))
        out: list[RemoteCard] = []
        for batch in _batches(wanted, MULTIGET_BATCH):
            got = self._multiget(book, batch)
            out.extend(got)
            missing = set(batch) - {c.href for c in got}
            for href in batch:
                if href in missing:
                    card = self.get(href)
                    if card is not None:
                        out.append(card)
        return out

    def _multiget(self, book: str, hrefs: list[str]) -> list[RemoteCard]:
        body = ['<?xml version="1.0" encoding="utf-8"?>',
                '<c:addressbook-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">',
                "<d:prop><d:getetag/><c:address-data/></d:prop>"]
        body += [f"<d:href>{_xml_escape(h)}</d:href>" for h in hrefs]
        body.append("</c:addressbook-multiget>")
        r = self._request(
            "REPORT", book,
            headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
            content="\n".join(body).encode(),
        )
        cards = []
        for resp in _xml(r, book).findall("d:response", NS):
            prop = _ok_prop(resp)
            if prop is None:
                continue
            text = prop.findtext("c:address-data", default=None, namespaces=NS)
            if text is None:
                continue
            href = canonical_href(book, resp.findtext("d:href", default="", namespaces=NS))
            etag = prop.findtext("d:getetag", default="", namespaces=NS).strip() or None
            cards.append(RemoteCard(href, etag, text))
        return cards

    def get(self, href: str) -> RemoteCard | None:
        """GET one card; None when it is gone (404)."""
        book = self.discover()
        try:
            r = self._request("GET", urljoin(book, href), ok=(200,))
        except ServerError as exc:
            if _is_404(exc):
                return None
            raise
        return RemoteCard(href, r.headers.get("etag"), r.text)

    # -- writing ------------------------------------------------------------------------
    def put(self, href: str, text: str, *, etag: str | None = None) -> str | None:
        """Upload one card.  ``etag`` None: create (``If-None-Match: *``); else update
        (``If-Match``).  Returns the new ETag when the server says it.  Raises
        ``PreconditionFailed`` when the card exists / changed meanwhile."""
        if len(_BEGIN.findall(text)) != 1 or not _HAS_UID.search(text):
            raise ValueError(f"{href}: a PUT carries exactly one card, with a UID")
        book = self.discover()
        headers = {"Content-Type": "text/vcard; charset=utf-8"}
        if etag is None:
            headers["If-None-Match"] = "*"
        else:
            headers["If-Match"] = etag
        r = self._request("PUT", urljoin(book, href), headers=headers,
                          content=text.encode("utf-8"), ok=(200, 201, 204))
        return r.headers.get("etag")

    def href_for(self, uid: str) -> str:
        """The href for a new card: its UID when that is URL-safe, else a hash of it."""
        book = self.discover()
        name = uid if _SAFE_NAME.fullmatch(uid) else hashlib.sha256(uid.encode()).hexdigest()[:32]
        return canonical_href(book, name + ".vcf")


_BEGIN = re.compile(r"^BEGIN[ \t]*:[ \t]*VCARD[ \t]*\r?$", re.M | re.I)  # not in a value
_HAS_UID = re.compile(r"^(?:[A-Za-z0-9-]+\.)?UID[;:]\s*\S", re.M | re.I)
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,120}")


def canonical_href(base: str, href: str) -> str:
    """The path of ``href`` (relative to ``base``), percent-encoded one canonical way."""
    path = urlsplit(urljoin(base, href)).path
    return quote(unquote(path), safe="/@:+,;=!$&'()*~")


# -- one deadline per request ---------------------------------------------------------------


class _Deadline:
    """The monotonic deadline of the request in progress (None: none in progress)."""

    def __init__(self) -> None:
        self.at: float | None = None

    def start(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds

    def stop(self) -> None:
        self.at = None

    def clip(self, timeout: float | None, error: type[Exception]) -> float | None:
        """``timeout`` cut to what is left of the request's time; ``error`` when none is."""
        if self.at is None:
            return timeout
        left = self.at - time.monotonic()
        if left <= 0:
            raise error("the request's deadline passed")
        return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write ends by the request's deadline."""

    def __init__(self, stream: httpcore.NetworkStream, clock: _Deadline) -> None:
        self._stream = stream
        self._clock = clock

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._clock.clip(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._clock.clip(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        tls = self._stream.start_tls(ssl_context, server_hostname,
                                     self._clock.clip(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(tls, self._clock)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, clock: _Deadline) -> None:
        self._backend = httpcore.SyncBackend()
        self._clock = clock

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._backend.connect_tcp(
            host, port, self._clock.clip(timeout, httpcore.ConnectTimeout),
            local_address, socket_options,
        )
        return _DeadlineStream(stream, self._clock)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._backend.connect_unix_socket(
            path, self._clock.clip(timeout, httpcore.ConnectTimeout), socket_options
        )
        return _DeadlineStream(stream, self._clock)

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class _DeadlineTransport(httpx.HTTPTransport):
    """httpx's own transport, its connections made by ``_DeadlineBackend``."""

    def __init__(self, verify: bool | ssl.SSLContext, clock: _Deadline) -> None:
        super().__init__(verify=verify)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify),
            network_backend=_DeadlineBackend(clock),
        )


# -- helpers --------------------------------------------------------------------------------


def _ssl_context(verify: bool | str) -> bool | ssl.SSLContext:
    """True (system CAs), False (no verification), or a context for a CA bundle path."""
    if isinstance(verify, bool):
        return verify
    if os.path.isdir(verify):
        return ssl.create_default_context(capath=verify)
    return ssl.create_default_context(cafile=verify)


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _xml(response: httpx.Response, url: str) -> ET.Element:
    try:
        return ET.fromstring(response.content)
    except ET.ParseError as exc:
        raise ServerError(f"{_safe(url)}: the server sent XML we cannot read: {exc}") from None


def _ok_prop(resp: ET.Element) -> ET.Element | None:
    for propstat in resp.findall("d:propstat", NS):
        status = propstat.findtext("d:status", default="", namespaces=NS)
        if " 200 " in f"{status} ":
            return propstat.find("d:prop", NS)
    return None


def _tokens(prop: ET.Element) -> Tokens:
    token = (prop.findtext("d:sync-token", default="", namespaces=NS) or "").strip()
    ctag = (prop.findtext("cs:getctag", default="", namespaces=NS) or "").strip()
    return Tokens(token or None, ctag or None)


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _is_404(exc: ServerError) -> bool:
    return isinstance(exc, UnexpectedStatus) and exc.status in (404, 405, 410)


def _safe(url: str) -> str:
    """The URL without any user info (never print credentials)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return f"{parts.scheme}://{host}{parts.path}"


def _safe_text(text: str) -> str:
    """``text`` with the user info taken out of every URL in it."""
    return re.sub(r"(\w+://)[^/@\s]*@", r"\1", text)


def _reason(exc: httpx.TransportError) -> str:
    text = str(exc) or type(exc).__name__
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
        return ("TLS certificate verification failed (set carddav.verify_tls to a CA bundle "
                "path for a private CA)")
    return " ".join(text.split())[:200]
