"""A reader's data through the real Application, both stores: /privasi, /datasaya, /hapusdata."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from storage.models import (
    Broadcast,
    Chat,
    Delivery,
    DigestItem,
    EventLog,
    Story,
    Subscription,
)
from tests.bot.fakeapi import Call
from tests.bot.harness import BotHarness, add_story, make_settings, running_bot
from tests.bot.updates import ADMIN_ID, FORUM_ID, GROUP_ID, USER_ID, chat
from tests.dbs import database_url


@pytest.fixture(params=["sqlite", "postgresql"])
async def bot(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BotHarness]:
    async with database_url(request.param, tmp_path) as url:
        settings = make_settings(tmp_path, database_url=url, admin_ids=str(ADMIN_ID))
        async with running_bot(settings) as harness:
            yield harness


async def reader_with_history(bot: BotHarness) -> dict[str, int]:
    """The test user follows things, has settings, and was sent (and owed) messages."""
    for command in (
        "/subscribe",
        "/subscribe olahraga",
        '/subscribe "banjir bandang"',
        "/settings quiet 22:00-06:00",
    ):
        await bot.say(command)
    old = await add_story(bot.resources, "Kabar lama", topics=("olahraga",))
    new = await add_story(bot.resources, "Kabar baru", topics=("olahraga",))
    now = datetime.now(UTC)
    async with bot.resources.sessions.begin() as s:
        pk = (await s.scalars(select(Chat.id).where(Chat.chat_id == USER_ID))).one()
        running = Broadcast(admin_id=ADMIN_ID, text="x", status="running", created_at=now)
        s.add(running)
        await s.flush()

        def row(kind: str, status: str, **keys: Any) -> dict[str, Any]:
            return {"chat_pk": pk, "kind": kind, "status": status, "priority": 0, "attempts": 1,
                    "not_before": now, "created_at": now, "story_id": None, "broadcast_id": None,
                    "digest_key": None, "story_ids": None, "telegram_message_id": 7,
                    "sent_at": now if status == "sent" else None, **keys}  # fmt: skip

        rows = [
            row("push", "sent", story_id=old),  # history: deleted
            row("push", "pending", story_id=new),  # owed, not sent: deleted
            row("digest", "sent", digest_key="2026-01-01T07:00", story_ids=[old],
                sent_at=now - timedelta(days=3)),  # old history: deleted
            row("digest", "sent", digest_key="today-07:00", story_ids=[new]),  # key kept
            row("broadcast", "sent", broadcast_id=running.id),  # a running broadcast: kept
        ]  # fmt: skip
        await s.execute(insert(Delivery), rows)
        await s.execute(insert(DigestItem).values(chat_pk=pk, day="2026-01-01", story_id=old))
        s.add(
            EventLog(kind="admin_refused", message=f"user {USER_ID} tried stats", created_at=now)
        )
    return {"pk": pk, "old": old, "new": new, "broadcast": running.id}


def document_of(call: Call) -> dict[str, Any]:
    [(name, body)] = call.params["_files"].values()
    assert name.startswith("datasaya-") and name.endswith(".json")
    found: dict[str, Any] = json.loads(body)
    return found


async def export(bot: BotHarness, update: dict[str, Any]) -> list[Call]:
    return [c for c in await bot.answers_to(update) if c.method == "sendDocument"]


def last_edit(calls: list[Call]) -> str:
    return [c for c in calls if c.method == "editMessageText"][-1].text


def alerts(calls: list[Call]) -> list[str]:
    return [str(c.params.get("text", "")) for c in calls if c.method == "answerCallbackQuery"]


def erase_button(prompt: Call) -> str:
    return next(b["callback_data"] for b in prompt.buttons() if b["text"] == "🗑 Ya, hapus")


async def test_privacy_policy_says_what_is_kept_why_and_the_rights(bot: BotHarness) -> None:
    policy = await bot.say("/privasi")
    for words in ("UU No. 27 Tahun 2022", "90 hari", "/datasaya", "/hapusdata",
                  "hanya melihat jumlah", "tidak pernah terkirim dua kali"):  # fmt: skip
        assert words in policy.text, words
    english = await bot.say("/privacy", user_id=777, lang="en")
    assert "UU 27/2022" in english.text and "/deletemydata" in english.text


async def test_mydata_is_a_json_document_of_everything_kept(bot: BotHarness) -> None:
    await reader_with_history(bot)
    [sent] = await export(bot, bot.updates.private("/datasaya"))
    data = document_of(sent)
    assert data["telegram_chat_id"] == USER_ID
    [place] = data["places"]
    assert place["follows"]["berita_pilihan"] is True
    assert place["follows"]["topics"] == ["olahraga"]
    assert place["follows"]["keywords"] == ["banjir bandang"]
    assert place["settings"]["quiet_hours"] == {"from": "22:00", "to": "06:00"}
    messages = data["delivery_history"]["messages"]
    assert messages == {"push": {"sent": 1, "pending": 1}, "digest": {"sent": 2},
                        "broadcast": {"sent": 1}}  # fmt: skip
    assert data["berita_pilihan_stories_given"] == 1
    assert data["as_a_user"]["refused_admin_commands_logged"] == 1
    assert data["as_a_user"]["bot_admin"] is None
    # The alias, in English.
    [again] = await export(bot, bot.updates.private("/mydata"))
    assert document_of(again)["places"][0]["follows"]["topics"] == ["olahraga"]


async def test_deletemydata_deletes_and_keeps_only_the_ledger_keys(bot: BotHarness) -> None:
    seeded = await reader_with_history(bot)
    prompt = await bot.say("/hapusdata")
    assert "Hapus data obrolan ini?" in prompt.text and "Tetap disimpan" in prompt.text
    async with bot.resources.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Subscription)) == 3
    calls = await bot.answers_to(bot.updates.callback(erase_button(prompt)))
    done = last_edit(calls)
    assert "sudah dihapus: 3 langganan, 3 catatan pengiriman, 1 berita Pilihan" in done
    async with bot.resources.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Subscription)) == 0
        assert await s.scalar(select(func.count()).select_from(DigestItem)) == 0
        assert await s.scalar(select(func.count()).select_from(EventLog)) == 0
        me = (await s.scalars(select(Chat).where(Chat.chat_id == USER_ID))).one()
        assert (me.quiet_start, me.quiet_end, me.erased_at is not None) == (None, None, True)
        columns = (Delivery.kind, Delivery.digest_key, Delivery.broadcast_id, Delivery.story_ids)
        kept = (await s.execute(select(*columns, Delivery.telegram_message_id))).all()
        assert sorted(kept, key=str) == sorted(
            [("broadcast", None, seeded["broadcast"], None, None),
             ("digest", "today-07:00", None, None, None)], key=str,
        )  # fmt: skip
        assert await s.get(Story, seeded["old"]) is not None  # stories are nobody's data
    # What /datasaya says now.
    [sent] = await export(bot, bot.updates.private("/datasaya"))
    place = document_of(sent)["places"][0]
    assert place["follows"] == {"berita_pilihan": False, "topics": [], "keywords": [],
                                "since": {}}  # fmt: skip
    assert place["data_deleted_at"] is not None


async def test_a_stale_button_after_deletion_changes_nothing(bot: BotHarness) -> None:
    prompt = await bot.say("/hapusdata")
    first_prompt_button = erase_button(prompt)
    await bot.say("/subscribe")
    await bot.answers_to(bot.updates.callback(first_prompt_button))
    await bot.say("/subscribe olahraga")  # followed again after the deletion
    calls = await bot.answers_to(bot.updates.callback(first_prompt_button))
    assert any("sudah dihapus; tombol ini tidak berlaku lagi" in a for a in alerts(calls))
    async with bot.resources.sessions() as s:
        assert (await s.scalars(select(Subscription.value))).all() == ["olahraga"]
    # A forged or truncated button is told it expired.
    calls = await bot.answers_to(bot.updates.callback("hd|go|abc"))
    assert alerts(calls) == ["Tombol ini sudah kedaluwarsa. Kirim perintahnya sekali lagi."]


async def test_two_confirmations_at_once_delete_once(bot: BotHarness) -> None:
    await reader_with_history(bot)
    first, second = await bot.say("/hapusdata"), await bot.say("/hapusdata")
    before = len(bot.api.calls)
    await asyncio.gather(
        bot.feed(bot.updates.callback(erase_button(first), message_id=81)),
        bot.feed(bot.updates.callback(erase_button(second), message_id=82)),
    )
    calls = bot.api.calls[before:]
    edits = [c.text for c in calls if c.method == "editMessageText"]
    assert sum("✅ Data obrolan ini sudah dihapus" in e for e in edits) == 1
    said = " ".join(alerts(calls) + edits)
    assert "sedang berjalan" in said or "sudah dihapus; tombol ini" in said


async def test_cancel_deletes_nothing(bot: BotHarness) -> None:
    await bot.say("/subscribe")
    prompt = await bot.say("/hapusdata")
    cancel = next(b["callback_data"] for b in prompt.buttons() if b["text"] == "Batal")
    calls = await bot.answers_to(bot.updates.callback(cancel))
    assert last_edit(calls) == "Dibatalkan. Tidak ada yang dihapus."
    async with bot.resources.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Subscription)) == 1


async def test_in_groups_only_admins_export_or_delete(bot: BotHarness) -> None:
    await bot.feed(bot.updates.group("/help"))
    for command in ("/datasaya", "/hapusdata"):
        calls = await bot.answers_to(bot.updates.group(command))
        assert not [c for c in calls if c.method == "sendDocument"]
        assert "Hanya admin grup" in [c for c in calls if c.method == "sendMessage"][-1].text
    bot.api.set_member(GROUP_ID, USER_ID, "administrator")
    [sent] = await export(bot, bot.updates.group("/datasaya"))
    assert document_of(sent)["telegram_chat_id"] == GROUP_ID and "as_a_user" not in document_of(
        sent
    )
    prompt = [c for c in await bot.answers_to(bot.updates.group("/hapusdata"))][-1]
    button = erase_button(prompt)
    # A member who is not an admin taps the admin's prompt: refused, nothing deleted.
    member = 31337
    calls = await bot.answers_to(
        bot.updates.callback(button, chat_data=chat(GROUP_ID, "group"), user_id=member)
    )
    assert any("Hanya admin" in a for a in alerts(calls))
    async with bot.resources.sessions() as s:
        group = (await s.scalars(select(Chat).where(Chat.chat_id == GROUP_ID))).one()
        assert group.erased_at is None
    calls = await bot.answers_to(bot.updates.callback(button, chat_data=chat(GROUP_ID, "group")))
    assert "sudah dihapus" in last_edit(calls)


async def test_a_forum_is_deleted_whole_from_any_topic(bot: BotHarness) -> None:
    bot.api.set_member(FORUM_ID, USER_ID, "administrator")
    await bot.feed(bot.updates.forum("/subscribe olahraga", thread_id=7))
    await bot.feed(bot.updates.forum("/subscribe", thread_id=9))
    [sent] = await export(bot, bot.updates.forum("/datasaya", thread_id=9))
    assert [p["forum_topic"] for p in document_of(sent)["places"]] == [7, 9]
    prompt = [c for c in await bot.answers_to(bot.updates.forum("/hapusdata", thread_id=9))][-1]
    forum = chat(FORUM_ID, "supergroup", is_forum=True)
    await bot.feed(bot.updates.callback(erase_button(prompt), chat_data=forum, thread_id=9))
    async with bot.resources.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Subscription)) == 0


async def test_admins_see_counts_never_a_readers_follows(bot: BotHarness) -> None:
    await bot.say('/subscribe "operasi rahasia"')
    await bot.say("/subscribe olahraga")
    stats = await bot.say("/stats", user_id=ADMIN_ID)
    assert "olahraga 1" in stats.text  # how many follow the topic
    assert "rahasia" not in stats.text and str(USER_ID) not in stats.text
    # An admin's /datasaya is about the admin's own chat, never another reader's.
    [sent] = await export(bot, bot.updates.private("/datasaya", user_id=ADMIN_ID))
    assert "rahasia" not in json.dumps(document_of(sent))
