"""Peak memory of scrubbing a long RGB cine, against the aim that it grows with frames by the output buffer only.

Usage: .venv/bin/python benchmarks/memory.py [--frames 100 200 300] [--keep-frames-mb N]

Generates ultrasound-like 800x600 RGB cines (native Explicit VR Little Endian, speckle moving under static
burned-in PHI text), a 1-frame version of the same image for the fixed cost, and scrubs each with
`pixelscrub scrub --workers 1` in a fresh process. Prints per frame count the decoded and output sizes,
the peak RSS (ru_maxrss from wait4: the largest single process of the run, the CLI or its worker), its
excess over the 1-frame run, the wall time and the outcome; then how much peak RSS grows per 100 frames
next to how much the decoded pixels and the output file grow. MB here are 2**20 bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, UltrasoundMultiFrameImageStorage, generate_uid

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # noqa: E402

PIXELSCRUB = Path(sys.executable).with_name("pixelscrub")
ROWS, COLUMNS = 600, 800
FRAME_BYTES = ROWS * COLUMNS * 3
MB = 2**20
BANNER = ("DOE, JANE", "MRN 48213377", "03/14/2024", "MI 1.2 TIs 0.4")
ECHO = (slice(90, 570), slice(100, 700))  # the moving region, below the banner


@dataclass
class Run:
    frames: int
    input_mb: float
    peak_mb: float
    seconds: float
    output_mb: float
    syntax: str
    status: str
    masks: int | str
    reasons: list[str]


def banner() -> np.ndarray:
    """The first frame's static part: black, with the burned-in text across the top."""
    image = np.zeros((ROWS, COLUMNS, 3), np.uint8)
    for i, text in enumerate(BANNER):
        cv2.putText(image, text, (12 + 200 * i, 30), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (230, 230, 230), 1, cv2.LINE_AA)
    return image


def cine(count: int, seed: int):
    """Frames of the cine, one at a time: the banner over a speckle tile rolled a few pixels per frame."""
    rng = np.random.default_rng(seed)
    height, width = ECHO[0].stop - ECHO[0].start, ECHO[1].stop - ECHO[1].start
    speckle = cv2.GaussianBlur(rng.rayleigh(40.0, (height, width)).astype(np.float32), (0, 0), 1.5)
    tile = np.clip(2 * speckle, 0, 255).astype(np.uint8)[..., None]
    frame = banner()
    for i in range(count):
        frame[ECHO] = np.roll(tile, (3 * i, 5 * i), axis=(0, 1))
        yield frame


def header(count: int) -> Dataset:
    uid = lambda what: generate_uid(entropy_srcs=["pixelscrub-memory-benchmark", str(count), what])  # noqa: E731
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = UltrasoundMultiFrameImageStorage
    ds.file_meta.MediaStorageSOPInstanceUID = uid("instance")
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID, ds.SOPInstanceUID = UltrasoundMultiFrameImageStorage, uid("instance")
    ds.StudyInstanceUID, ds.SeriesInstanceUID = uid("study"), uid("series")
    ds.PatientName, ds.PatientID, ds.StudyDate, ds.Modality = "DOE^JANE", "48213377", "20240314", "US"
    ds.StudyTime, ds.AccessionNumber, ds.SeriesNumber, ds.InstanceNumber = "101500", "", 1, 1
    ds.Rows, ds.Columns, ds.SamplesPerPixel, ds.PhotometricInterpretation = ROWS, COLUMNS, 3, "RGB"
    ds.PlanarConfiguration, ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 0, 8, 8, 7, 0
    ds.NumberOfFrames, ds.FrameTime, ds.FrameIncrementPointer = count, 33.3, 0x00181063
    return ds


def write_cine(path: Path, count: int, seed: int) -> None:
    """The DICOM file, its pixel data streamed from a raw file written frame by frame."""
    path.parent.mkdir(parents=True)
    raw = path.with_suffix(".raw")
    with raw.open("wb") as fh:
        for frame in cine(count, seed):
            fh.write(frame.tobytes())
    ds = header(count)
    with raw.open("rb") as fh:
        ds.PixelData = fh
        ds["PixelData"].VR = "OB"
        ds.save_as(path, enforce_file_format=True)
    raw.unlink()


def measure(args: list[str], env: dict[str, str], log: Path) -> tuple[float, float]:
    """Peak RSS (MB) and wall seconds of one fresh process (and the workers it waited for)."""
    start = time.perf_counter()
    with log.open("wb") as out:
        child = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{' '.join(args)} exited with {child.returncode}:\n{log.read_text()}")
    return usage.ru_maxrss / 1024, seconds  # Linux reports KiB


def scrub_one(scratch: Path, count: int, seed: int, config: Path | None) -> Run:
    source, out = scratch / f"in{count}" / "cine.dcm", scratch / f"out{count}"
    write_cine(source, count, seed)
    pixels = pydicom.dcmread(source, defer_size=1024).get_item("PixelData", keep_deferred=True).length
    env = dict(os.environ, PIXELSCRUB_HOME=str(scratch / f"home{count}"))  # a fresh project: nothing resumed
    command = [str(PIXELSCRUB), "scrub", str(source.parent), str(out), "--workers", "1"]
    peak, seconds = measure(command + (["--config", str(config)] if config else []), env, scratch / f"log{count}")
    source.unlink()  # the next, larger input needs the room more
    record = json.loads((out.with_name(f"out{count}-report") / "manifest.jsonl").read_text().splitlines()[0])
    run = Run(count, pixels / MB, peak, seconds, 0.0, "-", record["status"], len(record.get("masks") or []),
              record["reasons"])
    if record["output"]:
        root = out if record["status"] == "released" else out.with_name(f"out{count}-quarantine")
        written = root / record["output"]
        run.output_mb = written.stat().st_size / MB
        run.syntax = pydicom.dcmread(written, stop_before_pixels=True).file_meta.TransferSyntaxUID.name
        written.unlink()
    return run


def growth(runs: list[Run], value) -> float:
    """Slope of a least-squares line through the runs, per 100 frames."""
    return 100 * np.polyfit([r.frames for r in runs], [value(r) for r in runs], 1)[0]


def report(base: Run, runs: list[Run]) -> None:
    print(f"{'frames':>6} | {'input MB':>8} | {'decoded MB':>10} | {'output MB':>9} | {'peak RSS MB':>11} | "
          f"{'above 1-frame MB':>16} | {'wall s':>6} | status, masks, output syntax")
    for r in [base, *runs]:
        print(f"{r.frames:>6} | {r.input_mb:>8.1f} | {r.frames * FRAME_BYTES / MB:>10.1f} | {r.output_mb:>9.1f} | "
              f"{r.peak_mb:>11.1f} | {r.peak_mb - base.peak_mb:>16.1f} | {r.seconds:>6.1f} | "
              f"{r.status}, {r.masks} masks, {r.syntax}")
    for r in [base, *runs]:
        if r.status != "released":
            print(f"{r.frames} frames {r.status}: " + "; ".join(r.reasons))
    if len(runs) > 1:
        print(f"per 100 frames (least-squares over {', '.join(str(r.frames) for r in runs)} frames): "
              f"peak RSS {growth(runs, lambda r: r.peak_mb):+.1f} MB; decoded "
              f"+{growth(runs, lambda r: r.frames * FRAME_BYTES / MB):.1f} MB; "
              f"output +{growth(runs, lambda r: r.output_mb):.1f} MB")
        print(f"peak RSS growth / output growth: "
              f"{growth(runs, lambda r: r.peak_mb) / growth(runs, lambda r: r.output_mb):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frames", type=int, nargs="+", default=[100, 200, 300])
    parser.add_argument("--keep-frames-mb", type=int, help="[pixels] keep_frames_mb (default: pixelscrub's, 64)")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        config = None
        if args.keep_frames_mb is not None:
            config = scratch / "config.toml"
            config.write_text(f"[pixels]\nkeep_frames_mb = {args.keep_frames_mb}\n")
        start = time.perf_counter()
        base = scrub_one(scratch, 1, args.seed, config)
        runs = [scrub_one(scratch, count, args.seed, config) for count in sorted(args.frames)]
        total = time.perf_counter() - start
    print(f"machine: {describe()}")
    print(f"cine: {COLUMNS}x{ROWS} RGB, 8 bits, native Explicit VR Little Endian, US multi-frame, seed {args.seed}; "
          f"pixelscrub scrub --workers 1, fresh process per row; keep_frames_mb "
          f"{args.keep_frames_mb if args.keep_frames_mb is not None else 'default (64)'}; "
          f"OMP_THREAD_LIMIT={os.environ.get('OMP_THREAD_LIMIT', 'unset')}")
    report(base, runs)
    print(f"total {total:.0f} s, generation included")


if __name__ == "__main__":
    main()
