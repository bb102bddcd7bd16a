"""/stats: the figures a moderator reads, and the chart that carries them."""

from __future__ import annotations

import struct

from bot.library.model import Library
from bot.services import stats
from bot.telegram.html import visible_length
from tests.harness import Harness
from tests.test_reminder_times import at

OWNER = 9000001
NOW = at("UTC", "2026-11-24T12:00")
DAY = 86_400


async def seed(bot: Harness, library: Library) -> None:
    db = bot.app.bot_data.db
    chats = [  # id, kind, first seen (days ago), status, paused
        (1, "private", 1, "active", None), (2, "private", 3, "active", NOW + DAY),
        (3, "private", 10, "active", None), (4, "supergroup", 20, "active", None),
        (5, "private", 2, "stopped", None), (6, "private", 40, "blocked", None),
    ]
    await db.executemany(
        "INSERT INTO chats (id, kind, first_seen, last_seen, status, paused_until) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(c, k, NOW - d * DAY, NOW, s, p) for c, k, d, s, p in chats])
    sent = [(1, "card", 1), (2, "card", 2), (3, "checkin", 5), (1, "card", 12),
            (4, "broadcast", 25), (3, "card", 45)]  # (chat, kind, days ago)
    await db.executemany(
        "INSERT INTO outbox (chat_id, kind, dedupe_key, payload, status, not_before, created, "
        "sent_at) VALUES (?, ?, ?, '', 'sent', 0, 0, ?)",
        [(c, k, f"k{i}", NOW - d * DAY) for i, (c, k, d) in enumerate(sent)])
    await db.execute("INSERT INTO outbox (chat_id, kind, dedupe_key, payload, status, not_before, "
                     "created) VALUES (1, 'card', 'failed', '', 'failed', 0, 0)")
    first, second = library.reading_order()[:2]
    await db.executemany(
        "INSERT INTO card_views (chat_id, card_id, first_read, last_read, times) "
        "VALUES (?, ?, 0, 0, ?)",
        [(1, first.id, 3), (2, first.id, 1), (1, second.id, 2), (3, "removed-card", 9)])
    await db.executemany(
        "INSERT INTO checkins (chat_id, day, habit, done, answered_at) VALUES (?, ?, ?, ?, 0)",
        [(1, "2026-11-20", "fibre", 1), (1, "2026-11-21", "fibre", 0),
         (2, "2026-11-21", "sleep", 1), (1, "2026-09-01", "fibre", 1)])


async def test_the_figures(bot: Harness, library: Library) -> None:
    await seed(bot, library)
    s = await stats.gather(bot.app.bot_data.db, library, NOW)
    assert (s.active, s.paused, s.stopped, s.blocked) == (4, 1, 1, 1)
    assert (s.active_private, s.active_groups) == (3, 1)
    assert (s.new_7d, s.new_30d) == (3, 5)  # chats 1, 2, 5; plus 3 and 4
    assert (s.cards_7d, s.cards_30d, s.sent_7d, s.sent_30d) == (2, 3, 3, 5)
    first, second = library.reading_order()[:2]
    assert [(c.card_id, c.reads) for c in s.top_cards] == [(first.id, 4), (second.id, 2)]
    assert [(h.habit, h.answered, h.yes) for h in s.habits] == [("fibre", 2, 1), ("sleep", 1, 1)]
    assert len(s.days) == 30 and sum(s.sent_per_day) == 5 and sum(s.new_per_day) == 5


async def test_stats_command_sends_a_chart_with_the_disclaimer(bot: Harness,
                                                                library: Library) -> None:
    await seed(bot, library)
    bot.app.bot_data.clock = lambda: NOW
    reply = Harness.only_reply(await bot.send("/stats", chat_id=OWNER))
    assert reply.method == "sendPhoto"
    assert "Active: 4 (1 paused)" in reply.plain and "blocked the bot: 1" in reply.plain
    assert reply.text.endswith(bot.disclaimer)  # also checked by the harness, with the limit
    assert visible_length(reply.text) <= 1024
    assert bot.rows("SELECT action FROM audit_log") == [("stats viewed",)]


async def test_the_chart_is_a_png_even_with_no_data(bot: Harness, library: Library) -> None:
    s = await stats.gather(bot.app.bot_data.db, library, NOW)
    assert s.active == 0 and s.top_cards == ()
    png = stats.chart_png(s)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    assert 600 <= width <= 1200 and 300 <= height <= 800
    caption = stats.caption(bot.app.bot_data.renderer, s)
    assert caption.text.endswith(bot.disclaimer) and visible_length(caption.text) <= 1024
