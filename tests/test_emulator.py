"""The real bot process, end to end, against the loopback Bot API (tests/loopback_api.py).

`python -m bot` runs as it would in production: env settings, long polling over HTTP,
logging to stderr, SIGTERM to stop. One process serves the whole module; each test talks
in its own chat, and the last test stops the process and reads its log.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.library.model import Library
from bot.library.render import Renderer
from bot.telegram.html import to_plain
from tests.loopback_api import REPLY_METHODS, Call, LoopbackBotAPI
from tests.test_webhook import free_port

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:TEST-token"
SECRET = TOKEN.split(":", 1)[1]
CARD_IDS = sorted(path.stem for path in (ROOT / "content" / "cards").glob("*.md"))


@dataclass
class RunningBot:
    api: LoopbackBotAPI
    process: subprocess.Popen[bytes]
    log_path: Path
    disclaimer: str
    health_port: int

    def ask(self, chat_id: int, push: Callable[[], Any]) -> Call:
        """Push one update and return the first message the bot sends or edits in reply."""
        before = len(self.api.calls)
        push()
        calls = self.api.wait_for(
            lambda calls: any(_lands_in(c, chat_id) for c in calls[before:]), timeout=10)
        reply = next(c for c in calls[before:] if _lands_in(c, chat_id))
        assert reply.status == 200, reply
        assert_ends_with_disclaimer(reply, self.disclaimer)
        return reply

    def say(self, chat_id: int, text: str, **kwargs: Any) -> Call:
        return self.ask(chat_id, lambda: self.api.push_message(text, chat_id=chat_id, **kwargs))

    def press(self, chat_id: int, data: str) -> Call:
        return self.ask(chat_id, lambda: self.api.push_callback(data, chat_id=chat_id))


def _lands_in(call: Call, chat_id: int) -> bool:
    return call.method in REPLY_METHODS and call.chat_id == chat_id


def _callback_data(call: Call) -> list[str]:
    return [b["callback_data"] for row in call.buttons for b in row if "callback_data" in b]


def assert_ends_with_disclaimer(call: Call, disclaimer: str) -> None:
    assert call.text.rstrip().endswith(disclaimer), f"{call.method} lacks it:\n{call.text}"
    assert "not medical advice" in to_plain(call.text)
    assert "/disclaimer" in call.text


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory, library: Library) -> Iterator[RunningBot]:
    tmp = tmp_path_factory.mktemp("emulator")
    api = LoopbackBotAPI().start()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=api.base_url,
               TELEGRAM_BASE_FILE_URL=api.base_file_url, BOT_DATABASE=str(tmp / "bot.sqlite3"),
               BOT_HEALTH_PORT=str(health_port := free_port()), BOT_LISTEN="127.0.0.1")
    log_path = tmp / "stderr.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=ROOT, env=env,
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=log)
    disclaimer = Renderer(ROOT / "content" / "templates", library).disclaimer
    running = RunningBot(api, process, log_path, disclaimer, health_port)
    try:
        # post_init registers the menu right before polling starts; updates pushed from
        # now on wait in the queue for the first getUpdates.
        try:
            api.wait_for(lambda calls: any(c.method == "setMyCommands" for c in calls), 20)
        except TimeoutError:
            pytest.fail(f"the bot did not start:\n{log_path.read_text(errors='replace')}")
        yield running
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        api.stop()


def test_start_then_a_topic_button_then_a_card_button(bot: RunningBot) -> None:
    chat = 7001
    welcome = bot.say(chat, "/start", first_name="Priya")
    assert welcome.method == "sendMessage"
    assert to_plain(welcome.text).startswith("Hi Priya!")
    buttons = _callback_data(welcome)
    topics = [d for d in buttons if d.startswith("topic:")]
    assert len(topics) >= 10
    assert buttons[len(topics):] == ["who:self", "who:child"]  # a first chat: who is it for

    listing = bot.press(chat, topics[0])
    assert listing.method == "editMessageText"  # the menu turns into the topic in place
    assert listing.params["message_id"] == welcome.result["message_id"]
    cards = [d for d in _callback_data(listing) if d.startswith("card:")]
    assert cards

    card = bot.press(chat, cards[0])
    assert card.method == "sendMessage"
    assert "Where this comes from" in card.text
    assert "Next card ▶" in [b["text"] for row in card.buttons for b in row]
    answered = [c for c in bot.api.calls if c.method == "answerCallbackQuery"]
    assert len(answered) >= 2  # each press stops its button's spinner


@pytest.mark.parametrize("card_id", [CARD_IDS[0], CARD_IDS[-1]])
def test_card_command_opens_a_real_card(bot: RunningBot, card_id: str) -> None:
    reply = bot.say(7002, f"/card {card_id}")
    assert "Where this comes from" in reply.text
    assert "couldn't find" not in to_plain(reply.text)


def test_help_about_and_unknown_things(bot: RunningBot) -> None:
    chat = 7003
    assert "/topics" in bot.say(chat, "/help").text
    assert f"{len(CARD_IDS)} cards" in bot.say(chat, "/about").text
    assert "don't know that command" in to_plain(bot.say(chat, "/nope").text)
    forged = bot.press(chat, "card:nope")
    assert "out of date" in to_plain(forged.text)


def test_a_name_full_of_markup_is_greeted_literally(bot: RunningBot) -> None:
    reply = bot.say(7004, "/start", first_name='<b>Tom & "Jerry"</b>')
    assert "&lt;b&gt;Tom &amp; " in reply.text
    assert to_plain(reply.text).startswith('Hi <b>Tom & "Jerry"</b>!')
    # What the fake Telegram echoes back is the text as the person sees it.
    assert reply.result["text"].startswith('Hi <b>Tom & "Jerry"</b>!')


def test_a_refused_send_is_logged_and_apologised_for(bot: RunningBot) -> None:
    chat = 7005
    bot.api.fail("sendMessage", 400, "Bad Request: chat not found", chat_id=chat)
    before = len(bot.api.calls)
    bot.api.push_message("/help", chat_id=chat)
    calls = bot.api.wait_for(
        lambda calls: sum(_lands_in(c, chat) for c in calls[before:]) >= 2, timeout=10)
    first, apology = [c for c in calls[before:] if _lands_in(c, chat)][:2]
    assert first.status == 400 and apology.status == 200
    assert_ends_with_disclaimer(apology, bot.disclaimer)


def test_long_polling_serves_health_on_its_own_port(bot: RunningBot) -> None:
    health = httpx.get(f"http://127.0.0.1:{bot.health_port}/healthz", timeout=10)
    assert health.status_code == 200
    assert health.json()["store"] == "ok" and health.json()["problems"] == []
    # Polling takes no updates over HTTP: there is no webhook path to post to.
    assert httpx.post(f"http://127.0.0.1:{bot.health_port}/", json={}).status_code in (404, 405)


def test_sigterm_stops_it_cleanly_and_the_token_never_reaches_its_log(bot: RunningBot) -> None:
    """Runs last: it stops the module's bot, then checks everything it did."""
    commands = [c for c in bot.api.calls if c.method == "setMyCommands"
                and c.params["scope"]["type"] == "all_private_chats"]  # people's menu
    assert len(commands) == 1
    assert {"start", "card", "help"} <= {c["command"] for c in commands[0].params["commands"]}
    landed = [c for c in bot.api.calls if c.method in ("sendMessage", "editMessageText")]
    assert len(landed) >= 10
    for call in landed:
        assert_ends_with_disclaimer(call, bot.disclaimer)

    started = time.monotonic()
    bot.process.send_signal(signal.SIGTERM)
    assert bot.process.wait(10) == 0
    assert time.monotonic() - started < 10
    log = bot.log_path.read_text(errors="replace")
    assert "bot ready" in log  # the log was captured, so its silence about the token counts
    assert "BadRequest: Chat not found" in log  # PTB words it so
    assert SECRET not in log


# --- the loopback server itself ---------------------------------------------------------------
def test_scripted_faults_come_back_as_telegram_sends_them() -> None:
    with LoopbackBotAPI() as api, httpx.Client(base_url=f"{api.base_url}1:x/") as http:
        api.fail("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7,
                 chat_id=5)
        assert http.post("sendMessage", data={"chat_id": 6, "text": "a"}).status_code == 200
        answer = http.post("sendMessage", data={"chat_id": 5, "text": "a"})
        assert answer.status_code == 429
        assert answer.json() == {"ok": False, "error_code": 429, "parameters": {"retry_after": 7},
                                 "description": "Too Many Requests: retry after 7"}
        assert http.post("sendMessage", data={"chat_id": 5, "text": "a"}).status_code == 200

        api.fail("sendMessage", 400, "Bad Request: group chat was upgraded to a supergroup chat",
                 migrate_to=-1001234)
        moved = http.post("sendMessage", json={"chat_id": -42, "text": "hi"}).json()
        assert moved["parameters"] == {"migrate_to_chat_id": -1001234}

        api.block(9)
        for method in ("sendMessage", "editMessageText"):
            blocked = http.post(method, data={"chat_id": 9, "message_id": 1, "text": "a"})
            assert blocked.status_code == 403
            assert blocked.json()["description"] == "Forbidden: bot was blocked by the user"

        api.stall("getMe", 0.3)
        started = time.monotonic()
        assert http.post("getMe").json()["result"]["is_bot"] is True
        assert time.monotonic() - started >= 0.3

        photo = http.post("sendPhoto", data={"chat_id": -7, "caption": "<b>x</b>",
                                             "parse_mode": "HTML"},
                          files={"photo": ("p.jpg", b"\xff" * 1234, "image/jpeg")}).json()
        assert photo["result"]["chat"] == {"id": -7, "type": "supergroup"}
        assert photo["result"]["caption"] == "x"
        assert api.calls[-1].params == {"chat_id": -7, "caption": "<b>x</b>",
                                        "parse_mode": "HTML", "photo": 1234}
        assert [c.chat_id for c in api.sent()] == [6, 5, -7]


def test_long_polling_waits_for_an_update_and_honours_the_offset() -> None:
    with LoopbackBotAPI() as api, httpx.Client(base_url=f"{api.base_url}1:x/") as http:
        first = api.push_message("/start")["update_id"]
        timer = threading.Timer(0.2, api.push_callback, args=("menu",))
        timer.start()
        got = http.post("getUpdates", data={"offset": first + 1, "timeout": 5}).json()["result"]
        timer.join()
        assert [u["update_id"] for u in got] == [first + 1] and "callback_query" in got[0]
        started = time.monotonic()
        assert http.post("getUpdates", data={"offset": first + 2, "timeout": 0.2}).json() == {
            "ok": True, "result": []}
        assert 0.15 < time.monotonic() - started < 2


async def test_async_tests_can_use_it_too() -> None:
    async with LoopbackBotAPI() as api, \
            httpx.AsyncClient(base_url=f"{api.base_url}1:x/") as http:
        keyboard = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
        answer = await http.post("sendMessage", json={"chat_id": 3, "text": "hi",
                                                      "reply_markup": keyboard})
        assert answer.json()["result"]["message_id"] >= 1
        calls = await api.wait_for_async(lambda calls: len(calls) == 1, timeout=1)
        assert calls[0].buttons == [[{"text": "Go", "callback_data": "go"}]]
        with pytest.raises(TimeoutError):
            await api.wait_for_async(lambda calls: len(calls) == 2, timeout=0.05)


def test_flood_limits_answer_429_and_count_them() -> None:
    # All sends arrive "at the same instant", however slow the machine is today.
    with LoopbackBotAPI(enforce_limits=True, clock=lambda: 1000.0) as api, \
            httpx.Client(base_url=f"{api.base_url}1:x/") as http:

        def send(chat_id: int) -> int:
            return http.post("sendMessage", data={"chat_id": chat_id, "text": "x"}).status_code

        assert [send(5), send(5)] == [200, 429]  # one per second to a private chat
        assert api.calls[-1].status == 429 and api.rejected_429 == 1
        assert [send(-42) for _ in range(21)] == [200] * 20 + [429]  # 20 a minute to a group
        # 21 accepted so far this second; the overall limit is 30 a second.
        assert [send(100 + i) for i in range(10)] == [200] * 9 + [429]
        assert api.rejected_429 == 3 and len(api.send_times) == 30
