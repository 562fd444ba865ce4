"""A loopback TCP proxy that can cut, reset, black-hole or slow every connection through it.

Put between the bot and PostgreSQL (or the Bot API), it plays the faults a real network and a
restarting server produce, for tests and benchmarks (bench.recovery), with the real driver on
both sides:

- `cut()`: every open connection is reset (RST) and new ones are refused until `restore()`,
  as when the database restarts or fails over;
- `blackhole()`: open connections stay open but nothing gets through either way, and new ones
  hang, as in a network partition (nobody learns the peer is gone until a timeout says so);
- `reset()`: every open connection is reset once, new ones go through (a blip);
- `delay`: seconds added to every chunk forwarded.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from dataclasses import dataclass, field
from typing import Literal

Mode = Literal["up", "refuse", "blackhole"]
_CHUNK = 65536


@dataclass(eq=False)
class _Link:
    client: asyncio.StreamWriter
    server: asyncio.StreamWriter | None = None
    tasks: list[asyncio.Task[None]] = field(default_factory=list)


def _rst(writer: asyncio.StreamWriter) -> None:
    """Close with a reset rather than a FIN: the peer's next read fails at once."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


class TcpProxy:
    """`port = await proxy.start()`, then point the client at 127.0.0.1:port; `close()` after."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.mode: Mode = "up"
        self._flowing = asyncio.Event()  # clear while black-holed
        self._flowing.set()
        self.delay = 0.0
        self.accepted = 0
        self._links: set[_Link] = set()
        self._server: asyncio.Server | None = None

    async def start(self, port: int = 0) -> int:
        """Listen on 127.0.0.1 (a free port by default); return the port."""
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", port)
        return int(self._server.sockets[0].getsockname()[1])

    @property
    def port(self) -> int:
        """The port listened on."""
        assert self._server is not None, "start the proxy first"
        return int(self._server.sockets[0].getsockname()[1])

    def cut(self) -> None:
        """Reset every connection and refuse new ones until `restore()`."""
        self.mode = "refuse"
        self._flowing.set()
        self._reset_all()

    def blackhole(self) -> None:
        """Let nothing through, either way, on open or new connections, until `restore()`."""
        self.mode = "blackhole"
        self._flowing.clear()

    def reset(self) -> None:
        """Reset every open connection once; new ones go through."""
        self._reset_all()

    def restore(self) -> None:
        """Forward again. Connections black-holed meanwhile are reset: their bytes are gone."""
        if self.mode == "blackhole":
            self._reset_all()
        self.mode = "up"
        self._flowing.set()

    async def outage(self, seconds: float, *, kind: Literal["cut", "blackhole"] = "cut") -> None:
        """Cut (or black-hole) for `seconds`, then restore."""
        self.cut() if kind == "cut" else self.blackhole()
        try:
            await asyncio.sleep(seconds)
        finally:
            self.restore()

    @property
    def open_links(self) -> int:
        """Connections open through the proxy now."""
        return len(self._links)

    async def close(self) -> None:
        """Stop listening and reset everything still open."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        self._reset_all()

    def _reset_all(self) -> None:
        for link in list(self._links):
            self._drop(link)

    def _drop(self, link: _Link) -> None:
        self._links.discard(link)
        for task in link.tasks:
            task.cancel()
        _rst(link.client)
        if link.server is not None:
            _rst(link.server)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        if self.mode == "refuse":
            _rst(writer)
            return
        link = _Link(writer)
        self._links.add(link)
        try:
            await self._flowing.wait()  # a partition: the connection hangs, unanswered
            if link not in self._links:
                return
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except (OSError, asyncio.CancelledError):
            self._drop(link)
            return
        link.server = up_writer
        link.tasks = [
            asyncio.create_task(self._pipe(link, reader, up_writer)),
            asyncio.create_task(self._pipe(link, up_reader, writer)),
        ]

    async def _pipe(
        self, link: _Link, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            while data := await reader.read(_CHUNK):
                await self._flowing.wait()  # held, then lost when the link is reset
                if self.delay:
                    await asyncio.sleep(self.delay)
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            # One side ended: end the link (as a TCP peer would see the other close).
            if link in self._links:
                self._links.discard(link)
                for task in link.tasks:
                    if task is not asyncio.current_task():
                        task.cancel()
                for w in (link.client, link.server):
                    if w is not None:
                        w.close()
