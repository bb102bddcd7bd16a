"""SQLite storage: one connection, numbered migrations, one query module per table group."""

from bot.store.db import Database, open_database

__all__ = ["Database", "open_database"]
