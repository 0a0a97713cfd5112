"""Encodings and pixel forms that break other tools, scrubbed end to end with a name burned in.

Each test writes one image in a given form, runs the whole job on it and checks the output's pixels
(the name masked, the rest unchanged) and header (a coherent description of the pixels).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.pixels import pack_bits
from pydicom.sequence import Sequence
from pydicom.uid import (
    CTImageStorage,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    RLELossless,
    SecondaryCaptureImageStorage,
    UltrasoundImageStorage,
)

from pixelscrub import read  # also registers the transfer syntaxes pydicom 3.0 does not know
from pixelscrub.config import load_config
from pixelscrub.header.options import HeaderOptions
from pixelscrub.run import scrub
from test_pixels import draw

NAME = "KOWALSKI ANNA"


def base(modality: str = "OT", sop_class: str = SecondaryCaptureImageStorage) -> Dataset:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID, ds.SOPInstanceUID = sop_class, "1.2.826.0.1.3680043.2.1125.88.1"
    ds.StudyInstanceUID, ds.SeriesInstanceUID = "1.2.826.0.1.3680043.2.1125.88.2", "1.2.826.0.1.3680043.2.1125.88.3"
    ds.Modality = modality
    ds.PatientName, ds.PatientID, ds.PatientBirthDate = "KOWALSKI^ANNA", "MRN4471902", "19600131"
    return ds


def named(shape: tuple[int, int], background: int = 40, ink: int = 230) -> tuple[np.ndarray, list[int]]:
    """An 8-bit grey picture with the patient's name written on it, and the name's ink box."""
    image = np.full(shape, background, np.uint8)
    image[shape[0] // 2:, :] = np.linspace(background, 160, shape[1], dtype=np.uint8)  # something to keep
    boxes = draw(image, [(NAME, (20, 12), ink)], size=18)
    return image, boxes[NAME]


def scrub_file(ds: Dataset, tmp_path: Path, header: HeaderOptions | None = None, **save) -> tuple[dict, Dataset]:
    (tmp_path / "in").mkdir()
    pydicom.dcmwrite(tmp_path / "in" / "image.dcm", ds, enforce_file_format=True, **save)
    config = replace(load_config(None), home=tmp_path / "home")
    if header is not None:
        config = replace(config, header=header)
    scrub(tmp_path / "in", tmp_path / "out", None, None, config, workers=1)
    record = json.loads((tmp_path / "out-report" / "manifest.jsonl").read_text().splitlines()[0])
    root = tmp_path / ("out" if record["status"] == "released" else "out-quarantine")
    return record, pydicom.dcmread(root / record["output"]) if record["output"] else None


def masked(record: dict, box: list[int]) -> bool:
    """True when the record's masks cover the ink box."""
    x, y, w, h = box
    canvas = np.zeros((y + h + 1, x + w + 1), bool)
    for mask in record["masks"]:
        mx, my, mw, mh = mask["box"]
        canvas[my:my + mh, mx:mx + mw] = True
    return bool(canvas[y:y + h, x:x + w].all())


def unchanged_outside(before: np.ndarray, after: np.ndarray, record: dict) -> bool:
    keep = np.ones(before.shape[:2], bool)
    for mask in record["masks"]:
        mx, my, mw, mh = mask["box"]
        keep[my:my + mh, mx:mx + mw] = False
    return np.array_equal(before[keep], after[keep])


@pytest.mark.parametrize("bits", [8, 16])
def test_palette_colour_is_masked_with_an_index_and_keeps_its_palette(tmp_path, bits):
    grey, box = named((120, 320))
    entries = 256 if bits == 8 else 4096
    indices = (grey.astype(np.uint32) * (entries - 1) // 255).astype(f"uint{bits}")
    ramp = np.linspace(0, 2**bits - 1, entries).astype(f"uint{bits}")
    ds = base("US", UltrasoundImageStorage)
    ds.set_pixel_data(indices, "PALETTE COLOR", bits, generate_instance_uid=False)
    for colour, lut in (("Red", ramp), ("Green", ramp), ("Blue", ramp[::-1] // 4 + ramp // 2)):
        setattr(ds, f"{colour}PaletteColorLookupTableDescriptor", [entries if entries < 65536 else 0, 0, bits])
        setattr(ds, f"{colour}PaletteColorLookupTableData", lut.astype("<u2" if bits == 16 else "u1").tobytes())
    record, out = scrub_file(ds, tmp_path)
    assert masked(record, box), record["reasons"]
    after = out.pixel_array
    assert out.PhotometricInterpretation == "PALETTE COLOR" and out.BitsAllocated == bits
    assert out.RedPaletteColorLookupTableData == ds.RedPaletteColorLookupTableData
    x, y, w, h = box
    assert np.isin(after[y:y + h, x:x + w], indices).all()  # filled with indices the image already uses
    assert unchanged_outside(indices, after, record)


def test_monochrome1_keeps_its_polarity(tmp_path):
    grey, box = named((120, 320))
    stored = (4095 - grey.astype(np.uint16) * 16).astype(np.uint16)  # bright text is stored low
    ds = base("CR", "1.2.840.10008.5.1.4.1.1.1")
    ds.BurnedInAnnotation = "YES"
    ds.set_pixel_data(stored, "MONOCHROME1", 12, generate_instance_uid=False)
    record, out = scrub_file(ds, tmp_path)
    assert masked(record, box), record["reasons"]
    assert out.PhotometricInterpretation == "MONOCHROME1" and out.BitsStored == 12
    x, y, w, h = box
    assert (out.pixel_array[y:y + h, x:x + w] > 3000).all()  # the background's value, not the ink's
    assert unchanged_outside(stored, out.pixel_array, record)


def test_planar_configuration_1_rle_is_masked_and_stored_by_pixel(tmp_path):
    grey, box = named((120, 320))
    rgb = np.stack([grey, grey // 2 + 60, 255 - grey // 2], axis=-1)
    ds = base()
    ds.set_pixel_data(rgb, "RGB", 8, generate_instance_uid=False)
    ds.compress(RLELossless, rgb, generate_instance_uid=False)
    ds.PlanarConfiguration = 1  # RLE stores colour by plane whatever this says; readers must not care
    record, out = scrub_file(ds, tmp_path)
    assert masked(record, box), record["reasons"]
    assert out.file_meta.TransferSyntaxUID == RLELossless and out.PlanarConfiguration == 0
    assert unchanged_outside(rgb, out.pixel_array, record)


def test_big_endian_is_masked_and_written_little_endian(tmp_path):
    grey, box = named((120, 320))
    stored = grey.astype(np.uint16) * 16
    ds = base()
    ds.file_meta.TransferSyntaxUID = ExplicitVRBigEndian
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.Rows, ds.Columns = stored.shape
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    ds.PixelData = stored.astype(">u2").tobytes()
    ds["PixelData"].VR = "OW"
    record, out = scrub_file(ds, tmp_path, little_endian=False, implicit_vr=False)
    assert masked(record, box), record["reasons"]
    assert out.file_meta.TransferSyntaxUID == ExplicitVRLittleEndian
    assert out.Rows == 120 and out.BitsStored == 12
    assert unchanged_outside(stored, out.pixel_array, record)


def test_bits_above_bits_stored_are_cleared_even_where_pixels_are_not_read(tmp_path):
    """An embedded overlay (60xx,0102 = 12) in a CT that triage would skip: its bits go, the image stays."""
    rng = np.random.default_rng(3)
    values = rng.integers(0, 4096, (64, 64)).astype(np.uint16)
    overlay = np.zeros((64, 64), np.uint16)
    overlay[20:30, 5:60] = 1
    ds = base("CT", CTImageStorage)
    ds.set_pixel_data(values | (overlay << 12), "MONOCHROME2", 16, generate_instance_uid=False)
    ds.BitsStored, ds.HighBit = 12, 11
    ds.add_new(0x60000010, "US", 64)
    ds.add_new(0x60000011, "US", 64)
    ds.add_new(0x60000040, "CS", "G")
    ds.add_new(0x60000050, "SS", [1, 1])
    ds.add_new(0x60000100, "US", 16)
    ds.add_new(0x60000102, "US", 12)
    record, out = scrub_file(ds, tmp_path)
    assert record["status"] == "released"
    assert any("bits above BitsStored cleared" in r and "embedded overlay" in r for r in record["reasons"])
    assert np.array_equal(out.pixel_array, values)
    assert not any(tag.group == 0x6000 for tag in out.keys())


def test_a_ct_without_hidden_bits_keeps_its_pixel_data_bytes(tmp_path):
    values = np.random.default_rng(4).integers(0, 4096, (64, 64)).astype(np.uint16)
    ds = base("CT", CTImageStorage)
    ds.set_pixel_data(values, "MONOCHROME2", 12, generate_instance_uid=False)
    record, out = scrub_file(ds, tmp_path)
    assert record["status"] == "released" and out.PixelData == values.tobytes()


def _overlay_plane(ds: Dataset, bits: np.ndarray) -> None:
    rows, columns = bits.shape
    ds.add_new(0x60000010, "US", rows)
    ds.add_new(0x60000011, "US", columns)
    ds.add_new(0x60000040, "CS", "G")
    ds.add_new(0x60000050, "SS", [1, 1])
    ds.add_new(0x60000100, "US", 1)
    ds.add_new(0x60000102, "US", 0)
    ds.add_new(0x60003000, "OW", pack_bits(bits.reshape(-1)))


def _plane_with_name() -> tuple[np.ndarray, list[int], np.ndarray]:
    text, box = named((120, 320), background=0, ink=255)
    bits = (text > 128).astype(np.uint8)
    bits[100:110, 200:300] = 1  # a graphic mark, no text: it stays
    return bits, box, bits[100:110, 200:300].copy()


def test_overlay_plane_is_cleaned_under_clean_graphics(tmp_path):
    bits, box, mark = _plane_with_name()
    ds = base("CT", CTImageStorage)
    ds.set_pixel_data(np.full((120, 320), 100, np.uint16), "MONOCHROME2", 12, generate_instance_uid=False)
    _overlay_plane(ds, bits)
    record, out = scrub_file(ds, tmp_path, header=HeaderOptions(clean_graphics=True))
    plane = out.overlay_array(0x6000)
    x, y, w, h = box
    assert not plane[y:y + h, x:x + w].any(), record["reasons"]
    assert np.array_equal(plane[100:110, 200:300], mark)
    assert any(r.startswith("overlay: plane 6000") for r in record["reasons"])


def test_overlay_plane_is_removed_without_clean_graphics(tmp_path):
    bits, _, _ = _plane_with_name()
    ds = base("CT", CTImageStorage)
    ds.set_pixel_data(np.full((120, 320), 100, np.uint16), "MONOCHROME2", 12, generate_instance_uid=False)
    _overlay_plane(ds, bits)
    record, out = scrub_file(ds, tmp_path)
    assert record["status"] == "released" and (0x6000, 0x3000) not in out


def test_icon_image_is_dropped(tmp_path):
    grey, _ = named((120, 320))
    icon = Dataset()
    icon.SamplesPerPixel, icon.PhotometricInterpretation, icon.Rows, icon.Columns = 1, "MONOCHROME2", 30, 80
    icon.BitsAllocated, icon.BitsStored, icon.HighBit, icon.PixelRepresentation = 8, 8, 7, 0
    icon.PixelData = grey[::4, ::4].tobytes()
    ds = base()
    ds.set_pixel_data(grey, "MONOCHROME2", 8, generate_instance_uid=False)
    ds.IconImageSequence = Sequence([icon])
    record, out = scrub_file(ds, tmp_path)
    assert "IconImageSequence" not in out


@pytest.mark.parametrize("syntax, reason", [
    ("1.2.840.10008.1.2.4.110", "no decoder for transfer syntax JPEG XL Lossless"),  # no codec installed
    ("1.2.3.4.5.6.7", "not one pydicom knows"),  # a private syntax
])
def test_what_cannot_be_decoded_is_held(tmp_path, syntax, reason):
    ds = base("US", UltrasoundImageStorage)
    ds.SamplesPerPixel, ds.PhotometricInterpretation, ds.Rows, ds.Columns = 1, "MONOCHROME2", 16, 16
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
    ds.PixelData = pydicom.encaps.encapsulate([b"\xff\x0a" + bytes(62)])
    ds["PixelData"].VR = "OB"
    ds.file_meta.TransferSyntaxUID = syntax
    record, out = scrub_file(ds, tmp_path, implicit_vr=False, little_endian=True)
    assert record["status"] == "quarantined"
    assert any(reason in r and "held for review" in r for r in record["reasons"]), record["reasons"]
    assert not list((tmp_path / "out").rglob("*.dcm"))


def test_corrupt_fragments_are_held(tmp_path):
    grey, _ = named((120, 320))
    ds = base("US", UltrasoundImageStorage)
    ds.set_pixel_data(grey, "MONOCHROME2", 8, generate_instance_uid=False)
    ds.compress(RLELossless, grey, generate_instance_uid=False)
    ds.PixelData = pydicom.encaps.encapsulate([b"\x01\x00\x00\x00" + bytes(60) + b"\x80" * 64])
    record, _ = scrub_file(ds, tmp_path)
    assert record["status"] == "quarantined"
    assert any("could not be decoded" in r for r in record["reasons"]), record["reasons"]


def test_a_masked_cine_streams_from_the_file(tmp_path, monkeypatch):
    """Pixel data larger than the reader keeps in memory is decoded frame by frame from the file and
    never loaded whole, by any stage: loading it here fails the run."""
    grey, box = named((256, 320))
    frames = np.stack([np.stack([grey, grey, np.roll(grey, i, axis=0)], axis=-1) for i in range(24)])
    assert frames.nbytes > read.DEFER_BYTES
    ds = base("US", "1.2.840.10008.5.1.4.1.1.3.1")
    ds.set_pixel_data(frames, "RGB", 8, generate_instance_uid=False)
    original = pydicom.filereader.read_deferred_data_element

    def refuse_pixel_data(fileobj_type, filename_or_obj, timestamp, raw_data_elem):
        assert raw_data_elem.tag != 0x7FE00010, "PixelData was read into memory whole"
        return original(fileobj_type, filename_or_obj, timestamp, raw_data_elem)

    monkeypatch.setattr(pydicom.filereader, "read_deferred_data_element", refuse_pixel_data)
    record, out = scrub_file(ds, tmp_path)
    assert not any(r.startswith("error") for r in record["reasons"]), record["reasons"]
    assert masked(record, box), record["reasons"]
    assert unchanged_outside(frames[5], out.pixel_array[5], record)
