"""Masking: fill the padded boxes on every frame, in the image's own colour model.

The fill is the image's own black: the lowest stored value for MONOCHROME2, the highest for
MONOCHROME1, zero for RGB, and the darkest palette entry for PALETTE COLOR.
"""

from __future__ import annotations

import numpy as np
from pydicom.dataset import Dataset
from pydicom.pixels import apply_color_lut

from pixelscrub.pixels.boxes import Box
from pixelscrub.pixels.frames import Pixels


def fill_value(pixels: Pixels, ds: Dataset):
    arr = pixels.array
    if pixels.photometric == "MONOCHROME1":
        return arr.max()
    if pixels.photometric == "PALETTE COLOR":
        entries = int(ds.RedPaletteColorLookupTableDescriptor[0]) or 65536
        first = int(ds.RedPaletteColorLookupTableDescriptor[1])
        indices = np.arange(first, first + entries, dtype=arr.dtype)
        colours = apply_color_lut(indices, ds).astype(np.float64)
        return indices[int(np.argmin(colours.sum(axis=-1)))]
    if pixels.photometric == "RGB":
        return 0
    return arr.min()


def pad_boxes(boxes: list[Box], pad: int, width: int, height: int) -> list[Box]:
    return [box.pad(pad, width, height) for box in boxes]


def apply_masks(pixels: Pixels, boxes: list[Box], value) -> None:
    """Fill each box on every frame, in place."""
    for box in boxes:
        pixels.array[:, box.y:box.y1, box.x:box.x1] = value
