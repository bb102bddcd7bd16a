"""A reply Telegram refuses costs one more request at most, never a storm.

A short 429 is waited out and the reply sent once more; a long one, or a 400, is not tried
again. Flood control gets no apology (it would meet the same limit); a real error gets one
apology per update, and the owners hear about at most a few errors an hour, with a count of
the rest.
"""

from __future__ import annotations

import time

from tests.harness import USER_ID, Harness

OWNER = 9000001  # BOT_ADMIN_IDS in tests/conftest.py
T0 = 1_800_000_000


def sends(bot: Harness, chat_id: int) -> list[str]:
    return [c.plain for c in bot.api.calls if c.method == "sendMessage" and c.chat_id == chat_id]


async def test_a_short_flood_wait_is_waited_out_and_the_reply_arrives(bot: Harness) -> None:
    bot.api.fail("sendMessage", 429, "Too Many Requests: retry after 1",
                 parameters={"retry_after": 1})
    started = time.monotonic()
    calls = await bot.send("/help")
    assert time.monotonic() - started >= 1.0
    tries = [c for c in calls if c.method == "sendMessage"]
    assert len(tries) == 2 and tries[1].result is not None  # the second one landed
    assert "/topics" in tries[1].plain
    assert sends(bot, OWNER) == []  # nothing worth an owner's attention


async def test_a_long_flood_wait_is_not_retried_apologised_for_or_reported(bot: Harness) -> None:
    bot.api.fail("sendMessage", 429, "Too Many Requests: retry after 30",
                 parameters={"retry_after": 30})
    started = time.monotonic()
    calls = await bot.send("/help")
    assert time.monotonic() - started < 2
    assert [c.method for c in calls if c.method.startswith("send")] == ["sendMessage"]
    assert sends(bot, OWNER) == []


async def test_a_rejected_reply_is_not_retried_and_gets_one_apology(bot: Harness) -> None:
    bot.api.fail("sendMessage", 400, "Bad Request: can't parse entities")
    calls = await bot.send("/help")
    to_person = [c for c in calls if c.method == "sendMessage" and c.chat_id == USER_ID]
    assert len(to_person) == 2  # the refused reply, then the apology; no second try
    assert to_person[0].result is None and "went wrong" in to_person[1].plain
    reports = sends(bot, OWNER)
    assert len(reports) == 1 and "Can't parse entities" in reports[0]


async def test_the_same_update_delivered_twice_is_apologised_for_once(bot: Harness) -> None:
    update = {"update_id": 424242, "message": bot.message("/help")}
    for _ in range(2):
        bot.api.fail("sendMessage", 400, "Bad Request: can't parse entities")
        await bot.feed(update)
    apologies = [t for t in sends(bot, USER_ID) if "went wrong" in t]
    assert len(apologies) == 1


async def test_owners_get_a_few_reports_an_hour_then_a_count(bot: Harness) -> None:
    now = [T0]
    bot.app.bot_data.clock = lambda: now[0]
    for i in range(109):  # the fuzz run that once sent 109 reports to every owner
        bot.api.fail("sendMessage", 400, "Bad Request: can't parse entities")
        await bot.send("/help", chat_id=USER_ID + i)
        now[0] += 10
    reports = sends(bot, OWNER)
    assert len(reports) == 3
    # An hour after the first report, the next error's report says what was held back.
    now[0] = T0 + 3600
    bot.api.fail("sendMessage", 400, "Bad Request: can't parse entities")
    await bot.send("/help")
    reports = sends(bot, OWNER)
    assert len(reports) == 4
    assert "And 106 more errors since" in reports[-1]


async def test_the_minute_tick_reports_what_was_held_back(bot: Harness) -> None:
    from bot.app import minute_tick

    now = [T0]
    bot.app.bot_data.clock = lambda: now[0]
    for i in range(5):
        bot.api.fail("sendMessage", 400, "Bad Request: can't parse entities")
        await bot.send("/help", chat_id=USER_ID + i)
    assert len(sends(bot, OWNER)) == 3
    await minute_tick(_Job(bot))  # still within the hour: nothing more
    assert len(sends(bot, OWNER)) == 3
    now[0] += 3600
    await minute_tick(_Job(bot))
    summary = sends(bot, OWNER)[-1]
    assert "2 more errors" in summary and "at most 3 reports an hour" in summary
    await minute_tick(_Job(bot))
    assert len(sends(bot, OWNER)) == 4  # said once


class _Job:
    """The slice of a job's context that minute_tick reads."""

    def __init__(self, bot: Harness) -> None:
        self.bot = bot.app.bot
        self.bot_data = bot.app.bot_data
