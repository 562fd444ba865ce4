"""The Telegram side's glue: the PTB Application and its ordered handler list (`app`), the typed
context handlers and jobs receive (`typed_context`), the scheduled jobs (`jobs`), Telegram's
webhook on the bot's web server (`webhook`), messages rendered for Telegram (`formatting`,
`outgoing`, `deep_links`), and the sender's lean path to the Bot API (`lean`).

May import `bot.handlers`, `bot.delivery`, `bot.news` and `storage`; never `bot.cli`.
"""
