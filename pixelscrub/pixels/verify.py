"""The second pass: read the masked image again, with other preprocessing, and look for PHI left over.

Masked areas are flat, so whatever this pass reads inside them is an artefact of the fill (a black bar
after "Dr." read as a name); PHI it reads outside them is PHI the first pass missed or masked short.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pydicom.dataset import Dataset

from pixelscrub.header.phi import PhiSet
from pixelscrub.pixels.boxes import Box
from pixelscrub.pixels.frames import Pixels
from pixelscrub.pixels.ocr import OcrEngine
from pixelscrub.pixels.scan import ScanSettings, scan


@dataclass(frozen=True)
class Verification:
    clean: bool
    leaks: tuple[str, ...]  # the attributes or patterns still matched, never the text
    leak_boxes: tuple[Box, ...] = ()

    def reason(self) -> str:
        if self.clean:
            return "verify: clean"
        return f"verify: PHI still readable after masking ({', '.join(self.leaks)})"


def _outside(box: Box, masks: list[Box]) -> float:
    """Share of `box` not covered by any mask (masks may overlap; each pixel counts once)."""
    covered = np.zeros((box.h, box.w), bool)
    for mask in masks:
        x0, y0 = max(box.x, mask.x), max(box.y, mask.y)
        x1, y1 = min(box.x1, mask.x1), min(box.y1, mask.y1)
        if x1 > x0 and y1 > y0:
            covered[y0 - box.y:y1 - box.y, x0 - box.x:x1 - box.x] = True
    return 1.0 - covered.mean() if box.area else 0.0


def verify(masked: Pixels, ds: Dataset, engine: OcrEngine, phi: PhiSet, settings: ScanSettings,
           masks: list[Box], max_inside: float = 0.8) -> Verification:
    """Findings at least `max_inside` covered by masks are the fill itself, not leaks."""
    second = scan(masked, ds, engine, phi, settings)
    leaks = [f for f in second.findings if f.kind == "phi" and _outside(f.box, masks) > 1.0 - max_inside]
    labels = tuple(sorted({f.label for f in leaks}))
    return Verification(clean=not leaks, leaks=labels, leak_boxes=tuple(f.box for f in leaks))
