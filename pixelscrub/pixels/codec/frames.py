"""Decoding pixel data frame by frame, and the 8-bit grey images that detection and OCR read.

The pixel stage reads every frame twice: once to find the text, once to mask it and re-encode. Frames
are decoded one at a time through pydicom's decoders, straight from the file when the reader left the
pixel data there, so a 300-frame cine never sits in memory whole; decoded frames are kept between the
two passes only while they fit a budget.

Colour comes out in one model per photometric interpretation: YBR_FULL and YBR_FULL_422 are converted to
RGB exactly once, here, by OpenCV for 8-bit data (several times faster than pydicom's own conversion)
and only when the decoder says its output is still YBR, so data a codec already converted is never
converted twice. PALETTE COLOR stays as indices and MONOCHROME1 as stored; only the reading images
apply the palette or invert.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from pydicom.dataset import Dataset
from pydicom.encaps import generate_frames
from pydicom.pixels import apply_color_lut, as_pixel_options, convert_color_space, get_decoder
from pydicom.uid import UID

from pixelscrub.pixels.codec import gdcm_decode

YBR = ("YBR_FULL", "YBR_FULL_422", "YBR_ICT", "YBR_RCT", "YBR_PARTIAL_420", "YBR_PARTIAL_422")
FULL_RANGE_YBR = ("YBR_FULL", "YBR_FULL_422")
PIXEL_DATA = 0x7FE00010
KEEP_BYTES = 64 * 2**20
# Decoder plugins, in the order one is chosen. GDCM's comes last, for what nothing else decodes (JPEG
# Lossless): on some corrupt JPEG data it throws a C++ exception through its binding, which aborts the
# whole process, and pydicom tries it first when no plugin is named.
PLUGINS = ("pylibjpeg", "pyjpegls", "pillow", "pydicom", "gdcm")
SOF_MARKERS = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})


class DecodeError(Exception):
    """Pixel data that cannot be decoded. The message names the syntax or the failure, never a value."""


def _ybr_to_rgb(frame: np.ndarray) -> np.ndarray:
    """Full-range Y, Cb, Cr (ITU-R BT.601, as in JPEG) to RGB."""
    if frame.dtype == np.uint8:
        return cv2.cvtColor(np.ascontiguousarray(frame[..., [0, 2, 1]]), cv2.COLOR_YCrCb2RGB)
    return convert_color_space(frame, "YBR_FULL", "RGB")


class Frames:
    """The decoded frames of one image, in order, with a photometric interpretation that says what the
    values are (RGB for any YBR source)."""

    def __init__(self, ds: Dataset, path: Path | None = None, keep_bytes: int = KEEP_BYTES,
                 timer: Callable[[], AbstractContextManager] = nullcontext):
        self.ds, self.path, self._timer = ds, path, timer
        self.unused_bits = False  # True: keep the bits above BitsStored, to look for what hides there
        self.syntax = UID(ds.file_meta.TransferSyntaxUID)
        if not self.syntax.is_transfer_syntax:
            raise DecodeError("no decoder for this transfer syntax (not one pydicom knows)")
        try:
            self._decoder = get_decoder(self.syntax)
        except NotImplementedError:
            raise DecodeError(f"no decoder for transfer syntax {self.syntax.name}") from None
        if not self._decoder.is_available:
            raise DecodeError(f"the decoder for {self.syntax.name} needs a codec plugin that is not installed")
        self._plugin = next((p for p in PLUGINS if p in self._decoder.available_plugins), "")
        self.count = int(ds.get("NumberOfFrames") or 1)
        self.rows, self.columns = int(ds.Rows), int(ds.Columns)
        self.samples = int(ds.get("SamplesPerPixel") or 1)
        source = str(ds.get("PhotometricInterpretation", "MONOCHROME2")).upper()
        self.photometric = "RGB" if source in YBR else source
        if self.photometric == "PALETTE COLOR":
            _check_palette(ds)
        frame_bytes = self.rows * self.columns * self.samples * max(1, int(ds.get("BitsAllocated") or 8) // 8)
        self._keep = frame_bytes * self.count <= keep_bytes
        self._kept: list[np.ndarray] | None = None
        if self._plugin == "gdcm" or gdcm_decode.needed(ds):
            self._check_codestreams()
        if gdcm_decode.needed(ds):
            if path is None:
                raise DecodeError(f"{self.syntax.name} with more than 8 bits is decoded only from a file")
            with timer():
                try:
                    self._kept = gdcm_decode.frames(path, ds)
                except Exception as exc:
                    raise DecodeError(f"the image could not be decoded ({self.syntax.name}, "
                                      f"{type(exc).__name__})") from None

    @classmethod
    def of(cls, array: np.ndarray, photometric: str) -> "Frames":
        """Frames held in memory (frame axis first): overlay planes, and tests."""
        frames = cls.__new__(cls)
        frames.ds, frames.path, frames.syntax, frames._timer = None, None, None, nullcontext
        frames.count, frames.rows, frames.columns = array.shape[:3]
        frames.samples = array.shape[3] if array.ndim == 4 else 1
        frames.photometric, frames._keep = photometric, True
        frames._kept = [np.ascontiguousarray(f) for f in array]
        return frames

    @property
    def colour(self) -> bool:
        return self.samples == 3

    def __iter__(self) -> Iterator[tuple[int, np.ndarray]]:
        """Every frame, decoded; kept for the next pass when all of them fit the budget."""
        if self._kept is not None:
            yield from enumerate(self._kept)
            return
        kept: list[np.ndarray] | None = [] if self._keep else None
        for index, frame in enumerate(self._decode(None)):
            if kept is not None:
                kept.append(frame)
            yield index, frame
        if kept is not None and len(kept) == self.count:
            self._kept = kept

    def frame(self, index: int) -> np.ndarray:
        if self._kept is not None:
            return self._kept[index]
        return next(self._decode([index]))

    def sample(self, most: int) -> list[np.ndarray]:
        """Up to `most` frames spread evenly over the image, first and last included."""
        indices = sorted({int(round(i)) for i in np.linspace(0, self.count - 1, min(most, self.count))})
        if self._kept is not None:
            return [self._kept[i] for i in indices]
        return list(self._decode(indices))

    def _check_codestreams(self) -> None:
        """Raise DecodeError for a frame GDCM could abort the process on: a header libjpeg warns about
        (see `jpeg_frame`), one that describes another image than the dataset, or a precision GDCM has
        no decoder for.

        GDCM decodes with the libjpeg build (8, 12 or 16 bits) BitsStored picks; for a codestream of
        another precision it retries with the build that precision names, and calls abort() when there
        is none (a flipped bit makes 24). It also aborts when that retry fails, so a codestream whose
        precision differs from BitsStored and whose entropy-coded data is corrupt still can: no other
        installed decoder reads JPEG Lossless, and corruption there cannot be seen without decoding."""
        stored = int(self.ds.get("BitsStored") or self.ds.get("BitsAllocated") or 8)
        with self._source() as (source, _):
            data = source if not isinstance(source, Dataset) else source.PixelData
            try:
                for index, codestream in enumerate(generate_frames(data, number_of_frames=self.count)):
                    frame = jpeg_frame(codestream)
                    if frame is None or (frame.rows, frame.columns, frame.samples) != (
                            self.rows, self.columns, self.samples) or not (
                            frame.precision in (8, 12, 16) or 2 <= frame.precision <= 16
                            and _build(frame.precision) == _build(stored)):
                        raise DecodeError(f"frame {index + 1} of {self.count} is not a JPEG codestream that "
                                          f"matches the header ({self.syntax.name})")
            except DecodeError:
                raise
            except Exception as exc:
                raise DecodeError(f"the fragments cannot be read ({self.syntax.name}, {type(exc).__name__})") from None

    @contextmanager
    def _source(self):
        """The decoder's input: the file at the pixel data's value when the reader left it there (a
        large element is read on demand), else the dataset in memory."""
        element = self.ds.get_item(PIXEL_DATA, keep_deferred=True)
        deferred = element is not None and getattr(element, "value", b"") is None and self.path is not None
        if not deferred or self.syntax.is_deflated:
            yield self.ds, {}
            return
        with open(self.path, "rb") as fh:
            fh.seek(element.value_tell)
            options = as_pixel_options(self.ds, transfer_syntax_uid=self.syntax, pixel_keyword="PixelData")
            if not self.syntax.is_implicit_VR:
                options["pixel_vr"] = element.VR
            yield fh, options

    def _arrays(self, source, options: dict, indices: list[int] | None) -> Iterator[tuple[np.ndarray, dict]]:
        if self.unused_bits:
            options = {**options, "correct_unused_bits": False}
        if self.syntax.is_encapsulated:
            yield from self._decoder.iter_array(source, indices=indices, raw=True, decoding_plugin=self._plugin,
                                                **options)
            return
        # Native frames sit at fixed offsets, read one by one (pydicom 3.0's iter_array miscounts the
        # frame length of native YBR_FULL_422, whose chroma is subsampled).
        for index in range(self.count) if indices is None else indices:
            yield self._decoder.as_array(source, index=index, raw=True, **options)

    def _decode(self, indices: list[int] | None) -> Iterator[np.ndarray]:
        done = 0
        try:
            with self._source() as (source, options):
                decoded = self._arrays(source, options, indices)
                while True:
                    with self._timer():
                        try:
                            item = next(decoded, None)
                        except BaseException as exc:
                            # pyo3 hands a Rust codec's panic (pylibjpeg-rle on a corrupt segment) over
                            # as PanicException, a BaseException no `except Exception` stops.
                            if type(exc).__name__ != "PanicException":
                                raise
                            raise self._failed(done, exc) from None
                        if item is None:
                            break
                        arr, meta = item
                        if meta.get("photometric_interpretation") in FULL_RANGE_YBR:
                            arr = _ybr_to_rgb(arr)
                        elif not arr.flags.writeable:
                            arr = arr.copy()
                    done += 1
                    yield arr
        except DecodeError:
            raise
        except Exception as exc:
            raise self._failed(done, exc) from None
        if indices is None and done < self.count:
            raise DecodeError(f"only {done} of {self.count} frames could be decoded ({self.syntax.name})")

    def _failed(self, done: int, exc: BaseException) -> DecodeError:
        """A codec's message can quote nothing from the header, but it is named by type only."""
        return DecodeError(f"frame {done + 1} of {self.count} could not be decoded "
                           f"({self.syntax.name}, {type(exc).__name__})")


def _build(bits: int) -> int:
    """The libjpeg build GDCM decodes a sample depth with."""
    return 8 if bits <= 8 else 12 if bits <= 12 else 16


@dataclass(frozen=True)
class JpegFrame:
    precision: int
    rows: int
    columns: int
    samples: int


def jpeg_frame(codestream: bytes) -> JpegFrame | None:
    """The frame header of a JPEG codestream whose marker segments run cleanly from SOI to SOS, else None.

    GDCM aborts the whole process (a C++ exception thrown through its binding) when libjpeg warns while
    reading the header: stray bytes between segments, a JFIF or Adobe marker of an unknown version, a
    header cut short. Such a frame is refused before GDCM is given it; what libjpeg reports as an
    error instead, GDCM turns into an ordinary failure."""
    if codestream[:2] != b"\xff\xd8":
        return None
    at, end, frame = 2, len(codestream), None
    while at < end and codestream[at] == 0xFF:
        while at < end and codestream[at] == 0xFF:  # fill bytes before a marker are allowed
            at += 1
        if at + 3 > end or codestream[at] in (0x00, 0xD8, 0xD9):
            return None
        marker, length = codestream[at], int.from_bytes(codestream[at + 1:at + 3], "big")
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a segment
            at += 1
            continue
        segment = codestream[at + 3:at + 1 + length]
        if length < 2 or at + 1 + length > end:
            return None
        if marker == 0xE0 and segment[:5] == b"JFIF\x00" and segment[5:6] != b"\x01":
            return None
        if marker == 0xEE and segment[:5] == b"Adobe" and len(segment) >= 12 and segment[11] > 2:
            return None
        if marker in SOF_MARKERS and len(segment) >= 6:
            frame = JpegFrame(segment[0], int.from_bytes(segment[1:3], "big"), int.from_bytes(segment[3:5], "big"),
                              segment[5])
        if marker == 0xDA:
            return frame
        at += 1 + length
    return None


def palette(ds: Dataset) -> Dataset:
    """The dataset's palette as pydicom's apply_color_lut reads it correctly: pydicom 3.0 takes
    unsegmented LUT data in the machine's byte order, so a big-endian file's tables are swapped here."""
    if UID(ds.file_meta.TransferSyntaxUID).is_little_endian or "RedPaletteColorLookupTableData" not in ds:
        return ds
    tables = Dataset()
    for colour in ("Red", "Green", "Blue"):
        tables[f"{colour}PaletteColorLookupTableDescriptor"] = ds[f"{colour}PaletteColorLookupTableDescriptor"]
        data = ds[f"{colour}PaletteColorLookupTableData"].value
        setattr(tables, f"{colour}PaletteColorLookupTableData",
                np.frombuffer(data, ">u2").astype("<u2").tobytes() if len(data) % 2 == 0 else data)
    return tables


def _check_palette(ds: Dataset) -> None:
    """Raise DecodeError for a palette whose tables cannot be applied (a segmented table with an
    unknown segment type, a descriptor its data does not fit): found here, before any frame is read,
    rather than in the middle of the OCR stage."""
    try:
        apply_color_lut(np.zeros(1, np.uint16), palette(ds))
    except Exception as exc:  # pydicom's message can quote table values: named by type only
        raise DecodeError(f"the colour palette cannot be applied ({type(exc).__name__})") from None


def reading_image(frame: np.ndarray, photometric: str, ds: Dataset | None) -> np.ndarray:
    """An 8-bit grey rendering of one frame in which burned-in text keeps its contrast (a window over the
    frame's own range; the stored values are never changed)."""
    if photometric == "PALETTE COLOR":
        frame = apply_color_lut(frame, palette(ds))
        if frame.dtype != np.uint8:
            frame = (frame >> 8).astype(np.uint8)
    if frame.ndim == 3:
        if frame.dtype != np.uint8:
            frame = (frame.astype(np.float32) * (255.0 / max(1.0, float(frame.max())))).astype(np.uint8)
        return cv2.cvtColor(np.ascontiguousarray(frame), cv2.COLOR_RGB2GRAY)
    lo, hi = float(frame.min()), float(frame.max())
    grey = ((frame.astype(np.float32) - lo) * (255.0 / (hi - lo or 1.0))).astype(np.uint8)
    return 255 - grey if photometric == "MONOCHROME1" else grey


def chroma_image(frame: np.ndarray) -> np.ndarray:
    """Spread between a pixel's channels: high for coloured overlay text, near zero for grey anatomy,
    so yellow text over a grey echo stands out even where its brightness matches the echo."""
    spread = frame.max(axis=-1) - frame.min(axis=-1)
    if spread.dtype != np.uint8:
        spread = (spread.astype(np.float32) * (255.0 / max(1.0, float(spread.max())))).astype(np.uint8)
    return spread


class StaticComposite:
    """The first frame where pixels stay (nearly) constant across frames, their mean where they move,
    accumulated one grey frame at a time.

    An overlay is static while the image under it moves, so text over moving anatomy stands out on
    the mean's smoothed speckle, which draws no hard edges of its own. The tolerance absorbs the
    compression noise of lossy cines.
    """

    def __init__(self, tolerance: int = 12):
        self.tolerance = tolerance
        self.first = self.low = self.high = self.total = None
        self.count = 0

    def add(self, grey: np.ndarray) -> None:
        if self.first is None:
            self.first, self.low, self.high = grey.copy(), grey.copy(), grey.copy()
            self.total = grey.astype(np.uint32)
        else:
            np.minimum(self.low, grey, out=self.low)
            np.maximum(self.high, grey, out=self.high)
            self.total += grey
        self.count += 1

    def image(self) -> np.ndarray:
        moving = (self.high.astype(np.int16) - self.low) > self.tolerance
        return np.where(moving, self.total // self.count, self.first).astype(np.uint8)


EXTREME_SHARE = 0.03  # pixels at the very top (or bottom) value: a text layer only when they are this rare...
EXTREME_MIN = 30      # ...and at least this many (a glyph or two)


def extreme_layers(frame: np.ndarray) -> list[np.ndarray]:
    """The pixels at a grey frame's maximum and at its minimum stored value, white on black, each when it
    is rare enough to be text.

    Radiograph workstations burn text at the brightest (or darkest) value the image can hold, while the
    anatomy below only approaches it: such a layer shows the text crisp where the rendering shows it
    faint over bone."""
    if frame.ndim != 2 or frame.size == 0:
        return []
    layers = []
    for value in {frame.max(), frame.min()}:
        layer = (frame == value).astype(np.uint8)
        if EXTREME_MIN <= layer.sum() <= EXTREME_SHARE * frame.size and _stroked(layer):
            layers.append(layer * np.uint8(255))
    return layers


def _stroked(layer: np.ndarray) -> bool:
    """Whether most of a layer's pixels join into strokes, as glyphs do, rather than lie alone, as the
    extremes of noise do."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(layer, connectivity=8)
    areas = stats[1:count, cv2.CC_STAT_AREA]
    return bool(areas.size) and areas[areas >= 4].sum() >= 0.7 * areas.sum()
