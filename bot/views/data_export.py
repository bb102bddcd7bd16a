"""/mydata's file: every row kept about the chat, in JSON a person can keep and read.

The rows are the store's, with the values a person cannot read put in words: moments as
ISO 8601 times in UTC, a schedule's days as day names and its time of day as "08:00".
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from bot.delivery.localtime import DAY_NAMES, format_time

FILENAME = "my-data.json"
# Columns that hold a moment as seconds since 1970 (the store's own form), in any table.
_MOMENTS = frozenset({
    "first_seen", "last_seen", "paused_until", "first_read", "last_read", "answered_at",
    "started_at", "finished_at", "not_before", "created", "sent_at", "created_at", "send_at",
    "at", "added_at", "opened_at", "claimed_at", "first_reply_at", "last_at", "closed_at"})
ABOUT = (
    "Everything this bot keeps about chat {chat_id}, table by table. Moments are ISO 8601 "
    "times in UTC (2026-03-01T08:00:00Z is 8 am on 1 March 2026, UTC). A schedule's \"time\" "
    "is the time of day on the chat's own clock (its \"timezone\" in chats), its \"days\" the "
    "days of the week it runs, and \"next_due\" when it next runs, in UTC. /privacy says what "
    "each part is for and how long it is kept; /forget erases it.")


def data_file(tables: dict[str, list[dict[str, Any]]], chat_id: int, now: int) -> bytes:
    """The file's bytes."""
    shown = {table: [_readable(table, row) for row in rows] for table, rows in tables.items()}
    document = {
        "about": ABOUT.format(chat_id=chat_id),
        "chat_id": chat_id,
        "exported_at": utc_time(now),
        "tables": shown,
    }
    return json.dumps(document, ensure_ascii=False, indent=2, default=str).encode()


def utc_time(epoch_seconds: int) -> str:
    return datetime.fromtimestamp(epoch_seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day_names(days: int) -> list[str]:
    """A schedule's days (bit 0 Monday ... bit 6 Sunday) as ["mon", "tue", ...]."""
    return [name.lower() for i, name in enumerate(DAY_NAMES) if days & (1 << i)]


def _readable(table: str, row: dict[str, Any]) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    for key, value in row.items():
        if key in _MOMENTS and isinstance(value, int) and not isinstance(value, bool):
            value = utc_time(value)
        elif key == "data" and isinstance(value, str) and value[:1] in "{[":
            try:  # a set-up in progress is kept as JSON text: shown as JSON
                value = json.loads(value)
            except ValueError:
                pass
        shown[key] = value
    if table == "schedules":
        # The store's forms: minutes after local midnight, days as bits, and the next run as
        # minutes since 1970 (the minute tick's unit).
        if isinstance(row.get("local_minute"), int):
            shown = {("time" if k == "local_minute" else k): v for k, v in shown.items()}
            shown["time"] = format_time(row["local_minute"])
        if isinstance(row.get("days"), int):
            shown["days"] = day_names(row["days"])
        if isinstance(row.get("next_due"), int):
            shown["next_due"] = utc_time(row["next_due"] * 60)
    return shown
