"""Decoding pixel data, and the 8-bit grey images that detection and OCR read.

Decoding goes through pydicom's pixel API, which returns colour as RGB (YBR is converted once, there),
so everything downstream works in one colour model per photometric interpretation.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from pydicom.dataset import Dataset
from pydicom.pixels import apply_color_lut, pixel_array

YBR = ("YBR_FULL", "YBR_FULL_422", "YBR_ICT", "YBR_RCT", "YBR_PARTIAL_420", "YBR_PARTIAL_422")


@dataclass
class Pixels:
    """Decoded frames, always with a leading frame axis, and the photometric interpretation they are in."""

    array: np.ndarray
    photometric: str

    @property
    def frames(self) -> int:
        return self.array.shape[0]


def decode(ds: Dataset) -> Pixels:
    arr = pixel_array(ds)
    photometric = str(ds.PhotometricInterpretation).upper()
    if photometric in YBR:  # pydicom converted it to RGB while decoding
        photometric = "RGB"
    single = arr.ndim == 2 or (arr.ndim == 3 and int(ds.get("SamplesPerPixel", 1)) > 1)
    if single:
        arr = arr[np.newaxis]
    return Pixels(array=arr, photometric=photometric)


def reading_image(frame: np.ndarray, photometric: str, ds: Dataset) -> np.ndarray:
    """An 8-bit grey rendering of one frame in which burned-in text keeps its contrast."""
    if photometric == "PALETTE COLOR":
        frame = apply_color_lut(frame, ds)
        if frame.dtype != np.uint8:
            frame = (frame >> 8).astype(np.uint8)
    if frame.ndim == 3:
        return cv2.cvtColor(np.ascontiguousarray(frame, dtype=np.uint8), cv2.COLOR_RGB2GRAY)
    lo, hi = float(frame.min()), float(frame.max())
    grey = ((frame.astype(np.float32) - lo) * (255.0 / (hi - lo or 1.0))).astype(np.uint8)
    return 255 - grey if photometric == "MONOCHROME1" else grey
