"""What each command-line verb does: load settings and content, then run a face."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings
from bot.library.content import load_library
from bot.library.model import ContentError, Library
from bot.logging_setup import configure_logging


def check_content() -> int:
    """Validate content/; print every problem with its file and field."""
    prepared = _library_only(shell=False)
    if isinstance(prepared, int):
        return prepared
    _, library = prepared
    print(f"content OK: {len(library.cards)} cards in {len(library.topics)} topics")
    return 0


def _prepare(shell: bool = False, webhook: bool = False) -> tuple[Settings, Library] | int:
    try:
        settings = load_settings(shell=shell, webhook=webhook)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        library = load_library(settings.content_dir)
    except ContentError as exc:
        for problem in exc.problems:
            print(f"content/{problem}", file=sys.stderr)
        print("error: content/ has problems (above); the bot did not start", file=sys.stderr)
        return 1
    store_error = asyncio.run(store_problem(settings))
    if store_error:
        print(f"error: {store_error}", file=sys.stderr)
        return 2
    return settings, library


async def store_problem(settings: Settings) -> str | None:
    """Open the store once (creating and migrating it) before anything else starts: a bad
    BOT_DATABASE or DATABASE_URL is one line naming the variable, never a traceback or a
    process that hangs. Reaching the store is bounded by each engine (PostgreSQL's connect
    times out in 8 s, SQLite waits 5 s for a lock); a long migration on a big store is not
    cut short."""
    from bot.store.connect import open_database
    from bot.store.db import StoreError

    try:
        db = await open_database(settings.store)
    except StoreError as exc:
        return f"{settings.store_variable}: {exc}"
    except OSError as exc:
        return f"{settings.store_variable}: {exc.strerror or exc}"
    await db.close()
    return None


def run(webhook: bool = False) -> int:
    """Run on Telegram: long polling, or a webhook (`webhook`, or BOT_WEBHOOK_URL set); the
    local shell when there is no token."""
    prepared = _prepare(webhook=webhook)
    if isinstance(prepared, int):
        return prepared
    settings, library = prepared
    if settings.token is None:
        return _shell(settings, library, "Friend")
    from telegram.error import InvalidToken

    from bot import serving

    configure_logging(settings.token)
    if settings.sentry_dsn:
        from bot.error_tracking import start_error_tracking

        start_error_tracking(settings.sentry_dsn, settings.token)
    try:
        return serving.serve(settings, library)
    except InvalidToken:
        # PTB's message quotes the token itself; it must never reach a terminal or a log.
        print("error: TELEGRAM_BOT_TOKEN was rejected by Telegram (getMe answered 401 or 404); "
              "check it with @BotFather (and TELEGRAM_BASE_URL, if you set one)",
              file=sys.stderr)
        return 2
    except serving.WebhookRefused as exc:
        print(f"error: BOT_WEBHOOK_URL: Telegram refused it ({exc})", file=sys.stderr)
        return 2


def backup(target: str) -> int:
    """Copy the SQLite database to `target` while the bot runs; PostgreSQL has pg_dump."""
    import os

    from bot.store.backup import BackupError
    from bot.store.backup import backup as copy_database

    if os.environ.get("DATABASE_URL", "").strip():
        print("error: DATABASE_URL is set: the store is PostgreSQL, which this command does not "
              "copy; use PostgreSQL's own pg_dump (see the README's Backups)", file=sys.stderr)
        return 2
    try:
        # The bot's own database, token or not: without one `python -m bot` is the local
        # shell, whose practice file is not what anyone means to back up.
        settings = load_settings(served=True)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    source = settings.database.absolute()
    chosen_by = "BOT_DATABASE" if os.environ.get("BOT_DATABASE", "").strip() else \
        "the default; BOT_DATABASE is not set"
    try:
        done = copy_database(source, Path(target).expanduser())
    except BackupError as exc:
        print(f"error: backup: {exc} ({chosen_by})", file=sys.stderr)
        return 1
    tables = f"{done.tables} table{'s' if done.tables != 1 else ''}"
    print(f"backed up the bot's database {source} ({chosen_by}) to {done.path.absolute()}: "
          f"{done.size / 1024:.0f} kB, {tables}, checked, in {done.seconds:.1f} s")
    return 0


def shell(first_name: str = "Friend") -> int:
    prepared = _prepare(shell=True)
    if isinstance(prepared, int):
        return prepared
    settings, library = prepared
    return _shell(settings, library, first_name)


def _shell(settings: Settings, library: Library, first_name: str) -> int:
    from bot.shell import run_shell

    configure_logging(None, logging.WARNING)
    return asyncio.run(run_shell(settings, library, first_name=first_name))


def try_postgres() -> int:
    """Start a throw-away PostgreSQL (pgserver, the test suite's) and the bot on it: the local
    shell without a token, Telegram with one. The server and its data go when the bot stops."""
    import os
    import shutil
    import tempfile
    import warnings

    try:
        with warnings.catch_warnings():  # it warns when XDG_RUNTIME_DIR is unset
            warnings.simplefilter("ignore")
            import pgserver
    except ImportError:
        print("error: pgserver is not installed: it comes with the test install "
              "(pip install --require-hashes -r requirements/test.txt)", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="gutskin-try-pg-"))
    folder.chmod(0o755)  # run as root, pgserver starts the server as a user of its own
    server = pgserver.get_server(folder, cleanup_mode="stop")
    try:
        os.environ["DATABASE_URL"] = server.get_uri()
        print(f"PostgreSQL (throw-away, in {folder}) is the store; it is deleted when the bot "
              "stops", file=sys.stderr)
        return run()
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


def train_triage() -> int:
    """Rebuild content/triage_model.json from every labelled set (tests/data/triage/) and the
    coverage table; needs scikit-learn (the train extra, in requirements/test.txt)."""
    import time

    root = Path(__file__).resolve().parent.parent
    import importlib.util

    from bot.library.triage_training import training_files, write_model

    if importlib.util.find_spec("sklearn") is None:
        print("error: scikit-learn is not installed: it comes with requirements/test.txt",
              file=sys.stderr)
        return 2
    if not (root / "tests" / "data" / "triage").is_dir():
        print("error: tests/data/triage/ is not here: train from a checkout of the repository",
              file=sys.stderr)
        return 2
    started = time.perf_counter()
    target = root / "content" / "triage_model.json"
    document = write_model(root, target)
    print(f"wrote {target.relative_to(root)}: {len(document['features'])} features, "
          f"{document['examples']} examples from {len(training_files(root))} files, "
          f"one-tap check above {document['ask_above']:.2f}, "
          f"in {time.perf_counter() - started:.0f} s")
    return 0


def urgent_book() -> int:
    """Write docs/urgent-replies.md: every reply the urgent-care planner can give."""
    from bot.library.render import Renderer
    from bot.views.urgent_book import book

    prepared = _library_only()
    if isinstance(prepared, int):
        return prepared
    settings, library = prepared
    target = Path(__file__).resolve().parent.parent / "docs" / "urgent-replies.md"
    text = book(Renderer(settings.content_dir / "templates", library))
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target.name}: {text.count(chr(10) + '### ')} replies")
    return 0


def _library_only(shell: bool = True) -> tuple[Settings, Library] | int:
    """The settings and the content, or the exit status after saying what is wrong: every
    problem of content/ with its file and field."""
    try:
        settings = load_settings(shell=shell)
        return settings, load_library(settings.content_dir)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ContentError as exc:
        for problem in exc.problems:
            print(f"content/{problem}", file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) in content/", file=sys.stderr)
        return 1
