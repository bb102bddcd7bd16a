"""What the Bot API sends is read safely: a lone surrogate escape (which no UTF-8 text can hold)
becomes U+FFFD whichever case its hex digits are in; an emoji's pair of escapes is kept."""

from __future__ import annotations

import json

import pytest

from bot.telegram.transport import AiohttpRequest


@pytest.mark.parametrize("escape", ["\\ud800", "\\uD800", "\\uDbFf", "\\udc00"])
def test_a_lone_surrogate_becomes_a_replacement_character(escape: str) -> None:
    payload = f'{{"ok": true, "result": [{{"text": "a{escape}b"}}]}}'.encode()
    data = AiohttpRequest.parse_json_payload(payload)
    text = data["result"][0]["text"]
    assert text == "a\ufffdb"
    text.encode("utf-8")  # would raise with the surrogate still in it


@pytest.mark.parametrize("pair", ["\\ud83d\\ude00", "\\uD83D\\uDE00"])
def test_an_emoji_escaped_as_a_pair_is_kept(pair: str) -> None:
    payload = f'{{"ok": true, "result": {{"text": "hi {pair}"}}}}'.encode()
    assert AiohttpRequest.parse_json_payload(payload)["result"]["text"] == "hi \U0001f600"


def test_plain_text_is_read_as_it_is() -> None:
    body = {"ok": True, "result": {"text": "eczema \u00e9 \\ud800 as typed"}}
    payload = json.dumps(body, ensure_ascii=False).encode()
    assert AiohttpRequest.parse_json_payload(payload) == body
