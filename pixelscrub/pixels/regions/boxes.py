"""Axis-aligned boxes in stored-pixel coordinates, as the manifest writes them: [x, y, width, height]."""

from __future__ import annotations

from typing import NamedTuple


class Box(NamedTuple):
    x: int
    y: int
    w: int
    h: int

    @property
    def x1(self) -> int:
        return self.x + self.w

    @property
    def y1(self) -> int:
        return self.y + self.h

    def pad(self, by: int, width: int, height: int, by_y: int | None = None) -> Box:
        """Grow by `by` pixels on every side (`by_y` above and below, if given), clipped to a width x
        height image."""
        by_y = by if by_y is None else by_y
        x0, y0 = max(0, self.x - by), max(0, self.y - by_y)
        x1, y1 = min(width, self.x1 + by), min(height, self.y1 + by_y)
        return Box(x0, y0, x1 - x0, y1 - y0)

    def intersection(self, other: Box) -> int:
        w = min(self.x1, other.x1) - max(self.x, other.x)
        h = min(self.y1, other.y1) - max(self.y, other.y)
        return max(0, w) * max(0, h)

    def contains(self, other: Box) -> bool:
        return self.x <= other.x and self.y <= other.y and self.x1 >= other.x1 and self.y1 >= other.y1

    def union(self, other: Box) -> Box:
        x0, y0 = min(self.x, other.x), min(self.y, other.y)
        return Box(x0, y0, max(self.x1, other.x1) - x0, max(self.y1, other.y1) - y0)

    @property
    def area(self) -> int:
        return self.w * self.h
