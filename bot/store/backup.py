"""A consistent copy of the SQLite database, taken while the bot keeps running.

SQLite's online backup API copies every page inside one read transaction: the copy is the
database exactly as it was when the copy began, and in WAL mode the bot's writes go on
meanwhile (a reader never blocks a writer). The copy is written beside the target and renamed
into place only once it is complete and passes a check, so a failed backup never
leaves half a file where the last good one was.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote


class BackupError(Exception):
    """The backup could not be made; str() is the one line a person sees."""


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int  # bytes
    tables: int
    seconds: float


def backup(source: Path, target: Path) -> Backup:
    """Copy the database at `source` to `target` (replacing a previous backup there)."""
    started = time.monotonic()
    if not source.is_file():
        raise BackupError(f"there is no database at {str(source)!r} to back up")
    if target.is_dir():
        raise BackupError(f"{str(target)!r} is a folder; give the path of the backup file")
    if not target.parent.is_dir():
        raise BackupError(f"the folder {str(target.parent)!r} does not exist")
    if target.exists() and target.resolve() == source.resolve():
        raise BackupError("that is the database itself; give another path")
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        # mode=rw: never create a database where there was none; the copy only reads.
        with contextlib.closing(sqlite3.connect(f"file:{quote(str(source))}?mode=rw",
                                                uri=True, timeout=30)) as live, \
                contextlib.closing(sqlite3.connect(partial)) as copy:
            # pages=-1: one step, so one read transaction and one moment in time.
            live.backup(copy, pages=-1)
            verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise BackupError(f"the copy failed its check ({verdict})")
            tables = copy.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
            # One self-contained file: no write-ahead log beside it to forget when copying.
            copy.execute("PRAGMA journal_mode=DELETE")
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite could not copy it ({exc})") from None
    finally:
        partial.unlink(missing_ok=True)
    return Backup(target, target.stat().st_size, int(tables), time.monotonic() - started)
