"""Every pixel encoding, round-tripped: decode -> mask a box -> write -> read back.

Each case of tests/pixel_matrix.py (transfer syntax x photometric interpretation x frame count), each of
pydicom's bundled forms and each real vendor sample goes through pixelscrub's own frame decoder, mask
fills and writer. The written file must open in pydicom and in dcmtk's dcmdump, decode (by pydicom's
own path, not ours) to the box filled on every frame and every other pixel unchanged, and describe its
pixels coherently. A second group scrubs the files end to end and checks that an image nothing was
masked in keeps its PixelData bytes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.pixels import apply_color_lut
from pydicom.uid import UID

import pixel_matrix
from pixelscrub.config import load_config
from pixelscrub.pixels.regions.boxes import Box
from pixelscrub.pixels.codec.frames import Frames, palette
from pixelscrub.pixels.regions.mask import SAMPLE_FRAMES, apply_fills, plan_fills
from pixelscrub.pixels.codec.store import LOSSY_METHODS, FrameWriter
from pixelscrub.read import read
from pixelscrub.run import scrub

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
CASES = {case.id: case for case in pixel_matrix.cases()}
BUNDLED = dict(pixel_matrix.bundled())
VENDOR = {path.stem: path for path in sorted(SAMPLES.glob("*.dcm"))}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("matrix")


def _source(kind: str, name: str, folder: Path) -> Path:
    if kind == "case":
        path = folder / f"{name}.dcm"
        return path if path.is_file() else pixel_matrix.build(CASES[name], folder)
    return (BUNDLED if kind == "bundled" else VENDOR)[name]


def _params() -> list:
    return ([pytest.param("case", name, id=name) for name in CASES]
            + [pytest.param("bundled", name, id=f"bundled-{name}") for name in BUNDLED]
            + [pytest.param("vendor", name, id=f"vendor-{name[:48]}") for name in VENDOR])


def _box(rows: int, columns: int) -> Box:
    """A box touching neither edge, about a quarter of the image each way."""
    return Box(columns // 5, rows // 4, max(2, columns // 4), max(2, rows // 4))


def _roundtrip(path: Path, out: Path) -> tuple[list[np.ndarray], object, pydicom.Dataset, pydicom.Dataset]:
    """Mask _box on every frame of `path` and write it to `out`, as the pixel stage does (streaming:
    nothing kept between the passes). Returns the decoded input, the fill, and the input and output."""
    ds = read(path).dataset
    frames = Frames(ds, path, keep_bytes=0)
    before = [frame.copy() for _, frame in frames]
    fills = plan_fills(frames.sample(SAMPLE_FRAMES), frames.photometric, [_box(frames.rows, frames.columns)])
    writer = FrameWriter(ds, frames)
    for _, frame in frames:
        apply_fills(frame, fills)
        writer.add(frame)
    writer.finish()
    pydicom.dcmwrite(out, ds, enforce_file_format=True)  # as the pipeline writes it
    return before, fills[0].value, pydicom.dcmread(path), pydicom.dcmread(out)


def _as_frames(arr: np.ndarray, frames: int) -> np.ndarray:
    return arr if frames > 1 else arr[np.newaxis]


@pytest.mark.parametrize("kind, name", _params())
def test_masked_box_roundtrip(kind, name, built, tmp_path):
    path = _source(kind, name, built)
    before, fill, original, written = _roundtrip(path, tmp_path / "out.dcm")
    count = int(original.get("NumberOfFrames") or 1)

    # The box is filled on every frame and nothing else changed, as pydicom itself decodes the output.
    after = _as_frames(written.pixel_array, count)
    box = _box(int(written.Rows), int(written.Columns))
    inside = np.zeros(after.shape[1:3], bool)
    inside[box.y:box.y1, box.x:box.x1] = True
    assert after.shape == np.stack(before).shape
    for index, (old, new) in enumerate(zip(before, after)):
        assert (new[inside] == fill).all(), f"frame {index}: box not filled"
        assert np.array_equal(new[~inside], old[~inside]), f"frame {index}: pixels outside the box changed"

    # The header describes the pixels it now holds.
    syntax = UID(written.file_meta.TransferSyntaxUID)
    assert syntax not in LOSSY_METHODS and syntax.is_little_endian
    source = str(original.PhotometricInterpretation)
    assert written.PhotometricInterpretation == ("RGB" if source.startswith("YBR") else source)
    for keyword in ("Rows", "Columns", "SamplesPerPixel", "BitsAllocated", "BitsStored", "HighBit",
                    "PixelRepresentation"):
        assert written.get(keyword) == original.get(keyword), keyword
    if int(written.SamplesPerPixel) == 3:
        assert written.PlanarConfiguration == 0
    if source == "PALETTE COLOR":
        # The same indices give the same colours through the written palette as through the original one.
        assert np.array_equal(apply_color_lut(after[0], written), apply_color_lut(after[0], palette(original)))
    if UID(original.file_meta.TransferSyntaxUID) in LOSSY_METHODS:
        assert written.LossyImageCompression == "01" and written.LossyImageCompressionMethod

    # Another toolkit reads it.
    dump = subprocess.run(["dcmdump", "-q", "+E", str(tmp_path / "out.dcm")], capture_output=True, text=True)
    assert dump.returncode == 0 and "E:" not in dump.stderr, dump.stderr[:500]
    assert "PixelData" in dump.stdout


@pytest.mark.parametrize("name", list(CASES))
def test_decoded_as_written(name, built):
    """pixelscrub decodes each generated file to the pixels it was made of (closely where lossy)."""
    case = CASES[name]
    path = _source("case", name, built)
    ds = read(path).dataset
    decoded = np.stack([frame for _, frame in Frames(ds, path)])
    expected = _as_frames(pixel_matrix.expected(case, path), case.frames)
    assert decoded.shape == expected.shape and decoded.dtype == expected.dtype
    difference = np.abs(decoded.astype(np.int64) - expected)
    # Our YBR->RGB conversion (OpenCV) and pydicom's may round differently by one level.
    allowed = 1 if case.photometric.startswith("YBR") else 0
    assert difference.max() <= allowed
    if case.lossy:  # and close to what was drawn, which the decoder's own output cannot vouch for
        drawn = _as_frames(pixel_matrix.source(case), case.frames).astype(np.int64)
        assert np.abs(decoded - drawn).mean() < 0.02 * (2 ** case.bits_stored)


def test_ybr_422_jpeg_is_converted_once(built):
    """pydicom's JPEG decoders already return RGB for YBR_FULL_422 baseline: a second conversion would
    shift every colour, which the comparison with the drawn picture catches."""
    case = CASES["jpeg-baseline-ybr422-1f"]
    path = _source("case", case.id, built)
    decoded = next(iter(Frames(read(path).dataset, path)))[1]
    assert np.abs(decoded.astype(int) - pixel_matrix.source(case)).mean() < 4


def test_matrix_covers_the_issue_list():
    """The forms the issue names are all in the matrix."""
    syntaxes = {case.syntax for case in CASES.values()}
    photometrics = {case.photometric for case in CASES.values()}
    assert len(syntaxes) == 12
    assert {"MONOCHROME1", "MONOCHROME2", "RGB", "YBR_FULL", "YBR_FULL_422", "YBR_ICT", "YBR_RCT",
            "PALETTE COLOR"} <= photometrics
    assert any(case.planar == 1 and case.syntax == pydicom.uid.RLELossless for case in CASES.values())
    assert any(case.photometric == "PALETTE COLOR" and case.bits_allocated == 16 for case in CASES.values())
    assert any(case.signed and case.bits_stored < case.bits_allocated or case.bits_stored == 12
               for case in CASES.values())
    assert {1, 3} == {case.frames for case in CASES.values()}


@pytest.fixture(scope="module")
def scrubbed_matrix(built, tmp_path_factory):
    """Every generated file scrubbed end to end in one run."""
    root = tmp_path_factory.mktemp("scrubbed")
    (root / "in").mkdir()
    for name in CASES:
        shutil.copy(_source("case", name, built), root / "in" / f"{name}.dcm")
    config = replace(load_config(None), home=root / "home")
    scrub(root / "in", root / "out", None, None, config, workers=1)
    records = [json.loads(line) for line in (root / "out-report" / "manifest.jsonl").read_text().splitlines()]
    return root, records


def test_unmasked_files_keep_their_pixel_data_bytes(scrubbed_matrix):
    """Nothing in these pictures is text, so nothing is masked, and every output (released, or held as
    a document-like picture) carries the input's PixelData bytes and transfer syntax."""
    root, records = scrubbed_matrix
    assert len(records) == len(CASES)
    for record in records:
        assert record["output"] and not record["masks"], record["reasons"]
        folder = root / ("out" if record["status"] == "released" else "out-quarantine")
        written, source = pydicom.dcmread(folder / record["output"]), pydicom.dcmread(root / "in" / record["source"])
        assert written.PixelData == source.PixelData, record["source"]
        assert written.file_meta.TransferSyntaxUID == source.file_meta.TransferSyntaxUID


def test_every_encoding_is_decoded_in_the_run(scrubbed_matrix):
    _, records = scrubbed_matrix
    undecoded = [r["source"] for r in records if any("could not be decoded" in reason for reason in r["reasons"])]
    assert not undecoded
