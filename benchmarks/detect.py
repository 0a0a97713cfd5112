"""Burned-in PHI benchmark: what leaks, what is kept, what is held, and how fast, on archives pixelscrub
was tuned on and on data it never saw.

Usage: .venv/bin/python benchmarks/detect.py [--seed 777] [--wild-seed 4711] [--count 120] [--workers 2]
                                             [--repeat 3] [--samples DIR] [--skip-wild]

Three sets, each scrubbed with the default config:
- the standard archive (`pixelscrub synth --seed 777`): the only one thresholds are tuned on;
- the wild archive (`pixelscrub synth --layouts wild --seed 4711`: other fonts, vendors, layouts and
  languages, text over anatomy), measured and never tuned on; the seed is one the tests do not use;
- the real samples in ../shared/samples and ../shared/samples/dev (labels.json in each).

For every set it prints:
- PHI items legible in released files by `evaluate`'s ink-based check (an item in a held file is caught),
- PHI legible to an independent reader: RapidOCR's detector and recogniser over every whole released
  image (first, middle and last frame), searching for every labelled PHI string and every PHI value of
  the file's original header (names' parts, IDs, places),
- clinical-text retention, the quarantine rate of images with text, images without text held,
- CT/MR originals without text released with byte-identical PixelData;
and for the synthetic archives the time of a scrub next to decoding and rewriting the same files
through the same executor in the same run (repeated, interleaved, medians), with CPU seconds by stage;
and for the standard archive the cost of a 12-frame cine with a static overlay against its single frame.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pydicom

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # noqa: E402

from pixelscrub.config import load_config  # noqa: E402
from pixelscrub.executor import make_executor  # noqa: E402
from pixelscrub.header.phi import collect_phi  # noqa: E402
from pixelscrub.outputs import RunPaths  # noqa: E402
from pixelscrub.pipeline import Scrubber  # noqa: E402
from pixelscrub.pixels.codec.frames import Frames, reading_image  # noqa: E402
from pixelscrub.pixels.codec.store import FrameWriter  # noqa: E402
from pixelscrub.pixels.ocr.rapid import RapidOcrEngine  # noqa: E402
from pixelscrub.pixels.ocr.tesseract import tesseract_engine  # noqa: E402
from pixelscrub.project import Project  # noqa: E402
from pixelscrub.run import scrub, walk  # noqa: E402
from pixelscrub.score import RunFolders, score_run  # noqa: E402
from pixelscrub.synth import generate  # noqa: E402
from pixelscrub.synth.wild import generate as generate_wild  # noqa: E402
from pixelscrub.truth import load_truth  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
NO_TEXT = ("ct/", "mr/")


def squash(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


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
    ds.save_as(target, enforce_file_format=True)
    return frames


def dicom_files(folder: Path) -> list[Path]:
    return [p for p in walk(folder) if p.suffix == ".dcm"]


def baseline(archive: Path, scratch: Path, workers: int) -> tuple[float, int]:
    tasks = [(path, scratch / f"{i}.dcm") for i, path in enumerate(dicom_files(archive))]
    start = time.perf_counter()
    frames = sum(make_executor(workers).map_unordered(decode_and_rewrite, tasks, _nothing, (), lambda t: 0))
    return time.perf_counter() - start, frames


class IndependentReader:
    """RapidOCR's own detector and recogniser over whole images: nothing of pixelscrub's pipeline."""

    def __init__(self) -> None:
        self.engine = RapidOcrEngine()

    def text(self, path: Path) -> str:
        ds = pydicom.dcmread(path)
        frames = Frames(ds, path)
        read = []
        for index in sorted({0, frames.count // 2, frames.count - 1}):
            grey = reading_image(frames.frame(index), frames.photometric, ds)
            read += self.engine.read_page(np.repeat(grey[..., None], 3, axis=2))
        return squash(" ".join(read))


def header_values(path: Path) -> dict[str, set[str]]:
    """The original header's PHI values worth searching for in read text, squashed, by kind."""
    phi = collect_phi(pydicom.dcmread(path, stop_before_pixels=True, force=True))
    values: dict[str, set[str]] = {"name": set(), "id": set(), "place": set()}
    values["name"] = {squash(p) for n in phi.names for p in n.parts if len(squash(p)) >= 4}
    values["id"] = {squash(v.value) for v in phi.ids if len(squash(v.value)) >= 5}
    values["place"] = {squash(v.value) for v in phi.places if len(squash(v.value)) >= 6}
    return values


@dataclass
class SetResult:
    name: str
    lines: list[str] = field(default_factory=list)

    def add(self, line: str) -> None:
        self.lines.append(line)


def independent_leaks(reader: IndependentReader, records: dict[str, dict], output: Path, source: Path,
                      labelled: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(file, what) for every labelled PHI string or original-header PHI value the reader still finds."""
    leaks = []
    for name, record in sorted(records.items()):
        if record["status"] != "released" or name.startswith(NO_TEXT):
            continue
        text = reader.text(output / record["output"])
        for phi in labelled.get(name, []):
            value = squash(phi.split(":", 1)[-1])
            if len(value) >= 3 and value in text:
                leaks.append((name, "labelled PHI string"))
        for kind, values in header_values(source / name).items():
            leaks += [(name, f"header {kind}") for value in values if value in text]
    return leaks


def synthetic_set(name: str, archive: Path, scratch: Path, args, layouts: str, seed: int,
                  reader: IndependentReader) -> SetResult:
    result = SetResult(name)
    (generate_wild if layouts == "wild" else generate)(archive, seed=seed, count=args.count)
    base_runs, runs, summaries = [], [], []
    for run in range(args.repeat):  # interleaved, so a slow spell of the machine hits both
        (scratch / f"{name}-baseline{run}").mkdir()
        base_seconds, frames = baseline(archive, scratch / f"{name}-baseline{run}", args.workers)
        base_runs.append(base_seconds)
        config = replace(load_config(None), home=scratch / f"{name}-home{run}")  # a fresh project: no resuming
        start = time.perf_counter()
        summaries.append(scrub(archive, scratch / f"{name}-out{run}", None, None, config, args.workers))
        runs.append(time.perf_counter() - start)
    summary = summaries[0]
    out = scratch / f"{name}-out0"
    records = {r["source"]: r for r in
               (json.loads(line) for line in (scratch / f"{name}-out0-report" / "manifest.jsonl").read_text().splitlines())}
    truth = load_truth(archive / "truth.json", list(records))
    score = score_run(truth, records, RunFolders(archive, out), tesseract_engine(),
                      load_config(None).profile.mask_pad).total
    labelled = {f: [i.text for i in items if i.phi] for f, items in truth.files.items()}
    leaks = independent_leaks(reader, records, out, archive, labelled)
    cross = [r for r in records.values() if r["source"].startswith(NO_TEXT) and not truth.files.get(r["source"])]
    identical = sum(r["status"] == "released" and pydicom.dcmread(out / r["output"]).PixelData
                    == pydicom.dcmread(archive / r["source"]).PixelData for r in cross)
    images = summary["files"] - summary["status"]["skipped"]
    seconds, base_seconds = statistics.median(runs), statistics.median(base_runs)
    result.add(f"archive: pixelscrub synth --layouts {layouts} --seed {seed} --count {args.count} "
               f"({images} images, {frames} frames); workers {args.workers}")
    result.add(f"PHI items legible in released files (evaluate): {len(score.misses)} of {score.phi_items} "
               f"(recall {score.recall:.4f})")
    for miss in score.misses:
        result.add(f"  missed: {miss.source} {miss.kind} box {list(miss.box)} covered {miss.coverage}")
    result.add(f"PHI legible to the independent reader (RapidOCR over whole released images): {len(leaks)}")
    for source, what in leaks:
        result.add(f"  readable: {source} {what}")
    result.add(f"clinical-text retention: {score.retention:.4f} ({score.clinical_intact}/{score.clinical_items})")
    result.add(f"quarantine rate, images with text: {score.quarantine_rate:.4f} "
               f"({score.text_images_held}/{score.text_images}); images without text held: {score.textless_held}")
    result.add(f"masked pixels outside PHI (beyond the padding): {score.masked_outside_share:.4f}")
    result.add(f"CT/MR originals without text released with byte-identical PixelData: {identical}/{len(cross)}")
    result.add(f"seconds (median of {args.repeat}): pixelscrub {seconds:.2f} s ({seconds / images:.3f} s/image); "
               f"decode+rewrite {base_seconds:.2f} s; ratio {seconds / base_seconds:.2f}x (runs: "
               f"{' '.join(f'{r:.2f}' for r in runs)} vs {' '.join(f'{r:.2f}' for r in base_runs)})")
    stages = summary["timings"]["stage_seconds"]
    result.add("CPU seconds by stage, first run: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(stages.items()))
               + f"; total {sum(stages.values()):.2f}")
    return result


def samples_set(samples: Path, scratch: Path, workers: int, reader: IndependentReader) -> SetResult:
    """The real files: scrubbed as they are, checked against their labels.json by the independent reader."""
    result = SetResult(f"samples {samples}")
    out = scratch / f"samples-{samples.name}-out"
    config = replace(load_config(None), home=scratch / f"samples-{samples.name}-home")
    inputs = scratch / f"samples-{samples.name}-in"  # the files alone, so a nested dev/ is a set of its own
    inputs.mkdir()
    for path in sorted(samples.glob("*.dcm")):
        (inputs / path.name).symlink_to(path)
    scrub(inputs, out, None, None, config, workers)
    labels = json.loads((samples / "labels.json").read_text())["files"]
    records = {json.loads(line)["source"]: json.loads(line)
               for line in (out.with_name(out.name + "-report") / "manifest.jsonl").read_text().splitlines()}
    leaks = independent_leaks(reader, records, out, inputs, {k: v["phi"] for k, v in labels.items()})
    with_text = [name for name, label in labels.items() if label["phi"] or label["keep"]]
    held = [name for name in with_text if records[name]["status"] != "released"]
    kept = lost = 0
    for name, label in sorted(labels.items()):
        record = records[name]
        if record["status"] == "released" and label["keep"]:
            text = reader.text(out / record["output"])
            found = sum(squash(k) in text for k in label["keep"] if squash(k))
            kept, lost = kept + found, lost + sum(1 for k in label["keep"] if squash(k)) - found
        why = "; ".join(r for r in record["reasons"] if r.startswith(("pixel:", "verify:", "read:", "error:")))
        result.add(f"| {name[:70]} | {record['status']} | {why[:160]} |")
    result.add(f"labelled PHI or header PHI values readable in released files (independent reader): {len(leaks)}")
    for source, what in leaks:
        result.add(f"  readable: {source} {what}")
    result.add(f"files with text held: {len(held)}/{len(with_text)}; failed: "
               f"{sum(r['status'] == 'failed' for r in records.values())}")
    result.add(f"labelled clinical strings the independent reader still finds in released files: {kept}/{kept + lost} "
               "(a lower bound on what was kept: the reader misses some of what is there)")
    return result


def cine_ratio(archive: Path, scratch: Path, repeats: int = 5) -> tuple[float, float]:
    """Seconds for a 12-frame cine with a static overlay and for its first frame alone, warm engines,
    empty read caches."""
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
    config = replace(load_config(None), home=scratch / "cine-home")
    Project(config.project, config.home, config.prefix, config.pseudonym_width).ensure()
    scrubber = Scrubber(config, RunPaths.resolve(scratch / "cine-in", scratch / "cine-out", None, None))
    timings = {}
    for name, path in files.items():
        runs = []
        for _ in range(repeats):
            for engine in (scrubber.engines.first, scrubber.engines.second):
                engine.reads.clear()  # each repeat reads its crops anew: warm engine, cold read cache
            start = time.perf_counter()
            scrubber.process(path)
            runs.append(time.perf_counter() - start)
        timings[name] = statistics.median(runs)
    scrubber.close()
    return timings["single"], timings["cine"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=777)
    parser.add_argument("--wild-seed", type=int, default=4711)
    parser.add_argument("--count", type=int, default=120)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each, interleaved; medians reported")
    parser.add_argument("--samples", type=Path, default=REPO.parent / "shared" / "samples")
    parser.add_argument("--skip-wild", action="store_true", help="the standard archive and the samples only")
    args = parser.parse_args()
    reader = IndependentReader()
    sets = []
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        sets.append(synthetic_set("standard", scratch / "standard", scratch, args, "standard", args.seed, reader))
        single, cine = cine_ratio(scratch / "standard", scratch)
        sets[-1].add(f"12-frame cine with a static overlay: {cine:.3f} s vs its single frame {single:.3f} s; "
                     f"ratio {cine / single:.2f}x")
        if not args.skip_wild:
            sets.append(synthetic_set("wild", scratch / "wild", scratch, args, "wild", args.wild_seed, reader))
        for folder in (args.samples, args.samples / "dev"):
            if (folder / "labels.json").is_file():
                sets.append(samples_set(folder, scratch, args.workers, reader))
    print(f"machine: {describe()}")
    for result in sets:
        print(f"\n== {result.name}")
        print("\n".join(result.lines))


if __name__ == "__main__":
    main()
