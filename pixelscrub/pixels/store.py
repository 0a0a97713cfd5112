"""Writing masked pixels back into the dataset, losslessly.

Called only when a mask was applied; otherwise PixelData is left exactly as it was read. A native
source stays native (little endian); an encapsulated source is re-encoded with RLE Lossless, since
a lossy source must never be compressed lossy again. Colour comes back from decoding as RGB.
"""

from __future__ import annotations

from pydicom.dataset import Dataset
from pydicom.uid import ExplicitVRLittleEndian, RLELossless, UID

from pixelscrub.pixels.frames import Pixels


def store(ds: Dataset, pixels: Pixels) -> None:
    source_syntax = UID(ds.file_meta.TransferSyntaxUID)
    if not source_syntax.is_little_endian:
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    arr = pixels.array if pixels.frames > 1 else pixels.array[0]
    bits_stored = int(ds.get("BitsStored", arr.dtype.itemsize * 8))
    ds.set_pixel_data(arr, pixels.photometric, bits_stored, generate_instance_uid=False)
    if source_syntax.is_encapsulated:
        ds.compress(RLELossless, generate_instance_uid=False)
