"""Settings from the environment; every bad value is one line that names its variable."""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.library import dates
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


DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class TeamHours:
    """When the community's team is usually around, in its own time zone: these weekdays
    (0 = Monday), from `start` to `end` (minutes of the day; an end before the start runs
    past midnight)."""

    days: tuple[int, ...]
    start: int
    end: int

    def covers(self, weekday: int, minute: int) -> bool:
        if self.start < self.end:
            return weekday in self.days and self.start <= minute < self.end
        # Past midnight: the evening belongs to its day, the small hours to the day before.
        return (weekday in self.days and minute >= self.start) or \
            ((weekday - 1) % 7 in self.days and minute < self.end)

    def describe(self) -> str:
        """'Mon–Fri 09:00–17:00', as people write it."""
        return f"{_describe_days(self.days)} {_hhmm(self.start)}–{_hhmm(self.end)}"


@dataclass(frozen=True)
class Settings:
    token: str | None
    base_url: str | None
    base_file_url: str | None
    database: Path
    admin_ids: frozenset[int]
    content_dir: Path
    send_rate: int = 30  # messages per second overall; Telegram allows more for paid broadcasts
    database_url: str | None = None  # PostgreSQL instead of the SQLite file, when set
    # Seconds after which rows a dead instance had in flight go out again (PostgreSQL).
    claim_lease: int = 30
    skin_check: bool = True  # the weekly POEM check; its licence is free for non-commercial use
    # Webhook mode (BOT_WEBHOOK_URL, or `python -m bot webhook`): Telegram posts updates to this
    # public https address, each carrying the secret; the bot listens on listen:port behind it.
    webhook_url: str | None = None
    webhook_secret: str | None = None
    listen: str = "0.0.0.0"
    port: int = 8080  # PORT, as hosting platforms set it; /healthz is served there too
    health_port: int | None = None  # long polling: /healthz on this port when set
    sentry_dsn: str | None = None  # errors to Sentry, without message text or the token
    # A person can ask the community's team (issue 25): BOT_TEAM=off switches the inbox off.
    team: bool = True
    team_chat: int | None = None  # the moderators' supergroup (topics on); else their chats
    team_hours: TeamHours | None = None  # when they are usually around; None: not said
    team_zone: str = "UTC"  # the zone of those hours
    team_claim_hours: int = 12  # a person is told when nobody has claimed theirs by then
    team_keep_days: int = 90  # conversations are deleted this long after their last message
    team_flood: int = 20  # messages a person may send the team in an hour

    @property
    def team_inbox(self) -> bool:
        """Whether people can ask the team: it is on, and someone is there to answer."""
        return self.team and (self.team_chat is not None or bool(self.admin_ids))

    @property
    def offline(self) -> bool:
        return self.token is None

    @property
    def webhook(self) -> bool:
        return self.webhook_url is not None

    @property
    def webhook_path(self) -> str:
        """Where the webhook listens: the path of the public URL (a proxy passes it on)."""
        return urlsplit(self.webhook_url or "").path or "/"

    @property
    def store(self) -> str:
        """What open_database opens: the PostgreSQL URL when there is one, else the file."""
        return self.database_url or str(self.database)

    @property
    def store_variable(self) -> str:
        return "DATABASE_URL" if self.database_url else "BOT_DATABASE"


def load_settings(environ: Mapping[str, str] | None = None, *, shell: bool = False,
                  webhook: bool = False, served: bool = False) -> Settings:
    """Read and check every setting; raise ConfigError naming the first bad variable.
    `webhook`: `python -m bot webhook` was asked for (BOT_WEBHOOK_URL alone also means it).
    `served`: the database is the one the bot serves on Telegram even without a token (for
    `backup`, run from a shell that seldom has the token), never the local shell's."""
    env = os.environ if environ is None else environ
    token = _token(env.get("TELEGRAM_BOT_TOKEN", "").strip())
    base_url = _url(env, "TELEGRAM_BASE_URL")
    base_file_url = _url(env, "TELEGRAM_BASE_FILE_URL")
    if base_file_url and not base_url:
        raise ConfigError("TELEGRAM_BASE_FILE_URL", "is set but TELEGRAM_BASE_URL is not")
    offline = shell or (token is None and not served)
    default_db = DEFAULT_SHELL_DATABASE if offline else DEFAULT_DATABASE
    return Settings(
        token=token,
        base_url=base_url,
        base_file_url=base_file_url,
        database=_database(env.get("BOT_DATABASE", "").strip() or default_db),
        admin_ids=_admin_ids(env.get("BOT_ADMIN_IDS", "")),
        content_dir=_content_dir(env.get("BOT_CONTENT_DIR", "").strip()),
        send_rate=_send_rate(env.get("BOT_SEND_RATE", "").strip()),
        skin_check=_switch(env, "BOT_SKIN_CHECK", default=True),
        **_serving(env, token, base_url, webhook=webhook and not shell, shell=shell),
        database_url=_database_url(env.get("DATABASE_URL", "").strip()),
        claim_lease=_claim_lease(env.get("BOT_CLAIM_LEASE", "").strip()),
        **_team(env),
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


def _database_url(raw: str) -> str | None:
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("postgres", "postgresql") or not (parts.hostname or parts.query):
        # Never echo the value: it usually carries a password.
        raise ConfigError("DATABASE_URL", "must be a PostgreSQL URL such as "
                                          "postgresql://user:password@host:5432/dbname")
    return raw


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


def _claim_lease(raw: str) -> int:
    if not raw:
        return 30
    seconds = whole_number(raw, most=3600)
    # A live instance renews its claims every lease/6 s; a very short lease would let a
    # heartbeat delayed by a busy moment hand its rows to another instance.
    if not seconds or seconds < 3:
        raise ConfigError("BOT_CLAIM_LEASE", f"{raw!r} is not a whole number of seconds from "
                                             "3 to 3600")
    return seconds


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


# --- how the bot is reached: webhook or long polling, health, error tracking ------------------
_SECRET_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,256}$")
_HOST_SHAPE = re.compile(r"^[A-Za-z0-9.-]{1,253}$")
_MAKE_SECRET = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"


def _serving(env: Mapping[str, str], token: str | None, base_url: str | None, *,
             webhook: bool, shell: bool) -> dict[str, Any]:
    webhook_url = _webhook_url(env, base_url)
    secret = None
    if (webhook or webhook_url) and not shell:
        if token is None:
            raise ConfigError("TELEGRAM_BOT_TOKEN", "is required in webhook mode")
        if webhook_url is None:
            raise ConfigError("BOT_WEBHOOK_URL", "is required in webhook mode: the public "
                                                 "https:// address Telegram sends updates to")
        secret = _webhook_secret(env)
    else:
        webhook_url = None  # the shell never listens
    return {"webhook_url": webhook_url, "webhook_secret": secret, "listen": _listen(env),
            "port": _port(env, "PORT") or 8080, "health_port": _port(env, "BOT_HEALTH_PORT"),
            "sentry_dsn": _sentry_dsn(env)}


def _webhook_url(env: Mapping[str, str], base_url: str | None) -> str | None:
    raw = env.get("BOT_WEBHOOK_URL", "").strip()
    if not raw:
        return None
    parts = urlsplit(raw)
    # Telegram posts only to https; a self-hosted Bot API server (TELEGRAM_BASE_URL) may not.
    schemes = ("https", "http") if base_url else ("https",)
    if parts.scheme not in schemes or not parts.netloc:
        # Not echoed: some put a secret in the path.
        raise ConfigError("BOT_WEBHOOK_URL", "must be the public https:// address Telegram "
                                             "sends updates to, e.g. https://bot.example.org/tg")
    return raw


def _webhook_secret(env: Mapping[str, str]) -> str:
    raw = env.get("BOT_WEBHOOK_SECRET", "").strip()
    if not raw:
        raise ConfigError("BOT_WEBHOOK_SECRET", "is required in webhook mode: 16 to 256 letters, "
                                                f"digits, _ or -; make one with {_MAKE_SECRET}")
    if not _SECRET_SHAPE.match(raw):
        # Never echo it: it is what keeps forged updates out.
        raise ConfigError("BOT_WEBHOOK_SECRET", "must be 16 to 256 letters, digits, _ or - "
                                                f"(Telegram's rule, and long enough not to be "
                                                f"guessed); make one with {_MAKE_SECRET}")
    return raw


def _port(env: Mapping[str, str], name: str) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    port = whole_number(raw, most=65535)
    if not port:
        raise ConfigError(name, f"{raw!r} is not a port number from 1 to 65535")
    return port


def _listen(env: Mapping[str, str]) -> str:
    raw = env.get("BOT_LISTEN", "").strip()
    if not raw:
        return "0.0.0.0"
    try:
        ipaddress.ip_address(raw)
    except ValueError:
        if not _HOST_SHAPE.match(raw):
            raise ConfigError("BOT_LISTEN", f"{raw!r} is not an address to listen on, such as "
                                            "0.0.0.0 (every interface), :: or 127.0.0.1") from None
    return raw


def _sentry_dsn(env: Mapping[str, str]) -> str | None:
    raw = env.get("SENTRY_DSN", "").strip()
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.username or not parts.hostname \
            or not parts.path.strip("/"):
        # Not echoed: the key in it lets anyone send events to the project.
        raise ConfigError("SENTRY_DSN", "must be a Sentry DSN such as "
                                        "https://<key>@o0.ingest.sentry.io/<project>")
    if importlib.util.find_spec("sentry_sdk") is None:
        raise ConfigError("SENTRY_DSN", "is set but sentry-sdk is not installed: "
                                        "pip install 'gutskin-bot[sentry]' (or sentry-sdk)")
    return raw


# --- the community's team: its inbox, hours and limits -----------------------------------------
_HOURS_SHAPE = re.compile(
    r"^(?:(?P<days>[A-Za-z,\s-]+?)\s+)?(?P<start>\d{1,2}:\d{2})\s*[-–]\s*(?P<end>\d{1,2}:\d{2})$")
_DAY_RANGE = re.compile(r"^(?P<a>[a-z]{3})[a-z]*(?:-(?P<b>[a-z]{3})[a-z]*)?$")


def _team(env: Mapping[str, str]) -> dict[str, Any]:
    return {
        "team": _switch(env, "BOT_TEAM", default=True),
        "team_chat": _team_chat(env.get("BOT_TEAM_CHAT", "").strip()),
        "team_hours": _team_hours(env.get("BOT_TEAM_HOURS", "").strip()),
        "team_zone": _team_zone(env.get("BOT_TEAM_ZONE", "").strip()),
        "team_claim_hours": _count(env, "BOT_TEAM_CLAIM_HOURS", 12, 1, 168, "hours"),
        "team_keep_days": _count(env, "BOT_TEAM_KEEP_DAYS", 90, 1, 3650, "days"),
        "team_flood": _count(env, "BOT_TEAM_FLOOD", 20, 1, 1000, "messages an hour"),
    }


def _team_chat(raw: str) -> int | None:
    if not raw:
        return None
    # A supergroup's id is -100 followed by its number: -1001234567890.
    if not re.fullmatch(r"-100\d{5,13}", raw):
        raise ConfigError("BOT_TEAM_CHAT", f"{raw!r} is not a supergroup's id (a negative "
                                           "number starting -100, such as -1001234567890)")
    return int(raw)


def _team_hours(raw: str) -> TeamHours | None:
    if not raw:
        return None
    problem = ConfigError("BOT_TEAM_HOURS", f"{raw!r} is not days and hours such as "
                                            "'Mon-Fri 09:00-17:00' or 'daily 18:00-22:00'")
    shape = _HOURS_SHAPE.match(raw)
    if shape is None:
        raise problem
    start, end = _minute(shape["start"]), _minute(shape["end"])
    days = _days(shape["days"] or "daily")
    if start is None or end is None or start == end or days is None:
        raise problem
    return TeamHours(days, start, end)


def _minute(text: str) -> int | None:
    hours, minutes = (int(part) for part in text.split(":"))
    if hours == 24 and minutes == 0:
        return 0  # the end of the day
    return hours * 60 + minutes if hours < 24 and minutes < 60 else None


def _days(text: str) -> tuple[int, ...] | None:
    key = text.strip().lower()
    if key in ("daily", "every day", "everyday"):
        return tuple(range(7))
    if key in ("weekdays", "workdays"):
        return tuple(range(5))
    if key in ("weekends", "weekend"):
        return (5, 6)
    names = [d.lower() for d in DAY_NAMES]
    chosen: set[int] = set()
    for part in re.split(r"[\s,]+", key):
        found = _DAY_RANGE.match(part)
        if found is None or found["a"] not in names or (found["b"] and found["b"] not in names):
            return None
        first = names.index(found["a"])
        last = names.index(found["b"]) if found["b"] else first
        chosen.update((first + i) % 7 for i in range((last - first) % 7 + 1))
    return tuple(sorted(chosen)) or None


def _describe_days(days: tuple[int, ...]) -> str:
    if len(days) == 7:
        return "Every day"
    runs: list[str] = []
    start = previous = None
    for day in (*days, None):
        if day is not None and previous is not None and day == previous + 1:
            previous = day
            continue
        if start is not None and previous is not None:
            runs.append(DAY_NAMES[start] if start == previous else
                        f"{DAY_NAMES[start]}{'–' if previous > start + 1 else ', '}"
                        f"{DAY_NAMES[previous]}")
        start = previous = day
    return ", ".join(runs)


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _team_zone(raw: str) -> str:
    if not raw:
        return "UTC"
    try:
        dates.zone(raw)
    except ValueError:
        raise ConfigError("BOT_TEAM_ZONE", f"{raw!r} is not a time zone name such as "
                                           "Europe/London or America/New_York") from None
    return raw


def _count(env: Mapping[str, str], name: str, default: int, least: int, most: int,
           unit: str) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    value = whole_number(raw, most=most)
    if value is None or value < least:
        raise ConfigError(name, f"{raw!r} is not a whole number of {unit} from {least} to {most}")
    return value
