"""The fetcher against real HTTP servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gzip
import socket
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.news.fetch.client import Fetcher, FetchError, FetchPolicy, FetchResult

ServerFactory = Callable[[web.Application], Awaitable[TestServer]]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

FAST = FetchPolicy(
    connect_timeout=1.0,
    total_timeout=3.0,
    max_bytes=100_000,
    retries=2,
    backoff_base=0.01,
    per_host=4,
)
ETAG = '"v1"'
LAST_MODIFIED = "Mon, 06 Jan 2025 08:00:00 GMT"
FEED = b"<?xml version='1.0'?><rss version='2.0'><channel><title>Berita</title></channel></rss>"


async def serve(factory: ServerFactory, routes: dict[str, Handler]) -> Callable[[str], str]:
    """Start a loopback server with the given routes; return a path → URL function."""
    app = web.Application()
    for path, handler in routes.items():
        app.router.add_get(path, handler)
    server = await factory(app)
    return lambda path: str(server.make_url(path))


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    async with Fetcher(FAST) as f:
        yield f


async def fetch_error(fetcher: Fetcher, url: str, **kwargs: str) -> FetchError:
    with pytest.raises(FetchError) as info:
        await fetcher.get(url, **kwargs)
    return info.value


async def test_200_reports_body_validators_and_type(
    aiohttp_server: ServerFactory, fetcher: Fetcher
) -> None:
    async def feed(request: web.Request) -> web.Response:
        return web.Response(
            body=FEED,
            headers={
                "Content-Type": "application/rss+xml; charset=ISO-8859-1",
                "ETag": ETAG,
                "Last-Modified": LAST_MODIFIED,
            },
        )

    url = await serve(aiohttp_server, {"/feed.xml": feed})
    result = await fetcher.get(url("/feed.xml"))
    assert result == FetchResult(
        url=url("/feed.xml"),
        status=200,
        body=FEED,
        content_type="application/rss+xml",
        charset="iso-8859-1",
        etag=ETAG,
        last_modified=LAST_MODIFIED,
        max_age=None,
    )
    assert not result.not_modified


async def test_conditional_get_answers_304_with_empty_body(
    aiohttp_server: ServerFactory, fetcher: Fetcher
) -> None:
    seen: list[tuple[str | None, str | None]] = []

    async def feed(request: web.Request) -> web.Response:
        inm, ims = request.headers.get("If-None-Match"), request.headers.get("If-Modified-Since")
        seen.append((inm, ims))
        if inm == ETAG or ims == LAST_MODIFIED:
            return web.Response(status=304, headers={"ETag": ETAG})
        return web.Response(body=FEED, headers={"ETag": ETAG, "Last-Modified": LAST_MODIFIED})

    url = await serve(aiohttp_server, {"/feed.xml": feed})
    first = await fetcher.get(url("/feed.xml"))
    by_etag = await fetcher.get(url("/feed.xml"), etag=first.etag)
    by_date = await fetcher.get(url("/feed.xml"), last_modified=first.last_modified)
    assert first.body == FEED and not first.not_modified
    assert by_etag.not_modified and by_etag.body == b"" and by_etag.etag == ETAG
    # The 304 carried no Last-Modified; the one we sent is still the current one.
    assert by_date.not_modified and by_date.last_modified == LAST_MODIFIED
    assert seen == [(None, None), (ETAG, None), (None, LAST_MODIFIED)]


@pytest.mark.parametrize(
    ("cache_control", "age", "expected"),
    [
        ("public, max-age=300", None, 300.0),
        ('max-age="120", must-revalidate', "20", 100.0),
        ("no-cache", None, 0.0),
        ("private, no-store, max-age=60", None, 0.0),
        ("public", None, None),
    ],
)
async def test_cache_control_max_age_is_reported(
    aiohttp_server: ServerFactory,
    fetcher: Fetcher,
    cache_control: str,
    age: str | None,
    expected: float | None,
) -> None:
    async def feed(request: web.Request) -> web.Response:
        headers = {"Cache-Control": cache_control}
        if age is not None:
            headers["Age"] = age
        return web.Response(body=FEED, headers=headers)

    url = await serve(aiohttp_server, {"/feed.xml": feed})
    assert (await fetcher.get(url("/feed.xml"))).max_age == expected


async def test_429_with_long_retry_after_raises_without_waiting(
    aiohttp_server: ServerFactory, fetcher: Fetcher
) -> None:
    hits = 0
    when = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)

    async def seconds(request: web.Request) -> web.Response:
        nonlocal hits
        hits += 1
        return web.Response(status=429, headers={"Retry-After": "120"})

    async def date(request: web.Request) -> web.Response:
        return web.Response(status=429, headers={"Retry-After": when})

    url = await serve(aiohttp_server, {"/s": seconds, "/d": date})
    err = await fetch_error(fetcher, url("/s"))
    assert err.status == 429 and err.retry_after == 120.0 and err.transient and not err.gone
    assert err.message == "the server answered 429 Too Many Requests"
    assert hits == 1
    err = await fetch_error(fetcher, url("/d"))
    assert err.retry_after is not None and 3500 < err.retry_after <= 3600


async def test_429_with_short_retry_after_is_retried_in_call(
    aiohttp_server: ServerFactory, fetcher: Fetcher
) -> None:
    hits = 0

    async def feed(request: web.Request) -> web.Response:
        nonlocal hits
        hits += 1
        if hits == 1:
            return web.Response(status=429, headers={"Retry-After": "0"})
        return web.Response(body=FEED)

    url = await serve(aiohttp_server, {"/feed.xml": feed})
    assert (await fetcher.get(url("/feed.xml"))).body == FEED
    assert hits == 2


async def test_503_is_retried_then_succeeds(
    aiohttp_server: ServerFactory, fetcher: Fetcher
) -> None:
    hits = 0

    async def feed(request: web.Request) -> web.Response:
        nonlocal hits
        hits += 1
        return web.Response(status=503) if hits <= 2 else web.Response(body=FEED)

    url = await serve(aiohttp_server, {"/feed.xml": feed})
    assert (await fetcher.get(url("/feed.xml"))).body == FEED
    assert hits == 3


async def test_503_with_long_retry_after_is_left_to_the_scheduler(
    aiohttp_server: ServerFactory, fetcher: Fetcher
) -> None:
    hits = 0

    async def feed(request: web.Request) -> web.Response:
        nonlocal hits
        hits += 1
        return web.Response(status=503, headers={"Retry-After": "3600"})

    url = await serve(aiohttp_server, {"/feed.xml": feed})
    err = await fetch_error(fetcher, url("/feed.xml"))
    assert err.transient and err.retry_after == 3600.0 and hits == 1


async def test_500_forever_gives_up_after_all_retries(
    aiohttp_server: ServerFactory, fetcher: Fetcher
) -> None:
    hits = 0

    async def feed(request: web.Request) -> web.Response:
        nonlocal hits
        hits += 1
        return web.Response(status=500)

    url = await serve(aiohttp_server, {"/feed.xml": feed})
    err = await fetch_error(fetcher, url("/feed.xml"))
    assert err.message == "the server answered 500 Internal Server Error"
    assert err.status == 500 and err.transient and not err.gone and err.retry_after is None
    assert hits == FAST.retries + 1


@pytest.mark.parametrize(("status", "words"), [(404, "Not Found"), (410, "Gone")])
async def test_404_and_410_mean_gone_and_are_not_retried(
    aiohttp_server: ServerFactory, fetcher: Fetcher, status: int, words: str
) -> None:
    hits = 0

    async def feed(request: web.Request) -> web.Response:
        nonlocal hits
        hits += 1
        return web.Response(status=status)

    url = await serve(aiohttp_server, {"/feed.xml": feed})
    err = await fetch_error(fetcher, url("/feed.xml"))
    assert err.message == f"the server answered {status} {words}"
    assert err.gone and not err.transient and err.status == status
    assert hits == 1


async def test_403_is_neither_gone_nor_transient(
    aiohttp_server: ServerFactory, fetcher: Fetcher
) -> None:
    async def feed(request: web.Request) -> web.Response:
        return web.Response(status=403)

    url = await serve(aiohttp_server, {"/feed.xml": feed})
    err = await fetch_error(fetcher, url("/feed.xml"))
    assert (err.status, err.gone, err.transient) == (403, False, False)


async def hop(request: web.Request) -> web.Response:
    """Redirect /hop/N to /hop/N-1, and /hop/0 to the feed."""
    n = int(request.match_info["n"])
    raise web.HTTPFound("/feed.xml" if n == 0 else f"/hop/{n - 1}")


async def plain_feed(request: web.Request) -> web.Response:
    return web.Response(body=FEED, content_type="application/rss+xml")


async def test_redirect_chain_reports_the_final_url(
    aiohttp_server: ServerFactory, fetcher: Fetcher
) -> None:
    url = await serve(aiohttp_server, {"/hop/{n}": hop, "/feed.xml": plain_feed})
    result = await fetcher.get(url("/hop/3"))
    assert result.url == url("/feed.xml") and result.body == FEED


async def test_too_many_redirects_is_a_clear_error(
    aiohttp_server: ServerFactory, fetcher: Fetcher
) -> None:
    url = await serve(aiohttp_server, {"/hop/{n}": hop, "/feed.xml": plain_feed})
    err = await fetch_error(fetcher, url("/hop/9"))
    assert err.message == "too many redirects (more than 5)" and not err.transient


async def test_redirect_loop_is_named(aiohttp_server: ServerFactory, fetcher: Fetcher) -> None:
    async def ping(request: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently("/pong")

    async def pong(request: web.Request) -> web.Response:
        raise web.HTTPFound("/ping")

    url = await serve(aiohttp_server, {"/ping": ping, "/pong": pong})
    err = await fetch_error(fetcher, url("/ping"))
    assert err.message.startswith("redirect loop")


async def test_redirect_to_another_scheme_is_refused(
    aiohttp_server: ServerFactory, fetcher: Fetcher
) -> None:
    async def away(request: web.Request) -> web.Response:
        raise web.HTTPFound("ftp://127.0.0.1/feed.xml")

    url = await serve(aiohttp_server, {"/away": away})
    err = await fetch_error(fetcher, url("/away"))
    assert err.message == "redirected to an address that is not http or https"


async def test_body_over_the_cap_with_content_length(
    aiohttp_server: ServerFactory, fetcher: Fetcher
) -> None:
    async def big(request: web.Request) -> web.Response:
        return web.Response(body=b"x" * (FAST.max_bytes + 1))

    url = await serve(aiohttp_server, {"/big": big})
    err = await fetch_error(fetcher, url("/big"))
    assert err.message == "the response is larger than 100 kB" and not err.transient


async def test_body_at_the_cap_is_accepted(
    aiohttp_server: ServerFactory, fetcher: Fetcher
) -> None:
    async def exact(request: web.Request) -> web.Response:
        return web.Response(body=b"x" * FAST.max_bytes)

    url = await serve(aiohttp_server, {"/exact": exact})
    assert len((await fetcher.get(url("/exact"))).body) == FAST.max_bytes


async def test_chunked_body_over_the_cap_is_cut_off(
    aiohttp_server: ServerFactory, fetcher: Fetcher
) -> None:
    sent = 0

    async def endless(request: web.Request) -> web.StreamResponse:
        nonlocal sent
        resp = web.StreamResponse()
        resp.enable_chunked_encoding()
        await resp.prepare(request)
        try:
            for _ in range(1000):  # bounded: 16 MB at most
                await resp.write(b"y" * 16_384)
                sent += 16_384
        except (ConnectionError, RuntimeError):
            return resp  # the client hung up, as it should
        await resp.write_eof()
        return resp

    url = await serve(aiohttp_server, {"/endless": endless})
    err = await fetch_error(fetcher, url("/endless"))
    assert err.message == "the response is larger than 100 kB"


async def test_gzip_bomb_is_stopped_without_holding_it_in_memory(
    aiohttp_server: ServerFactory,
) -> None:
    squeezer = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip container
    megabyte = b"\0" * 1_000_000
    bomb = b"".join(squeezer.compress(megabyte) for _ in range(50)) + squeezer.flush()
    assert len(bomb) < 100_000  # 50 MB of zeros in well under 100 kB

    async def feed(request: web.Request) -> web.Response:
        return web.Response(body=bomb, headers={"Content-Encoding": "gzip"})

    url = await serve(aiohttp_server, {"/bomb": feed})
    policy = FetchPolicy(max_bytes=1_000_000, total_timeout=5.0, retries=0)
    async with Fetcher(policy) as fetcher:
        tracemalloc.start()
        try:
            err = await fetch_error(fetcher, url("/bomb"))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert err.message == "the compressed body expands beyond 1 MB"
    assert peak < 10_000_000


async def test_gzip_body_under_the_cap_is_decompressed(
    aiohttp_server: ServerFactory, fetcher: Fetcher
) -> None:
    seen: list[str] = []

    async def feed(request: web.Request) -> web.Response:
        seen.append(request.headers.get("Accept-Encoding", ""))
        return web.Response(body=gzip.compress(FEED), headers={"Content-Encoding": "gzip"})

    url = await serve(aiohttp_server, {"/feed.xml": feed})
    assert (await fetcher.get(url("/feed.xml"))).body == FEED
    assert seen[0].startswith("gzip, deflate")


@pytest.fixture
async def silent_server() -> AsyncIterator[int]:
    """A TCP server on loopback that accepts connections and never answers."""
    held: list[asyncio.StreamWriter] = []

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    port: int = server.sockets[0].getsockname()[1]
    yield port
    for writer in held:
        writer.close()
    server.close()
    await server.wait_closed()


async def test_a_server_that_never_answers_times_out(silent_server: int) -> None:
    # A read timeout longer than the budget: the budget is what ends the fetch here.
    policy = FetchPolicy(
        total_timeout=0.5, connect_timeout=0.5, retries=2, backoff_base=0.01, read_timeout=5.0
    )
    async with Fetcher(policy) as fetcher:
        err = await fetch_error(fetcher, f"http://127.0.0.1:{silent_server}/feed.xml")
    assert err.message == "timed out after 0.5 s" and err.transient and err.status is None


async def test_connection_refused_is_a_clear_transient_error(fetcher: Fetcher) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    err = await fetch_error(fetcher, f"http://127.0.0.1:{port}/feed.xml")
    assert err.message == "cannot connect: connection refused" and err.transient


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://127.0.0.1/feed.xml", "only http and https addresses can be fetched, not ftp"),
        ("file:///etc/passwd", "only http and https addresses can be fetched, not file"),
        ("javascript:alert(1)", "only http and https addresses can be fetched, not javascript"),
        ("/relative/feed.xml", "only http and https addresses can be fetched, not no scheme"),
        ("http:///feed.xml", "the address has no host name"),
    ],
)
async def test_only_http_and_https_are_fetched(fetcher: Fetcher, url: str, words: str) -> None:
    err = await fetch_error(fetcher, url)
    assert err.message == words and not err.transient


async def test_per_host_concurrency_is_capped(aiohttp_server: ServerFactory) -> None:
    in_flight = peak = served = 0

    async def slow(request: web.Request) -> web.Response:
        nonlocal in_flight, peak, served
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.05)
        in_flight -= 1
        served += 1
        return web.Response(body=FEED)

    url = await serve(aiohttp_server, {"/feed/{i}": slow})
    async with Fetcher(FetchPolicy(per_host=2, total_timeout=5.0)) as fetcher:
        results = await asyncio.gather(*(fetcher.get(url(f"/feed/{i}")) for i in range(10)))
    assert [r.body for r in results] == [FEED] * 10
    assert served == 10 and peak == 2


async def test_user_agent_names_the_bot(aiohttp_server: ServerFactory, fetcher: Fetcher) -> None:
    agents: list[str] = []

    async def feed(request: web.Request) -> web.Response:
        agents.append(request.headers.get("User-Agent", ""))
        return web.Response(body=FEED)

    url = await serve(aiohttp_server, {"/feed.xml": feed})
    await fetcher.get(url("/feed.xml"))
    assert agents == [FAST.user_agent] and agents[0].startswith("newsbot/")


async def test_get_before_open_is_refused() -> None:
    with pytest.raises(RuntimeError, match="open the Fetcher first"):
        await Fetcher().get("http://127.0.0.1/feed.xml")
