"""The shelf of results shared by sessions: bounded, least recently used first out, each result
made once however many threads ask for it at the same time."""

from __future__ import annotations

import threading
import time

import pytest

from dashboard.state.shelf import Shelf


class Maker:
    """A ``make`` that counts its calls; ``gate`` holds it until the test opens it."""

    def __init__(self, value, gate: threading.Event | None = None, error=None) -> None:
        self.value, self.gate, self.error = value, gate, error
        self.calls = 0
        self.started = threading.Event()

    def __call__(self):
        self.calls += 1
        self.started.set()
        if self.gate is not None:
            assert self.gate.wait(10), "the test never opened the gate"
        if self.error is not None:
            raise self.error
        return self.value


def test_a_result_is_made_once_and_then_taken():
    shelf = Shelf(4)
    make = Maker(["a"])
    first = shelf.get("a", make)
    assert shelf.get("a", make) is first
    assert make.calls == 1
    assert (shelf.made, shelf.hits) == (1, 1)


def test_the_least_recently_used_result_goes_first():
    shelf = Shelf(2)
    makers = {key: Maker(key) for key in "abc"}
    shelf.get("a", makers["a"])
    shelf.get("b", makers["b"])
    shelf.get("a", makers["a"])  # a is now the more recent
    shelf.get("c", makers["c"])  # b goes
    assert "a" in shelf and "c" in shelf and "b" not in shelf
    assert len(shelf) == 2
    shelf.get("b", makers["b"])
    assert makers["b"].calls == 2
    assert makers["a"].calls == 1


def test_threads_asking_at_once_wait_for_one_making():
    shelf = Shelf(4)
    gate = threading.Event()
    make = Maker(object(), gate)
    got = []
    threads = [threading.Thread(target=lambda: got.append(shelf.get("k", make))) for _ in range(8)]
    for thread in threads:
        thread.start()
    assert make.started.wait(10)
    time.sleep(0.1)  # the others are now waiting for it
    gate.set()
    for thread in threads:
        thread.join(10)
    assert make.calls == 1
    assert len(got) == 8 and all(result is make.value for result in got)
    assert (shelf.made, shelf.hits) == (1, 7)


def test_a_failed_making_keeps_nothing_and_every_waiting_thread_gets_its_error():
    shelf = Shelf(4)
    gate = threading.Event()
    make = Maker(None, gate, ValueError("no such column"))
    errors = []

    def ask():
        try:
            shelf.get("k", make)
        except ValueError as error:
            errors.append(str(error))

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for thread in threads:
        thread.start()
    assert make.started.wait(10)
    time.sleep(0.1)
    gate.set()
    for thread in threads:
        thread.join(10)
    assert errors == ["no such column"] * 3
    assert make.calls == 1
    assert "k" not in shelf
    assert shelf.get("k", Maker("second")) == "second"


class Stopped(BaseException):
    """Like Streamlit's stop of a script thread: not an error of the result."""


def test_a_maker_stopped_by_its_own_session_leaves_the_waiting_threads_to_make_it():
    shelf = Shelf(4)
    gate = threading.Event()
    stopped = Maker(None, gate, Stopped())
    got, raised = [], []

    def first():
        try:
            shelf.get("k", stopped)
        except Stopped:
            raised.append("stopped")

    thread = threading.Thread(target=first)
    thread.start()
    assert stopped.started.wait(10)
    waiting = Maker("made by the waiting thread")
    second = threading.Thread(target=lambda: got.append(shelf.get("k", waiting)))
    second.start()
    time.sleep(0.1)
    gate.set()
    thread.join(10)
    second.join(10)
    assert raised == ["stopped"]
    assert got == ["made by the waiting thread"]
    assert waiting.calls == 1
    assert shelf.get("k", Maker("not called")) == "made by the waiting thread"


def test_results_that_are_none_are_kept_too():
    shelf = Shelf(2)
    make = Maker(None)
    assert shelf.get("k", make) is None
    assert shelf.get("k", make) is None
    assert make.calls == 1


def test_a_shelf_holds_at_least_one_result():
    with pytest.raises(ValueError, match="at least one"):
        Shelf(0)


def test_a_making_that_asks_for_its_own_result_fails_instead_of_waiting_for_ever():
    shelf = Shelf(2)

    def make():
        return shelf.get("k", make)

    with pytest.raises(RuntimeError, match="asks for its own result"):
        shelf.get("k", make)
    assert shelf.get("k", Maker("then made")) == "then made"
