"""Chat commands and buttons, one module per area; `bot.telegram.app` registers them in one list.

`chat_access` holds what every handler needs: where an update came from, its language, whether
the sender may change the chat, and replies. Handlers enqueue through `bot.delivery.outbox`,
never through the sender's internals.
"""
