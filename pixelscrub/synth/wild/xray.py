"""X-ray images with text in their corners: XA/RF runs, CR/DX/MG radiographs, CT/MR localizers.

Radiographs and localizers are 16-bit with 10 to 14 stored bits; their text is
burned in at the value a display shows as white (the largest stored value in
MONOCHROME2, zero in MONOCHROME1), or black on a light panel, over anatomy
rather than a flat banner. Lead side markers and scan range labels sit over
the image itself.
"""

from __future__ import annotations

import random

import numpy as np

from pixelscrub.synth import backgrounds
from pixelscrub.synth.wild import anatomy, looks, words
from pixelscrub.synth.fonts import FAMILIES
from pixelscrub.synth.wild.fields import Fields
from pixelscrub.synth.wild.layout import Canvas, Line, Pen, block_size, measure
from pixelscrub.synth.wild.shot import Picture, Shot

WHITE, GREY, BLACK = (255, 255, 255), (200, 200, 200), (0, 0, 0)
PART_WORDS = {"chest": 0, "hand": 4, "knee": 3}  # anatomy -> its place in words.XRAY_PARTS
DICOM_PARTS = {"chest": "CHEST", "hand": "HAND", "knee": "KNEE"}


def _who(fields: Fields, r: random.Random) -> list[Line]:
    lines = [fields.name(), fields.patient_id()]
    birth = fields.birth()
    lines.append(birth + fields.age() if r.random() < 0.5 else birth)
    return lines


def _where(fields: Fields, r: random.Random) -> list[Line]:
    lines = [fields.institution(), fields.day(), fields.clock()]
    if r.random() < 0.4:
        lines.append(fields.accession())
    return lines


def _grey_pen(r: random.Random, family: str, low: int, high: int, halo_chance: float) -> Pen:
    """A pen for grey images: white or light grey, now and then outlined in black."""
    return looks.pen(r, family, low, high, r.choice((WHITE, WHITE, GREY)), halo_chance=halo_chance)


def fluoro(shot: Shot, r: random.Random, rng: np.random.Generator) -> Picture:
    """A round fluoroscopy field with patient text above and technique below, on every frame of a run."""
    angio = shot.scene == "xa"
    size = 1024 if shot.frames == 1 and r.random() < 0.3 else 512
    fields = Fields.draw(shot.visit, shot.acquired, r)
    scale = size / 512
    pen = _grey_pen(r, shot.family, round(7 * scale), round(14 * scale), 0.3)
    kv, ma = r.randint(60, 110), r.uniform(3, 30)
    fps = r.choice((7.5, 15, 30)) if angio else r.choice((3, 4, 7.5, 15))
    lang = shot.visit.language
    technique = [[(f"{kv} kV", "clinical"), (f"{ma:.1f} mA", "clinical")],
                 [(f"{fps:g} {r.choice(('fps', 'i/s', 'B/s', 'p/s'))}", "clinical")],
                 [(r.choice(("DSA", "Cine", "Fluoro", "Roadmap", "FL Low", "Record")), "clinical")]]
    if angio:
        lateral, cranial = r.randint(-45, 45), r.randint(-35, 35)
        view = [[(f"{'LAO' if lateral >= 0 else 'RAO'} {abs(lateral)}", "clinical"),
                 (f"{'CRA' if cranial >= 0 else 'CAU'} {abs(cranial)}", "clinical")]]
        attributes: dict[str, object] = {"PositionerPrimaryAngle": lateral, "PositionerSecondaryAngle": cranial}
    else:
        view = [[(r.choice(("AP", "PA", "LAT", "OBL")), "clinical")]]
        attributes = {}
    view.append([(f"SID {r.randint(95, 120)} cm", "clinical")])
    if r.random() < 0.5:
        view.append([(f"{words.MEASURE['length'][lang]} {r.uniform(2, 30):.1f} mm", "clinical")])
    if r.random() < 0.4:
        technique.append(fields.staff_initials())
    canvas = Canvas(size, size)
    margin = r.randint(3, 10)
    pen = canvas.corners({"tl": _who(fields, r), "tr": _where(fields, r), "bl": technique, "br": view}, pen, margin)
    if shot.frames > 1:  # a frame counter above the bottom-right block, changing on every frame
        label = r.choice(("F", "Fr", "Img", "#"))
        counters = [[(f"{label} {i + 1}/{shot.frames}", "clinical")] for i in range(shot.frames)]
        bottom = size - margin - block_size(view, pen)[1] - pen.leading() - 2
        below = max(measure(counter, pen)[2] for counter in counters)
        for i, counter in enumerate(counters):
            canvas.line(counter, size - 1 - margin, bottom - below, pen, align="right", frames=(i,))
    grey = backgrounds.fluoroscopy(size, shot.frames, rng, vessels=angio)
    frames = np.stack([canvas.over_grey(frame, 255, i) for i, frame in enumerate(grey)])
    attributes |= {"KVP": str(kv), "XRayTubeCurrent": round(ma), "DistanceSourceToDetector": "1100"}
    if shot.frames > 1:
        attributes |= {"CineRate": round(fps), "FrameTime": f"{1000 / fps:.2f}"}
    return Picture(frames, canvas.items, canvas.fonts, "MONOCHROME2", 8, attributes)


def _stored(display: np.ndarray, canvas: Canvas, bits: int, mono1: bool) -> np.ndarray:
    """Display brightness (0..1) with the overlay, as stored values: MONOCHROME1 stores white as 0."""
    white = (1 << bits) - 1
    drawn = canvas.over_grey(np.rint(display * white).astype(np.uint16), white)
    return (white - drawn if mono1 else drawn)[None]


def _radiograph_size(r: random.Random) -> tuple[int, int]:
    return r.choice(((768, 960), (880, 1100), (1024, 1280), (1200, 1500))) if r.random() > 0.1 else (2000, 2500)


def radiograph(shot: Shot, r: random.Random, rng: np.random.Generator) -> Picture:
    """A CR or DX radiograph: patient and site in the top corners, exposure below, a lead side marker."""
    part = r.choice(tuple(PART_WORDS))
    w, h = _radiograph_size(r)
    bits, mono1 = r.randint(10, 14), r.random() < 0.4
    fields = Fields.draw(shot.visit, shot.acquired, r)
    lang = shot.visit.language
    scale = w / 1024
    pen = _grey_pen(r, shot.family, max(8, round(9 * scale)), min(20, round(16 * scale)), 0.35)
    view = r.choice(("PA", "AP", "LAT")) if part == "chest" else r.choice(("PA", "LAT", "OBL", "AP"))
    kv, mas = r.randint(50, 125), r.uniform(0.8, 12)
    exposure = [[(f"{kv} kVp", "clinical"), (f"{mas:.1f} mAs", "clinical")],
                [(r.choice((f"EI {r.randint(150, 900)}", f"S {r.randint(100, 600)}", f"DI {r.uniform(-2, 2):+.1f}",
                            f"REX {r.randint(200, 900)}")), "clinical")]]
    if r.random() < 0.5:
        exposure.append(fields.operator())
    body = [[(words.XRAY_PARTS[lang][PART_WORDS[part]], "clinical"), (view, "clinical")]]
    canvas = Canvas(w, h)
    margin = r.randint(6, 30)
    who, where = _who(fields, r), _where(fields, r)
    if r.random() < 0.3:  # some systems print on a black strip along the top
        pen = pen.but(effect=None)
        strip = margin + max(block_size(who, pen)[1], block_size(where, pen)[1]) + pen.cap
        canvas.fill(0, 0, w, strip, BLACK)
    canvas.corners({"tl": who, "tr": where, "bl": exposure, "br": body}, pen, margin)
    marker = looks.pen(r, r.choice(FAMILIES), 18, 20, WHITE, styles=("sans",), halo_chance=0.5)
    side = [(r.choice(words.SIDES[lang]), "clinical")]  # the lead marker, in the film's corner of the field
    canvas.line(side, r.randint(w // 10, w // 5), round(h * r.uniform(0.2, 0.3)), marker)
    display = anatomy.radiograph(part, w, h, rng)
    attributes = {
        "BodyPartExamined": DICOM_PARTS[part], "ViewPosition": view if view != "OBL" else "",
        "KVP": str(kv), "ExposureInuAs": round(mas * 1000), "ImagerPixelSpacing": ["0.15", "0.15"],
        "PresentationLUTShape": "INVERSE" if mono1 else "IDENTITY",
        "WindowCenter": str(1 << (bits - 1)), "WindowWidth": str(1 << bits),
    }
    return Picture(_stored(display, canvas, bits, mono1), canvas.items, canvas.fonts,
                   "MONOCHROME1" if mono1 else "MONOCHROME2", bits, attributes)


def mammogram(shot: Shot, r: random.Random, rng: np.random.Generator) -> Picture:
    """An MG view: the breast against one edge, laterality and view large on the other side, patient text there."""
    w, h = r.choice(((800, 1000), (1000, 1250), (1200, 1500))) if r.random() > 0.1 else (2000, 2500)
    right, view = r.random() < 0.5, r.choice(("CC", "MLO"))
    bits, mono1 = r.choice((12, 14)), r.random() < 0.3
    fields = Fields.draw(shot.visit, shot.acquired, r)
    scale = w / 1024
    pen = _grey_pen(r, shot.family, max(8, round(8 * scale)), min(20, round(14 * scale)), 0.2)
    side = "R" if right else "L"
    canvas = Canvas(w, h)
    margin = r.randint(8, 30)
    # The breast takes the chest-wall side; text stays on the far half.
    area = (0, 0, w // 2, h) if right else (w // 2, 0, w, h)
    technique = [[(f"{r.randint(25, 34)} kV", "clinical"), (f"{r.randint(40, 200)} mAs", "clinical")],
                 [(r.choice(("W/Rh", "Mo/Mo", "W/Ag", "Mo/Rh")), "clinical")],
                 [(f"{r.randint(40, 75)} mm", "clinical"), (f"{r.randint(60, 160)} N", "clinical")]]
    big = looks.pen(r, r.choice(FAMILIES), 18, 20, WHITE, styles=("sans",))
    label = [(f"{side} {view}" if r.random() < 0.5 else f"{side}{view}", "clinical")]
    lines = _who(fields, r) + [fields.day()]
    # The breast fills the chest-wall side; text keeps to the corners of the other half, over air.
    far, area = ("l", (0, 0, w // 2, h)) if right else ("r", (w // 2, 0, w, h))
    pen = canvas.corners({f"t{far}": lines, f"b{far}": technique}, pen, margin, area)
    label_w, above, _ = measure(label, big)
    x = margin if right else w - 1 - margin - label_w
    canvas.line(label, x, margin + block_size(lines, pen)[1] + 2 * big.cap + above, big)
    display = anatomy.mammogram(w, h, view, right, rng)
    attributes = {
        "BodyPartExamined": "BREAST", "ImageLaterality": side, "ViewPosition": view, "KVP": str(r.randint(25, 34)),
        "PresentationLUTShape": "INVERSE" if mono1 else "IDENTITY", "ImagerPixelSpacing": ["0.1", "0.1"],
        "WindowCenter": str(1 << (bits - 2)), "WindowWidth": str(1 << (bits - 1)),
    }
    return Picture(_stored(display, canvas, bits, mono1), canvas.items, canvas.fonts,
                   "MONOCHROME1" if mono1 else "MONOCHROME2", bits, attributes)


def localizer(shot: Shot, r: random.Random, rng: np.random.Generator) -> Picture:
    """A CT scout or an MR localizer: patient text in a corner, planned range lines labelled over the body."""
    kind = "CT" if shot.scene == "ct_localizer" else "MR"
    w, h = (512, r.choice((512, 640, 800))) if kind == "CT" else r.choice(((384, 384), (512, 512)))
    fields = Fields.draw(shot.visit, shot.acquired, r)
    pen = _grey_pen(r, shot.family, 7, round(10 * w / 512) + 2, 0.5)
    canvas = Canvas(w, h)
    blocks = {"tl": [fields.name(), fields.patient_id()], "tr": [fields.day(), fields.clock()],
              "bl": [[(r.choice(("TOPO", "SCOUT", "Topogram", "Localizer", "LOC", "Survey")), "clinical")]],
              "br": [[("120 kV" if kind == "CT" else f"TR {r.randint(4, 9)}.{r.randint(0, 9)}", "clinical")]]}
    if r.random() < 0.5:
        blocks["tl"].append(fields.birth())
    pen = canvas.corners(blocks, pen, r.randint(3, 8))
    # The planned scan range: two lines across the body, each labelled with its table position.
    body_pen = pen.but(effect=looks.halo(r, pen.colour, 1.0))
    top, bottom = round(h * r.uniform(0.3, 0.4)), round(h * r.uniform(0.6, 0.72))
    for row, position in ((top, r.uniform(-300, 0)), (bottom, r.uniform(0, 400))):
        canvas.fill(w // 5, row, w * 3 // 5, 1, WHITE)
        canvas.line([(f"{position:.1f}", "clinical")], w * 4 // 5 + 4, row + body_pen.cap // 2, body_pen)
    if r.random() < 0.7:  # the patient's name printed across the body, as some consoles do
        name = fields.name()
        nw = measure(name, body_pen)[0]
        if nw < w * 0.55:
            canvas.line(name, (w - nw) // 2, (top + bottom) // 2, body_pen)
    display = anatomy.localizer(kind, w, h, rng)
    attributes = {"ImageType": ["ORIGINAL", "PRIMARY", "LOCALIZER"], "WindowCenter": "1024", "WindowWidth": "2048"}
    if kind == "CT":
        attributes |= {"KVP": "120", "RescaleIntercept": "-1024", "RescaleSlope": "1", "RescaleType": "HU"}
    return Picture(_stored(display, canvas, 12, False), canvas.items, canvas.fonts, "MONOCHROME2", 12, attributes)
