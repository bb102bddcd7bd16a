"""A real Application on the offline Bot API, a real SQLite file, the real content/."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import build_application, running
from bot.config import load_settings
from bot.delivery.sender import Limits
from bot.library.content import load_library
from bot.library.model import Library
from bot.telegram.offline import OfflineBotAPI
from tests.harness import Harness

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library(CONTENT)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "bot.sqlite3"


@pytest.fixture
async def bot(library: Library, db_path: Path) -> AsyncIterator[Harness]:
    settings = load_settings({"BOT_DATABASE": str(db_path), "BOT_ADMIN_IDS": "9000001"})
    api = OfflineBotAPI()
    # No background tick or sender: tests drive them with an injected clock, at full speed.
    app = build_application(settings, library, request=api, background=False,
                            limits=Limits(enabled=False))
    async with running(app):
        yield Harness(app, api, db_path)
