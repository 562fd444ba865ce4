"""Indonesian news bot for Telegram."""
