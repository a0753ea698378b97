"""The review page's web server: 127.0.0.1 only, one token per start, nothing from the network.

The standard library's ``http.server``, a thread per connection (a browser opens spare
connections it may never use, which would stall a server that waits on one) and one
lock around the session (one person clicks; open the ledger with ``threads=True``): the page, its script and style
(``static/``, served from the package), a JSON API over ``ReviewSession`` and the kept card
images.  Every request must carry the token made at start (``?token=``, the
``X-Cardpipe-Token`` header, or the cookie the page sets); one without it gets 403, as
does one whose Host header is not this address (a web page elsewhere that rebinds a
name to 127.0.0.1).  Changes are POSTs with the token in the header, which another site's
form cannot send.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from ..errors import CardpipeError
from .session import DECISION_KINDS, LOW_CONFIDENCE, ReviewSession, decision_dict, names_in

HOST = "127.0.0.1"
COOKIE = "cardpipe_review"
_STATIC = {"review.js": "text/javascript; charset=utf-8",
           "review.css": "text/css; charset=utf-8"}
#: what the page says each key does (the script binds the same keys)
KEYS = (("a", "accept"), ("m", "merge with candidate"), ("s", "keep separate"),
        ("e", "edit (Ctrl+Enter saves)"), ("f", "follow-up action"), ("n", "skip"),
        ("u", "undo"),
        ("j", "next"), ("k", "previous"))


def _asset(name: str) -> bytes:
    return resources.files("cardpipe.review").joinpath("static", name).read_bytes()


class ReviewServer(ThreadingHTTPServer):
    """An HTTP server bound to 127.0.0.1 serving one ``ReviewSession``."""

    daemon_threads = True  # an idle connection never keeps the process alive

    def __init__(self, session: ReviewSession, *, port: int = 0,
                 token: str | None = None) -> None:
        self.session = session
        self.token = token or secrets.token_urlsafe(24)
        self.lock = threading.Lock()
        super().__init__((HOST, port), _Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        """The page's address with its token (what the user opens)."""
        return f"http://{HOST}:{self.port}/?token={self.token}"

    def allowed_hosts(self) -> set[str]:
        return {f"{HOST}:{self.port}", f"localhost:{self.port}"}


class _Handler(BaseHTTPRequestHandler):
    server: ReviewServer
    server_version = "cardpipe-review"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass  # the terminal shows the URL and the summary, not every request

    # -- the gate ---------------------------------------------------------------------
    def _token_ok(self) -> bool:
        want = self.server.token.encode()
        query = parse_qs(urlsplit(self.path).query)
        given = [*query.get("token", []), self.headers.get("X-Cardpipe-Token") or ""]
        cookie = SimpleCookie(self.headers.get("Cookie") or "")
        if COOKIE in cookie and self.command == "GET":  # a POST needs the header
            given.append(cookie[COOKIE].value)
        if self.command == "POST":
            given = [self.headers.get("X-Cardpipe-Token") or ""]
        return any(hmac.compare_digest(g.encode(), want) for g in given if g)

    def _allowed(self) -> bool:
        host = (self.headers.get("Host") or "").lower()
        if host not in self.server.allowed_hosts() or not self._token_ok():
            self._send(HTTPStatus.FORBIDDEN, b"forbidden: open the address cardpipe printed, "
                       b"with its token\n", "text/plain; charset=utf-8")
            return False
        return True

    # -- answers ----------------------------------------------------------------------
    def _send(self, status: HTTPStatus, body: bytes, ctype: str,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        # nothing from anywhere else: every script, style, image and font is ours
        self.send_header("Content-Security-Policy",
                         "default-src 'self'; img-src 'self'; style-src 'self'; "
                         "script-src 'self'; connect-src 'self'; frame-ancestors 'none'")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, data: Any, status: HTTPStatus = HTTPStatus.OK) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self._send(status, body, "application/json; charset=utf-8")

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._json({"error": message}, status)

    # -- routes -----------------------------------------------------------------------
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if not self._allowed():
            return
        path = unquote(urlsplit(self.path).path)
        try:
            with self.server.lock:
                self._get(path)
        except CardpipeError as exc:
            self._error(HTTPStatus.BAD_REQUEST, exc.one_line())
        except Exception as exc:  # a bug: the page says so, the server goes on
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"unexpected {type(exc).__name__}: {exc}")

    def _get(self, path: str) -> None:
        session = self.server.session
        if path == "/":
            page = _asset("review.html").decode("utf-8")
            page = page.replace("{{TOKEN}}", self.server.token)
            cookie = (f"{COOKIE}={self.server.token}; HttpOnly; SameSite=Strict; Path=/")
            self._send(HTTPStatus.OK, page.encode("utf-8"), "text/html; charset=utf-8",
                       {"Set-Cookie": cookie})
        elif path == "/favicon.ico":
            self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon")
        elif path.startswith("/static/") and path[len("/static/"):] in _STATIC:
            name = path[len("/static/"):]
            self._send(HTTPStatus.OK, _asset(name), _STATIC[name])
        elif path == "/api/items":
            self._json(_state(session))
        elif path.startswith("/api/card/"):
            self._json(session.detail(path[len("/api/card/"):]))
        elif path.startswith("/cards/"):
            parts = path.split("/")
            if len(parts) != 4 or not parts[3].isdigit():
                self._error(HTTPStatus.NOT_FOUND, "no such card image")
                return
            data = session.ledger.card_image(parts[2], int(parts[3]))
            if data is None:
                self._error(HTTPStatus.NOT_FOUND, "no image kept for this card")
                return
            self._send(HTTPStatus.OK, data, "image/jpeg")
        else:
            self._error(HTTPStatus.NOT_FOUND, f"nothing at {path}")

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        if not self._allowed():
            return
        path = urlsplit(self.path).path
        try:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}") if length else {}
            if not isinstance(body, dict):
                raise ValueError("a JSON object")
        except ValueError as exc:
            self._error(HTTPStatus.BAD_REQUEST, f"the request is not {exc}")
            return
        session = self.server.session
        try:
            with self.server.lock:
                if path == "/api/decide":
                    values = body.get("values") or {}
                    if not isinstance(values, dict):
                        raise ValueError("values must be an object of field -> text")
                    record = session.decide(str(body.get("kind")), str(body.get("uid")),
                                            other=body.get("other") or None,
                                            values={str(k): str(v) for k, v in values.items()})
                    self._json({"decision": decision_dict(record), **_state(session)})
                elif path == "/api/undo":
                    wanted = body.get("id")
                    record = session.undo(int(wanted) if wanted is not None else None)
                    self._json({"undone": decision_dict(record), **_state(session)})
                else:
                    self._error(HTTPStatus.NOT_FOUND, f"nothing at {path}")
        except (CardpipeError, ValueError) as exc:
            message = exc.one_line() if isinstance(exc, CardpipeError) else str(exc)
            self._error(HTTPStatus.CONFLICT, message)
        except Exception as exc:  # a bug: the page says so, the server goes on
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"unexpected {type(exc).__name__}: {exc}")


def _state(session: ReviewSession) -> dict[str, Any]:
    history = session.history()
    names = names_in(history)
    return {"items": [i.to_dict() for i in session.items()],
            "history": [decision_dict(d, names) for d in history],
            "book": str(session.book_path), "low": LOW_CONFIDENCE,
            "kinds": list(DECISION_KINDS), "keys": [list(k) for k in KEYS]}


def serve(session: ReviewSession, *, port: int = 0, token: str | None = None,
          ready: Callable[[ReviewServer], None] | None = None) -> None:
    """Serve the review page until interrupted (Ctrl-C); ``ready`` is called with the
    server once it listens (the CLI prints its URL and opens the browser there)."""
    server = ReviewServer(session, port=port, token=token)
    try:
        if ready is not None:
            ready(server)
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
