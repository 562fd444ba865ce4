"""Groups, supergroups, forum topics and channels: who may change what, and where answers go."""

from __future__ import annotations

from storage import chats
from storage.models import Chat
from tests.bot.fakeapi import BOT_ID, BOT_USERNAME, blocked
from tests.bot.harness import BotHarness, add_story
from tests.bot.updates import (
    ADMIN_ID,
    CHANNEL_ID,
    FORUM_ID,
    GROUP_ID,
    SUPERGROUP_ID,
    USER_ID,
    chat,
)


async def subs(bot: BotHarness, chat_id: int, thread_id: int = 0) -> list[tuple[str, str]]:
    async with bot.resources.sessions() as s:
        row = await chats.get_chat(s, chat_id, thread_id)
        return [] if row is None else await chats.subscriptions_of(s, row.id)


async def row_of(bot: BotHarness, chat_id: int, thread_id: int = 0) -> Chat:
    async with bot.resources.sessions() as s:
        row = await chats.get_chat(s, chat_id, thread_id)
    assert row is not None
    return row


async def test_group_admins_change_subscriptions_members_do_not(bot: BotHarness) -> None:
    bot.api.set_member(GROUP_ID, ADMIN_ID, "administrator")
    calls = await bot.answers_to(bot.updates.group(f"/subscribe@{BOT_USERNAME} olahraga"))
    assert "Hanya admin grup" in calls[-1].text
    assert calls[-1].chat_id == GROUP_ID
    assert await subs(bot, GROUP_ID) == []
    member_check = bot.api.of("getChatMember")[-1].params
    assert (member_check["chat_id"], member_check["user_id"]) == (GROUP_ID, USER_ID)

    calls = await bot.answers_to(bot.updates.group("/subscribe olahraga", user_id=ADMIN_ID))
    assert "Olahraga" in calls[-1].text
    await bot.feed(bot.updates.group("/subscribe", user_id=ADMIN_ID))
    assert await subs(bot, GROUP_ID) == [("pilihan", ""), ("topic", "olahraga")]
    # Everyone may read.
    calls = await bot.answers_to(bot.updates.group(f"/latest@{BOT_USERNAME}"))
    assert "Belum ada berita" in calls[-1].text
    calls = await bot.answers_to(bot.updates.group("/stop"))
    assert "Hanya admin grup" in calls[-1].text
    bot.api.set_member(GROUP_ID, USER_ID, "creator")
    calls = await bot.answers_to(bot.updates.group("/stop"))
    assert "Semua langganan dihentikan" in calls[-1].text


async def test_group_ignores_commands_for_other_bots(bot: BotHarness) -> None:
    assert await bot.answers_to(bot.updates.group("/latest@another_bot")) == []
    assert await bot.answers_to(bot.updates.group("/whatever")) == []
    calls = await bot.answers_to(bot.updates.group(f"/whatever@{BOT_USERNAME}"))
    assert "tidak dikenal" in calls[-1].text


async def test_supergroup_in_english(bot: BotHarness) -> None:
    bot.api.set_member(SUPERGROUP_ID, ADMIN_ID, "administrator")
    calls = await bot.answers_to(
        bot.updates.supergroup("/subscribe technology", user_id=ADMIN_ID, lang="en")
    )
    assert "<b>Technology</b> stories" in calls[-1].text
    calls = await bot.answers_to(bot.updates.supergroup("/help", lang="id"))
    assert "Commands" in calls[-1].text  # the group chose English when it was first seen
    assert (await row_of(bot, SUPERGROUP_ID)).type == "supergroup"


async def test_forum_topics_have_their_own_subscriptions(bot: BotHarness) -> None:
    bot.api.set_member(FORUM_ID, ADMIN_ID, "administrator")
    await bot.feed(bot.updates.forum("/subscribe olahraga", thread_id=11, user_id=ADMIN_ID))
    await bot.feed(bot.updates.forum("/subscribe politik", thread_id=12, user_id=ADMIN_ID))
    reply = bot.api.last(FORUM_ID)
    assert reply.params["message_thread_id"] == 12  # answered inside the topic
    assert await subs(bot, FORUM_ID, 11) == [("topic", "olahraga")]
    assert await subs(bot, FORUM_ID, 12) == [("topic", "politik")]
    assert await subs(bot, FORUM_ID, 0) == []


async def test_channel_post_commands_configure_the_channel(bot: BotHarness) -> None:
    calls = await bot.answers_to(bot.updates.channel_post("/subscribe ekonomi"))
    assert calls[-1].chat_id == CHANNEL_ID and "Ekonomi" in calls[-1].text
    await bot.answers_to(bot.updates.channel_post(f"/latest@{BOT_USERNAME} 3"))
    assert "Belum ada berita" in bot.api.last(CHANNEL_ID).text
    assert await bot.answers_to(bot.updates.channel_post("/subscribe@other_bot hukum")) == []
    assert await subs(bot, CHANNEL_ID) == [("topic", "ekonomi")]
    assert (await row_of(bot, CHANNEL_ID)).type == "channel"


async def test_channel_buttons_need_a_channel_admin(bot: BotHarness) -> None:
    channel = chat(CHANNEL_ID, "channel", username="kanalberita")
    await bot.feed(bot.updates.channel_post("/subscribe"))  # an admin sets the channel up
    before = await row_of(bot, CHANNEL_ID)
    bot.api.clear()
    # A viewer taps every kind of button under the bot's posts (sent as the channel itself).
    taps = (
        "t|hukum",
        "tf|hukum",
        "s|push",
        "s|lang",
        "s|tz|WIT",
        "f|pilihan",
        "q|5|banjir",
        "k|banjir",
    )
    for data in taps:
        update = bot.updates.callback(data, chat_data=channel, user_id=USER_ID)
        assert update["callback_query"]["message"]["sender_chat"]["id"] == CHANNEL_ID
        calls = await bot.answers_to(update)
        checked = [c.params for c in calls if c.method == "getChatMember"]
        assert [(p["chat_id"], p["user_id"]) for p in checked] == [(CHANNEL_ID, USER_ID)]
        (answer,) = [c for c in calls if c.method == "answerCallbackQuery"]
        assert answer.params["show_alert"] is True
        assert answer.params["text"].startswith("Hanya admin kanal ini"), data
        assert [c.method for c in calls] == ["getChatMember", "answerCallbackQuery"], data
    after = await row_of(bot, CHANNEL_ID)
    assert await subs(bot, CHANNEL_ID) == [("pilihan", "")]
    assert (after.push_enabled, after.language, after.timezone) == (
        before.push_enabled,
        before.language,
        before.timezone,
    )
    bot.api.set_member(CHANNEL_ID, ADMIN_ID, "administrator")
    await bot.feed(bot.updates.callback("t|hukum", chat_data=channel, user_id=ADMIN_ID))
    assert await subs(bot, CHANNEL_ID) == [("pilihan", ""), ("topic", "hukum")]
    bot.api.set_member(CHANNEL_ID, USER_ID, "creator")
    await bot.feed(bot.updates.callback("s|push", chat_data=channel, user_id=USER_ID))
    assert not (await row_of(bot, CHANNEL_ID)).push_enabled


async def test_channel_more_button_posts_only_for_admins(bot: BotHarness) -> None:
    for n in range(3):
        await add_story(bot.resources, f"Berita {n}")
    await bot.feed(bot.updates.channel_post("/latest 1"))
    (more,) = bot.api.last(CHANNEL_ID).buttons()
    channel = chat(CHANNEL_ID, "channel", username="kanalberita")
    calls = await bot.answers_to(bot.updates.callback(more["callback_data"], chat_data=channel))
    assert not [c for c in calls if c.method in ("sendMessage", "editMessageReplyMarkup")]
    assert bot.api.of("answerCallbackQuery")[-1].params["show_alert"] is True
    bot.api.set_member(CHANNEL_ID, ADMIN_ID, "administrator")
    await bot.feed(
        bot.updates.callback(more["callback_data"], chat_data=channel, user_id=ADMIN_ID)
    )
    assert "2. " in bot.api.last(CHANNEL_ID).text


async def test_group_anonymous_admin_may_change_a_linked_channel_may_not(
    bot: BotHarness,
) -> None:
    group = chat(SUPERGROUP_ID, "supergroup")
    calls = await bot.answers_to(bot.updates.supergroup("/subscribe hukum", sender_chat=group))
    assert "Hukum" in calls[-1].text and not bot.api.of("getChatMember")
    linked = chat(CHANNEL_ID, "channel", username="kanalberita")
    calls = await bot.answers_to(bot.updates.supergroup("/subscribe politik", sender_chat=linked))
    assert "Hanya admin grup" in calls[-1].text
    assert await subs(bot, SUPERGROUP_ID) == [("topic", "hukum")]
    # A tap is judged by the user who tapped, whatever the message's sender was.
    calls = await bot.answers_to(bot.updates.callback("s|push", chat_data=group))
    assert bot.api.of("answerCallbackQuery")[-1].params["show_alert"] is True
    assert (await row_of(bot, SUPERGROUP_ID)).push_enabled


async def test_channel_set_up_from_a_private_chat(bot: BotHarness) -> None:
    bot.api.chat_types[CHANNEL_ID] = "channel"
    assert "/channel @namakanal" in (await bot.say("/channel")).text
    answer = await bot.say("/channel @kanalberita")
    assert "Anda dan saya harus sama-sama admin" in answer.text  # the user is a mere member
    bot.api.set_member(CHANNEL_ID, USER_ID, "creator")
    answer = await bot.say("/channel @kanalberita")
    assert "Kanal @kanalberita terhubung" in answer.text and "Berita Pilihan" in answer.text
    answer = await bot.say("/channel @kanalberita sepak bola")
    assert "Sepak Bola" in answer.text
    assert await subs(bot, CHANNEL_ID) == [("pilihan", ""), ("topic", "sepak-bola")]
    assert (await row_of(bot, CHANNEL_ID)).managed_by == USER_ID
    assert "tidak ada" in (await bot.say("/channel @kanalberita bulan")).text
    assert "dihentikan" in (await bot.say("/channel @kanalberita stop")).text
    assert await subs(bot, CHANNEL_ID) == []
    bot.api.chat_types.clear()
    assert "tidak menemukan kanal" in (await bot.say("/channel @hilang")).text


async def test_channel_settings_from_a_private_chat(bot: BotHarness) -> None:
    bot.api.chat_types[CHANNEL_ID] = "channel"
    bot.api.set_member(CHANNEL_ID, USER_ID, "creator")
    answer = await bot.say("/channel @kanalberita zona WITA")
    assert "Kanal @kanalberita" in answer.text and "Zona waktu: WITA" in answer.text
    answer = await bot.say("/channel @kanalberita pilihan 18:00, 06:00")
    assert "Berita Pilihan: 06:00, 18:00" in answer.text
    answer = await bot.say("/channel @kanalberita bahasa en")
    assert "Bahasa: Inggris" in answer.text  # told in the admin's language
    answer = await bot.say("/channel @kanalberita zona PST")
    assert "Zona waktu «PST» tidak dikenal" in answer.text
    assert "/channel @kanalberita zona WITA" in answer.text
    answer = await bot.say("/channel @kanalberita pilihan 99:00")
    assert "«99:00» bukan jam" in answer.text
    row = await row_of(bot, CHANNEL_ID)
    assert (row.timezone, row.pilihan_times, row.language) == (
        "Asia/Makassar",
        ["06:00", "18:00"],
        "en",
    )
    assert await subs(bot, CHANNEL_ID) == []  # settings alone follow nothing
    answer = await bot.say("/channel @kanalberita pengaturan")
    assert "Pengaturan" in answer.text and "Berita Pilihan: 06:00, 18:00" in answer.text
    answer = await bot.say("/channel @kanalberita pilihan")
    assert "terhubung" in answer.text and await subs(bot, CHANNEL_ID) == [("pilihan", "")]
    # The channel now speaks English, in its posts and on its schedule.
    calls = await bot.answers_to(bot.updates.channel_post("/settings"))
    assert "Time zone: WITA" in calls[-1].text and "Language: English" in calls[-1].text


async def test_channel_settings_in_english_and_only_for_its_admins(bot: BotHarness) -> None:
    bot.api.chat_types[CHANNEL_ID] = "channel"
    answer = await bot.say("/channel @kanalberita tz WIT", lang="en")
    assert "Both you and I must be admins" in answer.text
    bot.api.set_member(CHANNEL_ID, USER_ID, "administrator")
    answer = await bot.say("/channel @kanalberita tz WIT", lang="en")
    assert "Channel @kanalberita" in answer.text and "Time zone: WIT" in answer.text
    answer = await bot.say("/channel @kanalberita language klingon", lang="en")
    assert "There is no language «klingon»" in answer.text
    assert "/channel @kanalberita language id" in answer.text
    assert "/channel @channelname tz WITA" in (await bot.say("/channel", lang="en")).text
    row = await row_of(bot, CHANNEL_ID)
    assert (row.timezone, row.language) == ("Asia/Jayapura", "en")


async def test_bot_added_removed_blocked_unblocked(bot: BotHarness) -> None:
    group = chat(GROUP_ID, "group")
    calls = await bot.answers_to(bot.updates.my_chat_member(group, old="left", new="member"))
    assert [c.method for c in calls] == ["sendMessage"] and "Terima kasih" in calls[0].text
    assert (await row_of(bot, GROUP_ID)).active
    await bot.feed(bot.updates.my_chat_member(group, old="member", new="left"))
    row = await row_of(bot, GROUP_ID)
    assert not row.active and row.inactive_reason == "removed"
    await bot.feed(bot.updates.my_chat_member(group, old="left", new="administrator"))
    assert (await row_of(bot, GROUP_ID)).active

    private = chat(USER_ID, "private")
    await bot.say("/subscribe")
    await bot.feed(bot.updates.my_chat_member(private, old="member", new="kicked"))
    row = await row_of(bot, USER_ID)
    assert not row.active and row.inactive_reason == "blocked"
    assert await subs(bot, USER_ID) == [("pilihan", "")]  # history kept
    await bot.feed(bot.updates.my_chat_member(private, old="kicked", new="member"))
    assert (await row_of(bot, USER_ID)).active


async def test_bot_made_channel_admin_tells_the_admin(bot: BotHarness) -> None:
    channel = chat(CHANNEL_ID, "channel", username="kanalberita")
    calls = await bot.answers_to(
        bot.updates.my_chat_member(channel, old="left", new="administrator", by=ADMIN_ID)
    )
    assert calls[-1].chat_id == ADMIN_ID and "/channel @kanalberita" in calls[-1].text
    assert (await row_of(bot, CHANNEL_ID)).managed_by == ADMIN_ID
    # An admin who never opened the bot cannot be told; that is not an error.
    bot.api.fail(blocked(), chat_id=ADMIN_ID)
    await bot.feed(
        bot.updates.my_chat_member(channel, old="left", new="administrator", by=ADMIN_ID)
    )
    assert (await row_of(bot, CHANNEL_ID)).active


async def test_group_becoming_a_supergroup_keeps_its_subscriptions(bot: BotHarness) -> None:
    bot.api.set_member(GROUP_ID, ADMIN_ID, "administrator")
    await bot.feed(bot.updates.group("/subscribe olahraga", user_id=ADMIN_ID))
    await bot.feed(bot.updates.group("/subscribe", user_id=ADMIN_ID))
    before = await row_of(bot, GROUP_ID)
    await bot.feed(bot.updates.migrated(GROUP_ID, SUPERGROUP_ID))
    after = await row_of(bot, SUPERGROUP_ID)
    assert after.id == before.id and after.type == "supergroup"
    assert await subs(bot, SUPERGROUP_ID) == [("pilihan", ""), ("topic", "olahraga")]
    async with bot.resources.sessions() as s:
        assert await chats.get_chat(s, GROUP_ID) is None


async def _configured_group(bot: BotHarness) -> Chat:
    bot.api.set_member(GROUP_ID, ADMIN_ID, "administrator")
    for command in (
        "/subscribe",
        "/settings bahasa en",
        "/settings zona WIT",
        "/settings pilihan 06:00",
        "/settings tenang 22:00-06:00",
    ):
        await bot.feed(bot.updates.group(command, user_id=ADMIN_ID))
    await bot.feed(
        bot.updates.callback("s|push", chat_data=chat(GROUP_ID, "group"), user_id=ADMIN_ID)
    )
    return await row_of(bot, GROUP_ID)


def _chosen(row: Chat) -> tuple[object, ...]:
    return (
        row.language,
        row.timezone,
        row.pilihan_times,
        row.quiet_start,
        row.quiet_end,
        row.push_enabled,
    )


async def test_migration_keeps_settings_whichever_notice_comes_first(bot: BotHarness) -> None:
    before = await _configured_group(bot)
    assert _chosen(before) == ("en", "Asia/Jayapura", ["06:00"], 22 * 60, 6 * 60, False)
    await bot.feed(bot.updates.migrated_from(SUPERGROUP_ID, GROUP_ID))
    await bot.feed(bot.updates.migrated(GROUP_ID, SUPERGROUP_ID))
    after = await row_of(bot, SUPERGROUP_ID)
    assert after.id == before.id and _chosen(after) == _chosen(before)
    assert await subs(bot, SUPERGROUP_ID) == [("pilihan", "")]


async def test_migration_after_the_supergroup_spoke_first(bot: BotHarness) -> None:
    before = await _configured_group(bot)
    # A member reads in the new supergroup before either notice arrives: a default row.
    calls = await bot.answers_to(bot.updates.supergroup(f"/latest@{BOT_USERNAME}", lang="id"))
    assert "Belum ada berita" in calls[-1].text
    await bot.feed(bot.updates.migrated(GROUP_ID, SUPERGROUP_ID))
    await bot.feed(bot.updates.migrated_from(SUPERGROUP_ID, GROUP_ID))
    after = await row_of(bot, SUPERGROUP_ID)
    assert _chosen(after) == _chosen(before)
    assert await subs(bot, SUPERGROUP_ID) == [("pilihan", "")]
    calls = await bot.answers_to(bot.updates.supergroup(f"/latest@{BOT_USERNAME}", lang="id"))
    assert "No stories yet" in calls[-1].text  # the group's English, not the member's
    async with bot.resources.sessions() as s:
        assert await chats.get_chat(s, GROUP_ID) is None


async def test_story_commands_in_a_forum_topic_answer_in_it(bot: BotHarness) -> None:
    await add_story(bot.resources, "Banjir di Jakarta", topics=("nasional", "region:dki-jakarta"))
    await bot.feed(bot.updates.forum("/latest 1 jakarta", thread_id=5))
    answer = bot.api.last(FORUM_ID)
    assert answer.params["message_thread_id"] == 5 and "Banjir di Jakarta" in answer.text
    assert BOT_ID  # the bot's own id is what getChatMember checks for channel rights
