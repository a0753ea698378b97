"""A real Radicale CardDAV server for tests (pytest fixtures).

``radicale`` starts ``python -m radicale`` on 127.0.0.1 on a free port with its storage
in the test's temporary folder and htpasswd authentication (plain text file, one user),
waits until it answers, and stops it afterwards.  The server can be stopped and started
again on the same port and storage (``server.stop()`` / ``server.start()``) to test a
server that is down.

Use it from a test module with ``from tests.radicale_server import radicale  # noqa: F401``.
"""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

USER = "alice"
PASSWORD = "s3cret-Passw0rd"
BOOK = "contacts"

_MKCOL_BODY = """<?xml version="1.0" encoding="utf-8"?>
<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
  <D:set><D:prop>
    <D:resourcetype><D:collection/><C:addressbook/></D:resourcetype>
    <D:displayname>Contacts</D:displayname>
  </D:prop></D:set>
</D:mkcol>"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RadicaleServer:
    root: Path
    port: int = field(default_factory=free_port)
    user: str = USER
    password: str = PASSWORD
    tls: tuple[Path, Path] | None = None  # (certificate, key): serve https
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.port}/"

    @property
    def book_url(self) -> str:
        return f"{self.base_url}{self.user}/{BOOK}/"

    @property
    def storage(self) -> Path:
        return self.root / "collections"

    def write_config(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        htpasswd = self.root / "users"
        htpasswd.write_text(f"{self.user}:{self.password}\n", encoding="utf-8")
        config = self.root / "config"
        tls = f"ssl = True\ncertificate = {self.tls[0]}\nkey = {self.tls[1]}\n" if self.tls else ""
        config.write_text(
            "[server]\n"
            f"hosts = 127.0.0.1:{self.port}\n"
            f"{tls}"
            "[auth]\n"
            "type = htpasswd\n"
            f"htpasswd_filename = {htpasswd}\n"
            "htpasswd_encryption = plain\n"
            "delay = 0\n"
            "[rights]\n"
            "type = owner_only\n"
            "[storage]\n"
            f"filesystem_folder = {self.storage}\n"
            "[logging]\n"
            "level = warning\n",
            encoding="utf-8",
        )
        return config

    def start(self, timeout: float = 20.0) -> None:
        config = self.write_config()
        self.process = start_server(
            [sys.executable, "-m", "radicale", "--config", str(config)],
            self.root / "radicale.log", self.base_url, timeout)

    def stop(self) -> None:
        stop_server(self.process)
        self.process = None

    # -- helpers that act as "the phone" ------------------------------------------
    def client(self) -> httpx.Client:
        verify: bool | ssl.SSLContext = (
            ssl.create_default_context(cafile=str(self.tls[0])) if self.tls else True
        )
        return httpx.Client(auth=(self.user, self.password), timeout=10, verify=verify)

    def make_book(self) -> str:
        with self.client() as c:
            r = c.request("MKCOL", self.book_url, content=_MKCOL_BODY.encode())
            assert r.status_code == 201, r.text
        return self.book_url

    def items(self) -> dict[str, str]:
        """File name -> stored vCard text, read straight from Radicale's storage."""
        folder = self.storage / "collection-root" / self.user / BOOK
        return {
            p.name: p.read_text(encoding="utf-8")
            for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith(".")
        }


def start_server(command: list[str], log: Path, url: str, timeout: float
                 ) -> subprocess.Popen[bytes]:
    """Start a server process logging to ``log``; return once ``url`` answers."""
    with log.open("ab") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{command[2]} exited: " + log.read_text(errors="replace"))
        try:
            httpx.get(url, timeout=0.5, verify=False)
            return process
        except httpx.TransportError:
            time.sleep(0.1)
    stop_server(process)
    raise RuntimeError(f"{command[2]} did not answer on {url} within {timeout}s")


def stop_server(process: subprocess.Popen[bytes] | None) -> None:
    if process is None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 made with the openssl command (Debian package openssl)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    return cert, key


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[RadicaleServer]:
    server = RadicaleServer(tmp_path / "radicale")
    server.start()
    try:
        yield server
    finally:
        server.stop()
