"""Plan a synthetic archive, write its files and the ground truth for each.

Files come in cycles of twelve: five studies (US, XA, RF, CT, MR) whose
twelve images cover every scene and every encoding, in a per-seed order. One
study with burned-in text per cycle had its header cleaned earlier.
Everything random is seeded from (seed, cycle), (seed, study) or (seed, file),
never from a clock, so a file does not depend on `count` or on other files.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path

from pydicom.dataset import Dataset
from pydicom.uid import generate_uid

from pixelscrub.synth import encode, scenes
from pixelscrub.synth.people import make_visit

GENERATOR = "pixelscrub synth"
FOLDERS = {
    "us_single": "us", "us_cine": "us", "screen_capture": "sc", "secondary_capture": "sc",
    "xa": "xa", "rf": "rf", "ct": "ct", "mr": "mr",
}
NO_TEXT = ("CT", "MR")


@dataclass(frozen=True)
class Slot:
    scene: str
    encoding: str  # "native", "jpeg" (baseline; YBR_FULL_422 for colour) or "rle"
    series: int
    frames: tuple[int, int] = (1, 1)  # fewest and most; long runs go to compressed slots


@dataclass(frozen=True)
class StudyPlan:
    modality: str
    description: str
    series_descriptions: tuple[str, ...]
    slots: tuple[Slot, ...]


PLANS = (
    StudyPlan("US", "ECHO TTE COMPLETE", ("ECHO 2D", "REPORT PAGES"),
              (Slot("us_single", "jpeg", 1), Slot("us_cine", "jpeg", 1, (8, 12)), Slot("screen_capture", "native", 2))),
    StudyPlan("XA", "CORONARY ANGIOGRAPHY", ("LEFT CORONARY", "SUMMARY"),
              (Slot("xa", "native", 1), Slot("xa", "jpeg", 1, (3, 4)), Slot("secondary_capture", "rle", 2))),
    StudyPlan("RF", "UPPER GI FLUORO", ("FLUORO",), (Slot("rf", "rle", 1, (1, 2)), Slot("rf", "native", 1))),
    StudyPlan("CT", "CT CHEST W/O CONTRAST", ("AXIAL 5MM",), (Slot("ct", "native", 1), Slot("ct", "rle", 1))),
    StudyPlan("MR", "MR BRAIN W/O CONTRAST", ("AX T1",), (Slot("mr", "native", 1), Slot("mr", "rle", 1))),
)
CYCLE = sum(len(plan.slots) for plan in PLANS)


@dataclass(frozen=True)
class Job:
    record: encode.Record
    encoding: str


def _uid(seed: int, *parts: object) -> str:
    return generate_uid(entropy_srcs=[GENERATOR, str(seed), *map(str, parts)])


def _study(seed: int, number: int, plan: StudyPlan, cleaned: bool) -> list[Job]:
    """One patient's study: a visit, one device, and a file per slot, seconds to minutes apart."""
    r = random.Random(f"{seed}/study/{number}")
    visit = make_visit(r)
    device = scenes.pick_device(plan.modality, r, labelled=cleaned)
    acquired, series_start, jobs = visit.start, {}, []
    for slot in plan.slots:
        acquired += dt.timedelta(seconds=r.randint(20, 300))
        series_start.setdefault(slot.series, acquired)
        instance = sum(1 for job in jobs if job.record.series_number == slot.series) + 1
        text = plan.modality not in NO_TEXT
        record = encode.Record(
            shot=scenes.Shot(slot.scene, visit, device, acquired, instance, r.randint(*slot.frames), labelled=cleaned),
            study_uid=_uid(seed, "study", number),
            series_uid=_uid(seed, "series", number, slot.series),
            sop_uid=_uid(seed, "instance", number, slot.series, instance),
            frame_of_reference_uid=_uid(seed, "frame of reference", number, slot.series),
            study_description=plan.description,
            series_description=plan.series_descriptions[slot.series - 1],
            series_number=slot.series,
            series_start=series_start[slot.series],
            burned_in=r.choices(("YES", None, "NO"), (75, 15, 10))[0] if text else r.choice(("NO", None)),
            private_copy=not cleaned and r.random() < 0.3,
            cleaned_as=f"ANON{number + 1:04d}" if cleaned else None,
        )
        jobs.append(Job(record, slot.encoding))
    return jobs


def _jobs(seed: int, count: int) -> list[Job]:
    """Whole cycles of studies, cut to `count` files."""
    jobs: list[Job] = []
    for cycle in range(-(-count // CYCLE)):
        r = random.Random(f"{seed}/cycle/{cycle}")
        plans = list(PLANS)
        r.shuffle(plans)
        cleaned = r.choice([plan for plan in plans if plan.modality not in NO_TEXT])
        for k, plan in enumerate(plans):
            jobs += _study(seed, cycle * len(PLANS) + k, plan, plan is cleaned)
    return jobs[:count]


def truth_entry(path: str, scene: str, ds: Dataset, header_cleaned: bool, items: list[dict]) -> dict:
    """One file's ground truth, as truth.json holds it: where it is, what it is, and every text drawn."""
    return {
        "path": path,
        "scene": scene,
        "modality": ds.Modality,
        "manufacturer": str(ds.get("Manufacturer", "")),
        "sop_class_uid": ds.SOPClassUID,
        "frames": int(ds.get("NumberOfFrames", 1)),
        "rows": ds.Rows,
        "columns": ds.Columns,
        "photometric": ds.PhotometricInterpretation,
        "transfer_syntax": ds.file_meta.TransferSyntaxUID,
        "header_cleaned": header_cleaned,
        "items": items,
    }


def generate(outdir: Path, seed: int = 0, count: int = 24) -> Path:
    """Write `count` DICOM files and OUTDIR/truth.json; return the truth path."""
    outdir = Path(outdir)
    files = []
    for index, job in enumerate(_jobs(seed, count)):
        shot = job.record.shot
        relative = f"{FOLDERS[shot.scene]}/IM{index + 1:04d}.dcm"
        (outdir / relative).parent.mkdir(parents=True, exist_ok=True)
        scene = scenes.render(shot, random.Random(f"{seed}/file/{index}"))
        ds = encode.write(job.record, scene, job.encoding, outdir / relative)
        files.append(truth_entry(relative, shot.scene, ds, job.record.cleaned_as is not None,
                                 [item.as_truth() for item in scene.items]))
    truth = {"generator": GENERATOR, "seed": seed, "count": count, "files": files}
    path = outdir / "truth.json"
    path.write_text(json.dumps(truth, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path
