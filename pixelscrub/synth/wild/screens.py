"""Screen captures of image viewers, and report pages saved as images.

A viewer capture has a toolbar, sometimes a thumbnail column, one or four
viewports each with the four corner blocks a PACS overlay prints, and a status
bar with a tiny footer. A report page is dark text on paper: a letterhead, the
patient block, a measurement table, a conclusion and a signature.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import cv2
import numpy as np

from pixelscrub.synth import backgrounds
from pixelscrub.synth.wild import anatomy, looks, words
from pixelscrub.synth.fonts import FAMILIES
from pixelscrub.synth.wild.fields import Fields
from pixelscrub.synth.wild.layout import Canvas, Line, Pen, measure, shrink, wrap
from pixelscrub.synth.wild.shot import Picture, Shot, rgb

VIEWERS = ("NovaPACS 3.1", "Atrium Viewer", "Quill Web 2", "Meridian RIS/PACS", "OrbisView 8")
CONTENTS = ("ct", "mr", "xr", "us")


def _content(kind: str, w: int, h: int, rng: np.random.Generator) -> np.ndarray:
    """A grey picture for a viewport, letterboxed to (h, w)."""
    if kind == "ct":
        picture = np.clip((backgrounds.ct_slice(256, float(rng.uniform(-100, 100)), rng) + 160) / 400 * 255, 0, 255)
    elif kind == "mr":
        picture = np.clip(backgrounds.mr_slice(256, float(rng.uniform(-20, 40)), rng) / 1600 * 255, 0, 255)
    elif kind == "xr":
        picture = anatomy.radiograph("chest", 256, 320, rng) * 255
    else:
        sec = backgrounds.sector(256, 200, (0, 0, 255, 199), "convex", 35)
        picture = backgrounds.speckle(sec, 1, rng)[0]
    side = min(w / picture.shape[1], h / picture.shape[0])
    size = (max(1, round(picture.shape[1] * side)), max(1, round(picture.shape[0] * side)))
    scaled = cv2.resize(picture.astype(np.float32), size, interpolation=cv2.INTER_LINEAR)
    out = np.zeros((h, w), np.uint8)
    y, x = (h - size[1]) // 2, (w - size[0]) // 2
    out[y : y + size[1], x : x + size[0]] = np.clip(np.rint(scaled), 0, 255)
    return out


def _chrome(canvas: Canvas, fields: Fields, r: random.Random, rng: np.random.Generator) -> tuple[int, int, int]:
    """The viewer's toolbar, status bar with its tiny footer, and sometimes a thumbnail column.

    Returns the rows taken at the top and bottom and the columns taken on the left.
    """
    w, h, lang = canvas.width, canvas.height, fields.visit.language
    dark_ui = r.random() < 0.75
    colour, text = ((45, 47, 52), looks.LIGHT["grey"]) if dark_ui else ((225, 228, 235), looks.DARK["ink"])
    tool_pen = looks.pen(r, r.choice(FAMILIES), 7, 10, text, styles=("sans",))
    footer_pen = looks.pen(r, r.choice(FAMILIES), 6, 8, text)
    top, bottom = tool_pen.cap * 3, footer_pen.cap * 3
    canvas.fill(0, 0, w, top, colour)
    canvas.fill(0, h - bottom, w, bottom, colour)
    tools = [(r.choice(VIEWERS), "clinical"), *[(tool, "clinical") for tool in words.VIEWER_TOOLS[lang]]]
    canvas.line(tools, 8, top // 2 + tool_pen.cap // 2, tool_pen)
    footer = [fields.institution(), fields.day(), fields.clock()] + ([fields.operator()] if r.random() < 0.5 else [])
    footer_line = [part for line in footer for part in line]
    footer_pen = shrink(footer_pen, [footer_line], w - 16)
    canvas.line(footer_line, 8, h - bottom // 2 + footer_pen.cap // 2, footer_pen)
    if r.random() < 0.5:
        return top, bottom, 0
    left = round(w * 0.13)  # a column of series thumbnails, each labelled
    canvas.fill(0, top, left, h - top - bottom, colour)
    thumb = left - 16
    for k in range(min(4, (h - top - bottom) // (thumb + 30))):
        y = top + 8 + k * (thumb + 30)
        canvas.fill(8, y, thumb, thumb, rgb(_content(r.choice(CONTENTS), thumb, thumb, rng)))
        canvas.line([(f"{words.MEASURE['series'][lang]} {k + 1}", "clinical")], 8, y + thumb + 4 + footer_pen.cap,
                    footer_pen)
    return top, bottom, left


def _overlay_blocks(fields: Fields, exam: str, total: int, r: random.Random) -> dict[str, list[Line]]:
    """What a PACS overlay prints in a viewport's corners: who, what and when, image and display settings."""
    lang = fields.visit.language
    image, series, thickness = (words.MEASURE[key][lang] for key in ("image", "series", "thickness"))
    blocks = {
        "tl": [fields.name(), fields.patient_id(), fields.birth()],
        "tr": [[(exam, "clinical")], fields.day(), fields.clock()],
        "bl": [[(f"{image}: {r.randint(1, total)}/{total}", "clinical")],
               [(f"{series}: {r.randint(1, 12)}", "clinical")],
               [(f"{thickness} {r.choice(('1.0', '2.5', '5.0'))} mm", "clinical")]],
        "br": [[(r.choice((f"W {r.randint(80, 2000)} L {r.randint(-600, 300)}",
                           f"WL: {r.randint(20, 600)} WW: {r.randint(80, 2000)}")), "clinical")],
               [(f"{words.VIEWER_TOOLS[lang][0]} {r.choice((100, 125, 150, 200, 87))}%", "clinical")]],
    }
    if r.random() < 0.5:
        blocks["tr"].insert(0, fields.institution())
    return blocks


def viewer(shot: Shot, r: random.Random, rng: np.random.Generator) -> Picture:
    """A viewer window: one or four viewports of one series, each with its four corner blocks."""
    w, h = r.choice(((1024, 768), (1280, 1024), (1280, 800), (800, 600)))
    lang = shot.visit.language
    fields = Fields.draw(shot.visit, shot.acquired, r)
    canvas = Canvas(w, h)
    top, bottom, left = _chrome(canvas, fields, r, rng)
    grid = 2 if r.random() < 0.35 else 1
    kind = r.choice(CONTENTS)
    if kind == "us":
        exam = r.choice(words.EXAMS[lang])
    else:
        part = words.XRAY_PARTS[lang][0 if kind == "xr" else r.choice((0, 1, 2, 6))]
        exam = f"{words.MODALITY_NAMES[kind][lang]} {part}"
    view_w, view_h = (w - left) // grid, (h - top - bottom) // grid
    colour = looks.light(r, "white", "yellow", "green", "cyan", "orange", "grey")
    pen = looks.pen(r, shot.family, 7, 12 if grid == 2 else 18, colour, halo_chance=0.3)
    total = r.randint(40, 300)
    for row in range(grid):
        for col in range(grid):
            x0, y0 = left + col * view_w, top + row * view_h
            canvas.fill(x0, y0, view_w, view_h, rgb(_content(kind, view_w, view_h, rng)))
            blocks = _overlay_blocks(fields, exam, total, r)
            canvas.corners(blocks, pen, r.randint(3, 8), (x0, y0, x0 + view_w, y0 + view_h))
    return Picture(canvas.over(np.zeros((h, w, 3), np.uint8))[None], canvas.items, canvas.fonts, "RGB", 8)


@dataclass
class _Page:
    """A report page being written top to bottom: its canvas, pens, margins and the next free row."""

    canvas: Canvas
    fields: Fields
    r: random.Random
    body: Pen
    head: Pen
    margin: int
    y: int = 0

    @property
    def room(self) -> int:
        return self.canvas.width - 2 * self.margin

    def letterhead(self) -> None:
        """The institution on a coloured band, or in large type at the top; then the report's title."""
        canvas, head, margin = self.canvas, self.head, self.margin
        site = [self.fields.institution()]
        if self.r.random() < 0.6:
            band = head.cap * 3
            canvas.fill(0, 0, canvas.width, band, self.r.choice(((20, 60, 120), (0, 110, 110), (120, 30, 40))))
            pen = shrink(head.but(colour=(250, 250, 250)), site, self.room)
            canvas.line(site[0], margin, band // 2 + pen.cap // 2, pen)
            self.y = band + head.cap
        else:
            self.y = canvas.block(site, margin, margin // 2 + 4, shrink(head, site, self.room)) + head.cap
        title = [[(words.REPORT["title"][self.fields.visit.language], "clinical")]]
        self.y = canvas.block(title, margin, self.y, shrink(head, title, self.room)) + self.body.cap

    def patient(self) -> None:
        """Who in the left column, when and for whom in the right, then a rule."""
        fields = self.fields
        who = [fields.name(), fields.patient_id(), fields.birth(), fields.age()]
        what = [fields.day(), fields.clock(), fields.referring(), fields.accession()]
        self.body = shrink(self.body, who + what, self.room // 2 - self.body.cap)
        left = self.canvas.block(who, self.margin, self.y, self.body)
        right = self.canvas.block(what, self.margin + self.room // 2, self.y, self.body)
        self.y = max(left, right) + self.body.cap
        self.canvas.fill(self.margin, self.y, self.room, 1, self.body.colour)
        self.y += self.body.cap

    def measurements(self) -> None:
        """A heading, then organ names with their sizes right-aligned in a column."""
        lang, body, margin = self.fields.visit.language, self.body, self.margin
        self.heading(words.REPORT["measurements"][lang])
        comma = lang != "en" and self.r.random() < 0.7
        for organ in self.r.sample(words.BODY_PARTS[lang], 4):
            value = f"{self.r.uniform(0.8, 15):.1f} cm"
            line = [(organ, "clinical"), (value.replace(".", ",") if comma else value, "clinical")]
            _, above, below = measure(line, body)
            self.canvas.line(line[:1], margin + body.cap, self.y + above, body)
            self.canvas.line(line[1:], margin + self.room * 2 // 3, self.y + above, body, align="right")
            self.y += above + below + body.leading()
        self.y += body.cap

    def conclusion(self) -> None:
        lang = self.fields.visit.language
        self.heading(words.REPORT["impression"][lang])
        sentences = [[(sentence, "clinical")] for sentence in self.r.sample(words.CONCLUSIONS[lang], 2)]
        lines = wrap(sentences, self.body, self.room)
        self.y = self.canvas.block(lines, self.margin + self.body.cap, self.y, self.body) + self.body.cap * 2

    def heading(self, text: str) -> None:
        self.y = self.canvas.block([[(text, "clinical")]], self.margin, self.y, self.body.but(colour=self.head.colour))

    def signature(self, rng: np.random.Generator) -> None:
        """Who signed and when, a key image beside it when the page has room, the page number at the foot."""
        canvas, margin = self.canvas, self.margin
        canvas.block([self.fields.performer(), self.fields.day() + self.fields.clock()], margin, self.y, self.body)
        footer_pen = looks.pen(self.r, self.r.choice(FAMILIES), 6, 8, looks.DARK["charcoal"])
        footer = [(words.REPORT["page"][self.fields.visit.language], "clinical")]
        foot = canvas.height - margin // 2
        thumb_w = round(canvas.width * 0.25)
        thumb_h = round(thumb_w * 0.75)
        if self.r.random() < 0.4 and self.y + thumb_h < foot - 2 * footer_pen.cap:
            picture = _content(self.r.choice(CONTENTS), thumb_w, thumb_h, rng)
            canvas.fill(canvas.width - margin - thumb_w, self.y, thumb_w, thumb_h, rgb(picture))
        canvas.line(footer, canvas.width - margin, foot, footer_pen, align="right")


def report(shot: Shot, r: random.Random, rng: np.random.Generator) -> Picture:
    """A report saved as an image: dark text on paper."""
    w, h = r.choice(((816, 1056), (850, 1100), (612, 792), (1024, 768)))
    fields = Fields.draw(shot.visit, shot.acquired, r, labels=1.0)
    paper = r.choice(((255, 255, 255), (250, 250, 245), (242, 244, 248)))
    body = looks.pen(r, shot.family, 7, 12, looks.dark(r), styles=("serif", "sans"),
                     label_colour=looks.DARK[r.choice(("charcoal", "navy"))], smooth=r.random() < 0.85)
    head = looks.pen(r, r.choice(FAMILIES), 16, 20, looks.DARK[r.choice(("navy", "black", "ink"))],
                     styles=("sans", "serif"))
    page = _Page(Canvas(w, h), fields, r, body, head, round(w * r.uniform(0.06, 0.1)))
    page.letterhead()
    page.patient()
    page.measurements()
    page.conclusion()
    page.signature(rng)
    canvas = page.canvas
    return Picture(canvas.over(np.full((h, w, 3), paper, np.uint8))[None], canvas.items, canvas.fonts, "RGB", 8)
