"""Inline mode and sharing (English)."""

MESSAGES = {
    "inline.follow": "Follow Berita Pilihan",
    "inline.open_bot": "Follow Berita Pilihan in a chat with the bot",
    "inline.no_results": "No matching stories · Open the bot",
    "help.inline": (
        "Share a story in any chat: type <code>@{bot} word</code> in the message field "
        "(no word: today's Berita Pilihan)."
    ),
    "pilihan.latest_day": (
        "<i>No news in the last 24 hours; these are the picks of the last day that had "
        "news.</i>"
    ),
}
