"""Seconds spent per stage of one file, for the summary's timings."""

from __future__ import annotations

import time
from contextlib import contextmanager


class Clock:
    """Call it with a stage's name when that stage starts; the time until the next call is that stage's."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.stage, self._start = "", 0.0

    def __call__(self, stage_name: str) -> None:
        now = time.perf_counter()
        if self.stage:
            self.seconds[self.stage] = self.seconds.get(self.stage, 0.0) + now - self._start
        self.stage, self._start = stage_name, now

    @contextmanager
    def visit(self, stage_name: str):
        """Count the time inside the block to `stage_name`, then go back to the stage before it."""
        previous = self.stage
        self(stage_name)
        try:
            yield
        finally:
            self(previous)

    def stop(self) -> dict[str, float]:
        self("")
        return {k: round(v, 4) for k, v in self.seconds.items()}
