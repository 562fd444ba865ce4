"""The loopback feed farm used by benchmarks, fetched with the real fetcher."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import feedparser
import pytest

from bench.poll_server import FeedFarm, start_feed_farm
from bot.news.fetch.client import Fetcher, FetchError


@pytest.fixture
async def farm() -> AsyncIterator[FeedFarm]:
    farm = FeedFarm(3, items_per_feed=5)
    await farm.start()
    yield farm
    await farm.stop()


async def test_feed_lists_items_newest_first_with_working_links(farm: FeedFarm) -> None:
    async with Fetcher() as fetcher:
        result = await fetcher.get(farm.feed_url(1))
        parsed = feedparser.parse(result.body)
        article = await fetcher.get(parsed.entries[0].link)
    assert result.content_type == "application/rss+xml" and result.charset == "utf-8"
    assert result.max_age == 60.0
    assert [e.link for e in parsed.entries] == [farm.article_url(1, j) for j in range(4, -1, -1)]
    assert parsed.entries[0].title.endswith("(1-4)")
    page = article.body.decode()
    assert '<meta property="og:title" content="' in page and page.count("<p>") == 4
    assert farm.stats.feeds_full == 1 and farm.stats.articles == 1


async def test_content_is_the_same_on_every_run(farm: FeedFarm) -> None:
    other = FeedFarm(3, items_per_feed=5)
    await other.start()
    try:
        async with Fetcher() as fetcher:
            mine = await fetcher.get(farm.feed_url(2))
            theirs = await fetcher.get(other.feed_url(2))
    finally:
        await other.stop()
    assert mine.body.replace(farm.base_url.encode(), b"") == theirs.body.replace(
        other.base_url.encode(), b""
    )
    assert mine.etag == theirs.etag


async def test_publish_changes_the_etag_and_tops_the_feed(farm: FeedFarm) -> None:
    async with Fetcher() as fetcher:
        first = await fetcher.get(farm.feed_url(0))
        unchanged = await fetcher.get(farm.feed_url(0), etag=first.etag)
        by_date = await fetcher.get(farm.feed_url(0), last_modified=first.last_modified)
        url = farm.publish(0, "Gempa kecil guncang Cianjur", datetime(2025, 2, 1, tzinfo=UTC))
        changed = await fetcher.get(
            farm.feed_url(0), etag=first.etag, last_modified=first.last_modified
        )
    assert unchanged.not_modified and by_date.not_modified
    assert not changed.not_modified and changed.etag != first.etag
    top = feedparser.parse(changed.body).entries[0]
    assert (top.title, top.link) == ("Gempa kecil guncang Cianjur", url)
    assert farm.stats.feeds_not_modified == 2


async def test_unknown_feed_is_404_and_stop_closes_the_port() -> None:
    base, stop = await start_feed_farm(2)
    async with Fetcher() as fetcher:
        with pytest.raises(FetchError) as missing:
            await fetcher.get(f"{base}/feed/7.xml")
        await stop()
        with pytest.raises(FetchError) as closed:
            await fetcher.get(f"{base}/feed/0.xml")
    assert missing.value.gone
    assert closed.value.message.startswith("cannot connect")
