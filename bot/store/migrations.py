"""Numbered schema migrations, written once for both engines.

The DDL is SQLite's; `postgres_ddl` turns each statement into PostgreSQL's (64-bit integers,
identity ids, no WITHOUT ROWID). SQLite records how many have run in PRAGMA user_version,
PostgreSQL in the schema_version table.
"""

import re

MIGRATIONS: list[str] = [
    # 1: chats that talked to the bot, and which cards each has read.
    """
    CREATE TABLE chats (
        id          INTEGER PRIMARY KEY,
        kind        TEXT    NOT NULL,
        language    TEXT,
        first_seen  INTEGER NOT NULL,
        last_seen   INTEGER NOT NULL,
        status      TEXT    NOT NULL DEFAULT 'active'
    );
    CREATE TABLE card_views (
        chat_id     INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
        card_id     TEXT    NOT NULL,
        first_read  INTEGER NOT NULL,
        last_read   INTEGER NOT NULL,
        times       INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (chat_id, card_id)
    ) WITHOUT ROWID;
    """,
    # 2: what each chat asked to receive, and the durable outbox every scheduled or broadcast
    # message passes through before it becomes a request.
    """
    ALTER TABLE chats ADD COLUMN timezone TEXT;
    ALTER TABLE chats ADD COLUMN paused_until INTEGER;
    ALTER TABLE chats ADD COLUMN focus TEXT NOT NULL DEFAULT '';
    ALTER TABLE chats ADD COLUMN habits TEXT NOT NULL DEFAULT '';
    CREATE TABLE schedules (
        chat_id     INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
        kind        TEXT    NOT NULL,
        local_minute INTEGER NOT NULL,
        days        INTEGER NOT NULL,
        next_due    INTEGER,
        last_card   TEXT,
        PRIMARY KEY (chat_id, kind)
    ) WITHOUT ROWID;
    CREATE INDEX schedules_due ON schedules (next_due) WHERE next_due IS NOT NULL;
    CREATE TABLE outbox (
        id          INTEGER PRIMARY KEY,
        chat_id     INTEGER NOT NULL,
        kind        TEXT    NOT NULL,
        dedupe_key  TEXT    NOT NULL UNIQUE,
        payload     TEXT    NOT NULL DEFAULT '',
        priority    INTEGER NOT NULL DEFAULT 0,
        campaign_id INTEGER,
        status      TEXT    NOT NULL DEFAULT 'pending',
        attempts    INTEGER NOT NULL DEFAULT 0,
        not_before  INTEGER NOT NULL,
        created     INTEGER NOT NULL,
        sent_at     INTEGER,
        error       TEXT
    );
    CREATE INDEX outbox_ready ON outbox (priority, not_before, id) WHERE status = 'pending';
    CREATE INDEX outbox_chat ON outbox (chat_id, status);
    CREATE INDEX outbox_campaign ON outbox (campaign_id, status) WHERE campaign_id IS NOT NULL;
    CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;
    CREATE TABLE checkins (
        chat_id     INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
        day         TEXT    NOT NULL,
        habit       TEXT    NOT NULL,
        done        INTEGER NOT NULL,
        answered_at INTEGER NOT NULL,
        PRIMARY KEY (chat_id, day, habit)
    ) WITHOUT ROWID;
    """,
    # 3: who may push updates, what they did, and the campaigns they sent.
    """
    CREATE TABLE moderators (
        user_id     INTEGER PRIMARY KEY,
        added_by    INTEGER NOT NULL,
        added_at    INTEGER NOT NULL
    );
    CREATE TABLE audit_log (
        id          INTEGER PRIMARY KEY,
        at          INTEGER NOT NULL,
        actor       INTEGER NOT NULL,
        action      TEXT    NOT NULL,
        detail      TEXT    NOT NULL DEFAULT '',
        recipients  INTEGER
    );
    CREATE TABLE campaigns (
        id          INTEGER PRIMARY KEY,
        created_by  INTEGER NOT NULL,
        report_chat INTEGER NOT NULL,
        created_at  INTEGER NOT NULL,
        kind        TEXT    NOT NULL,
        body_html   TEXT    NOT NULL DEFAULT '',
        card_id     TEXT,
        photo       TEXT,
        audience    TEXT    NOT NULL DEFAULT '',
        status      TEXT    NOT NULL DEFAULT 'draft',
        send_at     INTEGER,
        started_at  INTEGER,
        finished_at INTEGER,
        recipients  INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX campaigns_status ON campaigns (status, send_at);
    """,
    # 4: /stats reads the most-read cards and check-in rates without sorting whole tables.
    """
    CREATE INDEX card_views_by_card ON card_views (card_id, times);
    CREATE INDEX checkins_by_day ON checkins (day, habit, done);
    """,
    # 5: the weekly skin check (POEM): whose skin a chat's checks are about, and each check,
    # its seven answers ('.' not asked yet, '-' skipped, '0'-'4') and its score. A check in
    # progress has no finished_at; its buttons find it here after a restart. AUTOINCREMENT: an
    # abandoned check's id is never given to a later one, so its old buttons stay stale.
    """
    CREATE TABLE skin_profiles (
        chat_id     INTEGER PRIMARY KEY REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
        about       TEXT    NOT NULL
    );
    CREATE TABLE skin_checks (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        chat_id     INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
        about       TEXT    NOT NULL,
        answers     TEXT    NOT NULL,
        started_at  INTEGER NOT NULL,
        finished_at INTEGER,
        day         TEXT,
        score       INTEGER
    );
    CREATE INDEX skin_checks_by_chat ON skin_checks (chat_id, finished_at);
    CREATE INDEX skin_checks_finished ON skin_checks (finished_at, chat_id)
        WHERE finished_at IS NOT NULL;
    """,
    # 6: set-ups in progress (a chat's /remind, /focus or /habits step) and a moderator's
    # half-written broadcast, so that a restart does not turn the next tap into "out of date".
    """
    CREATE TABLE setup_state (
        scope   TEXT    NOT NULL,   -- 'chat' or 'user'
        id      INTEGER NOT NULL,
        data    TEXT    NOT NULL,   -- JSON
        PRIMARY KEY (scope, id)
    );
    """,
    # 7: questions answered, anonymised (no chat id; numbers, links and names masked), with
    # whether a card was found and the person's 👍/👎: moderators see where content is
    # missing. Kept 30 days.
    """
    CREATE TABLE answer_feedback (
        id       INTEGER PRIMARY KEY AUTOINCREMENT,
        at       INTEGER NOT NULL,
        question TEXT    NOT NULL,
        found    INTEGER NOT NULL,   -- 1 when a card answered it
        helpful  INTEGER            -- 1 👍, 0 👎, NULL not rated
    );
    CREATE INDEX answer_feedback_by_time ON answer_feedback (at);
    """,
    # 8: more than one instance on one PostgreSQL. Each outbox claim says who took it and
    # when, so rows a dead instance had in flight are given back after a lease, not at the
    # next start of any instance (which would steal a live one's); each instance says it is
    # alive, so the 30/s budget is shared among the live ones.
    """
    ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
    ALTER TABLE outbox ADD COLUMN claimed_at INTEGER;
    CREATE INDEX outbox_in_flight ON outbox (claimed_at) WHERE status = 'sending';
    CREATE TABLE instances (
        id      TEXT    PRIMARY KEY,
        seen    INTEGER NOT NULL
    );
    """,
    # 9: /stats at scale. The messages sent on a UTC day are counted once the day is over
    # and kept (sent_per_day: counts only, no chat), so /stats reads at most three partial
    # days of outbox rows instead of a month (at 8.6M rows sent in 30 days: 3.6 s). The new
    # chats per day come from an index on first_seen, not a scan of chats. (No new index on
    # outbox: at 45M rows it would take a minute to build, at start-up.)
    """
    CREATE INDEX chats_first_seen ON chats (first_seen);
    CREATE TABLE sent_per_day (
        day     INTEGER PRIMARY KEY,   -- UTC days since 1970-01-01
        sent    INTEGER NOT NULL,      -- outbox rows sent that day
        cards   INTEGER NOT NULL       -- of them daily cards
    );
    """,
    # 10: the busiest minute with weeks of history. One index of every outbox row by chat
    # meant each new row went to a random page of an index holding weeks of rows (45M at 1M
    # subscribers): a third of the tick. Rows waiting or in flight now have a small index of
    # their own, which the tick writes to; a row enters the settled one when it is settled,
    # a row at a time as the sender goes. Queries by chat name the part they want, in the
    # very words of the index's condition (outbox.LIVE, outbox.SETTLED), so both engines use
    # it. Building the settled index on a big store takes a while, once.
    """
    DROP INDEX outbox_chat;
    CREATE INDEX outbox_chat_live ON outbox (chat_id) WHERE status IN ('pending', 'sending');
    CREATE INDEX outbox_chat_settled ON outbox (chat_id)
        WHERE status NOT IN ('pending', 'sending');
    """,
    # 11: the campaign numbers moderators see count the campaigns that were sent or
    # scheduled, one after another. Numbered by id, every draft used one up, and drafts left
    # unsent or cancelled made the numbers jump (#2, then #5). The id stays the key that
    # buttons and outbox rows carry; a draft has no number until it leaves the drafts. A
    # campaign that is not a draft keeps the number it was shown with (its id); `counters`
    # holds the last number given, taken under its row's lock by two instances at once.
    """
    ALTER TABLE campaigns ADD COLUMN number INTEGER;
    UPDATE campaigns SET number = id WHERE status != 'draft';
    CREATE UNIQUE INDEX campaigns_number ON campaigns (number);
    CREATE TABLE counters (
        name    TEXT    PRIMARY KEY,
        value   INTEGER NOT NULL
    );
    INSERT INTO counters (name, value) SELECT 'campaign', COALESCE(MAX(number), 0) FROM campaigns;
    """,
    # 12: the chat an answer went to, with its question: a 👍/👎 counts only when pressed in
    # that chat. The ids are consecutive, and `fb:<id>:n` sent from any chat rated anyone's
    # answer. The chat is never shown (/gaps lists questions alone); /mydata shows a chat its
    # questions and /forget erases them. Rows from before have none and take no rating.
    """
    ALTER TABLE answer_feedback ADD COLUMN chat_id INTEGER;
    CREATE INDEX answer_feedback_by_chat ON answer_feedback (chat_id) WHERE chat_id IS NOT NULL;
    """,
    # 13: a person's conversation with the community's team (issue 25). A ticket's id is the
    # number the team knows it by (#12; AUTOINCREMENT: never given again), its topic in the
    # team's supergroup is `thread`; the person's chat is never shown to the team. One open
    # ticket per chat (the partial unique index), claimed by one moderator (an UPDATE that
    # only an unclaimed row matches). Its messages both ways are kept, a team reply that
    # tripped the claims check 'held' until its second tap. Deleted BOT_TEAM_KEEP_DAYS after
    # the last message (last_at). A block keeps only the chat, the ticket number the team
    # knew it by, and when.
    """
    CREATE TABLE tickets (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        chat_id     INTEGER NOT NULL,
        first_name  TEXT,
        status      TEXT    NOT NULL DEFAULT 'open',
        urgent      INTEGER NOT NULL DEFAULT 0,
        support     INTEGER NOT NULL DEFAULT 0,
        thread      INTEGER,
        claimed_by  INTEGER,
        opened_at   INTEGER NOT NULL,
        claimed_at  INTEGER,
        first_reply_at INTEGER,
        last_at     INTEGER NOT NULL,
        late_told   INTEGER NOT NULL DEFAULT 0,
        closed_at   INTEGER,
        closed_by   TEXT,
        rating      INTEGER
    );
    CREATE UNIQUE INDEX tickets_one_open ON tickets (chat_id) WHERE status = 'open';
    CREATE INDEX tickets_by_chat ON tickets (chat_id);
    CREATE INDEX tickets_by_thread ON tickets (thread) WHERE thread IS NOT NULL;
    CREATE INDEX tickets_by_time ON tickets (opened_at);
    CREATE INDEX tickets_by_last ON tickets (last_at);
    CREATE TABLE ticket_messages (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        ticket_id   INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        author      TEXT    NOT NULL,
        moderator   INTEGER,
        body        TEXT    NOT NULL,
        urgent      INTEGER NOT NULL DEFAULT 0,
        status      TEXT    NOT NULL DEFAULT 'sent',
        at          INTEGER NOT NULL
    );
    CREATE INDEX ticket_messages_by_ticket ON ticket_messages (ticket_id, at);
    CREATE TABLE team_blocks (
        chat_id     INTEGER PRIMARY KEY,
        ticket      INTEGER NOT NULL,
        blocked_by  INTEGER NOT NULL,
        at          INTEGER NOT NULL
    );
    """,
    # 14: a person's own short dated notes between skin checks ("flare after swimming"), for
    # them and for /report's PDF. `day` is the chat's local day it was written. They go with
    # the chat (/forget) or one at a time (/notes); /mydata shows them. AUTOINCREMENT: a
    # deleted note's id, which its old delete button carries, is never given to a new one.
    """
    CREATE TABLE notes (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        chat_id     INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
        day         TEXT    NOT NULL,
        written_at  INTEGER NOT NULL,
        text        TEXT    NOT NULL
    );
    CREATE INDEX notes_by_chat ON notes (chat_id, day);
    """,
]


def statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


# Telegram ids pass 2**31 and timestamps will: every integer column is 64-bit on PostgreSQL.
_ROWID_KEY = re.compile(r"\bid(\s+)INTEGER PRIMARY KEY( AUTOINCREMENT)?")
_INTEGER = re.compile(r"\bINTEGER\b")


def postgres_ddl(statement: str) -> str:
    """One migration statement in PostgreSQL's dialect.

    An `id INTEGER PRIMARY KEY` is SQLite's rowid, numbered by the engine when not given: an
    identity column does the same on PostgreSQL and still accepts a given id (chats, users).
    """
    ddl = _ROWID_KEY.sub(r"id\1BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", statement)
    ddl = _INTEGER.sub("BIGINT", ddl)
    return ddl.replace("WITHOUT ROWID", "")
