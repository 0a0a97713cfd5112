"""Masking: fill each padded box on every frame with the background around it, in the stored values.

Filling with the local background (the median of a thin ring around the box, per sample, over all
frames; the most common index for PALETTE COLOR) removes the text completely without leaving a
black bar on light panels, which a second OCR pass would read as a stroke of the neighbouring word.
"""

from __future__ import annotations

import numpy as np

from pixelscrub.pixels.boxes import Box
from pixelscrub.pixels.frames import Pixels

RING = 2


def pad_boxes(boxes: list[Box], pad: int, width: int, height: int) -> list[Box]:
    return [box.pad(pad, width, height) for box in boxes]


def background(pixels: Pixels, box: Box):
    """The fill for `box`: the typical stored value just outside it."""
    rows, columns = pixels.array.shape[1:3]
    outer = box.pad(RING, columns, rows)
    region = pixels.array[:, outer.y:outer.y1, outer.x:outer.x1]
    ring = np.ones(region.shape[1:3], bool)
    ring[box.y - outer.y:box.y1 - outer.y, box.x - outer.x:box.x1 - outer.x] = False
    if not ring.any():  # the box covers the whole image
        ring[:] = True
    samples = region[:, ring]  # (frames, n) or (frames, n, channels)
    samples = samples.reshape(-1, *samples.shape[2:])
    if pixels.photometric == "PALETTE COLOR":
        values, counts = np.unique(samples, return_counts=True)
        return values[np.argmax(counts)]
    return np.median(samples, axis=0).astype(pixels.array.dtype)


def _groups(boxes: list[Box]) -> list[list[Box]]:
    """Boxes that overlap, directly or through others, form one group and get one fill."""
    groups: list[list[Box]] = []
    for box in boxes:
        joined = [g for g in groups if any(box.intersection(other) for other in g)]
        merged = [box] + [b for g in joined for b in g]
        groups = [g for g in groups if g not in joined] + [merged]
    return groups


def apply_masks(pixels: Pixels, boxes: list[Box]) -> None:
    """Fill each box on every frame, in place; fills are measured before any box is filled."""
    fills = []
    for group in _groups(boxes):
        bounds = group[0]
        for box in group[1:]:
            bounds = bounds.union(box)
        fills.append((group, background(pixels, bounds)))
    for group, fill in fills:
        for box in group:
            pixels.array[:, box.y:box.y1, box.x:box.x1] = fill
