"""A tiny HTTP server on 127.0.0.1 that misbehaves on purpose, for the sync fault tests.

``FaultServer(rule, upstream=None)`` answers every request with what ``rule(request)``
returns:

* ``None``: forward the request to ``upstream`` (e.g. the tests' Radicale) and pass its
  answer back unchanged, so the server is a proxy that fails only where told;
* ``Fault.dribble(body)``: a valid response, sent one byte every ``every`` seconds;
* ``Fault.redirect_to_self()``: ``302`` to the very URL asked for (a redirect loop);
* ``Fault.bad_gzip()``: ``200`` with ``Content-Encoding: gzip`` and a body that is not gzip;
* ``Fault.status(code)``: that status with a short text body.

``server.requests`` lists ``(method, path)`` of every request seen.  Use it as a context
manager (it stops its thread and its connections on exit).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

import httpx


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Fault:
    kind: str
    status_code: int = 200
    body: bytes = b""
    every: float = 2.0

    @classmethod
    def dribble(cls, body: bytes = b"<?xml version='1.0'?>" + b" " * 400,
                every: float = 2.0) -> Fault:
        return cls("dribble", body=body, every=every)

    @classmethod
    def redirect_to_self(cls) -> Fault:
        return cls("redirect", status_code=302)

    @classmethod
    def bad_gzip(cls) -> Fault:
        return cls("gzip", body=b"this is not gzip at all" * 4)

    @classmethod
    def status(cls, code: int) -> Fault:
        return cls("status", status_code=code, body=f"injected {code}\n".encode())


Rule = Callable[[Request], "Fault | None"]
_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host",
        "content-encoding", "accept-encoding"}


@dataclass
class FaultServer:
    rule: Rule
    upstream: str | None = None
    requests: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.stopping = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                req = Request(self.command, self.path, dict(self.headers.items()), body)
                server.requests.append((req.method, req.path))
                fault = server.rule(req)
                if fault is None:
                    self._forward(req)
                else:
                    self._fault(fault)

            do_GET = do_PUT = do_PROPFIND = do_REPORT = do_DELETE = do_MKCOL = _any  # noqa: N815
            do_OPTIONS = do_POST = do_HEAD = _any  # noqa: N815

            def _forward(self, req: Request) -> None:
                assert server.upstream is not None, "no upstream to forward to"
                headers = {k: v for k, v in req.headers.items() if k.lower() not in _HOP}
                with httpx.Client(timeout=30) as c:
                    r = c.request(req.method, server.upstream.rstrip("/") + req.path,
                                  headers=headers, content=req.body)
                self.send_response(r.status_code)
                for k, v in r.headers.items():
                    if k.lower() not in _HOP:
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(r.content)))
                self.end_headers()
                self.wfile.write(r.content)

            def _fault(self, fault: Fault) -> None:
                if fault.kind == "dribble":
                    raw = (b"HTTP/1.1 207 Multi-Status\r\nContent-Type: application/xml\r\n"
                           b"Content-Length: " + str(len(fault.body)).encode() + b"\r\n\r\n"
                           + fault.body)
                    for i in range(len(raw)):
                        if server.stopping.is_set():
                            return
                        try:
                            self.wfile.write(raw[i:i + 1])
                            self.wfile.flush()
                        except OSError:
                            return
                        server.stopping.wait(fault.every)
                    return
                self.send_response(fault.status_code)
                if fault.kind == "redirect":
                    self.send_header("Location", self.path)
                if fault.kind == "gzip":
                    self.send_header("Content-Encoding", "gzip")
                    self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(fault.body)))
                self.end_headers()
                self.wfile.write(fault.body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/"

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
        time.sleep(0)  # let dribbling handlers see ``stopping``
