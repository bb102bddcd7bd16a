"""The keyboards a chat receives: the bot writes the Bot API's JSON itself (bot/telegram/
message.py), and it must be exactly what PTB's own objects would send."""

from __future__ import annotations

import pytest

from bot.telegram.message import Button, Key, Outgoing

SHAPES = {
    "buttons": Outgoing("t", buttons=((Button("Next card", "card:x"),
                                       Button("Read more", url="https://nhs.uk/")),
                                      (Button("Share", share_query="fibre"),))),
    "reply keyboard": Outgoing("t", keys=((Key("London"), Key("📍 Share", location=True)),)),
    "keyboard removed": Outgoing("t", remove_keys=True),
    "no markup": Outgoing("t"),
}


@pytest.mark.parametrize("name", SHAPES)
def test_markup_json_is_what_ptb_would_send(name: str) -> None:
    out = SHAPES[name]
    markup = out.reply_markup()
    assert out.markup_dict() == (markup.to_dict() if markup is not None else None)
