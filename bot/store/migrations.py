"""Numbered schema migrations; PRAGMA user_version records how many have run."""

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
]
