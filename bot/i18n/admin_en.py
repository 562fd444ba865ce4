"""English strings of the admin commands; the keys mirror `admin_id.py`."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "admin.refused": "Sorry, this command is not available to you.",
    "admin.usage.broadcast": (
        "Send /broadcast followed by the text, or reply to any message with /broadcast.\n"
        "Audience (optional, before the text): topic:sport, region:jawa-timur, language:en, "
        'keyword:flood or keyword:"flash flood", type:private|group|channel, audience:all. '
        "Without one, it goes to every follower."
    ),
    "admin.broadcast.preview": (
        "📣 Preview above.\nAudience: {audience}\nIt will reach <b>{reach}</b> chats. Send it?"
    ),
    "admin.broadcast.preview_empty": (
        "📣 Preview above.\nAudience: {audience}\n"
        "⚠️ This audience is empty: no chat would get it. Choose another audience."
    ),
    "admin.broadcast.empty": "No chat is in this audience ({audience}), so nothing was sent.",
    "admin.broadcast.empty_alert": "This audience is empty: nothing was sent.",
    "admin.audience.followers": "every follower (Berita Pilihan, a topic, a region or a keyword)",
    "admin.audience.everyone": "every chat the bot is in",
    "admin.audience.topic": "followers of the topic {name}",
    "admin.audience.region": "followers of the region {name}",
    "admin.audience.keyword": "followers of the keyword “{keyword}”",
    "admin.audience.type.private": ", private chats only",
    "admin.audience.type.group": ", groups only",
    "admin.audience.type.channel": ", channels only",
    "admin.audience.lang.id": ", in Indonesian",
    "admin.audience.lang.en": ", in English",
    "admin.audience.bad.topic": "Unknown topic “{typed}”. The topics: {topics}.",
    "admin.audience.bad.region": (
        "Unknown region “{typed}”. Write a province's name, e.g. region:jawa-timur."
    ),
    "admin.audience.bad.language": "Unknown language “{typed}”: use language:id or language:en.",
    "admin.audience.bad.keyword": "A keyword has 2 to {max} letters.",
    "admin.audience.bad.type": (
        "Unknown chat type “{typed}”: use type:private, type:group or type:channel."
    ),
    "admin.audience.bad.base": "Unknown “{typed}”: use audience:all or audience:followers.",
    "admin.audience.bad.both": "One broadcast is for one topic, one region or one keyword.",
    "admin.audience.btn.followers": "👥 Followers",
    "admin.audience.btn.everyone": "🌐 Every chat",
    "admin.audience.btn.private": "Private",
    "admin.audience.btn.group": "Groups",
    "admin.audience.btn.channel": "Channels",
    "admin.audience.btn.lang.id": "Indonesian",
    "admin.audience.btn.lang.en": "English",
    "admin.audience.btn.topics": "🏷 Topics…",
    "admin.audience.btn.regions": "📍 Regions…",
    "admin.audience.btn.back": "« Back",
    "admin.audience.checked": "✓ {label}",
    "admin.stats.broadcasts": "Running broadcasts: {lines}",
    "admin.stats.broadcast": "#{id} to {audience}: {total} chats, {remaining} left",
    "admin.broadcast.confirm": "✅ Send",
    "admin.broadcast.cancel": "✖ Cancel",
    "admin.broadcast.cancelled": "Broadcast #{id} cancelled.",
    "admin.broadcast.gone": "This broadcast is no longer waiting.",
    "admin.broadcast.progress": (
        "📣 Broadcast #{id} running, to {audience}: {total} chats\n"
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
        "Shared through inline mode: {shares} today; per day: {shares_by_day}{broadcasts}"
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
