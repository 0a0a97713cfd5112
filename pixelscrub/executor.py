"""One executor abstraction for parallel work, and the local process pool that implements it.

Each worker builds its heavy state (OCR engine, project store) once, through an initializer, then
processes many files. Work is submitted through a bounded window so a million-file archive does not
become a million pending futures. A native decoder that crashes on a malformed file takes its worker
down and breaks the pool; the files that were in flight are then retried one at a time in fresh
pools, so the one that crashes is reported through `on_crash` and the run goes on. A distributed
engine plugs in by implementing `Executor`.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import signal
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

PR_SET_PDEATHSIG = 1  # linux/prctl.h


class Executor(ABC):
    @abstractmethod
    def map_unordered(self, task: Callable[[Any], Any], items: Iterable[Any], initializer: Callable[..., None],
                      initargs: tuple, on_crash: Callable[[Any], Any]) -> Iterator[Any]:
        """Yield task(item) for every item as it finishes; on_crash(item) for an item that kills its worker."""


def _die_with_parent() -> None:
    """Ask Linux to end this worker if its parent dies (killed with SIGKILL, say), so that no orphan
    keeps working, or waiting, after the run is gone. Without prctl (not Linux) nothing is asked."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # it writes only to staging: safe to stop anywhere
    except (OSError, AttributeError):
        return


def _worker_init(initializer: Callable[..., None], initargs: tuple) -> None:
    _die_with_parent()
    # Ctrl-C goes to the whole process group; the parent alone decides how to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    initializer(*initargs)


class PoolExecutor(Executor):
    def __init__(self, workers: int):
        self.workers = workers

    def _pool(self, workers: int, initializer, initargs) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(initializer, initargs))

    def map_unordered(self, task, items, initializer, initargs, on_crash):
        iterator = iter(items)
        while True:
            pool = self._pool(self.workers, initializer, initargs)
            in_flight: dict[Future, Any] = {}
            unsent: list[Any] = []  # an item taken from `items` that a broken pool refused
            try:
                for item in iterator:
                    unsent = [item]
                    in_flight[pool.submit(task, item)] = item
                    unsent = []
                    if len(in_flight) >= 2 * self.workers:
                        yield from self._collect(in_flight)
                while in_flight:
                    yield from self._collect(in_flight)
                return
            except BrokenProcessPool:
                finished = [f for f in in_flight if f.done() and not f.cancelled() and f.exception() is None]
                suspects = [item for f, item in in_flight.items() if f not in finished] + unsent
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
            yield from (f.result() for f in finished)  # done before the pool broke: never run twice
            yield from self._isolate(task, suspects, initializer, initargs, on_crash)

    @staticmethod
    def _collect(in_flight: dict[Future, Any]) -> Iterator[Any]:
        done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
        for future in done:
            result = future.result()  # raises BrokenProcessPool if a worker died
            del in_flight[future]
            yield result

    def _isolate(self, task, suspects, initializer, initargs, on_crash) -> Iterator[Any]:
        """Run each suspect alone; the one that breaks its own pool is the one that crashes."""
        for item in suspects:
            pool = self._pool(1, initializer, initargs)
            try:
                result = pool.submit(task, item).result()
            except BrokenProcessPool:
                result = on_crash(item)
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
            yield result


def make_executor(workers: int) -> Executor:
    return PoolExecutor(workers)
