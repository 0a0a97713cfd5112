"""The synthetic archive: deterministic, complete, and truthful about every text it burns in."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.uid import ExplicitVRLittleEndian, JPEGBaseline8Bit, RLELossless

from pixelscrub.synth import formats, generate
from pixelscrub.synth.scenes import SCENES
from pixelscrub.synth.text import KINDS, PHI_KINDS

SEED, COUNT = 7, 12


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("synth") / "archive"
    truth_path = generate(root, seed=SEED, count=COUNT)
    assert truth_path == root / "truth.json"
    return root, json.loads(truth_path.read_text())


@pytest.fixture(scope="module")
def decoded(archive) -> list[tuple[dict, pydicom.Dataset, np.ndarray]]:
    """Each truth entry with its dataset and pixels as (frames, rows, columns[, 3])."""
    root, truth = archive
    out = []
    for entry in truth["files"]:
        ds = pydicom.dcmread(root / entry["path"])
        pixels = ds.pixel_array
        if int(ds.get("NumberOfFrames", 1)) == 1:
            pixels = pixels[None]
        out.append((entry, ds, pixels))
    return out


def _with_text(decoded):
    return [(e, ds, px) for e, ds, px in decoded if e["items"]]


def test_same_seed_gives_identical_bytes(archive, tmp_path):
    root, _ = archive
    generate(tmp_path / "again", seed=SEED, count=COUNT)
    first, second = _tree(root), _tree(tmp_path / "again")
    assert list(first) == list(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_different_seed_gives_different_archive(archive, tmp_path):
    _, truth = archive
    other = json.loads(generate(tmp_path / "other", seed=SEED + 1, count=5).read_text())
    assert other["files"] != truth["files"][:5]
    names = {i["text"] for f in truth["files"] for i in f["items"] if i["kind"] == "name"}
    other_names = {i["text"] for f in other["files"] for i in f["items"] if i["kind"] == "name"}
    assert other_names and not other_names <= names


def test_truth_schema_and_stable_json(archive):
    root, truth = archive
    text = (root / "truth.json").read_text()
    assert text == json.dumps(truth, indent=2, sort_keys=True) + "\n"
    assert (truth["generator"], truth["seed"], truth["count"]) == ("pixelscrub synth", SEED, COUNT)
    assert len(truth["files"]) == COUNT
    for entry in truth["files"]:
        assert not Path(entry["path"]).is_absolute() and "\\" not in entry["path"]
        assert entry["scene"] in SCENES
        for item in entry["items"]:
            assert item["kind"] in KINDS
            assert item["phi"] == (item["kind"] in PHI_KINDS)
            frames = item["frames"]
            assert frames == "all" or (frames == sorted(frames) and all(0 <= f < entry["frames"] for f in frames))


def test_twelve_files_cover_every_scene_and_encoding(archive):
    _, truth = archive
    files = truth["files"]
    assert {f["scene"] for f in files} == set(SCENES)
    encodings = {(f["photometric"], f["transfer_syntax"]) for f in files}
    assert ("MONOCHROME2", ExplicitVRLittleEndian) in encodings
    assert ("RGB", ExplicitVRLittleEndian) in encodings
    assert ("YBR_FULL_422", JPEGBaseline8Bit) in encodings
    assert any(syntax == RLELossless for _, syntax in encodings)
    assert any(f["header_cleaned"] for f in files)
    assert any(f["frames"] > 1 for f in files if f["scene"] in ("xa", "rf"))
    assert all(8 <= f["frames"] <= 12 for f in files if f["scene"] == "us_cine")


def test_files_decode_and_match_truth(decoded):
    for entry, ds, pixels in decoded:
        assert ds.file_meta.TransferSyntaxUID == entry["transfer_syntax"]
        assert ds.file_meta.MediaStorageSOPInstanceUID == ds.SOPInstanceUID
        assert ds.SOPClassUID == entry["sop_class_uid"]
        assert ds.PhotometricInterpretation == entry["photometric"]
        assert (ds.Modality, ds.Manufacturer) == (entry["modality"], entry["manufacturer"])
        assert pixels.shape[:3] == (entry["frames"], entry["rows"], entry["columns"])


def test_no_phi_in_paths(decoded):
    for entry, _, _ in decoded:
        assert re.fullmatch(r"[a-z]{2}/IM\d{4}\.dcm", entry["path"])


def _luma(frame: np.ndarray) -> np.ndarray:
    frame = frame.astype(float)
    return frame @ [0.299, 0.587, 0.114] if frame.ndim == 3 else frame


def test_boxes_are_tight_around_ink_inside_the_image(decoded):
    """Each box is in the image, its pixels stand out from a thin ring around it,
    and in lossless files each of its four edges touches ink (the box is not loose)."""
    for entry, _, pixels in _with_text(decoded):
        lossless = entry["transfer_syntax"] != JPEGBaseline8Bit
        for item in entry["items"]:
            x, y, w, h = item["box"]
            assert w > 0 and h > 0 and x >= 0 and y >= 0
            assert x + w <= entry["columns"] and y + h <= entry["rows"]
            frame = _luma(pixels[0 if item["frames"] == "all" else item["frames"][0]])
            y0, y1 = max(0, y - 3), min(entry["rows"], y + h + 3)
            x0, x1 = max(0, x - 3), min(entry["columns"], x + w + 3)
            ring = np.ones((y1 - y0, x1 - x0), bool)
            ring[y - y0 : y - y0 + h, x - x0 : x - x0 + w] = False
            contrast = np.abs(frame[y : y + h, x : x + w] - np.median(frame[y0:y1, x0:x1][ring]))
            assert contrast.max() >= 60, (entry["path"], item["text"])
            if lossless:
                edges = contrast[0].max(), contrast[-1].max(), contrast[:, 0].max(), contrast[:, -1].max()
                assert min(edges) >= 12, (entry["path"], item["text"], edges)


def _overlap(a, b) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _share_frames(a, b) -> bool:
    return a["frames"] == "all" or b["frames"] == "all" or bool(set(a["frames"]) & set(b["frames"]))


def test_phi_boxes_do_not_overlap_clinical_boxes(archive):
    _, truth = archive
    for entry in truth["files"]:
        phi = [i for i in entry["items"] if i["phi"]]
        clinical = [i for i in entry["items"] if i["kind"] == "clinical"]
        for a in phi:
            for b in clinical:
                assert not (_share_frames(a, b) and _overlap(a["box"], b["box"])), (entry["path"], a["text"], b["text"])


def _dates(ds: pydicom.Dataset) -> set[str]:
    """Every rendering of the header's birth, study and content dates."""
    days = [dt.datetime.strptime(v, "%Y%m%d").date() for v in (ds.PatientBirthDate, ds.StudyDate, ds.ContentDate)]
    return {formats.date(day, style) for day in days for style in formats.DATE_STYLES}


def _times(ds: pydicom.Dataset) -> set[str]:
    moments = [dt.datetime.strptime(v, "%H%M%S").time() for v in (ds.StudyTime, ds.ContentTime)]
    return {formats.time(moment, style) for moment in moments for style in formats.TIME_STYLES}


def test_header_phi_matches_what_the_pixels_show(decoded):
    checked = 0
    for entry, ds, _ in _with_text(decoded):
        if entry["header_cleaned"]:
            continue
        family, given = ds.PatientName.family_name, ds.PatientName.given_name
        for item in entry["items"]:
            text, kind = item["text"], item["kind"]
            if kind == "name":
                assert family in text.upper() and given in text.upper(), (text, str(ds.PatientName))
            elif kind == "id":
                assert text in (ds.PatientID, ds.AccessionNumber)
            elif kind == "date":
                assert text in _dates(ds)
            elif kind == "time":
                assert text in _times(ds)
            elif kind == "institution":
                assert text == ds.InstitutionName
            elif kind == "physician":
                assert ds.ReferringPhysicianName.family_name in text.upper()
            elif kind == "age":
                assert int(re.match(r"\d+", text).group()) == int(ds.PatientAge[:3])
            checked += item["phi"]
        block = ds.private_block(0x0009, "SYNTHVENDOR 1.0") if (0x0009, 0x0010) in ds else None
        if block is not None:
            assert block[0x10].value == ds.PatientName and block[0x11].value == ds.PatientID
    assert checked > 20


def test_cleaned_headers_differ_from_pixels_that_keep_a_labelled_name(decoded):
    cleaned = [(e, ds) for e, ds, _ in decoded if e["header_cleaned"]]
    assert cleaned
    for entry, ds in cleaned:
        assert ds.PatientIdentityRemoved == "YES" and ds.BurnedInAnnotation == "NO"
        assert "InstitutionName" not in ds and ds.PatientBirthDate == ""
        names = [i for i in entry["items"] if i["kind"] == "name"]
        ids = [i["text"] for i in entry["items"] if i["kind"] == "id"]
        assert names and ds.PatientID not in ids
        assert all(str(ds.PatientName).split("^")[0] not in n["text"].upper() for n in names)
        labels = [i for i in entry["items"] if i["text"] in ("Name:", "Patient:")]
        assert any(_label_before(label["box"], name["box"]) for label in labels for name in names), entry["path"]


def _label_before(label, value) -> bool:
    same_line = label[1] < value[1] + value[3] and value[1] < label[1] + label[3]
    gap = value[0] - (label[0] + label[2])
    return same_line and 0 < gap <= 2 * label[3]


def test_ct_and_mr_are_text_free_16_bit_slices(decoded):
    for entry, ds, pixels in decoded:
        if entry["scene"] not in ("ct", "mr"):
            continue
        assert entry["items"] == []
        assert list(ds.ImageType) == ["ORIGINAL", "PRIMARY", "AXIAL"]
        assert ds.BitsAllocated == 16 and (entry["rows"], entry["columns"]) == (256, 256)
        if entry["scene"] == "ct":
            assert ds.PixelRepresentation == 1 and float(ds.RescaleIntercept) == -1024
            assert pixels.dtype == np.int16


def test_ultrasound_regions_hold_echoes_and_no_text(decoded):
    for entry, ds, pixels in decoded:
        if entry["modality"] != "US":
            continue
        (region,) = ds.SequenceOfUltrasoundRegions
        x0, y0 = region.RegionLocationMinX0, region.RegionLocationMinY0
        x1, y1 = region.RegionLocationMaxX1, region.RegionLocationMaxY1
        assert 0 <= x0 < x1 < entry["columns"] and 0 <= y0 < y1 < entry["rows"]
        assert pixels[0, y0 : y1 + 1, x0 : x1 + 1].mean() > 20
        box = (x0, y0, x1 - x0 + 1, y1 - y0 + 1)
        assert not [i["text"] for i in entry["items"] if _overlap(i["box"], box)]


def test_uid_hierarchy_follows_patients_and_studies(decoded):
    studies: dict[str, set[str]] = {}
    series_study: dict[str, str] = {}
    for _, ds, _ in decoded:
        studies.setdefault(ds.StudyInstanceUID, set()).add(ds.PatientID)
        assert series_study.setdefault(ds.SeriesInstanceUID, ds.StudyInstanceUID) == ds.StudyInstanceUID
    assert all(len(ids) == 1 for ids in studies.values())
    assert len(studies) < len(decoded) and len(series_study) < len(decoded)
    assert len({ds.SOPInstanceUID for _, ds, _ in decoded}) == len(decoded)
