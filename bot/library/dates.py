"""The one way dates and times are written in messages, from Python and from templates
(`{{ at | local(zone, "moment") }}`).

Styles: "day" Wed 25 Nov; "weekday" Wed 25; "moment" Wed 25 Nov, 08:00;
"full" Wed 25 Nov 2026, 08:00 (Europe/London); "utc" 2026-11-25 08:00 UTC; "date" 2026-11-25.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

STYLES = ("day", "weekday", "moment", "full", "utc", "date")


@lru_cache(maxsize=1024)
def zone(name: str) -> tzinfo:
    """The tzinfo behind a stored zone name."""
    if name.startswith("UTC") and len(name) == 9:
        sign = 1 if name[3] == "+" else -1
        return timezone(sign * timedelta(hours=int(name[4:6]), minutes=int(name[7:9])), name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def local(at: int | float | datetime | date | None, in_zone: str | tzinfo | None = None,
          style: str = "moment") -> str:
    """`at` (epoch seconds, a datetime or a date) in the person's zone, in one of STYLES."""
    if style not in STYLES:
        raise ValueError(f"unknown date style {style!r}")
    if at is None:
        return ""
    if isinstance(at, int | float):
        at = datetime.fromtimestamp(at, UTC)
    if isinstance(at, datetime) and in_zone is not None and style != "utc":
        at = at.astimezone(zone(in_zone) if isinstance(in_zone, str) else in_zone)
    if style == "utc":
        moment = at.astimezone(UTC) if isinstance(at, datetime) else at
        return f"{moment:%Y-%m-%d %H:%M} UTC" if isinstance(moment, datetime) \
            else f"{moment:%Y-%m-%d}"
    if style == "date":
        return f"{at:%Y-%m-%d}"
    if style == "weekday":
        return f"{at:%a} {at.day}"
    if style == "day":
        return f"{at:%a} {at.day} {at:%b}"
    if not isinstance(at, datetime):
        return f"{at:%a} {at.day} {at:%b}"
    if style == "full":
        label = in_zone if isinstance(in_zone, str) else str(at.tzinfo)
        return f"{at:%a} {at.day} {at:%b} {at:%Y}, {at:%H:%M} ({label})"
    return f"{at:%a} {at.day} {at:%b}, {at:%H:%M}"
