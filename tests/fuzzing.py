"""Generated Telegram updates against the real bot process, and what must never happen.

`run_fuzz` starts `python -m bot` against the loopback Bot API, lets the owner prepare two
campaign drafts (their buttons become targets), then pushes generated updates in batches:
random Unicode (right-to-left, zero-width, lone surrogates, superscripts, 4,096+ characters,
HTML-like text), commands with random arguments, forged and replayed button data (the owner's
campaign buttons pressed by others above all), edited messages, groups, supergroups and
channels, joins, leaves, my_chat_member, migrations, media without text, messages without
`from`, button presses on inline messages, inline queries. Then it counts:

- tracebacks and ERROR lines in the bot's log;
- messages (and inline results) without the disclaimer at their end;
- messages Telegram would refuse as HTML (tests/strict_html.py, controls checked first);
- rows of chats no update came from (victims seeded beforehand) changed, or created;
- moderator effects by non-moderators: moderators, campaigns, audit log or broadcast rows
  changed, or a moderator's screen shown to someone else.

bench/fuzz.py runs 10,000+; tests/test_fuzz_slice.py a few hundred with a fixed seed.
"""

from __future__ import annotations

import html
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.library.content import load_library
from bot.library.render import Renderer
from bot.store import open_database
from bot.telegram.offline import BOT_USER
from tests import strict_html
from tests.crash import stop
from tests.loopback_api import Call, LoopbackBotAPI

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:FUZZ-token"
OWNER = 4_242_424_201
MODERATOR = 4_242_424_202
BOT_NAME = BOT_USER["username"]
MESSAGE_METHODS = {"sendMessage": False, "editMessageText": False, "sendPhoto": True,
                   "sendDocument": True, "editMessageCaption": True}
# What only moderators may see: their screens' headings and confirmations.
MODERATOR_SCREENS = ("New broadcast", "exactly what subscribers will see", "📣 Campaigns",
                     "🛡 Moderators", "🧾 Audit log", "📊 Bot stats", "Content reloaded",
                     "is on its way to", "is cancelled", "When should this broadcast",
                     "is scheduled for", "has not been sent", "is now a moderator",
                     "needs a second confirmation")

WORDS = ["fibre", "kefir", "probiotics", "eczema", "itchy", "sleep", "stress", "sugar", "gut",
         "baby", "toddler", "skin", "flare", "yoghurt", "oats", "beans", "is", "good", "for",
         "my", "kid", "what", "about", "help", "STOP", "stop", "yes", "no", "8am", "Sydney",
         "reminder", "cancel", "start", "?", "!", "1", "2", "3"]
URGENT = ["I can't breathe", "her lips are swelling", "fever and weeping blisters",
          "I want to hurt myself", "my baby is floppy and hot", "eczema near my eye"]
PIECES = {
    "rtl": ["مرحبا بالعالم", "שלום עולם", "\u202eevil\u202c", "\u200f", "\u200e", "ا٣"],
    "zero": ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060"],
    "surrogate": ["\ud800", "\udfff", "\ud83d", "x\udc00y"],
    "super": ["²", "³", "¹⁰", "⁹", "٣", "３", "Ⅻ", "½", "²⁰²⁷", "𝟗"],
    "html": ["<b>", "</b>", "<i>x</i>", '<a href="javascript:x">', "&amp;", "&", "<", ">",
             "<script>alert(1)</script>", "&lt;", "<tg-spoiler>", '"', "'", "<pre>",
             '<code class="x">', "&#0;", "&nbsp;", "]]>", "<!--", "{{ 7*7 }}", "{% raw %}"],
    "emoji": ["😀", "🧴", "👨‍👩‍👧", "🏳️‍🌈", "🇬🇧", "🩺"],
    "space": ["\u3000", "\n", "\t", "  ", "\u00a0", "\r\n"],
    "combining": ["e\u0301", "\u0336", "Z\u0351\u0352\u0353"],
    "control": ["\x00", "\x07", "\x1b[31m", "\x7f"],
}
ARGS = ["", "²", "³ days", "99999999999999999999999", "-1", "0", "3", "8am", "25:99",
        "9999-12-31 23:59", "25 dec ²⁰²⁷ 9am", "Sydney", "Mars/Phobos", "8am Sydney",
        "add 123", "add ²", f"add {MODERATOR + 7}", "remove 5", "list", "card-FIBRE",
        "sunday 18:00", "monday 99:00", "all", "../../etc/passwd", "%s%s%n", "\u3000" * 3001]
FORGED_DATA = ["bc:99999999999999999999:x", "bc:1:now", "bc:1:now2", "bc:1:x", "bc:1:sch",
               "bc:1:all", "bc:2:me", "bc:-1:now", "bc:1:t99999", "bc:abc:now", "card:nope",
               "card:../../etc", "topic:", "rt:zz:9999", "rz:0:keep", "rd:x:127", "set:stop",
               "set:show", "forget:yes", "forget:ask", "ci:20261301:0:y", "ci:99999999:9:n",
               "hab:x:done999", "focus:0:done1023", "next:nope", "menu", "remind", "🙂",
               "x" * 64, "TOPIC:fibre", "menu:extra", ""]
COMMON_DATA = ["menu", "remind", "set:show", "forget:ask", "forget:no", "set:pause",
               "set:resume", "set:days", "set:focus", "set:habits", "set:progress"]
MODERATOR_COMMANDS = ["broadcast", "push", "campaigns", "cancel", "reload", "stats", "mod",
                      "audit"]


@dataclass
class Population:
    users: list[int]
    groups: list[int]  # basic groups (they can migrate)
    supergroups: list[int]
    channels: list[int]
    members: dict[int, list[int]]  # chat -> its users (the first is an admin)
    victims: list[int]  # chats seeded beforehand that no update ever comes from

    @classmethod
    def make(cls, rng: random.Random, users: int = 80) -> Population:
        people = [100_000 + i for i in range(users)]
        groups = [-(5_000 + i) for i in range(8)]
        supers = [-(1_000_000_000_000 + i) for i in range(8)]
        channels = [-(1_000_100_000_000 + i) for i in range(4)]
        members = {c: rng.sample(people, 6) for c in groups + supers + channels}
        victims = [990_001, 990_002, 990_003, -990_004, -1_000_990_000_005]
        return cls(people, groups, supers, channels, members, victims)


@dataclass
class Generator:
    """Telegram updates, valid in shape and hostile in content, from a seed."""

    seed: int
    commands: list[str]
    card_ids: list[str]
    rng: random.Random = field(init=False)
    people: Population = field(init=False)
    kinds: Counter[str] = field(default_factory=Counter)
    seen_chats: set[int] = field(default_factory=set)
    buttons: list[tuple[dict[str, Any], str]] = field(default_factory=list)  # (message, data)
    owner_buttons: list[str] = field(default_factory=list)
    recent: list[dict[str, Any]] = field(default_factory=list)  # messages people sent
    pending: list[dict[str, Any]] = field(default_factory=list)  # due in the next batch
    moderator_attempts: int = 0  # moderator commands and buttons from everyone else
    _ids: int = 10

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.people = Population.make(self.rng)

    # --- pieces ---------------------------------------------------------------------------
    def _id(self) -> int:
        self._ids += 1
        return self._ids

    def text(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.04:
            return rng.choice(["x", "🧴", "fibre "]) * rng.randint(4097, 5000)
        if roll < 0.06:
            return rng.choice(["\u3000", "\n", " "]) * 3001 + "fibre"
        if roll < 0.12:
            return rng.choice(URGENT) + rng.choice(["", " ?", " " + rng.choice(WORDS)])
        parts = []
        for _ in range(rng.randint(1, 14)):
            if rng.random() < 0.6:
                parts.append(rng.choice(WORDS))
            else:
                parts.append(rng.choice(PIECES[rng.choice(list(PIECES))]))
        return rng.choice([" ", "", " "]).join(parts) or "?"

    def user(self, user_id: int) -> dict[str, Any]:
        rng = self.rng
        name = rng.choice(["Sam", "<b>Tom & \"Jerry\"</b>", "שרה", "سارة", "\u202eevil",
                           "😀", "x" * 64, "Ann\u200b"])
        self.seen_chats.add(user_id)  # a person's own chat may be recorded from any update
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": name}
        if rng.random() < 0.7:
            user["language_code"] = rng.choice(["en", "de", "ar", "he", "zh-hans", "xx"])
        if rng.random() < 0.3:
            user["username"] = f"user{user_id}"
        return user

    def chat(self, chat_id: int) -> dict[str, Any]:
        p = self.people
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Sam"}
        kind = ("group" if chat_id in p.groups else "channel" if chat_id in p.channels
                else "supergroup")
        chat: dict[str, Any] = {"id": chat_id, "type": kind, "title": self.rng.choice(
            ["Eczema parents", "<i>Skin</i> & gut", "مجموعة"])}
        if kind == "supergroup" and self.rng.random() < 0.2:
            chat["is_forum"] = True
        return chat

    def where(self) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """A chat and the person writing in it (None in a channel)."""
        p, rng = self.people, self.rng
        roll = rng.random()
        if roll < 0.55:
            user_id = rng.choice(p.users)
            self.seen_chats.add(user_id)
            return self.chat(user_id), self.user(user_id)
        if roll < 0.9:
            chat_id = rng.choice(p.groups + p.supergroups)
        else:
            chat_id = rng.choice(p.channels)
        self.seen_chats.add(chat_id)
        if chat_id in p.channels:
            return self.chat(chat_id), None
        return self.chat(chat_id), self.user(rng.choice(p.members[chat_id]))

    def message(self, chat: dict[str, Any], user: dict[str, Any] | None,
                text: str | None = None, **extra: Any) -> dict[str, Any]:
        message: dict[str, Any] = {"message_id": self._id(), "date": int(time.time()),
                                   "chat": chat, **extra}
        if user is not None:
            message["from"] = user
        elif chat["type"] == "channel":
            message["sender_chat"] = chat
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0] if text.split() else "/"
                message["entities"] = [{"type": "bot_command", "offset": 0,
                                        "length": _units(command)}]
            elif text.startswith(f"@{BOT_NAME}"):
                message["entities"] = [{"type": "mention", "offset": 0,
                                        "length": len(BOT_NAME) + 1}]
        if chat.get("is_forum") and self.rng.random() < 0.5:
            message.update(message_thread_id=self._id(), is_topic_message=True)
        return message

    def command(self) -> str:
        rng = self.rng
        name = rng.choice(self.commands + MODERATOR_COMMANDS + ["frobnicate", "START", "x"])
        if rng.random() < 0.2:
            name += rng.choice([f"@{BOT_NAME}", "@other_bot", "@"])
        if name.startswith("start") and rng.random() < 0.4:
            card = rng.choice(self.card_ids)
            arg = rng.choice([f"card-{card}", f"card-{card.upper()}", "card-", "card-nope"])
        elif name.startswith("card") and rng.random() < 0.5:
            arg = rng.choice(self.card_ids + ["nope", "FIBRE-FEEDS-GOOD-BACTERIA"])
        else:
            arg = rng.choice(ARGS) if rng.random() < 0.7 else self.text()
        if name.split("@")[0] in MODERATOR_COMMANDS:
            self.moderator_attempts += 1
        return f"/{name} {arg}".rstrip() if arg else f"/{name}"

    # --- whole updates ----------------------------------------------------------------------
    def update(self) -> dict[str, Any]:
        rng = self.rng
        makers = [(self.private_or_group_text, 18), (self.a_command, 20),
                  (self.button_press, 18), (self.edited, 4), (self.channel_post, 4),
                  (self.membership, 5), (self.migration, 1), (self.media, 8),
                  (self.without_from, 3), (self.inline_message_press, 4),
                  (self.inline_query, 4), (self.service, 4), (self.other_kind, 3)]
        maker = rng.choices([m for m, _ in makers], [w for _, w in makers])[0]
        self.kinds[maker.__name__] += 1
        return maker()

    def private_or_group_text(self) -> dict[str, Any]:
        chat, user = self.where()
        text = self.text()
        if chat["type"] in ("group", "supergroup") and self.rng.random() < 0.5:
            text = f"@{BOT_NAME} {text}"
        extra: dict[str, Any] = {}
        replies = [m for m, _ in self.buttons[-200:] if m["chat"]["id"] == chat["id"]]
        if replies and self.rng.random() < 0.3:
            extra["reply_to_message"] = self.rng.choice(replies)
        message = self.message(chat, user, text, **extra)
        self.recent.append(message)
        del self.recent[:-200]
        return {"channel_post" if chat["type"] == "channel" else "message": message}

    def a_command(self) -> dict[str, Any]:
        chat, user = self.where()
        message = self.message(chat, user, self.command())
        self.recent.append(message)
        return {"channel_post" if chat["type"] == "channel" else "message": message}

    def button_press(self) -> dict[str, Any]:
        """Replayed (often by someone else, often elsewhere), forged, or the owner's own."""
        rng = self.rng
        chat, user = self.where()
        if user is None:  # channel buttons are pressed by subscribers
            user = self.user(rng.choice(self.people.users))
        roll = rng.random()
        if roll < 0.3 and self.owner_buttons:
            data = rng.choice(self.owner_buttons)
            # The owner's campaign buttons, pressed by someone else: in their own chat, or
            # forged onto the owner's very message.
            shown = self.message(chat, BOT_USER, "menu") if rng.random() < 0.8 else \
                self.message({"id": OWNER, "type": "private", "first_name": "Owner"},
                             BOT_USER, "menu")
        elif roll < 0.7 and self.buttons:
            shown, data = rng.choice(self.buttons[-500:])
            if rng.random() < 0.3:  # replayed in another chat
                shown = {**shown, "chat": chat}
        else:
            data = rng.choice(FORGED_DATA + COMMON_DATA) if rng.random() < 0.8 else \
                self.text()[:64]
            shown = self.message(chat, BOT_USER, "menu")
        if rng.random() < 0.05:  # too old to read: Telegram sends an inaccessible message
            shown = {"message_id": shown["message_id"], "date": 0, "chat": shown["chat"]}
        query = {"id": str(self._id()), "from": user, "chat_instance": str(chat["id"]),
                 "message": shown}
        if data:
            query["data"] = data
        if data.startswith("bc:"):
            self.moderator_attempts += 1
        return {"callback_query": query}

    def inline_message_press(self) -> dict[str, Any]:
        user = self.user(self.rng.choice(self.people.users))
        data = self.rng.choice([d for _, d in self.buttons[-100:]] + FORGED_DATA)
        query = {"id": str(self._id()), "from": user, "chat_instance": "inline",
                 "inline_message_id": f"AgAAA{self._id()}"}
        if data:
            query["data"] = data
        return {"callback_query": query}

    def edited(self) -> dict[str, Any]:
        if not self.recent:
            return self.private_or_group_text()
        original = self.rng.choice(self.recent)
        message = {**original, "edit_date": int(time.time())}
        message.pop("entities", None)
        message["text"] = self.rng.choice([self.text(), self.command()])
        if message["text"].startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": _units(message["text"].split()[0])}]
        kind = "edited_channel_post" if message["chat"]["type"] == "channel" \
            else "edited_message"
        return {kind: message}

    def channel_post(self) -> dict[str, Any]:
        chat_id = self.rng.choice(self.people.channels)
        self.seen_chats.add(chat_id)
        text = self.command() if self.rng.random() < 0.6 else self.text()
        return {"channel_post": self.message(self.chat(chat_id), None, text)}

    def membership(self) -> dict[str, Any]:
        """The bot added, removed, promoted, blocked or unblocked; or someone else's change."""
        rng, p = self.rng, self.people
        chat, user = self.where()
        if user is None:
            user = self.user(p.members[chat["id"]][0])
        states = [{"status": "member"}, {"status": "left"},
                  {"status": "kicked", "until_date": 0},
                  {"status": "administrator", **_ADMIN, "can_post_messages": True}]
        old, new = rng.sample(states, 2)
        who = BOT_USER if rng.random() < 0.8 else self.user(rng.choice(p.users))
        if chat["type"] == "private":
            old, new = rng.sample(states[:3], 2)
        changed = {"chat": chat, "from": user, "date": int(time.time()),
                   "old_chat_member": {**old, "user": who},
                   "new_chat_member": {**new, "user": who}}
        return {"my_chat_member" if who is BOT_USER else "chat_member": changed}

    def service(self) -> dict[str, Any]:
        chat, user = self.where()
        if user is None or chat["type"] == "private":
            return self.membership()
        who = BOT_USER if self.rng.random() < 0.5 else self.user(self.rng.choice(
            self.people.users))
        extra = {"new_chat_members": [who]} if self.rng.random() < 0.5 else \
            {"left_chat_member": who}
        return {"message": self.message(chat, user, **extra)}

    def migration(self) -> dict[str, Any]:
        """A basic group becomes a supergroup: the old chat's last word, then (as a separate
        update, queued for next time) the new chat's first."""
        p = self.people
        if not p.groups:
            return self.private_or_group_text()
        old = self.rng.choice(p.groups)
        new = -(1_000_200_000_000 + self._id())
        p.groups.remove(old)
        p.supergroups.append(new)
        p.members[new] = p.members[old]
        self.seen_chats.update((old, new))
        user = self.user(p.members[old][0])
        self.pending.append({"message": self.message(
            {"id": new, "type": "supergroup", "title": "Moved"}, user,
            migrate_from_chat_id=old)})
        return {"message": self.message(self.chat_for_group(old), user,
                                        migrate_to_chat_id=new)}

    def chat_for_group(self, chat_id: int) -> dict[str, Any]:
        return {"id": chat_id, "type": "group", "title": "Eczema parents"}

    def media(self) -> dict[str, Any]:
        chat, user = self.where()
        rng = self.rng
        kinds: list[dict[str, Any]] = [
            {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 90, "height": 90}]},
            {"sticker": {"file_id": "s", "file_unique_id": "s", "width": 512, "height": 512,
                         "is_animated": False, "is_video": False, "type": "regular"}},
            {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 3}},
            {"document": {"file_id": "d", "file_unique_id": "d", "file_name": "<b>.pdf"}},
            {"location": {"latitude": 51.5, "longitude": -0.1}},
            {"contact": {"phone_number": "+44 20 7946 0000", "first_name": "Nurse"}},
            {"dice": {"emoji": "🎲", "value": 3}},
        ]
        extra = rng.choice(kinds)
        if "photo" in extra and rng.random() < 0.5:
            extra["caption"] = self.text()[:1024]
        message = self.message(chat, user, **extra)
        return {"channel_post" if chat["type"] == "channel" else "message": message}

    def without_from(self) -> dict[str, Any]:
        """An anonymous group admin, or a message with no sender at all."""
        chat_id = self.rng.choice(self.people.groups + self.people.supergroups)
        self.seen_chats.add(chat_id)
        chat = self.chat(chat_id)
        extra = {"sender_chat": chat} if self.rng.random() < 0.5 else {}
        text = self.command() if self.rng.random() < 0.5 else f"@{BOT_NAME} {self.text()}"
        return {"message": self.message(chat, None, text, **extra)}

    def inline_query(self) -> dict[str, Any]:
        user_id = self.rng.choice(self.people.users)
        query = {"id": str(self._id()), "from": self.user(user_id),
                 "query": self.text()[:256], "offset": ""}
        if self.rng.random() < 0.5:
            query["chat_type"] = self.rng.choice(["sender", "private", "group", "channel"])
        return {"inline_query": query}

    def other_kind(self) -> dict[str, Any]:
        chat, user = self.where()
        user = user or self.user(self.rng.choice(self.people.users))
        roll = self.rng.random()
        if roll < 0.4:
            return {"message_reaction": {"chat": chat, "message_id": self._id(),
                                         "date": int(time.time()), "user": user,
                                         "old_reaction": [], "new_reaction": [
                                             {"type": "emoji", "emoji": "👍"}]}}
        if roll < 0.7:
            return {"poll_answer": {"poll_id": "1", "option_ids": [0],
                                    "option_persistent_ids": ["0"], "user": user}}
        return {"chat_join_request": {"chat": chat, "from": user, "user_chat_id": user["id"],
                                      "date": int(time.time())}}

    def batch(self, size: int) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        while len(out) < size:
            if self.pending:
                out.append(self.pending.pop(0))
            else:
                out.append(self.update())
        return out

    def harvest(self, calls: list[Call]) -> None:
        """Buttons the bot has shown, for replay."""
        for call in calls:
            if call.method not in MESSAGE_METHODS or not isinstance(call.result, dict):
                continue
            for row in call.buttons:
                for button in row:
                    if "callback_data" in button:
                        self.buttons.append((call.result, button["callback_data"]))
        del self.buttons[:-1000]


_ADMIN = {"can_be_edited": False, "is_anonymous": False, "can_manage_chat": True,
          "can_delete_messages": True, "can_manage_video_chats": True,
          "can_restrict_members": True, "can_promote_members": False, "can_change_info": True,
          "can_invite_users": True, "can_post_stories": False, "can_edit_stories": False,
          "can_delete_stories": False}


def _units(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


# --- the run ---------------------------------------------------------------------------------
@dataclass
class Findings:
    updates: int = 0
    seconds: float = 0.0
    messages: int = 0  # messages and inline results checked
    tracebacks: int = 0
    error_lines: int = 0
    no_disclaimer: int = 0
    bad_html: int = 0
    other_chats_changed: int = 0
    moderator_effects: int = 0
    moderator_attempts: int = 0
    controls: tuple[int, int] = (0, 0)
    examples: list[str] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)

    @property
    def clean(self) -> bool:
        return not (self.tracebacks or self.error_lines or self.no_disclaimer or self.bad_html
                    or self.other_chats_changed or self.moderator_effects)

    def note(self, what: str) -> None:
        if len(self.examples) < 30:
            self.examples.append(what[:400])


async def seed_victims(database: Path, victims: list[int]) -> None:
    """Chats with settings, schedules (due tomorrow), habits, check-ins and reads."""
    db = await open_database(database)
    await db.close()
    now = int(time.time())
    with sqlite3.connect(database) as conn:
        for chat_id in victims:
            kind = "private" if chat_id > 0 else "supergroup"
            conn.execute("INSERT INTO chats (id, kind, first_seen, last_seen, timezone, focus, "
                         "habits) VALUES (?, ?, 0, 0, 'Asia/Tokyo', 'fibre,sleep', "
                         "'water,moisturise')", (chat_id, kind))
            conn.execute("INSERT INTO schedules (chat_id, kind, local_minute, days, next_due) "
                         "VALUES (?, 'card', 480, 127, ?)", (chat_id, now // 60 + 1440))
            conn.execute("INSERT INTO checkins (chat_id, day, habit, done, answered_at) "
                         "VALUES (?, '2026-01-01', 'water', 1, 0)", (chat_id,))
            conn.execute("INSERT INTO card_views (chat_id, card_id, first_read, last_read) "
                         "VALUES (?, 'fibre-feeds-good-bacteria', 0, 0)", (chat_id,))


_CHAT_COLUMNS = ("chat_id", "user_id", "created_by", "report_chat", "actor", "added_by")


def rows_of(database: Path, chat_ids: set[int]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row that names one of these chats (as its id, chat or person)."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    with sqlite3.connect(database) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            keys = [c for c in columns if c in _CHAT_COLUMNS or (table == "chats" and c == "id")]
            if not keys:
                continue
            marks = ",".join("?" * len(chat_ids))
            where = " OR ".join(f'"{k}" IN ({marks})' for k in keys)
            rows = conn.execute(f'SELECT * FROM "{table}" WHERE {where}',
                                [c for _ in keys for c in chat_ids]).fetchall()
            found[table] = sorted(rows, key=repr)
    return found


def moderator_state(database: Path) -> dict[str, Any]:
    with sqlite3.connect(database) as conn:
        return {
            "moderators": conn.execute("SELECT * FROM moderators ORDER BY 1").fetchall(),
            "campaigns": conn.execute("SELECT * FROM campaigns ORDER BY 1").fetchall(),
            "audit_log": conn.execute("SELECT * FROM audit_log ORDER BY 1").fetchall(),
            "broadcast rows": conn.execute(
                "SELECT COUNT(*) FROM outbox WHERE kind IN ('broadcast', 'report')").fetchone(),
        }


def check_messages(calls: list[Call], disclaimer: str, findings: Findings) -> None:
    for call in calls:
        texts: list[tuple[str, bool]] = []
        if call.method in MESSAGE_METHODS:
            texts.append((call.text, MESSAGE_METHODS[call.method]))
            if str(call.params.get("parse_mode")).upper() != "HTML":
                findings.bad_html += 1
                findings.note(f"{call.method} without parse_mode HTML: {call.text[:80]!r}")
        elif call.method == "answerInlineQuery":
            results = call.params.get("results")
            results = json.loads(results) if isinstance(results, str) else results or []
            texts += [(r["input_message_content"]["message_text"], False) for r in results]
        for text, caption in texts:
            findings.messages += 1
            if not (text.rstrip().endswith(disclaimer) and "/disclaimer" in text
                    and "not medical advice" in text):
                findings.no_disclaimer += 1
                findings.note(f"no disclaimer in {call.method}: {text[-120:]!r}")
            bad = strict_html.problems(text, caption=caption)
            if bad:
                findings.bad_html += 1
                findings.note(f"bad HTML in {call.method}: {bad[:3]}: {text[:120]!r}")
        if call.method in MESSAGE_METHODS and call.chat_id not in (OWNER, MODERATOR):
            plain = html.unescape(re.sub(r"<[^>]*>", "", call.text))
            screen = next((s for s in MODERATOR_SCREENS if s in plain), None)
            if screen:
                findings.moderator_effects += 1
                findings.note(f"moderator screen {screen!r} shown in chat {call.chat_id}")


def check_log(text: str, findings: Findings) -> None:
    lines = text.splitlines()
    findings.tracebacks = sum("Traceback" in line for line in lines)
    errors = [line for line in lines if " ERROR " in line or " CRITICAL " in line]
    findings.error_lines = len(errors)
    for index, line in enumerate(lines):
        if "Traceback" in line:
            tail = next((x for x in lines[index + 1:index + 80] if x and not x.startswith(" ")),
                        "")
            findings.note(f"traceback: {tail}")
    for line in errors[:5]:
        findings.note(f"log: {line[:300]}")


def _button(server: LoopbackBotAPI, chat_id: int, label: str) -> str:
    for call in reversed(server.sent(chat_id)):
        for row in call.buttons:
            for b in row:
                if b["text"].startswith(label):
                    return str(b["callback_data"])
    raise RuntimeError(f"the bot showed no {label!r} button")


def _reply(server: LoopbackBotAPI, chat_id: int, text: str) -> None:
    server.wait_for(lambda calls: any(text in c.text for c in calls if c.chat_id == chat_id),
                    timeout=20)


def owner_prepares(server: LoopbackBotAPI) -> list[str]:
    """Two drafts up to Send now, and a moderator: returns every button the owner saw."""
    server.push_message("/start", chat_id=OWNER)
    _reply(server, OWNER, "Hi")
    server.push_message(f"/mod add {MODERATOR}", chat_id=OWNER)
    _reply(server, OWNER, "is now a moderator")
    for text in ("Fuzz draft one", "Fuzz draft two"):
        server.push_message("/broadcast", chat_id=OWNER)
        _reply(server, OWNER, "New broadcast")
        server.push_message(text, chat_id=OWNER)
        _reply(server, OWNER, "Who should get this broadcast")
        server.push_callback(_button(server, OWNER, "👥 All subscribers"), chat_id=OWNER)
        _reply(server, OWNER, "right now")
    server.push_message("/campaigns", chat_id=OWNER)
    _reply(server, OWNER, "has not been sent")
    return sorted({b["callback_data"] for c in server.sent(OWNER) for row in c.buttons
                   for b in row if "callback_data" in b})


def wait_quiet(server: LoopbackBotAPI, quiet: float = 1.0, timeout: float = 120.0) -> None:
    """Until every update is fetched and no call has come for `quiet` seconds."""
    deadline = time.monotonic() + timeout
    count, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        now = len(server.calls)
        if now != count:
            count, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet and server.pending_updates() == 0:
            return
        time.sleep(0.05)
    raise TimeoutError("the bot did not settle")


async def run_fuzz(workdir: Path, *, updates: int, seed: int, batch: int = 100,
                   time_limit: float = 600.0,
                   progress: Any = None) -> Findings:
    """The whole run: returns what it found (examples included)."""
    library = load_library(ROOT / "content")
    disclaimer = Renderer(ROOT / "content" / "templates", library).disclaimer
    findings = Findings()
    caught, passed, wrong = strict_html.controls()
    findings.controls = (caught, passed)
    if wrong:
        raise AssertionError(f"the strict HTML validator fails its own controls: {wrong}")
    generator = Generator(seed, [name for name, _ in library.commands], sorted(library.cards))
    people = generator.people
    database, log = workdir / "fuzz.sqlite3", workdir / "fuzz.log"
    for path in (database, log):
        path.unlink(missing_ok=True)
    await seed_victims(database, people.victims)
    victims_before = rows_of(database, set(people.victims))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    started = time.monotonic()
    with LoopbackBotAPI() as server:
        for chat_id, members in people.members.items():
            server.administrators[chat_id] = {members[0]}
        env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=server.base_url,
                   TELEGRAM_BASE_FILE_URL=server.base_file_url, BOT_DATABASE=str(database),
                   BOT_ADMIN_IDS=str(OWNER), BOT_SEND_RATE="1000")
        with log.open("wb") as sink:
            process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=ROOT, env=env,
                                       stdin=subprocess.DEVNULL, stdout=sink, stderr=sink)
        try:
            server.wait_for(lambda calls: any(c.method == "setMyCommands" for c in calls), 30)
            generator.owner_buttons = owner_prepares(server)
            wait_quiet(server)
            moderators_before = moderator_state(database)
            checked = len(server.calls)
            harvested = checked
            deadline = time.monotonic() + time_limit
            while findings.updates < updates and time.monotonic() < deadline:
                for update in generator.batch(min(batch, updates - findings.updates)):
                    server.push_update(update)
                    findings.updates += 1
                server.wait_for(lambda _: server.pending_updates() < batch, timeout=60)
                calls = list(server.calls)
                generator.harvest(calls[harvested:])
                harvested = len(calls)
                if progress is not None:
                    progress(findings.updates)
                if process.poll() is not None:
                    raise RuntimeError("the bot process ended during the run")
            wait_quiet(server)
        finally:
            stop(process, timeout=30)
        calls = list(server.calls)[checked:]
    findings.seconds = time.monotonic() - started
    findings.kinds = generator.kinds
    findings.moderator_attempts = generator.moderator_attempts
    check_messages(calls, disclaimer, findings)
    check_log(log.read_text(errors="replace"), findings)
    after = rows_of(database, set(people.victims))
    for table in set(victims_before) | set(after):
        if victims_before.get(table, []) != after.get(table, []):
            findings.other_chats_changed += 1
            findings.note(f"a victim's {table} rows changed: {after.get(table)}")
    with sqlite3.connect(database) as conn:
        known = {r[0] for r in conn.execute("SELECT id FROM chats")}
    strangers = known - generator.seen_chats - set(people.victims) - {OWNER}
    if strangers:
        findings.other_chats_changed += len(strangers)
        findings.note(f"rows for chats no update came from: {sorted(strangers)[:10]}")
    moderators_after = moderator_state(database)
    for key, value in moderators_before.items():
        if moderators_after[key] != value:
            findings.moderator_effects += 1
            findings.note(f"{key} changed by someone who is not a moderator: "
                          f"{moderators_after[key]!r:.300}")
    return findings
