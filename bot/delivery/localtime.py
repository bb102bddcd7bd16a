"""Local reminder times in UTC: days, daylight-saving gaps and repeats, typed times and zones."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import available_timezones

from bot.library.dates import zone
from bot.library.numbers import whole_number

EVERY_DAY = 0b1111111  # bit 0 = Monday ... bit 6 = Sunday
WEEKDAYS = 0b0011111
WEEKENDS = 0b1100000
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def occurrence(zone: tzinfo, day: date, minute_of_day: int) -> datetime:
    """The UTC instant of a local wall time on a local day.

    A time inside a spring-forward gap does not exist; it becomes the first valid minute after
    it (the end of the gap). A time inside a fall-back repeat exists twice; the first counts.
    """
    wall = datetime(day.year, day.month, day.day, minute_of_day // 60, minute_of_day % 60,
                    tzinfo=zone)
    utc = wall.astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) == wall.replace(tzinfo=None):
        return utc  # exists (fold=0 is the first of two when it repeats)
    # In a gap: with fold=1 the wall time is read with the offset from after the change, which
    # lands before the gap; step forward to the first minute the clock really shows.
    target = wall.replace(tzinfo=None)
    probe = wall.replace(fold=1).astimezone(UTC)
    while probe.astimezone(zone).replace(tzinfo=None) < target:
        probe += timedelta(minutes=1)
    return probe


def next_occurrence(zone: tzinfo, minute_of_day: int, days: int, after: datetime) -> datetime:
    """The first reminder instant strictly after `after` (UTC) on a chosen local day."""
    if days & EVERY_DAY == 0:
        raise ValueError("no day chosen")
    local_day = after.astimezone(zone).date() - timedelta(days=1)  # DST can shift a day
    for offset in range(0, 10):
        day = local_day + timedelta(days=offset)
        if not days & (1 << day.weekday()):
            continue
        at = occurrence(zone, day, minute_of_day)
        if at > after:
            return at
    raise AssertionError("unreachable: a chosen day falls within any 8 days")


# --- typed input ------------------------------------------------------------------------------
_AMPM = r"(?:[ap]\.?\s?m+\.?|[ap](?![a-z]))"  # am, p.m., pm with a doubled m, or 9p
_TIME = re.compile(
    r"^(?P<h>\d{1,2})(?:\s*[:.;h]\s*(?P<m>\d{2})|\s+(?P<m2>\d{2})(?=\s*" + _AMPM + r"|$))?"
    r"\s*(?:h|hrs?|hours)?\s*(?P<ampm>" + _AMPM + r")?$"
)
# 0800, 1930, 730pm, 1900 hrs: hours and minutes written together.
_COMPACT = re.compile(r"^(?P<hm>\d{3,4})\s*(?P<unit>h|hrs?|hours)?\s*(?P<ampm>" + _AMPM + r")?$")
_NAMED_TIMES = {"noon": 12 * 60, "midday": 12 * 60, "midnight": 0, "12 noon": 12 * 60,
                "12 midday": 12 * 60, "12 midnight": 0}
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_TEENS = {"thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
          "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_UNITS = {k: v for k, v in _NUMBER_WORDS.items() if v < 10}
# "eight thirty", "seven forty five", "nine oh five": an hour word and a minutes word.
_SPOKEN_NUMBER = re.compile(
    r"\b(?:(?P<tens>" + "|".join(_TENS) + r")(?:[\s-](?P<unit>" + "|".join(_UNITS) + r"))?"
    r"|(?P<oh>oh|o)[\s-](?P<ohunit>" + "|".join(_UNITS) + r")"
    r"|(?P<word>" + "|".join([*_TEENS, *_NUMBER_WORDS]) + r"))\b"
)
_PAST = re.compile(r"^(?P<part>half|quarter|\d{1,2})\s+(?P<dir>past|after|to|til|till)\s+"
                   r"(?P<h>\d{1,2})(?:\s*(?P<ampm>" + _AMPM + r"))?$")
_HALF = re.compile(r"^half\s+(?P<h>\d{1,2})$")  # "half 8": half past eight, as in Britain
# Words around a time that say which half of the day, or only fill the sentence.
_MORNING = re.compile(r"\b(?:in the morning|this morning|tomorrow morning|morning)\b")
_EVENING = re.compile(r"\b(?:in the (?:evening|afternoon)|this (?:evening|afternoon)|tonight|"
                      r"at night|evening|afternoon|night)\b")
_FILLER = re.compile(r"\b(?:at|around|about|approx|approximately|roughly|tomorrow|today|"
                     r"every day|o ?clock|oclock|please|pls|plz|ish|x+)\b")


def plain(text: str) -> str:
    """Lower case, apostrophes gone, number words as digits, and every mark that cannot be
    part of a time or a zone (?!, emoji, brackets) a space: '7AM!!' -> '7am', 'eight thirty'
    -> '8 30', 'Europe/London' stays."""
    text = text.lower().replace("’", "'").replace("'", "")
    text = re.sub(r"[^a-z0-9:.;+\-/_\s]", " ", text)
    text = re.sub(r"(?<=[a-z0-9])-ish\b|(?<=\d)ish\b", " ", text)  # 9ish, 8pm-ish
    text = _WORD_CLOCK.sub(_word_clock, text)
    text = _SPOKEN_NUMBER.sub(_number_digits, text)
    return " ".join(text.replace(" .", " ").strip(" .").split())


# "six fifteen", "eight thirty", "nine oh five": an hour word, then a minutes word, said as a
# clock time ("6:15"), so that no am/pm is needed to tell it from two numbers.
_WORD_CLOCK = re.compile(
    r"\b(?P<hour>" + "|".join(_NUMBER_WORDS) + r")\s+(?P<minutes>(?:"
    + "|".join(_TENS) + r")(?:[\s-](?:" + "|".join(_UNITS) + r"))?|(?:oh|o)[\s-](?:"
    + "|".join(_UNITS) + r")|" + "|".join(_TEENS) + r"|ten|eleven|twelve)\b")


def _word_clock(match: re.Match[str]) -> str:
    minutes = _SPOKEN_NUMBER.sub(_number_digits, match["minutes"])
    return f"{_NUMBER_WORDS[match['hour']]}:{int(minutes):02d}"


def _number_digits(match: re.Match[str]) -> str:
    if match["tens"]:
        return str(_TENS[match["tens"]] + (_UNITS[match["unit"]] if match["unit"] else 0))
    if match["oh"]:
        return f"0{_UNITS[match['ohunit']]}"
    word = match["word"]
    return str(_TEENS.get(word) or _NUMBER_WORDS[word])


def parse_time(text: str, *, compact: bool = True) -> int | None:
    """Minutes after midnight for a time as people write it: 8, 8am, 8 am, 08:00, 19:30,
    7.30pm, 8:30 p.m., 9p, 20h, 20h30, 0800, 1930, 730pm, noon, midnight, half past 7,
    half 8, quarter to 9, eight thirty pm, 7 in the evening, 9ish, 7:30 tomorrow morning.
    A bare hour is the morning's. None if it is not a time. With compact=False four digits
    alone (a year, in a date) are not read as a time."""
    text = plain(text)
    if text in _NAMED_TIMES:
        return _NAMED_TIMES[text]
    morning, evening = bool(_MORNING.search(text)), bool(_EVENING.search(text))
    if morning and evening:
        return None  # "8 in the morning tonight"
    half = "pm" if evening else "am" if morning else ""
    core = " ".join(_FILLER.sub(" ", _EVENING.sub(" ", _MORNING.sub(" ", text))).split())
    if core in _NAMED_TIMES:
        return _NAMED_TIMES[core]
    if _PAST.match(core):
        minute = _spoken(core)
    elif _HALF.match(core):
        hour = int(_HALF.match(core)["h"])  # type: ignore[index]
        minute = hour * 60 + 30 if hour < 24 else None
    else:
        minute = _clock(core, compact)
    if minute is None or not half:
        return minute
    if re.search(r"\d\s*" + _AMPM, core):  # "9pm tonight" agrees; "9am tonight" does not
        return minute if (minute >= 12 * 60) == (half == "pm") else None
    hour = minute // 60
    if hour > 12 or (half == "am" and hour == 12 and not core.startswith("12")):
        return minute if hour > 12 and half == "pm" else None
    if half == "pm" and hour < 12:
        minute += 12 * 60
    elif half == "am" and hour == 12:
        minute -= 12 * 60
    return minute


def _clock(text: str, compact: bool = True) -> int | None:
    match = _TIME.match(text)
    if match:
        hour, minute = int(match["h"]), int(match["m"] or match["m2"] or 0)
    else:
        whole = _COMPACT.match(text)
        # Four digits alone may be a year (in a date) unless the caller says otherwise.
        if whole is None or (not compact and not whole["unit"] and not whole["ampm"]):
            return None
        digits = whole["hm"]
        if len(digits) == 3 and not whole["ampm"] and not whole["unit"]:
            return None  # "730" alone is more likely a number than a time
        hour, minute = int(digits[:-2]), int(digits[-2:])
        match = whole
    ampm = (match["ampm"] or "").replace(".", "").replace(" ", "").rstrip("m")
    if minute > 59:
        return None
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "p" else 0)
    elif hour > 23:
        return None
    return hour * 60 + minute


def _spoken(text: str) -> int | None:
    """"half past 7", "quarter to 9", "20 past 6" (number words are digits by now)."""
    match = _PAST.match(text)
    assert match is not None
    hour = int(match["h"])
    ampm = (match["ampm"] or "").replace(".", "").replace(" ", "").rstrip("m")
    if ampm:  # "quarter to 7 pm"
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "p" else 0)
    if not 0 <= hour <= 23:
        return None
    part = {"half": 30, "quarter": 15}.get(match["part"])
    if part is None:
        part = int(match["part"])
        if not 0 < part < 60:
            return None
    total = hour * 60 + (part if match["dir"] in ("past", "after") else -part)
    return total % (24 * 60)


def format_time(minute_of_day: int) -> str:
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"


_OFFSET = re.compile(r"^(?:utc|gmt)?\s*(?P<sign>[+-])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?$")


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    """lower-case key -> IANA name, for full names and for their city part."""
    names: dict[str, str] = {}
    for name in sorted(available_timezones()):
        if name.startswith(("Etc/", "SystemV/")) or "/" not in name:
            continue
        names.setdefault(name.lower(), name)
        city = name.rsplit("/", 1)[1].replace("_", " ").lower()
        names.setdefault(city, name)
    return names


def parse_zone(text: str, aliases: Mapping[str, str] | None = None) -> str | None:
    """An IANA name, a city, a known alias (UK, NYC...) or a UTC offset; None if unknown.

    Offsets are kept as "UTC+05:30" and read back by zone().
    """
    key = " ".join(text.strip().lower().replace("_", " ").split())
    if not key:
        return None
    if aliases and key in aliases:
        return aliases[key]
    if key in ("utc", "gmt", "z"):
        return "UTC"
    offset = _OFFSET.match(key.replace(" ", ""))
    if offset:
        hours, minutes = int(offset["h"]), int(offset["m"] or 0)
        if hours > 14 or minutes not in (0, 15, 30, 45):
            return None
        return f"UTC{offset['sign']}{hours:02d}:{minutes:02d}"
    names = _zone_names()
    return names.get(key) or names.get(key.replace(" ", "_"))


def parse_days(text: str) -> int | None:
    """'every day', 'weekdays', 'weekends' or day names ('mon wed fri'); None if unclear."""
    key = text.strip().lower()
    if key in ("every day", "everyday", "daily", "all", "every"):
        return EVERY_DAY
    if key in ("weekdays", "week days", "workdays"):
        return WEEKDAYS
    if key in ("weekends", "weekend"):
        return WEEKENDS
    mask = 0
    for word in re.split(r"[\s,]+", key):
        if not word:
            continue
        index = next((i for i, d in enumerate(DAY_NAMES) if word.startswith(d.lower())), None)
        if index is None:
            return None
        mask |= 1 << index
    return mask or None


def describe_days(days: int) -> str:
    if days == EVERY_DAY:
        return "every day"
    if days == WEEKDAYS:
        return "on weekdays"
    if days == WEEKENDS:
        return "at weekends"
    return "on " + ", ".join(d for i, d in enumerate(DAY_NAMES) if days & (1 << i))


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def parse_when(text: str, zone_name: str, now: datetime) -> datetime | None:
    """A moment typed by a person in their zone: '2026-12-01 18:00', 'tomorrow 9am',
    'friday 18:30', '25 dec 9am', '18:30' (the next one). None if it cannot be read."""
    words = text.strip().lower().replace(",", " ").split()
    if not words:
        return None
    for split in (len(words) - 1, len(words) - 2):  # "18:30" or "7.30 pm" at the end
        if split < 0:
            continue
        minute = parse_time(" ".join(words[split:]), compact=False)
        if minute is not None:
            day_words = words[:split]
            break
    else:
        return None
    tz = zone(zone_name)
    today = now.astimezone(tz).date()
    day = _parse_day(day_words, today)
    if day is None:
        return None
    try:
        moment = occurrence(tz, day, minute).astimezone(tz)
        if not day_words and moment <= now:  # a bare time means the next one
            moment = occurrence(tz, today + timedelta(days=1), minute).astimezone(tz)
    except OverflowError:
        return None  # 9999-12-31 23:59 west of UTC is past the last moment Python can hold
    return moment


def _parse_day(words: list[str], today: date) -> date | None:
    if not words or words == ["today"]:
        return today
    if words == ["tomorrow"]:
        return today + timedelta(days=1)
    if len(words) == 1:
        for i, name in enumerate(DAY_NAMES):
            if words[0].startswith(name.lower()):
                ahead = (i - today.weekday()) % 7 or 7
                return today + timedelta(days=ahead)
        try:
            return date.fromisoformat(words[0])
        except ValueError:
            return None
    # "25 dec [2026]" or "dec 25 [2026]"
    parts = list(words)
    year = today.year
    if len(parts) == 3:
        typed_year = whole_number(parts.pop()) if len(parts[2]) == 4 else None
        if typed_year is None:
            return None
        year = typed_year
    if len(parts) != 2:
        return None
    day_text, month_text = (parts if whole_number(parts[0]) is not None else parts[::-1])
    month = next((i + 1 for i, m in enumerate(_MONTHS) if month_text.startswith(m)), None)
    day_number = whole_number(day_text, most=31)
    if month is None or day_number is None:
        return None
    try:
        found = date(year, month, day_number)
        if len(words) == 2 and found < today:  # "5 jan" in December means next January
            found = date(year + 1, month, day_number)
    except ValueError:
        return None
    return found
