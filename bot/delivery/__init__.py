"""Scheduled and broadcast messages on their way out: local times, the minute tick that turns
due schedules into outbox rows, the durable outbox and the rate-limited sender. May import
bot.library, bot.store and bot.telegram."""
