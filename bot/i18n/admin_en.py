"""English strings of the admin commands; the keys mirror `admin_id.py`."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "admin.refused": "Sorry, this command is not available to you.",
    "admin.usage.broadcast": (
        "Send /broadcast followed by the text, or reply to any message with /broadcast."
    ),
    "admin.broadcast.preview": "📣 Preview above. It will reach <b>{reach}</b> chats. Send it?",
    "admin.broadcast.confirm": "✅ Send",
    "admin.broadcast.cancel": "✖ Cancel",
    "admin.broadcast.cancelled": "Broadcast #{id} cancelled.",
    "admin.broadcast.gone": "This broadcast is no longer waiting.",
    "admin.broadcast.progress": (
        "📣 Broadcast #{id} running\n"
        "Sent: {sent} · blocked: {blocked} · failed: {failed}\n"
        "Remaining: {remaining} · {rate} msg/s · about {eta} left"
    ),
    "admin.broadcast.report": (
        "📣 Broadcast #{id} {status}\n"
        "Sent: {sent} · blocked: {blocked} · failed: {failed} · cancelled: {cancelled}\n"
        "Time: {elapsed}"
    ),
    "admin.status.done": "finished",
    "admin.status.cancelled": "cancelled",
    "admin.stats": (
        "📊 <b>Statistics</b>\n"
        "Chats: {active} active, {inactive} inactive ({by_type})\n"
        "Berita Pilihan followers: {pilihan}\n"
        "Followers per topic: {topics}\n"
        "Stories today: {stories}\n"
        "Messages today: {sent} sent, {blocked} blocked, {chat_not_found} chat not found, "
        "{migrated} migrated, {deferred} deferred (429), {retried} retried, {failed} failed, "
        "{plain_text} plain text, {cancelled} cancelled, {skipped} skipped\n"
        "Waiting to be sent: {pending}\n"
        "Last delivery error: {last_error}\n"
        "Failing sources: {failing}\n"
        "Shared through inline mode: {shares} today; per day: {shares_by_day}"
    ),
    "admin.none": "none",
    "admin.sources.header": "📰 <b>Sources</b> ({count})",
    "admin.sources.line": "{mark} <b>{name}</b> — {state}",
    "admin.sources.ok": "last success {when}",
    "admin.sources.never": "never polled successfully",
    "admin.sources.failing": "{failures} failures: {error}",
    "admin.sources.paused": "paused: {reason}",
    "admin.source.usage": (
        "Usage: /source add <url> [topic] · /source pause|resume|remove <name>"
    ),
    "admin.source.added": "✅ Source <b>{name}</b> added; it is polled in the next cycle.",
    "admin.source.exists": "A source with that name or address already exists.",
    "admin.source.refused": "That address is not allowed: {reason}.",
    "admin.source.not_found": "No source named <b>{name}</b>.",
    "admin.source.paused": "⏸ Source <b>{name}</b> paused.",
    "admin.source.resumed": "▶ Source <b>{name}</b> resumed.",
    "admin.source.removed": "🗑 Source <b>{name}</b> removed.",
    "admin.pick.usage": "Send /pick with a story's link or number.",
    "admin.pick.not_found": "I cannot find that story.",
    "admin.pick.done": "📌 Pinned into the next Berita Pilihan: <b>{title}</b>",
    "admin.pilihan_now.done": "📬 Berita Pilihan queued for {count} chats.",
    "admin.pilihan_now.unavailable": "The Berita Pilihan picker is not available.",
    "admin.add.usage": "Send /admin add <user id>.",
    "admin.add.done": "✅ User {user_id} is now an admin.",
    "admin.add.already": "User {user_id} is already an admin.",
}
