"""Decoding through GDCM's own image reader, for the pixel data pydicom's plugins refuse.

pydicom 3.0 decodes JPEG Extended only with 8-bit samples: its GDCM and Pillow plugins refuse 12-bit
precision, and the one plugin that takes it (pylibjpeg-libjpeg) is GPL. python-gdcm's image reader
decodes 12-bit JPEG correctly, but a whole image at a time; such files are old CR, XA and RF images,
short enough to hold.
"""

from __future__ import annotations

from pathlib import Path

import gdcm
import numpy as np
from pydicom.dataset import Dataset
from pydicom.uid import JPEGExtended12Bit, UID


def needed(ds: Dataset) -> bool:
    return UID(ds.file_meta.TransferSyntaxUID) == JPEGExtended12Bit and int(ds.get("BitsStored") or 8) > 8


def frames(path: Path, ds: Dataset) -> list[np.ndarray]:
    """Every frame of the image at `path`, as stored values; ValueError when GDCM cannot decode it."""
    reader = gdcm.ImageReader()
    reader.SetFileName(str(path))
    if not reader.Read():
        raise ValueError("GDCM cannot read the file")
    image = reader.GetImage()
    raw = image.GetBuffer()
    if not raw:
        raise ValueError("GDCM decoded no pixel data")
    # python-gdcm hands the buffer back as a str; surrogateescape recovers the bytes.
    data = raw.encode("utf-8", "surrogateescape")
    signed = int(ds.get("PixelRepresentation") or 0) == 1
    dtype = np.dtype(f"{'i' if signed else 'u'}{max(1, int(ds.get('BitsAllocated') or 8) // 8)}")
    samples = int(ds.get("SamplesPerPixel") or 1)
    shape = (int(ds.get("NumberOfFrames") or 1), int(ds.Rows), int(ds.Columns)) + ((samples,) if samples > 1 else ())
    arr = np.frombuffer(data, dtype)
    if arr.size != np.prod(shape):
        raise ValueError("GDCM decoded a different number of pixels than the header describes")
    return [frame.copy() for frame in arr.reshape(shape)]
