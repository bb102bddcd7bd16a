"""Moderators push updates; everyone else cannot even see that they could."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from bot.library.model import Library
from bot.store import campaigns
from tests.harness import USER_ID, Harness
from tests.test_reminder_setup import data_of
from tests.test_reminder_times import at

OWNER = 9000001  # BOT_ADMIN_IDS in conftest
MOD = 9000002
NOW = at("Europe/London", "2026-11-24T10:00")

MODERATOR_COMMANDS = ["/broadcast", "/push gut-skin-axis-basics", "/campaigns", "/reload",
                      "/stats", "/mod add 123", "/mod list", "/audit"]


@pytest.fixture
async def world(bot: Harness) -> Harness:
    """Subscribers: three people (one follows sleep), a group, one stopped, one blocked."""
    bot.app.bot_data.clock = lambda: NOW
    for chat in (101, 102, 103):
        await bot.send("/start", chat_id=chat)
    await bot.app.bot_data.db.execute("UPDATE chats SET focus = 'sleep,fibre' WHERE id = 103")
    await bot.send("/start", chat_id=-500, chat_type="supergroup", user_id=101)
    await bot.send("/start", chat_id=104)
    await bot.send("/stop", chat_id=104)
    await bot.send("/start", chat_id=105)
    await bot.app.bot_data.db.execute("UPDATE chats SET status = 'blocked' WHERE id = 105")
    await bot.send("/start", chat_id=OWNER)
    return bot


async def unknown_answer(bot: Harness) -> str:
    return Harness.only_reply(await bot.send("/frobnicate", chat_id=USER_ID)).text


@pytest.mark.parametrize("command", MODERATOR_COMMANDS)
async def test_to_anyone_else_moderator_commands_are_unknown(world: Harness,
                                                             command: str) -> None:
    expected = await unknown_answer(world)
    before = world.snapshot()
    reply = Harness.only_reply(await world.send(command, chat_id=USER_ID))
    assert reply.text == expected
    assert world.snapshot() == before


@pytest.mark.parametrize("data", ["bc:1:now", "bc:1:all", "bc:1:x", "bc:1:sch", "bc:99:now",
                                  "bc:1:topics", "bc:abc:now"])
async def test_forged_moderator_buttons_do_nothing(world: Harness, data: str) -> None:
    # A real draft exists, made by the owner; someone else presses (or forges) its buttons.
    await world.send("/broadcast", chat_id=OWNER)
    await world.send("Hello all", chat_id=OWNER)
    expected = await unknown_answer(world)
    before = world.snapshot()
    reply = Harness.only_reply(await world.press(data, chat_id=USER_ID))
    assert reply.text == expected
    assert world.snapshot() == before


async def test_a_moderators_only_commands_are_not_owners_commands(world: Harness) -> None:
    await world.send(f"/mod add {MOD}", chat_id=OWNER)
    expected = await unknown_answer(world)
    for command in ("/mod add 5", "/mod list", "/audit"):
        reply = Harness.only_reply(await world.send(command, chat_id=MOD))
        assert reply.text == expected
    reply = Harness.only_reply(await world.send("/campaigns", chat_id=MOD))
    assert "Campaigns" in reply.plain


async def test_owner_adds_by_forward_lists_removes_and_audits(world: Harness) -> None:
    forwarded = world.message("hi from a volunteer", chat_id=OWNER)
    forwarded["forward_origin"] = {"type": "user", "date": 1, "sender_user": {
        "id": MOD, "is_bot": False, "first_name": "Vol"}}
    command = world.message("/mod add", chat_id=OWNER, reply_to_message=forwarded)
    reply = Harness.only_reply(await world.feed({"message": command}))
    assert f"{MOD} is now a moderator" in reply.plain
    listing = Harness.only_reply(await world.send("/mod list", chat_id=OWNER))
    assert f"• {MOD}, added by {OWNER}" in listing.plain
    bad = Harness.only_reply(await world.send("/mod add @someone", chat_id=OWNER))
    assert "isn't a Telegram user id" in bad.plain
    removed = Harness.only_reply(await world.send(f"/mod remove {MOD}", chat_id=OWNER))
    assert "no longer a moderator" in removed.plain
    log = Harness.only_reply(await world.send("/audit", chat_id=OWNER))
    assert f"{OWNER} · mod remove · {MOD}" in log.plain
    assert f"{OWNER} · mod add · {MOD}" in log.plain
    assert world.rows("SELECT COUNT(*) FROM moderators") == [(0,)]


async def compose(bot: Harness, text: str = "New cards are <b>out</b>!", *,
                  chat_id: int = OWNER) -> tuple:  # type: ignore[type-arg]
    await bot.send("/broadcast", chat_id=chat_id)
    message = bot.message(text, chat_id=chat_id)
    if "<b>" in text:  # Telegram sends formatting as entities, not markup
        plain = text.replace("<b>", "").replace("</b>", "")
        start = text.index("<b>")
        message.update(text=plain, entities=[{"type": "bold", "offset": start,
                                              "length": text.index("</b>") - start - 3}])
    calls = Harness.replies(await bot.feed({"message": message}))
    preview, menu = calls
    return preview, menu


async def test_broadcast_preview_is_exactly_what_subscribers_get(world: Harness) -> None:
    preview, menu = await compose(world)
    assert "<b>out</b>" in preview.text and preview.text.endswith(world.disclaimer)
    assert menu.button_labels == ["👥 All subscribers (5)", "🗂 Followers of a topic…",
                                  "💬 Groups and channels (1)", "🧪 Only me, as a test",
                                  "✖️ Cancel"]
    confirm = Harness.only_reply(await world.press(data_of(menu, "👥 All subscribers (5)"),
                                                   chat_id=OWNER))
    assert "all subscribers: 5 chats" in confirm.plain
    started = Harness.only_reply(await world.press(data_of(confirm, "🚀 Send now"),
                                                   chat_id=OWNER))
    assert "on its way to 5 chats" in started.plain
    await world.app.bot_data.sender.drain()
    delivered = [c for c in world.api.sent() if c.text == preview.text and c is not preview]
    # Active chats only (not the stopped 104 or the blocked 105), the owner's own included.
    assert sorted(c.chat_id for c in delivered) == [-500, 101, 102, 103, OWNER]


async def test_send_now_twice_or_by_two_moderators_sends_one_campaign(world: Harness) -> None:
    await world.send(f"/mod add {MOD}", chat_id=OWNER)
    _, menu = await compose(world)
    confirm = Harness.only_reply(await world.press(data_of(menu, "💬 Groups and channels (1)"),
                                                   chat_id=OWNER))
    send_now = data_of(confirm, "🚀 Send now")
    before = len(world.api.calls)
    await asyncio.gather(world.press(send_now, chat_id=OWNER), world.press(send_now, chat_id=MOD))
    texts = [c.plain for c in Harness.replies(world.api.calls[before:])]
    assert len(texts) == 2
    assert sum("on its way" in t for t in texts) == 1
    assert sum("already been sent" in t for t in texts) == 1
    again = Harness.only_reply(await world.press(send_now, chat_id=OWNER))
    assert "already been sent" in again.plain
    assert world.rows("SELECT chat_id FROM outbox WHERE kind = 'broadcast'") == [(-500,)]


async def test_audiences_topic_followers_and_only_me(world: Harness, library: Library) -> None:
    # 103 chose sleep and fibre, 101 fibre alone; 102, the group and the owner never chose,
    # so they follow every topic and count as its followers too (issue 21).
    await world.app.bot_data.db.execute("UPDATE chats SET focus = 'fibre' WHERE id = 101")
    _, menu = await compose(world)
    topics = Harness.only_reply(await world.press(data_of(menu, "🗂 Followers of a topic…"),
                                                  chat_id=OWNER))
    assert "everyone who follows all topics" in topics.plain
    labels = {t.id: t.label for t in library.topics}
    assert f"{labels['fibre']} (5)" in topics.button_labels
    assert f"{labels['stress']} (3)" in topics.button_labels
    confirm = Harness.only_reply(await world.press(data_of(topics, f"{labels['sleep']} (4)"),
                                                   chat_id=OWNER))
    assert ": 4 chats right now" in confirm.plain
    await world.press(data_of(confirm, "🚀 Send now"), chat_id=OWNER)
    assert sorted(r[0] for r in world.rows(
        "SELECT chat_id FROM outbox WHERE kind = 'broadcast'")) == [-500, 102, 103, OWNER]
    _, menu = await compose(world, "just a test")
    confirm = Harness.only_reply(await world.press(data_of(menu, "🧪 Only me, as a test"),
                                                   chat_id=OWNER))
    await world.press(data_of(confirm, "🚀 Send now"), chat_id=OWNER)
    assert world.rows("SELECT chat_id FROM outbox WHERE kind = 'broadcast' AND campaign_id = 2"
                      ) == [(OWNER,)]


@pytest.mark.parametrize(("typed", "problem"), [
    ("yesterday 9am", "couldn't read"), ("2020-01-01 10:00", "in the past"),
    ("next blue moon", "couldn't read"), ("25:00", "couldn't read")])
async def test_a_bad_schedule_time_queues_nothing(world: Harness, typed: str,
                                                  problem: str) -> None:
    _, menu = await compose(world)
    confirm = Harness.only_reply(await world.press(data_of(menu, "👥 All subscribers (5)"),
                                                   chat_id=OWNER))
    ask = Harness.only_reply(await world.press(data_of(confirm, "🕒 Schedule…"), chat_id=OWNER))
    assert "your time zone (UTC)" in ask.plain
    reply = Harness.only_reply(await world.send(typed, chat_id=OWNER))
    assert problem in reply.plain and "Nothing has been scheduled" in reply.plain
    assert world.rows("SELECT status FROM campaigns") == [("draft",)]
    assert world.rows("SELECT COUNT(*) FROM outbox") == [(0,)]


async def test_a_scheduled_campaign_starts_on_time_with_the_audience_of_that_moment(
    world: Harness
) -> None:
    data = world.app.bot_data
    await world.send("/remind 08:00 London", chat_id=OWNER)  # the owner's zone: Europe/London
    _, menu = await compose(world)
    confirm = Harness.only_reply(await world.press(data_of(menu, "👥 All subscribers (5)"),
                                                   chat_id=OWNER))
    await world.press(data_of(confirm, "🕒 Schedule…"), chat_id=OWNER)
    done = Harness.only_reply(await world.send("tomorrow 18:30", chat_id=OWNER))
    assert "Wed 25 Nov 2026, 18:30 (Europe/London)" in done.plain
    listing = Harness.only_reply(await world.send("/campaigns", chat_id=OWNER))
    assert "scheduled for Wed 25 Nov 2026, 18:30" in listing.plain
    assert "✖️ Cancel #1" in listing.button_labels
    await world.send("/start", chat_id=106)  # joins before it starts: included
    send_at = at("Europe/London", "2026-11-25T18:30")
    assert await campaigns.start_due(data.db, send_at - 60) == []
    assert await campaigns.start_due(data.db, send_at) == [(1, 6)]
    await world.send("/start", chat_id=107)  # joins after it started: not added
    await world.send("/stop", chat_id=101)  # stops while it runs: skipped
    data.clock = lambda: send_at + 5
    before = len(world.api.calls)
    await data.sender.drain()
    got = sorted(c.chat_id for c in world.api.calls[before:] if c.method == "sendMessage")
    assert got == [-500, 102, 103, 106, OWNER]
    counts = await campaigns.progress(data.db, 1)
    assert (counts["sent"], counts["skipped"]) == (5, 1)


async def test_cancel_and_the_finish_report(world: Harness) -> None:
    data = world.app.bot_data
    _, menu = await compose(world)
    confirm = Harness.only_reply(await world.press(data_of(menu, "👥 All subscribers (5)"),
                                                   chat_id=OWNER))
    await world.press(data_of(confirm, "🚀 Send now"), chat_id=OWNER)
    cancelled = Harness.only_reply(await world.press("bc:1:x", chat_id=OWNER))
    assert "Campaign #1 is cancelled. Nothing was sent." in cancelled.plain
    assert world.rows("SELECT DISTINCT status FROM outbox") == [("cancelled",)]

    _, menu = await compose(world, "second one")
    confirm = Harness.only_reply(await world.press(data_of(menu, "👥 All subscribers (5)"),
                                                   chat_id=OWNER))
    await world.press(data_of(confirm, "🚀 Send now"), chat_id=OWNER)
    await data.sender.drain()
    from bot.app import minute_tick

    class _Ctx:
        bot_data = data

    await minute_tick(_Ctx())  # type: ignore[arg-type]
    await data.sender.drain()
    [report] = [c for c in world.api.sent(OWNER) if "has finished" in c.plain]
    assert "Campaign #2 has finished" in report.plain and "Delivered: 5 of 5" in report.plain
    assert world.rows("SELECT status FROM campaigns ORDER BY id") == [("cancelled",),
                                                                      ("finished",)]


@pytest.mark.parametrize(("message", "problem"), [
    ({"text": "   "}, "has no text"),
    ({"text": "x" * 4090}, "characters too long"),
    ({"sticker": {"file_id": "s", "file_unique_id": "s", "width": 1, "height": 1,
                  "is_animated": False, "is_video": False, "type": "regular"}}, "has no text"),
])
async def test_empty_or_too_long_broadcasts_queue_nothing(world: Harness, message: dict,
                                                          problem: str) -> None:
    await world.send("/broadcast", chat_id=OWNER)
    before = world.snapshot()
    text = message.get("text")
    extra = {k: v for k, v in message.items() if k != "text"}
    reply = Harness.only_reply(await world.feed({"message": world.message(
        text, chat_id=OWNER, **extra)}))
    assert problem in reply.plain and "Nothing has been queued" in reply.plain
    assert world.snapshot() == before


async def test_a_photo_broadcast_keeps_its_caption_and_the_disclaimer(world: Harness) -> None:
    await world.send("/broadcast", chat_id=OWNER)
    photo = world.message(None, chat_id=OWNER, caption="Our new leaflet",
                          photo=[{"file_id": "small", "file_unique_id": "a", "width": 90,
                                  "height": 90},
                                 {"file_id": "big", "file_unique_id": "b", "width": 900,
                                  "height": 900}])
    preview, _ = Harness.replies(await world.feed({"message": photo}))
    assert preview.method == "sendPhoto" and preview.params["photo"] == "big"
    assert "Our new leaflet" in preview.plain and preview.text.endswith(world.disclaimer)


async def test_push_a_card(world: Harness, library: Library) -> None:
    card = library.reading_order()[3]
    bad = Harness.only_reply(await world.send("/push no-such-card", chat_id=OWNER))
    assert "couldn't find a card" in bad.plain
    preview, menu = Harness.replies(await world.send(f"/push {card.id}", chat_id=OWNER))
    assert "A new card for you" in preview.plain and card.title in preview.plain
    assert preview.button_labels == ["Next card ▶", "📚 Topics"]


async def test_broadcast_in_a_group_asks_for_a_private_chat(world: Harness) -> None:
    reply = Harness.only_reply(await world.send("/broadcast", chat_id=-500,
                                                chat_type="supergroup", user_id=OWNER))
    assert "private chat" in reply.plain


async def test_reload_keeps_the_old_library_when_the_new_one_is_broken(
    world: Harness, library: Library, tmp_path: Path
) -> None:
    data = world.app.bot_data
    copy = tmp_path / "content"
    shutil.copytree(data.settings.content_dir, copy)
    object.__setattr__(data.settings, "content_dir", copy)
    victim = library.reading_order()[0]
    shown = Harness.only_reply(await world.send(f"/card {victim.id}"))

    (copy / "cards" / f"{victim.id}.md").write_text("---\nid: broken\n---\n", encoding="utf-8")
    failed = Harness.only_reply(await world.send("/reload", chat_id=OWNER))
    assert "old content is still live" in failed.plain
    assert f"cards/{victim.id}.md: id:" in failed.plain
    assert data.library is library

    (copy / "cards" / f"{victim.id}.md").unlink()
    changed = library.reading_order()[1]
    path = copy / "cards" / f"{changed.id}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.", encoding="utf-8")
    new = copy / "cards" / "a-brand-new-card.md"
    new.write_text((copy / "cards" / f"{changed.id}.md").read_text(encoding="utf-8").replace(
        f"id: {changed.id}", "id: a-brand-new-card"), encoding="utf-8")
    help_template = copy / "templates" / "help.html.j2"
    assert "Edited for the reload." not in Harness.only_reply(await world.send("/help")).plain
    edited = help_template.read_text(encoding="utf-8") + "\nEdited for the reload."
    help_template.write_text(edited, encoding="utf-8")
    ok = Harness.only_reply(await world.send("/reload", chat_id=OWNER))
    assert "Edited for the reload." in Harness.only_reply(await world.send("/help")).plain
    assert "Added: a-brand-new-card" in ok.plain
    assert f"Changed: {changed.id}" in ok.plain and f"Removed: {victim.id}" in ok.plain
    stale = Harness.only_reply(await world.press(data_of(shown, "Next card ▶")))
    assert "out of date" in stale.plain
    topic = Harness.only_reply(await world.press(f"topic:{victim.topic}"))
    assert victim.title not in topic.plain
    assert world.rows("SELECT action FROM audit_log ORDER BY id") == [("reload failed",),
                                                                     ("reload",)]


async def test_a_removed_moderator_cannot_finish_scheduling(world: Harness) -> None:
    await world.send(f"/mod add {MOD}", chat_id=OWNER)
    _, menu = await compose(world, chat_id=MOD)
    confirm = Harness.only_reply(await world.press(data_of(menu, "👥 All subscribers (5)"),
                                                   chat_id=MOD))
    await world.press(data_of(confirm, "🕒 Schedule…"), chat_id=MOD)
    await world.send(f"/mod remove {MOD}", chat_id=OWNER)
    reply = Harness.only_reply(await world.send("tomorrow 18:30", chat_id=MOD))
    assert "Scheduled" not in reply.plain and "scheduled for" not in reply.plain
    assert world.rows("SELECT status FROM campaigns") == [("draft",)]


@pytest.mark.parametrize("verb", ["add", "remove"])
async def test_an_owner_is_never_called_not_a_moderator(world: Harness, verb: str) -> None:
    reply = Harness.only_reply(await world.send(f"/mod {verb} {OWNER}", chat_id=OWNER))
    assert "is an owner (set by BOT_ADMIN_IDS)" in reply.plain
    assert "wasn't a moderator" not in reply.plain
    assert world.rows("SELECT COUNT(*) FROM moderators") == [(0,)]


async def test_counts_of_one_are_singular(world: Harness) -> None:
    """ "1 recipients" in /audit, "1 groups" in /stats (issue 21)."""
    _, menu = await compose(world, "just a test")
    confirm = Harness.only_reply(await world.press(data_of(menu, "🧪 Only me, as a test"),
                                                   chat_id=OWNER))
    await world.press(data_of(confirm, "🚀 Send now"), chat_id=OWNER)
    log = Harness.only_reply(await world.send("/audit", chat_id=OWNER)).plain
    assert "broadcast sent" in log and "· 1 recipient\n" in log + "\n"
    assert "1 recipients" not in log
    stats = Harness.replies(await world.send("/stats", chat_id=OWNER))
    assert any(" private, 1 group\n" in c.plain for c in stats), [c.plain for c in stats]


# --- /cancel and the numbers moderators see (issue 21) ---------------------------------------
async def test_cancel_while_writing_a_broadcast_cancels_it(world: Harness) -> None:
    """Each screen of a broadcast says /cancel stops it: writing, choosing the audience,
    Send now or Schedule, typing the time. /cancel there cancels the draft."""
    await world.send("/broadcast", chat_id=OWNER)
    stopped = Harness.only_reply(await world.send("/cancel", chat_id=OWNER)).plain
    assert "The broadcast you were preparing is cancelled; nothing was sent." in stopped
    assert world.rows("SELECT COUNT(*) FROM campaigns") == [(0,)]
    assert "Hello" in Harness.replies(await world.send("Hello", chat_id=OWNER))[0].plain

    _, menu = await compose(world, "first try")  # the audience step
    assert "Who should get this broadcast?" in menu.plain
    stopped = Harness.only_reply(await world.send("/cancel", chat_id=OWNER)).plain
    assert "The broadcast you were preparing is cancelled; nothing was sent." in stopped
    assert "nothing to cancel" not in stopped
    late = Harness.only_reply(await world.press(data_of(menu, "👥 All subscribers (5)"),
                                                chat_id=OWNER))
    assert "That draft was cancelled, so nothing more was done." in late.plain

    _, menu = await compose(world, "second try")  # Send now on screen
    confirm = Harness.only_reply(await world.press(data_of(menu, "👥 All subscribers (5)"),
                                                   chat_id=OWNER))
    assert "This broadcast goes to all subscribers: 5 chats" in confirm.plain
    assert "cancelled" in Harness.only_reply(await world.send("/cancel", chat_id=OWNER)).plain
    gone = Harness.only_reply(await world.press(data_of(confirm, "🚀 Send now"), chat_id=OWNER))
    assert "That draft was cancelled" in gone.plain

    _, menu = await compose(world, "third try")  # typing the time
    confirm = Harness.only_reply(await world.press(data_of(menu, "👥 All subscribers (5)"),
                                                   chat_id=OWNER))
    await world.press(data_of(confirm, "🕒 Schedule…"), chat_id=OWNER)
    assert "cancelled" in Harness.only_reply(await world.send("/cancel", chat_id=OWNER)).plain
    assert world.rows("SELECT status, number FROM campaigns") == [("cancelled", None)] * 3
    assert world.rows("SELECT COUNT(*) FROM outbox WHERE kind = 'broadcast'") == [(0,)]
    actions = [r[0] for r in world.rows("SELECT action FROM audit_log ORDER BY id")]
    assert actions == ["draft cancelled"] * 3
    # Nothing left to cancel: said so.
    again = Harness.only_reply(await world.send("/cancel", chat_id=OWNER)).plain
    assert again.startswith("There was nothing to cancel")


async def test_campaign_numbers_do_not_skip_drafts_never_sent(world: Harness) -> None:
    """Drafts cancelled, abandoned or left at Send now use up no number: the campaigns sent
    or scheduled are #1, #2, #3; /campaigns shows the drafts not sent, marked as drafts."""
    await compose(world, "abandoned at the audience")
    _, menu = await compose(world, "cancelled by button")
    await world.press(data_of(menu, "✖️ Cancel"), chat_id=OWNER)
    _, menu = await compose(world, "sent first")
    confirm = Harness.only_reply(await world.press(data_of(menu, "🧪 Only me, as a test"),
                                                   chat_id=OWNER))
    started = Harness.only_reply(await world.press(data_of(confirm, "🚀 Send now"),
                                                   chat_id=OWNER))
    assert "Campaign #1 is on its way to 1 chat" in started.plain
    _, menu = await compose(world, "left at send now")
    await world.press(data_of(menu, "👥 All subscribers (5)"), chat_id=OWNER)
    _, menu = await compose(world, "scheduled second")
    confirm = Harness.only_reply(await world.press(data_of(menu, "👥 All subscribers (5)"),
                                                   chat_id=OWNER))
    await world.press(data_of(confirm, "🕒 Schedule…"), chat_id=OWNER)
    scheduled = Harness.only_reply(await world.send("tomorrow 18:30", chat_id=OWNER))
    assert "Campaign #2 is scheduled for" in scheduled.plain
    _, menu = await compose(world, "sent third")
    confirm = Harness.only_reply(await world.press(data_of(menu, "🧪 Only me, as a test"),
                                                   chat_id=OWNER))
    started = Harness.only_reply(await world.press(data_of(confirm, "🚀 Send now"),
                                                   chat_id=OWNER))
    assert "Campaign #3 is on its way" in started.plain

    listing = Harness.replies(await world.send("/campaigns", chat_id=OWNER))[0]
    text = listing.plain
    assert [line.split()[0] for line in text.splitlines() if line.startswith("#")] == [
        "#3", "#2", "#1"]
    assert "📝 Draft “left at send now” → all subscribers" in text
    assert "📝 Draft “abandoned at the audience” → no audience chosen yet" in text
    assert text.count("draft, not sent") == 2 and "cancelled by button" not in text
    assert listing.button_labels == ["✖️ Cancel #3", "✖️ Cancel #2", "✖️ Cancel #1"]
    log = Harness.only_reply(await world.send("/audit", chat_id=OWNER)).plain
    assert "broadcast sent · #3 “sent third”" in log and "#2 for" in log
    # Drafts are their moderator's own: not shown to another, nor in a group.
    await world.send(f"/mod add {MOD}", chat_id=OWNER)
    other = Harness.replies(await world.send("/campaigns", chat_id=MOD))[0].plain
    assert "#3" in other and "Draft" not in other
    group = Harness.replies(await world.send("/campaigns", chat_id=-500, chat_type="supergroup",
                                             user_id=OWNER))[0].plain
    assert "#3" in group and "Draft" not in group
