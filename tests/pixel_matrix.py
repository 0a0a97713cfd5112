"""Small DICOM files in every pixel encoding a real archive holds, each with the array it must decode to.

pixelscrub decodes a frame, masks a box and re-encodes it. A wrong byte order, frame order, planar
configuration, colour model or chroma subsampling shows up only on a file written that way, so this module
writes one deterministic file per "transfer syntax x photometric interpretation x frame count" combination
and knows its pixels: tests compare exactly for lossless encodings and closely for lossy ones.
`bundled()` adds pydicom's own test files for forms no installed library can write.

Combinations left out on purpose, because no installed library writes them correctly:
- JPEG baseline with chroma subsampling but labelled YBR_FULL, or RGB without an Adobe marker
  (Pillow and gdcm write neither; SC_jpeg_no_color_transform.dcm covers the second).
- PALETTE COLOR with an 8-bit LUT in Explicit VR Big Endian: 8-bit LUT entries packed in an OW
  element are ambiguous under byte swapping, and readers disagree on them.
- YBR_FULL_422 outside native and JPEG baseline: RLE, JPEG-LS and JPEG 2000 do not allow it (PS3.5 8.2).
"""

from __future__ import annotations

import tempfile
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import gdcm
import numpy as np
import pydicom
from PIL import Image
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.pixels import convert_color_space, pixel_array
from pydicom.uid import (
    JPEG2000,
    DeflatedExplicitVRLittleEndian,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    JPEG2000Lossless,
    JPEGBaseline8Bit,
    JPEGExtended12Bit,
    JPEGLosslessSV1,
    JPEGLSLossless,
    JPEGLSNearLossless,
    MultiFrameGrayscaleByteSecondaryCaptureImageStorage,
    MultiFrameGrayscaleWordSecondaryCaptureImageStorage,
    MultiFrameTrueColorSecondaryCaptureImageStorage,
    RLELossless,
    SecondaryCaptureImageStorage,
    UltrasoundMultiFrameImageStorage,
    XRayAngiographicImageStorage,
    generate_uid,
)

ROWS, COLUMNS = 64, 96
FRAME_COUNTS = (1, 3)


@dataclass(frozen=True)
class Case:
    id: str
    syntax: str
    photometric: str
    frames: int
    bits_allocated: int
    bits_stored: int
    signed: bool
    planar: int
    lossy: bool


def _form(photometric: str, bits_allocated: int, bits_stored: int, signed: bool = False, planar: int = 0) -> dict:
    return {"photometric": photometric, "bits_allocated": bits_allocated, "bits_stored": bits_stored,
            "signed": signed, "planar": planar}


# Pixel formats by the short name used in case ids.
FORMS = {
    "mono1-u12": _form("MONOCHROME1", 16, 12),
    "mono2-u8": _form("MONOCHROME2", 8, 8),
    "mono2-u12": _form("MONOCHROME2", 16, 12),
    "mono2-s16": _form("MONOCHROME2", 16, 16, signed=True),
    "rgb": _form("RGB", 8, 8),
    "rgb-planar1": _form("RGB", 8, 8, planar=1),
    "ybr-full": _form("YBR_FULL", 8, 8),
    "ybr422": _form("YBR_FULL_422", 8, 8),
    "ybr-rct": _form("YBR_RCT", 8, 8),
    "ybr-ict": _form("YBR_ICT", 8, 8),
    "pal8": _form("PALETTE COLOR", 8, 8),
    "pal16": _form("PALETTE COLOR", 16, 16),
}

NATIVE = ("mono1-u12", "mono2-u8", "mono2-u12", "mono2-s16", "rgb", "rgb-planar1", "ybr-full", "ybr422",
          "pal8", "pal16")

# Transfer syntax -> (short name for ids, pixel formats written in it).
MATRIX = {
    ImplicitVRLittleEndian: ("implicit", NATIVE),
    ExplicitVRLittleEndian: ("explicit", NATIVE),
    ExplicitVRBigEndian: ("big-endian", tuple(form for form in NATIVE if form != "pal8")),
    DeflatedExplicitVRLittleEndian: ("deflated", NATIVE),
    # RLE segments are always colour-by-plane, so the file's PlanarConfiguration must not matter.
    RLELossless: ("rle", ("mono1-u12", "mono2-u8", "mono2-u12", "mono2-s16", "rgb", "rgb-planar1",
                          "ybr-full", "pal8", "pal16")),
    JPEGBaseline8Bit: ("jpeg-baseline", ("mono2-u8", "rgb", "ybr-full", "ybr422")),
    # 8-bit samples under the 12-bit syntax occur in archives too, and pydicom decodes only those here.
    JPEGExtended12Bit: ("jpeg-extended", ("mono2-u8", "mono2-u12")),
    JPEGLosslessSV1: ("jpeg-lossless-sv1", ("mono1-u12", "mono2-u8", "mono2-u12", "mono2-s16", "rgb", "pal8")),
    JPEGLSLossless: ("jpeg-ls", ("mono2-u8", "mono2-u12", "mono2-s16", "rgb", "pal8")),
    JPEGLSNearLossless: ("jpeg-ls-near", ("mono2-u8", "mono2-u12", "rgb")),
    JPEG2000Lossless: ("j2k-lossless", ("mono2-u8", "mono2-u12", "mono2-s16", "rgb", "ybr-rct", "pal8")),
    JPEG2000: ("j2k", ("mono2-u8", "mono2-u12", "rgb", "ybr-ict")),
}

LOSSY_METHODS = {
    JPEGBaseline8Bit: "ISO_10918_1",
    JPEGExtended12Bit: "ISO_10918_1",
    JPEGLSNearLossless: "ISO_14495_1",
    JPEG2000: "ISO_15444_1",
}

# pydicom's own test files for forms other encoders write: odd sizes, 16/32-bit RGB, 4:2:2 from a
# scanner, JPEG RGB without colour transform, 12-bit JPEG Extended, a deflate from another writer.
BUNDLED = (
    "JPGExtended.dcm",
    "693_J2KI.dcm",
    "examples_jpeg2k.dcm",
    "examples_palette.dcm",
    "SC_rgb_rle.dcm",
    "SC_rgb_rle_2frame.dcm",
    "SC_rgb_rle_16bit.dcm",
    "SC_rgb_rle_32bit.dcm",
    "SC_rgb_small_odd.dcm",
    "image_dfl.dcm",
    "MR_small_bigendian.dcm",
    "SC_jpeg_no_color_transform.dcm",
    "JPEGLSNearLossless_08.dcm",
    "SC_rgb_jls_lossy_sample.dcm",
    "SC_ybr_full_422_uncompressed.dcm",
    "examples_ybr_color.dcm",
    "rtdose.dcm",
)


def cases() -> list[Case]:
    """Every combination in MATRIX, once per frame count."""
    return [
        Case(id=f"{short}-{form}-{frames}f", syntax=syntax, frames=frames, lossy=syntax in LOSSY_METHODS,
             **FORMS[form])
        for syntax, (short, forms) in MATRIX.items()
        for form in forms
        for frames in FRAME_COUNTS
    ]


def build(case: Case, directory: Path) -> Path:
    """Write the case's file as <directory>/<case.id>.dcm; the same case always gives the same bytes."""
    ds = _dataset(case)
    WRITERS[case.syntax](ds, case, _image(case))
    path = Path(directory) / f"{case.id}.dcm"
    ds.save_as(path, enforce_file_format=True)
    return path


def source(case: Case) -> np.ndarray:
    """What pydicom's pixel_array should return if nothing were lost: RGB for colour, indices for palette.

    Native and RLE YBR files store YCbCr bytes, so their source is pydicom's own conversion of those bytes,
    which may differ from the drawn RGB by rounding.
    """
    image = _image(case)
    if _stores_ybr(case):
        return convert_color_space(_ybr(case, image), "YBR_FULL", "RGB")
    return image


def expected(case: Case, path: Path) -> np.ndarray:
    """The array the file decodes to: the source for lossless cases, the decoder's output for lossy ones."""
    if not case.lossy:
        return source(case)
    if not pydicom_can_decode(case.syntax, case.bits_stored):
        return _gdcm_decode(case, path)
    return pixel_array(pydicom.dcmread(path))


def pydicom_can_decode(syntax: str, bits_stored: int) -> bool:
    """False for 12-bit JPEG Extended: pydicom's gdcm and Pillow plugins refuse it, and pylibjpeg-libjpeg,
    the one plugin that decodes it, is not installed."""
    return not (syntax == JPEGExtended12Bit and bits_stored > 8)


def bundled() -> list[tuple[str, Path]]:
    """(id, path) of the BUNDLED files present in the installed pydicom; never downloads any."""
    folder = Path(pydicom.__file__).parent / "data" / "test_files"
    return [(Path(name).stem, Path(get_testdata_file(name, download=False)))
            for name in BUNDLED if (folder / name).is_file()]


# Pixels


def _picture(case: Case) -> np.ndarray:
    """Values in [0, 1]: a gradient, noise and three flat boxes per sample, all moving from frame to frame,
    so a swapped frame, channel or a shifted box changes the array. Seeded by the case id."""
    rng = np.random.default_rng(zlib.crc32(case.id.encode()))
    samples = _samples_per_pixel(case)
    y, x = np.mgrid[0:ROWS, 0:COLUMNS]
    y, x = y / (ROWS - 1) - 0.5, x / (COLUMNS - 1) - 0.5
    frames = []
    for frame in range(case.frames):
        planes = []
        for sample in range(samples):
            angle = 0.9 * (3 * frame + sample)
            plane = 0.5 + 0.7 * (x * np.cos(angle) + y * np.sin(angle))
            plane += rng.uniform(-0.03, 0.03, plane.shape)
            for box in range(3):
                top = (7 + 13 * frame + 17 * box) % (ROWS - 16)
                left = (5 + 29 * frame + 23 * box) % (COLUMNS - 24)
                plane[top:top + 12, left:left + 20] = (0.3 * (box + 1) + 0.17 * sample + 0.1 * frame) % 1
            planes.append(plane)
        frames.append(np.stack(planes, axis=-1))
    picture = np.clip(np.stack(frames), 0, 1)
    return picture[0] if case.frames == 1 else picture


def _image(case: Case) -> np.ndarray:
    """The picture as stored integers, shaped like pixel_array: (frames,) rows, columns(, 3)."""
    picture = _picture(case)
    if _samples_per_pixel(case) == 1:
        picture = picture[..., 0]
    top = _lut_entries(case) - 1 if _is_palette(case) else 2**case.bits_stored - 1
    values = np.rint(picture * top)
    if case.signed:
        values -= 2 ** (case.bits_stored - 1)
    return values.astype(_dtype(case))


def _ybr(case: Case, rgb: np.ndarray) -> np.ndarray:
    """YCbCr bytes for a YBR file; for 4:2:2 each horizontal pair shares its rounded mean chroma."""
    ybr = convert_color_space(rgb, "RGB", "YBR_FULL")
    if case.photometric == "YBR_FULL_422":
        chroma = (ybr[..., 0::2, 1:].astype(np.uint16) + ybr[..., 1::2, 1:] + 1) // 2
        ybr[..., 0::2, 1:] = ybr[..., 1::2, 1:] = chroma
    return ybr


def _pack_422(ybr: np.ndarray) -> np.ndarray:
    """Y1 Y2 Cb Cr per pixel pair, the PS3.3 C.7.6.3.1.2 layout of native YBR_FULL_422."""
    return np.stack([ybr[..., 0::2, 0], ybr[..., 1::2, 0], ybr[..., 0::2, 1], ybr[..., 0::2, 2]], axis=-1)


def _lut(case: Case) -> list[np.ndarray]:
    """Red, green and blue palette entries with as many bits as the indices: distinct smooth curves."""
    ramp = np.linspace(0, 1, _lut_entries(case))
    top = 2**case.bits_allocated - 1
    curves = (ramp, 0.5 - 0.5 * np.cos(2 * np.pi * ramp), 1 - ramp)
    return [np.rint(curve * top).astype(f"uint{case.bits_allocated}") for curve in curves]


def _lut_entries(case: Case) -> int:
    return 256 if case.bits_allocated == 8 else 4096


def _samples_per_pixel(case: Case) -> int:
    return 1 if case.photometric.startswith("MONOCHROME") or _is_palette(case) else 3


def _is_palette(case: Case) -> bool:
    return case.photometric == "PALETTE COLOR"


def _stores_ybr(case: Case) -> bool:
    """Native and RLE YBR files hold YCbCr bytes we convert; JPEG and JPEG 2000 convert inside the codec."""
    return case.photometric in ("YBR_FULL", "YBR_FULL_422") and case.syntax != JPEGBaseline8Bit


def _dtype(case: Case) -> np.dtype:
    return np.dtype(f"{'i' if case.signed else 'u'}{case.bits_allocated // 8}")


def _shape(case: Case) -> tuple[int, ...]:
    frames = (case.frames,) if case.frames > 1 else ()
    samples = (3,) if _samples_per_pixel(case) == 3 else ()
    return frames + (ROWS, COLUMNS) + samples


# Headers


def _dataset(case: Case) -> Dataset:
    """Patient, study, SOP and Image Pixel elements, with UIDs derived from the case id."""
    sop_class = _sop_class(case)
    instance = generate_uid(entropy_srcs=[case.id])
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = sop_class
    ds.file_meta.MediaStorageSOPInstanceUID = instance
    ds.file_meta.TransferSyntaxUID = case.syntax
    ds.SOPClassUID, ds.SOPInstanceUID = sop_class, instance
    ds.StudyInstanceUID = generate_uid(entropy_srcs=[case.id, "study"])
    ds.SeriesInstanceUID = generate_uid(entropy_srcs=[case.id, "series"])
    ds.PatientName, ds.PatientID = "TEST^MATRIX", "MATRIX01"
    ds.Modality = "US" if sop_class == UltrasoundMultiFrameImageStorage else "OT"
    ds.BurnedInAnnotation = "NO"
    ds.SamplesPerPixel = _samples_per_pixel(case)
    ds.PhotometricInterpretation = case.photometric
    if ds.SamplesPerPixel == 3:
        ds.PlanarConfiguration = case.planar
    if case.frames > 1:
        ds.NumberOfFrames = case.frames
        ds.FrameTime = 40
        ds.FrameIncrementPointer = 0x00181063  # Frame Time
    ds.Rows, ds.Columns = ROWS, COLUMNS
    ds.BitsAllocated, ds.BitsStored = case.bits_allocated, case.bits_stored
    ds.HighBit, ds.PixelRepresentation = case.bits_stored - 1, int(case.signed)
    if case.lossy:
        ds.LossyImageCompression = "01"
        ds.LossyImageCompressionMethod = LOSSY_METHODS[case.syntax]
    if _is_palette(case):
        _add_palette(ds, case)
    return ds


def _sop_class(case: Case) -> str:
    """Secondary Capture for one frame; the matching multi-frame SC, Ultrasound for YBR and palette cines,
    X-ray angiography for MONOCHROME1 and signed ones."""
    if case.frames == 1:
        return SecondaryCaptureImageStorage
    if case.photometric.startswith("YBR") or _is_palette(case):
        return UltrasoundMultiFrameImageStorage
    if case.photometric == "RGB":
        return MultiFrameTrueColorSecondaryCaptureImageStorage
    if case.photometric == "MONOCHROME1" or case.signed:  # the grey multi-frame SC IODs allow neither
        return XRayAngiographicImageStorage
    if case.bits_allocated == 8:
        return MultiFrameGrayscaleByteSecondaryCaptureImageStorage
    return MultiFrameGrayscaleWordSecondaryCaptureImageStorage


def _add_palette(ds: Dataset, case: Case) -> None:
    """Descriptor and Data for each colour; pydicom does not byte-swap OW values, so we order them."""
    descriptor = [_lut_entries(case), 0, case.bits_allocated]
    for colour, lut in zip(("Red", "Green", "Blue"), _lut(case)):
        ds[f"{colour}PaletteColorLookupTableDescriptor"] = pydicom.DataElement(
            pydicom.datadict.tag_for_keyword(f"{colour}PaletteColorLookupTableDescriptor"), "US", descriptor)
        ds[f"{colour}PaletteColorLookupTableData"] = pydicom.DataElement(
            pydicom.datadict.tag_for_keyword(f"{colour}PaletteColorLookupTableData"), "OW", _bytes(ds, lut))


# Encoders: each sets Pixel Data from the image in pixel_array layout.


def _bytes(ds: Dataset, arr: np.ndarray) -> bytes:
    """Array bytes in the byte order of the dataset's transfer syntax."""
    order = ">" if ds.file_meta.TransferSyntaxUID == ExplicitVRBigEndian else "<"
    return arr.astype(arr.dtype.newbyteorder(order)).tobytes()


def _write_native(ds: Dataset, case: Case, image: np.ndarray) -> None:
    data = _ybr(case, image) if _stores_ybr(case) else image
    if case.photometric == "YBR_FULL_422":
        data = _pack_422(data)
    elif case.planar:
        data = np.moveaxis(data, -1, -3)
    ds.PixelData = _bytes(ds, data)
    ds["PixelData"].VR = "OB" if case.bits_allocated == 8 else "OW"


def _write_pydicom(ds: Dataset, case: Case, image: np.ndarray) -> None:
    """RLE, JPEG-LS and JPEG 2000 through pydicom's encoders. For YBR_RCT/YBR_ICT pydicom takes RGB and
    has OpenJPEG apply the colour transform; lossy settings keep errors to a few grey levels."""
    data = _ybr(case, image) if _stores_ybr(case) else image
    options = {JPEGLSNearLossless: {"jls_error": 2}, JPEG2000: {"j2k_psnr": [45]}}.get(case.syntax, {})
    ds.compress(case.syntax, data, generate_instance_uid=False, **options)


def _write_pillow(ds: Dataset, case: Case, image: np.ndarray) -> None:
    """JPEG baseline through Pillow, which marks YCbCr with JFIF and untransformed RGB with Adobe APP14."""
    options = {
        "RGB": {"keep_rgb": True, "subsampling": "4:4:4"},
        "YBR_FULL": {"subsampling": "4:4:4"},
        "YBR_FULL_422": {"subsampling": "4:2:2"},
    }.get(case.photometric, {})
    frames = image if case.frames > 1 else image[np.newaxis]
    encoded = []
    for frame in frames:
        out = BytesIO()
        Image.fromarray(frame).save(out, "JPEG", quality=90, **options)
        encoded.append(out.getvalue())
    _set_encapsulated(ds, encapsulate(encoded))


def _write_gdcm(ds: Dataset, case: Case, image: np.ndarray) -> None:
    """JPEG Extended and JPEG Lossless SV1, which pydicom cannot encode: gdcm transcodes a native copy and
    only its encapsulated Pixel Data is kept, so the headers stay the ones written here."""
    with tempfile.TemporaryDirectory() as folder:
        native, encoded = Path(folder, "native.dcm"), Path(folder, "encoded.dcm")
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        _write_native(ds, case, image)
        ds.save_as(native, enforce_file_format=True)
        _gdcm_transcode(native, encoded, case)
        ds.file_meta.TransferSyntaxUID = case.syntax
        _set_encapsulated(ds, pydicom.dcmread(encoded).PixelData)


def _gdcm_transcode(native: Path, encoded: Path, case: Case) -> None:
    reader = gdcm.ImageReader()
    reader.SetFileName(str(native))
    if not reader.Read():
        raise RuntimeError(f"gdcm cannot read {native}")
    change = gdcm.ImageChangeTransferSyntax()
    change.SetTransferSyntax(gdcm.TransferSyntax(gdcm.TransferSyntax.GetTSType(case.syntax)))
    if case.lossy:
        codec = gdcm.JPEGCodec()
        codec.SetLossless(False)
        codec.SetQuality(90)
        change.SetUserCodec(codec)
    change.SetInput(reader.GetImage())
    if not change.Change():
        raise RuntimeError(f"gdcm cannot encode {case.id}")
    writer = gdcm.ImageWriter()
    writer.SetFileName(str(encoded))
    writer.SetFile(reader.GetFile())
    writer.SetImage(change.GetOutput())
    if not writer.Write():
        raise RuntimeError(f"gdcm cannot write {encoded}")


def _gdcm_decode(case: Case, path: Path) -> np.ndarray:
    """Decode with gdcm directly, for the cases pydicom's gdcm plugin refuses."""
    reader = gdcm.ImageReader()
    reader.SetFileName(str(path))
    if not reader.Read():
        raise RuntimeError(f"gdcm cannot read {path}")
    raw = reader.GetImage().GetBuffer().encode("utf-8", "surrogateescape")
    return np.frombuffer(raw, dtype=_dtype(case)).reshape(_shape(case))


def _set_encapsulated(ds: Dataset, pixel_data: bytes) -> None:
    ds.PixelData = pixel_data
    ds["PixelData"].VR = "OB"
    ds["PixelData"].is_undefined_length = True


WRITERS = {
    ImplicitVRLittleEndian: _write_native,
    ExplicitVRLittleEndian: _write_native,
    ExplicitVRBigEndian: _write_native,
    DeflatedExplicitVRLittleEndian: _write_native,
    RLELossless: _write_pydicom,
    JPEGBaseline8Bit: _write_pillow,
    JPEGExtended12Bit: _write_gdcm,
    JPEGLosslessSV1: _write_gdcm,
    JPEGLSLossless: _write_pydicom,
    JPEGLSNearLossless: _write_pydicom,
    JPEG2000Lossless: _write_pydicom,
    JPEG2000: _write_pydicom,
}
