import os
import signal

from pixelscrub.executor import make_executor

STATE = {}


def remember(tag):
    STATE["tag"] = tag


def square_or_crash(item):
    if item == 3:
        os.kill(os.getpid(), signal.SIGSEGV)  # what a native decoder does on a malformed file
    return item * item, STATE["tag"]


def test_every_item_runs_once_in_initialised_workers():
    results = list(make_executor(2).map_unordered(square_or_crash, [1, 2, 4, 5, 6], remember, ("ready",), None))
    assert sorted(results) == [(1, "ready"), (4, "ready"), (16, "ready"), (25, "ready"), (36, "ready")]


def test_a_crashing_item_is_reported_and_the_rest_still_run():
    items = list(range(10))
    results = list(make_executor(2).map_unordered(square_or_crash, items, remember, ("ready",),
                                                  lambda item: ("crashed", item)))
    assert ("crashed", 3) in results
    assert sorted(r for r in results if r[0] != "crashed") == sorted((i * i, "ready") for i in items if i != 3)
