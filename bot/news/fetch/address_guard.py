"""Refuse connections to addresses inside the server's network, checked after DNS resolution.

The check sits in the socket factory of aiohttp's connector, so it sees the very address each
connection is made to: every redirect hop and every article page is covered, an IP literal in a
URL is covered (aiohttp skips the resolver for those), and a name that resolves to a public
address when checked and to 127.0.0.1 a moment later (DNS rebinding) gains nothing, because no
second lookup happens between the check and the connect.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from typing import Any

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# One message for every refused address: aiohappyeyeballs reports one error when all the
# attempts failed the same way, and mixes them into "Multiple exceptions" otherwise.
REFUSED = "the address is private, loopback, link-local or reserved"


class RefusedAddress(OSError):
    """A connection to a non-public address was refused before it was made."""

    def __init__(self) -> None:
        super().__init__(REFUSED)


def is_public(address: IPAddress) -> bool:
    """Tell whether an address is globally reachable (not private, loopback, link-local, …)."""
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            return is_public(mapped)
    return address.is_global and not address.is_multicast


def guarded_socket_factory(
    allowed: Callable[[IPAddress, int], bool] | None = None,
) -> Callable[[Any], socket.socket]:
    """A socket factory for aiohttp.TCPConnector that refuses non-public destinations.

    allowed decides for an (address, port); the default is is_public. Tests pass their own
    rule to let one loopback port stand in for a public site.
    """
    rule = allowed or (lambda address, _port: is_public(address))

    def factory(addr_info: Any) -> socket.socket:
        family, type_, proto, _canonname, sockaddr = addr_info
        host = str(sockaddr[0]).split("%", 1)[0]  # drop an IPv6 zone ("fe80::1%eth0")
        if not rule(ipaddress.ip_address(host), int(sockaddr[1])):
            raise RefusedAddress()
        return socket.socket(family=family, type=type_, proto=proto)

    return factory
