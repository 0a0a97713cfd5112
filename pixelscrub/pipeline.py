"""One input file through every stage: read, header, triage, detect, OCR, match, mask, verify, decide, write.

`Scrubber` is built once per worker process (it holds the OCR engine and the project store) and turns a
source path into an `Outcome`: the manifest record plus what the summary needs. Nothing in an Outcome
is a value from the file: reasons are written here, and exceptions are named by type only.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import pydicom
from pydicom.dataset import Dataset
from pydicom.uid import UID

from pixelscrub.clock import Clock
from pixelscrub.config import Config
from pixelscrub.header.deidentify import HeaderContext, HeaderResult, deidentify, record_pixel_outcome
from pixelscrub.header.phi import PLACEHOLDERS, PhiSet, collect_phi
from pixelscrub.header.sweep import sweep
from pixelscrub.outputs import RunPaths, publish, stage
from pixelscrub.pixels.codec.frames import DecodeError, Frames
from pixelscrub.pixels.codec.overlays import clear_boxes, hidden_bits, overlay_groups, plane_frames
from pixelscrub.pixels.ocr.cache import CachedEngine, LazyEngine
from pixelscrub.pixels.ocr.rapid import RapidDetector, RapidOcrEngine
from pixelscrub.pixels.ocr.tesseract import tesseract_engine
from pixelscrub.pixels.regions.mask import pad_boxes
from pixelscrub.pixels.regions.places import PlaceParams, Places
from pixelscrub.pixels.regions.rules import phi_regions
from pixelscrub.pixels.regions.triage import TriageDecision, triage
from pixelscrub.pixels.stage import Engines, PixelInput, PixelStage
from pixelscrub.pixels.text.scan import LineJudge, scan
from pixelscrub.project import Project
from pixelscrub.read import ImageFacts, NotDicom, Unreadable, read
from pixelscrub.review.preview import placeholder

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


@dataclass
class FileJob:
    """One input file on its way through the stages: what each stage learns, for the next."""

    path: Path
    outcome: Outcome
    clock: Clock
    replaceable: str | None  # a finished output of an earlier run that this file may overwrite
    ds: Dataset | None = None
    facts: ImageFacts | None = None
    phi: PhiSet = field(default_factory=PhiSet)
    header: HeaderResult | None = None
    pseudonym: str = ""


class Scrubber:
    def __init__(self, config: Config, paths: RunPaths, engines: Engines | None = None):
        """`engines`: the OCR engines and the detector, when the caller shares them between runs."""
        self.config, self.paths = config, paths
        self.project = Project(config.project, config.home, config.prefix, config.pseudonym_width)
        self.date_offset = self.project.date_offset(config.header.date_offset_days)
        self.engines = engines or Engines(
            CachedEngine(tesseract_engine(), most=CACHED_READS),
            CachedEngine(LazyEngine(RapidOcrEngine, RapidOcrEngine.name), most=CACHED_READS),
            RapidDetector(config.profile.check.detector_scale))
        self.pixels = PixelStage(config.profile, self.engines, config.output, paths.staging)
        # pydicom's own warnings and log lines can quote element values: keep them out of every log.
        logging.getLogger("pydicom").setLevel(logging.CRITICAL + 1)
        warnings.filterwarnings("ignore", module="pydicom")

    def close(self) -> None:
        self.engines.first.close()
        self.engines.second.close()
        self.engines.detector.close()
        self.project.close()

    def process(self, path: Path, replaceable: str | None = None) -> Outcome:
        source = path.relative_to(self.paths.input).as_posix() if path != self.paths.input else path.name
        job = FileJob(path, Outcome(source=source, status="failed"), Clock(), replaceable)
        outcome, clock = job.outcome, job.clock
        try:
            self._process(job)
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

    def _process(self, job: FileJob) -> None:
        outcome, clock = job.outcome, job.clock
        clock("read")
        result = read(job.path)
        job.ds, job.facts = ds, facts = result.dataset, result.facts
        outcome.modality = facts.modality

        clock("header")
        job.phi = collect_phi(ds)
        hints = phi_regions(ds, facts.columns, facts.rows)  # matched on the original header
        job.pseudonym = self.project.pseudonym(*patient_identity(ds))
        context = HeaderContext(self.project.key, job.pseudonym, outcome.source, self.config.header,
                                self.date_offset, job.phi)
        job.header = deidentify(ds, context)
        self.project.remember_uids(job.header.uids)
        outcome.reasons.extend(job.header.reasons())

        clock("triage")
        choice = triage(facts, phi_regions=hints)
        planes = self._overlay_planes(job)
        try:
            hidden = facts.has_pixels and hidden_bits(ds, job.path)
            if not choice.look and not hidden:
                outcome.reasons.append(f"triage: {choice.rule}; pixel stage skipped")
                held = bool(planes) or job.header.hold
                outcome.confidence = 0.0 if held else choice.confidence
                self._write(job, "quarantined" if held else "released",
                            placeholder("overlay text could not be judged" if planes else
                                        "header values could not be cleaned") if held else None)
                return
            outcome.reasons.append(f"triage: {choice.rule}; " + ("pixels read" if choice.look else
                                                                  "pixels rewritten only to clear hidden bits"))
            frames = Frames(ds, job.path, self.config.keep_frames_mb * 2**20, timer=lambda: clock.visit("decode"))
            self._pixels(job, frames, choice, hidden, planes)
        except DecodeError as exc:  # unknown codec, corrupt fragments: hold it, never release it
            outcome.reasons.append(f"pixel: {exc}; held for review")
            outcome.confidence, outcome.masks = 0.0, []
            self._write(job, "quarantined", placeholder("pixel data could not be decoded"))

    def _overlay_planes(self, job: FileJob) -> int:
        """Overlay Data planes the header kept (Clean Graphics): read their text and clear the PHI.
        Returns how many text regions could not be judged."""
        ds, outcome, doubts = job.ds, job.outcome, 0
        for group in overlay_groups(ds):
            if (group, 0x3000) not in ds:
                continue
            try:
                rows, columns = int(ds[group, 0x0010].value), int(ds[group, 0x0011].value)
                # An overlay holds annotations only: unexplained text anywhere in it is masked.
                places = Places(rows, columns, PlaceParams(band=1.0))
                judge = LineJudge(self.engines.first, self.engines.second, job.phi, self.config.profile.first_pass(),
                                  places, str(ds.get("Modality", "") or ""))
                found = scan(plane_frames(ds, group), ds, judge).findings
            except Exception as exc:  # a plane that cannot be unpacked cannot be checked: it goes
                for tag in [t for t in ds.keys() if t.group == group]:
                    del ds[tag]
                outcome.reasons.append(f"overlay: plane {group:04X} could not be read ({type(exc).__name__}); removed")
                continue
            phi_boxes = [f.box for f in found if f.kind == "phi"]
            if phi_boxes:
                clear_boxes(ds, group, pad_boxes(phi_boxes, self.config.profile.mask_pad, columns, rows))
                labels = ", ".join(sorted({f.label for f in found if f.kind == "phi"}))
                outcome.reasons.append(f"overlay: plane {group:04X}: {len(phi_boxes)} text regions cleared ({labels})")
            doubtful = sum(f.kind == "doubtful" for f in found)
            if doubtful:
                outcome.reasons.append(f"overlay: plane {group:04X}: {doubtful} text regions could not be judged")
            doubts += doubtful
        return doubts

    def _pixels(self, job: FileJob, frames: Frames, choice: TriageDecision, hidden: bool, planes: int) -> None:
        outcome = job.outcome
        result = self.pixels.run(PixelInput(job.ds, frames, job.phi, choice, outcome.modality, hidden, planes),
                                 job.clock)
        outcome.reasons.extend(result.reasons)
        outcome.masks, outcome.confidence = result.masks, result.confidence
        status, preview = result.status, result.preview
        job.clock("header")
        swept = sweep(job.ds, replace(job.phi, names=[*job.phi.names, *result.names]), job.header.kept) \
            if result.names else None
        if swept is not None:
            outcome.reasons.extend(r.replace("header sweep:", "header sweep (names read in the pixels):", 1)
                                   for r in swept.reasons())
        if job.header.hold or (swept is not None and swept.hold):
            status, outcome.confidence = "quarantined", 0.0
            preview = preview or placeholder("header values could not be cleaned")
        record_pixel_outcome(job.ds, masked=result.masked, read=choice.look, released=status == "released")
        self._write(job, status, preview)

    def _write(self, job: FileJob, status: str, preview: bytes | None = None) -> None:
        ds, header, outcome, replaceable = job.ds, job.header, job.outcome, job.replaceable
        job.clock("write")
        root = self.paths.output if status == "released" else self.paths.quarantine
        relative = f"{job.pseudonym}/{header.study_uid}/{header.series_uid}/{header.sop_uid}.dcm"
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
