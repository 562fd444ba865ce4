"""Answers built once and shared by everyone who asks alike, for a few seconds.

Fresh for `ttl` seconds. After that the previous answer is still given while one rebuild runs
in the background (stale-while-revalidate), up to `max_stale` seconds; past it, askers wait
for the rebuild. Concurrent askers of a missing answer share one build. Written here because
the asyncio caches at hand (async-lru, aiocache) expire an entry outright: every reader who
asks in the moment after expiry then waits for the rebuild, which is what made Berita
Pilihan's p95 in bench.webapp.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)
V = TypeVar("V")
Key = tuple[Hashable, ...]


class Shared(Generic[V]):
    """`await shared(*key)`: the answer `build(*key)` gives, shared while fresh enough."""

    def __init__(
        self,
        build: Callable[..., Awaitable[V]],
        *,
        ttl: float,
        max_stale: float,
        size: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._build = build
        self._ttl = ttl
        self._max_stale = max_stale
        self._size = size
        self._clock = clock
        self._entries: OrderedDict[Key, tuple[float, V]] = OrderedDict()
        self._building: dict[Key, asyncio.Task[V]] = {}

    async def __call__(self, *key: Hashable) -> V:
        """The answer for `key`."""
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
            age = self._clock() - found[0]
            if age > self._ttl and key not in self._building:
                self._start(key)  # the next asker gets the new one
            if age <= self._max_stale:
                return found[1]
        task = self._building.get(key) or self._start(key)
        # Shielded: one asker giving up (a closed connection) must not cancel the others'.
        return await asyncio.shield(task)

    def _start(self, key: Key) -> asyncio.Task[V]:
        task = asyncio.ensure_future(self._build(*key))
        self._building[key] = task
        task.add_done_callback(lambda done: self._keep(key, done))
        return task

    def _keep(self, key: Key, task: asyncio.Task[V]) -> None:
        self._building.pop(key, None)
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            # Askers waiting on it get the error; an old answer, if any, stays until replaced.
            log.warning("webapp: building %r failed: %r", key, error)
            return
        self._entries[key] = (self._clock(), task.result())
        self._entries.move_to_end(key)
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)

    async def close(self) -> None:
        """Cancel builds still running (the server is stopping)."""
        pending = list(self._building.values())
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
