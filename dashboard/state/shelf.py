"""A bounded store of results shared by the sessions of one process (no Streamlit here).

Many visitors of a public demo look at the same views: the landing page unfiltered, the same
author, the same year. A ``Shelf`` keeps the results made for a view (analysed tables, figures)
so that the next session asking for them, or the same session coming back to an earlier filter
state, takes them instead of making them again.

It holds at most ``size`` results and drops the one used longest ago. A result asked for while
another thread is making it is waited for, not made twice: fifty visitors arriving from one
link make the landing page's chart once. A maker that fails caches nothing; every thread that
waited for it gets its exception. A maker stopped by its own session (Streamlit stops a
script's thread on a rerun) leaves the waiting threads to make the result themselves.

The results are shared, so nothing may change them after they are made: the dashboard only
reads its tables and figures (``tests/test_shelf.py`` checks the pages leave them as made).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import TypeVar

T = TypeVar("T")
_INTERRUPTED = object()  # the maker was stopped: a waiting thread makes the result itself


class Shelf:
    """At most ``size`` results by key, the least recently used dropped first; thread-safe."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"a shelf holds at least one result, not {size}")
        self.size = size
        self.hits = 0  # results taken from the shelf (or from a thread making them)
        self.made = 0  # results made
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._making: dict[Hashable, tuple[Future, int]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """The result kept under ``key``, made with ``make()`` when there is none."""
        while True:
            with self._lock:
                if key in self._items:
                    self._items.move_to_end(key)
                    self.hits += 1
                    return self._items[key]  # type: ignore[return-value]
                making, maker = self._making.get(key, (None, None))
                if making is None:
                    making = Future()
                    self._making[key] = (making, threading.get_ident())
                    break
                if maker == threading.get_ident():  # waiting for itself would never end
                    raise RuntimeError(f"the making of {key!r} asks for its own result")
            result = making.result()  # another thread makes it: wait, and take it
            if result is not _INTERRUPTED:
                with self._lock:
                    self.hits += 1
                return result
        try:
            result = make()
        except Exception as error:
            self._settle(key)
            making.set_exception(error)
            raise
        except BaseException:  # a stop or rerun of this thread's session, not of the others'
            self._settle(key)
            making.set_result(_INTERRUPTED)
            raise
        self._settle(key, result)
        making.set_result(result)
        return result

    def _settle(self, key: Hashable, *result: object) -> None:
        """The making of ``key`` is over: keep its result, if it has one."""
        with self._lock:
            del self._making[key]
            if not result:
                return
            self._items[key] = result[0]
            self.made += 1
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def items(self) -> list[tuple[Hashable, object]]:
        """The results kept, least recently used first (a copy of the list)."""
        with self._lock:
            return list(self._items.items())

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
