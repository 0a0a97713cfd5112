"""The pixel stage of one image: read its text, decide what to mask, check the masked image with an
independent detector, rewrite the frames, and say whether the image may be released.

Masks are final before a single frame is written: the first pass reads every frame, the policy settles
what is neither PHI nor clinical, and the independent check (pixels/text/check.py) searches the masked
first frame (and a run's static composite) for anything still unaccounted for, masking more or holding
the image. The write pass then fills the same boxes on every frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pydicom.dataset import Dataset

from pixelscrub.decide import Content, decide
from pixelscrub.header.phi import PhiName, PhiSet
from pixelscrub.pixels.codec.frames import Frames, chroma_image, reading_image
from pixelscrub.pixels.codec.overlays import drop_embedded
from pixelscrub.pixels.codec.store import FrameWriter
from pixelscrub.pixels.ocr.engine import OcrEngine, TextDetector
from pixelscrub.pixels.regions.boxes import Box
from pixelscrub.pixels.regions.content import faces, looks_like_document
from pixelscrub.pixels.regions.mask import SAMPLE_FRAMES, apply_fills, fill_grey, pad_boxes, plan_fills
from pixelscrub.pixels.regions.places import Places
from pixelscrub.pixels.regions.triage import TriageDecision
from pixelscrub.pixels.text.check import Checker, CheckResult
from pixelscrub.pixels.text.match import Finding
from pixelscrub.pixels.text.scan import LineJudge, Scan, scan
from pixelscrub.review.preview import placeholder, render

NAME_LABELS = ("pattern:label-name", "pattern:label-physician")
PHOTO_CHROMA = 4.0  # mean spread between a pixel's channels below which an image is grey, not a photograph


@dataclass(frozen=True)
class PixelInput:
    """What the pixel stage needs to know about one file."""

    ds: Dataset
    frames: Frames
    phi: PhiSet
    choice: TriageDecision
    modality: str
    hidden: bool = False    # bits above BitsStored to clear even if nothing is masked
    plane_doubts: int = 0   # overlay-plane text that could not be judged


@dataclass
class PixelOutcome:
    status: str  # "released" or "quarantined"
    reasons: list[str] = field(default_factory=list)
    masks: list[dict] = field(default_factory=list)
    confidence: float = 1.0
    preview: bytes | None = None
    names: list[PhiName] = field(default_factory=list)  # names read after a label, for the header's free text
    masked: bool = False


@dataclass(frozen=True)
class Engines:
    first: OcrEngine
    second: OcrEngine
    detector: TextDetector


class PixelStage:
    """Built once per worker: the engines and the profile; `run` takes one image."""

    def __init__(self, profile, engines: Engines, output: str = "auto", spool: Path | None = None):
        self.profile, self.engines, self.output, self.spool = profile, engines, output, spool

    def run(self, job: PixelInput, clock: Callable[[str], None]) -> PixelOutcome:
        profile, frames, choice = self.profile, job.frames, job.choice
        clock("ocr")
        places = Places(frames.rows, frames.columns, profile.places, choice.data_regions, choice.phi_regions)
        judge = LineJudge(self.engines.first, self.engines.second, job.phi, profile.first_pass(), places,
                          str(job.ds.get("Modality", "") or ""))
        first = Scan()
        if choice.look:
            first = scan(frames, job.ds, judge, self.engines.detector if choice.learned else None)
        content = Content(
            document=looks_like_document([line.box for line in first.lines], frames.rows, frames.columns,
                                         profile.content),
            faces=faces(first.first_image, profile.content, chroma_image(frames.frame(0)))
            if self._photograph(job, first) else 0)
        findings = [f for f in first.findings if f.kind == "phi"]
        clock("verify")
        check = CheckResult()
        if choice.look:
            check = self._check(job, first, findings, judge)
            findings += check.masks
        padded = pad_boxes([f.box for f in findings], profile.mask_pad, frames.columns, frames.rows)
        clock("mask")
        outcome = PixelOutcome("released", names=names_read(first), masked=bool(padded))
        shown = first.first_image
        if padded or job.hidden:
            rewritten = self._rewrite(job, padded, outcome, clock)
            shown = rewritten if padded else shown
            outcome.masks = [{"box": list(box), "frames": "all", "matched": finding.label}
                             for box, finding in zip(padded, findings)]
        if not choice.look:  # rewritten only to clear hidden bits
            return outcome
        decision = decide(first, check, content, job.plane_doubts)
        outcome.status, outcome.confidence = decision.status, decision.confidence
        outcome.reasons += decision.reasons
        if decision.status == "quarantined":
            boxes = [(f.kind, f.box) for f in first.findings] + [("phi", f.box) for f in check.masks]
            boxes += [("doubtful", box) for box in check.held]
            note = "; ".join(r for r in decision.reasons if r.startswith(("pixel:", "verify: unaccounted")))
            outcome.preview = render(shown, boxes, note=note) if shown is not None else placeholder(note)
        return outcome

    def _photograph(self, job: PixelInput, first: Scan) -> bool:
        """Whether the image may be a photograph, where a face identifies: a modality that takes them,
        and colour. A grey screen capture of a radiograph is none, and face cascades misfire on chests."""
        if first.first_image is None or job.modality not in self.profile.content.face_modalities:
            return False
        return job.frames.colour and float(chroma_image(job.frames.frame(0)).mean()) >= PHOTO_CHROMA

    def _check(self, job: PixelInput, first: Scan, findings: list[Finding], judge: LineJudge) -> CheckResult:
        """Search the masked image with the learned detector, once per distinct overlay: each frame of a
        short image; the static composite of a run, where the overlay shows over the moving anatomy
        (text that changes from frame to frame was read on every frame by the first pass)."""
        frames, profile = job.frames, self.profile
        padded = pad_boxes([f.box for f in findings], profile.mask_pad, frames.columns, frames.rows)
        kept = [f.box for f in first.findings if f.kind == "keep"]
        checker = Checker(self.engines.detector, judge, profile.check)
        if first.composite is not None:
            checker.check(fill_grey(first.composite, padded), padded, kept, first.learned.get((0, "static")),
                          composite=True)
            return checker.result
        fills = plan_fills(frames.sample(SAMPLE_FRAMES), frames.photometric, padded) if padded else []
        for index in range(frames.count):
            frame = frames.frame(index).copy()
            apply_fills(frame, fills)
            checker.check(reading_image(frame, frames.photometric, job.ds), padded, kept,
                          first.learned.get((index, "grey")))
        return checker.result

    def _rewrite(self, job: PixelInput, padded: list[Box], outcome: PixelOutcome,
                 clock: Callable[[str], None]) -> np.ndarray:
        """Fill the boxes on every frame and re-encode them; returns the masked first frame's reading image."""
        frames, ds = job.frames, job.ds
        fills = plan_fills(frames.sample(SAMPLE_FRAMES), frames.photometric, padded) if padded else []
        writer = FrameWriter(ds, frames, self.output, spool=self.spool)
        shown = None
        for index, frame in frames:
            clock("mask")
            apply_fills(frame, fills)
            if index == 0:
                shown = reading_image(frame, frames.photometric, ds)
            clock("write")
            writer.add(frame)
        syntax = writer.finish()
        outcome.reasons.append(f"write: pixel data re-encoded losslessly as {syntax.name}")
        if job.hidden:
            dropped = drop_embedded(ds)
            outcome.reasons.append("pixel: bits above BitsStored cleared" +
                                   (f"; {dropped} embedded overlay(s) removed" if dropped else ""))
        return shown


def names_read(first: Scan) -> list[PhiName]:
    """Words read after a name or physician label ("Name: DOE JANE"): a name the cleaned header may no
    longer hold, which its free text must lose too."""
    names = []
    for line in first.lines:
        boxes = [f.box for f in first.findings if f.label in NAME_LABELS and line.box.intersection(f.box)]
        parts = tuple(w.text.strip(",.;:^") for w in line.words if any(b.contains(w.box) for b in boxes))
        parts = tuple(p for p in parts if len(p) >= 3 and p.isalpha())
        if parts:
            names.append(PhiName("burned-in text", parts[0], " ".join(parts[1:]), "", parts))
    return names
