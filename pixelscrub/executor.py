"""One executor abstraction for parallel work: serial, or a local process pool.

Each worker builds its heavy state (OCR engine, project store) once, through an initializer, then
processes many files. Work is submitted through a bounded window so a million-file archive does not
become a million pending futures. A distributed engine plugs in by implementing `Executor`.
"""

from __future__ import annotations

import signal
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any


class Executor(ABC):
    @abstractmethod
    def map_unordered(self, task: Callable[[Any], Any], items: Iterable[Any],
                      initializer: Callable[..., None], initargs: tuple) -> Iterator[Any]:
        """Run task(item) for every item, yielding results as they finish."""


class SerialExecutor(Executor):
    def map_unordered(self, task, items, initializer, initargs):
        initializer(*initargs)
        for item in items:
            yield task(item)


def _worker_init(initializer: Callable[..., None], initargs: tuple) -> None:
    # Ctrl-C goes to the whole process group; the parent alone decides how to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    initializer(*initargs)


class PoolExecutor(Executor):
    def __init__(self, workers: int):
        self.workers = workers

    def map_unordered(self, task, items, initializer, initargs):
        pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_worker_init,
                                   initargs=(initializer, initargs))
        pending: set[Future] = set()
        iterator = iter(items)
        try:
            for item in iterator:
                pending.add(pool.submit(task, item))
                if len(pending) >= 2 * self.workers:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    yield from (f.result() for f in done)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in done)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def make_executor(workers: int) -> Executor:
    return SerialExecutor() if workers <= 1 else PoolExecutor(workers)
