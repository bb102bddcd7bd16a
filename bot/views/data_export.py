"""/mydata's file: every row kept about the chat, as stored, in JSON a person can keep."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

FILENAME = "my-data.json"


def data_file(tables: dict[str, list[dict[str, Any]]], chat_id: int, now: int) -> bytes:
    """The file's bytes. A set-up in progress is kept as JSON text; it is shown as JSON."""
    shown = {table: [_readable(row) for row in rows] for table, rows in tables.items()}
    document = {
        "about": f"Everything this bot keeps about chat {chat_id}, table by table, as stored. "
                 "Times are seconds since 1970-01-01 UTC (Unix time). /privacy says what each "
                 "part is for and how long it is kept; /forget erases it.",
        "chat_id": chat_id,
        "exported_at": datetime.fromtimestamp(now, UTC).isoformat(timespec="seconds"),
        "tables": shown,
    }
    return json.dumps(document, ensure_ascii=False, indent=2, default=str).encode()


def _readable(row: dict[str, Any]) -> dict[str, Any]:
    data = row.get("data")
    if isinstance(data, str) and data[:1] in "{[":
        try:
            return {**row, "data": json.loads(data)}
        except ValueError:
            pass
    return row
