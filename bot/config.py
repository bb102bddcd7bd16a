"""Settings from the environment; every bad value is one line that names its variable."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bot.library.numbers import whole_number

DEFAULT_DATABASE = "bot.sqlite3"
DEFAULT_SHELL_DATABASE = "bot-shell.sqlite3"
PACKAGE_CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"

# Telegram tokens are "<bot id>:<secret>"; emulators use short secrets: only the shape is checked.
_TOKEN_SHAPE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")


class ConfigError(ValueError):
    """A setting is wrong; str() is the one line a person sees."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable


@dataclass(frozen=True)
class Settings:
    token: str | None
    base_url: str | None
    base_file_url: str | None
    database: Path
    admin_ids: frozenset[int]
    content_dir: Path
    send_rate: int = 30  # messages per second overall; Telegram allows more for paid broadcasts
    skin_check: bool = True  # the weekly POEM check; its licence is free for non-commercial use

    @property
    def offline(self) -> bool:
        return self.token is None


def load_settings(environ: Mapping[str, str] | None = None, *, shell: bool = False) -> Settings:
    """Read and check every setting; raise ConfigError naming the first bad variable."""
    env = os.environ if environ is None else environ
    token = _token(env.get("TELEGRAM_BOT_TOKEN", "").strip())
    base_url = _url(env, "TELEGRAM_BASE_URL")
    base_file_url = _url(env, "TELEGRAM_BASE_FILE_URL")
    if base_file_url and not base_url:
        raise ConfigError("TELEGRAM_BASE_FILE_URL", "is set but TELEGRAM_BASE_URL is not")
    default_db = DEFAULT_SHELL_DATABASE if (shell or token is None) else DEFAULT_DATABASE
    return Settings(
        token=token,
        base_url=base_url,
        base_file_url=base_file_url,
        database=_database(env.get("BOT_DATABASE", "").strip() or default_db),
        admin_ids=_admin_ids(env.get("BOT_ADMIN_IDS", "")),
        content_dir=_content_dir(env.get("BOT_CONTENT_DIR", "").strip()),
        send_rate=_send_rate(env.get("BOT_SEND_RATE", "").strip()),
        skin_check=_switch(env, "BOT_SKIN_CHECK", default=True),
    )


def _token(raw: str) -> str | None:
    if not raw:
        return None
    if not _TOKEN_SHAPE.match(raw):
        # Never echo the value: it may be a real secret pasted with a typo.
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN", "does not look like a bot token (expected 123456:ABC-def...)"
        )
    return raw


def _url(env: Mapping[str, str], name: str) -> str | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            name, f"must be an http(s) URL such as http://127.0.0.1:8081/bot, got {raw!r}")
    return raw


def _database(raw: str) -> Path:
    path = Path(raw).expanduser()
    if path.is_dir():
        raise ConfigError("BOT_DATABASE", f"{raw!r} is a folder; give the path of a file")
    parent = path.parent if str(path.parent) else Path(".")
    if parent.exists() and not parent.is_dir():
        raise ConfigError("BOT_DATABASE", f"{str(parent)!r} is not a folder")
    return path


def _admin_ids(raw: str) -> frozenset[int]:
    ids: set[int] = set()
    for part in raw.replace(" ", "").split(","):
        if not part:
            continue
        user_id = whole_number(part)
        if not user_id:
            raise ConfigError(
                "BOT_ADMIN_IDS", f"{part!r} is not a Telegram user id (comma-separated numbers)"
            )
        ids.add(user_id)
    return frozenset(ids)


def _send_rate(raw: str) -> int:
    if not raw:
        return 30
    rate = whole_number(raw, most=1000)
    if not rate:
        raise ConfigError("BOT_SEND_RATE", f"{raw!r} is not a whole number of messages per "
                                           "second from 1 to 1000")
    return rate


_ON, _OFF = {"on", "yes", "true", "1"}, {"off", "no", "false", "0"}


def _switch(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in _ON | _OFF:
        return raw in _ON
    raise ConfigError(name, f"{env[name].strip()!r} is neither on nor off")


def _content_dir(raw: str) -> Path:
    path = Path(raw).expanduser() if raw else PACKAGE_CONTENT_DIR
    if not path.is_dir():
        raise ConfigError("BOT_CONTENT_DIR", f"{str(path)!r} is not a folder")
    return path
