"""A real Xandikos CardDAV server for tests: the second server the sync is tried against.

Xandikos (PyPI, a dev dependency) stores each collection as a Git repository and rewrites
less than Radicale does, but answers differently where the RFCs leave room (ETags, refusals
of cards it cannot parse, sync tokens). ``XandikosServer`` has the interface of
``radicale_server.RadicaleServer`` that the sync tests use: ``base_url``, ``book_url``,
``make_book()``, ``client()``, ``items()``, ``start()`` / ``stop()``. It runs without
authentication (Xandikos leaves that to a reverse proxy, or needs TLS for Basic auth): the
client's credentials are sent and ignored.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import httpx

from tests.radicale_server import PASSWORD, USER, free_port, start_server, stop_server

_XML = {"Content-Type": "application/xml; charset=utf-8"}
_PROPFIND = b"""<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>"""


@dataclass
class XandikosServer:
    root: Path
    port: int = field(default_factory=free_port)
    user: str = USER
    password: str = PASSWORD
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def book_url(self) -> str:
        return f"{self.base_url}user/contacts/addressbook/"

    def start(self, timeout: float = 20.0) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.process = start_server(
            [sys.executable, "-m", "xandikos", "serve", "-d", str(self.root / "data"),
             "--defaults", "-l", "127.0.0.1", "-p", str(self.port),
             "--state-dir", str(self.root / "state")],
            self.root / "xandikos.log", self.base_url, timeout)

    def stop(self) -> None:
        stop_server(self.process)
        self.process = None

    def client(self) -> httpx.Client:
        return httpx.Client(auth=(self.user, self.password), timeout=10)

    def make_book(self) -> str:
        """``--defaults`` made the address book when the server started."""
        with self.client() as c:
            r = c.request("PROPFIND", self.book_url, headers={"Depth": "0", **_XML}, content=_PROPFIND)
            assert r.status_code == 207, r.text
        return self.book_url

    def items(self) -> dict[str, str]:
        """File name -> stored vCard text, as the server hands it out."""
        out: dict[str, str] = {}
        with self.client() as c:
            r = c.request("PROPFIND", self.book_url, headers={"Depth": "1", **_XML}, content=_PROPFIND)
            assert r.status_code == 207, r.text
            for resp in ET.fromstring(r.content).iter("{DAV:}response"):
                href = resp.findtext("{DAV:}href") or ""
                if href.endswith("/"):
                    continue
                got = c.get(urljoin(self.book_url, href))
                assert got.status_code == 200, got.text
                out[href.rsplit("/", 1)[-1]] = got.text
        return dict(sorted(out.items()))
