"""One input file through every stage: read, header, triage, detect, OCR, match, mask, verify, decide, write.

`Scrubber` is built once per worker process (it holds the OCR engine and the project store) and turns a
source path into an `Outcome`: the manifest record plus what the summary needs. Nothing in an Outcome
is a value from the file: reasons are written here, and exceptions are named by type only.
"""

from __future__ import annotations

import io
import logging
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pydicom.dataset import Dataset

from pixelscrub.config import Config
from pixelscrub.decide import Content, decide
from pixelscrub.header.deidentify import HeaderContext, HeaderResult, deidentify, record_pixel_outcome
from pixelscrub.header.phi import PLACEHOLDERS, PhiSet, collect_phi
from pixelscrub.outputs import RunPaths, publish, stage
from pixelscrub.pixels.content import faces, looks_like_document
from pixelscrub.pixels.frames import decode, reading_image
from pixelscrub.pixels.mask import apply_masks, pad_boxes
from pixelscrub.pixels.ocr import LazyEngine
from pixelscrub.pixels.rapid import RapidOcrEngine
from pixelscrub.pixels.scan import scan
from pixelscrub.pixels.store import store
from pixelscrub.pixels.tesseract import tesseract_engine
from pixelscrub.pixels.regions import phi_regions
from pixelscrub.pixels.triage import TriageDecision, triage
from pixelscrub.pixels.verify import verify
from pixelscrub.project import Project
from pixelscrub.read import NotDicom, Unreadable, read
from pixelscrub.review.preview import placeholder, render

log = logging.getLogger("pixelscrub")


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
    def __init__(self, config: Config, paths: RunPaths):
        self.config, self.paths = config, paths
        self.project = Project(config.project, config.home, config.prefix, config.pseudonym_width)
        self.date_offset = self.project.date_offset(config.header.date_offset_days)
        self.engine = tesseract_engine()
        self.second_engine = LazyEngine(RapidOcrEngine, RapidOcrEngine.name)
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
        if not choice.look:
            outcome.reasons.append(f"triage: {choice.rule}; pixel stage skipped")
            outcome.confidence = choice.confidence
            self._write(ds, header, pseudonym, outcome, clock, "released", replaceable)
            return
        outcome.reasons.append(f"triage: {choice.rule}; pixels read")

        clock("decode")
        try:
            pixels = decode(ds)
        except Exception as exc:  # unknown codec, corrupt fragments: hold it, never release it
            outcome.reasons.append(f"pixel: could not be decoded ({type(exc).__name__}); held for review")
            outcome.confidence = 0.0
            self._write(ds, header, pseudonym, outcome, clock, "quarantined", replaceable,
                        preview=placeholder("pixel data could not be decoded"))
            return
        self._pixels(ds, pixels, phi, header, pseudonym, outcome, clock, replaceable, choice)

    def _pixels(self, ds, pixels, phi: PhiSet, header: HeaderResult, pseudonym: str, outcome: Outcome,
                clock: _Clock, replaceable: str | None, choice: TriageDecision) -> None:
        profile = self.config.profile
        clock("ocr")
        first = scan(pixels, ds, self.engine, phi, profile.first_pass(), choice.data_regions, self.second_engine,
                     choice.phi_regions)
        phi_findings = [f for f in first.findings if f.kind == "phi"]
        rows, columns = pixels.array.shape[1:3]
        content = Content(
            document=looks_like_document([line.box for line in first.lines], rows, columns, profile.content),
            faces=faces(reading_image(pixels.array[0], pixels.photometric, ds), profile.content)
            if outcome.modality in profile.content.face_modalities else 0)
        clock("mask")
        padded = pad_boxes([f.box for f in phi_findings], profile.mask_pad, columns, rows)
        if phi_findings:
            apply_masks(pixels, padded)
            outcome.masks = [{"box": list(box), "frames": "all", "matched": finding.label}
                             for box, finding in zip(padded, phi_findings)]
        clock("verify")
        verification = verify(pixels, ds, self.engine, phi, profile.second_pass(), first, padded)
        decision = decide(first, verification, len(phi_findings), content)
        outcome.reasons.extend(decision.reasons)
        outcome.confidence = decision.confidence
        clock("write")
        if phi_findings:
            store(ds, pixels)
        record_pixel_outcome(ds, masked=bool(phi_findings), read=True, released=decision.status == "released")
        preview = None
        if decision.status == "quarantined":
            boxes = [(f.kind, f.box) for f in first.findings]
            boxes += [("doubtful", box) for box in verification.leak_boxes]
            preview = render(reading_image(pixels.array[0], pixels.photometric, ds), boxes,
                             note="; ".join(r for r in decision.reasons if not r.startswith("verify: ") or "PHI" in r))
        self._write(ds, header, pseudonym, outcome, clock, decision.status, replaceable, preview)

    def _write(self, ds: Dataset, header: HeaderResult, pseudonym: str, outcome: Outcome, clock: _Clock,
               status: str, replaceable: str | None, preview: bytes | None = None) -> None:
        clock("write")
        root = self.paths.output if status == "released" else self.paths.quarantine
        relative = f"{pseudonym}/{header.study_uid}/{header.series_uid}/{header.sop_uid}.dcm"
        buffer = io.BytesIO()
        try:
            ds.save_as(buffer, enforce_file_format=True)
        except Exception as exc:
            outcome.status, outcome.output, outcome.masks = "failed", None, []
            outcome.reasons.append(
                f"write: the cleaned dataset could not be encoded ({type(exc).__name__}); the file was not released")
            return
        name = publish(stage(self.paths.staging, buffer.getvalue()), root, relative, replaceable)
        if preview is not None:
            publish(stage(self.paths.staging, preview), root, name[:-len(".dcm")] + ".png",
                    replaceable[:-len(".dcm")] + ".png" if replaceable else None)
        if name != relative:
            outcome.reasons.append("write: another input has the same SOP Instance UID; written under a numbered name")
        outcome.status, outcome.output = status, name
