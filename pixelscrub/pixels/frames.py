"""Decoding pixel data, and the 8-bit grey images that detection and OCR read.

Decoding goes through pydicom's pixel API. YBR_FULL and YBR_FULL_422 are converted to RGB exactly once,
by OpenCV (pydicom is asked for the raw YBR values: its own conversion is several times slower), so
everything downstream works in one colour model per photometric interpretation.
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


FULL_RANGE_YBR = ("YBR_FULL", "YBR_FULL_422")


def _ybr_to_rgb(arr: np.ndarray) -> np.ndarray:
    """Full-range Y, Cb, Cr (ITU-R BT.601, as JPEG) to RGB, frame by frame."""
    out = np.empty_like(arr)
    for i, frame in enumerate(arr):
        out[i] = cv2.cvtColor(np.ascontiguousarray(frame[..., [0, 2, 1]]), cv2.COLOR_YCrCb2RGB)
    return out


def decode(ds: Dataset) -> Pixels:
    photometric = str(ds.PhotometricInterpretation).upper()
    convert = photometric in FULL_RANGE_YBR and int(ds.get("BitsAllocated", 8)) == 8
    arr = pixel_array(ds, as_rgb=not convert)
    single = arr.ndim == 2 or (arr.ndim == 3 and int(ds.get("SamplesPerPixel", 1)) > 1)
    if single:
        arr = arr[np.newaxis]
    if convert:
        arr = _ybr_to_rgb(arr)
    if photometric in YBR:  # now RGB, converted here or by pydicom (or by the JPEG 2000 decoder)
        photometric = "RGB"
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


def chroma_image(frame: np.ndarray) -> np.ndarray:
    """Spread between a pixel's channels: high for coloured overlay text, near zero for grey anatomy,
    so yellow text over a grey echo stands out even where its brightness matches the echo."""
    return (frame.max(axis=-1) - frame.min(axis=-1)).astype(np.uint8)


def static_composite(greys: list[np.ndarray], tolerance: int = 12) -> np.ndarray:
    """The first frame where pixels stay (nearly) constant across frames, their mean where they move.

    An overlay is static while the image under it moves, so text over moving anatomy stands out on
    the mean's smoothed speckle, which draws no hard edges of its own. The tolerance absorbs the
    compression noise of lossy cines.
    """
    stack = np.stack(greys)
    moving = (stack.max(axis=0).astype(np.int16) - stack.min(axis=0)) > tolerance
    mean = stack.sum(axis=0, dtype=np.uint32) // len(greys)
    return np.where(moving, mean, greys[0]).astype(np.uint8)
