"""How a wild file's text looks: typefaces, capital heights, colours and halos, chosen per file.

The family is the plan's (so every family turns up across an archive); the
face, size, colour, smoothing and halo are drawn here from the file's own
random stream, within the ranges a layout allows.
"""

from __future__ import annotations

import random

from pixelscrub.synth.fonts import FACES, Face
from pixelscrub.synth.text import Colour, Effect
from pixelscrub.synth.wild.layout import Pen

LIGHT = {
    "white": (245, 245, 245), "yellow": (250, 225, 60), "green": (90, 235, 110), "cyan": (60, 225, 235),
    "orange": (255, 160, 40), "grey": (185, 185, 185), "pale_blue": (170, 200, 255),
}
DARK = {"black": (0, 0, 0), "ink": (20, 24, 40), "navy": (20, 40, 110), "charcoal": (55, 55, 55)}


def face(r: random.Random, family: str, styles: tuple[str, ...] = ()) -> Face:
    """A face of the family, of one of `styles` when the family has one."""
    faces = [f for f in FACES if f.family == family]
    preferred = [f for f in faces if f.style in styles]
    return r.choice(preferred or faces)


def cap(r: random.Random, face: Face, low: int, high: int, smooth: bool) -> int:
    """A capital height in [low, high] the face draws exactly, else the one nearest that range."""
    heights = face.heights(smooth)
    inside = [h for h in heights if low <= h <= high]
    if inside:
        return r.choice(inside)
    return min(heights, key=lambda h: (max(low - h, h - high), h))


def light(r: random.Random, *names: str) -> Colour:
    return LIGHT[r.choice(names or tuple(LIGHT))]


def dark(r: random.Random) -> Colour:
    return DARK[r.choice(tuple(DARK))]


def halo(r: random.Random, colour: Colour, chance: float) -> Effect | None:
    """With `chance`, an outline or a 1-2 px shadow in the opposite tone to the text."""
    if r.random() >= chance:
        return None
    opposite = (0, 0, 0) if sum(colour) > 380 else (235, 235, 235)
    return Effect(opposite, r.choice((0, 0, 1, 2)))


def pen(r: random.Random, family: str, low: int, high: int, colour: Colour, *, styles: tuple[str, ...] = (),
        label_colour: Colour | None = None, halo_chance: float = 0.0, smooth: bool | None = None) -> Pen:
    """A pen of the family at a height in [low, high]; smoothing at random unless a layout needs it fixed."""
    chosen = face(r, family, styles)
    smooth = r.random() < 0.7 if smooth is None else smooth
    return Pen(chosen, cap(r, chosen, low, high, smooth), colour, label_colour, halo(r, colour, halo_chance), smooth)
