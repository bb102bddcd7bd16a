"""The Dockerfile and compose.yaml say what the README promises. Docker itself is not run
here (CI has no daemon): the files are read as Docker would read them and checked against the
repository and the bot's own settings."""

from __future__ import annotations

import shlex
from pathlib import Path

import yaml

from bot.config import load_settings

ROOT = Path(__file__).resolve().parent.parent


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def test_the_image_is_small_runs_as_a_user_and_starts_the_bot() -> None:
    steps = instructions()
    assert steps[0] == ("FROM", "python:3.11-slim")
    users = [args for word, args in steps if word == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert steps[-1] == ("CMD", '["python", "-m", "bot"]')
    for word, args in steps:
        if word == "COPY":  # everything copied exists, and nothing ignored is needed
            *sources, _ = shlex.split(args)
            assert all((ROOT / s).exists() for s in sources), args
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert "content" not in ignored and "bot" not in ignored and ".venv" in ignored
    env = {}
    for word, args in steps:
        if word == "ENV":
            env.update(pair.split("=", 1) for pair in shlex.split(args))
    # The content the image points at is the repository's, copied in.
    assert env["BOT_CONTENT_DIR"] == "/app/content"
    assert ("COPY", "content ./content") in steps and ("WORKDIR", "/app") in steps
    assert env["PORT"] == env["BOT_HEALTH_PORT"] == "8080"
    assert any(word == "HEALTHCHECK" and "8080/healthz" in args for word, args in steps)
    # The locked versions, hashes checked, then the package with nothing more fetched: an
    # unpinned `pip install .` took sentry-sdk 3.0 the day it came out and crashed at start.
    runs = [args for word, args in steps if word == "RUN" and "pip install" in args]
    assert runs[0] == "pip install --require-hashes -r requirements/run.txt"
    assert runs[1] == "pip install --no-deps --no-build-isolation ."
    locked = (ROOT / "requirements/run.txt").read_text()
    assert "sentry-sdk==3." in locked and "--hash=sha256:" in locked


def test_compose_runs_the_bot_on_postgresql_with_a_volume() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    db, bot = compose["services"]["db"], compose["services"]["bot"]
    assert db["image"] == "postgres:16"
    assert any(v.endswith(":/var/lib/postgresql/data") for v in db["volumes"])
    assert set(compose["volumes"]) == {v.split(":")[0] for v in db["volumes"]}
    assert bot["build"] == "." and bot["depends_on"]["db"]["condition"] == "service_healthy"
    env = bot["environment"]
    url = env["DATABASE_URL"].replace("${POSTGRES_PASSWORD}", "secret")
    assert url.startswith("postgresql://bot:secret@db:5432/")
    # With compose's values filled in, the bot's own settings take them.
    settings = load_settings({"TELEGRAM_BOT_TOKEN": "123456:abc", "DATABASE_URL": url,
                              "BOT_WEBHOOK_URL": "", "BOT_WEBHOOK_SECRET": "",
                              "SENTRY_DSN": "", "BOT_ADMIN_IDS": ""})
    assert settings.database_url == url and not settings.webhook
    # Published on the host's loopback only, unless the owner names an address (a reverse
    # proxy on another host): the health check and the webhook are not for the whole network.
    [published] = bot["ports"]
    assert published == "${BOT_PUBLISH_ADDRESS:-127.0.0.1}:8080:8080"


def test_the_procfile_has_a_worker_that_polls_and_a_web_process_that_takes_the_webhook() -> None:
    lines = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines())
    assert lines == {"worker": "python -m bot run", "web": "python -m bot webhook"}
