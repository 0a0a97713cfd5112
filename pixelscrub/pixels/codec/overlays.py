"""Overlays: bit planes that viewers draw over the image, and that often carry a name.

Two kinds exist. Overlay Data (60xx,3000) planes are separate elements: the header stage removes them,
or under Clean Graphics leaves them for `clean_planes`, which reads their text like any image and
clears the PHI. Embedded overlays (retired, still common in old CR and US) live in the unused high bits
of PixelData, at the bit position 60xx,0102 names; any stored value with bits above BitsStored may hide
one. Decoding drops those bits, so an image that has them is rewritten even when nothing is masked, and
the overlay's description goes with its bits.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pydicom.dataset import Dataset
from pydicom.pixels import pack_bits
from pydicom.uid import UID

from pixelscrub.pixels.codec.frames import PIXEL_DATA, Frames

CHUNK = 8 * 2**20
OVERLAY_DATA = 0x3000
OVERLAY_BITS_ALLOCATED = 0x0100


def overlay_groups(ds: Dataset) -> list[int]:
    return sorted({tag.group for tag in ds.keys() if 0x6000 <= tag.group <= 0x601E and tag.group % 2 == 0})


def embedded_groups(ds: Dataset) -> list[int]:
    """Overlay groups that keep their bits inside PixelData (no Overlay Data of their own)."""
    groups = []
    for group in overlay_groups(ds):
        bits = ds.get((group, OVERLAY_BITS_ALLOCATED))
        if (group, OVERLAY_DATA) not in ds and bits is not None and int(bits.value or 1) > 1:
            groups.append(group)
    return groups


def _raw_chunks(ds: Dataset, path: Path | None):
    """The native PixelData bytes, a chunk at a time, from memory or from the file."""
    element = ds.get_item(PIXEL_DATA, keep_deferred=True)
    value = getattr(element, "value", None)
    if value is not None:
        for start in range(0, len(value), CHUNK):
            yield value[start:start + CHUNK]
        return
    if path is None:
        return
    with open(path, "rb") as fh:
        fh.seek(element.value_tell)
        left = element.length
        while left > 0:
            chunk = fh.read(min(CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk


def hidden_bits(ds: Dataset, path: Path | None) -> bool:
    """True when stored values carry bits above BitsStored, or an embedded overlay is declared."""
    if embedded_groups(ds):
        return True
    syntax = UID(ds.file_meta.TransferSyntaxUID)
    allocated = int(ds.get("BitsAllocated") or 8)
    stored = int(ds.get("BitsStored") or allocated)
    if not syntax.is_transfer_syntax or syntax.is_encapsulated or syntax.is_deflated or allocated not in (16, 32) or stored >= allocated:
        return False
    dtype = np.dtype(f"u{allocated // 8}").newbyteorder("<" if syntax.is_little_endian else ">")
    signed = int(ds.get("PixelRepresentation") or 0) == 1
    # Signed values are sign-extended: everything from bit stored-1 up is all zeros or all ones.
    shift = stored - 1 if signed else stored
    full = (1 << (allocated - shift)) - 1
    carry = b""
    for chunk in _raw_chunks(ds, path):
        chunk = carry + chunk
        usable = len(chunk) - len(chunk) % dtype.itemsize
        carry = chunk[usable:]
        top = np.frombuffer(chunk[:usable], dtype) >> shift
        if (top != 0).any() and (not signed or ((top != 0) & (top != full)).any()):
            return True
    return False


def drop_embedded(ds: Dataset) -> int:
    """Remove the description of every embedded overlay, whose bits the rewrite cleared."""
    groups = embedded_groups(ds)
    for group in groups:
        for tag in [t for t in ds.keys() if t.group == group]:
            del ds[tag]
    return len(groups)


def plane(ds: Dataset, group: int) -> np.ndarray:
    """An overlay plane as 0/1 frames (frame axis first)."""
    arr = ds.overlay_array(group)
    return arr[np.newaxis] if arr.ndim == 2 else arr


def plane_frames(ds: Dataset, group: int) -> Frames:
    """An overlay plane as grey frames the text scanner reads: set bits white on black."""
    return Frames.of((plane(ds, group) * 255).astype(np.uint8), "MONOCHROME2")


def clear_boxes(ds: Dataset, group: int, boxes) -> None:
    """Clear the bits of an overlay plane inside `boxes`, on every frame, and store it packed again."""
    bits = plane(ds, group).copy()
    for box in boxes:
        bits[:, box.y:box.y1, box.x:box.x1] = 0
    ds[(group, OVERLAY_DATA)].value = pack_bits(bits.reshape(-1))
