"""SQLite storage: one connection, numbered migrations, one query module per table group."""

from bot.store.connect import open_database
from bot.store.db import Database

__all__ = ["Database", "open_database"]
