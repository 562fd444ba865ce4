"""The Mini App: one page of our own inside Telegram (`/app`) and the JSON it reads (`/api`).

`initdata` checks Telegram's signed launch data; `auth` turns a request into a reader (or an
admin, or nobody: read-only); `reading` serves stories to anyone (built once and `shared` for
seconds), `views` shapes them as JSON; `reader` reads and writes a reader's own settings,
`admin` gives admins aggregates; `static` serves the page, scripts and styles shipped in
`static/`; `deps` is what the composition root hands over; `server` puts them together behind
one Content-Security-Policy.

May import `storage`, `bot.config`, `bot.i18n`, `bot.news.topics`, the message formatting of
`bot.telegram` and the settings parser of `bot.handlers`; never the sender's internals, the
ingest pipeline or `bot.cli`. Only the composition root (`bot.cli`) imports this package.
"""
