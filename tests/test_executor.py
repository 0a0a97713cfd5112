import os
import signal

from concurrent.futures.process import BrokenProcessPool

from pixelscrub.executor import PoolExecutor, make_executor

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


class _RefusingPool:
    """A pool that breaks while an item is being submitted, as a real one does right after a worker
    dies; the item taken from the iterator must not be lost."""

    def __init__(self, inner, refuse_at):
        self.inner, self.refuse_at, self.sent = inner, refuse_at, 0

    def submit(self, task, item):
        self.sent += 1
        if self.sent == self.refuse_at:
            raise BrokenProcessPool("a worker died")
        return self.inner.submit(task, item)

    def shutdown(self, **kwargs):
        self.inner.shutdown(**kwargs)


def test_an_item_refused_by_a_breaking_pool_is_still_run():
    pools = []

    class Refusing(PoolExecutor):
        def _pool(self, workers, initializer, initargs):
            pool = super()._pool(workers, initializer, initargs)
            pools.append(pool)
            return _RefusingPool(pool, refuse_at=3) if len(pools) == 1 else pool

    items = [1, 2, 4, 5, 6, 7]
    results = list(Refusing(2).map_unordered(square_or_crash, items, remember, ("ready",), None))
    assert sorted(results) == sorted((i * i, "ready") for i in items)
