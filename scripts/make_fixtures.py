"""Write fixtures/: one small DICOM file per failure class of the fail-closed issue, with ground truth.

Usage: .venv/bin/python scripts/make_fixtures.py [--out fixtures]

Each file reproduces one way burned-in or header PHI escaped an earlier pixelscrub: text over anatomy,
unlabelled names, unknown labels, small text, a name left in a cleaned header's descriptions, a file
that raised an exception, and overlay text hidden in the high bits of a compressed image. The truth
(fixtures/truth.json, in `pixelscrub synth`'s format) boxes every drawn text by its ink. The names, IDs
and places are made up. The output is deterministic: the same script writes the same bytes.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import gdcm
import numpy as np
import pydicom
from PIL import Image, ImageDraw, ImageFont
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import (ExplicitVRLittleEndian, RLELossless, CTImageStorage,
                         ComputedRadiographyImageStorage, SecondaryCaptureImageStorage, UltrasoundImageStorage,
                         XRayAngiographicImageStorage, generate_uid)

from pixelscrub.synth.archive import truth_entry

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
PHI_KINDS = ("name", "id", "date", "time", "institution", "physician", "age")


def uid(*parts: str) -> str:
    return generate_uid(entropy_srcs=["pixelscrub fixtures", *parts])


@dataclass
class Canvas:
    """A grey image and the text drawn on it, each item boxed by its ink."""

    image: np.ndarray  # float32, stored-value scale
    items: list[dict] = field(default_factory=list)

    def text(self, text: str, x: int, y: int, size: int, value: float, kind: str, bold: bool = False,
             smooth: bool = True) -> None:
        font = ImageFont.truetype(FONT_BOLD if bold else FONT, size)
        left, top, right, bottom = font.getbbox(text)
        mask = Image.new("L", (right - left + 4, bottom - top + 4))
        draw = ImageDraw.Draw(mask)
        draw.fontmode = "L" if smooth else "1"
        draw.text((2 - left, 2 - top), text, fill=255, font=font)
        coverage = np.asarray(mask, np.float32) / 255.0
        coverage[coverage < 0.125] = 0
        rows, cols = np.flatnonzero(coverage.any(1)), np.flatnonzero(coverage.any(0))
        coverage = coverage[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
        h, w = coverage.shape
        region = self.image[y:y + h, x:x + w]
        region[:] = region * (1 - coverage) + value * coverage
        self.items.append({"text": text, "kind": kind, "phi": kind in PHI_KINDS, "box": [x, y, w, h],
                           "frames": "all"})

    def field(self, label: str, text: str, x: int, y: int, size: int, value: float, kind: str,
              smooth: bool = True) -> None:
        """A caption and its value on one line, each an item of its own."""
        self.text(label, x, y, size, value, "label", smooth=smooth)
        label_box = self.items[-1]["box"]
        self.text(text, label_box[0] + label_box[2] + size // 2, y, size, value, kind, smooth=smooth)


def base(sop_class: str, modality: str, name: str, patient_id: str, key: str) -> Dataset:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID = sop_class
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID = uid(key, "instance")
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.StudyInstanceUID, ds.SeriesInstanceUID = uid(key, "study"), uid(key, "series")
    ds.Modality, ds.PatientName, ds.PatientID = modality, name, patient_id
    ds.StudyDate, ds.StudyTime, ds.AccessionNumber = "20230314", "142353", ""
    ds.StudyID, ds.SeriesNumber, ds.InstanceNumber = "1", 1, 1
    return ds


def grey_pixels(ds: Dataset, image: np.ndarray, bits: int, photometric: str = "MONOCHROME2") -> None:
    ds.set_pixel_data(np.clip(np.rint(image), 0, 2**bits - 1).astype(np.uint16 if bits > 8 else np.uint8),
                      photometric, bits, generate_instance_uid=False)


def anatomy(rows: int, columns: int, rng: np.random.Generator, level: float, spread: float) -> np.ndarray:
    """Soft tissue, a spine and ribs with quantum noise: what text over a radiograph sits on. It stays
    below level + 1.2 spread, short of the value text is burned in at."""
    ys, xs = np.mgrid[0:rows, 0:columns].astype(np.float32)
    body = level + 0.6 * spread * np.exp(-(((xs - columns / 2) / (0.35 * columns)) ** 2))
    body += 0.25 * spread * np.exp(-(((xs - columns / 2) / (0.05 * columns)) ** 2))  # spine
    ribs = np.cos((ys + 0.25 * np.abs(xs - columns / 2)) / 9.0)
    body += 0.2 * spread * np.clip(ribs, 0, 1) ** 4 * (np.abs(xs - columns / 2) > 0.06 * columns)
    body += rng.normal(0, 0.03 * spread, (rows, columns))
    return cv2.GaussianBlur(body, (0, 0), 0.7)


def over_anatomy(rng: np.random.Generator) -> tuple[Dataset, list[dict]]:
    """Class 1: a CR whose labelled text, equal to the header's, is burned in at the maximum value,
    unsmoothed, across the spine and the ribs; an earlier pixelscrub released it with the study date
    legible."""
    canvas = Canvas(anatomy(440, 520, rng, 600.0, 2600.0))
    white = 4095
    fields = [("Institution Name:", "ST ELSEWHERE CLINIC", "institution"), ("Patient ID:", "88127340", "id"),
              ("Name:", "KOWALSKI ANNA", "name"), ("DOB:", "1961-03-12", "date"), ("Study Date:", "2023-03-14", "date")]
    for row, (label, value, kind) in enumerate(fields):
        canvas.field(label, value, 150, 150 + 19 * row, 12, white, kind, smooth=False)
    canvas.text("PA ERECT", 210, 330, 15, white, "clinical")
    canvas.text("L", 460, 140, 26, white, "clinical", bold=True)
    ds = base(ComputedRadiographyImageStorage, "CR", "KOWALSKI^ANNA", "88127340", "over anatomy")
    ds.PatientBirthDate, ds.InstitutionName = "19610312", "ST ELSEWHERE CLINIC"
    ds.ImageType = ["ORIGINAL", "PRIMARY"]
    grey_pixels(ds, canvas.image, 12)
    return ds, canvas.items


def ultrasound(rng: np.random.Generator, rows: int = 480, columns: int = 640) -> np.ndarray:
    """Speckle in the middle (the data region of us_dataset at 640x480), black around it."""
    image = np.zeros((rows, columns), np.float32)
    y0, y1, x0, x1 = rows * 3 // 16, rows * 13 // 16, columns * 13 // 64, columns * 51 // 64
    image[y0:y1, x0:x1] = rng.rayleigh(40, (y1 - y0, x1 - x0)).clip(0, 255)
    return image


def us_dataset(key: str, name: str, patient_id: str) -> Dataset:
    ds = base(UltrasoundImageStorage, "US", name, patient_id, key)
    ds.Manufacturer, ds.ManufacturerModelName = "Synthsono", "Vista 7"
    region = Dataset()
    region.RegionLocationMinX0, region.RegionLocationMinY0 = 130, 90
    region.RegionLocationMaxX1, region.RegionLocationMaxY1 = 509, 389
    region.RegionSpatialFormat, region.RegionDataType, region.RegionFlags = 1, 1, 0
    ds.SequenceOfUltrasoundRegions = [region]
    return ds


def unlabelled_name(rng: np.random.Generator) -> tuple[Dataset, list[dict]]:
    """Class 2: an ultrasound banner with a name and a clinic and no label before them, in a file whose
    header an earlier tool had cleaned; the PHI-only policy kept both."""
    canvas = Canvas(ultrasound(rng))
    canvas.text("NOWAK, PIOTR", 6, 6, 13, 240, "name")
    canvas.text("Riverside Imaging", 470, 6, 13, 240, "institution")
    canvas.text("2023-03-14", 530, 28, 12, 240, "date")
    canvas.text("L12-5", 14, 120, 11, 200, "clinical")
    canvas.text("MI 0.9", 14, 140, 11, 200, "clinical")
    ds = us_dataset("unlabelled name", "ANON^0001", "ANON0001")
    ds.PatientIdentityRemoved = "YES"
    grey_pixels(ds, canvas.image, 8)
    return ds, canvas.items


def unknown_labels(rng: np.random.Generator) -> tuple[Dataset, list[dict]]:
    """Class 3: operator and sonographer initials after labels the matcher did not know."""
    canvas = Canvas(ultrasound(rng))
    canvas.field("Op:", "JD", 6, 6, 13, 240, "physician")
    canvas.field("Sono:", "AB/CD/EF", 6, 28, 13, 240, "physician")
    canvas.text("C5-1", 14, 120, 11, 200, "clinical")
    canvas.text("Gn 60", 14, 140, 11, 200, "clinical")
    ds = us_dataset("unknown labels", "ZIELINSKA^EWA", "55501234")
    grey_pixels(ds, canvas.image, 8)
    return ds, canvas.items


def small_text(rng: np.random.Generator) -> tuple[Dataset, list[dict]]:
    """Class 4: a screen capture whose 7-8 px footer holds the institution, the date and the time."""
    canvas = Canvas(np.full((600, 800), 235.0, np.float32))
    canvas.image[40:520, 40:760] = ultrasound(rng, 480, 720)[:, :] * 0.6 + 20
    canvas.text("LVEF 55 %", 60, 60, 14, 250, "clinical")
    canvas.text("Harbourside Cardiology", 6, 585, 9, 30, "institution", smooth=False)
    canvas.text("2023-03-14", 640, 585, 9, 30, "date", smooth=False)
    canvas.text("14:23:53", 730, 585, 9, 30, "time", smooth=False)
    ds = base(SecondaryCaptureImageStorage, "OT", "BRENNAN^MAEVE", "77012345", "small text")
    ds.ConversionType, ds.ImageType = "WSD", ["DERIVED", "SECONDARY", "SCREEN SAVE"]
    grey_pixels(ds, canvas.image, 8)
    return ds, canvas.items


def described_name(rng: np.random.Generator) -> tuple[Dataset, list[dict]]:
    """Class 5: an earlier tool replaced PatientName, but the name still stands in SeriesDescription, in a
    private element and in the burned-in banner of a CT localizer."""
    canvas = Canvas(anatomy(400, 400, rng, 200.0, 600.0))
    canvas.field("Name:", "Lindqvist Sara", 8, 8, 12, 1500, "name")
    canvas.text("HEAD", 180, 370, 12, 1500, "clinical")
    ds = base(CTImageStorage, "CT", "ANON^0002", "ANON0002", "described name")
    ds.ImageType = ["ORIGINAL", "PRIMARY", "LOCALIZER"]
    ds.SeriesDescription = "Lindqvist-CT/Head w/o Contrast"
    block = ds.private_block(0x0011, "OLDANON 1.0", create=True)
    block.add_new(0x01, "LO", "LINDQVIST^SARA")
    ds.PatientIdentityRemoved = "YES"
    grey_pixels(ds, canvas.image, 12)
    return ds, canvas.items


def planar_rle(rng: np.random.Generator) -> tuple[Dataset, list[dict]]:
    """Class 6: an RLE colour image of odd size declaring planar configuration 1, with a name to mask:
    re-encoding it through GDCM's RLE encoder aborted the worker process."""
    canvas = Canvas(ultrasound(rng, 97, 131))
    canvas.text("ELENI P", 3, 3, 11, 250, "name")
    canvas.text("C5-1", 4, 80, 9, 200, "clinical")
    rgb = np.repeat(np.clip(canvas.image, 0, 255).astype(np.uint8)[..., None], 3, axis=2)
    rgb[..., 2] //= 2
    ds = us_dataset("planar rle", "PAPADOPOULOS^ELENI", "66601234")
    del ds.SequenceOfUltrasoundRegions
    ds.set_pixel_data(rgb, "RGB", 8, generate_instance_uid=False)
    ds.compress(RLELossless, encoding_plugin="pydicom", generate_instance_uid=False)
    ds.PlanarConfiguration = 1
    return ds, canvas.items


def overlay_bits(rng: np.random.Generator) -> tuple[Dataset, list[dict]]:
    """Class 7: an XA, JPEG lossless, whose institution, name and ID are an overlay in the bits above
    BitsStored (bit 8, declared with Overlay Bits Allocated 1, as GE writes it); an earlier pixelscrub
    read only native pixel data for hidden bits and released them."""
    image = np.clip(anatomy(256, 256, rng, 60.0, 120.0), 0, 255)
    overlay = Canvas(np.zeros((256, 256), np.float32))
    overlay.text("MONTBRUN", 6, 6, 12, 1, "institution")
    overlay.text("NAVARRO, TOMAS", 6, 24, 12, 1, "name")
    overlay.text("# 7189", 6, 42, 12, 1, "id")
    bits = (overlay.image > 0.5).astype(np.uint16)
    ds = base(XRayAngiographicImageStorage, "XA", "NAVARRO^TOMAS", "7189", "overlay bits")
    ds.Manufacturer, ds.InstitutionName = "GE MEDICAL SYSTEMS", "MONTBRUN"
    ds.ImageType = ["ORIGINAL", "PRIMARY", "SINGLE PLANE"]
    ds.set_pixel_data(image.astype(np.uint16), "MONOCHROME2", 16, generate_instance_uid=False)
    ds.BitsStored, ds.HighBit = 8, 7
    ds.PixelData = (image.astype(np.uint16) | (bits << 8)).tobytes()
    return ds, overlay.items


def declare_overlay(path: Path) -> None:
    """Describe the overlay in bit 8 as GE does (Overlay Bits Allocated 1, Bit Position 8, no Overlay
    Data), after GDCM encoded the values: told of it first, GDCM would move it out of the pixels."""
    ds = pydicom.dcmread(path)
    ds.add_new((0x6000, 0x0010), "US", ds.Rows)
    ds.add_new((0x6000, 0x0011), "US", ds.Columns)
    ds.add_new((0x6000, 0x0040), "CS", "G")
    ds.add_new((0x6000, 0x0050), "SS", [1, 1])
    ds.add_new((0x6000, 0x0100), "US", 1)
    ds.add_new((0x6000, 0x0102), "US", 8)
    ds.save_as(path, enforce_file_format=True)


def jpeg_lossless(path: Path) -> None:
    """Re-encode a native file as JPEG lossless (process 14, first-order prediction) with GDCM, which
    keeps every bit of the 16-bit values; pydicom cannot encode this syntax."""
    reader = gdcm.ImageReader()
    reader.SetFileName(str(path))
    if not reader.Read():
        raise RuntimeError("GDCM could not read the native fixture")
    change = gdcm.ImageChangeTransferSyntax()
    change.SetTransferSyntax(gdcm.TransferSyntax(gdcm.TransferSyntax.JPEGLosslessProcess14_1))
    change.SetInput(reader.GetImage())
    if not change.Change():
        raise RuntimeError("GDCM could not encode JPEG lossless")
    writer = gdcm.ImageWriter()
    writer.SetFileName(str(path))
    writer.SetFile(reader.GetFile())
    writer.SetImage(change.GetOutput())
    if not writer.Write():
        raise RuntimeError("GDCM could not write the JPEG lossless fixture")


FIXTURES = {  # name: (maker, seed of its noise)
    "class1_over_anatomy_cr.dcm": (over_anatomy, 8),
    "class2_unlabelled_name_us.dcm": (unlabelled_name, 1),
    "class3_unknown_labels_us.dcm": (unknown_labels, 2),
    "class4_small_footer_sc.dcm": (small_text, 3),
    "class5_described_name_ct.dcm": (described_name, 4),
    "class6_planar_rle_us.dcm": (planar_rle, 5),
    "class7_overlay_bits_xa.dcm": (overlay_bits, 6),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "fixtures")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for name, (make, seed) in FIXTURES.items():
        ds, items = make(np.random.default_rng(seed))
        ds.save_as(out / name, enforce_file_format=True)
        if name.startswith("class7"):
            jpeg_lossless(out / name)
            declare_overlay(out / name)
        written = pydicom.dcmread(out / name, stop_before_pixels=True)
        files.append(truth_entry(name, name.split("_", 1)[1][:-4], written, "PatientIdentityRemoved" in written,
                                 items))
    truth = {"generator": "scripts/make_fixtures.py", "seed": 0, "count": len(files), "files": files}
    (out / "truth.json").write_text(json.dumps(truth, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {len(files)} fixtures and truth.json to {out}")


if __name__ == "__main__":
    main()
