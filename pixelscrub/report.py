"""The run's report: manifest.jsonl (one record per input) and summary.json (counts and timings).

The manifest is appended as records arrive and renamed into place when the run ends, interrupted or
not, so REPORT never holds a half-written file.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter

from pixelscrub import __version__
from pixelscrub.outputs import RunPaths, publish, stage
from pixelscrub.pipeline import Outcome

STATUSES = ("released", "quarantined", "skipped", "failed")


def reason_kind(reason: str) -> str:
    """A reason with its counts and lists generalised, so the summary can count alike reasons together."""
    kind = re.sub(r"(?<![\w.])\d+(?![\w.])", "N", reason)
    while True:  # innermost parentheses first: lists may name tags such as (0009,1010)
        kind, found = re.subn(r"\s*\([^()]*\)", "", kind)
        if not found:
            return kind.strip()


class Report:
    def __init__(self, paths: RunPaths, settings: dict):
        self.paths, self.settings = paths, settings
        self.started = time.time()
        self._manifest_path = stage(paths.staging, suffix=".jsonl")
        self._manifest = open(self._manifest_path, "w", encoding="utf-8")
        self.status: Counter = Counter()
        self.modality: Counter = Counter()
        self.reasons: Counter = Counter()
        self.stage_seconds: Counter = Counter()
        self.resumed = 0

    def add(self, outcome: Outcome, resumed: bool = False) -> None:
        self._manifest.write(json.dumps(outcome.manifest(), sort_keys=True) + "\n")
        self.status[outcome.status] += 1
        self.modality[outcome.modality] += 1
        self.reasons.update(reason_kind(r) for r in outcome.reasons)
        if resumed:
            self.resumed += 1
        else:
            self.stage_seconds.update(outcome.seconds)

    def summary(self, interrupted: bool) -> dict:
        wall = time.time() - self.started
        files = sum(self.status.values())
        return {
            "pixelscrub": __version__,
            "settings": self.settings,
            "folders": {"output": str(self.paths.output), "quarantine": str(self.paths.quarantine)},
            "interrupted": interrupted,
            "files": files,
            "status": {s: self.status.get(s, 0) for s in STATUSES},
            "modality": dict(sorted(self.modality.items())),
            "reasons": dict(self.reasons.most_common()),
            "resumed_from_earlier_run": self.resumed,
            "timings": {
                "wall_seconds": round(wall, 3),
                "files_per_second": round((files - self.resumed) / wall, 3) if wall > 0 else None,
                "stage_seconds": {k: round(v, 3) for k, v in sorted(self.stage_seconds.items())},
            },
        }

    def close(self, interrupted: bool) -> dict:
        self._manifest.close()
        publish(self._manifest_path, self.paths.report, "manifest.jsonl", replaceable="manifest.jsonl")
        summary = self.summary(interrupted)
        data = (json.dumps(summary, indent=2, sort_keys=False) + "\n").encode()
        publish(stage(self.paths.staging, data), self.paths.report, "summary.json", replaceable="summary.json")
        return summary
