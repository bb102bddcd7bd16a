"""👍/👎 under an answer, and /gaps: the questions the cards answer badly, kept anonymised."""

from __future__ import annotations

from tests.harness import Harness
from tests.test_moderators import OWNER, world  # noqa: F401  (the fixture)
from tests.test_reminder_setup import data_of

# Each test here runs on SQLite and on PostgreSQL (tests/conftest.py).
BOTH_ENGINES = True


async def test_an_answer_asks_if_it_helped_and_only_its_chat_can_rate_it(
        world: Harness) -> None:  # noqa: F811
    answer = Harness.only_reply(await world.send("my son Jack is 4, is kefir good for him?",
                                                 chat_id=101))
    assert "👍 Helpful" in answer.button_labels and "👎 Not what I needed" in answer.button_labels
    calls = await world.press(data_of(answer, "👎 Not what I needed"), chat_id=101)
    # A thank-you, no message; under the answer 👍/👎 give way to "Ask the team" (issue 25).
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageReplyMarkup"]
    assert "noted" in calls[0].params["text"]
    assert "💬 Ask the team" in str(calls[1].params["reply_markup"])
    rows = world.rows("SELECT question, found, helpful, chat_id FROM answer_feedback")
    assert rows == [("my son [name] is #, is kefir good for him?", 1, 0, 101)]
    # The ids are consecutive: the same button data pressed in another chat (forged, or a
    # copied button) changes nothing and is answered as a stale button (issue 21).
    before = world.snapshot()
    forged = await world.press(data_of(answer, "👍 Helpful"), chat_id=102)
    assert "out of date" in Harness.only_reply(forged).plain
    assert not any("noted" in str(c.params.get("text")) for c in forged)
    assert world.snapshot() == before
    # Moderators see the question, never the chat.
    gaps = Harness.only_reply(await world.send("/gaps", chat_id=OWNER)).plain
    assert "is kefir good for him" in gaps and "101" not in gaps


async def test_a_chat_sees_its_questions_and_forget_erases_them(world: Harness) -> None:  # noqa: F811
    await world.send("is kefir good for eczema", chat_id=101)
    await world.send("which washing powder is best", chat_id=102)
    shown = Harness.replies(await world.send("/mydata", chat_id=101))[0]
    assert "Questions asked here (kept 30 days, masked; the file has them): 1" in shown.plain
    ask = Harness.only_reply(await world.press(data_of(shown, "🗑 Erase my data…"), chat_id=101))
    await world.press(data_of(ask, "🗑 Yes, erase everything"), chat_id=101)
    assert world.rows("SELECT chat_id, question FROM answer_feedback") == [
        (102, "which washing powder is best")]


async def test_gaps_lists_what_found_no_card_or_a_thumbs_down(world: Harness) -> None:  # noqa: F811
    for chat in (101, 102):
        await world.send("which washing powder is best for 2 school uniforms", chat_id=chat)
    answer = Harness.only_reply(await world.send("is kefir good for eczema", chat_id=103))
    await world.press(data_of(answer, "👎 Not what I needed"), chat_id=103)
    await world.send("how much fibre should I eat", chat_id=101)
    gaps = Harness.only_reply(await world.send("/gaps", chat_id=OWNER)).plain
    assert "“which washing powder is best for # school uniforms” — asked 2×, no card 2×" in gaps
    assert "“is kefir good for eczema” — asked 1×, 👎 1×" in gaps
    assert "fibre" not in gaps  # answered and not rated down
    other = Harness.only_reply(await world.send("/gaps", chat_id=101)).plain
    assert "Where the cards fall short" not in other  # moderators only


async def test_questions_are_kept_thirty_days(world: Harness) -> None:  # noqa: F811
    from bot.store import feedback

    await world.send("is kefir good for eczema", chat_id=101)
    data = world.app.bot_data
    assert await feedback.prune(data.db, data.now() + 29 * 86_400) == 0
    assert await feedback.prune(data.db, data.now() + 31 * 86_400) == 1
    assert world.rows("SELECT COUNT(*) FROM answer_feedback") == [(0,)]
