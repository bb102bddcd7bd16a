"""/report: what a report for the doctor holds, gathered for one request from the chat's
skin checks, habit check-ins and notes. Plain Python: bot/views/report_pdf.py draws it, and
nothing here is stored.

The weeks are the /skin history chart's (services.skin_checks.weeks_over, from the same rows),
over the period asked for: the last 4 or 12 weeks, or everything since the first check.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from bot.library.helplines import country_of_zone
from bot.library.model import DoctorQuestion, Library
from bot.services.skin_checks import (
    ITEMS,
    MOST_DAYS,
    NOTICEABLE,
    SEVERE_BANDS,
    Week,
    band,
    value,
    week_start,
    week_starts,
    weeks_over,
)
from bot.store import checkins, notes
from bot.store import skin_checks as store
from bot.store.db import Database
from bot.store.notes import Note

# The periods a person can ask for: weeks ending with this one (None: since the first check).
PERIODS: dict[str, int | None] = {"4": 4, "12": 12, "all": None}
MIN_ALL_WEEKS = 4  # "everything" shows at least this many weeks, so one check has a chart
MAX_HABITS = 4  # habit columns beside the scores
QUESTIONS = 3
STEADY_WEEKS = 4  # "steady": at least this many scores, none NOTICEABLE from the first...
STEADY_FROM = 8  # ...and the latest at least moderate
MAX_NAME = 40
# Where US Letter is the usual paper (the rest of the world uses A4): the United States and
# its territories, Canada, Mexico, and the countries of the Americas and the Philippines that
# follow them.
LETTER_COUNTRIES = frozenset({
    "US", "PR", "GU", "VI", "AS", "MP", "UM", "CA", "MX", "BZ", "CL", "CO", "CR", "DO", "GT",
    "HN", "NI", "PA", "SV", "VE", "PH",
})
A4, LETTER = "A4", "Letter"


@dataclass(frozen=True)
class Change:
    """From the first scored week of the period to the last."""

    first: int
    first_week: date
    last: int
    last_week: date

    @property
    def points(self) -> int:
        return self.last - self.first

    @property
    def noticeable(self) -> bool:
        return abs(self.points) >= NOTICEABLE


@dataclass(frozen=True)
class Question:
    text: str
    card_title: str  # the card it comes from


@dataclass(frozen=True)
class Report:
    about: str  # self or child
    name: str  # typed with the request, else ""
    period: str  # a key of PERIODS
    weeks: tuple[Week, ...]  # oldest first, ending with this week
    today: date
    checks: int  # finished checks in these weeks
    habits: tuple[tuple[str, str], ...]  # (id, name) of the habit columns, in order
    notes: tuple[Note, ...]  # in date order
    questions: tuple[Question, ...]
    paper: str  # A4 or Letter

    @property
    def spans_years(self) -> bool:
        """The weeks began in an earlier year: dates then carry their year."""
        return self.weeks[0].start.year != self.today.year

    @property
    def first_day(self) -> date:
        return self.weeks[0].start

    @property
    def scored(self) -> list[Week]:
        return [w for w in self.weeks if w.score is not None]

    @property
    def checked(self) -> list[Week]:
        return [w for w in self.weeks if w.checked]

    @property
    def change(self) -> Change | None:
        scored = self.scored
        if len(scored) < 2:
            return None
        first, last = scored[0], scored[-1]
        assert first.score is not None and last.score is not None
        return Change(first.score, first.start, last.score, last.start)

    def most_days(self, item: str) -> int:
        """How many checked weeks answered `item` with 5 or more days (or nights)."""
        return sum(1 for w in self.checked if _answer(w, item) is not None
                   and (_answer(w, item) or 0) >= MOST_DAYS)


def _answer(week: Week, item: str) -> int | None:
    if len(week.answers) != len(ITEMS):
        return None
    return value(week.answers, ITEMS.index(item))


def paper_for(zone: str | None, language: str | None) -> str:
    """US Letter where the chat's country uses it (from its time zone, else a language tag
    such as en-US), A4 everywhere else."""
    code = country_of_zone(zone) if zone else None
    if code is None and language:
        parts = language.replace("_", "-").split("-")
        code = parts[1].upper() if len(parts) > 1 else None
    return LETTER if code in LETTER_COUNTRIES else A4


def clean_name(typed: str) -> str:
    """A name typed with the request, printed as given: letters, marks, spaces and a few
    signs, at most 40 characters; "" when nothing printable is left."""
    kept = "".join(ch for ch in unicodedata.normalize("NFC", typed)
                   if unicodedata.category(ch)[0] in "LMN" or ch in " -'.’")
    name = " ".join(kept.split())[:MAX_NAME].strip()
    return name if any(ch.isalpha() for ch in name) else ""


async def has_checks(db: Database, chat_id: int) -> bool:
    return await store.last_finished_at(db, chat_id) is not None


async def gather(db: Database, library: Library, chat_id: int, period: str, today: date, *,
                 paper: str, name: str = "") -> Report | None:
    """The report for `period`; None when no check was finished in it."""
    every = [c for c in await store.finished(db, chat_id) if c.day is not None]
    if not every:
        return None
    count = PERIODS[period]
    if count is None:
        first = min(c.day for c in every if c.day is not None)
        count = max((week_start(today) - week_start(first)).days // 7 + 1, MIN_ALL_WEEKS)
    starts = week_starts(count, today)
    checks = [c for c in every if c.day is not None and c.day >= starts[0]]
    if not checks:
        return None
    kept = [(date.fromisoformat(day), habit)
            for (habit, day), done in (await checkins.answers(db, chat_id, starts[0])).items()
            if done and date.fromisoformat(day) <= today]
    weeks = weeks_over(starts, ((c.day, c.score, c.answers) for c in checks if c.day), kept)
    shown = {h for w in weeks for h in w.kept}
    habits = [(h.id, h.label) for h in library.habits if h.id in shown]
    habits += [(h, h) for h in sorted(shown - {i for i, _ in habits})]
    written = await notes.between(db, chat_id, starts[0], today)
    about = checks[-1].about
    report = Report(about=about, name=name, period=period, weeks=tuple(weeks), today=today,
                    checks=len(checks), habits=tuple(habits[:MAX_HABITS]),
                    notes=tuple(written), questions=(), paper=paper)
    chosen = choose_questions(library.doctor_questions, signals(report), written)
    titles = library.cards
    return replace(report, questions=tuple(
        Question(q.text, titles[q.card].title if q.card in titles else "") for q in chosen))


def signals(report: Report) -> set[str]:
    """What the report shows, in the words content/doctor_questions.yaml uses."""
    found = {report.about, "always"}
    scored = report.scored
    if scored:
        latest = scored[-1].score
        assert latest is not None
        latest_band = band(latest).id
        if latest_band in SEVERE_BANDS:
            found.add("severe")
        elif latest_band == "moderate":
            found.add("moderate")
    change = report.change
    if change is not None and change.noticeable:
        found.add("rise" if change.points > 0 else "fall")
    if len(scored) >= STEADY_WEEKS and scored[-1].score is not None \
            and scored[-1].score >= STEADY_FROM \
            and all(abs((w.score or 0) - (scored[0].score or 0)) < NOTICEABLE for w in scored):
        found.add("steady")
    for item in ("sleep", "bleeding", "weeping", "itch"):
        if report.most_days(item):
            found.add(item)
    return found


_WORD = re.compile(r"\w+")


def choose_questions(questions: Sequence[DoctorQuestion], shown: set[str],
                     written: Iterable[Note]) -> list[DoctorQuestion]:
    """Up to three: those the report's signals or the notes' words bring, in the file's
    order, then the ones for every report."""
    words = {w for n in written for w in _WORD.findall(n.text.lower())}

    def noted(question: DoctorQuestion) -> bool:
        return any(_stem_fits(stem, w) for stem in question.notes for w in words)

    fitting = [q for q in questions if (q.when - {"always"}) & shown or noted(q)]
    general = [q for q in questions if "always" in q.when and q not in fitting]
    return (fitting + general)[:QUESTIONS]


def _stem_fits(stem: str, word: str) -> bool:
    """A note's word and a question's word: the start of the word ("cream" finds "creams"),
    but a short one only itself or its plural ("cat" finds "cats", not "catch")."""
    if len(stem) >= 4:
        return word.startswith(stem)
    return word in (stem, f"{stem}s", f"{stem}es")

