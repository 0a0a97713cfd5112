"""The wild synthetic archive: deterministic, varied as promised, and truthful about every text it burns in."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.pixels import apply_color_lut
from pydicom.uid import ExplicitVRLittleEndian, JPEGBaseline8Bit, JPEGLSLossless, RLELossless

from pixelscrub import cli
from pixelscrub.errors import MissingDependencyError
from pixelscrub.synth import fonts
from pixelscrub.synth.wild import forms, words
from pixelscrub.synth.text import KINDS, PHI_KINDS
from pixelscrub.synth.wild import generate, write_archive
from pixelscrub.truth import load_truth

SEED, COUNT = 5, 60
ENTRY_KEYS = {"path", "scene", "modality", "manufacturer", "sop_class_uid", "frames", "rows", "columns",
              "photometric", "transfer_syntax", "header_cleaned", "items"}


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """The archive's folder, its truth, and the fonts each file was drawn with."""
    root = tmp_path_factory.mktemp("wild") / "archive"
    written = write_archive(root, SEED, COUNT)
    return root, json.loads((root / "truth.json").read_text()), [w.fonts for w in written]


@pytest.fixture(scope="module")
def decoded(archive):
    """Each truth entry with its dataset and its frames as displayed, (frames, rows, columns[, 3])."""
    root, truth, _ = archive
    out = []
    for entry in truth["files"]:
        ds = pydicom.dcmread(root / entry["path"])
        pixels = ds.pixel_array
        if ds.PhotometricInterpretation == "PALETTE COLOR":
            pixels = apply_color_lut(pixels, ds) >> 8
        if int(ds.get("NumberOfFrames", 1)) == 1:
            pixels = pixels[None]
        out.append((entry, ds, pixels))
    return out


def test_same_seed_gives_identical_bytes_whatever_the_count(archive, tmp_path):
    root, _, _ = archive
    generate(tmp_path / "a", seed=SEED, count=12)
    generate(tmp_path / "b", seed=SEED, count=12)
    first, second, whole = _tree(tmp_path / "a"), _tree(tmp_path / "b"), _tree(root)
    assert first == second
    assert len(first) == 13
    assert all(whole[name] == data for name, data in first.items() if name != "truth.json")


def test_truth_has_the_standard_format_and_loads(archive):
    root, truth, _ = archive
    assert (truth["generator"], truth["layouts"], truth["seed"], truth["count"]) == \
        ("pixelscrub synth", "wild", SEED, COUNT)
    assert len(truth["files"]) == COUNT
    for entry in truth["files"]:
        assert set(entry) == ENTRY_KEYS
        assert re.fullmatch(r"[a-z]{2}/IM\d{4}\.dcm", entry["path"])
        for item in entry["items"]:
            assert item["kind"] in KINDS and item["phi"] == (item["kind"] in PHI_KINDS)
            assert item["frames"] == "all" or all(0 <= f < entry["frames"] for f in item["frames"])
    loaded = load_truth(root / "truth.json", [entry["path"] for entry in truth["files"]])
    assert loaded.unmatched == () and len(loaded.files) == COUNT
    assert sum(len(items) for items in loaded.files.values()) == sum(len(e["items"]) for e in truth["files"])


def test_every_font_family_and_height_from_6_to_20(archive):
    _, _, used = archive
    drawn = set().union(*used)
    assert {family for family, _ in drawn} == set(fonts.FAMILIES)
    heights = {height for _, height in drawn}
    assert (min(heights), max(heights)) == (6, 20) and len(heights) >= 13


def test_files_decode_in_every_promised_form(decoded):
    forms = {(e["photometric"], e["transfer_syntax"]) for e, _, _ in decoded}
    assert {p for p, _ in forms} >= {"MONOCHROME1", "MONOCHROME2", "RGB", "YBR_FULL_422", "PALETTE COLOR"}
    assert {s for _, s in forms} == {ExplicitVRLittleEndian, RLELossless, JPEGBaseline8Bit, JPEGLSLossless}
    for entry, ds, pixels in decoded:
        assert ds.file_meta.TransferSyntaxUID == entry["transfer_syntax"]
        assert (ds.SOPClassUID, ds.Modality, ds.Manufacturer) == \
            (entry["sop_class_uid"], entry["modality"], entry["manufacturer"])
        assert pixels.shape[:3] == (entry["frames"], entry["rows"], entry["columns"])
        if entry["scene"] in ("cr", "dx", "mg"):
            assert ds.BitsAllocated == 16 and 10 <= ds.BitsStored <= 14
    scenes = {e["scene"] for e, _, _ in decoded}
    assert scenes >= {"us_single", "us_cine", "viewer_capture", "report_page", "xa", "cr", "dx", "mg", "endoscopy"}
    assert any("LOCALIZER" in ds.ImageType and e["items"] for e, ds, _ in decoded if "ImageType" in ds)
    cines = [e for e, _, _ in decoded if e["scene"] == "us_cine"]
    assert cines and all(8 <= e["frames"] <= 16 for e in cines)
    assert any(3 <= e["frames"] <= 6 for e, _, _ in decoded if e["scene"] in ("xa", "rf"))
    assert any(item["frames"] != "all" for e, _, _ in decoded for item in e["items"])


def _display(frame: np.ndarray, ds: pydicom.Dataset) -> np.ndarray:
    """Luma on a 0..255 scale, whatever the depth and colour model."""
    frame = frame.astype(float)
    if frame.ndim == 3:
        return frame @ [0.299, 0.587, 0.114]
    return frame * 255 / ((1 << ds.BitsStored) - 1)


def test_boxes_lie_on_ink_inside_the_image(decoded):
    """Each box is inside the image, and its pixels stand out from a thin ring around it."""
    for entry, ds, pixels in decoded:
        for item in entry["items"]:
            x, y, w, h = item["box"]
            assert w > 0 and h > 0 and x >= 0 and y >= 0
            assert x + w <= entry["columns"] and y + h <= entry["rows"], (entry["path"], item["text"])
            frame = _display(pixels[0 if item["frames"] == "all" else item["frames"][0]], ds)
            y0, y1 = max(0, y - 2), min(entry["rows"], y + h + 2)
            x0, x1 = max(0, x - 2), min(entry["columns"], x + w + 2)
            ring = np.ones((y1 - y0, x1 - x0), bool)
            ring[y - y0 : y - y0 + h, x - x0 : x - x0 + w] = False
            contrast = np.abs(frame[y : y + h, x : x + w] - np.median(frame[y0:y1, x0:x1][ring]))
            assert contrast.max() >= 50, (entry["path"], item["text"])


def _fold(text: str) -> str:
    return words.ascii_fold(text).upper()


def _renderings(ds: pydicom.Dataset) -> tuple[set[str], set[str]]:
    """Every way the wild layouts print the header's dates and times."""
    days = [dt.datetime.strptime(v, "%Y%m%d").date() for v in (ds.PatientBirthDate, ds.StudyDate, ds.ContentDate)]
    styles = (*forms.DATE_STYLES, *forms.BIRTH_ONLY_STYLES)
    dates = {_fold(forms.date(day, style, lang)) for day in days for style in styles for lang in words.LANGUAGES}
    moments = [dt.datetime.strptime(v, "%H%M%S").time() for v in (ds.StudyTime, ds.ContentTime)]
    return dates, {_fold(forms.time(moment, style)) for moment in moments for style in forms.TIME_STYLES}


def test_headers_agree_with_the_pixels_unless_cleaned(decoded):
    checked = 0
    for entry, ds, _ in decoded:
        if entry["header_cleaned"] or not entry["items"]:
            continue
        dates, times = _renderings(ds)
        staff = [ds.ReferringPhysicianName, ds.PerformingPhysicianName, ds.OperatorsName]
        for item in entry["items"]:
            text, kind = _fold(item["text"]), item["kind"]
            if kind == "name":
                assert _fold(ds.PatientName.family_name) in text, (item["text"], str(ds.PatientName))
            elif kind == "id":
                assert item["text"] in (ds.PatientID, ds.AccessionNumber)
            elif kind == "institution":
                assert text == _fold(ds.InstitutionName)
            elif kind == "age":
                assert int(re.match(r"\d+", item["text"]).group()) == int(ds.PatientAge[:3])
            elif kind == "date":
                assert text in dates, item["text"]
            elif kind == "time":
                assert text in times, item["text"]
            elif kind == "physician":
                initials = {_fold(p.given_name[0] + p.family_name[0]) for p in staff}
                assert any(_fold(p.family_name) in text for p in staff) or set(text.split("/")) <= initials, text
            checked += item["phi"]
    assert checked > 100


def test_cleaned_headers_hide_the_name_the_pixels_show(decoded):
    cleaned = [(e, ds) for e, ds, _ in decoded if e["header_cleaned"] and e["items"]]
    with_text = [e for e, _, _ in decoded if e["items"]]
    assert 0.05 <= len(cleaned) / len(with_text) <= 0.4
    leftovers = 0
    for entry, ds in cleaned:
        assert str(ds.PatientName).startswith("ANON") and ds.PatientIdentityRemoved == "YES"
        names = [_fold(i["text"]) for i in entry["items"] if i["kind"] == "name"]
        assert names and all(_fold(str(ds.PatientName)) not in name for name in names)
        assert ds.PatientID not in [i["text"] for i in entry["items"] if i["kind"] == "id"]
        block = ds.private_block(0x0011, "WILDVENDOR 2.1") if (0x0011, 0x0010) in ds else None
        leftovers += (block is not None) or "-" in ds.SeriesDescription
    assert leftovers


def test_ct_and_mr_originals_carry_no_text(decoded):
    originals = [(e, ds) for e, ds, _ in decoded if e["scene"] in ("ct", "mr")]
    assert 0.1 <= len(originals) / len(decoded) <= 0.3
    for entry, ds in originals:
        assert entry["items"] == [] and list(ds.ImageType)[:2] == ["ORIGINAL", "PRIMARY"]
        assert ds.Modality in ("CT", "MR")


def test_labels_come_in_at_least_five_languages(archive):
    _, truth, _ = archive
    owners: dict[str, set[str]] = {}
    for field in words.LABELS.values():
        for language, labels in field.items():
            for label in labels:
                owners.setdefault(_fold(label), set()).add(language)
    seen = {_fold(i["text"]) for e in truth["files"] for i in e["items"] if i["kind"] == "label"}
    languages = {next(iter(owners[label])) for label in seen if len(owners.get(label, ())) == 1}
    assert len(languages) >= 5


def test_cli_writes_the_wild_archive(tmp_path):
    assert cli.main(["synth", str(tmp_path / "out"), "--layouts", "wild", "--count", "2", "--seed", "3"]) == 0
    truth = json.loads((tmp_path / "out" / "truth.json").read_text())
    assert truth["layouts"] == "wild" and len(truth["files"]) == 2


def test_a_missing_font_names_its_package(monkeypatch):
    missing = fonts.Face("Liberation", "/nonexistent/LiberationSans-Regular.ttf", "fonts-liberation", "sans")
    monkeypatch.setattr(fonts, "FACES", (*fonts.FACES, missing))
    with pytest.raises(MissingDependencyError, match="apt-get install -y fonts-liberation"):
        fonts.require()
