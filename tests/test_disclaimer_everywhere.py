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
