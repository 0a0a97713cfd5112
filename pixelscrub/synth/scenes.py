"""Image scenes: a background plus the text a device burns into it.

Each renderer lays out fields the way one family of devices does (a coloured
banner, corner text, a report page) and returns the frames with one truth item
per text fragment, plus the header attributes that must agree with the pixels.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

import cv2
import numpy as np

from pixelscrub.synth import backgrounds, formats
from pixelscrub.synth.people import Visit
from pixelscrub.synth.text import TRUETYPE, Colour, Font, Item, Overlay, ink, width

COLOURS = {
    "white": (245, 245, 245),
    "yellow": (250, 225, 60),
    "green": (90, 235, 110),
    "cyan": (60, 225, 235),
    "light_grey": (200, 200, 200),
    "orange": (255, 160, 40),
}
DARK = (20, 24, 40)


@dataclass(frozen=True)
class Device:
    manufacturer: str
    model: str
    station: str
    style: str  # a key of US_STYLES for ultrasound; "console" or "document" for summary pages


@dataclass(frozen=True)
class UsStyle:
    """One ultrasound vendor's screen: where the banner sits, its fonts and formats."""

    manufacturer: str
    model: str
    size: tuple[int, int]
    banner: str  # "bar" (coloured), "light" (dark text on light grey) or "black"
    banner_colour: Colour
    text_colour: Colour
    label_colour: Colour
    param_colour: Colour
    face: str
    param_face: str
    labels: bool
    name_style: str
    date_style: str
    time_style: str
    panel: str  # side of the acquisition-parameter column
    smooth: bool = True


US_STYLES = {
    "bar": UsStyle("Synthsono", "Vista 7", (640, 480), "bar", (22, 45, 110), COLOURS["white"],
                   COLOURS["light_grey"], COLOURS["light_grey"], "dejavu_sans", "dejavu_mono", True,
                   "family_comma_given", "us", "24h", "left"),
    "black": UsStyle("Acme Imaging", "AU-500", (800, 600), "black", (0, 0, 0), COLOURS["white"],
                     COLOURS["light_grey"], COLOURS["cyan"], "hershey_simplex", "hershey_simplex", False,
                     "family_given", "day_mon_year", "12h", "right"),
    "light": UsStyle("Nordsonic Demo", "NS Pro", (800, 600), "light", (205, 205, 200), DARK,
                     (70, 70, 90), COLOURS["yellow"], "dejavu_bold", "dejavu_sans", True,
                     "dicom", "dotted", "24h", "left"),
    "plain": UsStyle("Placebo Medical", "Echo One", (640, 480), "black", (0, 0, 0), COLOURS["orange"],
                     COLOURS["light_grey"], COLOURS["green"], "hershey_duplex", "hershey_plain", False,
                     "given_family", "iso", "24h_short", "right", smooth=False),
}
OTHER_DEVICES = {
    "XA": (("Acme Imaging", "AngioStar 3"), ("Synthsono", "CardioView X")),
    "RF": (("Acme Imaging", "FluoroMax 2"), ("Placebo Medical", "RF Suite")),
    "CT": (("Acme Imaging", "Slicewise 64"), ("Nordsonic Demo", "CT Pro 128")),
    "MR": (("Acme Imaging", "Magnetix 1.5T"), ("Placebo Medical", "MR Vision 3T")),
}


@dataclass(frozen=True)
class Region:
    """The ultrasound data area, as SequenceOfUltrasoundRegions describes it."""

    box: tuple[int, int, int, int]  # x0, y0, x1, y1 inclusive
    apex: tuple[int, int]
    cm_per_pixel: float


@dataclass(frozen=True)
class Shot:
    """One image to draw: whose, from which device, when, and how labelled."""

    scene: str
    visit: Visit
    device: Device
    acquired: dt.datetime
    instance: int
    frames: int
    labelled: bool  # force "Name:"-style labels (cleaned headers keep a labelled name on screen)


@dataclass
class Scene:
    frames: np.ndarray  # (F, H, W, 3) uint8 RGB, or (F, H, W) grey
    items: list[Item]
    attributes: dict[str, object] = field(default_factory=dict)  # header values the pixels show
    region: Region | None = None


def pick_device(modality: str, r: random.Random, labelled: bool) -> Device:
    station = f"{modality}{r.randint(1, 9):02d}"
    if modality == "US":
        name = r.choice([name for name, style in US_STYLES.items() if style.labels or not labelled])
        return Device(US_STYLES[name].manufacturer, US_STYLES[name].model, station, name)
    manufacturer, model = r.choice(OTHER_DEVICES[modality])
    return Device(manufacturer, model, station, r.choice(("console", "document")))


def render(shot: Shot, r: random.Random) -> Scene:
    rng = np.random.default_rng(r.getrandbits(64))
    return RENDERERS[shot.scene](shot, r, rng)


# Layout helpers ------------------------------------------------------------

Part = tuple[str, str]  # text, kind


def _gap(kind: str, font: Font) -> int:
    return max(3, font.height // 2) if kind == "label" else font.height * 3 // 2


def _row_width(parts: list[Part], font: Font) -> int:
    return sum(width(t, font) for t, _ in parts) + sum(_gap(k, font) for _, k in parts[:-1])


def _fit(face: str, height: int, rows: list[list[Part]], room: int, smooth: bool = True) -> Font:
    """The largest font up to `height` (down to 9 px) whose rows all fit in `room` pixels."""
    font = Font(face, height, smooth)
    while font.height > 9 and max(_row_width(row, font) for row in rows) > room:
        font = Font(face, font.height - 1, smooth)
    return font


def _row(ov: Overlay, parts: list[Part], x: int, baseline: int, font: Font, colour: Colour,
         label_colour: Colour | None = None, align: str = "left", frames: str | tuple[int, ...] = "all") -> None:
    """Place label/value fragments on one line, left- or right-aligned at x."""
    left = x - _row_width(parts, font) + 1 if align == "right" else x
    for text, kind in parts:
        tint = label_colour if kind == "label" and label_colour else colour
        item = ov.text(text, left, baseline, font, tint, kind, frames=frames)
        left = item.box[0] + item.box[2] + _gap(kind, font)


def _texts(*rows: list[Part]) -> list[str]:
    return [text for row in rows for text, _ in row]


def _top_baseline(texts: list[str], font: Font, top: int) -> int:
    """Baseline that puts the tallest ink of the line exactly on row `top`."""
    return top + max(ink(t, font).baseline for t in texts)


def _bottom_baseline(texts: list[str], font: Font, bottom: int) -> int:
    """Baseline that puts the lowest ink of the line exactly on row `bottom`."""
    return bottom - max(ink(t, font).mask.shape[0] - 1 - ink(t, font).baseline for t in texts)


def _name_style(r: random.Random, face: str) -> str:
    """Hershey fonts have no caret, so "DOE^JANE" only ever appears in TrueType text."""
    return r.choice([s for s in formats.NAME_STYLES if s != "dicom" or face in TRUETYPE])


def _labelled(label: str, text: str, kind: str, labels: bool) -> list[Part]:
    return [(label, "label"), (text, kind)] if labels else [(text, kind)]


def _rgb(grey: np.ndarray) -> np.ndarray:
    return np.repeat(grey[..., None], 3, axis=-1)


def _grey(frames: np.ndarray) -> np.ndarray:
    return np.stack([cv2.cvtColor(f, cv2.COLOR_RGB2GRAY) for f in frames])


# Ultrasound ----------------------------------------------------------------

PROBES = (("convex", "C5-1", (14, 16, 18, 20)), ("phased", "S5-1", (12, 14, 16, 18)), ("linear", "L12-5", (4, 5, 6)))


def _us_banner(shot: Shot, style: UsStyle, labels: bool, r: random.Random) -> tuple[list[Part], ...]:
    """Two lines of who/where (left) and when/where (right), in the vendor's formats."""
    visit, patient = shot.visit, shot.visit.patient
    left1 = _labelled("Name:", formats.name(patient.person, style.name_style), "name", labels)
    left1 += _labelled("ID:", patient.patient_id, "id", labels)
    left2 = _labelled("DOB:", formats.date(patient.birth, style.date_style), "date", labels)
    left2.append((formats.age(visit.age, r.choice(formats.AGE_STYLES)), "age"))
    referring = formats.physician(visit.referring, "family_initial" if labels else "doctor")
    left2 += [("Ref:", "label"), *referring] if labels else referring
    right1 = [(visit.institution, "institution")]
    right2 = [(formats.date(shot.acquired.date(), style.date_style), "date"),
              (formats.time(shot.acquired.time(), style.time_style), "time")]
    return left1, right1, left2, right2


def _calipers(sec: backgrounds.Sector, cm_per_px: float, rng: np.random.Generator) -> tuple[tuple, str]:
    """Two caliper points in the middle depths, and the distance the device reports between them."""
    x0, y0, x1, y1 = sec.box
    band = sec.mask.copy()
    band[: y0 + (y1 - y0) // 3] = band[y1 - (y1 - y0) // 4 :] = False
    ys, xs = np.nonzero(band)
    a, b = rng.choice(len(xs), 2, replace=False)
    points = ((int(xs[a]), int(ys[a])), (int(xs[b]), int(ys[b])))
    return points, f"Dist {np.hypot(xs[a] - xs[b], ys[a] - ys[b]) * cm_per_px:.2f} cm"


def _us(shot: Shot, r: random.Random, rng: np.random.Generator) -> Scene:
    """A B-mode screen: banner, fan, depth ticks, grey bar, parameter column, measurements."""
    style = US_STYLES[shot.device.style]
    w, h = style.size
    margin, edge = r.randint(3, 6), r.randint(0, 2)
    left1, right1, left2, right2 = _us_banner(shot, style, style.labels or shot.labelled, r)
    font = _fit(style.face, r.randint(11, 14), [left1 + right1, left2 + right2], w - 2 * margin - 40, style.smooth)
    base1 = _top_baseline(_texts(left1, right1), font, margin + (0 if style.banner == "black" else 2))
    base2 = base1 + round(font.height * 1.9)
    banner_h = base2 + font.height + margin

    probe_kind, probe, depths = r.choice(PROBES)
    depth_cm, frame_rate = r.choice(depths), r.choice((18, 24, 28, 33, 45, 60))
    mi, tis = r.uniform(0.6, 1.4), r.uniform(0.1, 1.2)
    params = [style.model, probe, "2D", f"Gn {r.randint(40, 80)}", f"DR {r.choice((55, 60, 65, 70, 75))}",
              f"FR {frame_rate}Hz", f"{depth_cm}cm", f"MI {mi:.1f}", f"TIS {tis:.1f}"]
    pfont = Font(style.param_face, r.randint(9, 11), style.smooth)
    volume = f"Vol {r.uniform(3, 80):.1f} ml"
    column = max(width(p, pfont) for p in [*params, "Dist 99.99 cm", volume]) + 2 * margin
    gutter, bottom = 64, h - 28  # room right of the fan for ticks and grey bar, below it for a counter
    if style.panel == "left":
        column_x, fan_area = margin, (column + 12, banner_h + 10, w - gutter - 4, bottom)
    else:
        column_x, fan_area = w - column + margin, (16, banner_h + 10, w - column - gutter - 4, bottom)
    sec = backgrounds.sector(w, h, fan_area, probe_kind, r.uniform(33, 42))
    x0, y0, x1, y1 = sec.box
    ov = Overlay(w, h, keep_out=((x0, y0, x1 - x0 + 1, y1 - y0 + 1),))
    if style.banner != "black":
        ov.fill(0, 0, w, banner_h, style.banner_colour)
    tick_colour, cm = COLOURS["light_grey"], sec.depth_px / depth_cm
    for k in range(1, depth_cm + 1):
        ov.fill(x1 + 4, round(sec.skin + k * cm) - 1, 7 if k % 5 == 0 else 4, 2, tick_colour)
    ov.fill(x1 + 46, y0, 8, 100, _rgb(np.linspace(255, 0, 100).round().astype(np.uint8)[:, None].repeat(8, 1)))
    step = round(pfont.height * 1.8)
    meas_base = _bottom_baseline(["Dist 3.42 cm", volume], pfont, h - margin - 4) - step
    if r.random() < 0.5:
        box_w, box_h = column - 2 * margin + 6, step + pfont.height + 12
        ov.fill(column_x - 3, meas_base - pfont.height - 5, box_w, box_h, (45, 45, 45))

    _row(ov, left1, margin, base1, font, style.text_colour, style.label_colour)
    _row(ov, right1, w - 1 - edge, base1, font, style.text_colour, align="right")
    _row(ov, left2, margin, base2, font, style.text_colour, style.label_colour)
    _row(ov, right2, w - 1 - edge, base2, font, style.text_colour, align="right")
    for i, p in enumerate(params):
        ov.text(p, column_x, banner_h + 8 + pfont.height + i * step, pfont, style.param_colour, "clinical")
    if style.face.startswith("hershey"):
        for k in range(5, depth_cm + 1, 5):
            ov.text(str(k), x1 + 14, round(sec.skin + k * cm) + pfont.height // 2, pfont, tick_colour, "clinical")

    calipers, distance = _calipers(sec, depth_cm / sec.depth_px, rng)
    ov.text(distance, column_x, meas_base, pfont, COLOURS["yellow"], "clinical")
    ov.text(volume, column_x, meas_base + step, pfont, COLOURS["yellow"], "clinical")

    if shot.frames > 1:
        counters = [f"{i + 1}/{shot.frames}" for i in range(shot.frames)]
        base = _bottom_baseline(counters, pfont, h - 1 - edge)
        x, align = (w - 1 - edge, "right") if style.panel == "left" else (edge, "left")
        for i, counter in enumerate(counters):
            _row(ov, [(counter, "clinical")], x, base, pfont, style.param_colour, align=align, frames=(i,))

    frames = []
    for i, frame in enumerate(_rgb(backgrounds.speckle(sec, shot.frames, rng))):
        for point in calipers:
            cv2.drawMarker(frame, point, COLOURS["yellow"], cv2.MARKER_CROSS, 11, 1)
        frames.append(ov.over(frame, i))
    attributes: dict[str, object] = {
        "TransducerData": [probe, "", ""],
        "DepthOfScanField": depth_cm * 10,
        "MechanicalIndex": f"{mi:.1f}",
        "SoftTissueThermalIndex": f"{tis:.1f}",
    }
    if shot.frames > 1:
        attributes |= {"CineRate": frame_rate, "FrameTime": f"{1000 / frame_rate:.2f}"}
    return Scene(np.stack(frames), ov.items, attributes, Region(sec.box, sec.apex, depth_cm / sec.depth_px))


# Screen and secondary captures --------------------------------------------


def _screen_capture(shot: Shot, r: random.Random, rng: np.random.Generator) -> Scene:
    """A reporting workstation's window: title bar, patient strip, details panel, results list."""
    visit, patient = shot.visit, shot.visit.patient
    w, h = 640, 480
    edge = r.randint(0, 2)
    face, bold = r.choice((("dejavu_sans", "dejavu_bold"), ("dejavu_sans", "dejavu_sans"),
                           ("hershey_simplex", "hershey_duplex")))
    date_style = r.choice(formats.DATE_STYLES[:5])
    name = formats.name(patient.person, r.choice(("family_comma_given", "family_given")))
    strip = [("Patient:", "label"), (name, "name"), ("MRN:", "label"), (patient.patient_id, "id"),
             ("DOB:", "label"), (formats.date(patient.birth, date_style), "date"),
             (formats.age(visit.age, "compact"), "age")]
    details = [
        [("Referring:", "label"), *formats.physician(visit.referring, "doctor")],
        [("Study date:", "label"), (formats.date(visit.start.date(), date_style), "date")],
        [("Study time:", "label"), (formats.time(visit.start.time(), r.choice(formats.TIME_STYLES[:2])), "time")],
        [("Accession:", "label"), (visit.accession, "id")],
        [(visit.institution, "institution")],
    ]
    results = [f"LVEF {r.randint(35, 70)} %", f"LVIDd {r.uniform(3.8, 6.0):.1f} cm",
               f"IVSd {r.uniform(0.7, 1.4):.1f} cm", f"LVPWd {r.uniform(0.7, 1.3):.1f} cm",
               f"E/A {r.uniform(0.6, 2.0):.1f}", f"TAPSE {r.uniform(1.5, 2.8):.1f} cm",
               f"Hb {r.uniform(9.5, 16.5):.1f} g/dL"]
    panel_w = w * 2 // 5
    big = _fit(bold, r.randint(10, 13), [strip], w - 20)
    font = _fit(face, r.randint(9, 12), details, panel_w - 24)
    small = Font("dejavu_sans", 10)
    title_h, strip_h, status_h = 24, round(big.height * 2.6), 20
    body_top, body_h = title_h + strip_h, h - title_h - strip_h - status_h
    step = round(font.height * 2.2)

    ov = Overlay(w, h)
    ov.fill(0, 0, w, title_h, (48, 52, 60))
    ov.fill(0, title_h, w, strip_h, (222, 230, 242))
    ov.fill(0, body_top, panel_w, body_h, (240, 240, 238))
    ov.fill(panel_w, body_top, w - panel_w, body_h, (252, 252, 252))
    ov.fill(0, h - status_h, w, status_h, (48, 52, 60))
    ov.fill(panel_w + 16, body_top + 12, w - panel_w - 32, step, (205, 222, 240))
    thumb_top = body_top + 16 + len(details) * step
    thumb_w, thumb_h = panel_w - 24, min(150, h - status_h - 10 - thumb_top)
    sec = backgrounds.sector(thumb_w, thumb_h, (0, 0, thumb_w - 1, thumb_h - 1), "phased", 40)
    ov.fill(12, thumb_top, thumb_w, thumb_h, _rgb(backgrounds.speckle(sec, 1, rng)[0]))

    title = [(f"{shot.device.model} - Report", "clinical")]
    _row(ov, title, 8, _top_baseline(_texts(title), small, 7), small, COLOURS["white"])
    clock = [(formats.time(shot.acquired.time(), "24h_short"), "time")]
    _row(ov, clock, w - 1 - edge, _top_baseline(_texts(clock), small, edge), small, COLOURS["white"], align="right")
    _row(ov, strip, 10, title_h + strip_h // 2 + big.height // 2, big, DARK, (70, 80, 100))
    y = body_top + 12 + font.height + 4
    for parts in details:
        _row(ov, parts, 12, y, font, DARK, (90, 90, 90))
        y += step
    y = body_top + 12 + step // 2 + font.height // 2
    for value in ["Measurement", *results]:
        _row(ov, [(value, "clinical")], panel_w + 24, y, font, DARK)
        y += step
    status = [("Saved to archive", "clinical")]
    _row(ov, status, 8, _bottom_baseline(_texts(status), small, h - 1 - edge), small, COLOURS["light_grey"])
    return Scene(ov.over(np.zeros((h, w, 3), np.uint8), 0)[None], ov.items)


def _secondary_capture(shot: Shot, r: random.Random, rng: np.random.Generator) -> Scene:
    """A summary page saved as an image: a console (light on black) or a printed-looking document."""
    visit, patient = shot.visit, shot.visit.patient
    console = shot.device.style == "console"
    w, h = (640, 480) if console else (800, 600)
    edge = r.randint(0, 2)
    if console:
        face = r.choice(("dejavu_mono", "hershey_plain", "hershey_simplex"))
        ink_colour, label_colour = COLOURS[r.choice(("green", "white", "cyan"))], COLOURS["light_grey"]
        paper = (0, 0, 0)
        title = "HEMODYNAMIC SUMMARY"
        results = [f"AO {r.randint(100, 150)}/{r.randint(60, 90)} mmHg",
                   f"LV {r.randint(100, 150)}/{r.randint(4, 18)} mmHg",
                   f"HR {r.randint(55, 110)} bpm", f"SaO2 {r.randint(90, 99)} %",
                   f"CO {r.uniform(3.5, 7.0):.1f} L/min", f"Hb {r.uniform(9.5, 16.5):.1f} g/dL"]
    else:
        face = r.choice(("dejavu_sans", "dejavu_bold", "hershey_complex"))
        ink_colour, label_colour, paper = DARK, (90, 90, 90), (250, 250, 246)
        title = "LABORATORY RESULTS"
        results = [f"Hb {r.uniform(9.5, 16.5):.1f} g/dL", f"WBC {r.uniform(4, 11):.1f} K/uL",
                   f"PLT {r.randint(150, 400)} K/uL", f"Na {r.randint(134, 146)} mmol/L",
                   f"K {r.uniform(3.4, 5.2):.1f} mmol/L", f"Creat {r.uniform(0.6, 1.4):.2f} mg/dL"]
    labels = shot.labelled or r.random() < 0.7
    date_style = r.choice(formats.DATE_STYLES)
    lines = [
        [*_labelled("Patient:", formats.name(patient.person, _name_style(r, face)), "name", labels),
         *_labelled("ID:", patient.patient_id, "id", labels)],
        [*_labelled("DOB:", formats.date(patient.birth, date_style), "date", labels),
         *([("Ref:", "label")] if labels else []),
         *formats.physician(visit.referring, r.choice(formats.PHYSICIAN_STYLES))],
        [*_labelled("Date:", formats.date(shot.acquired.date(), date_style), "date", labels),
         (formats.time(shot.acquired.time(), r.choice(formats.TIME_STYLES)), "time")],
    ]
    font = _fit(face, r.randint(10, 13), lines, w - 48)
    title_font = Font(face, r.randint(16, 20))
    step = round(font.height * 2.1)

    ov = Overlay(w, h)
    header = [(visit.institution, "institution")]
    y = _top_baseline(_texts(header), font, edge)
    _row(ov, header, w // 2 - width(visit.institution, font) // 2, y, font, ink_colour)
    y += round(title_font.height * 2.4)
    _row(ov, [(title, "clinical")], 24, y, title_font, ink_colour)
    y += round(title_font.height * 1.2) + step
    for parts in lines:
        _row(ov, parts, 24, y, font, ink_colour, label_colour)
        y += step
    y += step // 2
    for value in results:
        _row(ov, [(value, "clinical")], 40, y, font, ink_colour)
        y += step
    page = [("Page 1 of 1", "clinical")]
    _row(ov, page, w - 1 - edge, _bottom_baseline(_texts(page), font, h - 1 - edge), font, label_colour, align="right")

    image = np.full((h, w, 3), paper, np.uint8)
    if console:
        t = np.arange(240)
        beat = 60 * np.maximum(0, np.sin(2 * np.pi * t / 60)) ** 3 + rng.normal(0, 1.0, t.size)
        trace = np.stack([w - 270 + t, 330 - beat], axis=1).round().astype(np.int32)
        cv2.polylines(image, [trace], False, COLOURS["orange"], 1, cv2.LINE_AA)
    return Scene(ov.over(image, 0)[None], ov.items)


# X-ray angiography and fluoroscopy -----------------------------------------


def _xray(shot: Shot, r: random.Random, rng: np.random.Generator) -> Scene:
    """Corner text over a round fluoroscopy field: who and where on top, technique below."""
    visit, patient = shot.visit, shot.visit.patient
    size = 512
    angio = shot.scene == "xa"
    labels = shot.labelled or r.random() < 0.5
    colour = COLOURS[r.choice(("white", "light_grey", "yellow"))]
    edge, margin = r.randint(0, 2), r.randint(3, 8)
    date_style = r.choice(formats.DATE_STYLES)
    kv, ma = r.randint(65, 110), r.uniform(4, 25)
    fps = r.choice((7.5, 15, 30)) if angio else r.choice((3, 7.5, 15))
    face = r.choice(("hershey_simplex", "hershey_duplex", "dejavu_sans", "dejavu_mono"))
    top_left = [
        _labelled("Name:", formats.name(patient.person, _name_style(r, face)), "name", labels),
        _labelled("ID:", patient.patient_id, "id", labels),
        [*_labelled("DOB:", formats.date(patient.birth, date_style), "date", labels),
         (formats.age(visit.age, r.choice(formats.AGE_STYLES)), "age")],
    ]
    top_right = [
        [(visit.institution, "institution")],
        [(formats.date(shot.acquired.date(), date_style), "date")],
        [(formats.time(shot.acquired.time(), r.choice(formats.TIME_STYLES)), "time")],
    ]
    attributes: dict[str, object] = {"KVP": str(kv), "XRayTubeCurrent": round(ma), "DistanceSourceToDetector": "1100"}
    bottom_left = [[(f"{kv} kV {ma:.1f} mA", "clinical")], [(f"{fps:g} fps", "clinical")]]
    if angio:
        lateral, cranial = r.randint(-45, 45), r.randint(-35, 35)
        side, tilt = "LAO" if lateral >= 0 else "RAO", "CRA" if cranial >= 0 else "CAU"
        projection = f"{side} {abs(lateral)} {tilt} {abs(cranial)}"
        bottom_right = [[(projection, "clinical")], [("SID 110 cm", "clinical")]]
        attributes |= {"PositionerPrimaryAngle": lateral, "PositionerSecondaryAngle": cranial}
    else:
        view, dose = r.choice(("AP", "PA", "LAT")), f"Dose {r.uniform(0.5, 9):.1f} mGy"
        bottom_right = [[(view, "clinical")], [(dose, "clinical")]]
    if shot.frames > 1:
        attributes |= {"CineRate": round(fps), "FrameTime": f"{1000 / fps:.2f}"}
    font = _fit(face, r.randint(9, 12), [left + right for left, right in zip(top_left, top_right)],
                size - margin - edge - 24, r.random() < 0.8)
    step = round(font.height * 1.9)

    ov = Overlay(size, size)
    y = _top_baseline(_texts(top_left[0], top_right[0]), font, edge)
    for left, right in zip(top_left, top_right):
        _row(ov, left, margin, y, font, colour, COLOURS["light_grey"])
        _row(ov, right, size - 1 - edge, y, font, colour, align="right")
        y += step
    y = _bottom_baseline(_texts(bottom_left[-1], bottom_right[-1]), font, size - 1 - margin)
    counter_y = y - 2 * step
    for left, right in zip(reversed(bottom_left), reversed(bottom_right)):
        _row(ov, left, margin, y, font, colour)
        _row(ov, right, size - 1 - margin, y, font, colour, align="right")
        y -= step
    if shot.frames > 1:
        for i in range(shot.frames):
            _row(ov, [(f"Fr {i + 1}/{shot.frames}", "clinical")], size - 1 - margin, counter_y, font, colour,
                 align="right", frames=(i,))

    grey = backgrounds.fluoroscopy(size, shot.frames, rng, vessels=angio)
    return Scene(_grey(np.stack([ov.over(f, i) for i, f in enumerate(_rgb(grey))])), ov.items, attributes)


# CT and MR: no burned-in text ----------------------------------------------


def _ct(shot: Shot, r: random.Random, rng: np.random.Generator) -> Scene:
    z = -120.0 + 5.0 * shot.instance
    hu = backgrounds.ct_slice(256, z, rng)
    fov = np.hypot(*np.mgrid[-128:128, -128:128]) < 127
    stored = np.where(fov, np.clip(np.rint(hu) + 1024, 0, 4095), -2000).astype(np.int16)
    attributes = {
        "ImageType": ["ORIGINAL", "PRIMARY", "AXIAL"], "KVP": str(r.choice((100, 120, 140))),
        "RescaleIntercept": "-1024", "RescaleSlope": "1", "RescaleType": "HU",
        "WindowCenter": "40", "WindowWidth": "400", "PixelPaddingValue": -2000,
        "SliceThickness": "5", "PixelSpacing": ["1.5", "1.5"], "SliceLocation": f"{z:g}",
        "ImagePositionPatient": ["-192", "-192", f"{z:g}"], "ImageOrientationPatient": ["1", "0", "0", "0", "1", "0"],
        "AcquisitionNumber": 1,
    }
    return Scene(stored[None], [], attributes)


def _mr(shot: Shot, r: random.Random, rng: np.random.Generator) -> Scene:
    z = -20.0 + 5.0 * shot.instance
    signal = np.rint(backgrounds.mr_slice(256, z, rng)).astype(np.uint16)
    attributes = {
        "ImageType": ["ORIGINAL", "PRIMARY", "AXIAL"], "ScanningSequence": "SE", "SequenceVariant": "NONE",
        "ScanOptions": "", "MRAcquisitionType": "2D", "RepetitionTime": str(r.choice((450, 500, 550))),
        "EchoTime": str(r.choice((10, 12, 15))), "EchoTrainLength": 1, "MagneticFieldStrength": "1.5",
        "WindowCenter": "900", "WindowWidth": "1600", "SliceThickness": "5", "PixelSpacing": ["0.9", "0.9"],
        "SliceLocation": f"{z:g}", "ImagePositionPatient": ["-115", "-115", f"{z:g}"],
        "ImageOrientationPatient": ["1", "0", "0", "0", "1", "0"], "AcquisitionNumber": 1,
    }
    return Scene(signal[None], [], attributes)


RENDERERS = {
    "us_single": _us,
    "us_cine": _us,
    "screen_capture": _screen_capture,
    "secondary_capture": _secondary_capture,
    "xa": _xray,
    "rf": _xray,
    "ct": _ct,
    "mr": _mr,
}
SCENES = tuple(RENDERERS)
