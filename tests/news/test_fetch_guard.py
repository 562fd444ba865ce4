"""The address guard for sources added from chat: real servers and sockets on 127.0.0.1.

Every server here is on loopback, which the guard refuses. To stand in for a public site, a
test gives the guard a rule that lets exactly one loopback port through; the refusal of every
other port is the guard's real behaviour at connect time.
"""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.news.fetch.address_guard import IPAddress, is_public
from bot.news.fetch.client import Fetcher, FetchError, FetchPolicy

FEED = b"<?xml version='1.0'?><rss version='2.0'><channel><title>Berita</title></channel></rss>"


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("203.0.114.7", True),
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),
        ("127.1.2.3", False),
        ("10.0.0.5", False),
        ("172.16.3.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("255.255.255.255", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),  # IPv4-mapped loopback
        ("::ffff:8.8.8.8", True),
        ("2002:7f00:1::", False),  # 6to4 wrapping 127.0.0.1
        ("ff02::1", False),
    ],
)
def test_is_public(address: str, public: bool) -> None:
    assert is_public(ipaddress.ip_address(address)) is public


@dataclass
class Sites:
    """A 'public' site (its port let through by the test rule) and a private one."""

    public: TestServer
    private: TestServer
    private_hits: list[str] = field(default_factory=list)

    def rule(self, address: IPAddress, port: int) -> bool:
        return port == self.public.port

    def policy(self, **extra: object) -> FetchPolicy:
        return FetchPolicy(total_timeout=5.0, retries=0, address_rule=self.rule, **extra)  # type: ignore[arg-type]


@pytest.fixture
async def sites() -> AsyncIterator[Sites]:
    private_hits: list[str] = []

    async def secret(request: web.Request) -> web.Response:
        private_hits.append(request.path)
        return web.Response(body=FEED, content_type="application/rss+xml")

    private_app = web.Application()
    private_app.router.add_get("/{tail:.*}", secret)
    private = TestServer(private_app, host="127.0.0.1")
    await private.start_server()

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound(str(private.make_url("/admin/feed.xml")))

    async def feed(request: web.Request) -> web.Response:
        return web.Response(body=FEED, content_type="application/rss+xml")

    public_app = web.Application()
    public_app.router.add_get("/moved.xml", redirect)
    public_app.router.add_get("/feed.xml", feed)
    public = TestServer(public_app, host="127.0.0.1")
    await public.start_server()
    yield Sites(public, private, private_hits)
    await public.close()
    await private.close()


async def test_guarded_fetch_refuses_a_redirect_to_a_private_address(sites: Sites) -> None:
    async with Fetcher(sites.policy()) as fetcher:
        guarded = fetcher.guarded()
        assert (await guarded.get(str(sites.public.make_url("/feed.xml")))).body == FEED
        with pytest.raises(FetchError) as info:
            await guarded.get(str(sites.public.make_url("/moved.xml")))
        # The same fetcher, unguarded (the operator's own sources), follows the redirect.
        assert (await fetcher.get(str(sites.public.make_url("/moved.xml")))).body == FEED
    assert info.value.message.startswith("refused to connect to 127.0.0.1: the address is private")
    assert not info.value.transient
    assert sites.private_hits == ["/admin/feed.xml"]  # only the unguarded fetch got there


async def test_the_default_guard_refuses_loopback_even_as_an_ip_literal(sites: Sites) -> None:
    async with Fetcher(FetchPolicy(total_timeout=5.0, retries=0)) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.guarded().get(str(sites.private.make_url("/feed.xml")))
    assert "refused to connect to 127.0.0.1" in info.value.message
    assert sites.private_hits == []


async def test_a_name_resolving_to_loopback_is_refused(sites: Sites) -> None:
    url = f"http://localhost:{sites.private.port}/feed.xml"
    async with Fetcher(FetchPolicy(total_timeout=5.0, retries=0)) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.guarded().get(url)
    assert "refused to connect to localhost" in info.value.message
    assert sites.private_hits == []


async def test_allow_private_lets_the_guarded_view_through(sites: Sites) -> None:
    async with Fetcher(sites.policy(allow_private=True)) as fetcher:
        guarded = fetcher.guarded()
        assert guarded is fetcher
        assert (await guarded.get(str(sites.public.make_url("/moved.xml")))).body == FEED
    assert sites.private_hits == ["/admin/feed.xml"]
