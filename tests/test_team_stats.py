"""/stats tells the team how asking the team goes: conversations opened, the median time to
a first reply, the share answered within the owners' limit, and 👍/👎. Counts only."""

from __future__ import annotations

from tests.harness import Harness
from tests.team_helpers import (
    MOD,
    NOW,
    OWNER,
    TEAM,
    clock,
    drain,
    in_topic,
    press,
    sent_to,
    thread_of,
)
from tests.test_reminder_setup import data_of

BOT_ENV = {"BOT_TEAM_CHAT": str(TEAM), "BOT_TEAM_CLAIM_HOURS": "12"}
MINUTE = 60


async def conversation(bot: Harness, person: int, *, reply_after: int | None,
                       rating: str | None = None, opened: int = NOW) -> None:
    clock(bot, opened)
    await bot.send("/start", chat_id=person)
    await bot.send("/human", chat_id=person)
    preview = Harness.only_reply(await bot.send("Any tips for bath time?", chat_id=person))
    await bot.press(data_of(preview, "📨 Send to the team"), chat_id=person)
    # (The clock goes back for each one: notices of earlier ones may come out too.)
    [ticket] = [c for c in sent_to(await drain(bot), TEAM) if c.buttons]
    if reply_after is None:
        return
    await press(bot, ticket, ticket.button_labels[0], user_id=MOD)
    clock(bot, opened + reply_after)
    await in_topic(bot, "Lukewarm, short, then moisturise straight away.", thread_of(ticket))
    await drain(bot)
    if rating is not None:
        closed = Harness.only_reply(await bot.send("/cancel", chat_id=person))
        await bot.press(data_of(closed, rating), chat_id=person)


async def test_stats_show_the_teams_figures(team: Harness) -> None:
    bot = team
    await conversation(bot, 6000001, reply_after=30 * MINUTE, rating="👍 It helped")
    await conversation(bot, 6000002, reply_after=180 * MINUTE, rating="👎 Not really")
    await conversation(bot, 6000003, reply_after=None)  # nobody answered within 12 hours
    await conversation(bot, 6000004, reply_after=None, opened=NOW + 12 * 3600 + 1800)  # not yet
    clock(bot, NOW + 13 * 3600)
    calls = await bot.send("/stats", chat_id=OWNER)
    [shown] = [c for c in calls if c.method == "sendPhoto"]
    assert "💬 Asking the team, last 30 days" in shown.plain
    assert "Conversations: 4 · first reply (median): 1.8 h" in shown.plain
    # Answered within the limit: 2 of the 3 whose limit has passed (the 4th is not judged).
    assert "Answered within 12 h: 67% · helped 👍 1 · 👎 1" in shown.plain
    assert "6000001" not in shown.plain  # counts, never who


async def test_stats_with_no_conversations_yet(team: Harness) -> None:
    calls = await team.send("/stats", chat_id=OWNER)
    [shown] = [c for c in calls if c.method == "sendPhoto"]
    assert "Conversations: 0 · first reply (median): –" in shown.plain
    assert "Answered within 12 h: – · helped 👍 0 · 👎 0" in shown.plain
