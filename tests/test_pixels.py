"""The pixel stage end to end on crafted images: each case scrubs one file and checks pixels and masks."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pydicom
import pytest
from PIL import Image, ImageDraw, ImageFont
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, SecondaryCaptureImageStorage, UltrasoundMultiFrameImageStorage

from pixelscrub.config import load_config
from pixelscrub.header.phi import collect_phi
from pixelscrub.pixels.regions.boxes import Box
from pixelscrub.pixels.codec.frames import Frames
from pixelscrub.pixels.regions.places import Places
from pixelscrub.pixels.text.scan import LineJudge, scan
from pixelscrub.pixels.ocr.tesseract import tesseract_engine
from pixelscrub.run import scrub

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"


def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, size) if Path(FONT).exists() else ImageFont.load_default(size)


def draw(image: np.ndarray, texts: list[tuple[str, tuple[int, int], tuple]], size: int = 16) -> dict[str, list[int]]:
    """Write each text at its place; return each text's ink box."""
    pil = Image.fromarray(image)
    pen = ImageDraw.Draw(pil)
    boxes = {}
    for text, xy, colour in texts:
        x0, y0, x1, y1 = pen.textbbox(xy, text, font=font(size))
        pen.text(xy, text, fill=colour, font=font(size))
        boxes[text] = [x0, y0, x1 - x0, y1 - y0]
    image[:] = np.asarray(pil)
    return boxes


def dataset(pixels: np.ndarray, photometric: str, name: str = "KOWALSKI^ANNA", modality: str = "OT",
            sop_class: str = SecondaryCaptureImageStorage) -> Dataset:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = "1.2.826.0.1.3680043.2.1125.77.1"
    ds.StudyInstanceUID, ds.SeriesInstanceUID = "1.2.826.0.1.3680043.2.1125.77.2", "1.2.826.0.1.3680043.2.1125.77.3"
    ds.Modality = modality
    ds.PatientName, ds.PatientID, ds.PatientBirthDate = name, "MRN4471902", "19600131"
    ds.set_pixel_data(pixels, photometric, 8, generate_instance_uid=False)
    return ds


def scrub_one(ds: Dataset, tmp_path: Path) -> tuple[dict, np.ndarray]:
    (tmp_path / "in").mkdir()
    ds.save_as(tmp_path / "in" / "image.dcm", enforce_file_format=True)
    config = replace(load_config(None), home=tmp_path / "home")
    scrub(tmp_path / "in", tmp_path / "out", None, None, config, workers=1)
    record = json.loads((tmp_path / "out-report" / "manifest.jsonl").read_text().splitlines()[0])
    root = tmp_path / ("out" if record["status"] == "released" else "out-quarantine")
    out = pydicom.dcmread(root / record["output"]).pixel_array
    return record, out


def covered(record: dict, box: list[int]) -> float:
    x, y, w, h = box
    canvas = np.zeros((4096, 4096), bool)
    for mask in record["masks"]:
        mx, my, mw, mh = mask["box"]
        canvas[my:my + mh, mx:mx + mw] = True
    return float(canvas[y:y + h, x:x + w].mean())


def speckle(shape, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return cv2.GaussianBlur(rng.rayleigh(45, shape).clip(0, 255).astype(np.uint8), (3, 3), 0)


def test_static_overlay_in_a_cine_is_read_once_and_masked_on_every_frame(tmp_path):
    frames = np.zeros((12, 360, 480), np.uint8)
    for i in range(12):
        frames[i, 60:330, 60:420] = speckle((270, 360), i)  # the echo moves from frame to frame
    boxes = {}
    for i in range(12):
        boxes = draw(frames[i], [("KOWALSKI ANNA", (4, 4), 255), ("MI 1.1  TIS 0.4", (300, 4), 255)])
    ds = dataset(frames, "MONOCHROME2", modality="US", sop_class=UltrasoundMultiFrameImageStorage)
    single = dataset(frames[0].copy(), "MONOCHROME2", modality="US")
    for d in (ds, single):  # where the echo is, as every ultrasound device declares it
        region = Dataset()
        region.RegionLocationMinX0, region.RegionLocationMinY0 = 60, 60
        region.RegionLocationMaxX1, region.RegionLocationMaxY1 = 419, 329
        d.SequenceOfUltrasoundRegions = [region]
    settings, engine = load_config(None).profile.first_pass(), tesseract_engine()
    regions = (Box(60, 60, 360, 270),)
    one, run = (scan(Frames(d), d, LineJudge(engine, None, collect_phi(d), settings,
                                              Places(360, 480, data_regions=regions)))
                for d in (single, ds))
    banner = [line for line in run.lines if line.box.intersection(Box(*boxes["KOWALSKI ANNA"]))]
    assert len(banner) == 1  # read once, not once per frame
    assert run.ocr_calls <= 3 * one.ocr_calls  # the banner once; speckle at the echo's edge may cost a read or two
    record, out = scrub_one(ds, tmp_path)
    assert record["status"] == "released"
    assert covered(record, boxes["KOWALSKI ANNA"]) > 0.95 and covered(record, boxes["MI 1.1  TIS 0.4"]) == 0
    x, y, w, h = boxes["KOWALSKI ANNA"]
    assert all((frame[y:y + h, x:x + w] == frame[y, x]).all() for frame in out)


def test_coloured_text_over_grey_anatomy(tmp_path):
    """Red whose brightness equals the grey echo's: only its colour sets it apart."""
    image = np.repeat(speckle((300, 480), 1)[..., None], 3, axis=2)
    image[:] = (image.astype(np.int16) // 3 + 80).astype(np.uint8)  # mid-grey echo, about 100
    red = (255, 35, 35)  # luminance about 100
    boxes = draw(image, [("KOWALSKI ANNA 01/31/1960", (20, 40), red), ("Dist 3.42 cm", (20, 240), red)])
    record, out = scrub_one(dataset(image, "RGB", modality="US"), tmp_path)
    assert record["status"] == "released", record["reasons"]
    assert covered(record, boxes["KOWALSKI ANNA 01/31/1960"]) > 0.95
    assert covered(record, boxes["Dist 3.42 cm"]) == 0


def test_dark_text_on_a_light_panel(tmp_path):
    image = np.full((300, 480, 3), 235, np.uint8)
    boxes = draw(image, [("Patient: KOWALSKI, ANNA", (10, 10), (20, 20, 20)), ("LVEF 55 %", (10, 60), (20, 20, 20))])
    record, out = scrub_one(dataset(image, "RGB"), tmp_path)
    assert record["status"] == "released"
    x, y, w, h = boxes["Patient: KOWALSKI, ANNA"]
    assert covered(record, [x + 90, y, w - 90, h]) > 0.95  # the name; the label may stay
    assert covered(record, boxes["LVEF 55 %"]) == 0
    assert (out[y:y + h, x + 100:x + w] == 235).all()  # filled with the panel's own colour


def test_text_touching_the_border(tmp_path):
    image = speckle((300, 400), 3) // 4
    boxes = draw(image, [("MRN4471902", (0, -2), 255), ("KOWALSKI", (318, 285), 255)], size=14)
    record, out = scrub_one(dataset(image, "MONOCHROME2"), tmp_path)
    assert record["status"] == "released", record["reasons"]
    assert covered(record, boxes["MRN4471902"]) > 0.95 and covered(record, boxes["KOWALSKI"]) > 0.95


def test_header_cleaned_earlier_but_pixels_still_show_the_name(tmp_path):
    image = np.zeros((300, 480), np.uint8)
    boxes = draw(image, [("Name: NOWAK TERESA", (10, 10), 255), ("ID: 88120931", (10, 40), 255), ("Gn 60", (380, 10), 255)])
    record, _ = scrub_one(dataset(image, "MONOCHROME2", name="ANONYMOUS"), tmp_path)
    assert record["status"] == "released"
    x, y, w, h = boxes["Name: NOWAK TERESA"]
    assert covered(record, [x + 60, y, w - 60, h]) > 0.95
    assert {m["matched"] for m in record["masks"]} >= {"pattern:label-name"}
    assert covered(record, boxes["Gn 60"]) == 0


@pytest.mark.parametrize("policy,masked", [("header", False), ("phi", True)])
def test_masking_policy_decides_what_a_pattern_does(tmp_path, policy, masked):
    image = np.zeros((200, 400), np.uint8)
    boxes = draw(image, [("Exam 07/04/1999", (10, 10), 255)])
    ds = dataset(image, "MONOCHROME2")
    (tmp_path / "in").mkdir()
    ds.save_as(tmp_path / "in" / "image.dcm", enforce_file_format=True)
    config = load_config(None)
    config = replace(config, home=tmp_path / "home", policy=policy,
                     profile=replace(config.profile, match=replace(config.profile.match, policy=policy)))
    scrub(tmp_path / "in", tmp_path / "out", None, None, config, workers=1)
    record = json.loads((tmp_path / "out-report" / "manifest.jsonl").read_text().splitlines()[0])
    if masked:
        assert record["status"] == "released" and covered(record, boxes["Exam 07/04/1999"]) > 0.5
    else:  # the header policy masks header values only, and holds an image with other PHI-like text
        assert record["status"] == "quarantined"
