"""What the bot owes each chat, and how it gets there.

Owns the outbox (digests and broadcasts as ledger rows: `outbox`, `pushes`, `quiet`, Berita
Pilihan's ranking in `pilihan`) and the sender (`sender`, `pacing`, `compose`, `recorder`,
`errors`, `outcomes`, and `transport`: PTB's Bot or the lean path), run as one service
(`service`) with broadcast `progress`. Handlers may use the outbox side, `progress` and
`outcomes`; the sender's internals are its own.
"""
