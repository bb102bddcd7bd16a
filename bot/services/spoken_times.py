"""A reminder asked for in a person's own words: "remind me every weekday at 7pm", "8am PST",
"half past 7 in the evening London". Times, days and zones are each read by localtime; this
module finds which words are which."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.delivery import localtime

# Why not a date-parsing library: dateparser and parsedatetime read dates and relative times
# ("in 3 days"), pull in large locale tables, and still do not know "20h" or "half past 7 in
# the evening" together with a zone abbreviation. A reminder needs only a time of day, days of
# the week and a zone, each read by a small function that is tested on the phrases people use.

_TIME = re.compile(
    r"(?<![\w:.])(?:"
    r"(?:half|quarter|twenty five|twenty|ten|five|\d{1,2})\s+(?:past|after|to|til|till)\s+"
    r"(?:\d{1,2}|[a-z]+)"
    r"|\d{1,2}(?:\s*[:.h]\s*\d{2})?\s*h?\s*(?:a\.?\s?m\.?|p\.?\s?m\.?)?"
    r"|noon|midday|midnight"
    r")(?:\s+(?:in the morning|in the evening|in the afternoon|at night|tonight|"
    r"tomorrow morning|this evening|this morning|morning|evening|afternoon|o ?clock))?"
    r"(?![\w:])"
)
_DAY = r"(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)[a-z]*"
_DAYS = re.compile(
    r"\b(?:every\s*day|everyday|daily|each day|every weekday|weekdays?|week days|workdays|"
    r"every weekend|weekends?|at weekends|on weekends|"
    rf"(?:on |every )?{_DAY}(?:(?:\s*,\s*|\s+and\s+|\s+|\s*&\s*){_DAY})*)\b"
)
_FILLER = re.compile(
    r"\b(?:please|pls|can you|could you|would you|i want|i would like|id like|remind me|"
    r"reminders?|set up|set|send me|send|my|a|the|daily card|card|cards|me|at|on|in|for|"
    r"every|each|to|time ?zone|timezone|zone|time|around|about|tomorrow|today|start|starting|"
    r"from|and|of|it|get|one|thanks|thank you|ta)\b"
)
ASKS_FOR_REMINDER = re.compile(
    r"^(?:hi |hey |hello )?(?:please |pls |can you |could you |would you |i want you to |"
    r"i(?:d| would) like (?:you )?to |i want to )?(?:remind me|set (?:up )?(?:a |my )?reminder|"
    r"send me (?:a |the |my )?(?:daily )?(?:card|reminder)|give me a (?:daily )?reminder|"
    r"i want (?:a |daily )?reminders?)\b"
)


@dataclass(frozen=True)
class ReminderRequest:
    minute: int | None  # minutes after local midnight
    zone: str | None  # an IANA name or UTC offset
    days: int | None  # a day mask (localtime.EVERY_DAY...)
    unknown: str  # words that were neither time, days nor a zone ("" when all were read)


def parse_reminder(text: str, aliases: Mapping[str, str]) -> ReminderRequest:
    """Which words give the time, which the days and which the zone."""
    rest = " " + " ".join(text.lower().replace("’", "'").replace("'", "").split()) + " "
    minute = None
    for match in _TIME.finditer(rest):
        minute = localtime.parse_time(match.group())
        if minute is not None:
            rest = rest[: match.start()] + " " + rest[match.end():]
            break
    days = None
    day_match = _DAYS.search(rest)
    if day_match:
        days = localtime.parse_days(_plain_days(day_match.group()))
        if days is not None:
            rest = rest[: day_match.start()] + " " + rest[day_match.end():]
    rest = re.sub(r"[^\w+:/-]+", " ", rest)
    zone_words = " ".join(_FILLER.sub(" ", rest).split())
    zone = localtime.parse_zone(zone_words, dict(aliases)) if zone_words else None
    return ReminderRequest(minute, zone, days, zone_words if zone is None else "")


def _plain_days(phrase: str) -> str:
    """'every weekday' -> 'weekdays'; 'on mondays and wednesdays' -> 'mon wed'."""
    phrase = " ".join(phrase.split())
    if re.fullmatch(r"every\s*day|everyday|daily|each day", phrase):
        return "every day"
    if "weekday" in phrase or phrase in ("week days", "workdays"):
        return "weekdays"
    if "weekend" in phrase:
        return "weekends"
    words = re.sub(r"^(?:on|every)\s+|\band\b|[,&]", " ", phrase).split()
    return " ".join(word[:3] for word in words)
