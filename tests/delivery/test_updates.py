"""A story already pushed gains an outlet with new facts: its readers get one line of news.

Through the real clustering (a later outlet's version joins the story and says what it adds),
the real delivery service and the fake Bot API, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery.service import utcnow
from bot.ingest.clustering import Assignment, assign_story
from bot.news.text.summarize import summarize
from storage import articles, sources
from storage.models import Chat, Delivery, Story
from tests.delivery.factory import add_chats, subscribe
from tests.delivery.harness import delivery_rig

TITLE = "Rumah Ambruk di Tambaksari"
STORY = [
    "Sebuah rumah di Jalan Tambaksari Selatan VI nomor 9B, Kelurahan Tambaksari, Kecamatan "
    "Tambaksari, Kota Surabaya ambruk akibat cuaca ekstrem pada Rabu malam.",
    "Petugas kelurahan bersama pengurus RW dan warga setempat terus mengecek langsung kondisi "
    "rumah itu dan memasang garis pembatas di sekitar bangunan yang roboh.",
    "Hujan deras disertai angin kencang mengguyur kawasan Tambaksari sejak sore hari sehingga "
    "sejumlah pohon tumbang dan beberapa ruas jalan tergenang air setinggi lutut orang dewasa.",
]
NEW_FACT = (
    "Ketua RT 6 RW 6, Juliantono, mengatakan rumah itu dihuni Oeij Tik Kie (65) yang tinggal "
    "seorang diri dan selamat karena sedang berada di rumah tetangga."
)
MINUTE = timedelta(minutes=1)
LATER_FACT = "Kerugian akibat ambruknya rumah itu ditaksir mencapai Rp 350 juta oleh petugas."


async def outlet_reports(
    session: AsyncSession, outlet: str, n: int, paragraphs: list[str], when: datetime
) -> Assignment:
    """An outlet's article of the story, put into a story as the pipeline does."""
    await sources.sync_sources(
        session, [{"name": outlet, "url": f"https://{outlet}.test/rss"}], when
    )
    source = await sources.source_by_name(session, outlet)
    assert source is not None
    url = f"https://{outlet}.test/berita/{n}"
    row = {
        "url": url, "link": url, "source_id": source.id, "guid": f"g{n}", "title": TITLE,
        "feed_summary": "", "categories": [], "published_at": when, "first_seen_at": when,
    }  # fmt: skip
    ((article_id, _),) = await articles.insert_new_articles(session, [row])
    text = "\n\n".join(paragraphs)
    return await assign_story(
        session,
        article_id=article_id,
        source_id=source.id,
        url=url,
        canonical=None,
        title=TITLE,
        text=text,
        summary=summarize(text),
        topics=["nasional"],
        image_url=None,
        published_at=when,
        now=when,
        values={"body": text},
    )


async def test_readers_of_a_story_hear_what_a_later_outlet_added_once_an_hour(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    now = utcnow()
    async with sessions.begin() as s:
        await add_chats(s, 3, start=700)  # 700 and 701 follow the topic; 702 does not
        await subscribe(s, 1, "topic", "nasional")
        await subscribe(s, 2, "topic", "nasional")
        first = await outlet_reports(s, "Surya", 1, STORY, now)
    async with delivery_rig(sessions, paid=False) as rig:
        await rig.settle_pushes()
        await rig.settle()
        assert sorted(c.chat_id for c in rig.api.sent()) == [700, 701]  # type: ignore[type-var]
        async with sessions.begin() as s:  # 701 turns pushes off since
            await s.execute(update(Chat).where(Chat.id == 2).values(push_enabled=False))
            later = await outlet_reports(s, "Kompas", 2, [*STORY, NEW_FACT], now + MINUTE)
        assert later.story_id == first.story_id and not later.created
        rig.api.clear()
        rig.service.kick()
        await rig.api.wait_until(lambda: bool(rig.api.sent()), "the update")
        await rig.settle()
        [update_message] = rig.api.sent()
        assert update_message.chat_id == 700
        assert "Pembaruan" in update_message.text and "Juliantono" in update_message.text
        assert "Tambaksari" in update_message.text  # which story it is about
        assert update_message.buttons()[0]["url"] == "https://Kompas.test/berita/2"

        # Another outlet within the hour: noted, but not pushed until the hour is up.
        async with sessions.begin() as s:
            await outlet_reports(s, "Detik", 3, [*STORY, NEW_FACT, LATER_FACT], now + 2 * MINUTE)
        rig.api.clear()
        rig.service.kick()
        await rig.settle()
        assert rig.api.sent() == []
        rig.clock.offset = timedelta(hours=1, minutes=1)
        rig.service.kick()
        await rig.api.wait_until(lambda: bool(rig.api.sent()), "the second update")
        await rig.settle()
        assert [c.chat_id for c in rig.api.sent()] == [700]
        assert "350 juta" in rig.api.sent()[0].text
    async with sessions() as s:
        kinds = (await s.scalars(select(Delivery.kind).order_by(Delivery.id))).all()
        story = await s.get_one(Story, first.story_id)
    assert list(kinds) == ["push", "push", "update", "update"]
    assert not story.update_owed


async def test_an_old_story_gets_no_update(sessions: async_sessionmaker[AsyncSession]) -> None:
    long_ago = utcnow() - timedelta(hours=12)
    async with sessions.begin() as s:
        await add_chats(s, 1, start=800)
        await subscribe(s, 1, "topic", "nasional")
        await outlet_reports(s, "Surya", 1, STORY, long_ago)
        # Pushed back then (the ledger says so), and a later outlet adds a fact today.
        story_id = (await s.scalars(select(Story.id))).one()
        await s.execute(update(Story).values(pushes_owed=False))
        s.add(
            Delivery(
                chat_pk=1, kind="push", story_id=story_id, status="sent", attempts=1,
                not_before=long_ago, created_at=long_ago, sent_at=long_ago,
            )
        )  # fmt: skip
        await outlet_reports(s, "Kompas", 2, [*STORY, NEW_FACT], utcnow())
    async with delivery_rig(sessions, paid=False) as rig:
        for _ in range(200):  # until the upkeep has looked at the story
            async with sessions() as s:
                if not (await s.get_one(Story, story_id)).update_owed:
                    break
            rig.service.kick()
            await asyncio.sleep(0.05)
        await rig.settle()
        assert rig.api.sent() == []
    async with sessions() as s:
        assert not (await s.get_one(Story, story_id)).update_owed
