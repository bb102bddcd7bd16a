"""The weekly skin check: POEM's scoring, its bands, the change since last time, when to
suggest a doctor, the weeks a chart shows, and the community figures. Plain Python.

POEM, the Patient-Oriented Eczema Measure (© University of Nottingham; Charman, Venn and
Williams, Arch Dermatol 2004), asks seven questions about the last 7 days, each answered
No days (0), 1-2 days (1), 3-4 days (2), 5-6 days (3) or Every day (4). The score is their
sum, 0-28; one unanswered question counts as 0, and with two or more unanswered there is no
score. Bands from Charman et al., Br J Dermatol 2013.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

# The seven questions, in POEM's order (the wording is in content/templates/skin_question).
ITEMS = ("itch", "sleep", "bleeding", "weeping", "cracked", "flaking", "dry")
ANSWERS = 5  # 0 No days, 1 1-2 days, 2 3-4 days, 3 5-6 days, 4 Every day
MAX_SCORE = 4 * len(ITEMS)
NOT_ASKED, SKIPPED = ".", "-"
BLANK = NOT_ASKED * len(ITEMS)  # a check just started

ABOUT = ("self", "child")  # whose skin the check is about, chosen once per chat

NOTICEABLE = 3  # a change people are likely to notice; smaller ones may be noise
SAFETY_RISE = 5  # a rise this big since the last check: worth seeing a doctor
MOST_DAYS = 3  # 5-6 days or every day

MIN_PEOPLE = 10  # the moderators see no figure drawn from fewer people
REGULAR_CHECKS, REGULAR_WEEKS = 4, 8  # "4 or more checks in 8 weeks"
CHANGE_WEEKS = 4  # the median change counts people with checks in 4 or more weeks
CHART_WEEKS = (12, 26)  # the chart shows at least 12 weeks and at most 26


@dataclass(frozen=True)
class Band:
    id: str
    low: int
    high: int
    words: str


BANDS = (
    Band("clear", 0, 2, "clear or almost clear"),
    Band("mild", 3, 7, "mild"),
    Band("moderate", 8, 16, "moderate"),
    Band("severe", 17, 24, "severe"),
    Band("very_severe", 25, 28, "very severe"),
)
SEVERE_BANDS = frozenset({"severe", "very_severe"})


def band(score: int) -> Band:
    for b in BANDS:
        if b.low <= score <= b.high:
            return b
    raise ValueError(f"a POEM score is 0-{MAX_SCORE}, not {score}")


# --- answers ---------------------------------------------------------------------------------

def record(answers: str, item: int, value: int | None) -> str:
    """The answers with `item` set to `value` (0-4), or marked skipped when value is None."""
    if not 0 <= item < len(ITEMS) or (value is not None and not 0 <= value < ANSWERS):
        raise ValueError("no such question or answer")
    mark = SKIPPED if value is None else str(value)
    return answers[:item] + mark + answers[item + 1:]


def next_item(answers: str) -> int | None:
    """The first question not asked yet; None when all seven have an answer or a skip."""
    index = answers.find(NOT_ASKED)
    return None if index < 0 else index


def value(answers: str, item: int) -> int | None:
    mark = answers[item]
    return int(mark) if mark.isdigit() else None


def unanswered(answers: str) -> int:
    return sum(1 for mark in answers if not mark.isdigit())


def score(answers: str) -> int | None:
    """POEM's score: one unanswered question counts as 0; two or more, no score."""
    if unanswered(answers) >= 2:
        return None
    return sum(int(mark) for mark in answers if mark.isdigit())


# --- what a result says ------------------------------------------------------------------------

@dataclass(frozen=True)
class Result:
    answers: str
    score: int | None
    previous: int | None  # the last scored check before this one
    concerns: tuple[str, ...]  # why a doctor is suggested: severe, rise, bleeding, weeping

    @property
    def band(self) -> Band | None:
        return band(self.score) if self.score is not None else None

    @property
    def change(self) -> int | None:
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous

    @property
    def noticeable(self) -> bool:
        return self.change is not None and abs(self.change) >= NOTICEABLE

    @property
    def unanswered(self) -> int:
        return unanswered(self.answers)


def assess(answers: str, previous: int | None) -> Result:
    """Score a finished check against the last scored one, with any reason to see a doctor."""
    total = score(answers)
    concerns = []
    if total is not None and band(total).id in SEVERE_BANDS:
        concerns.append("severe")
    if total is not None and previous is not None and total - previous >= SAFETY_RISE:
        concerns.append("rise")
    for item in ("bleeding", "weeping"):
        answer = value(answers, ITEMS.index(item))
        if answer is not None and answer >= MOST_DAYS:
            concerns.append(item)
    return Result(answers, total, previous, tuple(concerns))


# --- weeks for the chart ---------------------------------------------------------------------

_MONDAY = date(2000, 1, 3)


def week_start(day: date) -> date:
    return day - timedelta(days=(day - _MONDAY).days % 7)


@dataclass(frozen=True)
class Week:
    start: date  # a Monday
    score: int | None  # the week's last scored check, if any
    checked: bool  # a check was finished that week (scored or not)
    kept: dict[str, int] = field(default_factory=dict)  # habit -> days kept that week
    # The seven answers of the check the week shows: its scored one, else its last ("" when
    # none was given, as for the chart).
    answers: str = ""


def weeks(checks: Iterable[tuple[date, int | None]], kept: Iterable[tuple[date, str]],
          today: date) -> list[Week]:
    """Monday-to-Sunday weeks ending with this one: back to the first check, at least 12 and
    at most 26 of them. `checks` are (day, score) in the order they were done; `kept` the days
    a habit was done."""
    checks = list(checks)
    this_week = week_start(today)
    first = min((week_start(d) for d, _ in checks), default=this_week)
    count = min(max((this_week - first).days // 7 + 1, CHART_WEEKS[0]), CHART_WEEKS[1])
    return weeks_over(week_starts(count, today), ((d, s, "") for d, s in checks), kept)


def week_starts(count: int, today: date) -> list[date]:
    """The Mondays of `count` weeks ending with this one, oldest first."""
    this_week = week_start(today)
    return [this_week - timedelta(weeks=count - 1 - i) for i in range(count)]


def weeks_over(starts: Sequence[date], checks: Iterable[tuple[date, int | None, str]],
               kept: Iterable[tuple[date, str]]) -> list[Week]:
    """The weeks starting on `starts` (Mondays, oldest first): each one's score (its last
    scored check), whether it was checked, the answers shown, and the days each habit was
    kept. `checks` are (day, score, answers) in the order they were done."""
    scores: dict[date, int | None] = {}
    shown: dict[date, str] = {}
    checked: set[date] = set()
    for day, total, answers in checks:
        start = week_start(day)
        checked.add(start)
        if total is not None:
            scores[start] = total
            shown[start] = answers
        elif start not in scores:
            shown[start] = answers
    habit_days: dict[date, dict[str, int]] = {}
    for day, habit in kept:
        per = habit_days.setdefault(week_start(day), {})
        per[habit] = per.get(habit, 0) + 1
    return [Week(s, scores.get(s), s in checked, habit_days.get(s, {}), shown.get(s, ""))
            for s in starts]


# --- what moderators see ---------------------------------------------------------------------

@dataclass(frozen=True)
class Community:
    """Counts only, each None when it would rest on fewer than MIN_PEOPLE people."""

    checked_7d: int | None
    checked_28d: int | None
    regular_share: float | None  # of people who checked in 8 weeks, those with 4+ checks
    median_change: float | None  # latest minus first score, among people with 4+ weeks
    regular_of: int  # how many people the share is of (0 when hidden)
    change_of: int  # how many people the median is of (0 when hidden)


def community(checked_7d: int, checked_28d: int, checks_in_8_weeks: Sequence[int],
              changes: Sequence[int]) -> Community:
    """`checks_in_8_weeks`: one count per person who checked in the last 8 weeks; `changes`:
    latest minus first score, one per person with scored checks in 4 or more weeks."""
    def shown(count: int) -> int | None:
        return count if count >= MIN_PEOPLE else None

    people = len(checks_in_8_weeks)
    regular = sum(1 for n in checks_in_8_weeks if n >= REGULAR_CHECKS)
    enough, enough_changes = people >= MIN_PEOPLE, len(changes) >= MIN_PEOPLE
    return Community(
        checked_7d=shown(checked_7d), checked_28d=shown(checked_28d),
        regular_share=regular / people if enough else None,
        median_change=float(statistics.median(changes)) if enough_changes else None,
        regular_of=people if enough else 0, change_of=len(changes) if enough_changes else 0,
    )
