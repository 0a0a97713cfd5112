"""The learned text detector runs its model on OpenVINO, not on onnxruntime as RapidOCR would: faster, and
it must find the same regions, or the check would change with the runtime."""

from __future__ import annotations

import json
from pathlib import Path

import pydicom
import pytest

from pixelscrub.pixels.codec.frames import Frames, reading_image
from pixelscrub.pixels.ocr.openvino import OpenVinoSession
from pixelscrub.pixels.ocr.rapid import RapidDetector
from pixelscrub.pixels.regions.boxes import Box

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TRUTH = {f["path"]: f["items"] for f in json.loads((FIXTURES / "truth.json").read_text())["files"]}
# Text over a radiograph, and 7-8 px text in a screen capture's footer: what the check is there for.
IMAGES = ("class1_over_anatomy_cr.dcm", "class4_small_footer_sc.dcm")


@pytest.fixture(scope="module")
def detectors() -> tuple[RapidDetector, RapidDetector]:
    return RapidDetector(0.8), RapidDetector(0.8, "onnxruntime")


def first_frame(name: str):
    ds = pydicom.dcmread(FIXTURES / name)
    frames = Frames(ds, FIXTURES / name)
    return reading_image(frames.frame(0), frames.photometric, ds)


def test_the_detector_runs_on_openvino(detectors):
    for detector in detectors:
        detector.detect(first_frame(IMAGES[0]))  # RapidOCR builds its detector on the first call
    assert isinstance(detectors[0]._ocr.text_det.session, OpenVinoSession)
    assert not isinstance(detectors[1]._ocr.text_det.session, OpenVinoSession)


@pytest.mark.parametrize("name", IMAGES)
def test_openvino_finds_the_regions_onnxruntime_finds(detectors, name):
    grey = first_frame(name)
    ours, theirs = (sorted(d.detect(grey), key=lambda b: (b.y, b.x)) for d in detectors)
    assert len(ours) == len(theirs) > 0
    for a, b in zip(ours, theirs):
        assert max(abs(a.x - b.x), abs(a.y - b.y), abs(a.x1 - b.x1), abs(a.y1 - b.y1)) <= 1


@pytest.mark.parametrize("name", IMAGES)
def test_every_phi_item_lies_in_a_region(detectors, name):
    regions = detectors[0].detect(first_frame(name))
    for item in (i for i in TRUTH[name] if i["phi"]):
        box = Box(*item["box"])
        assert any(box.intersection(r) >= 0.5 * box.area for r in regions), item["kind"]
