"""A story's summary comes from its fullest version; a later outlet's new facts are noted.

Through the real clustering (bot.ingest.clustering.assign_story) and the real migrations, on
SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.ingest.clustering import Assignment, assign_story
from bot.news.text.summarize import summarize
from storage import articles, sources
from storage.models import Story

NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
STORY = [
    "Sebuah rumah di Jalan Tambaksari Selatan VI nomor 9B, Kelurahan Tambaksari, Kecamatan "
    "Tambaksari, Kota Surabaya ambruk akibat cuaca ekstrem pada Rabu malam.",
    "Petugas kelurahan bersama pengurus RW dan warga setempat terus mengecek langsung kondisi "
    "rumah itu dan memasang garis pembatas di sekitar bangunan yang roboh.",
    "Hujan deras disertai angin kencang mengguyur kawasan Tambaksari sejak sore hari sehingga "
    "sejumlah pohon tumbang dan beberapa ruas jalan tergenang air setinggi lutut orang dewasa.",
    "Warga sekitar diminta tetap waspada karena cuaca ekstrem diperkirakan masih terjadi dalam "
    "beberapa hari ke depan menurut prakiraan badan meteorologi setempat.",
]
NEW_FACT = (
    "Ketua RT 6 RW 6, Juliantono, mengatakan rumah itu dihuni Oeij Tik Kie (65) yang tinggal "
    "seorang diri dan selamat karena sedang berada di rumah tetangga."
)


async def _article(session: AsyncSession, name: str, n: int) -> int:
    await sources.sync_sources(session, [{"name": name, "url": f"https://{name}.test/rss"}], NOW)
    source = await sources.source_by_name(session, name)
    assert source is not None
    row = {
        "url": f"https://{name}.test/berita/{n}",
        "link": f"https://{name}.test/berita/{n}",
        "source_id": source.id,
        "guid": f"g{n}",
        "title": "Rumah Ambruk di Tambaksari",
        "feed_summary": "",
        "categories": [],
        "published_at": NOW,
        "first_seen_at": NOW,
    }
    ((article_id, _),) = await articles.insert_new_articles(session, [row])
    return article_id


async def _assign(session: AsyncSession, name: str, n: int, paragraphs: list[str]) -> Assignment:
    article_id = await _article(session, name, n)
    text = "\n\n".join(paragraphs)
    return await assign_story(
        session,
        article_id=article_id,
        source_id=(await sources.source_by_name(session, name)).id,  # type: ignore[union-attr]
        url=f"https://{name}.test/berita/{n}",
        canonical=None,
        title="Rumah Ambruk di Tambaksari",
        text=text,
        summary=summarize(text),
        topics=[],
        image_url=None,
        published_at=NOW,
        now=NOW + timedelta(minutes=n),
        values={"body": text},
    )


async def test_a_fuller_later_version_gives_the_summary_and_says_what_it_adds(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        first = await _assign(session, "Surya", 1, STORY[:3])
    async with sessions.begin() as session:
        later = await _assign(session, "Kompas", 2, [*STORY[:3], NEW_FACT, STORY[3]])
    assert first.created and not later.created and later.story_id == first.story_id
    async with sessions() as session:
        story = await session.get_one(Story, first.story_id)
        assert story.summary == summarize("\n\n".join([*STORY[:3], NEW_FACT, STORY[3]]))
        kompas = await articles.article_by_url(session, "https://Kompas.test/berita/2")
        assert kompas is not None and story.summary_article_id == kompas.id
        assert story.whats_new == NEW_FACT
        assert story.whats_new_at == NOW + timedelta(minutes=2)


async def test_a_shorter_later_version_keeps_the_summary_and_adds_nothing(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        first = await _assign(session, "Surya", 1, STORY)
    async with sessions() as session:
        before = await session.get_one(Story, first.story_id)
        summary, chosen = before.summary, before.summary_article_id
        surya = await articles.article_by_url(session, "https://Surya.test/berita/1")
        assert surya is not None and chosen == surya.id
    async with sessions.begin() as session:
        later = await _assign(session, "Kompas", 2, STORY[:3])
    assert later.story_id == first.story_id and not later.created
    async with sessions() as session:
        story = await session.get_one(Story, first.story_id)
        assert (story.summary, story.summary_article_id) == (summary, chosen)
        assert story.whats_new is None and story.whats_new_at is None
