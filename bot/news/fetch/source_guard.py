"""Refuse source URLs that point inside the server's network (server-side request forgery)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from bot.news.fetch.address_guard import is_public


class RefusedURL(ValueError):
    """The URL may not be polled; the message says why, without internal detail."""


async def check_source_url(url: str, *, allow_private: bool = False) -> str:
    """Return the host of an http(s) URL whose every address is public; raise RefusedURL."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedURL("only http:// and https:// addresses")
    host = parts.hostname
    if allow_private:
        return host
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, parts.port or None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise RefusedURL("the host name does not resolve") from None
    # Every address must be public: a name resolving to one public and one private address
    # could be fetched from the private one.
    for info in infos:
        if not is_public(ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])):
            raise RefusedURL("private, loopback and link-local addresses")
    return host
