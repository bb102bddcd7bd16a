"""Figures for the people running the bot: chats, deliveries, reading and check-ins.

Plain async functions over the database, a small PNG chart (drawn with drawing.py, no
imaging library), and the caption or message that carries the figures.

Every window ends at `now`: "7 days" means [now - 7 days, now]. The per-day series are the
30 UTC days ending with today's (partial) UTC day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.library import dates
from bot.library.drawing import MONTHS, Canvas
from bot.library.drawing import step as scale_step
from bot.library.model import Library
from bot.library.render import Renderer
from bot.services import conversations, skin_checks
from bot.store import Database, tickets
from bot.store import skin_checks as skin_store
from bot.store import stats as stats_store
from bot.telegram import html as telegram_html
from bot.telegram.message import Outgoing

DAY = 86_400
SERIES_DAYS = 30
TOP_CARDS = 5
TOP_TOPICS = 5
GROUP_KINDS = ("group", "supergroup")
SETTLED = 3600  # a UTC day's sends are all marked this long after it ends


@dataclass(frozen=True)
class CardReads:
    card_id: str
    title: str
    topic: str
    reads: int  # card_views.times summed over chats


@dataclass(frozen=True)
class TopicReads:
    topic_id: str
    label: str  # emoji and title
    reads: int


@dataclass(frozen=True)
class HabitRate:
    habit: str
    label: str  # the library's label, or the id of a habit no longer offered
    answered: int
    yes: int

    @property
    def share_yes(self) -> float | None:
        return self.yes / self.answered if self.answered else None


@dataclass(frozen=True)
class Stats:
    now: int
    # chats: paused ones are active ones with paused_until in the future
    active: int
    paused: int
    stopped: int
    blocked: int
    active_private: int
    active_groups: int  # groups and supergroups
    new_7d: int
    new_30d: int
    # outbox rows marked sent
    cards_7d: int  # daily cards (kind 'card')
    cards_30d: int
    sent_7d: int  # every kind
    sent_30d: int
    top_cards: tuple[CardReads, ...]
    top_topics: tuple[TopicReads, ...]
    habits: tuple[HabitRate, ...]  # check-ins answered over the 30 UTC days of the series
    # the chart: SERIES_DAYS UTC days, oldest first, the last one being today
    days: tuple[date, ...]
    new_per_day: tuple[int, ...]
    sent_per_day: tuple[int, ...]
    skin: skin_checks.Community | None = None  # the weekly skin check, when it is on
    team: conversations.TeamFigures | None = None  # asking the team, when its inbox is on
    team_limit_hours: int = 0

    @property
    def checkins_answered(self) -> int:
        return sum(h.answered for h in self.habits)

    @property
    def checkins_yes(self) -> int:
        return sum(h.yes for h in self.habits)


async def gather(db: Database, library: Library, now: int, *, skin: bool = False,
                 team_limit_hours: int | None = None) -> Stats:
    """Every figure, in a handful of queries whose cost does not grow with Python loops, read
    on the store's read-only session: however long the report takes at scale, the bot's
    writes (and every reply that makes one) never wait for it.

    The chats' counts cost one scan; the new chats per day, the reads per card and the
    check-ins are index range scans; the messages sent are counted once per settled day and
    kept (_sent, keep_settled_days). COUNT(*) FILTER needs SQLite 3.30 or later.
    """
    async with stats_store.reading(db) as reader:
        stats, counted = await _gather(reader, library, now, skin, team_limit_hours)
    if counted:  # a few rows at most, once a day
        await stats_store.keep_sent_days(db, counted)
    return stats


async def _gather(db: Database, library: Library, now: int, skin: bool,
                  team_limit_hours: int | None = None
                  ) -> tuple[Stats, tuple[tuple[int, int, int], ...]]:
    today = datetime.fromtimestamp(now, UTC).date()
    days = tuple(today - timedelta(days=SERIES_DAYS - 1 - i) for i in range(SERIES_DAYS))
    series_start = _midnight(days[0])
    week, month = now - 7 * DAY, now - 30 * DAY

    # One scan of chats; COUNT(*) FILTER is about a third faster than SUM(condition).
    active, paused, stopped, blocked, private, groups = await stats_store.chat_counts(
        db, now, GROUP_KINDS)

    # Day 0 is the (partial) day before the series; it only holds chats of the 30-day window.
    origin = series_start - DAY
    new_per_day = [0] * SERIES_DAYS
    new_7d = new_30d = 0
    for day, count, recent in await stats_store.new_chats_per_day(db, origin, week, month, now):
        new_30d += count
        new_7d += recent
        if day >= 1:
            new_per_day[day - 1] = count

    sent = await _sent(db, now)

    reads = await stats_store.reads_per_card(db)
    order = {c.id: i for i, c in enumerate(library.reading_order())}
    known = sorted((c for c in library.cards.values() if reads.get(c.id)),
                   key=lambda c: (-reads[c.id], order.get(c.id, len(order)), c.id))
    top_cards = tuple(CardReads(c.id, c.title, c.topic, reads[c.id]) for c in known[:TOP_CARDS])
    per_topic: dict[str, int] = {}
    for card in known:
        per_topic[card.topic] = per_topic.get(card.topic, 0) + reads[card.id]
    topics = {t.id: (i, t.label) for i, t in enumerate(library.topics)}
    ranked = sorted(per_topic.items(), key=lambda kv: (-kv[1], topics.get(kv[0], (0, ""))[0]))
    top_topics = tuple(TopicReads(tid, topics.get(tid, (0, tid))[1], n)
                       for tid, n in ranked[:TOP_TOPICS])

    labels = {h.id: h.label for h in library.habits}
    habit_order = {h.id: i for i, h in enumerate(library.habits)}
    rates = [HabitRate(habit, labels.get(habit, habit), answers, yes) for habit, answers, yes
             in await stats_store.checkins_per_habit(db, days[0].isoformat())]
    rates.sort(key=lambda h: (habit_order.get(h.habit, len(habit_order)), h.habit))

    community = None
    if skin:
        community = skin_checks.community(*await skin_store.community_counts(
            db, now, skin_checks.REGULAR_WEEKS, skin_checks.CHANGE_WEEKS))

    team = None
    if team_limit_hours is not None:  # conversations opened in the 30 days, counts only
        team = conversations.summarise(await tickets.figures(db, month), team_limit_hours, now)

    return Stats(
        now=now, active=active, paused=paused, stopped=stopped, blocked=blocked,
        active_private=private, active_groups=groups, new_7d=new_7d, new_30d=new_30d,
        cards_7d=sent.cards_7d, cards_30d=sent.cards_30d, sent_7d=sent.sent_7d,
        sent_30d=sent.sent_30d,
        top_cards=top_cards, top_topics=top_topics, habits=tuple(rates), days=days,
        new_per_day=tuple(new_per_day), sent_per_day=sent.per_day, skin=community,
        team=team, team_limit_hours=team_limit_hours or 0,
    ), sent.counted


async def keep_settled_days(db: Database, now: int) -> int:
    """Count and keep the chart's settled days not kept yet (run by the minute tick: once a
    day in practice, and up to 29 days the first time after an upgrade), on the read-only
    session. /stats then counts only today and two partial days from outbox, never a cold
    month; and no figure it shows needs outbox rows older than a day. Returns days kept."""
    today = now // DAY
    last = (now - SETTLED) // DAY - 1  # the newest day that has settled
    async with stats_store.reading(db) as reader:
        kept = await stats_store.sent_days(reader, today - (SERIES_DAYS - 1), last)
        counted = [(day, *await stats_store.sent_between(reader, day * DAY, (day + 1) * DAY))
                   for day in range(today - (SERIES_DAYS - 1), last + 1) if day not in kept]
    if counted:
        await stats_store.keep_sent_days(db, counted)
    return len(counted)


@dataclass(frozen=True)
class _Sent:
    per_day: tuple[int, ...]  # the chart's 30 UTC days, today's so far last
    sent_7d: int
    sent_30d: int
    cards_7d: int
    cards_30d: int
    counted: tuple[tuple[int, int, int], ...]  # (day, sent, cards) of settled days counted now


async def _sent(db: Database, now: int) -> _Sent:
    """Messages sent, and of them daily cards, per UTC day and in the 7 and 30 days to `now`.

    A day over for SETTLED seconds is counted once and kept (sent_per_day): a row's sent_at
    is when Telegram took it, so no later send lands in a past day. Only today, the part of
    the day before the chart that the 30 days reach into, the part of a day after the 7-day
    cut, and days not yet kept are counted from outbox, each an index range scan."""
    today = now // DAY
    first = today - (SERIES_DAYS - 1)
    week = now - 7 * DAY
    week_day = week // DAY
    kept = await stats_store.sent_days(db, first, today - 1)
    per_day: dict[int, tuple[int, int]] = {}
    counted: list[tuple[int, int, int]] = []
    for day in range(first, today):
        if day in kept:
            per_day[day] = kept[day]
            continue
        per_day[day] = await stats_store.sent_between(db, day * DAY, (day + 1) * DAY)
        if (day + 1) * DAY + SETTLED <= now:
            counted.append((day, *per_day[day]))
    per_day[today] = await stats_store.sent_between(db, today * DAY, now + 1)
    # The 30 days begin inside the day before the chart's first; the 7 days inside week_day.
    before = await stats_store.sent_between(db, now - 30 * DAY, first * DAY)
    tail = await stats_store.sent_between(db, week, (week_day + 1) * DAY)
    recent = [per_day[day] for day in range(week_day + 1, today + 1)]
    return _Sent(
        per_day=tuple(per_day[day][0] for day in range(first, today + 1)),
        sent_7d=tail[0] + sum(s for s, _ in recent),
        sent_30d=before[0] + sum(s for s, _ in per_day.values()),
        cards_7d=tail[1] + sum(c for _, c in recent),
        cards_30d=before[1] + sum(c for _, c in per_day.values()),
        counted=tuple(counted),
    )


def _midnight(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


# --- the caption and the message ------------------------------------------------------------

# Tried in turn until the caption fits: (cards, topics, characters of a title, habits).
_CAPTION_STEPS = ((5, 3, 60, 8), (5, 3, 34, 6), (3, 2, 28, 6), (3, 1, 22, 4), (1, 1, 22, 4),
                  (0, 0, 0, 0))


def caption(renderer: Renderer, stats: Stats) -> Outgoing:
    """The compact summary sent under the chart: within 1,024 characters with the disclaimer."""
    limit = telegram_html.MAX_CAPTION_LENGTH
    for step in _CAPTION_STEPS:
        body = renderer.body("stats", **_context(stats, True, *step))
        text = f"{body}\n\n{renderer.disclaimer}"
        if telegram_html.visible_length(text) <= limit:
            break
    return renderer.finish(body, limit=limit)


def full_text(renderer: Renderer, stats: Stats) -> Outgoing:
    """The same figures as an ordinary message, for when the photo cannot be sent."""
    context = _context(stats, False, TOP_CARDS, TOP_TOPICS, 80, len(stats.habits))
    return renderer.message("stats", **context)


def _context(stats: Stats, compact: bool, cards: int, topics: int, title_limit: int,
             habits: int) -> dict[str, Any]:
    def n(value: int) -> str:
        return f"{value:,}"

    def share(yes: int, answered: int) -> str:
        return f"{round(100 * yes / answered)}%" if answered else "–"

    figures = ("active", "paused", "stopped", "blocked", "active_private", "active_groups",
               "new_7d", "new_30d", "cards_7d", "cards_30d", "sent_7d", "sent_30d")
    return {
        "compact": compact,
        "title_limit": title_limit,
        "when": dates.local(stats.now, style="utc").removesuffix(" UTC"),
        **{name: n(getattr(stats, name)) for name in figures},
        "cards": [{"id": c.card_id, "title": c.title, "reads": n(c.reads)}
                  for c in stats.top_cards[:cards]],
        "any_reads": bool(stats.top_cards),
        "has_paused": stats.paused > 0,
        "one_group": stats.active_groups == 1,
        "topics": [{"label": t.label, "reads": n(t.reads)} for t in stats.top_topics[:topics]],
        "habits": [{"label": h.label, "answered": n(h.answered), "one": h.answered == 1,
                    "yes": share(h.yes, h.answered)} for h in stats.habits[:habits]],
        "several_habits": len(stats.habits) > 1,
        "skin": _skin_context(stats.skin),
        "team": _team_context(stats.team, stats.team_limit_hours),
        "answered": n(stats.checkins_answered),
        "one": stats.checkins_answered == 1,
        "yes": share(stats.checkins_yes, stats.checkins_answered),
    }


def _team_context(team: conversations.TeamFigures | None,
                  limit_hours: int) -> dict[str, str] | None:
    if team is None:
        return None
    minutes = team.median_first_reply_minutes
    median = "–" if minutes is None else f"{minutes} min" if minutes < 90 \
        else f"{minutes / 60:.1f} h".replace(".0 h", " h")
    within = "–" if team.answered_within_limit is None \
        else f"{round(100 * team.answered_within_limit)}%"
    return {"opened": f"{team.opened:,}", "median": median, "within": within,
            "limit": str(limit_hours), "up": f"{team.helpful:,}", "down": f"{team.not_helpful:,}"}


def _skin_context(skin: skin_checks.Community | None) -> dict[str, str] | None:
    """Counts of people, each 'fewer than 10' when it would rest on fewer (nobody singled
    out); the median change is the latest score minus the first, so below 0 is better."""
    if skin is None:
        return None
    few = f"fewer than {skin_checks.MIN_PEOPLE}"

    def people(count: int | None) -> str:
        return few if count is None else f"{count:,}"

    regular = (f"{round(100 * skin.regular_share)}% of {skin.regular_of:,} people"
               if skin.regular_share is not None else f"{few} people")
    change = (f"{skin.median_change:+g} points over {skin.change_of:,} people"
              if skin.median_change is not None else f"{few} people")
    return {"week": people(skin.checked_7d), "month": people(skin.checked_28d),
            "regular": regular, "change": change.replace("+0 ", "0 ")}


# --- the chart: an RGB PNG drawn with drawing.py's 5x7 bitmap font, no imaging library -------

W, H = 800, 400
_GRID, _AXIS, _INK = (228, 232, 236), (120, 120, 120), (40, 40, 40)
_BAR, _BAR_INK = (91, 155, 213), (38, 104, 168)  # new chats, left axis
_LINE, _LINE_INK = (235, 125, 40), (190, 86, 10)  # messages sent, right axis
_X0, _X1, _Y0, _Y1 = 85, 715, 100, 310  # the plot area


def chart_png(stats: Stats) -> bytes:
    """800x400: new chats per day as bars (left scale), messages sent as a line (right)."""
    canvas = Canvas(W, H)
    rect, text = canvas.rect, canvas.text
    new, sent = stats.new_per_day, stats.sent_per_day
    new_step, sent_step = scale_step(max(new, default=0)), scale_step(max(sent, default=0))
    height = _Y1 - _Y0
    text(W // 2, 10, "BOT ACTIVITY, LAST 30 DAYS", _INK, 4, "center")
    rect(10, 54, 28, 72, _BAR)
    text(36, 52, "NEW CHATS", _BAR_INK)
    text(W - 10, 52, "MESSAGES SENT", _LINE_INK, align="right")
    rect(W - 279, 61, W - 249, 64, _LINE)
    rect(W - 267, 59, W - 261, 66, _LINE)
    for i in range(5):  # four intervals, shared by both scales
        y = _Y1 - i * height // 4
        rect(_X0, y, _X1, y + 1, _GRID if i else _AXIS)
        text(_X0 - 8, y - 10, _short(i * new_step), _BAR_INK, align="right")
        text(_X1 + 8, y - 10, _short(i * sent_step), _LINE_INK)
    rect(_X0 - 1, _Y0, _X0, _Y1 + 1, _AXIS)
    rect(_X1, _Y0, _X1 + 1, _Y1 + 1, _AXIS)
    slot = (_X1 - _X0) // SERIES_DAYS
    centres = [_X0 + slot * i + slot // 2 for i in range(SERIES_DAYS)]
    for x, value in zip(centres, new):
        if value:
            rect(x - 6, _Y1 - max(2, value * height // (4 * new_step)), x + 7, _Y1, _BAR)
    points = [(x, _Y1 - value * height // (4 * sent_step)) for x, value in zip(centres, sent)]
    for (xa, ya), (xb, yb) in zip(points, points[1:]):
        canvas.line(xa, ya, xb, yb, _LINE)
    for x, y in points:
        rect(x - 3, y - 3, x + 4, y + 4, _LINE)
    for i in range(1, SERIES_DAYS, 7):
        label = f"{stats.days[i].day} {MONTHS[stats.days[i].month - 1]}"  # not locale's %b
        rect(centres[i], _Y1 + 1, centres[i] + 1, _Y1 + 6, _AXIS)
        text(centres[i], _Y1 + 20, label, _INK, align="center")
    text(W // 2, H - 32, "DAY (UTC)", _AXIS, align="center")
    if not any(new) and not any(sent):
        text(W // 2, (_Y0 + _Y1) // 2 - 10, "NO DATA YET", _AXIS, align="center")
    return canvas.png()


def _short(value: int) -> str:
    for size, suffix in ((1_000_000, "M"), (1_000, "K")):
        if value >= size:
            return f"{value / size:.1f}".removesuffix(".0") + suffix
    return str(value)
