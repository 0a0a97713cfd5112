"""The wild archive: images unlike the standard generator's, to break burned-in text detection.

Seven languages, every installed font family from 6 to 20 px, outlines and
shadows, vendor layouts at random positions, 16-bit radiographs and colour
endoscopy, with the standard archive's ground truth format; the detector is
never tuned on it. This module plans the archive and writes it; the other
modules beside it draw the pictures and build the files.

Studies follow one another until `count` files are planned, dealt in cycles
of twelve from a deck shuffled per (seed, cycle), so every kind comes round at
a steady rate and two studies with text per cycle had their header cleaned
earlier; each study's size, patient and device come from (seed, study), and
each file's pictures from (seed, file), never from a clock, so a file does not
depend on `count`. CT and MR originals without text make about a sixth of files.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydicom.uid import generate_uid

from pixelscrub.synth import fonts
from pixelscrub.synth.archive import truth_entry
from pixelscrub.synth.wild import dataset, endoscopy, screens, sections, ultrasound, words, xray
from pixelscrub.synth.wild.identity import make_visit
from pixelscrub.synth.wild.shot import Device, Picture, Shot

GENERATOR = "pixelscrub synth"
Renderer = Callable[[Shot, random.Random, np.random.Generator], Picture]
RENDERERS: dict[str, Renderer] = {
    "us_single": ultrasound.render, "us_cine": ultrasound.render, "viewer_capture": screens.viewer,
    "report_page": screens.report, "xa": xray.fluoro, "rf": xray.fluoro, "cr": xray.radiograph,
    "dx": xray.radiograph, "mg": xray.mammogram, "ct_localizer": xray.localizer, "mr_localizer": xray.localizer,
    "ct": sections.ct, "mr": sections.mr, "endoscopy": endoscopy.render,
}
FOLDERS = {"us_single": "us", "us_cine": "us", "viewer_capture": "sc", "report_page": "sc", "ct_localizer": "ct",
           "mr_localizer": "mr", "endoscopy": "es"}
NO_TEXT = ("ct", "mr")
# Encodings each scene is stored in, with weights; cines are JPEG so the archive stays small.
ENCODINGS = {
    "us_single": {"jpeg": 4, "rle": 2, "native": 1}, "us_cine": {"jpeg": 1},
    "viewer_capture": {"rle": 3, "native": 1, "jpeg": 1}, "report_page": {"rle": 3, "native": 1, "jpeg": 1},
    "xa": {"native": 2, "rle": 1, "jpeg": 2}, "rf": {"native": 2, "rle": 1, "jpeg": 1},
    "cr": {"jpegls": 4, "native": 1, "rle": 1}, "dx": {"jpegls": 4, "native": 1, "rle": 1},
    "mg": {"jpegls": 5, "rle": 1}, "ct_localizer": {"native": 2, "rle": 1, "jpegls": 1},
    "mr_localizer": {"native": 2, "rle": 1, "jpegls": 1}, "ct": {"native": 2, "rle": 1}, "mr": {"native": 2, "rle": 1},
    "endoscopy": {"jpeg": 3, "native": 1, "rle": 1},
}
SERIES = {
    "us_single": "B-MODE", "us_cine": "CINE", "viewer_capture": "Screen Capture", "report_page": "REPORT",
    "xa": "LCA RUN", "rf": "FLUORO", "cr": "PA", "dx": "AP", "mg": "SCREENING VIEWS", "ct_localizer": "Topogram",
    "mr_localizer": "3-PL LOC", "ct": "CT/Head w/o Contrast", "mr": "AX T1 SE", "endoscopy": "CAPTURE",
}


@dataclass(frozen=True)
class Kind:
    """A kind of study: its modality, devices and descriptions."""

    modality: str
    devices: tuple[tuple[str, str], ...]
    descriptions: tuple[str, ...]


KINDS = {
    "us": Kind("US", tuple((name, vendor.model) for name, vendor in ultrasound.VENDORS.items()), ()),
    "xa": Kind("XA", (("Corvex Medical", "AngioLine 20"), ("Brightfield Systems", "CardiArc")),
               ("CORONARY ANGIOGRAPHY", "PERIPHERAL ANGIO")),
    "rf": Kind("RF", (("Brightfield Systems", "FluoroStar RF"), ("Corvex Medical", "Uniview R")),
               ("BARIUM SWALLOW", "UGI SERIES")),
    "cr": Kind("CR", (("Lumiscan", "CR-Plate 35"), ("Orthex Imaging", "OX-CR 10")), ("XR CHEST", "XR HAND")),
    "dx": Kind("DX", (("Orthex Imaging", "OX-DR 40"), ("Varda Radiography", "Panorama DR")),
               ("XR KNEE 2V", "XR CHEST PA/LAT")),
    "mg": Kind("MG", (("Senolux", "Mammara 3"), ("Varda Radiography", "MammoVue")),
               ("MAMMO SCREENING BILAT", "MAMMO DIAGNOSTIC")),
    "ct": Kind("CT", (("Tomonic", "TN-64 Helix"), ("Brightfield Systems", "Spira 128")),
               ("CT HEAD W/O", "CT CHEST")),
    "mr": Kind("MR", (("Magnora", "Aero 1.5T"), ("Tomonic", "TN-MR 3T")), ("MR BRAIN", "MR LUMBAR SPINE")),
    "es": Kind("ES", (("Endovia", "EV-1500"), ("Lumen Optics", "LO-Vision 4K")), ("COLONOSCOPY", "GASTROSCOPY")),
    "pacs": Kind("OT", (("Meridian Software", "Meridian RIS/PACS"), ("Quillworks", "Quill Web 2")),
                 ("OUTSIDE STUDY", "CONSULT")),
}

DECK = ("us", "us", "us", "xa", "rf", "cr", "dx", "mg", "ct", "mr", "es", "pacs")  # one cycle of studies


@dataclass(frozen=True)
class Slot:
    scene: str
    series: int
    frames: int


def _slots(kind: str, r: random.Random) -> list[Slot]:
    """The files of one study, in acquisition order."""
    if kind == "us":
        slots = [Slot("us_cine", 1, r.randint(8, 16)) if r.random() < 0.3 else Slot("us_single", 1, 1)
                 for _ in range(r.randint(1, 4))]
        return slots + ([Slot("report_page", 2, 1)] if r.random() < 0.25 else [])
    if kind in ("xa", "rf"):
        return [Slot(kind, 1, r.randint(3, 6) if r.random() < 0.5 else 1) for _ in range(r.randint(1, 3))]
    if kind in ("cr", "dx", "mg"):
        return [Slot(kind, k + 1, 1) for k in range(r.randint(1, 2))]
    if kind in ("ct", "mr"):
        slots = [Slot(f"{kind}_localizer", 1, 1)] if r.random() < 0.7 else []
        slots += [Slot(kind, 2, 1) for _ in range(r.randint(1, 4 if kind == "ct" else 3))]
        return slots + ([Slot("viewer_capture", 3, 1)] if r.random() < 0.2 else [])
    if kind == "es":
        return [Slot("endoscopy", 1, 1) for _ in range(r.randint(1, 3))]
    return [Slot("viewer_capture", 1, 1) for _ in range(r.randint(1, 2))] + \
        ([Slot("report_page", 2, 1)] if r.random() < 0.5 else [])


@dataclass(frozen=True)
class Job:
    record: dataset.Record
    encoding: str


def _uid(seed: int, *parts: object) -> str:
    return generate_uid(entropy_srcs=[GENERATOR, "wild", str(seed), *map(str, parts)])


def _weighted(r: random.Random, weights: dict[str, float]) -> str:
    return r.choices(tuple(weights), tuple(weights.values()))[0]


@dataclass(frozen=True)
class Cycle:
    """What one cycle of studies deals: the order of kinds, which studies had their header cleaned
    earlier, and which ultrasound study starts with a still stored as PALETTE COLOR."""

    kinds: tuple[str, ...]
    cleaned: frozenset[int]
    palette: int


def _cycle(seed: int, cycle: int) -> Cycle:
    r = random.Random(f"{seed}/wild/cycle/{cycle}")
    kinds = list(DECK)
    r.shuffle(kinds)
    with_text = [k for k, kind in enumerate(kinds) if kind not in ("ct", "mr")]  # those are mostly originals
    return Cycle(tuple(kinds), frozenset(r.sample(with_text, 2)), kinds.index("us"))


def _study(seed: int, number: int) -> list[Job]:
    """One patient's study: its kind, a visit, one device, and a file per slot, minutes apart."""
    cycle, position = _cycle(seed, number // len(DECK)), number % len(DECK)
    kind_name = cycle.kinds[position]
    kind = KINDS[kind_name]
    r = random.Random(f"{seed}/wild/study/{number}")
    visit = make_visit(r, r.choice(words.LANGUAGES))
    manufacturer, model = r.choice(kind.devices)
    device = Device(manufacturer, model, f"{kind.modality}{r.randint(1, 20):02d}")
    description = r.choice(kind.descriptions or words.EXAMS[visit.language])
    slots = _slots(kind_name, r)
    if position == cycle.palette:  # this study starts with a still stored as a palette
        slots[0] = Slot("us_single", 1, 1)
    cleaned = position in cycle.cleaned
    left_in = tuple(place for place, chance in (("series", 0.4), ("private", 0.35)) if cleaned and r.random() < chance)
    acquired, series_start, jobs = visit.start, {}, []
    for slot in slots:
        acquired += dt.timedelta(seconds=r.randint(20, 400))
        series_start.setdefault(slot.series, acquired)
        instance = sum(1 for job in jobs if job.record.series_number == slot.series) + 1
        first_of_palette_study = position == cycle.palette and not jobs
        palette = first_of_palette_study or (slot.scene == "us_single" and r.random() < 0.05)
        encoding = r.choice(("native", "rle")) if palette else _weighted(r, ENCODINGS[slot.scene])
        shot = Shot(slot.scene, visit, device, acquired, slot.frames, r.choice(fonts.FAMILIES), palette)
        text = slot.scene not in NO_TEXT
        record = dataset.Record(
            shot=shot,
            modality=kind.modality if slot.scene != "report_page" or kind.modality == "US" else "OT",
            study_uid=_uid(seed, "study", number),
            series_uid=_uid(seed, "series", number, slot.series),
            sop_uid=_uid(seed, "instance", number, slot.series, instance),
            frame_of_reference_uid=_uid(seed, "frame of reference", number, slot.series),
            study_description=description,
            series_description=SERIES[slot.scene],
            series_number=slot.series,
            instance=instance,
            series_start=series_start[slot.series],
            burned_in=r.choices(("YES", None, "NO"), (60, 25, 15))[0] if text else r.choice(("NO", None)),
            cleaned_as=r.choice((f"ANON^{number + 1:04d}", f"ANON{number + 1:04d}", f"ANONYMOUS^{number + 1}"))
            if cleaned else None,
            name_left_in=left_in,
        )
        jobs.append(Job(record, encoding))
    return jobs


def _jobs(seed: int, count: int) -> list[Job]:
    jobs: list[Job] = []
    number = 0
    while len(jobs) < count:
        jobs += _study(seed, number)
        number += 1
    return jobs[:count]


@dataclass(frozen=True)
class Written:
    entry: dict  # the file's truth entry
    fonts: frozenset[tuple[str, int]]  # (family, capital height) of every text drawn


def write_archive(outdir: Path, seed: int, count: int) -> list[Written]:
    """Write `count` DICOM files and OUTDIR/truth.json; return each file's truth entry and the fonts it used."""
    fonts.require()
    outdir = Path(outdir)
    written = []
    for index, job in enumerate(_jobs(seed, count)):
        shot = job.record.shot
        relative = f"{FOLDERS.get(shot.scene, shot.scene)}/IM{index + 1:04d}.dcm"
        (outdir / relative).parent.mkdir(parents=True, exist_ok=True)
        r = random.Random(f"{seed}/wild/file/{index}")
        picture = RENDERERS[shot.scene](shot, r, np.random.default_rng(r.getrandbits(64)))
        ds = dataset.write(job.record, picture, job.encoding, outdir / relative)
        entry = truth_entry(relative, shot.scene, ds, job.record.cleaned_as is not None,
                            [item.as_truth() for item in picture.items])
        written.append(Written(entry, frozenset(picture.fonts)))
    truth = {"generator": GENERATOR, "layouts": "wild", "seed": seed, "count": count,
             "files": [w.entry for w in written]}
    (outdir / "truth.json").write_text(json.dumps(truth, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return written


def generate(outdir: Path, seed: int = 0, count: int = 120) -> Path:
    """Write `count` wild DICOM files and OUTDIR/truth.json; return the truth path."""
    write_archive(outdir, seed, count)
    return Path(outdir) / "truth.json"
