"""English strings; the keys mirror `messages_id.py`."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # Start, follow prompt, sharing
    "start.welcome": (
        "👋 Hello! I gather news from Indonesia's major outlets, merge the same story told by "
        "several of them, and send it here.\n\n"
        "• /latest — newest stories\n"
        "• /topic — choose topics\n"
        "• /pilihan — today's top stories\n"
        "• /settings — settings\n"
        "• /help — help"
    ),
    "follow.prompt": "Get Berita Pilihan on your Telegram",
    "follow.link": '👉 <a href="{link}">{prompt}</a>',
    "button.follow": "Follow",
    "button.share": "📣 Share with friends",
    "share.text": "Top stories from Indonesian media, right in Telegram",
    "button.share_topic": "📣 Share {topic}",
    "share.topic_text": "{topic} news from Indonesian media, right in Telegram",
    "group.welcome": (
        "👋 Thanks for adding me. Group admins can send /subscribe for the daily Berita Pilihan "
        "or /topic to choose topics."
    ),
    # Subscriptions
    "followed.pilihan": "✅ You follow Berita Pilihan, sent every day at {times}.",
    "already.pilihan": "You already follow Berita Pilihan (at {times}).",
    "followed.topic": "✅ <b>{topic}</b> stories will be sent as soon as they are out.",
    "already.topic": "You already follow <b>{topic}</b>.",
    "followed.keyword": "✅ Stories mentioning «{keyword}» will be sent as soon as they are out.",
    "already.keyword": "You already follow the keyword «{keyword}».",
    "unfollowed.pilihan": "You no longer follow Berita Pilihan.",
    "unfollowed.topic": "You no longer follow <b>{topic}</b>.",
    "unfollowed.keyword": "You no longer follow the keyword «{keyword}».",
    "not_following": "You do not follow {what}.",
    "stopped": "🔕 Every subscription stopped. Send /subscribe to follow again.",
    "stop.nothing": "You do not follow anything yet. Send /subscribe to start.",
    "subs.none": "nothing yet",
    "what.pilihan": "Berita Pilihan",
    # Problems, always with a way forward
    "unknown.topic": "There is no topic «{name}». Topics: {topics}.",
    "unknown.command": "I do not know {command}. Send /help for the list of commands.",
    "error.too_many": "Too many arguments. Example: {example}",
    "example.start": "/start",
    "example.stop": "/stop",
    "example.pilihan": "/pilihan",
    "example.subscribe": "/subscribe sports",
    "example.unsubscribe": "/unsubscribe sports",
    "example.latest": "/latest 5 sports",
    "error.range": "The number of stories must be between 1 and {max}. Example: /latest 5",
    "error.keyword": ('A keyword is 2–{max} characters in quotes, e.g. /subscribe "Wang Yi".'),
    "error.admin_only": "Only this group's admins can change its subscriptions and settings.",
    "error.admin_only_channel": (
        "Only this channel's admins can change its subscriptions and settings."
    ),
    "error.busy": "Sorry, the service is busy right now. Please try again in a few moments.",
    "error.generic": "Sorry, something went wrong. Please try again in a moment.",
    "hint.text": "I read commands, such as /latest or /topic sports. Send /help for all of them.",
    "error.expired": "This button has expired. Send the command again.",
    # Search
    "search.usage": (
        "🔎 Send /search with what you are looking for, e.g. <code>/search banjir</code>, "
        '<code>/search "wang yi"</code> (words in a row) or <code>/search banjir -jakarta</code> '
        "(without Jakarta). In a private chat, just type the words."
    ),
    "search.heading": "🔎 <b>Search results for «{query}»</b>",
    "search.none": "No stories match «{query}».",
    "search.none_excluded": "Try without the excluded words (-word).",
    "search.end": "No more results.",
    "search.try_topic": "Try /latest {topic} for that topic's latest stories.",
    "search.try_topics": "Try other words, or browse by topic: /topic (e.g. /latest economy).",
    "search.empty": (
        "There is nothing to search for in that. Send a word or a name, e.g. "
        "<code>/search banjir</code>."
    ),
    "search.only_excluded": (
        "Say what to look for too, not only what to leave out: "
        "<code>/search banjir -jakarta</code>."
    ),
    "search.too_long": "That search is too long: at most {max_chars} characters.",
    "search.too_many": "Too many words: at most {max_terms} words or phrases.",
    "button.previous": "‹ Previous",
    "button.next": "Next ›",
    "button.follow_keyword": "🔔 Follow this keyword",
    # Reading
    "latest.heading": "<b>Latest stories</b>",
    "latest.heading_topic": "<b>Latest stories · {topic}</b>",
    "latest.empty": "No stories yet. Try again in a moment.",
    "latest.end": "No more stories.",
    "button.more": "More ›",
    "button.checked": "✅ {label}",
    "topic.heading": "Choose topics for instant news. Tap once to follow, again to stop.",
    "button.follow_topic": "🔔 Follow {topic}",
    "button.unfollow_topic": "🔕 Unfollow {topic}",
    "pilihan.heading": "<b>Berita Pilihan</b> · {date}",
    "pilihan.empty": "No Berita Pilihan yet today. Try again later.",
    "story.read_more": "Read more",
    "story.more_outlets": "+{count} outlets",
    "months": "Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec",
    # Settings
    "settings.heading": (
        "<b>Settings</b>\n"
        "Instant news: {push}\n"
        "Berita Pilihan: {times}\n"
        "Quiet hours: {quiet}\n"
        "Language: {language}\n"
        "Time zone: {tz}"
    ),
    "state.on": "on",
    "state.off": "off",
    "quiet.none": "none",
    "button.push": "🔔 Instant news: {state}",
    "button.times": "🗞 Pilihan: {times}",
    "button.quiet": "🌙 Quiet hours: {quiet}",
    "button.language": "🌐 Bahasa Indonesia",
    "settings.saved": "Saved.",
    # Typed settings; {command} is "/settings" or "/channel @name"
    "settings.usage": (
        "{command} times 07:00,19:00 · {command} quiet 22:00-06:00 · {command} tz WITA · "
        "{command} language id"
    ),
    "settings.unknown": "There is no setting «{word}». Examples: {usage}",
    "settings.missing": "Write the value too. Examples: {usage}",
    "settings.too_many": "Too many arguments for «{word}». Examples: {usage}",
    "settings.bad_time": (
        "«{value}» is not a time like 07:00. Example: {command} times 07:00,19:00"
    ),
    "settings.too_many_times": (
        "At most {max} Berita Pilihan times. Example: {command} times 07:00,19:00"
    ),
    "settings.bad_quiet": (
        "«{value}» is not a quiet-hours span like 22:00-06:00. Example: {command} quiet "
        "22:00-06:00 or {command} quiet off"
    ),
    "settings.bad_zone": "There is no time zone «{value}». Choose {zones}, e.g. {command} tz WITA",
    "settings.bad_language": (
        "There is no language «{value}». Choose id (Indonesian) or en (English), e.g. "
        "{command} language id"
    ),
    "language.id": "Indonesian",
    "language.en": "English",
    # Channels
    "channel.usage": (
        "For a channel: make me an admin of your channel, then send here\n"
        "/channel @channelname — follow Berita Pilihan in the channel\n"
        "/channel @channelname &lt;topic&gt; — follow/unfollow a topic\n"
        "/channel @channelname times 07:00,19:00 — Berita Pilihan times\n"
        "/channel @channelname tz WITA — time zone (WIB, WITA, WIT)\n"
        "/channel @channelname language id — the channel's language (id, en)\n"
        "/channel @channelname settings — show the channel's settings\n"
        "/channel @channelname stop — stop everything"
    ),
    "channel.settings": "📢 Channel {name}\n\n{settings}",
    "channel.connected": "📢 Channel {name} connected. It follows: {items}.",
    "channel.stopped": "🔕 Every subscription of channel {name} stopped.",
    "channel.not_found": "I cannot find channel {name}. Make sure I am an admin there.",
    "channel.not_admin": "Both you and I must be admins of channel {name}.",
    "channel.added": (
        "📢 I am now an admin of channel {name}. Send /channel {handle} here to choose its news."
    ),
    # Help and the command menu
    "help.text": (
        "<b>Commands</b>\n"
        "/start — start and follow Berita Pilihan\n"
        "/subscribe — follow Berita Pilihan\n"
        "/subscribe &lt;topic&gt; — instant news on a topic\n"
        '/subscribe "keyword" — instant news mentioning a keyword '
        "(<code>/subscribe banjir -jakarta</code> leaves Jakarta out)\n"
        "/unsubscribe [topic] — stop following\n"
        "/stop — stop every subscription\n"
        "/latest [count] [topic] — newest stories (at most 20)\n"
        "/search &lt;words&gt; — search the stories (in a private chat, just type)\n"
        "/topic — choose topics; /topic &lt;name&gt; — one topic's stories\n"
        "/pilihan — today's Berita Pilihan\n"
        "/settings — instant news, Pilihan times, quiet hours, language, time zone\n"
        "/channel — send news to your channel\n"
        "/privacy — privacy policy; /mydata — your data; /deletemydata — delete your data\n"
        "/help — this help\n\n"
        "In groups only admins change subscriptions. Topics: {topics}."
    ),
    "cmd.start": "Start and follow Berita Pilihan",
    "cmd.latest": "Newest stories",
    "cmd.cari": "Search the stories",
    "cmd.pilihan": "Today's Berita Pilihan",
    "cmd.topic": "Choose topics",
    "cmd.subscribe": "Follow Berita Pilihan or a topic",
    "cmd.unsubscribe": "Stop following",
    "cmd.settings": "Settings",
    "cmd.stop": "Stop every subscription",
    "cmd.help": "Help",
}
