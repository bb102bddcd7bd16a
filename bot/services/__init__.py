"""What the bot does for people and moderators, as plain async Python with no Telegram in it:
subscriptions, reminders typed in words, campaigns, moderation, figures, the skin check.
May import bot.delivery, bot.library, bot.store and bot.telegram."""
