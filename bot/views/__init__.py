"""What each feature shows: texts built from templates, keyboards and pickers, and the
rendering of an outbox row at send time. May import bot.services and everything below it."""
