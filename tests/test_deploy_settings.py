"""The deployment settings: webhook, listen address, ports, Sentry; each bad value is one line
naming its variable, and a secret is never echoed."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings

TOKEN = "123456:TEST-token"
SECRET = "A-good_secret-0123456789"
HOOK = {"TELEGRAM_BOT_TOKEN": TOKEN, "BOT_WEBHOOK_URL": "https://bot.example.org/tg",
        "BOT_WEBHOOK_SECRET": SECRET}


@pytest.mark.parametrize(("env", "variable", "never_shown"), [
    ({**HOOK, "BOT_WEBHOOK_URL": "http://bot.mysite.net/hook"}, "BOT_WEBHOOK_URL", "mysite"),
    ({**HOOK, "BOT_WEBHOOK_URL": "bot.mysite.net/hook"}, "BOT_WEBHOOK_URL", "mysite"),
    ({**HOOK, "BOT_WEBHOOK_SECRET": "has spaces in it, 1234"}, "BOT_WEBHOOK_SECRET", "spaces"),
    ({**HOOK, "BOT_WEBHOOK_SECRET": "x" * 257}, "BOT_WEBHOOK_SECRET", "xxxx"),
    ({"BOT_WEBHOOK_URL": "https://bot.example.org/tg", "BOT_WEBHOOK_SECRET": SECRET},
     "TELEGRAM_BOT_TOKEN", SECRET),
    ({"BOT_LISTEN": "every interface"}, "BOT_LISTEN", None),
    ({"PORT": "0"}, "PORT", None),
    ({"BOT_HEALTH_PORT": "70000"}, "BOT_HEALTH_PORT", None),
    ({"SENTRY_DSN": "not-a-dsn-abc123"}, "SENTRY_DSN", "abc123"),
])
def test_a_bad_deployment_value_names_its_variable(env: dict[str, str], variable: str,
                                                   never_shown: str | None) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(env)
    assert caught.value.variable == variable
    assert str(caught.value).startswith(f"{variable}: ") and "\n" not in str(caught.value)
    if never_shown:
        assert never_shown not in str(caught.value)


def test_webhook_mode_from_the_url_and_long_polling_by_default() -> None:
    polling = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert not polling.webhook and polling.port == 8080 and polling.listen == "0.0.0.0"
    assert polling.health_port is None
    hooked = load_settings({**HOOK, "PORT": "5000", "BOT_LISTEN": "::"})
    assert hooked.webhook and hooked.webhook_path == "/tg" and hooked.webhook_secret == SECRET
    assert (hooked.port, hooked.listen) == (5000, "::")
    assert load_settings({**HOOK, "BOT_WEBHOOK_URL": "https://bot.example.org"}
                         ).webhook_path == "/"
    # A self-hosted Bot API server may post over plain http.
    local = load_settings({**HOOK, "BOT_WEBHOOK_URL": "http://bot:8443/tg",
                           "TELEGRAM_BASE_URL": "http://127.0.0.1:8081/bot"})
    assert local.webhook_url == "http://bot:8443/tg"
    # `python -m bot webhook` without BOT_WEBHOOK_URL is an error; the shell never listens.
    with pytest.raises(ConfigError, match="^BOT_WEBHOOK_URL: is required in webhook mode"):
        load_settings({"TELEGRAM_BOT_TOKEN": TOKEN}, webhook=True)
    assert not load_settings(HOOK, shell=True).webhook


def test_a_dsn_is_taken_when_sentry_sdk_is_installed() -> None:
    dsn = "https://abc123@o1.ingest.sentry.io/42"
    assert load_settings({"SENTRY_DSN": dsn}).sentry_dsn == dsn
    assert load_settings({}).sentry_dsn is None
