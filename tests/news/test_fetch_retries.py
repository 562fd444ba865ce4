"""Hung reads are retried, and odd validators are dropped: real servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.news.fetch.client import Fetcher, FetchError, FetchPolicy

FEED = b"<?xml version='1.0'?><rss version='2.0'><channel><title>Berita</title></channel></rss>"


async def test_a_hung_first_attempt_is_retried_and_the_second_succeeds() -> None:
    hits = 0
    release = asyncio.Event()

    async def feed(request: web.Request) -> web.Response:
        nonlocal hits
        hits += 1
        if hits == 1:
            await release.wait()  # hangs until the test ends: only a retry can succeed
        return web.Response(body=FEED, content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/feed.xml", feed)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    # The budget would allow waiting on the first attempt for 20 s; the read timeout does not.
    policy = FetchPolicy(total_timeout=20.0, read_timeout=0.3, retries=2, backoff_base=0.05)
    try:
        async with Fetcher(policy) as fetcher:
            result = await fetcher.get(str(server.make_url("/feed.xml")))
    finally:
        release.set()
        await server.close()
    assert result.body == FEED
    assert hits == 2


@pytest.fixture
async def silent_port() -> AsyncIterator[tuple[int, list[int]]]:
    """A loopback server that accepts connections and never answers; counts connections."""
    held: list[asyncio.StreamWriter] = []
    count = [0]

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        count[0] += 1
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1], count
    for writer in held:
        writer.close()
    server.close()
    await server.wait_closed()


async def test_silence_ends_each_attempt_and_every_retry_is_made(
    silent_port: tuple[int, list[int]],
) -> None:
    port, connections = silent_port
    policy = FetchPolicy(total_timeout=20.0, read_timeout=0.2, retries=2, backoff_base=0.01)
    async with Fetcher(policy) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.get(f"http://127.0.0.1:{port}/feed.xml")
    assert info.value.message == "timed out: the server sent nothing for 0.2 s"
    assert info.value.transient
    assert connections[0] == 3


def test_the_default_read_timeout_shares_the_budget_between_attempts() -> None:
    assert FetchPolicy(total_timeout=30.0, retries=2).attempt_read_timeout == 10.0
    assert FetchPolicy(total_timeout=30.0, read_timeout=4.0).attempt_read_timeout == 4.0


async def test_validators_with_non_ascii_bytes_are_not_kept() -> None:
    """aiohttp hands such header bytes over as lone surrogates, which no database stores."""

    async def raw(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
            b'ETag: "v\xff1"\r\nLast-Modified: Mon, 06 Jan 2025 08:00:00 GMT\r\n'
            b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(FEED) + FEED
        )
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(raw, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with Fetcher(FetchPolicy(total_timeout=5.0)) as fetcher:
            result = await fetcher.get(f"http://127.0.0.1:{port}/feed.xml")
    finally:
        server.close()
        await server.wait_closed()
    assert result.body == FEED
    assert result.etag is None
    assert result.last_modified == "Mon, 06 Jan 2025 08:00:00 GMT"
