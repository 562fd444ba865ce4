"""Start-up's objects leave the garbage collector's walks; its garbage does not stay."""

from __future__ import annotations

import gc
import weakref

from bot.ops.heap import freeze_startup


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_freezing_start_up_collects_its_garbage_and_keeps_the_rest_out_of_collections() -> None:
    garbage = Node()
    gone = weakref.ref(garbage)
    kept = Node()
    del garbage
    try:
        freeze_startup()
        assert gone() is None  # collected first, not frozen for the process's life
        assert gc.get_freeze_count() > 0
        assert kept not in gc.get_objects(generation=2)  # out of the full collections
        frozen = gc.get_freeze_count()
        Node()  # made after start-up: collected as usual
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
