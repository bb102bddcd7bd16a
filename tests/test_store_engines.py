"""Every query module on both engines: a SQLite file and a real PostgreSQL server (started by
the suite itself, tests/conftest.py). Each test runs twice and must see the same rows."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from bot.store import (
    campaigns,
    chats,
    checkins,
    export,
    feedback,
    moderation,
    outbox,
    privacy,
    schedules,
    skin_checks,
    stats,
    tickets,
)
from bot.store.connect import open_database
from bot.store.db import Database
from bot.store.migrations import MIGRATIONS
from bot.store.outbox import Entry, Outcome

NOW = 1_800_000_000
BIG_ID = -1_001_234_567_890  # a supergroup id: past 32 bits


async def test_schema_is_migrated_once_and_rows_survive_a_reopen(store_target: str) -> None:
    db = await open_database(store_target)
    await chats.record_chat(db, BIG_ID, "supergroup", "en", NOW)
    await db.close()
    db = await open_database(store_target)  # migrations do not run twice
    try:
        assert await chats.status(db, BIG_ID) == "active"
        if db.dialect == "postgres":
            row = await db.fetchone("SELECT MAX(version) FROM schema_version")
        else:
            row = await db.fetchone("PRAGMA user_version")
        assert row[0] == len(MIGRATIONS)
    finally:
        await db.close()


async def test_chats_reads_and_status(store: Database) -> None:
    assert await chats.record_chat(store, 1, "private", "en", NOW) == "active"  # new
    assert await chats.record_chat(store, 1, "private", None, NOW + 5) == "active"
    await chats.mark_read(store, 1, "fibre-a", NOW)
    await chats.mark_read(store, 1, "fibre-a", NOW + 10)
    assert await chats.last_read_times(store, 1) == {"fibre-a": NOW + 10}
    assert await chats.cards_read_since(store, 1, NOW + 1) == 1
    row = await store.fetchone("SELECT times, language FROM card_views v JOIN chats c "
                               "ON c.id = v.chat_id WHERE chat_id = 1")
    assert (row[0], row[1]) == (2, "en")  # a None language keeps the one known

    await chats.record_chat(store, 2, "private", "de", NOW)
    await chats.mark_unreachable(store, 2)
    assert await chats.active_ids(store, {1, 2, 3}) == {1}
    assert await chats.record_chat(store, 2, "private", "de", NOW + 5) == "blocked"
    # Left for the caller to resume (subscriptions.resume), which brings it back.
    assert await chats.status(store, 2) == "blocked"
    row = await store.fetchone("SELECT last_seen, kind FROM chats WHERE id = 2")
    assert row is not None and (row[0], row[1]) == (NOW + 5, "private")


async def test_a_group_that_becomes_a_supergroup_keeps_everything(store: Database) -> None:
    old, new = -100, BIG_ID
    await chats.record_chat(store, old, "group", "en", NOW - 100)
    await schedules.save(store, old, "card", "Europe/London", 480, 127, NOW + 60)
    await chats.mark_read(store, old, "sleep-a", NOW)
    await chats.mark_read(store, old, "both", NOW)
    await checkins.record(store, old, date(2027, 1, 1), "fibre", True, NOW)
    await outbox.enqueue(store, [Entry(old, "card", "k-old"), Entry(old, "card", "k-sent")],
                         NOW)
    sent = await outbox.claim_batch(store, NOW, 1)
    await outbox.apply(store, [Outcome(sent[0].id, "sent", NOW + 1)])
    asked = await feedback.record(store, old, "is kefir ok", True, NOW)
    # Someone wrote in the supergroup first: the two rows merge.
    await chats.record_chat(store, new, "supergroup", None, NOW)
    await chats.mark_read(store, new, "both", NOW + 50)
    await chats.migrate_chat(store, old, new)

    assert await chats.status(store, old) is None
    chat = await store.fetchone("SELECT kind, first_seen, timezone FROM chats WHERE id = ?",
                                (new,))
    assert tuple(chat) == ("supergroup", NOW - 100, "Europe/London")
    assert await chats.last_read_times(store, new) == {"sleep-a": NOW, "both": NOW + 50}
    found = await schedules.chat_settings(store, new)
    assert found is not None and [r["kind"] for r in found[1]] == ["card"]
    assert await checkins.done_days(store, new, "fibre") == {"2027-01-01"}
    rows = await store.fetchall("SELECT chat_id, status FROM outbox ORDER BY status")
    assert [tuple(r) for r in rows] == [(new, "pending"), (new, "sent")]  # waiting and sent
    # Its answers' 👍/👎 are pressed in the supergroup now.
    assert await feedback.rate(store, asked, new, True)


async def test_outbox_dedupes_claims_in_order_and_settles(store: Database) -> None:
    entries = [Entry(10, "broadcast", "b1"), Entry(11, "card", "c1"), Entry(12, "card", "c2")]
    assert await outbox.enqueue(store, entries, NOW) == 3
    assert await outbox.enqueue(store, entries[:2], NOW) == 0  # the same keys: no-ops
    assert await outbox.ready_count(store, NOW) == 3
    assert await outbox.next_ready_time(store) == NOW
    claimed = await outbox.claim_batch(store, NOW, 2)
    assert [r.kind for r in claimed] == ["card", "card"]  # reminders before broadcasts
    assert await outbox.claim_batch(store, NOW, 2) != claimed
    await outbox.apply(store, [Outcome(claimed[0].id, "sent", NOW + 1),
                               Outcome(claimed[1].id, "pending", NOW + 1, error="timeout",
                                       not_before=NOW + 9, count_attempt=True)])
    rows = {r[0]: tuple(r[1:]) for r in await store.fetchall(
        "SELECT dedupe_key, status, sent_at, attempts, not_before FROM outbox")}
    assert rows["c1"] == ("sent", NOW + 1, 0, NOW)
    assert rows["c2"] == ("pending", None, 1, NOW + 9)
    assert rows["b1"][0] == "sending"
    assert await outbox.recover(store) == 1  # after a crash, in flight is pending again
    row = await store.fetchone("SELECT status, error FROM outbox WHERE dedupe_key = 'b1'")
    assert row[0] == "pending" and row[1].startswith(outbox.UNCONFIRMED)
    assert await outbox.cancel_for_chat(store, 10, ["broadcast"]) == 1


async def test_outbox_prunes_only_old_settled_rows(store: Database) -> None:
    old = NOW - 50 * 86_400
    await outbox.enqueue(store, [Entry(1, "card", "old-sent"), Entry(1, "card", "old-pending")],
                         old)
    await store.execute("UPDATE outbox SET status = 'sent' WHERE dedupe_key = 'old-sent'")
    await outbox.enqueue(store, [Entry(1, "card", "new")], NOW)
    assert await outbox.prune(store, NOW) == 1
    keys = {r[0] for r in await store.fetchall("SELECT dedupe_key FROM outbox")}
    assert keys == {"old-pending", "new"}


async def test_outbox_prunes_in_chunks_up_to_its_batch(store: Database,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Old rows go a chunk per statement, chunk after chunk, and never more than the batch in
    one call; what is left goes at the next."""
    monkeypatch.setattr(outbox, "PRUNE_CHUNK", 2)
    old = NOW - 50 * 86_400
    await outbox.enqueue(store, [Entry(1, "card", f"old-{n}") for n in range(5)], old)
    await store.execute("UPDATE outbox SET status = 'sent'")
    await outbox.enqueue(store, [Entry(1, "card", "new")], NOW)
    assert await outbox.prune(store, NOW, batch=4) == 4
    assert await outbox.prune(store, NOW, batch=4) == 1
    assert await outbox.prune(store, NOW, batch=4) == 0
    assert [r[0] for r in await store.fetchall("SELECT dedupe_key FROM outbox")] == ["new"]


async def test_campaign_starts_once_and_reports(store: Database) -> None:
    for chat_id, kind, focus in [(1, "private", "sleep"), (2, "private", "fibre,sleep"),
                                 (BIG_ID, "supergroup", "")]:
        await chats.record_chat(store, chat_id, kind, "en", NOW)
        await schedules.set_focus(store, chat_id, [t for t in focus.split(",") if t])
    # The group never chose topics: it follows all of them, these included (issue 21).
    assert await campaigns.topic_counts(store, ["sleep", "fibre", "stress"]) == {
        "sleep": 3, "fibre": 2, "stress": 1}
    assert await campaigns.count_audience(store, "topic:sleep", 1) == 3
    assert await campaigns.count_audience(store, "topic:stress", 1) == 1
    draft = await campaigns.create_draft(store, created_by=7, report_chat=7, kind="message",
                                         now=NOW, body_html="<b>Hi</b>")
    assert draft > 0
    assert await campaigns.set_audience(store, draft, "all")
    assert [c.id for c in await campaigns.unsent_drafts(store, 7, NOW)] == [draft]
    # Two presses of Send now at once: one campaign.
    results = await asyncio.gather(campaigns.start(store, draft, NOW),
                                   campaigns.start(store, draft, NOW))
    assert sorted(results, key=str) == [3, None]
    keys = sorted(r[0] for r in await store.fetchall(
        "SELECT dedupe_key FROM outbox WHERE campaign_id = ?", (draft,)))
    assert keys == sorted(f"campaign:{draft}:{i}" for i in (1, 2, BIG_ID))
    rows = await outbox.claim_batch(store, NOW, 10)
    await outbox.apply(store, [Outcome(rows[0].id, "sent", NOW),
                               Outcome(rows[1].id, "blocked", NOW, error="403"),
                               Outcome(rows[2].id, "sent", NOW,
                                       error=outbox.UNCONFIRMED + "timeout")])
    progress = await campaigns.progress(store, draft)
    assert (progress["sent"], progress["blocked"], progress["twice_maybe"]) == (2, 1, 1)
    assert [c.id for c in await campaigns.finish_done(store, NOW)] == [draft]
    assert [c.status for c in await campaigns.listing(store)] == ["finished"]


async def test_scheduled_campaign_and_cancel(store: Database) -> None:
    await chats.record_chat(store, 1, "private", "en", NOW)
    first = await campaigns.create_draft(store, created_by=7, report_chat=7, kind="card",
                                         now=NOW, card_id="fibre-a")
    await campaigns.set_audience(store, first, "me")
    assert await campaigns.schedule(store, first, NOW + 60)
    assert await campaigns.start_due(store, NOW) == []
    assert await campaigns.start_due(store, NOW + 60) == [(first, 1)]
    second = await campaigns.create_draft(store, created_by=7, report_chat=7, kind="message",
                                          now=NOW)
    await campaigns.set_audience(store, second, "groups")
    assert await campaigns.cancel(store, second, NOW)
    assert not await campaigns.cancel(store, second, NOW)


async def test_schedules_due_tick_and_settings(store: Database) -> None:
    await chats.record_chat(store, 1, "private", "en", NOW)
    await chats.mark_read(store, 1, "a", 100)
    await chats.mark_read(store, 1, "b", 200)
    await schedules.save(store, 1, "card", "Europe/London", 480, 127, NOW)
    await schedules.save(store, 1, "checkin", "Europe/London", 1200, 127, NOW + 600)
    due = await schedules.due(store, NOW, 100)
    assert len(due) == 1 and due[0]["kind"] == "card"
    assert sorted(due[0]["reads"].split(",")) == ["a 100", "b 200"]
    new = await schedules.record_tick(
        store, [Entry(1, "card", "card:1:day")], NOW,
        [(NOW + 86_400, "c", 1, "card")])
    assert new == 1
    assert await schedules.due(store, NOW, 100) == []
    chat, rows = await schedules.chat_settings(store, 1) or (None, [])
    assert chat["timezone"] == "Europe/London"
    assert {r["kind"]: r["next_due"] for r in rows} == {"card": NOW + 86_400,
                                                        "checkin": NOW + 600}
    await schedules.move_due(store, [(NOW + 5, 1, "checkin")])
    await schedules.remove(store, 1, "checkin")
    await schedules.mark_stopped(store, 1)
    assert await chats.status(store, 1) == "stopped"
    await schedules.mark_active(store, 1)
    await schedules.set_paused_until(store, 1, NOW + 99)
    await schedules.set_habits(store, 1, ["fibre", "sleep"])
    chat, rows = await schedules.chat_settings(store, 1) or (None, [])
    assert (chat["paused_until"], chat["habits"], len(rows)) == (NOW + 99, "fibre,sleep", 1)


async def test_a_tick_bigger_than_one_statement_writes_every_row_once(store: Database) -> None:
    """More schedules than PostgreSQL moves in one statement: each due chat gets its outbox
    row with its key and card, each schedule moves on (a stopped chat's to none, a check-in
    beside its card); the same minute written again adds no row; each card counts as read
    once it is sent."""
    count = schedules.MOVES_PER_STATEMENT + 1
    chat_ids = range(1, count + 1)
    for chat in chat_ids:
        await chats.record_chat(store, chat, "private", "en", NOW)
        await schedules.save(store, chat, "card", "UTC", 480, 127, NOW)
    await schedules.save(store, 1, "checkin", "UTC", 1200, 127, NOW)
    entries = [Entry(chat, "card", f"card:day:{chat}", f"card{chat % 7}") for chat in chat_ids]
    entries.append(Entry(1, "checkin", "checkin:day:1", "day"))
    moves: list[tuple[int | None, str | None, int, str]] = [
        (NOW + chat, f"card{chat % 7}", chat, "card") for chat in chat_ids if chat != count]
    moves += [(None, "card0", count, "card"), (NOW + 9, None, 1, "checkin")]

    assert await schedules.record_tick(store, entries, NOW, moves) == count + 1
    assert await schedules.record_tick(store, entries, NOW, moves) == 0

    queued = await outbox.claim_batch(store, NOW, 2 * count)
    assert sorted((r.chat_id, r.kind, r.payload) for r in queued) == sorted(
        (e.chat_id, e.kind, e.payload) for e in entries)
    assert (await store.fetchone("SELECT COUNT(*) FROM card_views"))[0] == 0  # not sent yet
    await outbox.apply(store, [Outcome(r.id, "sent", NOW) for r in queued])
    due = await schedules.due(store, NOW + count, 2 * count)
    assert sorted((r["chat_id"], r["kind"], r["next_due"], r["last_card"]) for r in due) == \
        sorted((chat, kind, at, card) for at, card, chat, kind in moves if at is not None)
    assert {r["chat_id"]: r["reads"] for r in due if r["kind"] == "card"} == {
        chat: f"card{chat % 7} {NOW}" for chat in chat_ids if chat != count}
    for chat in (1, schedules.MOVES_PER_STATEMENT, count):
        mine = await privacy.everything(store, chat)
        assert mine is not None and mine["reads"] == [(f"card{chat % 7}", 1)]  # sent once


async def test_checkins_feedback_and_moderation(store: Database) -> None:
    await chats.record_chat(store, 1, "private", "en", NOW)
    await checkins.record(store, 1, date(2027, 3, 1), "fibre", True, NOW)
    await checkins.record(store, 1, date(2027, 3, 2), "fibre", False, NOW)
    await checkins.record(store, 1, date(2027, 3, 2), "fibre", True, NOW)  # changed its mind
    assert await checkins.answers(store, 1, date(2027, 3, 2)) == {("fibre", "2027-03-02"): True}
    assert await checkins.done_days(store, 1, "fibre") == {"2027-03-01", "2027-03-02"}

    one = await feedback.record(store, 1, "kefir gross?", False, NOW)
    two = await feedback.record(store, 1, "kefir gross?", True, NOW)
    assert two > one
    assert not await feedback.rate(store, two, 2, True)  # pressed in another chat: nothing
    assert await feedback.rate(store, two, 1, False)
    assert await feedback.gaps(store, NOW - 10, 5) == [("kefir gross?", 2, 1, 1)]
    assert await feedback.prune(store, NOW + 31 * 86_400) == 2

    assert await moderation.add(store, 42, 9, NOW)
    assert not await moderation.add(store, 42, 9, NOW)
    assert await moderation.is_moderator(store, frozenset({9}), 42)
    await moderation.audit(store, 9, "mod add", NOW, "42")
    assert [e.action for e in await moderation.recent(store)] == ["mod add"]
    assert await moderation.listing(store) == [(42, 9, NOW)]
    assert await moderation.remove(store, 42)


async def test_privacy_shows_and_erases_everything(store: Database) -> None:
    await chats.record_chat(store, 5, "private", "en", NOW)
    await schedules.save(store, 5, "card", "Asia/Kolkata", 480, 31, NOW)
    await chats.mark_read(store, 5, "a", NOW)
    await skin_checks.set_about(store, 5, "child")
    await moderation.add(store, 5, 9, NOW)
    await moderation.audit(store, 5, "broadcast", NOW, "hello")
    mine = await privacy.everything(store, 5, person=5)
    assert mine is not None
    assert mine["chat"]["timezone"] == "Asia/Kolkata"
    assert mine["reads"] == [("a", 1)] and mine["skin"]["about"] == "child"
    assert mine["moderation"] == {"moderator": True, "campaigns": 0, "audit": 1}
    # A message sent (settled) and one still waiting: each kind of row is the chat's.
    await outbox.enqueue(store, [Entry(5, "card", "sent-one"), Entry(5, "card", "waiting")], NOW)
    sent = await outbox.claim_batch(store, NOW, 1)
    await outbox.apply(store, [Outcome(sent[0].id, "sent", NOW + 1)])
    await feedback.record(store, 5, "is kefir ok", True, NOW)
    await feedback.record(store, 6, "someone else's", True, NOW)
    exported = await export.rows_about(store, 5, person=5)
    assert sorted(r["dedupe_key"] for r in exported["outbox"]) == ["sent-one", "waiting"]
    assert [r["question"] for r in exported["answer_feedback"]] == ["is kefir ok"]
    assert mine["queued"] == 0 and (await privacy.everything(store, 5))["queued"] == 1
    assert await privacy.erase(store, 5, person=5)
    assert await privacy.everything(store, 5, person=5) is None
    for table in ("chats", "schedules", "card_views", "skin_profiles", "moderators", "outbox"):
        assert (await store.fetchone(f"SELECT COUNT(*) FROM {table}"))[0] == 0, table
    assert [r[0] for r in await store.fetchall("SELECT chat_id FROM answer_feedback")] == [6]
    assert (await store.fetchone("SELECT actor FROM audit_log"))[0] == 0


async def test_team_tickets_claims_messages_blocks_and_erasure(store: Database) -> None:
    opened = await tickets.open_ticket(store, 5, "Sam", "my hands are worse", urgent=False,
                                       support=True, now=NOW)
    assert opened is not None
    ticket, first = opened
    assert (ticket.chat_id, ticket.first_name, ticket.open, ticket.support) == (5, "Sam", True,
                                                                              True)
    # One open conversation per chat; another chat gets the next number.
    assert await tickets.open_ticket(store, 5, None, "again", urgent=False, support=False,
                                     now=NOW) is None
    other = await tickets.open_ticket(store, 6, None, "hello", urgent=True, support=False,
                                      now=NOW)
    assert other is not None and other[0].id == ticket.id + 1 and other[0].urgent
    assert await tickets.set_thread(store, ticket.id, 77)
    assert not await tickets.set_thread(store, ticket.id, 78)
    assert (await tickets.by_thread(store, 77)).id == ticket.id  # type: ignore[union-attr]
    # Two claims at once: one wins.
    wins = await asyncio.gather(tickets.claim(store, ticket.id, 41, NOW + 5),
                                tickets.claim(store, ticket.id, 42, NOW + 5))
    assert sorted(wins) == [False, True]
    reply = await tickets.add_message(store, ticket.id, tickets.TEAM, "<b>hi</b>", NOW + 60,
                                      moderator=41)
    held = await tickets.add_message(store, ticket.id, tickets.TEAM, "stop it", NOW + 70,
                                     moderator=41, held=True)
    assert reply and held
    assert [m.author for m in await tickets.messages(store, ticket.id)] == ["person", "team"]
    assert await tickets.release_held(store, held, NOW + 80)
    assert not await tickets.release_held(store, held, NOW + 81)
    now_ticket = await tickets.get(store, ticket.id)
    assert now_ticket is not None and (now_ticket.first_reply_at, now_ticket.last_at) == (
        NOW + 60, NOW + 80)
    assert await tickets.sent_by_person_since(store, 5, NOW) == 1
    assert (await tickets.message(store, first)).body == "my hands are worse"  # type: ignore
    # Nobody claimed #2 in time: returned once.
    assert [t.id for t in await tickets.overdue(store, NOW + 1)] == [other[0].id]
    assert await tickets.overdue(store, NOW + 1) == []
    assert await tickets.close(store, ticket.id, "person", NOW + 90)
    assert not await tickets.close(store, ticket.id, "team", NOW + 91)
    assert await tickets.add_message(store, ticket.id, tickets.PERSON, "late", NOW + 92) is None
    assert await tickets.rate(store, ticket.id, 5, True)
    assert not await tickets.rate(store, ticket.id, 6, False)  # not their conversation
    await tickets.block(store, 6, other[0].id, 41, NOW)
    assert await tickets.blocked_since(store, 6) == NOW
    assert await tickets.summary(store, 5) == {"conversations": 1, "messages": 3, "open": 0,
                                               "blocked": 0}
    assert await tickets.unblock(store, other[0].id)
    assert await tickets.blocked_since(store, 6) is None
    # /forget: the conversations and their messages go; a moderator's id leaves theirs.
    await chats.record_chat(store, 5, "private", "en", NOW)
    exported = await export.rows_about(store, 5)
    assert [r["body"] for r in exported["ticket_messages"]] == ["my hands are worse",
                                                                "<b>hi</b>", "stop it"]
    assert await privacy.erase(store, 5)
    assert (await store.fetchone("SELECT COUNT(*) FROM ticket_messages WHERE ticket_id = ?",
                                 (ticket.id,)))[0] == 0
    await chats.record_chat(store, 41, "private", "en", NOW)
    await tickets.claim(store, other[0].id, 41, NOW)
    assert await privacy.erase(store, 41, person=41)
    again = await tickets.get(store, other[0].id)
    assert again is not None and again.claimed_by is None  # open: free to claim again
    # Retention: deleted after the last message.
    assert await tickets.expire(store, NOW + 1) == [(other[0].id, None, True)]
    assert (await store.fetchone("SELECT COUNT(*) FROM tickets"))[0] == 0


async def test_skin_checks_and_community_counts(store: Database) -> None:
    await chats.record_chat(store, 1, "private", "en", NOW)
    days = [date(2027, 1, 4), date(2027, 1, 11), date(2027, 1, 18)]
    for week, (day, score) in enumerate(zip(days, [20, 15, 9])):
        check = await skin_checks.start(store, 1, "self", ".......", NOW + week * 604_800)
        assert await skin_checks.save_answers(store, check, "1......")
        assert await skin_checks.finish(store, check, "1111111", score, day,
                                        NOW + week * 604_800)
        assert not await skin_checks.finish(store, check, "1111111", score, day, NOW)
    last = NOW + 2 * 604_800
    finished = await skin_checks.finished(store, 1)
    assert [c.score for c in finished] == [20, 15, 9] and finished[0].day == days[0]
    assert await skin_checks.previous_score(store, 1, finished[-1].id) == (15, days[1])
    assert await skin_checks.last_finished_at(store, 1) == last
    week, month, per_person, changes = await skin_checks.community_counts(store, last, 4, 3)
    assert (week, month, per_person, changes) == (1, 1, [3], [-11])


async def test_stats_counts(store: Database) -> None:
    await chats.record_chat(store, 1, "private", "en", NOW)
    await chats.record_chat(store, BIG_ID, "supergroup", "en", NOW - 86_400)
    await chats.record_chat(store, 3, "private", "en", NOW)
    await schedules.mark_stopped(store, 3)
    await chats.mark_read(store, 1, "a", NOW)
    await chats.mark_read(store, 1, "a", NOW)
    await checkins.record(store, 1, date(2027, 3, 1), "fibre", True, NOW)
    await outbox.enqueue(store, [Entry(1, "card", "x"), Entry(1, "checkin", "y")], NOW)
    rows = await outbox.claim_batch(store, NOW, 5)
    await outbox.apply(store, [Outcome(r.id, "sent", NOW) for r in rows])
    async with store.reading() as reader:  # /stats reads on its own connection
        assert await stats.chat_counts(reader, NOW, ("group", "supergroup")) == (
            2, 0, 1, 0, 1, 1)
        days = await stats.new_chats_per_day(reader, NOW - 2 * 86_400, NOW - 86_400 + 1,
                                             NOW - 2 * 86_400, NOW)
        assert sorted(days) == [(1, 1, 0), (2, 2, 2)]
        assert await stats.sent_between(reader, NOW, NOW + 1) == (2, 1)
        assert await stats.reads_per_card(reader) == {"a": 2}
        assert await stats.checkins_per_habit(reader, "2027-01-01") == [("fibre", 1, 1)]
