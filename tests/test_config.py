from __future__ import annotations

from pathlib import Path

import pytest

from cardpipe.errors import ConfigError, ExitCode
from cardpipe.sync.config import (
    DEFAULT_PASSWORD_ENV,
    CardDAVConfig,
    Watch,
    default_ledger_path,
    find_config,
    load_config,
    parse_config,
)

FULL = """
book = "book.vcf"
ledger = "state/ledger.sqlite3"
log_file = "~/sync.jsonl"
region = "de"
jobs = 2
settle_seconds = 5

[[watch]]
path = "photos"

[[watch]]
path = "/abs/conference"
event = "Web Summit 2025"
recursive = false

[events]
"2025-* Lisbon" = "Lisbon meetup"

[carddav]
url = "https://dav.example.com/alice/contacts"
username = "alice"
password_source = "env"
"""


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "config.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_full_config_resolves_paths_relative_to_the_file(tmp_path: Path) -> None:
    cfg = load_config(_write(tmp_path, FULL))
    assert cfg.book == tmp_path / "book.vcf"
    assert cfg.ledger == tmp_path / "state" / "ledger.sqlite3"
    assert cfg.log_file == Path("~/sync.jsonl").expanduser()
    assert cfg.region == "DE" and cfg.jobs == 2 and cfg.settle_seconds == 5
    assert cfg.watch == (
        Watch(tmp_path / "photos"),
        Watch(Path("/abs/conference"), "Web Summit 2025", False),
    )
    assert cfg.carddav is not None
    assert cfg.carddav.url == "https://dav.example.com/alice/contacts/"
    assert cfg.carddav.verify_tls is True


def test_minimal_config_uses_the_user_data_folder_for_the_ledger(tmp_path: Path) -> None:
    cfg = load_config(_write(tmp_path, 'book = "b.vcf"\n[[watch]]\npath = "p"\n'))
    assert cfg.ledger == default_ledger_path()
    assert cfg.carddav is None and cfg.log_file is None
    assert cfg.attach_photo is False  # off unless asked for


def test_attach_photo_is_read_from_the_config(tmp_path: Path) -> None:
    cfg = load_config(_write(tmp_path, 'book = "b.vcf"\nattach_photo = true\n'
                                       '[[watch]]\npath = "p"\n'))
    assert cfg.attach_photo is True


def test_the_ocr_engine_and_languages_are_read_from_the_config(tmp_path: Path) -> None:
    cfg = load_config(_write(tmp_path, 'book = "b.vcf"\nengine = "cascade"\nlang = "eng+deu"\n'
                                       '[[watch]]\npath = "p"\n'))
    assert (cfg.engine, cfg.lang) == ("cascade", "eng+deu")
    assert load_config(_write(tmp_path, 'book = "b.vcf"\n[[watch]]\npath = "p"\n')).engine is None


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[[watch]]\npath = "p"\n', "book"),
        ('book = "b.vcf"\n', "watch"),
        ('book = "b.vcf"\nbooks = 1\n[[watch]]\npath = "p"\n', "books"),
        ('book = "b.vcf"\n[[watch]]\nfolder = "p"\n', "watch[0].folder"),
        ('book = "b.vcf"\nregion = "Germany"\n[[watch]]\npath = "p"\n', "region"),
        ('book = "b.vcf"\njobs = 0\n[[watch]]\npath = "p"\n', "jobs"),
        ('book = "b.vcf"\nattach_photo = "yes"\n[[watch]]\npath = "p"\n', "attach_photo"),
        ('book = "b.vcf"\nengine = "easyocr"\n[[watch]]\npath = "p"\n', "engine"),
        ('book = "b.vcf"\nengine = "rapidocr"\nlang = "deu"\n[[watch]]\npath = "p"\n', "lang"),
        ('book = "b.vcf"\n[[watch]]\npath = "p"\n[carddav]\nusername = "a"\n', "carddav.url"),
        ('book = "b.vcf"\n[[watch]]\npath = "p"\n[carddav]\nurl = "ftp://x/"\n', "carddav.url"),
        ('book = "b.vcf"\n[[watch]]\npath = "p"\n[carddav]\nurl = "https://x/"\n'
         'password_source = "file"\n', "carddav.password_source"),
        ('book = "b.vcf"\n[[watch]]\npath = "p"\n[carddav]\nurl = "https://x/"\n'
         'verify_tls = "/no/such/ca.pem"\n', "carddav.verify_tls"),
    ],
)
def test_invalid_config_names_the_key(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(_write(tmp_path, text))
    assert f"{key}:" in str(info.value)
    assert info.value.exit_code == ExitCode.CONFIG


def test_a_password_in_the_config_file_is_refused(tmp_path: Path) -> None:
    text = 'book = "b.vcf"\n[[watch]]\npath = "p"\n[carddav]\nurl = "https://x/"\npassword = "hunter2"\n'
    with pytest.raises(ConfigError) as info:
        load_config(_write(tmp_path, text))
    assert "carddav.password" in str(info.value)
    assert "hunter2" not in str(info.value)


def test_a_password_in_the_url_is_refused(tmp_path: Path) -> None:
    text = 'book = "b.vcf"\n[[watch]]\npath = "p"\n[carddav]\nurl = "https://a:hunter2@x/"\n'
    with pytest.raises(ConfigError, match="carddav.url") as info:
        load_config(_write(tmp_path, text))
    assert "hunter2" not in info.value.one_line()


def test_bad_toml_is_a_config_error_naming_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "book = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path)


def test_config_is_found_by_option_then_environment(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    a = _write(tmp_path, 'book = "a.vcf"\n[[watch]]\npath = "p"\n')
    other = tmp_path / "other"
    other.mkdir()
    b = _write(other, 'book = "b.vcf"\n[[watch]]\npath = "p"\n')
    monkeypatch.setenv("CARDPIPE_CONFIG", str(b))
    assert find_config(a) == a
    assert find_config() == b
    monkeypatch.setenv("CARDPIPE_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigError, match="CARDPIPE_CONFIG"):
        find_config()


def test_config_falls_back_to_the_user_config_folder(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CARDPIPE_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    with pytest.raises(ConfigError, match="no config file"):
        find_config()
    folder = tmp_path / "xdg" / "cardpipe"
    folder.mkdir(parents=True)
    path = _write(folder, 'book = "b.vcf"\n[[watch]]\npath = "p"\n')
    assert find_config() == path


def test_event_comes_from_watch_then_rules_then_folder_name(tmp_path: Path) -> None:
    cfg = load_config(_write(tmp_path, FULL))
    photos, conference = cfg.watch
    assert cfg.event_for(Path("/abs/conference/x.jpg"), conference) == "Web Summit 2025"
    root = tmp_path / "photos"
    assert cfg.event_for(root / "2025-11 Lisbon" / "x.jpg", photos) == "Lisbon meetup"
    assert cfg.event_for(root / "Berlin fair" / "x.jpg", photos) == "Berlin fair"
    assert cfg.event_for(root / "x.jpg", photos) == "photos"


def _dav(**kw: object) -> CardDAVConfig:
    base: dict[str, object] = {"url": "https://dav.example.com/c/", "username": "alice"}
    base.update(kw)
    return CardDAVConfig(**base)  # type: ignore[arg-type]


def test_password_from_the_environment() -> None:
    env = {DEFAULT_PASSWORD_ENV: "pw1"}
    assert _dav(password_source="env").credentials(env) == ("alice", "pw1")
    assert _dav(password_env="MY_PW").credentials({"MY_PW": "pw2"}) == ("alice", "pw2")


def test_password_from_netrc(tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine dav.example.com login alice password pw3\n")
    netrc.chmod(0o600)
    env = {"NETRC": str(netrc)}
    assert _dav(password_source="netrc").credentials(env) == ("alice", "pw3")
    # auto: no environment variable, so netrc
    assert _dav().credentials(env) == ("alice", "pw3")
    # the login comes from netrc when the config has none
    assert _dav(username=None, password_source="netrc").credentials(env) == ("alice", "pw3")


def test_netrc_for_another_user_or_host_does_not_count(tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine dav.example.com login bob password pw\n"
                     "machine other.example.com login alice password pw\n")
    netrc.chmod(0o600)
    with pytest.raises(ConfigError, match="no CardDAV password found"):
        _dav(password_source="netrc").credentials({"NETRC": str(netrc)})


def test_missing_password_is_a_config_error_that_says_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        _dav(password_source="env").credentials({"NETRC": str(tmp_path / "none")})
    assert DEFAULT_PASSWORD_ENV in str(info.value)


def test_dataclass_repr_never_holds_a_password() -> None:
    cfg = _dav()
    assert "password=" not in repr(cfg).replace("password_source", "").replace("password_env", "")


def test_keyring_source_without_the_keyring_package_says_how_to_get_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import builtins

    real_import = builtins.__import__

    def no_keyring(name: str, *args: object, **kwargs: object) -> object:
        if name == "keyring" or name.startswith("keyring."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_keyring)
    cfg = parse_config({"book": "b.vcf", "watch": [{"path": "p"}],
                        "carddav": {"url": "https://x/", "username": "a",
                                    "password_source": "keyring"}})
    assert cfg.carddav is not None
    with pytest.raises(ConfigError) as info:
        cfg.carddav.credentials({})
    assert info.value.hint == "pip install keyring"


def test_keyring_source_needs_a_username() -> None:
    with pytest.raises(ConfigError, match="carddav.username"):
        parse_config({"book": "b.vcf", "watch": [{"path": "p"}],
                      "carddav": {"url": "https://x/", "password_source": "keyring"}})
