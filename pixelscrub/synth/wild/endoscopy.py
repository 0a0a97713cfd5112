"""Endoscopy video captures: a round colour view of mucosa, patient data on the black border beside it.

Processors print the patient and the time in a column left of the view and
their settings at the bottom; physicians add a word onto the image itself.
"""

from __future__ import annotations

import random

import numpy as np

from pixelscrub.synth.fonts import FAMILIES
from pixelscrub.synth.wild import anatomy, looks, words
from pixelscrub.synth.wild.fields import Fields
from pixelscrub.synth.wild.layout import Canvas, measure, shrink
from pixelscrub.synth.wild.shot import Picture, Shot


def render(shot: Shot, r: random.Random, rng: np.random.Generator) -> Picture:
    w, h = r.choice(((640, 480), (720, 576), (800, 600))) if r.random() > 0.15 else (1280, 1024)
    lang = shot.visit.language
    fields = Fields.draw(shot.visit, shot.acquired, r)
    radius = round(h * r.uniform(0.42, 0.47))
    column = w - 2 * radius - round(w * 0.04)  # the view sits right of the text column
    cx, cy = w - radius - round(w * 0.02), h // 2
    pen = looks.pen(r, shot.family, 7, min(20, round(12 * h / 480)), looks.light(r, "white", "yellow", "cyan", "green"),
                    label_colour=looks.light(r, "white", "grey"))
    lines = [fields.name(), fields.patient_id(), fields.birth(), fields.age(), fields.day(), fields.clock()]
    if r.random() < 0.5:
        lines.append(fields.performer())
    lines.append([(r.choice((words.ENDOSCOPY["colonoscopy"][lang], words.ENDOSCOPY["gastroscopy"][lang])),
                   "clinical")])
    margin = r.randint(4, 12)
    pen = shrink(pen, lines, column - 2 * margin)
    canvas = Canvas(w, h)
    split = [[part] for line in lines for part in line] if r.random() < 0.3 else lines  # labels above values
    canvas.block([line for line in split if line], margin, margin, pen)
    settings = looks.pen(r, r.choice(FAMILIES), 6, 10, looks.light(r, "white", "grey"))
    status = [[(r.choice(("Enh A3", "Enh B5", "Str: 2", "Color: 0")), "clinical"),
               (r.choice(("Iris: Auto", "Iris: Peak", "Zoom x1.5", "Mode: WL")), "clinical")]]
    settings = shrink(settings, status, column - 2 * margin)
    canvas.block(status, margin, h - margin, settings, upward=True)
    if r.random() < 0.6:  # a finding typed onto the view, outlined so it reads on the mucosa
        note = [(r.choice((words.ENDOSCOPY["polyp"][lang], words.ENDOSCOPY["caecum"][lang],
                           words.ENDOSCOPY["antrum"][lang])), "clinical")]
        note_pen = pen.but(colour=looks.LIGHT["white"], effect=looks.halo(r, looks.LIGHT["white"], 1.0))
        note_w, above, _ = measure(note, note_pen)
        canvas.line(note, cx - note_w // 2, cy + radius // 2 + above, note_pen)
    scene = anatomy.endoscopy(w, h, (cx, cy, radius), rng)
    return Picture(canvas.over(scene)[None], canvas.items, canvas.fonts, "RGB", 8)
