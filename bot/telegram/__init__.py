"""Telegram itself: the HTTP transport, the one send function, the message a chat receives,
Telegram's HTML rules, callback data, update ordering and the offline Bot API (the local
shell and the tests). Imports nothing else of the bot's."""
