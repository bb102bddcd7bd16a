"""Moderators' figures: exact numbers from a seeded database, the chart, captions that fit."""

from __future__ import annotations

import dataclasses
import random
import struct
import time
import zlib
from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot.library.model import Library
from bot.services import stats
from bot.store import Database
from bot.store import stats as stats_store
from bot.store.db import StoreError
from bot.telegram import html as telegram_html
from tests.harness import DISCLAIMER_WORDS, Harness

DAY = 86_400
NOW = int(datetime(2025, 6, 15, 12, 0, tzinfo=UTC).timestamp())
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def ago(days: float, seconds: int = 0) -> int:
    return NOW - int(days * DAY) - seconds


def iso_day(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).date().isoformat()


async def seed(bot: Harness, library: Library) -> dict[str, str]:
    """A small world whose every figure can be counted by hand; returns the cards it used."""
    db = bot.app.bot_data.db
    chats = [  # id, kind, first seen, status, paused_until
        (1, "private", ago(0.5), "active", None),  # 00:00 today
        (2, "private", ago(2), "active", NOW + 3 * DAY),  # paused
        (-100003, "group", ago(7), "active", None),  # exactly 7 days: inside both windows
        (-100004, "supergroup", ago(10), "active", NOW - DAY),  # the pause is over
        (5, "private", ago(20), "stopped", None),
        (6, "private", ago(29.5), "blocked", None),  # 00:00 on the first day of the chart
        (7, "private", ago(30, 1), "active", None),  # one second too old for 30 days
        (8, "private", ago(40), "active", None),
        (9, "channel", ago(35), "active", NOW + DAY),  # paused; neither private nor a group
    ]
    await db.executemany(
        "INSERT INTO chats (id, kind, first_seen, last_seen, status, paused_until) "
        "VALUES (?, ?, ?, ?, ?, ?)", [(c, k, f, NOW, s, p) for c, k, f, s, p in chats])

    outbox = [  # kind, status, sent_at
        ("card", "sent", NOW - 3600),
        ("card", "sent", ago(3)),
        ("checkin", "sent", ago(3)),
        ("summary", "sent", ago(6)),
        ("card", "sent", ago(7, 60)),  # a minute older than 7 days
        ("broadcast", "sent", ago(20)),
        ("card", "sent", ago(29.9)),  # inside 30 days, but the day before the chart starts
        ("card", "sent", ago(31)),
        ("card", "pending", None),
        ("card", "failed", None),
        ("checkin", "blocked", None),
    ]
    await db.executemany(
        "INSERT INTO outbox (chat_id, kind, dedupe_key, status, not_before, created, sent_at) "
        "VALUES (1, ?, ?, ?, 0, 0, ?)",
        [(kind, f"seed:{i}", status, sent) for i, (kind, status, sent) in enumerate(outbox)])

    # Cards from two topics, so topic totals differ from card totals.
    order = library.reading_order()
    first_topic = [c for c in order if c.topic == order[0].topic]
    other = [c for c in order if c.topic != order[0].topic]
    cards = {"a": first_topic[0].id, "b": first_topic[1].id, "c": other[0].id,
             "d": other[1].id, "e": other[2].id, "f": other[3].id}
    views = [(1, "a", 5), (2, "a", 2), (1, "b", 3), (-100003, "b", 1), (2, "c", 4),
             (-100003, "d", 1), (1, "e", 1), (2, "f", 2)]
    await db.executemany(
        "INSERT INTO card_views (chat_id, card_id, first_read, last_read, times) "
        "VALUES (?, ?, 0, 0, ?)",
        [(chat, cards[key], times) for chat, key, times in views])
    await db.execute("INSERT INTO card_views (chat_id, card_id, first_read, last_read, times) "
                     "VALUES (5, 'retired-card', 0, 0, 50)")  # no longer in the library

    checkins = [  # chat, day, habit, done
        (1, "2025-06-15", "fibre", 1), (1, "2025-06-14", "fibre", 0),
        (2, "2025-06-14", "fibre", 1), (1, "2025-06-15", "sleep", 0),
        (1, "2025-05-17", "sleep", 1),  # the first day of the 30
        (1, "2025-05-16", "sleep", 1),  # one day too old
        (2, "2025-06-01", "retired-habit", 1),
    ]
    await db.executemany(
        "INSERT INTO checkins (chat_id, day, habit, done, answered_at) VALUES (?, ?, ?, ?, 0)",
        checkins)
    return cards


async def test_gather_counts_every_figure(bot: Harness, library: Library) -> None:
    cards = await seed(bot, library)
    s = await stats.gather(bot.app.bot_data.db, library, NOW)

    assert (s.active, s.paused, s.stopped, s.blocked) == (7, 2, 1, 1)
    assert (s.active_private, s.active_groups) == (4, 2)  # the channel is neither
    assert (s.new_7d, s.new_30d) == (3, 6)
    assert (s.cards_7d, s.cards_30d) == (2, 4)
    assert (s.sent_7d, s.sent_30d) == (4, 7)

    by_key = {v: k for k, v in cards.items()}
    assert [(by_key[c.card_id], c.reads) for c in s.top_cards] == [
        ("a", 7), ("b", 4), ("c", 4), ("f", 2), ("d", 1)]  # ties in reading order
    assert all(c.title == library.cards[c.card_id].title for c in s.top_cards)
    first_topic = library.cards[cards["a"]].topic
    topic_reads = {t.topic_id: t.reads for t in s.top_topics}
    assert topic_reads[first_topic] == 11
    assert sum(topic_reads.values()) == 19  # every library card, not only the top five
    assert s.top_topics[0].topic_id == first_topic
    assert s.top_topics[0].label == library.topic(first_topic).label  # type: ignore[union-attr]

    assert [(h.habit, h.answered, h.yes) for h in s.habits] == [
        ("fibre", 3, 2), ("sleep", 2, 1), ("retired-habit", 1, 1)]
    assert s.habits[0].label == next(h.label for h in library.habits if h.id == "fibre")
    assert s.habits[2].label == "retired-habit"
    assert (s.checkins_answered, s.checkins_yes) == (6, 4)
    assert s.habits[0].share_yes == 2 / 3

    assert len(s.days) == len(s.new_per_day) == len(s.sent_per_day) == 30
    assert (s.days[0], s.days[-1]) == (date(2025, 5, 17), date(2025, 6, 15))
    new = dict(zip(s.days, s.new_per_day))
    assert {d.isoformat(): n for d, n in new.items() if n} == {
        "2025-05-17": 1, "2025-05-26": 1, "2025-06-05": 1, "2025-06-08": 1,
        "2025-06-13": 1, "2025-06-15": 1}
    sent = dict(zip(s.days, s.sent_per_day))
    assert {d.isoformat(): n for d, n in sent.items() if n} == {
        "2025-05-26": 1, "2025-06-08": 1, "2025-06-09": 1, "2025-06-12": 2, "2025-06-15": 1}


async def test_days_over_are_counted_once_and_today_stays_live(bot: Harness,
                                                                library: Library) -> None:
    """A second /stats reads the days already over from what the first kept: the same
    figures, and a message sent since then today counts at once."""
    await seed(bot, library)
    db = bot.app.bot_data.db
    first = await stats.gather(db, library, NOW)
    today = NOW // DAY
    # NOW is noon: every chart day before today ended long enough ago to be kept.
    assert [r[0] for r in bot.rows("SELECT day FROM sent_per_day ORDER BY day")] == list(
        range(today - 29, today))
    assert await stats.gather(db, library, NOW) == first  # read back: the very same figures

    await db.execute("INSERT INTO outbox (chat_id, kind, dedupe_key, status, not_before, "
                     "created, sent_at) VALUES (1, 'card', 'today', 'sent', 0, 0, ?)",
                     (NOW - 60,))
    second = await stats.gather(db, library, NOW)
    assert (second.cards_7d, second.cards_30d, second.sent_7d, second.sent_30d) == (3, 5, 5, 8)
    assert second.sent_per_day == first.sent_per_day[:-1] + (first.sent_per_day[-1] + 1,)
    assert dataclasses.replace(second, cards_7d=2, cards_30d=4, sent_7d=4, sent_30d=7,
                               sent_per_day=first.sent_per_day) == first


async def test_a_day_just_over_is_counted_but_not_kept_yet(bot: Harness,
                                                           library: Library) -> None:
    """At 00:30 yesterday's last sends may still be being marked: yesterday is counted from
    the outbox each time until an hour has passed."""
    db = bot.app.bot_data.db
    midnight = NOW - NOW % DAY
    await db.execute("INSERT INTO outbox (chat_id, kind, dedupe_key, status, not_before, "
                     "created, sent_at) VALUES (1, 'card', 'late', 'sent', 0, 0, ?)",
                     (midnight - 1,))
    s = await stats.gather(db, library, midnight + 1800)
    assert s.sent_per_day[-2:] == (1, 0)
    assert (midnight // DAY - 1,) not in bot.rows("SELECT day FROM sent_per_day")
    assert len(bot.rows("SELECT day FROM sent_per_day")) == 28
    s = await stats.gather(db, library, midnight + 3600)
    assert s.sent_per_day[-2:] == (1, 0)
    assert (midnight // DAY - 1,) in bot.rows("SELECT day FROM sent_per_day")


async def test_the_minute_tick_keeps_each_settled_day_once(bot: Harness,
                                                           library: Library) -> None:
    """The tick counts the chart's settled days (yesterday only after 01:00); /stats then
    reads them and shows what counting every row afresh shows."""
    await seed(bot, library)
    db = bot.app.bot_data.db
    today = NOW // DAY
    assert await stats.keep_settled_days(db, today * DAY + 1800) == 28  # 00:30: not yesterday
    assert await stats.keep_settled_days(db, NOW) == 1
    assert await stats.keep_settled_days(db, NOW) == 0
    assert [r[0] for r in bot.rows("SELECT day FROM sent_per_day ORDER BY day")] == list(
        range(today - 29, today))
    s = await stats.gather(db, library, NOW)
    assert (s.cards_7d, s.cards_30d, s.sent_7d, s.sent_30d) == (2, 4, 4, 7)
    sent = {d.isoformat(): n for d, n in zip(s.days, s.sent_per_day) if n}
    assert sent == {"2025-05-26": 1, "2025-06-08": 1, "2025-06-09": 1, "2025-06-12": 2,
                    "2025-06-15": 1}


async def test_kept_days_on_both_engines(store: Database) -> None:
    """A day is kept once; /stats reads it back on the read-only session, which refuses to
    open a transaction."""
    await stats_store.keep_sent_days(store, [(20_000, 5, 3), (20_001, 7, 2)])
    await stats_store.keep_sent_days(store, [(20_001, 9, 9)])  # kept already: unchanged
    async with stats_store.reading(store) as reader:
        assert await stats_store.sent_days(reader, 20_000, 20_005) == {
            20_000: (5, 3), 20_001: (7, 2)}
        assert await stats_store.sent_days(reader, 20_001, 20_001) == {20_001: (7, 2)}
        with pytest.raises(StoreError):
            reader.transaction()


async def test_gather_on_an_empty_database(bot: Harness, library: Library) -> None:
    s = await stats.gather(bot.app.bot_data.db, library, NOW)
    assert (s.active, s.paused, s.stopped, s.blocked, s.new_7d, s.new_30d) == (0,) * 6
    assert (s.cards_7d, s.cards_30d, s.sent_7d, s.sent_30d) == (0,) * 4
    assert s.top_cards == s.top_topics == s.habits == ()
    assert s.new_per_day == s.sent_per_day == (0,) * 30
    check_png(stats.chart_png(s))
    for out, limit in ((stats.caption(bot.app.bot_data.renderer, s), 1024),
                       (stats.full_text(bot.app.bot_data.renderer, s), 4096)):
        check_text(bot, out.text, limit)
        assert "No cards read yet" in out.text and "None answered yet" in out.text


def check_png(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG_SIGNATURE)
    assert png[12:16] == b"IHDR"
    width, height, depth, colour = struct.unpack(">IIBB", png[16:26])
    assert 600 <= width <= 1200 and 300 <= height <= 800 and (depth, colour) == (8, 2)
    # One IDAT chunk holding every row: a filter byte and three bytes a pixel.
    length = struct.unpack(">I", png[33:37])[0]
    assert png[37:41] == b"IDAT"
    raw = zlib.decompress(png[41:41 + length])
    assert len(raw) == height * (1 + 3 * width)
    assert png.endswith(b"IEND\xaeB`\x82")
    return width, height


def check_text(bot: Harness, text: str, limit: int) -> None:
    disclaimer = bot.app.bot_data.renderer.disclaimer
    assert text.endswith(disclaimer)
    assert DISCLAIMER_WORDS in telegram_html.to_plain(text)
    assert telegram_html.problems(text) == []
    assert telegram_html.visible_length(text) <= limit


async def test_chart_caption_and_message(bot: Harness, library: Library) -> None:
    await seed(bot, library)
    s = await stats.gather(bot.app.bot_data.db, library, NOW)
    png = stats.chart_png(s)
    check_png(png)
    empty = dataclasses.replace(s, new_per_day=(0,) * 30, sent_per_day=(0,) * 30)
    assert stats.chart_png(empty) != png  # the bars and the line are drawn

    renderer = bot.app.bot_data.renderer
    caption = stats.caption(renderer, s)
    check_text(bot, caption.text, telegram_html.MAX_CAPTION_LENGTH)
    plain = telegram_html.to_plain(caption.text)
    assert "Active: 7 (2 paused) · 4 private, 2 groups" in plain
    assert "Stopped: 1 · blocked the bot: 1" in plain
    assert "New: 3 in 7 days, 6 in 30 days" in plain
    assert "Daily cards: 2 / 4" in plain and "All messages: 4 / 7" in plain
    assert f"1. {library.cards[s.top_cards[0].card_id].title}: 7" in plain
    assert "Fibre-rich meal: 3 answers, 67% yes" in plain
    assert "All habits: 6 answers, 67% yes" in plain

    full = stats.full_text(renderer, s)
    check_text(bot, full.text, telegram_html.MAX_MESSAGE_LENGTH)
    assert f"<code>{s.top_cards[0].card_id}</code>" in full.text


async def test_a_caption_shortens_itself_to_fit(bot: Harness, library: Library) -> None:
    """Huge numbers, the longest titles and many habits still fit 1,024 characters."""
    await seed(bot, library)
    s = await stats.gather(bot.app.bot_data.db, library, NOW)
    big = 123_456_789
    counts: dict[str, Any] = {f: big for f in (
        "active", "paused", "stopped", "blocked", "active_private", "active_groups", "new_7d",
        "new_30d", "cards_7d", "cards_30d", "sent_7d", "sent_30d")}
    s = dataclasses.replace(
        s, **counts,
        top_cards=tuple(dataclasses.replace(c, title="Long title & <more> " * 4, reads=big)
                        for c in s.top_cards),
        top_topics=tuple(dataclasses.replace(t, label="🧫 A rather long topic name", reads=big)
                         for t in s.top_topics),
        habits=tuple(stats.HabitRate(f"habit-{i}", f"🥦 Habit label number {i}", big, big // 3)
                     for i in range(12)))
    caption = stats.caption(bot.app.bot_data.renderer, s)
    check_text(bot, caption.text, telegram_html.MAX_CAPTION_LENGTH)
    assert "&lt;more&gt;" in caption.text  # titles are escaped
    check_text(bot, stats.full_text(bot.app.bot_data.renderer, s).text,
               telegram_html.MAX_MESSAGE_LENGTH)


async def test_gather_on_200k_chats_and_400k_deliveries(bot: Harness, library: Library) -> None:
    db = bot.app.bot_data.db
    rnd = random.Random(7)
    chats, rows = 200_000, 400_000
    statuses = ["active"] * 8 + ["stopped", "blocked"]
    started = time.perf_counter()
    await db.executemany(
        "INSERT INTO chats (id, kind, first_seen, last_seen, status, paused_until) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        ((i, "private" if i % 10 else "supergroup", NOW - rnd.randrange(400 * DAY), NOW,
          rnd.choice(statuses), NOW + DAY if i % 20 == 0 else None)
         for i in range(1, chats + 1)))
    # Sent in time order, as the sender marks them; 60 days of deliveries.
    sent = sorted(NOW - rnd.randrange(60 * DAY) for _ in range(rows))
    kinds = ["card", "card", "checkin", "summary"]
    await db.executemany(
        "INSERT INTO outbox (chat_id, kind, dedupe_key, status, not_before, created, sent_at) "
        "VALUES (?, ?, ?, 'sent', ?, ?, ?)",
        ((rnd.randrange(1, chats + 1), kinds[i % 4], f"bench:{i}", at, at, at)
         for i, at in enumerate(sent)))
    card_ids = list(library.cards)
    await db.executemany(
        "INSERT OR IGNORE INTO card_views (chat_id, card_id, first_read, last_read, times) "
        "VALUES (?, ?, 0, 0, ?)",
        ((rnd.randrange(1, chats + 1), rnd.choice(card_ids), rnd.randrange(1, 4))
         for _ in range(200_000)))
    await db.executemany(
        "INSERT OR IGNORE INTO checkins (chat_id, day, habit, done, answered_at) "
        "VALUES (?, ?, ?, ?, 0)",
        ((rnd.randrange(1, chats + 1), iso_day(ago(rnd.randrange(60))),
          rnd.choice(["fibre", "sleep"]), rnd.randrange(2)) for _ in range(200_000)))
    built = time.perf_counter() - started

    started = time.perf_counter()
    s = await stats.gather(db, library, NOW)
    took = time.perf_counter() - started
    chart_started = time.perf_counter()
    check_png(stats.chart_png(s))
    chart = time.perf_counter() - chart_started
    print(f"\nbuilt 200k chats, 400k outbox, 200k views, 200k check-ins in {built:.1f}s; "
          f"gather() {took * 1000:.0f} ms; chart_png() {chart * 1000:.0f} ms")

    assert s.active + s.stopped + s.blocked == chats
    assert s.active_private + s.active_groups == s.active
    assert s.sent_30d == bot.rows("SELECT COUNT(*) FROM outbox WHERE sent_at BETWEEN ? AND ?",
                                  (NOW - 30 * DAY, NOW))[0][0]
    assert s.sent_7d == bot.rows("SELECT COUNT(*) FROM outbox WHERE sent_at >= ?",
                                 (NOW - 7 * DAY,))[0][0]
    assert s.cards_30d == bot.rows("SELECT COUNT(*) FROM outbox WHERE kind = 'card' AND "
                                   "sent_at >= ?", (NOW - 30 * DAY,))[0][0]
    assert sum(s.sent_per_day) == bot.rows(
        "SELECT COUNT(*) FROM outbox WHERE sent_at >= ?",
        (int(datetime(2025, 5, 17, tzinfo=UTC).timestamp()),))[0][0]
    assert s.new_30d == bot.rows("SELECT COUNT(*) FROM chats WHERE first_seen >= ?",
                                 (NOW - 30 * DAY,))[0][0]
    assert len(s.top_cards) == 5 and [h.habit for h in s.habits] == ["fibre", "sleep"]
    assert s.checkins_answered == bot.rows("SELECT COUNT(*) FROM checkins WHERE day >= ?",
                                           (iso_day(ago(29)),))[0][0]
    check_text(bot, stats.caption(bot.app.bot_data.renderer, s).text, 1024)
