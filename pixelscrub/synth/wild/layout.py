"""Placing texts on a wild image: pens, lines of label and value parts, stacked blocks.

Every layout draws through a Canvas, which stamps with text.Overlay (so each
truth box is the ink's, halo included), refuses overlaps, and remembers the
typeface families and capital heights it drew with. Line positions come from
the ink of the very texts on the line, so blocks of any font stack without
touching whatever accents and descenders they have.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from pixelscrub.synth.fonts import FACES, Face
from pixelscrub.synth.text import HERSHEY, Colour, Effect, Font, Item, Overlay, extent
from pixelscrub.synth.wild.words import ascii_fold

Part = tuple[str, str]  # text, kind
Line = list[Part]


@dataclass(frozen=True)
class Pen:
    """How a group of texts is drawn: typeface, capital height, colours and halo."""

    face: Face
    cap: int
    colour: Colour
    label_colour: Colour | None = None  # labels in another tint; None draws them like values
    effect: Effect | None = None
    smooth: bool = True

    @property
    def font(self) -> Font:
        return self.face.font(self.cap, self.smooth)

    def adapt(self, text: str) -> str:
        """The text as this face prints it: no accents on an ASCII device, no caret in Hershey strokes."""
        if not self.face.latin1:
            text = ascii_fold(text)
        return text.replace("^", " ") if self.face.face in HERSHEY else text

    def gap(self, kind: str) -> int:
        """Space after a part: a label sits close to its value, fields stand apart."""
        return max(3, self.cap // 2) if kind == "label" else max(6, self.cap * 3 // 2)

    def leading(self) -> int:
        return max(2, self.cap // 2)

    def but(self, **changes: object) -> Pen:
        return dataclasses.replace(self, **changes)


def measure(line: Line, pen: Pen) -> tuple[int, int, int]:
    """Width of a line, rows of ink above its baseline row, and rows from the baseline row down."""
    sizes = [extent(pen.adapt(text), pen.font, pen.effect) for text, _ in line]
    width = sum(w for _, w, _ in sizes) + sum(pen.gap(kind) for _, kind in line[:-1])
    above = max(top for _, _, top in sizes)
    below = max(h - top for h, _, top in sizes)
    return width, above, below


def block_size(lines: list[Line], pen: Pen) -> tuple[int, int]:
    """Width and height of the ink of lines stacked as Canvas.block stacks them."""
    sizes = [measure(line, pen) for line in lines if line]
    return max(w for w, _, _ in sizes), sum(a + b for _, a, b in sizes) + pen.leading() * (len(sizes) - 1)


def wrap(fields: list[Line], pen: Pen, room: int) -> list[Line]:
    """Fields (label and value kept together) flowed into lines no wider than `room` where they fit;
    a field wider than `room` on its own breaks into its parts, a label above its value."""
    lines: list[Line] = []
    for field in (piece for field in fields for piece in _split(field, pen, room)):
        if lines and measure(lines[-1] + field, pen)[0] <= room:
            lines[-1] = lines[-1] + field
        else:
            lines.append(list(field))
    return lines


def shrink(pen: Pen, lines: list[Line], room: int) -> Pen:
    """The pen at the largest height, up to its own, at which every line fits in `room` pixels.

    Below its face's smallest height it moves to another face of the family (a smaller bitmap);
    when nothing fits, the family's smallest.
    """
    faces = [pen.face] + [face for face in FACES if face.family == pen.face.family and face != pen.face]
    options = sorted(((cap, k) for k, face in enumerate(faces) for cap in face.heights(pen.smooth) if cap <= pen.cap),
                     key=lambda option: (-option[0], option[1]))
    for cap, k in options:
        smaller = pen.but(face=faces[k], cap=cap)
        if max(measure(line, smaller)[0] for line in lines if line) <= room:
            return smaller
    cap, k = min((cap, k) for k, face in enumerate(faces) for cap in face.heights(pen.smooth))
    return pen.but(face=faces[k], cap=cap)


def _split(line: Line, pen: Pen, room: int) -> list[Line]:
    """A line too wide for `room` as one line per part (a label above its value)."""
    return [line] if not line or measure(line, pen)[0] <= room else [[part] for part in line]


class Canvas:
    """An Overlay that places whole lines and blocks and records the fonts it used."""

    def __init__(self, width: int, height: int):
        self.width, self.height = width, height
        self.overlay = Overlay(width, height)
        self.fonts: set[tuple[str, int]] = set()  # (family, capital height) of every text drawn

    @property
    def items(self) -> list[Item]:
        return self.overlay.items

    def fill(self, x: int, y: int, w: int, h: int, paint: Colour | np.ndarray) -> None:
        self.overlay.fill(x, y, w, h, paint)

    def line(self, line: Line, x: int, baseline: int, pen: Pen, *, align: str = "left",
             frames: str | tuple[int, ...] = "all") -> None:
        """Place the parts of one line left to right, the line's left (or right) ink edge at x."""
        left = x - measure(line, pen)[0] + 1 if align == "right" else x
        for text, kind in line:
            tint = pen.label_colour if kind == "label" and pen.label_colour else pen.colour
            item = self.overlay.text(pen.adapt(text), left, baseline, pen.font, tint, kind, frames=frames,
                                     effect=pen.effect)
            left = item.box[0] + item.box[2] + pen.gap(kind)
        self.fonts.add((pen.face.family, pen.cap))

    def block(self, lines: list[Line], x: int, y: int, pen: Pen, *, align: str = "left", upward: bool = False) -> int:
        """Stack lines with their ink from row y down (or ending just above row y, upward).

        Returns the row where a following block would start: past the last line's ink plus the leading.
        """
        gap = pen.leading()
        for line in reversed(lines) if upward else lines:
            if not line:
                continue
            _, above, below = measure(line, pen)
            baseline = y - below if upward else y + above
            self.line(line, x, baseline, pen, align=align)
            y = baseline - above - gap if upward else baseline + below + gap
        return y

    def corners(self, blocks: dict[str, list[Line]], pen: Pen, margin: int,
                area: tuple[int, int, int, int] | None = None) -> Pen:
        """Blocks in the corners "tl", "tr", "bl" and "br" of `area` (x0, y0, x1, y1; default the image).

        The pen shrinks until the widest line fits half the area (a line still too wide breaks
        into its parts), and bottom blocks lose their top lines until they clear the block above
        them; returns the pen used.
        """
        x0, y0, x1, y1 = area or (0, 0, self.width, self.height)
        room = (x1 - x0 - 2 * margin) // 2 - 2 * pen.cap
        pen = shrink(pen, [line for block in blocks.values() for line in block if line], room)
        blocks = {corner: [part for line in block for part in _split(line, pen, room)] for corner, block in
                  blocks.items()}
        bottom = {}
        for side in "lr":
            top_h = block_size(blocks[f"t{side}"], pen)[1] + pen.cap * 2 if blocks.get(f"t{side}") else 0
            kept = [line for line in blocks.get(f"b{side}", []) if line]
            while kept and block_size(kept, pen)[1] + top_h > y1 - y0 - 2 * margin:
                kept = kept[1:]
            bottom[side] = kept
        for corner in ("tl", "tr", "bl", "br"):
            block = blocks.get(corner, []) if corner[0] == "t" else bottom[corner[1]]
            if not any(block):
                continue
            right = corner[1] == "r"
            self.block(block, x1 - 1 - margin if right else x0 + margin, y1 - margin if corner[0] == "b" else
                       y0 + margin, pen, align="right" if right else "left", upward=corner[0] == "b")
        return pen

    def over(self, frame: np.ndarray, index: int = 0) -> np.ndarray:
        return self.overlay.over(frame, index)

    def over_grey(self, frame: np.ndarray, white: int, index: int = 0) -> np.ndarray:
        return self.overlay.over_grey(frame, index, white)
