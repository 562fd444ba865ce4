"""English strings of a reader's data: the privacy policy, /mydata and /deletemydata."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "privacy.policy": (
        "🔒 <b>Privacy policy</b> (Indonesia's Personal Data Protection law, UU 27/2022)\n\n"
        "<b>What is kept</b> for each chat (and each forum topic): its Telegram chat id, its "
        "type, a group's or channel's title and username, language, time zone, quiet hours, "
        "Berita Pilihan times, what it follows (Berita Pilihan, topics, regions, keywords) and "
        "its delivery history (which message was sent when), and the tastes behind a personal "
        "Berita Pilihan: weights per topic, region, outlet and word learned from the 👍/👎 "
        "buttons, stories read in the Mini App and stories shared through inline mode (they "
        "fade by half every 14 days; ↺ resets them). For a channel: who connected it.\n"
        "<b>What for</b>: only to send the news you asked for, once, at the times you chose. "
        "No ads, no trackers, no selling of data.\n"
        "<b>How long</b>: delivery and Berita Pilihan history is deleted automatically after "
        "{days} days (0 = never automatically); settings and follows until you delete them.\n"
        "<b>Who sees it</b>: the bot's admins see counts only (how many chats, followers per "
        "topic), never what one chat follows.\n\n"
        "<b>Your rights</b>\n"
        "/mydata — everything kept about this chat, as a JSON file\n"
        "/deletemydata — delete this chat's follows, settings and delivery history\n"
        "/stop — stop following everything\n"
        "In groups and channels only admins may export or delete the chat's data.\n\n"
        "<b>What stays after /deletemydata</b>: the Telegram chat id with default settings "
        "(so the bot can still answer you), and the keys of messages Telegram already "
        "accepted from broadcasts still running and from the last 24 hours' Berita Pilihan "
        "(the kind of message and its number, no content), so the same message is never sent "
        "twice. Those keys are deleted automatically after {days} days too."
    ),
    "privacy.export.caption": (
        "📄 Everything the bot keeps about this chat. Delete it with /deletemydata."
    ),
    "privacy.erase.ask": (
        "🗑 <b>Delete this chat's data?</b>\n"
        "Deleted: every follow (Berita Pilihan, topics, regions, keywords), the settings "
        "(language, time zone, quiet hours, Pilihan times), the chat's name, its delivery "
        "history and the tastes learned from your 👍/👎, reads and shares.\n"
        "Kept: the Telegram chat id and the keys of messages just sent, so nothing is sent "
        "twice (see /privacy).\n"
        "After this the bot sends no news until you follow something again."
    ),
    "privacy.erase.yes": "🗑 Yes, delete",
    "privacy.erase.no": "Cancel",
    "privacy.erase.kept": "Cancelled. Nothing was deleted.",
    "privacy.erase.running": "The deletion is running. One moment.",
    "privacy.erase.already": (
        "This chat's data was already deleted; this button no longer works. Send "
        "/deletemydata to delete what was kept since."
    ),
    "privacy.erase.done": (
        "✅ This chat's data is deleted: {follows} follows, {deliveries} delivery records, "
        "{digest_items} Pilihan stories, {learned} taste records. Only the keys of {kept} "
        "messages are kept so they are never sent twice (see /privacy)."
    ),
    "example.datasaya": "/mydata",
    "example.hapusdata": "/deletemydata",
    "cmd.privasi": "Privacy and your data",
}
