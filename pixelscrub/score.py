"""Scoring a finished run against ground truth: what leaked, what clinical text survived, what was held.

A PHI item counts as caught when its file was quarantined or its box lies under the masks; a box
only partly masked is read back with OCR, and counts as leaked if its text can still be read. A
clinical item is intact when masks cover less than a tenth of its box. Masked area outside PHI is
measured against PHI boxes grown by the mask padding, so the padding itself is not counted. Every figure
is also kept per modality and per manufacturer of the inputs, and PHI recall per kind.
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import pydicom

from pixelscrub.header.phi import PhiSet
from pixelscrub.pixels.regions.boxes import Box
from pixelscrub.pixels.codec.frames import Frames, reading_image
from pixelscrub.pixels.ocr.engine import OcrEngine, read_line
from pixelscrub.pixels.regions.places import Places
from pixelscrub.pixels.text.scan import LineJudge, ScanSettings, scan
from pixelscrub.truth import Truth, TruthItem

CAUGHT_COVERAGE = 0.9   # a PHI box this covered is illegible without reading it back
LEAKED_COVERAGE = 0.5   # a PHI box less covered than this is legible
INTACT_COVERAGE = 0.1   # a clinical box less covered than this is intact


@dataclass
class Miss:
    source: str
    kind: str
    box: tuple[int, int, int, int]
    coverage: float
    output: str | None  # the released file it can still be read in, relative to OUTPUT


@dataclass
class Score:
    phi_items: int = 0
    phi_caught: int = 0
    clinical_items: int = 0
    clinical_intact: int = 0
    text_images: int = 0
    text_images_held: int = 0
    textless_images: int = 0
    textless_held: int = 0
    masked_pixels: int = 0
    masked_outside_phi: int = 0
    misses: list[Miss] = field(default_factory=list)
    by_kind: Counter = field(default_factory=Counter)         # PHI items per kind
    missed_by_kind: Counter = field(default_factory=Counter)

    @property
    def recall(self) -> float:
        return self.phi_caught / self.phi_items if self.phi_items else 1.0

    @property
    def retention(self) -> float:
        return self.clinical_intact / self.clinical_items if self.clinical_items else 1.0

    @property
    def quarantine_rate(self) -> float:
        return self.text_images_held / self.text_images if self.text_images else 0.0

    @property
    def masked_outside_share(self) -> float:
        return self.masked_outside_phi / self.masked_pixels if self.masked_pixels else 0.0

    def add(self, other: Score) -> None:
        for name in ("phi_items", "phi_caught", "clinical_items", "clinical_intact", "text_images",
                     "text_images_held", "textless_images", "textless_held", "masked_pixels", "masked_outside_phi"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses
        self.by_kind.update(other.by_kind)
        self.missed_by_kind.update(other.missed_by_kind)


@dataclass
class Evaluation:
    """The whole run's score, and the same per modality and per manufacturer of the inputs."""

    total: Score = field(default_factory=Score)
    groups: dict[str, dict[str, Score]] = field(default_factory=lambda: {"modality": {}, "manufacturer": {}})

    def add(self, facts: dict[str, str], score: Score) -> None:
        self.total.add(score)
        for axis, value in facts.items():
            self.groups[axis].setdefault(value, Score()).add(score)


@dataclass(frozen=True)
class RunFolders:
    input: Path
    output: Path  # released files; held ones are caught whatever they show


def squash(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def read_back(path: Path, engine: OcrEngine, page_reader, settings: ScanSettings) -> str:
    """All text pixelscrub's own pass and an independent page reader (RapidOCR's detector) find in
    an output file's first frame, squashed for substring tests."""
    ds = pydicom.dcmread(path)
    frames = Frames(ds, path)
    found = scan(frames, ds, LineJudge(engine, None, PhiSet(), settings, Places(frames.rows, frames.columns)))
    own = " ".join(line.text for line in found.lines)
    page = cv2.cvtColor(found.first_image, cv2.COLOR_GRAY2BGR)
    return squash(own + " " + " ".join(page_reader.read_page(page)))


def _coverage(masks: np.ndarray, box: tuple[int, int, int, int]) -> float:
    x, y, w, h = box
    region = masks[y:y + h, x:x + w]
    return float(region.mean()) if region.size else 0.0


def legible(grey: np.ndarray, item: TruthItem, engine: OcrEngine) -> bool:
    """Whether OCR still reads most of the item's characters in the output image. An item labelled
    without its text (a hand-drawn box) is legible when anything of three characters or more is read."""
    seen = squash(read_line(engine, grey, Box(*item.box)).text)
    want = squash(item.text)
    if not want:
        return len(seen) >= 3
    run = SequenceMatcher(None, want, seen, autojunk=False).find_longest_match(0, len(want), 0, len(seen)).size
    return run >= max(3, (len(want) + 1) // 2)


def _facts(path: Path) -> tuple[dict[str, str], int, int]:
    """Modality and manufacturer of an input, and its size, from its header."""
    ds = pydicom.dcmread(path, stop_before_pixels=True, force=True)
    facts = {"modality": str(ds.get("Modality", "") or "unknown"),
             "manufacturer": str(ds.get("Manufacturer", "") or "unknown")}
    return facts, int(ds.get("Rows", 0) or 0), int(ds.get("Columns", 0) or 0)


def score_file(items: list[TruthItem], record: dict, rows: int, columns: int, output: Path | None,
               engine: OcrEngine, pad: int) -> Score:
    """One input's items against its manifest record; `output` is the released file, None if held."""
    score = Score()
    held = record["status"] != "released"
    if items:
        score.text_images, score.text_images_held = 1, int(held)
    else:
        score.textless_images, score.textless_held = 1, int(held)
    masks = np.zeros((rows, columns), bool)
    for mask in record["masks"]:
        x, y, w, h = mask["box"]
        masks[y:y + h, x:x + w] = True
    grey = None
    for item in items:
        coverage = _coverage(masks, item.box)
        if item.phi:
            score.phi_items += 1
            score.by_kind[item.kind] += 1
            caught = held or coverage >= CAUGHT_COVERAGE
            if not caught and coverage >= LEAKED_COVERAGE:
                if grey is None:
                    grey = first_frame(output)
                caught = not legible(grey, item, engine)
            score.phi_caught += caught
            if not caught:
                score.missed_by_kind[item.kind] += 1
                score.misses.append(Miss(record["source"], item.kind, item.box, round(coverage, 2),
                                         record["output"]))
        elif item.kind == "clinical" and not held:
            score.clinical_items += 1
            score.clinical_intact += coverage < INTACT_COVERAGE
    if record["masks"] and not held:
        phi_zone = np.zeros_like(masks)
        for item in items:
            if item.phi:
                x, y, w, h = item.box
                phi_zone[max(0, y - pad):y + h + pad, max(0, x - pad):x + w + pad] = True
        score.masked_pixels += int(masks.sum())
        score.masked_outside_phi += int((masks & ~phi_zone).sum())
    return score


def first_frame(path: Path) -> np.ndarray:
    """The 8-bit reading image of a file's first frame."""
    ds = pydicom.dcmread(path)
    frames = Frames(ds, path)
    return reading_image(frames.frame(0), frames.photometric, ds)


def score_run(truth: Truth, records: dict[str, dict], folders: RunFolders, engine: OcrEngine,
              pad: int = 3) -> Evaluation:
    """Score every input the truth and the manifest both know; a PHI box this run did not mask at
    least half is a miss without reading it back."""
    evaluation = Evaluation()
    for source, items in truth.files.items():
        record = records.get(source)
        if record is None or record["status"] not in ("released", "quarantined"):
            continue
        facts, rows, columns = _facts(folders.input / source)
        released = folders.output / record["output"] if record["status"] == "released" else None
        evaluation.add(facts, score_file(items, record, rows, columns, released, engine, pad))
    return evaluation
