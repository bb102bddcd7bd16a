"""Every command and every button the bot offers answers with the disclaimer at the end.

The harness checks each message as it lands (disclaimer, Telegram HTML, length, 64-byte
callback_data); this test makes sure every reachable screen is visited.
"""

from __future__ import annotations

from bot.library.model import Library
from tests.harness import Harness


async def test_every_command_and_every_reachable_button(bot: Harness, library: Library) -> None:
    commands = [f"/{name}" for name, _ in library.commands]
    commands += ["/card", "/card no-such-card", "/start card-nope", "/nonsense"]
    pending: list[str] = []
    seen: set[str] = set()
    messages = 0
    for command in commands:
        calls = await bot.send(command)
        replies = Harness.replies(calls)
        assert replies, f"{command} got no answer"
        messages += len(replies)
        pending += [b["callback_data"] for r in replies for row in r.buttons for b in row
                    if "callback_data" in b]
    while pending:
        data = pending.pop()
        if data in seen:
            continue
        seen.add(data)
        replies = Harness.replies(await bot.press(data))
        assert replies, f"button {data} got no answer"
        messages += len(replies)
        pending += [b["callback_data"] for r in replies for row in r.buttons for b in row
                    if "callback_data" in b and b["callback_data"] not in seen]
    # Every topic and every card was reachable by buttons alone.
    assert {f"topic:{t.id}" for t in library.topics} <= seen
    assert {f"card:{c}" for c in library.cards} <= seen
    assert messages > len(library.cards)


def test_renderer_appends_the_disclaimer_even_to_an_empty_body(bot: Harness) -> None:
    renderer = bot.app.bot_data.renderer
    assert renderer.finish("").text == renderer.disclaimer
    assert "not medical advice" in renderer.disclaimer
    assert "/disclaimer" in renderer.disclaimer


async def test_every_message_of_a_conversation_with_the_team_ends_with_the_disclaimer(
        bot: Harness) -> None:
    """Each outbox kind of a conversation (issue 25) and each of its notes, both ways: here
    with the owner answering in their own chat (no supergroup)."""
    from bot.app import minute_tick
    from bot.store import outbox
    from tests.harness import assert_lands_well
    from tests.test_reminder_setup import data_of

    owner, start = 9000001, len(bot.api.calls)
    now = [1_800_000_000]
    bot.app.bot_data.clock = lambda: now[0]

    class Job:
        def __init__(self) -> None:
            self.bot, self.bot_data = bot.app.bot, bot.app.bot_data

    async def drained() -> list:  # type: ignore[type-arg]
        before = len(bot.api.calls)
        await bot.app.bot_data.sender.drain()
        return bot.api.calls[before:]

    async def ask(person: int) -> object:
        await bot.send("/start", chat_id=person)
        await bot.send("/human", chat_id=person)
        preview = Harness.only_reply(await bot.send("Any tips for bath time?", chat_id=person))
        await bot.press(data_of(preview, "📨 Send to the team"), chat_id=person)
        [ticket] = [c for c in await drained() if c.chat_id == owner]
        return ticket

    await bot.send("/start", chat_id=owner)
    ticket = await ask(101)
    now[0] += 13 * 3600
    await minute_tick(Job())  # type: ignore[arg-type]  # nobody claimed it: both told
    await drained()
    claim = {"id": "c1", "chat_instance": "ci", "data": "tk:1:claim", "message": ticket.result,
             "from": {"id": owner, "is_bot": False, "first_name": "Own"}}
    await bot.feed({"callback_query": claim})
    answer = bot.message("Lukewarm and short.", chat_id=owner, reply_to_message=ticket.result)
    await bot.feed({"message": answer})
    await bot.send("Thanks!", chat_id=101)
    await bot.send("/cancel", chat_id=101)  # closed by the person
    await drained()
    ticket = await ask(102)
    await bot.feed({"callback_query": {**claim, "id": "c2", "data": "tk:2:claim",
                                       "message": ticket.result}})
    await bot.feed({"message": bot.message("/cancel", chat_id=owner,
                                           reply_to_message=ticket.result)})  # by the team
    ticket = await ask(103)
    await bot.feed({"callback_query": {**claim, "id": "c3", "data": "tk:3:blockyes",
                                       "message": ticket.result}})  # blocked
    await ask(104)
    forget = Harness.only_reply(await bot.send("/forget", chat_id=104))
    await bot.press(data_of(forget, "🗑 Yes, erase everything"), chat_id=104)  # withdrew
    await drained()
    for call in bot.api.calls[start:]:
        if call.method in ("sendMessage", "editMessageText"):
            assert_lands_well(call, bot.disclaimer)
    sent = {(kind, payload.split(":")[0] if kind in ("team_note", "team_notice") else "")
            for kind, payload in bot.rows("SELECT kind, payload FROM outbox WHERE status = "
                                          "'sent'")}
    assert {kind for kind, _ in sent} == set(outbox.CONVERSATION)
    assert {what for kind, what in sent if kind == "team_note"} == {
        "late", "claimed", "team", "blocked"}  # the person's own close is answered directly
    assert {what for kind, what in sent if kind == "team_notice"} == {
        "late", "closed", "withdrew"}
