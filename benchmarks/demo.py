"""Time `pixelscrub demo` end to end, as a user runs it, against generating its archive alone.

Usage: .venv/bin/python benchmarks/demo.py [--runs 3]
Prints the median wall time of the whole demo (generate + scrub, a fresh process each run) and of
`pixelscrub synth` with the same seed and count, measured in the same session.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # noqa: E402

PIXELSCRUB = [sys.executable, "-m", "pixelscrub"]


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    demo, synth = [], []
    with tempfile.TemporaryDirectory() as scratch:
        for run in range(runs):
            demo.append(timed([*PIXELSCRUB, "demo", "--dir", scratch]))
            synth.append(timed([*PIXELSCRUB, "synth", str(Path(scratch) / f"synth{run}"), "--seed", "2024",
                                "--count", "24"]))
    print(f"machine: {describe()}")
    print(f"pixelscrub demo (24 files, default workers): median {statistics.median(demo):.1f} s "
          f"over {runs} runs (min {min(demo):.1f}, max {max(demo):.1f})")
    print(f"pixelscrub synth alone (same archive): median {statistics.median(synth):.1f} s")


if __name__ == "__main__":
    main()
