"""Settings come from the environment; a bad value is one line that names its variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_without_a_token_mean_the_offline_shell(tmp_path: Path) -> None:
    settings = load_settings({})
    assert settings.offline
    assert settings.database == Path("bot-shell.sqlite3")
    assert settings.admin_ids == frozenset()
    online = load_settings({"TELEGRAM_BOT_TOKEN": "123456:ABC-def_1"})
    assert online.database == Path("bot.sqlite3")


def test_every_setting_is_read() -> None:
    settings = load_settings({
        "TELEGRAM_BOT_TOKEN": "123456:ABC-def_1",
        "TELEGRAM_BASE_URL": "http://127.0.0.1:8081/bot",
        "TELEGRAM_BASE_FILE_URL": "http://127.0.0.1:8081/file/bot",
        "BOT_DATABASE": "/tmp/x/bot.db",
        "BOT_ADMIN_IDS": " 11, 22 ,33",
    })
    assert settings.base_url == "http://127.0.0.1:8081/bot"
    assert settings.base_file_url == "http://127.0.0.1:8081/file/bot"
    assert settings.database == Path("/tmp/x/bot.db")
    assert settings.admin_ids == {11, 22, 33}


@pytest.mark.parametrize(("variable", "value"), [
    ("TELEGRAM_BOT_TOKEN", "not a token"),
    ("TELEGRAM_BASE_URL", "127.0.0.1:8081"),
    ("TELEGRAM_BASE_FILE_URL", "ftp://x"),
    ("BOT_ADMIN_IDS", "12,abc"),
    ("BOT_ADMIN_IDS", "-5"),
    ("BOT_DATABASE", "."),
    ("BOT_SEND_RATE", "0"),
    ("BOT_SEND_RATE", "fast"),
    ("BOT_TEAM", "maybe"),
    ("BOT_TEAM_CHAT", "12345"),
    ("BOT_TEAM_CHAT", "@eczema_team"),
    ("BOT_TEAM_HOURS", "9 to 5"),
    ("BOT_TEAM_HOURS", "Funday 09:00-17:00"),
    ("BOT_TEAM_HOURS", "Mon-Fri 09:00-09:00"),
    ("BOT_TEAM_HOURS", "Mon-Fri 09:00-25:00"),
    ("BOT_TEAM_ZONE", "Mars/Olympus"),
    ("BOT_TEAM_CLAIM_HOURS", "0"),
    ("BOT_TEAM_CLAIM_HOURS", "a day"),
    ("BOT_TEAM_KEEP_DAYS", "-3"),
    ("BOT_TEAM_FLOOD", "lots"),
])
def test_a_bad_value_names_its_variable(variable: str, value: str) -> None:
    env = {"TELEGRAM_BASE_URL": "http://127.0.0.1:1/bot", variable: value}
    with pytest.raises(ConfigError) as caught:
        load_settings(env)
    assert caught.value.variable == variable
    assert str(caught.value).startswith(f"{variable}: ")


def test_the_teams_settings_are_read_and_described() -> None:
    settings = load_settings({"BOT_TEAM_CHAT": "-1001234567890",
                              "BOT_TEAM_HOURS": "Mon-Fri 09:00-17:30",
                              "BOT_TEAM_ZONE": "Europe/London", "BOT_TEAM_CLAIM_HOURS": "6",
                              "BOT_TEAM_KEEP_DAYS": "30", "BOT_TEAM_FLOOD": "10"})
    assert settings.team_chat == -1001234567890 and settings.team_inbox
    assert settings.team_hours is not None
    assert settings.team_hours.describe() == "Mon–Fri 09:00–17:30"
    assert settings.team_hours.covers(0, 9 * 60) and not settings.team_hours.covers(5, 600)
    assert (settings.team_zone, settings.team_claim_hours, settings.team_keep_days,
            settings.team_flood) == ("Europe/London", 6, 30, 10)
    night = load_settings({"BOT_TEAM_HOURS": "Fri 22:00-02:00"}).team_hours
    assert night is not None and night.covers(4, 23 * 60) and night.covers(5, 60)
    assert not night.covers(4, 60)
    # Nobody to answer: no supergroup and no owners, or switched off.
    assert not load_settings({}).team_inbox
    assert load_settings({"BOT_ADMIN_IDS": "1"}).team_inbox
    assert not load_settings({"BOT_ADMIN_IDS": "1", "BOT_TEAM": "off"}).team_inbox
    defaults = load_settings({})
    assert (defaults.team_hours, defaults.team_zone, defaults.team_claim_hours,
            defaults.team_keep_days, defaults.team_flood) == (None, "UTC", 12, 90, 20)


def test_the_command_line_prints_one_line_and_never_the_token(tmp_path: Path) -> None:
    secret = "123456:this-has spaces-so-it-is-bad"
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": secret, "BOT_DATABASE": str(tmp_path / "b.db")}
    result = subprocess.run([sys.executable, "-m", "bot"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("error: TELEGRAM_BOT_TOKEN:")
    assert "this-has" not in result.stderr + result.stdout
