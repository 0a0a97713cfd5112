"""Ultrasound screens of several made-up vendors, laid out at random within each vendor's habits.

The patient banner sits at the top, at the bottom or in a side column, with or
without labels; acquisition parameters fill a column beside the fan, depth
numbers run down its edge, measurements and a status word sit below it, and
sonographers type annotations straight onto the image.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import cv2
import numpy as np

from pixelscrub.synth import backgrounds
from pixelscrub.synth.wild import looks, words
from pixelscrub.synth.fonts import FAMILIES
from pixelscrub.synth.scenes import Region
from pixelscrub.synth.text import Colour
from pixelscrub.synth.wild.fields import Fields
from pixelscrub.synth.wild.layout import Canvas, Line, Pen, block_size, measure, shrink, wrap
from pixelscrub.synth.wild.shot import Picture, Shot, rgb


@dataclass(frozen=True)
class Vendor:
    model: str
    sizes: tuple[tuple[int, int], ...]
    banner: str  # "top", "bottom" or "side"
    fill: Colour | None  # the banner's panel colour; None draws the text straight on black


VENDORS = {
    "Sonaris Medical": Vendor("Aurora 9", ((800, 600), (1024, 768)), "top", (18, 40, 96)),
    "Kestrel Ultrasound": Vendor("KU-3100", ((640, 480), (720, 540)), "bottom", None),
    "Medisonde": Vendor("Vivace S", ((800, 600), (960, 720)), "side", (48, 48, 56)),
    "Halcyon Diagnostics": Vendor("EchoLine 50", ((640, 480), (800, 600)), "top", None),
    "Polarwave": Vendor("PW Sprint", ((320, 240), (480, 360)), "top", None),
    "Tidemark Imaging": Vendor("TM-Cardio 7", ((800, 600), (1024, 768)), "side", (12, 12, 12)),
}
PROBES = (("convex", ("C5-2", "3.5C", "C1-6", "AC2541")), ("phased", ("P4-2", "S4-1", "2.5P")),
          ("linear", ("L12-4", "7L4", "LA523", "L18-5")))


def _number(value: float, digits: int, comma: bool) -> str:
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if comma else text


def _params(shot: Shot, probe: str, depth_cm: int, r: random.Random, comma: bool) -> list[Line]:
    lang = shot.visit.language
    gain, depth = words.MEASURE["gain"][lang], words.MEASURE["depth"][lang]
    lines = [
        probe,
        f"{_number(r.choice((2.5, 3.5, 4.0, 5.0, 7.5, 10.0, 12.0)), 1, comma)} MHz",
        f"{gain} {r.randint(35, 80)}",
        f"DR {r.choice((50, 55, 60, 66, 72))}",
        f"FR {r.choice((12, 18, 24, 31, 45))}Hz",
        f"{depth} {depth_cm} cm",
        f"MI {_number(r.uniform(0.4, 1.4), 1, comma)}",
        f"TIs {_number(r.uniform(0.1, 1.0), 1, comma)}",
        r.choice(("THI", "CHI", "SRI 2", "Harm", "XRES", "Pen")),
    ]
    return [[(text, "clinical")] for text in lines if r.random() < 0.85]


def _banner(fields: Fields, shot: Shot, r: random.Random) -> tuple[list[Line], list[Line]]:
    """Who (left, or first in a column) and where/when/by whom (right, or after), some fields left out."""
    lang = shot.visit.language
    who = [fields.name(), *[f for f in (fields.patient_id(), fields.birth(), fields.age()) if r.random() < 0.8]]
    where = [fields.institution(), fields.day(), fields.clock()]
    extras = [fields.operator(), fields.referring(), fields.exam(r.choice(words.EXAMS[lang])),
              fields.staff_initials(), [(shot.device.model, "clinical")]]
    where += [f for f in extras if r.random() < 0.4]
    return who, where


def _fit_lines(fields: list[Line], keep: int, pen: Pen, room: int, limit: int) -> list[Line]:
    """Wrap fields into `room`; while the block is taller than `limit`, drop optional fields from the end."""
    while True:
        lines = wrap(fields, pen, room)
        if block_size(lines, pen)[1] <= limit or len(fields) <= keep:
            return lines
        fields = fields[:-1]


@dataclass
class _Screen:
    """A screen being laid out: its canvas, pens, and the area still free for the fan (x0, y0, x1, y1)."""

    canvas: Canvas
    r: random.Random
    pen: Pen  # patient banner
    small: Pen  # parameters, scale numbers, measurements
    margin: int
    area: list[int]

    def side_column(self, fields: list[Line], fill: Colour | None) -> bool:
        """Patient fields in a column down one side; returns whether the column is on the left."""
        w, h, margin = self.canvas.width, self.canvas.height, self.margin
        widest = max(measure(line, self.pen)[0] for line in fields) + 2 * margin
        column = min(max(round(w * self.r.uniform(0.2, 0.26)), widest), round(w * 0.32))
        self.pen = shrink(self.pen, fields, column - 2 * margin)
        left = self.r.random() < 0.5
        if fill:
            self.canvas.fill(0 if left else w - column, 0, column, h, fill)
        lines = _fit_lines(fields, 1, self.pen, column - 2 * margin, h - 2 * margin)
        self.canvas.block(lines, margin if left else w - column + margin, margin, self.pen)
        self.area = [column + 8, margin, w - 4, h - margin] if left else [4, margin, w - column - 8, h - margin]
        return left

    def banner(self, who: list[Line], where: list[Line], top: bool, fill: Colour | None) -> None:
        """Who on the left and where/when on the right of a band at the top or bottom (stacked if too wide)."""
        w, h, margin = self.canvas.width, self.canvas.height, self.margin
        room = round(w * 0.48) - margin
        pen = self.pen = shrink(self.pen, who + where, room)
        left = _fit_lines(who, 1, pen, room, round(h * 0.28))
        right = _fit_lines(where, 1, pen, room, round(h * 0.28))
        (left_w, left_h), (right_w, right_h) = block_size(left, pen), block_size(right, pen)
        side_by_side = left_w + right_w + 2 * pen.cap <= w - 2 * margin
        height = (max(left_h, right_h) if side_by_side else left_h + pen.leading() + right_h) + 2 * margin
        y0 = 0 if top else h - height
        if fill:
            self.canvas.fill(0, y0, w, height, fill)
        below = self.canvas.block(left, margin, y0 + margin, pen)
        self.canvas.block(right, w - 1 - margin, y0 + margin if side_by_side else below, pen, align="right")
        self.area = [4, height + 6, w - 4, h - 4] if top else [4, 4, w - 4, h - height - 6]

    def parameters(self, params: list[Line], below: list[Line], right: bool) -> None:
        """Parameters down one side of the free area, measurements and status at its foot."""
        small, area = self.small, self.area
        while params and block_size(params, small)[1] + block_size(below, small)[1] + 16 > area[3] - area[1]:
            params.pop()
        column = max(measure(line, small)[0] for line in params + below) + 2 * self.margin
        x, align = (area[2] - 1, "right") if right else (area[0], "left")
        self.canvas.block(params, x, area[1] + 4, small, align=align)
        self.canvas.block(below, x, area[3], small, align=align, upward=True)
        if right:
            area[2] -= column
        else:
            area[0] += column

    def depth_scale(self, sec: backgrounds.Sector, depth_cm: int) -> None:
        """Ticks and centimetre numbers down the right edge of the fan."""
        small, x1 = self.small, sec.box[2]
        cm = sec.depth_px / depth_cm
        every = next(step for step in (1, 2, 5) if cm * step >= small.cap + 6 or step == 5)
        for k in range(every, depth_cm + 1, every):
            row = round(sec.skin + k * cm)
            self.canvas.fill(x1 + 4, row - 1, 6, 2, looks.LIGHT["grey"])
            self.canvas.line([(str(k), "clinical")], x1 + 13, row + small.cap // 2, small)

    def annotate(self, sec: backgrounds.Sector, note: str) -> None:
        """A word the sonographer typed onto the image, low in the fan, if it fits there."""
        x0, y0, x1, y1 = sec.box
        pen = self.pen.but(colour=looks.light(self.r, "white", "yellow"))
        width = measure([(note, "clinical")], pen)[0]
        if width < (x1 - x0) * 0.6:
            x = self.r.randint(x0 + (x1 - x0) // 5, x1 - (x1 - x0) // 5 - width)
            self.canvas.line([(note, "clinical")], x, round(y0 + (y1 - y0) * self.r.uniform(0.78, 0.9)), pen)

    def counter(self, sec: backgrounds.Sector, frames: int) -> None:
        """A frame counter in the empty corner beside the top of the fan, changing on every frame."""
        pen = self.small.but(colour=looks.light(self.r, "white", "green"))
        counters = [[(f"{i + 1}/{frames}", "clinical")] for i in range(frames)]
        baseline = sec.box[1] + max(measure(counter, pen)[1] for counter in counters)
        for i, counter in enumerate(counters):
            self.canvas.line(counter, sec.box[0], baseline, pen, frames=(i,))


def render(shot: Shot, r: random.Random, rng: np.random.Generator) -> Picture:
    vendor = VENDORS[shot.device.manufacturer]
    w, h = r.choice(vendor.sizes)
    crisp = shot.palette  # a palette holds few colours: no anti-aliasing, no halos
    lang, scale = shot.visit.language, h / 480
    fields = Fields.draw(shot.visit, shot.acquired, r)
    comma = lang != "en" and r.random() < 0.6
    colour = looks.light(r, "white", "yellow", "green", "cyan", "grey", "pale_blue")
    pen = looks.pen(r, shot.family, max(6, round(7 * scale)), min(20, round(13 * scale)), colour,
                    label_colour=looks.light(r, "grey", "white", "cyan"), halo_chance=0 if crisp else 0.12,
                    smooth=False if crisp else None)
    small = looks.pen(r, r.choice(FAMILIES), 6, max(7, min(12, round(9 * scale))),
                      looks.light(r, "white", "green", "cyan", "grey", "yellow"), smooth=False if crisp else None)
    screen = _Screen(Canvas(w, h), r, pen, small, r.randint(2, 8), [])
    who, where = _banner(fields, shot, r)
    if vendor.banner == "side":
        params_right = screen.side_column(who + where, vendor.fill)
    else:
        screen.banner(who, where, vendor.banner == "top", vendor.fill)
        params_right = r.random() < 0.5

    probe_kind, probe_names = r.choice(PROBES)
    depth_cm = r.choice((4, 5, 6) if probe_kind == "linear" else (12, 14, 16, 18, 20))
    length, area_word = words.MEASURE["length"][lang], words.MEASURE["area"][lang]
    results = [[(f"{length} {_number(r.uniform(0.4, 6.0), 2, comma)} cm", "clinical")],
               [(f"{area_word} {_number(r.uniform(0.5, 20.0), 1, comma)} cm²", "clinical")],
               [(r.choice(words.STATUS[lang]), "clinical")]]
    screen.parameters(_params(shot, r.choice(probe_names), depth_cm, r, comma), results, params_right)

    x0, y0, x1, y1 = screen.area
    gutter = small.cap * 3 + 14  # depth numbers and ticks right of the fan
    sec = backgrounds.sector(w, h, (x0 + 6, y0 + 4, x1 - gutter, y1 - small.cap - 2), probe_kind, r.uniform(30, 40))
    screen.depth_scale(sec, depth_cm)
    if r.random() < 0.6:
        screen.annotate(sec, r.choice((*words.ANNOTATIONS[lang], *words.BODY_PARTS[lang])))
    if shot.frames > 1:
        screen.counter(sec, shot.frames)

    calipers = _calipers(sec, rng)
    frames = []
    for i, grey in enumerate(backgrounds.speckle(sec, shot.frames, rng)):
        frame = rgb(grey)
        for point in calipers:
            cv2.drawMarker(frame, point, looks.LIGHT["yellow"], cv2.MARKER_CROSS, 9, 1)
        frames.append(screen.canvas.over(frame, i))
    attributes: dict[str, object] = {"DepthOfScanField": depth_cm * 10}
    if shot.frames > 1:
        rate = r.choice((20, 25, 30))
        attributes |= {"CineRate": rate, "FrameTime": f"{1000 / rate:.2f}"}
    region = Region(sec.box, sec.apex, depth_cm / sec.depth_px)
    photometric = "PALETTE COLOR" if shot.palette else "RGB"
    return Picture(np.stack(frames), screen.canvas.items, screen.canvas.fonts, photometric, 8, attributes, region)


def _calipers(sec: backgrounds.Sector, rng: np.random.Generator) -> list[tuple[int, int]]:
    """Two caliper crosses in the middle third of the depth."""
    top = sec.box[1] + (sec.box[3] - sec.box[1]) // 3
    ys, xs = np.nonzero(sec.mask[top : sec.box[3] - (sec.box[3] - sec.box[1]) // 3])
    return [(int(xs[k]), int(ys[k]) + top) for k in rng.choice(len(xs), 2, replace=False)]
