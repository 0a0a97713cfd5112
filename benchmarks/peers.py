"""pixelscrub beside its peers on the same archive, in the same run: Presidio's DICOM image redactor and
pydicom/deid's pixel cleaner.

Usage: .venv/bin/python benchmarks/peers.py [--seed 777] [--count 120] [--layouts standard|wild]
                                            [--workers 2] [--python .venv-peers/bin/python]

The peers run in their own environment (`--python`), through benchmarks/peer_worker.py: Presidio
brings opencv-python, which must not be installed beside pixelscrub's opencv-python-headless. Set it up
once with:

    python3 -m venv .venv-peers
    .venv-peers/bin/pip install presidio-image-redactor deid pylibjpeg pylibjpeg-rle pyjpegls

(the same packages as pyproject's `benchmarks` extra, plus the pixel codecs). A peer that is not
installed there is reported as such and skipped.

Every tool gets the same generated archive and the same number of worker processes; its wall time
includes its workers' start-up. Every tool's released files are scored the same way, from their pixels
and not from what the tool says it did, on the first frame of each file:
- a PHI item of the ground truth is legible when Tesseract still reads most of its characters in its
  box (`pixelscrub.score.legible`, evaluate's read-back; here every released PHI box is read, however
  much of it changed);
- a clinical item is kept when less than a tenth of its box changed (evaluate's threshold);
- files a tool held, or failed on, release nothing, and keep nothing.
Peers do not de-identify the header, pixelscrub does; the time is the whole of each tool's run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, replace
from importlib.metadata import version
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # noqa: E402

from pixelscrub.config import load_config  # noqa: E402
from pixelscrub.pixels.ocr.tesseract import tesseract_engine  # noqa: E402
from pixelscrub.run import scrub  # noqa: E402
from pixelscrub.score import INTACT_COVERAGE, Score, first_frame, legible  # noqa: E402
from pixelscrub.synth import generate  # noqa: E402
from pixelscrub.synth.wild import generate as generate_wild  # noqa: E402
from pixelscrub.truth import load_truth  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
PEERS = ("presidio", "deid")
CHANGED = 30  # grey levels: a pixel that moved this much was masked or damaged, not re-encoded


@dataclass
class Outcome:
    """One tool's run: where each input went, and how long the whole run took."""
    tool: str
    version: str
    seconds: float
    statuses: dict[str, str]  # input-relative path -> released, held or failed
    outputs: dict[str, Path]  # input-relative path -> released file
    note: str = ""


def run_pixelscrub(archive: Path, scratch: Path, workers: int) -> Outcome:
    config = replace(load_config(None), home=scratch / "home")  # a fresh project: no resuming
    start = time.perf_counter()
    scrub(archive, scratch / "out", None, None, config, workers)
    seconds = time.perf_counter() - start
    records = [json.loads(line) for line in (scratch / "out-report" / "manifest.jsonl").read_text().splitlines()]
    status = {"released": "released", "quarantined": "held"}
    return Outcome("pixelscrub", version("pixelscrub"), seconds,
                   {r["source"]: status.get(r["status"], "failed") for r in records},
                   {r["source"]: scratch / "out" / r["output"] for r in records if r["status"] == "released"})


def run_peer(tool: str, python: Path, archive: Path, scratch: Path, workers: int) -> Outcome | None:
    worker = Path(__file__).resolve().parent / "peer_worker.py"
    done = subprocess.run([str(python), str(worker), tool, str(archive), str(scratch / tool), "--workers", str(workers)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        print(f"{tool}: not run ({done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode})")
        return None
    report = json.loads(done.stdout)
    files = report["files"]
    return Outcome(tool, report["version"], report["wall_seconds"], {k: v["status"] for k, v in files.items()},
                   {k: scratch / tool / k for k, v in files.items() if v["status"] == "released"},
                   note=_reasons(files))


def _reasons(files: dict[str, dict]) -> str:
    counts: dict[str, int] = {}
    for entry in files.values():
        if entry["reason"]:
            key = f"{entry['status']}: {entry['reason']}"
            counts[key] = counts.get(key, 0) + 1
    return "; ".join(f"{key} ({n})" for key, n in sorted(counts.items()))


def tally(outcome: Outcome, archive: Path, truth, engine) -> tuple[Score, Counter]:
    """Each tool scored from its released pixels alone; held and failed files release nothing."""
    score, statuses = Score(), Counter()
    for source, items in truth.files.items():
        status = outcome.statuses.get(source, "failed")
        statuses[status] += 1
        phi = [item for item in items if item.phi]
        score.phi_items += len(phi)
        if status != "released" or not items:
            score.phi_caught += len(phi)
            continue
        before, after = first_frame(archive / source), first_frame(outcome.outputs[source])
        changed = np.abs(before.astype(np.int16) - after.astype(np.int16)) >= CHANGED if before.shape == after.shape \
            else np.ones(before.shape, bool)
        for item in phi:
            if legible(after, item, engine):
                score.missed_by_kind[item.kind] += 1
            else:
                score.phi_caught += 1
        for item in items:
            if item.kind == "clinical":
                x, y, w, h = item.box
                score.clinical_items += 1
                score.clinical_intact += bool(changed[y:y + h, x:x + w].mean() < INTACT_COVERAGE)
    return score, statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=777)
    parser.add_argument("--count", type=int, default=120)
    parser.add_argument("--layouts", choices=("standard", "wild"), default="standard")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--python", type=Path, default=REPO / ".venv-peers" / "bin" / "python",
                        help="the interpreter the peers are installed in")
    args = parser.parse_args()
    print(describe())
    with tempfile.TemporaryDirectory(prefix="pixelscrub-peers-") as tmp:
        scratch = Path(tmp)
        archive = scratch / "archive"
        (generate_wild if args.layouts == "wild" else generate)(archive, seed=args.seed, count=args.count)
        print(f"archive: pixelscrub synth --layouts {args.layouts} --seed {args.seed} --count {args.count}; "
              f"workers {args.workers}")
        outcomes = [run_pixelscrub(archive, scratch / "pixelscrub", args.workers)]
        if args.python.exists():
            outcomes += [o for o in (run_peer(t, args.python, archive, scratch, args.workers) for t in PEERS) if o]
        else:
            print(f"peers: {args.python} not found; set up .venv-peers as this script's docstring says")
        truth = load_truth(archive / "truth.json", list(outcomes[0].statuses))
        engine = tesseract_engine()
        ours = outcomes[0].seconds
        print("| tool | seconds | vs pixelscrub | PHI legible | clinical text kept | released / held / failed |")
        print("|---|---|---|---|---|---|")
        tallies = []
        for outcome in outcomes:
            score, statuses = tally(outcome, archive, truth, engine)
            tallies.append((outcome, score))
            legible_items = score.phi_items - score.phi_caught
            print(f"| {outcome.tool} {outcome.version} | {outcome.seconds:.1f} | {outcome.seconds / ours:.2f}x | "
                  f"{legible_items} of {score.phi_items} | {score.retention:.4f} "
                  f"({score.clinical_intact}/{score.clinical_items}) | "
                  f"{statuses['released']} / {statuses['held']} / {statuses['failed']} |")
        for outcome, score in tallies:
            if outcome.note:
                print(f"{outcome.tool}: {outcome.note}")
            if score.missed_by_kind:
                print(f"{outcome.tool}: legible PHI by kind: "
                      + ", ".join(f"{k} {n}" for k, n in sorted(score.missed_by_kind.items())))

if __name__ == "__main__":
    main()
