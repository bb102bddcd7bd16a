"""A reminder asked for in a person's own words: "remind me every weekday at 7pm", "8am PST",
"half past 7 in the evening London", "can you remind me to do her wet wraps at half 7 every
night". The time itself is read by localtime.parse_time; this module finds which words are the
time, which the days, which the zone, and which only say what the reminder is for.

Why not a date-parsing library: dateparser and parsedatetime read dates and relative times
("in 3 days"), pull in large locale tables, and still do not know "20h", "half 8" or "half past
7 in the evening" together with a zone abbreviation. A reminder needs only a time of day, days
of the week and a zone, each read by a small function tested on the phrases people use
(tests/test_natural_times.py, and the blind set in tests/data/times/ measured by
bench/time_eval.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.delivery import localtime
from bot.services import one_off

_AMPM = r"(?:[ap]\.?\s?m+\.?|[ap](?![a-z]))"
_DAY_PART = (r"in the morning|in the evening|in the afternoon|at night|tonight|tomorrow morning|"
             r"this evening|this morning|morning|evening|afternoon|night|o ?clock|oclock")
# A time inside a sentence. Not after + or - ("UTC+10") nor inside a longer number.
_TIME = re.compile(
    r"(?<![\w:.+\-])(?:"
    r"(?:half|quarter|\d{1,2})\s+(?:past|after|to|til|till)\s+\d{1,2}(?:\s*" + _AMPM + r")?"
    r"|half\s+\d{1,2}"
    r"|(?:12\s+)?(?:noon|midday|midnight)"
    r"|\d{1,2}\s+\d{2}\s*" + _AMPM +  # "8 30 pm", from "eight thirty pm"
    r"|\d{1,4}(?:\s*[:.;h]\s*\d{2})?\s*(?:h|hrs?|hours)?\s*" + _AMPM + r"?"
    r")(?:\s+(?:" + _DAY_PART + r")){0,2}"
    r"(?![\w:])"
)
# A number with nothing to say it is a time ("8", "10") is one only after "at" and the like,
# or when it is all there is: "take 2 tablets at 8pm" is about 8pm.
_BARE = re.compile(r"^\d{1,2}$")
_BEFORE_BARE = re.compile(r"(?:\b(?:at|around|about|by|for|from|til|till|until)\s+)$")
# Two times where one is wanted: "between 7 and 8pm", "8 or 9", "7-8pm" (but "20 to 9" is
# 8:40).
_RANGE = re.compile(r"\bbetween\s+\d|(?<![\w:.+\-])(?P<a>\d{1,2})(?:[:.]\d{2})?\s*" + _AMPM
                    + r"?\s*(?P<sep>-|–|to|or|and|until|till)\s*(?P<b>\d{1,2})(?![\w:])")
# What the bot cannot do: a time relative to now, or another rhythm than days of the week.
_RELATIVE = re.compile(r"\b(?:in (?:an?|\d+|a few|few|a couple of|couple of) (?:hours?|hrs?|"
                       r"minutes?|mins?)|asap|right now|from now)\b")
_CADENCE = re.compile(r"\b(?:every (?:other|second|2nd|\d+|few) (?:days?|weeks?|hours?)|"
                      r"alternate days|fortnight\w*|biweekly|(?:\d+|several|few) times a day|"
                      r"twice (?:a day|daily)|every hour)\b")
_OFFSET_ZONE = re.compile(r"(?<!\w)(?:utc|gmt)\s*[+-]\s*\d{1,2}(?::?\d{2})?(?![\w:])")

# Days of the week. Short forms that are also words ("sun cream", "I sat", "wed") count only
# in a list, a range, or after on/every/each.
_DAY = (r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:s|nesday)?|thu(?:rs?(?:day)?)?|fri(?:day)?|"
        r"sat(?:urday)?|sun(?:day)?)s?")
_PART = r"(?:mornings?|evenings?|nights?|afternoons?)"
_ITEM = rf"{_DAY}(?:\s*(?:-|–|to|thru|through|until|till)\s*{_DAY})?"
_LIST = rf"{_ITEM}(?:\s*(?:,|/|&|\+|\band\b)\s*{_ITEM}|\s+{_ITEM})*"
_DAYS = re.compile(
    rf"\b(?P<lead>on |every |each |on the |at the |at )?(?:"
    rf"(?P<every>every\s*day|everyday|daily|each day|every single day|nightly|"
    rf"(?:every|each) {_PART})"
    rf"|(?P<weekdays>(?:every )?week\s?days?|workdays|work days)"
    rf"|(?P<weekends>(?:every )?weekends?)"
    rf"|(?P<list>{_LIST}))"
    rf"(?:\s+(?P<part>{_PART}))?(?:\s+only)?\b"
)
_EXCEPT = re.compile(rf"\b(?:except(?: for)?|but not|apart from|other than|excluding|not on)"
                     rf"\s+(?:on\s+)?(?:the\s+)?(?:(?P<weekends>weekends?)|(?P<list>{_LIST}))\b")
_AMBIGUOUS_DAY = re.compile(r"^(?:sun|sat|wed|mon)$")
_TIME_SHAPED = re.compile(r"\d\s*[:.;h]\s*\d|\d\s*" + _AMPM)
# A time that says its own half of the day: the days' "every night" does not move it.
_HALF_OF_DAY = re.compile(r"\d\s*" + _AMPM + r"|noon|midday|midnight|morning|evening|afternoon|"
                          r"night")
_EVENING_WORDS = re.compile(r"\b(?:evening|night|nightly|afternoon|tonight)")
_MORNING_WORDS = re.compile(r"\bmorning")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words with no bearing on time, days or zone.
_FILLER = _words("""
    please pls plz thanks thank ta hi hey hello ok okay so just remind reminder reminders
    reminding me us set setup up send give get have can could would will you u want like daily
    card cards a an the at on in every each time zone timezone around about tomorrow today
    start starting from and of it one only is be standard daylight summer saving savings
    local sometime tonight this evening morning afternoon night x xx xxx
""")
# A half of the day said apart from the time ("tonight at 10", "in the morning, at 7").
_PART_OF_DAY = re.compile(r"\b(?P<pm>tonight|this evening|in the evening|this afternoon)\b|"
                          r"\b(?P<am>this morning|tomorrow morning|in the morning)\b")
# Words that show the rest of the sentence says what the reminder is for ("to put cream on",
# "about her wet wraps", "I think"), not a time zone someone tried to name.
_MARKERS = _words("""
    to for about my her his their our your its i im ive id think after before because with
    when while if umm um uh hmm er erm do put take apply use need keep forgetting forget help
    how routine but then maybe also son daughter baby kid kids child cream wet wraps
""")
_NOT_A_ZONE_EDGE = _FILLER | _MARKERS  # a zone's name neither starts nor ends with these
# Reminder words, and what makes them a request rather than a question about reminders.
_REMINDER_WORD = re.compile(r"\b(?:remind(?:ing)? (?:me|us)|remind|reminders?|reminding)\b")
_ASKS = re.compile(
    r"^(?:remind|reminder|daily reminder|set (?:up )?a reminder)|\b(?:can|could|would|will) "
    r"(?:you|u)\b|\b(?:please|pls|plz)\b|\bi(?:d| would)? (?:like|want|need)\b|"
    r"\bset(?:ting)? (?:up )?(?:a |my |the )?(?:daily )?reminder|\bsend me\b|\bgive me\b|"
    r"\b(?:can|could|may) (?:i|we) (?:get|have|set)\b|\bhow (?:do|can) (?:i|we) (?:set|get|"
    r"have|make|start)\b|\bhelp\b|\bremind (?:me|us)\b"
)
# Not a request: stopping or complaining about reminders ("stop reminding me", "my reminder
# didn't arrive"), or "remind me what fibre does". "Remind me to stop scratching" is one.
_NOT_A_REQUEST = re.compile(
    r"\b(?:stop|cancel|pause|turn off|unsubscribe|no more|too many)(?:\s+\w+){0,2}?\s+"
    r"(?:remind\w*|reminders?|messages?|cards?)\b"
    r"|\b(?:dont|do not|didnt|did not|doesnt|does not|never|isnt|is not)(?:\s+\w+){0,2}?\s+"
    r"(?:remind\w*|came|come|arrived?|work\w*|sent)\b|\bnot working\b"
    r"|\bremind(?:ing)? (?:me|us) (?:what|how|why|which|who|where|whether|if|of what)\b"
)

REQUEST_MAX = 300  # characters; the longest request in the blind set has 80
BARE_MAX = 80  # characters: "every mon and thu at 8pm EST pls" is a reminder; a paragraph is not


@dataclass(frozen=True)
class ReminderRequest:
    minute: int | None  # minutes after local midnight
    zone: str | None  # an IANA name or UTC offset
    days: int | None  # a day mask (localtime.EVERY_DAY...)
    unknown: str  # words read as a zone that is not one ("" when all were read)
    # Why it cannot be set as asked ("" when it can): unknown_zone, two_times, relative,
    # cadence, bad_time, one_off.
    problem: str = ""
    said: str = ""  # words saying what the reminder is for ("to put cream on")
    once: str = ""  # words asking for it once ("tomorrow", "on friday"): the one_off problem


def parse_reminder(text: str, aliases: Mapping[str, str], *,
                   weekly: bool = False) -> ReminderRequest:
    """Which words give the time, which the days and which the zone.

    A request for one occasion ("tomorrow", "next monday", "on friday") is the one_off
    problem, with the time and day it named, so that the refusal can say what to type
    instead. With `weekly` (the weekly summary) a day named alone is its day of the week.
    """
    rest = f" {localtime.plain(text)} "


    if _RELATIVE.search(rest):
        return ReminderRequest(None, None, None, "", "relative")
    if _CADENCE.search(rest):
        return ReminderRequest(None, None, None, "", "cadence")
    if _two_times(rest):
        return ReminderRequest(None, None, None, "", "two_times")
    zone = None
    offset = _OFFSET_ZONE.search(rest)
    if offset:
        zone = localtime.parse_zone(offset.group(), dict(aliases))
        if zone is None:  # UTC+99
            return ReminderRequest(None, None, None, offset.group(), "unknown_zone")
        rest = _blank(rest, offset.start(), offset.end())
    once = one_off.find(rest)
    if once is not None:  # taken out, so that "next" is not read as a zone someone named
        rest = _blank(rest, once.start, once.end)
    days, hint, rest, lone_day = _read_days(rest)
    part = _PART_OF_DAY.search(rest)
    if part and not hint:
        hint = "pm" if part["pm"] else "am"
    # In a sentence that says what the reminder is for, a lone number is a quantity ("my 2
    # kids"), not a time, unless "at" and the like come before it.
    sentence = any(word in _MARKERS for word in rest.split())
    minute, problem, rest = _read_time(rest, hint, sentence)
    if problem:
        return ReminderRequest(None, zone, days, "", problem)
    rest = re.sub(r"(?<!\d)[.;:+\-–]|[.;:+\-–](?!\d)", " ", rest)
    found, unknown, said = _read_zone(rest.split(), aliases)
    zone = zone or found
    once_words = once.words if once else "" if weekly else lone_day
    if once_words:
        if days is None and once is not None and once.weekday is not None:
            days = 1 << once.weekday  # "next monday": the day a repeating one could take
        return ReminderRequest(minute, zone, days, "", "one_off", said, once_words)
    return ReminderRequest(minute, zone, days, unknown,
                           "unknown_zone" if unknown else "", said)


def reminder_request(text: str, aliases: Mapping[str, str], *,
                     bare_ok: bool = True) -> ReminderRequest | None:
    """A message typed outside a set-up, read as a reminder request; None when it is not one
    ("what do reminders say?", "stop reminding me"). With bare_ok, a message that is only a
    time and days, perhaps with a zone ("every day at 8pm London"), counts too."""
    key = localtime.plain(text[: REQUEST_MAX + 1])
    if len(key) > REQUEST_MAX or _NOT_A_REQUEST.search(key):
        return None  # a paragraph that mentions reminders is a story or a question
    asked = _REMINDER_WORD.search(key) is not None
    if not asked and (not bare_ok or len(key) > BARE_MAX):
        return None  # every message passes here: a long one is not a bare time and days
    if not asked and not _names_days(f" {key} "):
        return None  # nor is a short one without days: most questions end here, unparsed
    request = parse_reminder(text, aliases)
    if asked and (
            _ASKS.search(key) or request.minute is not None or request.days is not None):
        return request
    if bare_ok and request.minute is not None and request.days is not None \
            and not request.problem and not request.said:
        return request
    return None


def time_answer(text: str, aliases: Mapping[str, str]) -> ReminderRequest | None:
    """What was typed when the set-up asked "What time?": a time alone, or a time with a zone
    or days ("7pm GMT", "weekdays 7am") or a word about it ("3:15pm after the school run").
    None when it holds no time; a problem when it holds two, or an impossible one."""
    request = parse_reminder(text, aliases)
    if request.minute is not None or request.problem not in ("", "unknown_zone"):
        return request
    minute = localtime.parse_time(text)
    return ReminderRequest(minute, None, None, "") if minute is not None else None


def zone_answer(text: str, aliases: Mapping[str, str]) -> str | None:
    """What was typed when the set-up asked for the time zone: a zone's name, a city or an
    offset ("Sydney", "UTC+10"), or one said in passing ("London time", "I'm in Toronto")."""
    zone = localtime.parse_zone(text, aliases)
    if zone is not None:
        return zone
    words = re.sub(r"(?<!\d)[.;:]|[.;:](?!\d)", " ", localtime.plain(text)).split()
    found, unknown, _ = _read_zone(words, aliases)
    return found if not unknown else None


def _two_times(text: str) -> bool:
    for match in _RANGE.finditer(text):
        if match["sep"] == "to" and int(match["a"]) >= int(match["b"]):
            continue  # "20 to 9", "10 to 8": minutes to the hour
        return True
    return False


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _read_time(rest: str, hint: str, sentence: bool) -> tuple[int | None, str, str]:
    """The one time in the text (with the day part the days gave, "every night at 8"), a
    problem, and the text without it."""
    explicit: list[tuple[int, re.Match[str]]] = []
    bare: list[tuple[int, re.Match[str]]] = []
    for match in _TIME.finditer(rest):
        words = match.group().strip()
        plain_number = _BARE.match(words) is not None
        minute = localtime.parse_time(words)
        if minute is None:
            if _TIME_SHAPED.search(words):
                return None, "bad_time", rest  # 25:00, 13pm, 7:60am
            continue  # a quantity ("50 times", "100 mg"), not a time
        if plain_number and _BEFORE_BARE.search(rest[: match.start()]) is None:
            if not sentence:
                bare.append((minute, match))
            continue
        if not _HALF_OF_DAY.search(words) and not words.startswith("0"):  # 07:30 is 24-hour
            minute = _with_hint(minute, hint)
        explicit.append((minute, match))
    chosen = explicit or bare
    if len({m for m, _ in chosen}) > 1:
        return None, "two_times", rest
    if not chosen:
        return None, "", rest
    minute, match = chosen[0]
    if chosen is bare:
        minute = _with_hint(minute, hint)
    for _, match in chosen:
        rest = _blank(rest, match.start(), match.end())
    return minute, "", rest


def _with_hint(minute: int, hint: str) -> int:
    """A morning time turned to the evening when the days said so ("every night at 8")."""
    if hint == "pm" and 60 <= minute < 12 * 60:
        return minute + 12 * 60
    return minute


def _names_days(rest: str) -> bool:
    """Whether _read_days could find any days in the text: a quick look, before a parse."""
    return _DAYS.search(rest) is not None or _EXCEPT.search(rest) is not None


def _read_days(rest: str) -> tuple[int | None, str, str, str]:
    """The days asked for (None when none were), the day part they name ("pm" for "every
    night", "am" for "every weekday morning"), the text without them, and "on <day>" when
    the only day is one named alone ("on friday", not "every friday", "fridays" or "mon wed
    fri"): one occasion, unless a weekly thing is being set."""
    mask = 0
    found = False
    hint = ""
    lone: list[str] = []
    excepted = 0
    for match in list(_EXCEPT.finditer(rest)):  # before the days: "except sunday" is none
        excepted |= localtime.WEEKENDS if match["weekends"] else _day_list(match["list"])
        rest = _blank(rest, match.start(), match.end())
    for match in list(_DAYS.finditer(rest)):
        if match["list"] and not match["lead"] and _AMBIGUOUS_DAY.match(match["list"].strip()):
            continue  # "sun cream", "I sat": a lone short form is not a day
        if match["every"]:
            mask |= localtime.EVERY_DAY
        elif match["weekdays"]:
            mask |= localtime.WEEKDAYS
        elif match["weekends"]:
            mask |= localtime.WEEKENDS
        else:
            mask |= _day_list(match["list"])
        found = True
        phrase = match.group()
        lone.append(_lone_day(match))
        hint = hint or ("pm" if _EVENING_WORDS.search(phrase) else
                        "am" if _MORNING_WORDS.search(phrase) else "")
        rest = _blank(rest, match.start(), match.end())
    if excepted:
        mask = (mask if found else localtime.EVERY_DAY) & ~excepted
        found = True
    if not found:
        return None, "", rest, ""
    alone = lone[0] if len(lone) == 1 and not excepted else ""
    return (mask & localtime.EVERY_DAY) or None, hint, rest, alone


def _lone_day(match: re.Match[str]) -> str:
    """"on friday" for a day named alone, singular and without every/each; "" otherwise."""
    listed = (match["list"] or "").strip()
    if not listed or (match["lead"] or "").strip() in ("every", "each") \
            or not re.fullmatch(_DAY, listed) or listed.endswith("days") \
            or (match["part"] or "").endswith("s"):  # "on friday evenings" repeats
        return ""
    return f"on {one_off.DAY_WORDS[one_off.weekday_of(listed)]}"


def _day_list(phrase: str) -> int:
    """'mon wed fri', 'tues/thurs', 'mon-fri', 'monday to friday' as a day mask."""
    mask = 0
    for item in re.finditer(_ITEM, phrase):
        days = [_day_index(d.group()) for d in re.finditer(_DAY, item.group())]
        if len(days) == 2:  # a range, wrapping round the week if need be
            first, last = days
            span = (last - first) % 7
            for step in range(span + 1):
                mask |= 1 << ((first + step) % 7)
        else:
            mask |= 1 << days[0]
    return mask


def _day_index(word: str) -> int:
    return [d.lower() for d in localtime.DAY_NAMES].index(word[:3])


def _read_zone(words: list[str], aliases: Mapping[str, str]
               ) -> tuple[str | None, str, str]:
    """The zone among the words left over, what was left that is not one (when it looks like
    a zone someone tried to name), and the words that say what the reminder is for."""
    best: tuple[int, int] | None = None
    zone = None
    for size in range(min(4, len(words)), 0, -1):
        for start in range(len(words) - size, -1, -1):  # the last one first
            window = words[start:start + size]
            if window[0] in _NOT_A_ZONE_EDGE or window[-1] in _NOT_A_ZONE_EDGE:
                continue
            found = localtime.parse_zone(" ".join(w for w in window if w not in _FILLER),
                                         aliases)
            if found:
                best, zone = (start, start + size), found
                break
        if best:
            break
    left = words[:best[0]] + words[best[1]:] if best else words
    left = [w for w in left if w not in _FILLER]
    if not left:
        return zone, "", ""
    if any(w in _MARKERS for w in left) or len(left) > 4:
        return zone, "", " ".join(left)
    return zone, " ".join(left), ""
