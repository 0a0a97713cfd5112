"""The read stage: decide whether a file is DICOM, parse it, and check that its pixel data is whole.

Exceptions raised here carry messages written by pixelscrub, never text from the file, because a
parser's message can quote a value (a name in a malformed element, say).
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pydicom
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.encaps import generate_fragments
from pydicom.multival import MultiValue
from pydicom.uid import UID, DeflatedExplicitVRLittleEndian
from pydicom.valuerep import VR

from pixelscrub import syntaxes

syntaxes.register()

PREAMBLE = 128
DEFER_BYTES = 4 * 2**20  # larger elements (pixel data of big images and cines) stay in the file until needed
PIXEL_DATA = 0x7FE00010
PIXEL_TAGS = frozenset({0x7FE00008, 0x7FE00009, PIXEL_DATA})  # float, double and integer pixel data
KNOWN_VRS = frozenset(vr.value for vr in VR)
UNDEFINED = 0xFFFFFFFF
# Little-endian tags a file may start with when it has no preamble: file meta (0002) or a dataset.
HEADLESS_GROUPS = (b"\x02\x00", b"\x08\x00")
TRUNCATION_HINTS = ("end of file", "truncat", "unexpected end", "not enough")
# Image Pixel attributes (PS3.3 C.7.6.3) and the values they can hold. Decoders refuse anything else,
# and GDCM's abort the whole process on some (a BitsAllocated or SamplesPerPixel a flipped bit made).
LAYOUT_DEFAULTS = {"Rows": 0, "Columns": 0, "SamplesPerPixel": 1, "BitsAllocated": 0, "PixelRepresentation": 0,
                   "PlanarConfiguration": 0, "NumberOfFrames": 1}
LAYOUT_VALUES = {"SamplesPerPixel": (1, 3), "BitsAllocated": (1, 8, 16, 32, 64), "PixelRepresentation": (0, 1),
                 "PlanarConfiguration": (0, 1)}


class NotDicom(Exception):
    """The file is not DICOM; it is skipped and never copied."""


class Unreadable(Exception):
    """The file is DICOM but cannot be trusted; the message says why without quoting any value."""


@dataclass(frozen=True)
class ImageFacts:
    """Header facts that triage, the pixel stage and the summary need, taken before cleaning."""

    modality: str
    sop_class_uid: str
    image_type: tuple[str, ...]
    conversion_type: str
    burned_in_annotation: str
    manufacturer: str
    model: str
    rows: int
    columns: int
    frames: int
    samples: int
    photometric: str
    transfer_syntax: str
    has_pixels: bool
    us_regions: tuple[tuple[int, int, int, int], ...]  # (x, y, w, h) of each ultrasound data region


@dataclass
class ReadResult:
    dataset: Dataset
    facts: ImageFacts


def looks_like_dicom(path: Path) -> bool:
    with open(path, "rb") as fh:
        head = fh.read(PREAMBLE + 4)
    if head[PREAMBLE:PREAMBLE + 4] == b"DICM":
        return True
    return head[:2] in HEADLESS_GROUPS and len(head) >= 8


def _text(ds: Dataset, keyword: str) -> str:
    try:
        value = ds.get(keyword, "")
    except Exception:  # a malformed value reads as absent; the header stage removes or replaces it
        return ""
    if isinstance(value, (list, tuple, MultiValue)):
        return "\\".join(str(v) for v in value)
    return str(value or "").strip()


def _meta_text(ds: Dataset, keyword: str) -> str:
    """A file meta value, or "" when there is no file meta."""
    meta = getattr(ds, "file_meta", None)
    return _text(meta, keyword) if meta is not None else ""


def _int(ds: Dataset, keyword: str, default: int) -> int:
    try:
        return int(ds.get(keyword, default) or default)
    except (TypeError, ValueError):
        return default


def _us_regions(ds: Dataset) -> tuple[tuple[int, int, int, int], ...]:
    regions = []
    for item in ds.get("SequenceOfUltrasoundRegions", []) or []:
        try:
            x0, y0 = int(item.RegionLocationMinX0), int(item.RegionLocationMinY0)
            x1, y1 = int(item.RegionLocationMaxX1), int(item.RegionLocationMaxY1)
        except (AttributeError, TypeError, ValueError):
            continue
        if x1 > x0 and y1 > y0:
            regions.append((x0, y0, x1 - x0 + 1, y1 - y0 + 1))
    return tuple(regions)


def decode_elements(ds: Dataset, top: bool = True) -> None:
    """Convert every element once, sequences included, so no later stage meets a value pydicom cannot
    convert (it raises NotImplementedError for a VR a flipped bit invented, and more for bytes that do
    not fit their VR). Such an element becomes UN holding its raw bytes, which the header stage removes.
    Pixel data is not read here (the pixel stage streams it); an unknown VR on it becomes OB."""
    for tag in list(ds.keys()):
        raw = ds.get_item(tag, keep_deferred=True)
        if top and tag in PIXEL_TAGS:
            if getattr(raw, "is_raw", False) and raw.VR not in KNOWN_VRS:
                ds[tag] = raw._replace(VR="OB")
            continue
        try:
            element = ds[tag]
            if element.VR == "SQ":
                for item in element.value or []:
                    decode_elements(item, top=False)
        except Exception:  # its message could quote the value: nothing of it is kept
            ds[tag] = DataElement(tag, "UN", raw.value if isinstance(raw.value, bytes) else b"")
            ds[tag].VR = "UN"  # pydicom gives a known tag its dictionary VR back on assignment


def facts_of(ds: Dataset) -> ImageFacts:
    meta = getattr(ds, "file_meta", None)
    syntax = str(meta.get("TransferSyntaxUID", "")) if meta is not None else ""
    return ImageFacts(
        modality=_text(ds, "Modality").upper() or "unknown",
        # An image whose SOP class only the file meta names (screen captures a viewer wrapped): that one.
        sop_class_uid=_text(ds, "SOPClassUID") or (_meta_text(ds, "MediaStorageSOPClassUID") if "PixelData" in ds else ""),
        image_type=tuple(p.strip().upper() for p in _text(ds, "ImageType").split("\\") if p.strip()),
        conversion_type=_text(ds, "ConversionType").upper(),
        burned_in_annotation=_text(ds, "BurnedInAnnotation").upper(),
        manufacturer=_text(ds, "Manufacturer"),
        model=_text(ds, "ManufacturerModelName"),
        rows=_int(ds, "Rows", 0),
        columns=_int(ds, "Columns", 0),
        frames=_int(ds, "NumberOfFrames", 1),
        samples=_int(ds, "SamplesPerPixel", 1),
        photometric=_text(ds, "PhotometricInterpretation").upper(),
        transfer_syntax=syntax,
        has_pixels="PixelData" in ds,
        us_regions=_us_regions(ds),
    )


def _check_whole(ds: Dataset, facts: ImageFacts) -> None:
    """A file cut at an element boundary parses without complaint; what is missing gives it away."""
    if not facts.sop_class_uid:
        raise Unreadable("no SOP Class UID: not a DICOM object, or the file is cut short")
    if not facts.has_pixels and "Rows" in ds and "FloatPixelData" not in ds and "DoubleFloatPixelData" not in ds:
        raise Unreadable("image attributes but no pixel data: the file is probably truncated")


@contextmanager
def _pixel_value(ds: Dataset, path: Path):
    """The PixelData value and its length, from memory, or as the file positioned at the value when the
    reader left a large element on disk (the pixel stage streams it from there)."""
    element = ds.get_item(PIXEL_DATA, keep_deferred=True)
    value = getattr(element, "value", None)
    if value is not None:
        yield value, len(value)
        return
    with open(path, "rb") as fh:
        size = fh.seek(0, 2)
        fh.seek(element.value_tell)
        length = element.length if element.length != UNDEFINED else None
        if length is not None and element.value_tell + length > size:
            raise Unreadable(f"pixel data is truncated ({size - element.value_tell} of {length} bytes)")
        yield fh, length


def _layout_number(ds: Dataset, keyword: str, default: int) -> int:
    value = ds.get(keyword)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):  # bytes left undecoded, several values, text
        raise Unreadable(f"the image attribute {keyword} is not a number") from None


def _check_layout(ds: Dataset) -> None:
    """Raise Unreadable when the Image Pixel attributes describe no image that can exist."""
    layout = {keyword: _layout_number(ds, keyword, default) for keyword, default in LAYOUT_DEFAULTS.items()}
    for keyword, allowed in LAYOUT_VALUES.items():
        if layout[keyword] not in allowed:
            raise Unreadable(f"the image attribute {keyword} is missing or holds a value no image can have")
    allocated = layout["BitsAllocated"]
    if not 1 <= _layout_number(ds, "BitsStored", allocated) <= allocated:
        raise Unreadable("the image attribute BitsStored does not fit BitsAllocated")
    if not 0 <= _layout_number(ds, "HighBit", allocated - 1) < allocated:
        raise Unreadable("the image attribute HighBit does not fit BitsAllocated")
    if layout["NumberOfFrames"] < 0:
        raise Unreadable("the image attribute NumberOfFrames holds a value no image can have")


def _check_pixels(ds: Dataset, facts: ImageFacts, path: Path) -> None:
    """Raise Unreadable when the pixel data cannot be whole: implausible image attributes, short native
    data, or broken fragments."""
    if not facts.has_pixels:
        return
    _check_layout(ds)
    if facts.rows <= 0 or facts.columns <= 0:
        raise Unreadable("pixel data without valid Rows/Columns")
    if facts.transfer_syntax and not UID(facts.transfer_syntax).is_transfer_syntax:
        return  # a syntax pydicom does not know (JPEG XL, a private one): nothing to check it against
    with _pixel_value(ds, path) as (data, length):
        if facts.transfer_syntax and UID(facts.transfer_syntax).is_encapsulated:
            try:
                fragments = sum(1 for _ in generate_fragments(data))
            except Exception:
                raise Unreadable("encapsulated pixel data is malformed (fragments cannot be parsed)") from None
            if fragments == 0:
                raise Unreadable("encapsulated pixel data holds no fragments")
            return
    bits = _int(ds, "BitsAllocated", 8)
    expected = facts.rows * facts.columns * facts.samples * facts.frames
    expected = (expected + 7) // 8 if bits == 1 else expected * bits // 8
    if facts.photometric == "YBR_FULL_422" and facts.samples == 3:
        expected = expected // 3 * 2  # two chroma samples per pixel pair (PS3.3 C.7.6.3.1.2)
    if (length or 0) < expected:
        raise Unreadable(f"pixel data is truncated ({length or 0} of {expected} bytes)")


def read(path: Path) -> ReadResult:
    """Parse `path`; raise NotDicom or Unreadable with a reason that quotes nothing from the file."""
    try:
        if not looks_like_dicom(path):
            raise NotDicom("not a DICOM file (no DICM marker and no DICOM tags at the start)")
    except OSError as exc:
        raise Unreadable(f"cannot open the file ({type(exc).__name__})") from None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            ds = pydicom.dcmread(path, force=True, defer_size=DEFER_BYTES)
            if getattr(ds, "file_meta", {}).get("TransferSyntaxUID") == DeflatedExplicitVRLittleEndian:
                ds = pydicom.dcmread(path, force=True)  # a deferred value cannot be found in a deflated stream
            decode_elements(ds)
            decode_elements(getattr(ds, "file_meta", None) or Dataset(), top=False)
        except Exception as exc:  # any parser failure (zlib, struct, a codec) means the file cannot be trusted
            raise Unreadable(f"the DICOM header cannot be parsed ({type(exc).__name__})") from None
    if any(hint in str(w.message).lower() for w in caught for hint in TRUNCATION_HINTS):
        raise Unreadable("the file is truncated (it ends inside an element)")
    if getattr(ds, "file_meta", None) is not None and "TransferSyntaxUID" not in ds.file_meta:
        ds.file_meta.TransferSyntaxUID = pydicom.uid.ImplicitVRLittleEndian
    if "DirectoryRecordSequence" in ds:
        raise NotDicom("DICOMDIR media index (it lists patient names and holds no image)")
    facts = facts_of(ds)
    _check_whole(ds, facts)
    _check_pixels(ds, facts, path)
    return ReadResult(dataset=ds, facts=facts)
