"""Chat commands and buttons, one module per area; `bot.app` registers them in one list."""
