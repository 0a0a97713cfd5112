"""The second pass: read the masked lines again, on the masked pixels and with other preprocessing.

Each line a mask touched but did not cover whole is read again, widened by a line height on both sides
so that a word masked short shows, in the image (frame, chroma or static composite) the first pass
read it from. Masked areas are flat, so whatever is read inside
them is an artefact of the fill; PHI read outside them is PHI the first pass missed or masked short.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pydicom.dataset import Dataset

from pixelscrub.header.phi import PhiSet
from pixelscrub.pixels.boxes import Box
from pixelscrub.pixels.frames import Pixels
from pixelscrub.pixels.match import judge_line
from pixelscrub.pixels.ocr import OcrEngine, read_line
from pixelscrub.pixels.scan import Scan, ScanSettings, reading_image_of


@dataclass(frozen=True)
class Verification:
    clean: bool
    leaks: tuple[str, ...]  # the attributes or patterns still matched, never the text
    leak_boxes: tuple[Box, ...] = ()
    lines: int = 0          # masked lines read again

    def reason(self) -> str:
        if not self.clean:
            return f"verify: PHI still readable after masking ({', '.join(self.leaks)})"
        return f"verify: {self.lines} masked lines read again, clean" if self.lines else "verify: nothing masked"


def _outside(box: Box, masks: list[Box]) -> float:
    """Share of `box` not covered by any mask (masks may overlap; each pixel counts once)."""
    covered = np.zeros((box.h, box.w), bool)
    for mask in masks:
        x0, y0 = max(box.x, mask.x), max(box.y, mask.y)
        x1, y1 = min(box.x1, mask.x1), min(box.y1, mask.y1)
        if x1 > x0 and y1 > y0:
            covered[y0 - box.y:y1 - box.y, x0 - box.x:x1 - box.x] = True
    return 1.0 - covered.mean() if box.area else 0.0


def _unmasked(line: Box, masks: list[Box]) -> list[Box]:
    """The stretches of a line left between masks, each wide enough to hold a character."""
    free = np.ones(line.w, bool)
    for mask in masks:
        if mask.y < line.y1 and mask.y1 > line.y:
            free[max(0, mask.x - line.x):max(0, mask.x1 - line.x)] = False
    parts, start = [], None
    for i, open_ in enumerate([*free, False]):
        if open_ and start is None:
            start = i
        elif not open_ and start is not None:
            if i - start >= line.h // 2:
                parts.append(Box(line.x + start, line.y, i - start, line.h))
            start = None
    return parts


def verify(masked: Pixels, ds: Dataset, engine: OcrEngine, phi: PhiSet, settings: ScanSettings,
           first: Scan, masks: list[Box], max_inside: float = 0.8) -> Verification:
    """Findings at least `max_inside` covered by masks are the fill itself, not leaks."""
    rows, columns = masked.array.shape[1:3]
    greys: dict[tuple[int, str], object] = {}
    leaks, read = [], 0
    for line, where in zip(first.lines, first.frames):
        if not any(line.box.intersection(mask) for mask in masks) or _outside(line.box, masks) == 0.0:
            continue  # untouched, or masked whole: nothing of it is left to read
        if where not in greys:
            greys[where] = reading_image_of(masked, ds, *where)
        wide = line.box.pad(line.box.h, columns, rows)
        for part in _unmasked(Box(wide.x, line.box.y, wide.w, line.box.h), masks):
            again = read_line(engine, greys[where], part, settings.crop)
            read += 1
            leaks += [f for f in judge_line(again, phi, settings.match)
                      if f.kind == "phi" and _outside(f.box, masks) > 1.0 - max_inside]
    labels = tuple(sorted({f.label for f in leaks}))
    return Verification(clean=not leaks, leaks=labels, leak_boxes=tuple(f.box for f in leaks), lines=read)
