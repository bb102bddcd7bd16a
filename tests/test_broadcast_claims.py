"""A moderator's broadcast that promises a cure or says to stop a treatment gets a second look."""

from __future__ import annotations

import pytest

from tests.harness import Harness
from tests.test_moderators import OWNER, world  # noqa: F401  (the fixture)
from tests.test_reminder_setup import data_of


async def _compose(bot: Harness, text: str) -> list:  # type: ignore[type-arg]
    await bot.send("/broadcast", chat_id=OWNER)
    return Harness.replies(await bot.send(text, chat_id=OWNER))


@pytest.mark.parametrize("text", [
    "Great news: this probiotic cures eczema for good!",
    "Time to stop using your steroid cream and try kefir instead.",
    "Go eczema-free in 30 days with our gut plan",
])
async def test_a_risky_broadcast_is_flagged_and_needs_two_confirmations(
        world: Harness, text: str) -> None:  # noqa: F811
    preview, warning, menu = await _compose(world, text)
    assert warning.plain.startswith("⚠️ Please check this broadcast")
    assert "audit log" in warning.plain
    confirm = Harness.only_reply(await world.press(data_of(menu, "👥 All subscribers (5)"),
                                                   chat_id=OWNER))
    again = Harness.only_reply(await world.press(data_of(confirm, "🚀 Send now"),
                                                 chat_id=OWNER))
    assert "needs a second confirmation" in again.plain
    assert world.rows("SELECT COUNT(*) FROM outbox WHERE kind = 'broadcast'") == [(0,)]
    started = Harness.only_reply(await world.press(data_of(again, "⚠️ Send it anyway"),
                                                   chat_id=OWNER))
    assert "on its way to 5 chats" in started.plain
    assert world.rows("SELECT COUNT(*) FROM outbox WHERE kind = 'broadcast'") == [(5,)]
    (detail,), = world.rows("SELECT detail FROM audit_log WHERE action = 'broadcast sent'")
    assert "sent despite warning" in detail


async def test_a_careful_broadcast_goes_out_with_one_confirmation(
        world: Harness) -> None:  # noqa: F811
    preview, menu = await _compose(world, "Keep using your prescribed creams; fibre may help too."
                                   " Don't stop any treatment without your doctor.")
    confirm = Harness.only_reply(await world.press(data_of(menu, "👥 All subscribers (5)"),
                                                   chat_id=OWNER))
    started = Harness.only_reply(await world.press(data_of(confirm, "🚀 Send now"),
                                                   chat_id=OWNER))
    assert "on its way to 5 chats" in started.plain
    (detail,), = world.rows("SELECT detail FROM audit_log WHERE action = 'broadcast sent'")
    assert "warning" not in detail


async def test_scheduling_a_flagged_broadcast_also_asks_twice(world: Harness) -> None:  # noqa: F811
    _, _, menu = await _compose(world, "Ditch your creams, this diet heals eczema naturally")
    confirm = Harness.only_reply(await world.press(data_of(menu, "👥 All subscribers (5)"),
                                                   chat_id=OWNER))
    again = Harness.only_reply(await world.press(data_of(confirm, "🕒 Schedule…"),
                                                 chat_id=OWNER))
    assert "needs a second confirmation" in again.plain
    ask = Harness.only_reply(await world.press(data_of(again, "⚠️ Schedule it anyway"),
                                               chat_id=OWNER))
    assert "When should" in ask.plain or "time" in ask.plain.lower()
