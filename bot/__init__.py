"""Indonesian news bot for Telegram.

The packages, in the order the news flows through them (each one's `__init__` says what it owns
and what it may import; `.importlinter` checks the directions):

    news/       fetch → parse → extract → clean text → topics → dedup (pure: no Telegram, no DB)
    ingest/     the poll cycle: due sources → news → storage (no Telegram)
    delivery/   what each chat is owed, and the paced, ledgered sender
    handlers/   chat commands and buttons
    telegram/   the PTB Application, its typed context, jobs and message formatting
    ops/        health, metrics, logs, retention, the lead role
    cli/        the `newsbot` command: the composition root
    i18n/       what the bot says, in Indonesian and English

`config` (settings) and `runtime` (the database, HTTP client and pipeline every process opens)
are the two modules the composition root builds everything from.
"""
