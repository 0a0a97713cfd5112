"""Burned-in PHI benchmark: detection quality and speed on a synthetic archive and the real samples.

Usage: .venv/bin/python benchmarks/detect.py [--seed 777] [--count 120] [--workers 2] [--repeat 3] [--samples DIR]

Prints, for a synthetic archive generated with a seed the tests do not use:
- PHI item recall in released files (a PHI item in a quarantined file counts as caught),
- clinical-text retention, the quarantine rate, the share of masked pixels outside PHI,
- CT/MR: released with byte-identical PixelData, none held,
- seconds per image and per frame, next to the time to only decode and rewrite the same files
  through the same executor, measured in the same run (both repeated, interleaved, medians),
- the cost of a 12-frame cine with a static overlay against its single frame,
- the floor the OCR engines set: their reads and CPU seconds over the archive in one process, next to
  decode+rewrite in the same process, so the ratio no other stage could go below; and the same for the
  first pass alone (every proposed line read once), the reads no design that reads the text can skip,
and for the real samples in ../shared/samples, which labelled PHI strings can still be read in a
released file and why the held ones were held.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pydicom

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # noqa: E402

from pixelscrub.config import load_config  # noqa: E402
from pixelscrub.executor import make_executor  # noqa: E402
from pixelscrub.header.phi import collect_phi  # noqa: E402
from pixelscrub.outputs import RunPaths  # noqa: E402
from pixelscrub.pipeline import CACHED_READS, Scrubber  # noqa: E402
from pixelscrub.pixels.codec.frames import Frames  # noqa: E402
from pixelscrub.pixels.ocr.cache import CachedEngine, LazyEngine  # noqa: E402
from pixelscrub.pixels.ocr.engine import OcrEngine, OcrWord  # noqa: E402
from pixelscrub.pixels.ocr.rapid import RapidOcrEngine  # noqa: E402
from pixelscrub.pixels.regions.rules import phi_regions  # noqa: E402
from pixelscrub.pixels.text.scan import scan  # noqa: E402
from pixelscrub.pixels.codec.store import FrameWriter  # noqa: E402
from pixelscrub.pixels.ocr.tesseract import tesseract_engine  # noqa: E402
from pixelscrub.pixels.regions.triage import triage  # noqa: E402
from pixelscrub.project import Project  # noqa: E402
from pixelscrub.read import read  # noqa: E402
from pixelscrub.run import scrub, walk  # noqa: E402
from pixelscrub.score import RunFolders, read_back, score_run, squash  # noqa: E402
from pixelscrub.truth import load_truth  # noqa: E402
from pixelscrub.synth import generate  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def _nothing() -> None:
    """Initializer for baseline workers: they hold no state."""


def decode_and_rewrite(task: tuple[Path, Path]) -> int:
    """The baseline: read, decode every frame, write back losslessly as pixelscrub writes. Returns frames."""
    path, target = task
    ds = pydicom.dcmread(path)
    frames = 0
    if "PixelData" in ds:
        source = Frames(ds, path)
        writer = FrameWriter(ds, source)
        for _, frame in source:
            writer.add(frame)
        writer.finish()
        frames = source.count
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    target.write_bytes(buffer.getvalue())
    return frames


def baseline(archive: Path, scratch: Path, workers: int) -> tuple[float, int]:
    files = [p for p in walk(archive) if p.suffix == ".dcm"]
    tasks = [(path, scratch / f"{i}.dcm") for i, path in enumerate(files)]
    start = time.perf_counter()
    frames = sum(make_executor(workers).map_unordered(decode_and_rewrite, tasks, _nothing, (), lambda t: 0))
    return time.perf_counter() - start, frames


def cine_ratio(archive: Path, scratch: Path, repeats: int = 5) -> tuple[float, float]:
    """Seconds for a 12-frame cine with a static overlay and for its first frame alone, warm engine, empty
    read cache."""
    truth = json.loads((archive / "truth.json").read_text())
    source = next(f for f in truth["files"] if f["scene"] == "us_single")
    ds = pydicom.dcmread(archive / source["path"])
    frame = Frames(ds, archive / source["path"]).frame(0)
    rng = np.random.default_rng(0)
    region = ds.SequenceOfUltrasoundRegions[0]
    x0, y0 = region.RegionLocationMinX0, region.RegionLocationMinY0
    x1, y1 = region.RegionLocationMaxX1, region.RegionLocationMaxY1
    cine = np.repeat(frame[None], 12, axis=0)
    for i in range(1, 12):  # the echo moves, the overlay stays
        noise = rng.integers(-40, 40, cine[i, y0:y1, x0:x1].shape)
        cine[i, y0:y1, x0:x1] = np.clip(cine[i, y0:y1, x0:x1].astype(int) + noise, 0, 255)
    files = {}
    (scratch / "cine-in").mkdir()
    for name, pixels in (("single", frame), ("cine", cine)):
        one = pydicom.dcmread(archive / source["path"])
        one.set_pixel_data(pixels, "RGB", 8, generate_instance_uid=False)
        files[name] = scratch / "cine-in" / f"{name}.dcm"
        one.save_as(files[name], enforce_file_format=True)
    config = replace(load_config(None), home=scratch / "home")
    Project(config.project, config.home, config.prefix, config.pseudonym_width).ensure()
    paths = RunPaths.resolve(scratch / "cine-in", scratch / "cine-out", None, None)
    scrubber = Scrubber(config, paths)
    timings = {}
    for name, path in files.items():
        runs = []
        for _ in range(repeats):
            for engine in (scrubber.engine, scrubber.second_engine):
                engine.reads.clear()  # each repeat reads its crops anew: warm engine, cold read cache
            start = time.perf_counter()
            scrubber.process(path)
            runs.append(time.perf_counter() - start)
        timings[name] = statistics.median(runs)
    scrubber.close()
    return timings["single"], timings["cine"]


class TimedEngine(OcrEngine):
    """An engine that counts its reads and their CPU seconds (models loading on the first read included)."""

    def __init__(self, engine: OcrEngine):
        self.engine, self.name, self.reads, self.seconds = engine, engine.name, 0, 0.0

    def read(self, crop: np.ndarray) -> list[OcrWord]:
        start = time.process_time()
        words = self.engine.read(crop)
        self.seconds += time.process_time() - start
        self.reads += 1
        return words

    def close(self) -> None:
        self.engine.close()


def ocr_floor(archive: Path, scratch: Path) -> tuple[float, TimedEngine, TimedEngine]:
    """CPU seconds of decode+rewrite over the archive in this process (median of 3), and the two engines after
    scrubbing the same archive in this process with their reads timed."""
    files = [p for p in walk(archive) if p.suffix == ".dcm"]
    (scratch / "floor-base").mkdir()
    base_runs = []
    for _ in range(3):
        start = time.process_time()
        for i, path in enumerate(files):
            decode_and_rewrite((path, scratch / "floor-base" / f"{i}.dcm"))
        base_runs.append(time.process_time() - start)
    config = replace(load_config(None), home=scratch / "floor-home")
    Project(config.project, config.home, config.prefix, config.pseudonym_width).ensure()
    first = TimedEngine(tesseract_engine())
    second = TimedEngine(LazyEngine(RapidOcrEngine, RapidOcrEngine.name))
    # Timed inside the scrubber's own read cache, so only the reads the engines really make count.
    engines = (CachedEngine(first, most=CACHED_READS), CachedEngine(second, most=CACHED_READS))
    scrubber = Scrubber(config, RunPaths.resolve(archive, scratch / "floor-out", None, None), engines)
    for path in files:
        scrubber.process(path)
    scrubber.close()
    return statistics.median(base_runs), first, second


def first_pass_reads(archive: Path) -> tuple[TimedEngine, TimedEngine]:
    """The two engines after only the first pass over the archive in this process: every proposed line
    read once, doubtful ones again by the second engine; no verification, no masking, no writing."""
    profile = load_config(None).profile
    first = TimedEngine(tesseract_engine())
    second = TimedEngine(LazyEngine(RapidOcrEngine, RapidOcrEngine.name))
    engines = (CachedEngine(first, most=CACHED_READS), CachedEngine(second, most=CACHED_READS))
    for path in (p for p in walk(archive) if p.suffix == ".dcm"):
        result = read(path)
        ds, facts = result.dataset, result.facts
        choice = triage(facts, phi_regions=phi_regions(ds, facts.columns, facts.rows))
        if choice.look:
            scan(Frames(ds, path), ds, engines[0], collect_phi(ds), profile.first_pass(), choice.data_regions,
                 engines[1], choice.phi_regions)
    for engine in engines:
        engine.close()
    return first, second


def samples_check(samples: Path, scratch: Path, workers: int) -> list[str]:
    out = scratch / "samples-out"
    config = replace(load_config(None), home=scratch / "samples-home")
    scrub(samples, out, None, None, config, workers)
    labels = json.loads((samples / "labels.json").read_text())["files"]
    records = {json.loads(l)["source"]: json.loads(l)
               for l in (out.with_name("samples-out-report") / "manifest.jsonl").read_text().splitlines()}
    engine, page_reader, settings = tesseract_engine(), RapidOcrEngine(), config.profile.first_pass()
    lines = []
    for name, label in sorted(labels.items()):
        record = records[name]
        if record["status"] == "released":
            text = read_back(out / record["output"], engine, page_reader, settings)
            legible = [p for p in label["phi"] if squash(p.split(":", 1)[-1]) in text]
            lines.append(f"| {name[:58]} | released | {len(label['phi'])} labelled, "
                         f"{len(legible)} still readable |")
        else:
            why = "; ".join(r for r in record["reasons"] if r.startswith(("pixel:", "verify:")))
            lines.append(f"| {name[:58]} | {record['status']} | {why} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=777)
    parser.add_argument("--count", type=int, default=120)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each, interleaved; medians reported")
    parser.add_argument("--samples", type=Path, default=REPO.parent / "shared" / "samples")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        archive = scratch / "archive"
        generate(archive, seed=args.seed, count=args.count)
        base_runs, runs, first_summary = [], [], None
        for run in range(args.repeat):  # interleaved, so a slow spell of the machine hits both
            (scratch / f"baseline{run}").mkdir()
            base_seconds, frames = baseline(archive, scratch / f"baseline{run}", args.workers)
            base_runs.append(base_seconds)
            out = scratch / f"out{run}"
            config = replace(load_config(None), home=scratch / f"home{run}")  # a fresh project: no resuming
            start = time.perf_counter()
            summary = scrub(archive, out, None, None, config, args.workers)
            runs.append(time.perf_counter() - start)
            first_summary = first_summary or summary
        base_seconds, seconds = statistics.median(base_runs), statistics.median(runs)
        out = scratch / "out0"
        records = [json.loads(l) for l in (scratch / "out0-report" / "manifest.jsonl").read_text().splitlines()]
        manifest = {r["source"]: r for r in records}
        score = score_run(load_truth(archive / "truth.json", list(manifest)), manifest, RunFolders(archive, out),
                          tesseract_engine(), config.profile.mask_pad).total
        cross = [r for r in records if r["source"].startswith(("ct/", "mr/"))]
        identical = sum(r["status"] == "released" and pydicom.dcmread(out / r["output"]).PixelData
                        == pydicom.dcmread(archive / r["source"]).PixelData for r in cross)
        single, cine = cine_ratio(archive, scratch)
        base_cpu, first_engine, second_engine = ocr_floor(archive, scratch)
        pass_first, pass_second = first_pass_reads(archive)
        sample_lines = samples_check(args.samples, scratch, args.workers) if args.samples.is_dir() else []
    images = summary["files"] - summary["status"]["skipped"]
    print(f"machine: {describe()}")
    print(f"archive: pixelscrub synth --seed {args.seed} --count {args.count} ({images} images, {frames} frames); "
          f"workers {args.workers}")
    print(f"PHI item recall in released files: {score.recall:.4f} ({score.phi_caught}/{score.phi_items}; "
          f"{len(score.misses)} legible)")
    for miss in score.misses:
        print(f"  missed: {miss.source} {miss.kind} box {miss.box} covered {miss.coverage}")
    print(f"clinical-text retention: {score.retention:.4f} ({score.clinical_intact}/{score.clinical_items})")
    print(f"quarantine rate, text-bearing images: {score.quarantine_rate:.4f} "
          f"({score.text_images_held}/{score.text_images}); images without text held: {score.textless_held}")
    print(f"masked pixels outside PHI (beyond the padding): {score.masked_outside_share:.4f}")
    print(f"CT/MR released with byte-identical PixelData: {identical}/{len(cross)}")
    print(f"seconds (median of {args.repeat}): pixelscrub {seconds:.2f} s ({seconds / images:.3f} s/image, "
          f"{seconds / frames:.4f} s/frame); decode+rewrite {base_seconds:.2f} s; ratio {seconds / base_seconds:.2f}x "
          f"(runs: {' '.join(f'{r:.2f}' for r in runs)} vs {' '.join(f'{r:.2f}' for r in base_runs)})")
    stages = first_summary["timings"]["stage_seconds"]
    print("CPU seconds by stage, first run: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(stages.items()))
          + f"; total {sum(stages.values()):.2f}")
    print(f"12-frame cine with static overlay: {cine:.3f} s vs its single frame {single:.3f} s; "
          f"ratio {cine / single:.2f}x")
    ocr_cpu = first_engine.seconds + second_engine.seconds
    print(f"OCR engines, one process: {first_engine.name} {first_engine.reads} reads, {first_engine.seconds:.2f} s "
          f"({1000 * first_engine.seconds / max(1, first_engine.reads):.1f} ms/read); {second_engine.name} "
          f"{second_engine.reads} reads, {second_engine.seconds:.2f} s (its models' loading included); "
          f"decode+rewrite {base_cpu:.2f} s; floor ratio (decode+rewrite+OCR) {(base_cpu + ocr_cpu) / base_cpu:.2f}x")
    pass_cpu = pass_first.seconds + pass_second.seconds
    print(f"of which the first pass alone (every line read once, doubtful ones by the second engine): "
          f"{pass_first.name} {pass_first.reads} reads, {pass_first.seconds:.2f} s; {pass_second.name} "
          f"{pass_second.reads} reads, {pass_second.seconds:.2f} s; floor ratio (decode+rewrite+first pass) "
          f"{(base_cpu + pass_cpu) / base_cpu:.2f}x")
    if sample_lines:
        print("samples:")
        print("\n".join(sample_lines))


if __name__ == "__main__":
    main()
