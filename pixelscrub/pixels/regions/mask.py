"""Masking: fill each padded box on every frame with the background around it, in the stored values.

Filling with the local background (the median of a thin ring around the box, per sample, over a spread
of frames; the most common index for PALETTE COLOR) removes the text completely without leaving a
black bar on light panels, which a second OCR pass would read as a stroke of the neighbouring word.
The fills are measured once, before any frame is filled, and then applied to each frame as the
rewrite pass decodes it, so every frame gets the same fill.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pixelscrub.pixels.regions.boxes import Box

RING = 2
SAMPLE_FRAMES = 8
MIN_PAD = 2  # px a mask grows beyond its text at least: anti-aliased fringes


@dataclass(frozen=True)
class Fill:
    boxes: tuple[Box, ...]
    value: object  # a stored value, or one per sample


def pad_boxes(boxes: list[Box], pad: int, width: int, height: int) -> list[Box]:
    """Grow each box by `pad`, but above and below by a quarter of its height where that is less (and
    MIN_PAD at least): lines of 6 px text stand two or three pixels apart, and a full pad would mask
    the measurement on the next line."""
    return [box.pad(pad, width, height, min(pad, max(MIN_PAD, round(box.h / 4)))) for box in boxes]


def background(sample: np.ndarray, photometric: str, box: Box):
    """The fill for `box`: the typical stored value just outside it, over the sampled frames."""
    rows, columns = sample.shape[1:3]
    outer = box.pad(RING, columns, rows)
    region = sample[:, outer.y:outer.y1, outer.x:outer.x1]
    ring = np.ones(region.shape[1:3], bool)
    ring[box.y - outer.y:box.y1 - outer.y, box.x - outer.x:box.x1 - outer.x] = False
    if not ring.any():  # the box covers the whole image
        ring[:] = True
    values = region[:, ring]  # (frames, n) or (frames, n, channels)
    values = values.reshape(-1, *values.shape[2:])
    if photometric == "PALETTE COLOR":
        found, counts = np.unique(values, return_counts=True)
        return found[np.argmax(counts)]
    return np.median(values, axis=0).astype(sample.dtype)


def _groups(boxes: list[Box]) -> list[list[Box]]:
    """Boxes that overlap, directly or through others, form one group and get one fill."""
    groups: list[list[Box]] = []
    for box in boxes:
        joined = [g for g in groups if any(box.intersection(other) for other in g)]
        merged = [box] + [b for g in joined for b in g]
        groups = [g for g in groups if g not in joined] + [merged]
    return groups


def plan_fills(sample: list[np.ndarray], photometric: str, boxes: list[Box]) -> list[Fill]:
    """One fill per group of overlapping boxes, measured on `sample` (frames spread over the image)."""
    stack = np.stack(sample)
    fills = []
    for group in _groups(boxes):
        bounds = group[0]
        for box in group[1:]:
            bounds = bounds.union(box)
        fills.append(Fill(tuple(group), background(stack, photometric, bounds)))
    return fills


def apply_fills(frame: np.ndarray, fills: list[Fill]) -> None:
    """Fill the boxes on one frame, in place."""
    for fill in fills:
        for box in fill.boxes:
            frame[box.y:box.y1, box.x:box.x1] = fill.value


def fill_grey(grey: np.ndarray, boxes: list[Box]) -> np.ndarray:
    """A copy of an 8-bit reading image with the boxes filled as the masks will be: for images that are
    no frame of the file (a run's static composite), so the check sees what the masked frames show."""
    out = grey.copy()
    if boxes:
        for fill in plan_fills([grey], "MONOCHROME2", boxes):
            apply_fills(out, [fill])
    return out
