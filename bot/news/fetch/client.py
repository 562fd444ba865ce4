"""Fetch feeds and pages politely: conditional GET, timeouts, size caps, retries, host limits."""

from __future__ import annotations

import asyncio
import copy
import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from types import TracebackType
from typing import Any

import aiohttp
from yarl import URL

from bot.news.fetch.address_guard import IPAddress, guarded_socket_factory
from bot.news.fetch.errors import FetchError, error_for_status, error_from_exception
from bot.news.fetch.headers import (
    decode_charset_hint,
    human_seconds,
    human_size,
    parse_max_age,
    redact_url,
)

__all__ = ["FetchError", "FetchPolicy", "FetchResult", "Fetcher", "decode_charset_hint"]

try:
    from aiohttp.compression_utils import HAS_BROTLI
except ImportError:  # a private module of aiohttp; announce only what surely decodes
    HAS_BROTLI = False

log = logging.getLogger(__name__)

_CHUNK = 64 * 1024
# Brotli is decoded only when a brotli package is installed; never announce what we cannot read.
_ACCEPT_ENCODING = "gzip, deflate, br" if HAS_BROTLI else "gzip, deflate"
_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
    "text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
)


@dataclass(frozen=True)
class FetchPolicy:
    """How politely and how patiently the fetcher behaves."""

    user_agent: str = "newsbot/0.1 (+https://github.com/newsbot; Indonesian news bot for Telegram)"
    connect_timeout: float = 10.0
    total_timeout: float = 30.0  # budget for one get(), retries and waits included
    max_bytes: int = 5_000_000  # cap on the body, counted after decompression (gzip bombs)
    max_redirects: int = 5
    per_host: int = 4  # concurrent requests per host
    total_connections: int = 64
    retries: int = 2  # on timeouts, connection errors and 5xx
    backoff_base: float = 0.5  # exponential backoff with full jitter
    max_inline_wait: float = 5.0  # longer Retry-After waits are left to the scheduler
    # Longest silence while reading one answer before that attempt is abandoned and retried;
    # None: the budget shared out over every attempt, so a hung first try leaves time to retry.
    read_timeout: float | None = None
    # False: a fetcher's guarded() view refuses private, loopback and reserved addresses.
    allow_private: bool = False
    # Which (address, port) the guard lets through; None: public addresses only (tests only).
    address_rule: Callable[[IPAddress, int], bool] | None = None

    @property
    def attempt_read_timeout(self) -> float:
        """Seconds without a byte after which one attempt gives up."""
        if self.read_timeout is not None:
            return self.read_timeout
        return self.total_timeout / (self.retries + 1)


@dataclass(frozen=True)
class FetchResult:
    """What a successful (2xx) or not-modified (304) fetch returned."""

    url: str  # final URL after redirects
    status: int
    body: bytes  # b"" on 304
    content_type: str | None  # media type without parameters, lower-cased
    charset: str | None  # from the Content-Type header
    etag: str | None
    last_modified: str | None
    max_age: float | None  # seconds fresh per Cache-Control (0 for no-cache/no-store)

    @property
    def not_modified(self) -> bool:
        """Tell whether the server said the cached copy is still current."""
        return self.status == HTTPStatus.NOT_MODIFIED


@dataclass
class _Pool:
    """The sessions and per-host slots that a fetcher and its guarded view share."""

    open: aiohttp.ClientSession | None = None
    guarded: aiohttp.ClientSession | None = None
    host_slots: dict[str, asyncio.Semaphore] = field(default_factory=dict)


class Fetcher:
    """One HTTP client session shared by every fetch of the bot; open it, then close it."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self._pool = _Pool()
        self._guard = False
        self._random = random.Random()

    def guarded(self) -> Fetcher:
        """This fetcher, refusing to connect to non-public addresses (unless allow_private).

        For sources added from chat: the feed, each redirect and each article page are all
        checked at connect time, after DNS resolution.
        """
        if self._guard or self.policy.allow_private:
            return self
        view = copy.copy(self)  # shares the pool, so it opens and closes with this fetcher
        view._guard = True
        return view

    async def open(self) -> None:
        """Create the HTTP sessions and their connection pools."""
        if self._pool.open is not None:
            return
        self._pool.open = self._new_session(aiohttp.TCPConnector(**self._connector_args()))
        if self.policy.allow_private:
            return  # guarded() is this fetcher itself: no second pool
        self._pool.guarded = self._new_session(
            aiohttp.TCPConnector(
                **self._connector_args(),
                socket_factory=guarded_socket_factory(self.policy.address_rule),
            )
        )

    def _connector_args(self) -> dict[str, Any]:
        p = self.policy
        return {"limit": p.total_connections, "limit_per_host": p.per_host, "ttl_dns_cache": 300}

    def _new_session(self, connector: aiohttp.TCPConnector) -> aiohttp.ClientSession:
        p = self.policy
        return aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(
                total=p.total_timeout,
                connect=p.connect_timeout,
                sock_connect=p.connect_timeout,
                sock_read=p.attempt_read_timeout,
            ),
            headers={
                "User-Agent": p.user_agent,
                "Accept": _ACCEPT,
                "Accept-Encoding": _ACCEPT_ENCODING,
            },
            # News sites often send long cookie headers; aiohttp's 8 KiB default rejects them.
            max_field_size=32 * 1024,
            max_line_size=32 * 1024,
        )

    async def close(self) -> None:
        """Close the sessions and every pooled connection."""
        pool = self._pool
        for session in (pool.open, pool.guarded):
            if session is not None:
                await session.close()
        pool.open = pool.guarded = None

    async def __aenter__(self) -> Fetcher:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """Fetch url, conditionally when etag or last_modified is given; raise FetchError."""
        session = self._pool.guarded if self._guard else self._pool.open
        if session is None:
            raise RuntimeError("open the Fetcher first: async with Fetcher() as fetcher")
        target = _checked_url(url)
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        loop = asyncio.get_running_loop()
        async with self._host_slot(target):
            # The budget starts once a slot is ours, so waiting in line never eats it.
            deadline = loop.time() + self.policy.total_timeout
            attempt = 0
            while True:
                try:
                    return await self._attempt(session, target, headers, deadline)
                except FetchError as err:
                    wait = self._retry_wait(err, attempt, deadline - loop.time())
                    if wait is None:
                        raise
                    log.debug("retrying %s in %.2f s: %s", redact_url(target), wait, err.message)
                attempt += 1
                await asyncio.sleep(wait)

    def _host_slot(self, target: URL) -> asyncio.Semaphore:
        key = f"{target.scheme}://{target.host}:{target.port}"
        slot = self._pool.host_slots.get(key)
        if slot is None:
            slot = self._pool.host_slots[key] = asyncio.Semaphore(self.policy.per_host)
        return slot

    def _retry_wait(self, err: FetchError, attempt: int, remaining: float) -> float | None:
        """Return how long to wait before trying again now, or None to give up."""
        p = self.policy
        if not err.transient or attempt >= p.retries:
            return None
        if err.retry_after is not None:
            wait = err.retry_after if err.retry_after <= p.max_inline_wait else None
        elif err.status is not None and err.status < 500:
            return None  # 429 without Retry-After: the scheduler decides when to come back
        else:
            # Full jitter spreads retries of many clients over the whole window.
            wait = self._random.uniform(0.0, min(p.max_inline_wait, p.backoff_base * 2**attempt))
        if wait is None or wait >= remaining:
            return None
        return wait

    async def _attempt(
        self,
        session: aiohttp.ClientSession,
        target: URL,
        headers: Mapping[str, str],
        deadline: float,
    ) -> FetchResult:
        p = self.policy
        remaining = deadline - asyncio.get_running_loop().time()
        try:
            async with (
                asyncio.timeout(remaining),
                session.get(
                    target, headers=headers, max_redirects=p.max_redirects, allow_redirects=True
                ) as resp,
            ):
                if resp.status == HTTPStatus.NOT_MODIFIED:
                    return _result(resp, b"", headers)
                if not 200 <= resp.status < 300:
                    raise error_for_status(resp.status, resp.reason, resp.headers)
                body = await _read_capped(resp, p.max_bytes)
                return _result(resp, body, headers)
        except FetchError:
            raise
        except TimeoutError as exc:
            if isinstance(exc, aiohttp.ConnectionTimeoutError):
                raise FetchError(
                    f"cannot connect: no answer within {human_seconds(p.connect_timeout)}",
                    transient=True,
                ) from exc
            if isinstance(exc, aiohttp.SocketTimeoutError):
                silence = human_seconds(p.attempt_read_timeout)
                raise FetchError(
                    f"timed out: the server sent nothing for {silence}", transient=True
                ) from exc
            raise FetchError(
                f"timed out after {human_seconds(p.total_timeout)}", transient=True
            ) from exc
        except aiohttp.ClientError as exc:
            raise error_from_exception(exc, p.max_redirects) from exc


async def _read_capped(resp: aiohttp.ClientResponse, max_bytes: int) -> bytes:
    """Read the body in chunks, stopping as soon as it passes max_bytes."""
    encoded = resp.headers.get("Content-Encoding", "identity").strip().lower() not in (
        "",
        "identity",
    )
    if resp.content_length is not None and resp.content_length > max_bytes:
        resp.close()
        raise FetchError(f"the response is larger than {human_size(max_bytes)}")
    body = bytearray()
    # aiohttp >= 3.13.3 (CVE-2025-69223) inflates in bounded steps, so counting here bounds
    # memory to about the cap; older versions could inflate a whole network read at once.
    async for chunk in resp.content.iter_chunked(_CHUNK):
        body += chunk
        if len(body) > max_bytes:
            resp.close()  # drop the connection: the rest of the body is never read
            if encoded:
                raise FetchError(f"the compressed body expands beyond {human_size(max_bytes)}")
            raise FetchError(f"the response is larger than {human_size(max_bytes)}")
    return bytes(body)


def _result(resp: aiohttp.ClientResponse, body: bytes, sent: Mapping[str, str]) -> FetchResult:
    h = resp.headers
    raw_type = h.get("Content-Type")
    # A 304 may omit validators; the ones we sent are still the current ones then.
    return FetchResult(
        url=str(resp.url),
        status=resp.status,
        body=body,
        content_type=resp.content_type.lower() if raw_type else None,
        charset=decode_charset_hint(raw_type),
        etag=_validator(h.get("ETag")) or sent.get("If-None-Match"),
        last_modified=_validator(h.get("Last-Modified")) or sent.get("If-Modified-Since"),
        max_age=parse_max_age(h.get("Cache-Control"), h.get("Age")),
    )


def _validator(value: str | None) -> str | None:
    """An ETag or Last-Modified worth keeping: printable ASCII only.

    aiohttp hands over non-ASCII header bytes as lone surrogates, which neither database stores
    and which cannot be sent back in If-None-Match; such a source is just fetched in full.
    """
    if value is None or not (value.isascii() and value.isprintable()):
        return None
    return value


def _checked_url(url: str) -> URL:
    """Return url parsed, or raise FetchError unless it is an absolute http(s) address."""
    try:
        target = URL(url.strip())
    except (ValueError, TypeError) as exc:
        raise FetchError("the address is not a valid URL") from exc
    if target.scheme not in ("http", "https"):
        shown = target.scheme or "no scheme"
        raise FetchError(f"only http and https addresses can be fetched, not {shown}")
    if not target.host:
        raise FetchError("the address has no host name")
    return target
