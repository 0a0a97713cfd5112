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
from pydicom.encaps import generate_frames
from pydicom.pixels import pack_bits
from pydicom.uid import UID, JPEG2000TransferSyntaxes, RLELossless

from pixelscrub.pixels.codec.frames import PIXEL_DATA, Frames

CHUNK = 8 * 2**20
# Start-of-frame markers of the JPEG processes (baseline to lossless) and of JPEG-LS; each is followed by
# a two-byte length and the one-byte sample precision.
SOF_MARKERS = tuple(bytes([0xFF, code]) for code in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB,
                                                      0xCD, 0xCE, 0xCF, 0xF7))
OVERLAY_DATA = 0x3000
OVERLAY_BITS_ALLOCATED = 0x0100
OVERLAY_BIT_POSITION = 0x0102


def overlay_groups(ds: Dataset) -> list[int]:
    return sorted({tag.group for tag in ds.keys() if 0x6000 <= tag.group <= 0x601E and tag.group % 2 == 0})


def embedded_groups(ds: Dataset) -> list[int]:
    """Overlay groups that keep their bits inside PixelData: no Overlay Data of their own, and a bit
    position above BitsStored (or, as the retired standard has it, the pixel data's Bits Allocated)."""
    stored = int(ds.get("BitsStored") or ds.get("BitsAllocated") or 8)
    groups = []
    for group in overlay_groups(ds):
        if (group, OVERLAY_DATA) in ds:
            continue
        bits, position = ds.get((group, OVERLAY_BITS_ALLOCATED)), ds.get((group, OVERLAY_BIT_POSITION))
        if (bits is not None and int(bits.value or 1) > 1) or (position is not None and int(position.value or 0) >= stored):
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
    """True when stored values carry bits above BitsStored, or an embedded overlay is declared.

    Native data is read as it is stored. An RLE image is decoded keeping its unused bits. A JPEG family
    codestream holds as many bits as its own precision says: when that exceeds BitsStored, the frames
    are decoded at the codestream's precision (decoders otherwise drop the extra bits) and looked at."""
    if embedded_groups(ds):
        return True
    syntax = UID(ds.file_meta.TransferSyntaxUID)
    allocated = int(ds.get("BitsAllocated") or 8)
    stored = int(ds.get("BitsStored") or allocated)
    if not syntax.is_transfer_syntax or syntax.is_deflated or allocated not in (16, 32) or stored >= allocated:
        return False
    signed = int(ds.get("PixelRepresentation") or 0) == 1
    if syntax.is_encapsulated:
        precision = allocated if syntax == RLELossless else codestream_precision(ds, syntax)
        if precision is None:
            return True  # cannot tell: rewriting clears whatever is there
        return precision > stored and _decoded_above(ds, path, min(precision, allocated), stored, signed)
    dtype = np.dtype(f"u{allocated // 8}").newbyteorder("<" if syntax.is_little_endian else ">")
    carry = b""
    for chunk in _raw_chunks(ds, path):
        chunk = carry + chunk
        usable = len(chunk) - len(chunk) % dtype.itemsize
        carry = chunk[usable:]
        if _above(np.frombuffer(chunk[:usable], dtype), stored, signed):
            return True
    return False


def _decoded_above(ds: Dataset, path: Path | None, precision: int, stored: int, signed: bool) -> bool:
    """Decode every frame as if BitsStored were the codestream's precision, and look above `stored`."""
    declared = ds.BitsStored, ds.HighBit
    ds.BitsStored, ds.HighBit = precision, precision - 1
    try:
        frames = Frames(ds, path)
        frames.unused_bits = True
        return any(_above(frame, stored, signed) for _, frame in frames)
    finally:
        ds.BitsStored, ds.HighBit = declared


def _above(values: np.ndarray, stored: int, signed: bool) -> bool:
    """Whether any value has bits set above `stored`; signed values are sign-extended, so everything from
    bit stored-1 up is all zeros or all ones."""
    unsigned = values.view(np.dtype(f"u{values.dtype.itemsize}").newbyteorder(values.dtype.byteorder))
    top = unsigned >> (stored - 1 if signed else stored)
    full = (1 << (8 * values.dtype.itemsize - (stored - 1 if signed else stored))) - 1
    return bool((top != 0).any() and (not signed or ((top != 0) & (top != full)).any()))


def codestream_precision(ds: Dataset, syntax: UID) -> int | None:
    """The sample precision the first frame's codestream declares (JPEG and JPEG-LS frame headers,
    JPEG 2000's SIZ), or None when it cannot be read."""
    try:
        fragment = next(generate_frames(ds.PixelData, number_of_frames=int(ds.get("NumberOfFrames") or 1)))
    except Exception:
        return None
    if syntax in JPEG2000TransferSyntaxes:  # SIZ follows SOC (or a JP2 header's few boxes)
        at = fragment.find(b"\xff\x51", 0, 512)
        return (fragment[at + 40] & 0x7F) + 1 if 0 <= at and at + 40 < len(fragment) else None
    header = fragment[:max(0, fragment.find(b"\xff\xda"))]  # the frame header comes before the scan
    for marker in SOF_MARKERS:
        at = header.find(marker)
        if 0 <= at and at + 4 < len(header):
            return header[at + 4]
    return None


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
