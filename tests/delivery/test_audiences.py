"""Who a broadcast reaches: storage.audiences on both stores, and the typed forms that name it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery import outbox
from bot.delivery.audiences import AudienceError, parse_forms
from storage.audiences import EVERYONE, Audience, reach, targets
from storage.models import Chat, Delivery, Subscription
from tests.delivery.factory import NOW

# (Telegram chat id, thread, type, language, active, follows: [(kind, value)])
PLACES: list[tuple[int, int, str, str, bool, list[tuple[str, str]]]] = [
    (101, 0, "private", "id", True, [("pilihan", "")]),
    (102, 0, "private", "en", True, [("topic", "olahraga"), ("keyword", "banjir bandang")]),
    (103, 0, "private", "id", True, []),  # used /stop: follows nothing
    (104, 0, "private", "id", False, [("pilihan", "")]),  # blocked the bot
    (-2001, 0, "supergroup", "id", True, []),  # added the bot, never subscribed
    (-3001, 0, "supergroup", "id", True, []),  # forum: General never subscribed
    (-3001, 7, "supergroup", "id", True, [("topic", "olahraga")]),  # its topic 7 did
    (-3001, 9, "supergroup", "id", True, []),  # a topic someone typed /help in
    (-4001, 0, "supergroup", "id", True, []),  # a forum none of whose places follows
    (-4001, 5, "supergroup", "id", True, []),
    (-5001, 0, "channel", "id", True, [("topic", "region:jawa-timur")]),
    (-6001, 0, "group", "en", True, [("keyword", "banjir bandang")]),
]


async def seed(session: AsyncSession) -> dict[tuple[int, int], int]:
    """Insert the places above; return their pks by (chat id, thread)."""
    pks: dict[tuple[int, int], int] = {}
    for chat_id, thread, kind, lang, active, follows in PLACES:
        row: dict[str, Any] = {
            "chat_id": chat_id, "thread_id": thread, "type": kind, "language": lang,
            "active": active, "push_enabled": True, "created_at": NOW, "updated_at": NOW,
        }  # fmt: skip
        pk = (await session.execute(insert(Chat).values(row).returning(Chat.id))).scalar_one()
        pks[(chat_id, thread)] = pk
        for sub_kind, value in follows:
            await session.execute(
                insert(Subscription).values(chat_pk=pk, kind=sub_kind, value=value, created_at=NOW)
            )
    return pks


async def reached(session: AsyncSession, audience: Audience) -> set[tuple[int, int]]:
    rows = await session.execute(
        select(Chat.chat_id, Chat.thread_id).where(Chat.id.in_(targets(audience)))
    )
    return {(int(c), int(t)) for c, t in rows}


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        # The default: places that follow something and are active. The forum gets topic 7
        # only; the never-subscribed supergroup, the stopped and the blocked reader nothing.
        (Audience(), {(101, 0), (102, 0), (-3001, 7), (-5001, 0), (-6001, 0)}),
        # Everyone: also the places that follow nothing, one per Telegram chat; a forum that
        # follows in topic 7 still gets nothing in General or topic 9.
        (
            EVERYONE,
            {
                (101, 0),
                (102, 0),
                (103, 0),
                (-2001, 0),
                (-3001, 7),
                (-4001, 0),
                (-5001, 0),
                (-6001, 0),
            },
        ),  # fmt: skip
        (Audience(topic="olahraga"), {(102, 0), (-3001, 7)}),
        (Audience(topic="region:jawa-timur"), {(-5001, 0)}),
        (Audience(keyword="banjir bandang"), {(102, 0), (-6001, 0)}),
        (Audience(language="en"), {(102, 0), (-6001, 0)}),
        (Audience(chat_type="group"), {(-3001, 7), (-6001, 0)}),
        (Audience(chat_type="channel"), {(-5001, 0)}),
        (Audience(everyone=True, chat_type="private"), {(101, 0), (102, 0), (103, 0)}),
        (Audience(topic="olahraga", chat_type="private"), {(102, 0)}),
        (Audience(topic="ekonomi"), set()),
    ],
    ids=lambda v: str(v) if isinstance(v, Audience) else "",
)
async def test_each_audience_reaches_its_places(
    sessions: async_sessionmaker[AsyncSession], audience: Audience, expected: set[Any]
) -> None:
    async with sessions.begin() as s:
        await seed(s)
    async with sessions() as s:
        assert await reached(s, audience) == expected
        assert await reach(s, audience) == len(expected)


@pytest.mark.parametrize(
    "audience",
    [Audience(), EVERYONE, Audience(topic="olahraga"), Audience(keyword="banjir bandang")],
    ids=str,
)
async def test_reach_in_the_preview_is_the_rows_enqueued(
    sessions: async_sessionmaker[AsyncSession], audience: Audience
) -> None:
    async with sessions.begin() as s:
        await seed(s)
        preview = await outbox.count_reach(s, audience)
        draft = await outbox.create_broadcast(s, 1, NOW, text="Halo", audience=audience)
        assert await outbox.start_broadcast(s, draft.id) == preview
    async with sessions.begin() as s:
        # Small pages, so the cursor walks the audience rather than taking it in one go.
        while await outbox.enqueue_broadcast_page(s, draft.id, NOW, limit=2):
            pass
    async with sessions() as s:
        owed = await s.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.broadcast_id == draft.id)
        )
        assert owed == preview
        reached_pks = set((await s.scalars(select(Delivery.chat_pk))).all())
        assert reached_pks == set((await s.scalars(targets(audience))).all())


async def test_an_empty_audience_does_not_start(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await seed(s)
        draft = await outbox.create_broadcast(
            s, 1, NOW, text="Halo", audience=Audience(topic="ekonomi")
        )
        assert await outbox.start_broadcast(s, draft.id) == 0
    async with sessions() as s:
        assert (await s.get_one(type(draft), draft.id)).status == "draft"
        assert await s.scalar(select(func.count()).select_from(Delivery)) == 0


async def test_a_broadcast_from_before_audiences_goes_to_everyone(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        await seed(s)
        draft = await outbox.create_broadcast(s, 1, NOW, text="Halo")
        draft.audience = None  # as 0013_audiences leaves the rows it found
        await s.flush()
        assert await outbox.start_broadcast(s, draft.id) == 8


@pytest.mark.parametrize(
    ("typed", "audience", "rest"),
    [
        ("Halo semua", Audience(), "Halo semua"),
        ("topik:olahraga Halo", Audience(topic="olahraga"), "Halo"),
        ("topic:Sepak-Bola Halo", Audience(topic="sepak-bola"), "Halo"),
        ("wilayah:jawa-timur <b>Halo</b>", Audience(topic="region:jawa-timur"), "<b>Halo</b>"),
        ("wilayah:Jatim Halo", Audience(topic="region:jawa-timur"), "Halo"),
        ("bahasa:en jenis:grup Hi", Audience(language="en", chat_type="group"), "Hi"),
        ("kata:banjir Halo", Audience(keyword="banjir"), "Halo"),
        ("kata:&quot;Banjir  Bandang&quot; Halo", Audience(keyword="banjir bandang"), "Halo"),
        ('kata:"banjir bandang" Halo', Audience(keyword="banjir bandang"), "Halo"),
        ("audiens:semua jenis:pribadi Halo", Audience(everyone=True, chat_type="private"), "Halo"),
        ("Catatan:penting topik:olahraga", Audience(), "Catatan:penting topik:olahraga"),
        ("https://example.id baca", Audience(), "https://example.id baca"),
        ("topik:olahraga", Audience(topic="olahraga"), ""),
    ],
)
def test_typed_forms(typed: str, audience: Audience, rest: str) -> None:
    assert parse_forms(typed) == (audience, rest)


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("topik:xyz Halo", "topic"),
        ("wilayah:atlantis Halo", "region"),
        ("bahasa:fr Halo", "language"),
        ("jenis:forum Halo", "type"),
        ("kata:x Halo", "keyword"),
        ("audiens:sebagian Halo", "base"),
        ("topik:olahraga kata:banjir Halo", "both"),
        ("topik:olahraga wilayah:bali Halo", "both"),
    ],
)
def test_bad_typed_forms(typed: str, kind: str) -> None:
    with pytest.raises(AudienceError) as raised:
        parse_forms(typed)
    assert raised.value.kind == kind
