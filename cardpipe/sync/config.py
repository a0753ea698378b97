"""The ``cardpipe sync`` configuration: a TOML file.

Found through ``--config PATH``, else the environment variable ``CARDPIPE_CONFIG``,
else ``config.toml`` in the user's config folder (platformdirs: ``~/.config/cardpipe/``
on Linux).  Relative paths in the file are taken relative to the file's folder; ``~``
is expanded.  Unknown keys are errors (a typo must not silently disable something).

Example::

    book = "~/Contacts/cards.vcf"          # a .vcf file, or a vdir folder (one .vcf per contact)
    region = "DE"                          # default phone region for numbers without +CC
    # ledger = "~/.local/share/cardpipe/ledger.sqlite3"   (the default)
    # log_file = "~/.local/state/cardpipe/sync.jsonl"     (JSON lines, one per event)
    # jobs = 2                             # OCR worker processes (default: the CPU count)
    # engine = "rapidocr"                  # OCR engine: rapidocr (default) | tesseract | cascade
    # lang = "eng+deu"                     # Tesseract's languages (tesseract and cascade)
    # settle_seconds = 30                  # files changed more recently wait for the next run
    # attach_photo = true                  # the card image as the contact's photo (~60 KB JPEG)
    # followup_after = "24h"               # first follow-up after a meeting (h, d, w; "off": none)
    # ics = "~/Calendars/followups.ics"    # rewritten each run: one task per open follow-up
    # user_name = "Alex Example"           # signs the drafts of `cardpipe followup --drafts`
    # user_email = "alex@example.com"      # their From address
    # scheduler = "tcp://10.0.0.5:8786"    # read the photos on this Dask cluster (cardpipe[cluster])

    [[watch]]
    path = "~/Pictures/Business cards"     # the photos; sub-folders are watched too
    # event = "Web Summit 2025"            # default: the name of the photo's folder

    [events]                               # optional: sub-folder (glob) -> event name
    "2025-11 Lisbon*" = "Web Summit 2025"

    [carddav]                              # optional: push to and pull from a CardDAV server
    url = "https://dav.example.com/dav/addressbooks/users/alice/contacts/"
    username = "alice"
    password_source = "env"                # env | netrc | keyring | auto (default)
    # password_env = "CARDPIPE_CARDDAV_PASSWORD"   (the default variable name)
    # verify_tls = true                    # or the path of a CA bundle; never turn off lightly

The password is never read from the config file or the command line: it comes from
an environment variable, a netrc file (``~/.netrc`` or ``$NETRC``), or the system
keyring (service ``cardpipe``, the username; needs the optional ``keyring`` package).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import netrc
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from ..errors import ConfigError

ENV_CONFIG = "CARDPIPE_CONFIG"
DEFAULT_PASSWORD_ENV = "CARDPIPE_CARDDAV_PASSWORD"
PASSWORD_SOURCES = ("auto", "env", "netrc", "keyring")
KEYRING_SERVICE = "cardpipe"

_TOP_KEYS = {"book", "ledger", "log_file", "region", "lang", "engine", "jobs", "settle_seconds",
             "attach_photo", "scheduler", "watch", "events", "carddav", "followup_after", "ics",
             "user_name", "user_email"}
_WATCH_KEYS = {"path", "event", "recursive"}
_DAV_KEYS = {"url", "username", "password_source", "password_env", "verify_tls", "timeout"}
_FORBIDDEN_DAV_KEYS = {"password", "pass", "secret", "token"}


@dataclass(frozen=True)
class Watch:
    path: Path
    event: str | None = None
    recursive: bool = True


@dataclass(frozen=True)
class CardDAVConfig:
    url: str
    username: str | None = None
    password_source: str = "auto"
    password_env: str = DEFAULT_PASSWORD_ENV
    verify_tls: bool | str = True
    timeout: float = 30.0

    def credentials(self, environ: Mapping[str, str] | None = None) -> tuple[str, str]:
        """(username, password) from the configured source; ConfigError if none has it."""
        env = os.environ if environ is None else environ
        host = urlsplit(self.url).hostname or ""
        sources = (
            ("env", "netrc", "keyring") if self.password_source == "auto"
            else (self.password_source,)
        )
        for source in sources:
            found = _password_from(source, self, host, env)
            if found is not None:
                return found
        tried = {
            "env": f"the environment variable {self.password_env}",
            "netrc": f"a netrc entry for {host or 'the server'}",
            "keyring": f"the keyring (service {KEYRING_SERVICE!r})",
        }
        raise ConfigError(
            "carddav.password_source: no CardDAV password found in "
            + ", ".join(tried[s] for s in sources),
            hint="set the environment variable, add a netrc 'machine' line, or store it "
            "with 'keyring set cardpipe USERNAME'",
        )


@dataclass(frozen=True)
class Config:
    path: Path | None
    book: Path
    ledger: Path
    watch: tuple[Watch, ...]
    events: tuple[tuple[str, str], ...] = ()
    log_file: Path | None = None
    region: str | None = None
    lang: str | None = None
    #: OCR engine name (ocr.ENGINES); None: tesseract when lang is set, else the default
    engine: str | None = None
    jobs: int | None = None
    settle_seconds: float = 30.0
    carddav: CardDAVConfig | None = None
    #: new and merged contacts without a photo get the card image (a small JPEG)
    attach_photo: bool = False
    #: the first follow-up after a meeting is due this long after it (None: no follow-ups)
    followup_after: dt.timedelta | None = dt.timedelta(hours=24)
    #: the .ics file of open follow-ups that each run rewrites (None: none)
    ics: Path | None = None
    #: the user's name and address, for e-mail drafts
    user_name: str | None = None
    user_email: str | None = None
    #: a Dask scheduler (tcp://HOST:PORT) to read the photos on; None: local processes
    scheduler: str | None = None

    def event_for(self, photo: Path, watch: Watch) -> str | None:
        """The event of a photo: the watch's event, else an ``[events]`` rule matching its
        folder (relative to the watched folder), else the folder's name."""
        if watch.event:
            return watch.event
        folder = photo.parent
        try:
            rel = PurePosixPath(folder.relative_to(watch.path).as_posix())
        except ValueError:
            rel = PurePosixPath(folder.name)
        for pattern, name in self.events:
            if rel.as_posix() != "." and (
                fnmatch.fnmatch(rel.as_posix(), pattern) or fnmatch.fnmatch(rel.name, pattern)
            ):
                return name
        return folder.name or None


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir("cardpipe")) / "config.toml"


def default_ledger_path() -> Path:
    return Path(platformdirs.user_data_dir("cardpipe")) / "ledger.sqlite3"


def find_config(explicit: str | Path | None = None) -> Path:
    """The config file to use: ``--config``, else $CARDPIPE_CONFIG, else the user's."""
    if explicit:
        p = Path(explicit).expanduser()
        where = "--config"
    elif os.environ.get(ENV_CONFIG):
        p = Path(os.environ[ENV_CONFIG]).expanduser()
        where = ENV_CONFIG
    else:
        p = default_config_path()
        where = "the default location"
    if not p.is_file():
        raise ConfigError(
            f"{p}: no config file ({where})",
            hint="create it (the README's 'Nightly sync' section has an example) or pass --config",
        )
    return p


def load_config(explicit: str | Path | None = None) -> Config:
    """Find, read and validate the config file."""
    path = find_config(explicit)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    return parse_config(data, path=path)


def parse_config(data: Mapping[str, Any], *, path: Path | None = None) -> Config:
    """Validate a parsed TOML document; errors name the file and the key."""
    where = f"{path}: " if path else ""
    base = path.parent if path else Path.cwd()

    def fail(key: str, reason: str) -> ConfigError:
        return ConfigError(f"{where}{key}: {reason}")

    _check_keys(data, _TOP_KEYS, "", fail)

    def get_path(key: str, value: Any) -> Path:
        if not isinstance(value, str) or not value.strip():
            raise fail(key, "must be a non-empty path string")
        p = Path(value).expanduser()
        return p if p.is_absolute() else (base / p)

    if "book" not in data:
        raise fail("book", "missing (the .vcf file or vdir folder to keep the contacts in)")
    book = get_path("book", data["book"])
    ledger = get_path("ledger", data["ledger"]) if "ledger" in data else default_ledger_path()
    log_file = get_path("log_file", data["log_file"]) if "log_file" in data else None

    raw_watch = data.get("watch")
    if raw_watch is None:
        raise fail("watch", "missing: add a [[watch]] table with the path of the photo folder")
    if isinstance(raw_watch, Mapping):
        raw_watch = [raw_watch]
    if not isinstance(raw_watch, list) or not raw_watch:
        raise fail("watch", "must be one or more [[watch]] tables")
    watches = []
    for i, w in enumerate(raw_watch):
        key = f"watch[{i}]"
        if not isinstance(w, Mapping):
            raise fail(key, "must be a table with a 'path'")
        _check_keys(w, _WATCH_KEYS, key + ".", fail)
        if "path" not in w:
            raise fail(key + ".path", "missing")
        event = w.get("event")
        if event is not None and (not isinstance(event, str) or not event.strip()):
            raise fail(key + ".event", "must be a non-empty string")
        recursive = w.get("recursive", True)
        if not isinstance(recursive, bool):
            raise fail(key + ".recursive", "must be true or false")
        watches.append(Watch(get_path(key + ".path", w["path"]), event, recursive))

    events_raw = data.get("events", {})
    if not isinstance(events_raw, Mapping):
        raise fail("events", "must be a table of folder pattern = event name")
    events = []
    for pattern, name in events_raw.items():
        if not isinstance(name, str) or not name.strip():
            raise fail(f"events.{pattern}", "must be a non-empty event name")
        events.append((pattern, name))

    region = data.get("region")
    if region is not None and not (isinstance(region, str) and len(region) == 2
                                   and region.isalpha()):
        raise fail("region", "must be a two-letter country code such as 'DE' or 'US'")
    if region is not None:
        from ..pipeline import check_region  # here: the pipeline is heavy to import

        try:
            check_region(region)
        except ValueError:
            raise fail("region", f"{region!r} is not a phone region: use a two-letter "
                                 "country code such as 'DE' or 'US'") from None
    lang = data.get("lang")
    if lang is not None and (not isinstance(lang, str) or not lang.strip()):
        raise fail("lang", "must be Tesseract language codes such as 'eng+deu'")
    from ..scan.engines import ENGINES  # here: the OCR stack is heavy to import

    engine = data.get("engine")
    if engine is not None and engine not in ENGINES:
        raise fail("engine", f"must be one of {', '.join(ENGINES)}")
    if engine == "rapidocr" and lang:
        raise fail("lang", "applies to the tesseract and cascade engines, not rapidocr")
    jobs = data.get("jobs")
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise fail("jobs", "must be a whole number of at least 1")
    settle = data.get("settle_seconds", 30)
    if isinstance(settle, bool) or not isinstance(settle, int | float) or settle < 0:
        raise fail("settle_seconds", "must be a number of seconds, 0 or more")
    attach_photo = data.get("attach_photo", False)
    if not isinstance(attach_photo, bool):
        raise fail("attach_photo", "must be true or false")

    followup_after = _followup_after(data.get("followup_after", "24h"), fail)
    ics = get_path("ics", data["ics"]) if "ics" in data else None
    user = {}
    for key in ("user_name", "user_email"):
        value = data.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise fail(key, "must be a non-empty string")
        user[key] = value.strip() if value else None
    if user["user_email"] and "@" not in user["user_email"]:
        raise fail("user_email", "must be an e-mail address")
    scheduler = _parse_scheduler(data.get("scheduler"), fail)

    dav = None
    if "carddav" in data:
        dav = _parse_carddav(data["carddav"], fail)

    return Config(
        path=path,
        book=book,
        ledger=ledger,
        watch=tuple(watches),
        events=tuple(events),
        log_file=log_file,
        region=region.upper() if region else None,
        lang=lang,
        engine=engine,
        jobs=jobs,
        settle_seconds=float(settle),
        carddav=dav,
        attach_photo=attach_photo,
        followup_after=followup_after,
        ics=ics,
        user_name=user["user_name"],
        user_email=user["user_email"],
        scheduler=scheduler,
    )


def _followup_after(value: Any, fail: Any) -> dt.timedelta | None:
    """``followup_after``: a span such as "24h", "2d", "1w"; "off" (or false): none."""
    if value is False or (isinstance(value, str) and value.strip().lower() in ("off", "0")):
        return None
    from ..followup.when import parse_span

    if isinstance(value, str):
        try:
            span = parse_span(value)
        except ValueError:
            pass
        else:
            if span:
                return span
    raise fail("followup_after", 'must be a span of time such as "24h", "2d" or "1w", '
                                 'or "off"')


def _parse_scheduler(raw: Any, fail: Any) -> str | None:
    """The config's Dask scheduler address, checked (and Dask with it) before any work."""
    if raw is None:
        return None
    from .. import cluster  # light: Dask itself is imported only when a run connects

    if not isinstance(raw, str) or not raw.strip():
        raise fail("scheduler", "must be a Dask scheduler address such as "
                                "'tcp://10.0.0.5:8786'")
    try:
        cluster.check_available("scheduler")
        return cluster.check_address(raw)
    except ValueError as exc:
        raise fail("scheduler", str(exc)) from None


def _parse_carddav(raw: Any, fail: Any) -> CardDAVConfig:
    if not isinstance(raw, Mapping):
        raise fail("carddav", "must be a table")
    secret = sorted(set(raw) & _FORBIDDEN_DAV_KEYS)
    if secret:
        raise fail(
            f"carddav.{secret[0]}",
            "passwords are not read from the config file; use password_source = "
            "'env', 'netrc' or 'keyring'",
        )
    _check_keys(raw, _DAV_KEYS, "carddav.", fail)
    url = raw.get("url")
    if not isinstance(url, str) or not url.strip():
        raise fail("carddav.url", "missing (the address book's URL, or the server's)")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise fail("carddav.url", "must be an http:// or https:// URL")
    if parts.password is not None or parts.username is not None:
        raise fail("carddav.url", "must not contain a user name or password; use "
                   "carddav.username and password_source")
    username = raw.get("username")
    if username is not None and (not isinstance(username, str) or not username):
        raise fail("carddav.username", "must be a non-empty string")
    source = raw.get("password_source", "auto")
    if source not in PASSWORD_SOURCES:
        raise fail("carddav.password_source", f"must be one of {', '.join(PASSWORD_SOURCES)}")
    env_name = raw.get("password_env", DEFAULT_PASSWORD_ENV)
    if not isinstance(env_name, str) or not env_name.replace("_", "").isalnum():
        raise fail("carddav.password_env", "must be an environment variable name")
    if source == "keyring" and not username:
        raise fail("carddav.username", "is needed to look the password up in the keyring")
    verify = raw.get("verify_tls", True)
    if isinstance(verify, str):
        ca = Path(verify).expanduser()
        if not ca.exists():
            raise fail("carddav.verify_tls", f"CA bundle {ca} does not exist")
        verify = str(ca)
    elif not isinstance(verify, bool):
        raise fail("carddav.verify_tls", "must be true, false or the path of a CA bundle")
    timeout = raw.get("timeout", 30)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise fail("carddav.timeout", "must be a positive number of seconds")
    return CardDAVConfig(
        url=url.strip() if url.strip().endswith("/") else url.strip() + "/",
        username=username,
        password_source=source,
        password_env=env_name,
        verify_tls=verify,
        timeout=float(timeout),
    )


def _check_keys(table: Mapping[str, Any], allowed: set[str], prefix: str, fail: Any) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise fail(prefix + unknown[0], "unknown key (allowed: " + ", ".join(sorted(allowed)) + ")")


def _password_from(
    source: str, cfg: CardDAVConfig, host: str, env: Mapping[str, str]
) -> tuple[str, str] | None:
    if source == "env":
        password = env.get(cfg.password_env)
        if password and cfg.username:
            return cfg.username, password
        if password:
            raise ConfigError("carddav.username: missing (the password comes from "
                              f"{cfg.password_env}, the user name must be in the config)")
        return None
    if source == "netrc":
        path = Path(env.get("NETRC") or Path.home() / ".netrc")
        if not path.is_file():
            return None
        try:
            auth = netrc.netrc(str(path)).authenticators(host)
        except (netrc.NetrcParseError, OSError) as exc:
            # The parse error can quote a line of the file: never pass it on.
            line = getattr(exc, "lineno", None)
            raise ConfigError(f"{path}: cannot read the netrc file"
                              + (f" (line {line})" if line else "")) from None
        if not auth:
            return None
        login, _account, password = auth
        user = cfg.username or login
        if not user or not password:
            return None
        if cfg.username and login and login != cfg.username:
            return None
        return user, password
    if source == "keyring":
        try:
            import keyring  # optional dependency
            from keyring.errors import KeyringError
        except ImportError:
            if cfg.password_source == "keyring":
                raise ConfigError(
                    "carddav.password_source: 'keyring' needs the keyring package",
                    hint="pip install keyring",
                ) from None
            return None
        if not cfg.username:
            return None
        try:
            password = keyring.get_password(KEYRING_SERVICE, cfg.username)
        except KeyringError as exc:
            if cfg.password_source == "keyring":
                raise ConfigError(f"carddav.password_source: keyring failed: {exc}") from None
            return None
        return (cfg.username, password) if password else None
    raise ConfigError(f"carddav.password_source: unknown source {source!r}")
