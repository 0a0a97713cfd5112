"""One input file through every stage: read, header, triage, detect, OCR, match, mask, verify, decide, write.

`Scrubber` is built once per worker process (it holds the OCR engine and the project store) and turns a
source path into an `Outcome`: the manifest record plus what the summary needs. Nothing in an Outcome
is a value from the file: reasons are written here, and exceptions are named by type only.
"""

from __future__ import annotations

import logging
import time
import warnings
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pydicom
from pydicom.dataset import Dataset
from pydicom.uid import UID

from pixelscrub.config import Config
from pixelscrub.decide import Content, decide
from pixelscrub.header.deidentify import HeaderContext, HeaderResult, deidentify, record_pixel_outcome
from pixelscrub.header.phi import PLACEHOLDERS, PhiSet, collect_phi
from pixelscrub.outputs import RunPaths, publish, stage
from pixelscrub.pixels.regions.content import faces, looks_like_document
from pixelscrub.pixels.codec.frames import DecodeError, Frames, reading_image
from pixelscrub.pixels.regions.mask import SAMPLE_FRAMES, apply_fills, pad_boxes, plan_fills
from pixelscrub.pixels.codec.overlays import clear_boxes, drop_embedded, hidden_bits, overlay_groups, plane_frames
from pixelscrub.pixels.ocr.cache import CachedEngine, LazyEngine
from pixelscrub.pixels.ocr.engine import OcrEngine
from pixelscrub.pixels.ocr.rapid import RapidOcrEngine
from pixelscrub.pixels.text.scan import Scan, scan
from pixelscrub.pixels.codec.store import FrameWriter
from pixelscrub.pixels.ocr.tesseract import tesseract_engine
from pixelscrub.pixels.regions.rules import phi_regions
from pixelscrub.pixels.regions.triage import TriageDecision, triage
from pixelscrub.pixels.text.verify import Verifier
from pixelscrub.project import Project
from pixelscrub.read import NotDicom, Unreadable, read
from pixelscrub.review.preview import placeholder, render

log = logging.getLogger("pixelscrub")
CACHED_READS = 20_000  # per engine and worker: a few MB of words, enough to span a study's images


@dataclass
class Outcome:
    source: str
    status: str  # released | quarantined | skipped | failed
    output: str | None = None
    reasons: list[str] = field(default_factory=list)
    masks: list[dict] = field(default_factory=list)
    confidence: float | None = None
    modality: str = "unknown"
    seconds: dict[str, float] = field(default_factory=dict)

    def manifest(self) -> dict:
        return {"source": self.source, "status": self.status, "output": self.output, "reasons": self.reasons,
                "masks": self.masks, "confidence": self.confidence}

    def to_json(self) -> dict:
        return asdict(self)


def _private_encoding(ds: Dataset) -> dict:
    """A private transfer syntax says nothing pydicom can read: keep the encoding the file was read in."""
    if UID(ds.file_meta.TransferSyntaxUID).is_transfer_syntax:
        return {}
    implicit, little = ds.original_encoding
    return {"implicit_vr": bool(implicit), "little_endian": little is not False}


class _Clock:
    """Seconds spent per stage, for the summary's timings."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.stage, self._start = "", 0.0

    def __call__(self, stage_name: str) -> None:
        now = time.perf_counter()
        if self.stage:
            self.seconds[self.stage] = self.seconds.get(self.stage, 0.0) + now - self._start
        self.stage, self._start = stage_name, now

    @contextmanager
    def visit(self, stage_name: str):
        """Count the time inside the block to `stage_name`, then go back to the stage before it."""
        previous = self.stage
        self(stage_name)
        try:
            yield
        finally:
            self(previous)

    def stop(self) -> dict[str, float]:
        self("")
        return {k: round(v, 4) for k, v in self.seconds.items()}


def patient_identity(ds: Dataset) -> tuple[str, dict[str, str]]:
    """The key that identifies the patient for pseudonym assignment (the ID, else name and birth date,
    else the study), and the original attributes the store keeps, encrypted, for re-identification."""
    original = {k: str(ds.get(k, "") or "").strip() for k in ("PatientID", "PatientName", "PatientBirthDate",
                                                                "IssuerOfPatientID")}
    if original["PatientID"] and original["PatientID"].upper() not in PLACEHOLDERS:
        return f"id:{original['IssuerOfPatientID']}|{original['PatientID']}", original
    if original["PatientName"] and original["PatientName"].upper() not in PLACEHOLDERS:
        return f"name:{original['PatientName']}|{original['PatientBirthDate']}", original
    return f"study:{ds.get('StudyInstanceUID', '') or 'unknown'}", original


class Scrubber:
    def __init__(self, config: Config, paths: RunPaths, engines: tuple[OcrEngine, OcrEngine] | None = None):
        """`engines`: the first-pass and the second engine, when the caller shares them between runs."""
        self.config, self.paths = config, paths
        self.project = Project(config.project, config.home, config.prefix, config.pseudonym_width)
        self.date_offset = self.project.date_offset(config.header.date_offset_days)
        self.engine, self.second_engine = engines or (
            CachedEngine(tesseract_engine(), most=CACHED_READS),
            CachedEngine(LazyEngine(RapidOcrEngine, RapidOcrEngine.name), most=CACHED_READS))
        # pydicom's own warnings and log lines can quote element values: keep them out of every log.
        logging.getLogger("pydicom").setLevel(logging.CRITICAL + 1)
        warnings.filterwarnings("ignore", module="pydicom")

    def close(self) -> None:
        self.engine.close()
        self.second_engine.close()
        self.project.close()

    def process(self, path: Path, replaceable: str | None = None) -> Outcome:
        source = path.relative_to(self.paths.input).as_posix() if path != self.paths.input else path.name
        clock = _Clock()
        outcome = Outcome(source=source, status="failed")
        try:
            self._process(path, outcome, clock, replaceable)
        except NotDicom as exc:
            outcome.status, outcome.reasons = "skipped", [f"read: {exc}"]
        except Unreadable as exc:
            outcome.status, outcome.reasons = "failed", [f"read: {exc}; the file was not released"]
        except Exception as exc:  # a bug or a library failure must not stop the run or leak a value
            # Only the type is logged: a traceback's message could quote a value from the file.
            log.warning("unexpected %s in stage %s", type(exc).__name__, clock.stage or "read")
            outcome.status, outcome.output = "failed", None
            outcome.reasons.append(
                f"error: {type(exc).__name__} in stage '{clock.stage or 'read'}'; the file was not released; "
                "please report it with the stage name")
        outcome.seconds = clock.stop()
        return outcome

    def _process(self, path: Path, outcome: Outcome, clock: _Clock, replaceable: str | None) -> None:
        clock("read")
        result = read(path)
        ds, facts = result.dataset, result.facts
        outcome.modality = facts.modality

        clock("header")
        phi = collect_phi(ds)
        hints = phi_regions(ds, facts.columns, facts.rows)  # matched on the original header
        pseudonym = self.project.pseudonym(*patient_identity(ds))
        context = HeaderContext(self.project.key, pseudonym, outcome.source, self.config.header, self.date_offset, phi)
        header = deidentify(ds, context)
        self.project.remember_uids(header.uids)
        outcome.reasons.extend(header.reasons())

        clock("triage")
        choice = triage(facts, phi_regions=hints)
        planes = self._overlay_planes(ds, phi, outcome)
        hidden = facts.has_pixels and hidden_bits(ds, path)
        if not choice.look and not hidden:
            outcome.reasons.append(f"triage: {choice.rule}; pixel stage skipped")
            outcome.confidence = 0.0 if planes else choice.confidence
            self._write(ds, header, pseudonym, outcome, clock, "quarantined" if planes else "released", replaceable,
                        preview=placeholder("overlay text could not be judged") if planes else None)
            return
        outcome.reasons.append(f"triage: {choice.rule}; " + ("pixels read" if choice.look else
                                                              "pixels rewritten only to clear hidden bits"))
        try:
            frames = Frames(ds, path, self.config.keep_frames_mb * 2**20, timer=lambda: clock.visit("decode"))
            self._pixels(ds, frames, phi, header, pseudonym, outcome, clock, replaceable, choice, hidden, planes)
        except DecodeError as exc:  # unknown codec, corrupt fragments: hold it, never release it
            outcome.reasons.append(f"pixel: {exc}; held for review")
            outcome.confidence, outcome.masks = 0.0, []
            self._write(ds, header, pseudonym, outcome, clock, "quarantined", replaceable,
                        preview=placeholder("pixel data could not be decoded"))

    def _overlay_planes(self, ds: Dataset, phi: PhiSet, outcome: Outcome) -> int:
        """Overlay Data planes the header kept (Clean Graphics): read their text and clear the PHI.
        Returns how many text regions could not be judged."""
        doubts = 0
        for group in overlay_groups(ds):
            if (group, 0x3000) not in ds:
                continue
            try:
                found = scan(plane_frames(ds, group), ds, self.engine, phi, self.config.profile.first_pass(),
                             second=self.second_engine).findings
            except Exception as exc:  # a plane that cannot be unpacked cannot be checked: it goes
                for tag in [t for t in ds.keys() if t.group == group]:
                    del ds[tag]
                outcome.reasons.append(f"overlay: plane {group:04X} could not be read ({type(exc).__name__}); removed")
                continue
            phi_boxes = [f.box for f in found if f.kind == "phi"]
            if phi_boxes:
                clear_boxes(ds, group, pad_boxes(phi_boxes, self.config.profile.mask_pad, int(ds[group, 0x0011].value),
                                                 int(ds[group, 0x0010].value)))
                labels = ", ".join(sorted({f.label for f in found if f.kind == "phi"}))
                outcome.reasons.append(f"overlay: plane {group:04X}: {len(phi_boxes)} PHI text regions cleared ({labels})")
            doubtful = sum(f.kind == "doubtful" for f in found)
            if doubtful:
                outcome.reasons.append(f"overlay: plane {group:04X}: {doubtful} text regions could not be read "
                                       "with confidence")
            doubts += doubtful
        return doubts

    def _pixels(self, ds: Dataset, frames: Frames, phi: PhiSet, header: HeaderResult, pseudonym: str,
                outcome: Outcome, clock: _Clock, replaceable: str | None, choice: TriageDecision, hidden: bool,
                plane_doubts: int) -> None:
        """Read the frames for text (first pass), then, when anything must change, mask, verify and
        re-encode them frame by frame (second pass)."""
        profile = self.config.profile
        clock("ocr")
        first = Scan()
        if choice.look:
            first = scan(frames, ds, self.engine, phi, profile.first_pass(), choice.data_regions, self.second_engine,
                         choice.phi_regions)
        phi_findings = [f for f in first.findings if f.kind == "phi"]
        content = Content(
            document=looks_like_document([line.box for line in first.lines], frames.rows, frames.columns,
                                         profile.content),
            faces=faces(first.first_image, profile.content)
            if first.first_image is not None and outcome.modality in profile.content.face_modalities else 0)
        clock("mask")
        padded = pad_boxes([f.box for f in phi_findings], profile.mask_pad, frames.columns, frames.rows)
        verifier = Verifier(first, padded, self.engine, phi, profile.second_pass(), frames.photometric, ds)
        shown = first.first_image
        if padded or hidden:
            fills = plan_fills(frames.sample(SAMPLE_FRAMES), frames.photometric, padded) if padded else []
            writer = FrameWriter(ds, frames, self.config.output, spool=self.paths.staging)
            for index, frame in frames:
                clock("mask")
                apply_fills(frame, fills)
                clock("verify")
                verifier.add(index, frame)
                if index == 0 and padded:
                    shown = reading_image(frame, frames.photometric, ds)
                clock("write")
                writer.add(frame)
            syntax = writer.finish()
            outcome.masks = [{"box": list(box), "frames": "all", "matched": finding.label}
                             for box, finding in zip(padded, phi_findings)]
            outcome.reasons.append(f"write: pixel data re-encoded losslessly as {syntax.name}")
            if hidden:
                dropped = drop_embedded(ds)
                outcome.reasons.append("pixel: bits above BitsStored cleared" +
                                       (f"; {dropped} embedded overlay(s) removed" if dropped else ""))
        clock("verify")
        verification = verifier.result()
        decision = decide(first, verification, len(phi_findings), content, plane_doubts)
        outcome.reasons.extend(decision.reasons)
        outcome.confidence = decision.confidence
        record_pixel_outcome(ds, masked=bool(phi_findings), read=choice.look, released=decision.status == "released")
        preview = None
        if decision.status == "quarantined":
            boxes = [(f.kind, f.box) for f in first.findings]
            boxes += [("doubtful", box) for box in verification.leak_boxes]
            note = "; ".join(r for r in decision.reasons if not r.startswith("verify: ") or "PHI" in r)
            preview = render(shown, boxes, note=note) if shown is not None else placeholder(note)
        self._write(ds, header, pseudonym, outcome, clock, decision.status, replaceable, preview)

    def _write(self, ds: Dataset, header: HeaderResult, pseudonym: str, outcome: Outcome, clock: _Clock,
               status: str, replaceable: str | None, preview: bytes | None = None) -> None:
        clock("write")
        root = self.paths.output if status == "released" else self.paths.quarantine
        relative = f"{pseudonym}/{header.study_uid}/{header.series_uid}/{header.sop_uid}.dcm"
        staged = stage(self.paths.staging)
        try:
            # Straight to the staged file, so a rewritten cine is never held twice. dcmwrite, not save_as:
            # a big-endian image whose pixels were rewritten is stored little endian.
            pydicom.dcmwrite(staged, ds, enforce_file_format=True, **_private_encoding(ds))
        except Exception as exc:
            staged.unlink(missing_ok=True)
            outcome.status, outcome.output, outcome.masks = "failed", None, []
            outcome.reasons.append(
                f"write: the cleaned dataset could not be encoded ({type(exc).__name__}); the file was not released")
            return
        name = publish(staged, root, relative, replaceable)
        if preview is not None:
            publish(stage(self.paths.staging, preview), root, name[:-len(".dcm")] + ".png",
                    replaceable[:-len(".dcm")] + ".png" if replaceable else None)
        if name != relative:
            outcome.reasons.append("write: another input has the same SOP Instance UID; written under a numbered name")
        outcome.status, outcome.output = status, name
