"""The content and what is built from it: cards and their loader, the templates and the one
renderer (every message ends with the disclaimer), search, the urgent-care triage and its
helplines, choosing the next card. May import bot.telegram and bot.store only."""
