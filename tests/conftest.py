"""A real Application on the offline Bot API, a real SQLite file, the real content/."""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import itertools
import os
import shutil
import tempfile
import warnings
from collections.abc import AsyncIterator, Coroutine, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from bot.app import build_application, running
from bot.config import load_settings
from bot.delivery.sender import Limits
from bot.library.content import load_library
from bot.library.model import Library
from bot.store import Database, open_database
from bot.telegram.offline import OfflineBotAPI
from tests.harness import Harness
from tests.team_helpers import TEAM, moderators

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library(CONTENT)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "bot.sqlite3"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test module that says BOTH_ENGINES = True runs each of its tests on SQLite and on
    PostgreSQL; the others on SQLite, the default."""
    if "engine" in metafunc.fixturenames:
        both = getattr(metafunc.module, "BOTH_ENGINES", False)
        metafunc.parametrize("engine", ["sqlite", "postgres"] if both else ["sqlite"],
                             indirect=True)


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
async def bot(library: Library, db_path: Path, engine: str,
              request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    env = {"BOT_DATABASE": str(db_path), "BOT_ADMIN_IDS": "9000001"}
    # A test module's own settings (BOT_ENV = {...}), such as the team's supergroup.
    env.update(getattr(request.module, "BOT_ENV", {}))
    if engine == "postgres":
        env["DATABASE_URL"] = request.getfixturevalue("postgres_url")
    settings = load_settings(env)
    api = OfflineBotAPI()
    # No background tick or sender: tests drive them with an injected clock, at full speed.
    app = build_application(settings, library, request=api, background=False,
                            limits=Limits(enabled=False))
    async with running(app):
        yield Harness(app, api, db_path, settings.database_url)


@pytest.fixture
async def team(bot: Harness) -> Harness:
    """The bot with the team's supergroup keeping forum topics (a test module's BOT_ENV names
    it), and the owner and two moderators who started it (tests/team_helpers.py)."""
    bot.api.forums.add(TEAM)
    await moderators(bot)
    return bot


# --- the store on both engines -------------------------------------------------------------

@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A real PostgreSQL for the session, from the pgserver package (no system install):
    its base URL; each test gets a database of its own."""
    with warnings.catch_warnings():  # it warns that XDG_RUNTIME_DIR is unset on CI machines
        warnings.simplefilter("ignore")
        import pgserver  # a test dependency: the suite must not quietly skip PostgreSQL
    # Run as root, pgserver starts the server as its own unprivileged user, which cannot
    # enter pytest's private temporary folders: the data lives in a folder it can reach.
    folder = Path(tempfile.mkdtemp(prefix="gutskin-pg-"))
    folder.chmod(0o755)
    server = pgserver.get_server(folder, cleanup_mode="stop")
    uri = server.get_uri()
    # The schema is migrated once, into a template; each test's database is a copy of it
    # (a file copy on the server: far quicker than migrating every time).
    template = urlunsplit(urlsplit(uri)._replace(path=f"/{TEMPLATE}"))

    async def prepare() -> None:
        await _create_database(uri, f'"{TEMPLATE}"')
        db = await open_database(template)
        await db.close()

    _in_thread(prepare())
    try:
        yield uri
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


_databases = itertools.count(1)
TEMPLATE = "bot_template"


async def _create_database(server: str, spec: str) -> None:
    import asyncpg

    admin = await asyncpg.connect(server)
    try:
        await admin.execute(f"CREATE DATABASE {spec}")
    finally:
        await admin.close()


def _in_thread(work: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine to the end on a loop of its own (fixtures that are not async)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, work).result()


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A database of the test's own on the session's server, migrated and with no rows (a
    copy of the template). A plain fixture (the database is made from a thread with its own
    loop), so that async fixtures can ask for it too."""
    name = f"test_{os.getpid()}_{next(_databases)}"
    _in_thread(_create_database(postgres_server, f'"{name}" TEMPLATE "{TEMPLATE}"'))
    parts = urlsplit(postgres_server)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(params=["sqlite", "postgres"])
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a store test's database lives: run once on each engine."""
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite3")
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
async def store(store_target: str) -> AsyncIterator[Database]:
    db = await open_database(store_target)
    try:
        yield db
    finally:
        await db.close()


@pytest.fixture(autouse=True)
def _heap_unfrozen() -> Iterator[None]:
    """A /reload in a test freezes the heap (bot/heap.py) as the running bot does; the next
    test starts with everything collectable again."""
    yield
    gc.unfreeze()
