"""The second pass: read the masked lines again, on the masked pixels and with other preprocessing.

Each line a mask touched but did not cover whole is read again, widened by a line height on both sides
so that a word masked short shows, in the image (frame, chroma or static composite) the first pass
read it from. Masked areas are flat, so whatever is read inside them is an artefact of the fill; PHI
read outside them is PHI the first pass missed or masked short. The reads happen as the rewrite pass
hands over each masked frame, so no frame is kept for them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pydicom.dataset import Dataset

from pixelscrub.header.phi import PhiSet
from pixelscrub.pixels.regions.boxes import Box
from pixelscrub.pixels.codec.frames import StaticComposite, chroma_image, reading_image
from pixelscrub.pixels.text.match import judge_line
from pixelscrub.pixels.ocr.engine import OcrEngine, read_line
from pixelscrub.pixels.text.scan import Scan, ScanSettings


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


class Verifier:
    """Collects the second reads frame by frame (`add`), then judges them (`result`).

    Findings at least `max_inside` covered by masks are the fill itself, not leaks."""

    def __init__(self, first: Scan, masks: list[Box], engine: OcrEngine, phi: PhiSet, settings: ScanSettings,
                 photometric: str, ds: Dataset | None, max_inside: float = 0.8):
        self.masks, self.engine, self.phi, self.settings = masks, engine, phi, settings
        self.photometric, self.ds, self.max_inside = photometric, ds, max_inside
        self.todo: dict[tuple[int, str], list[Box]] = {}
        for line, where in zip(first.lines, first.frames):
            if any(line.box.intersection(mask) for mask in masks) and _outside(line.box, masks) > 0.0:
                self.todo.setdefault(where, []).append(line.box)  # touched, and something of it left to read
        self.static = StaticComposite() if any(source == "static" for _, source in self.todo) else None
        self.leaks: list = []
        self.reads = 0

    def add(self, index: int, frame: np.ndarray) -> None:
        """Read again what the first pass read on this frame, now masked."""
        grey = None
        if (index, "grey") in self.todo or self.static is not None:
            grey = reading_image(frame, self.photometric, self.ds)
        if (index, "grey") in self.todo:
            self._read(grey, self.todo[(index, "grey")])
        if index == 0 and (0, "chroma") in self.todo:
            self._read(chroma_image(frame), self.todo[(0, "chroma")])
        if self.static is not None:
            self.static.add(grey)

    def result(self) -> Verification:
        if self.static is not None and self.static.count:
            self._read(self.static.image(), self.todo[(0, "static")])
        labels = tuple(sorted({f.label for f in self.leaks}))
        return Verification(clean=not self.leaks, leaks=labels, leak_boxes=tuple(f.box for f in self.leaks),
                            lines=self.reads)

    def _read(self, grey: np.ndarray, boxes: list[Box]) -> None:
        rows, columns = grey.shape[:2]
        for box in boxes:
            wide = box.pad(box.h, columns, rows)
            for part in _unmasked(Box(wide.x, box.y, wide.w, box.h), self.masks):
                again = read_line(self.engine, grey, part, self.settings.crop)
                self.reads += 1
                self.leaks += [f for f in judge_line(again, self.phi, self.settings.match)
                               if f.kind == "phi" and _outside(f.box, self.masks) > 1.0 - self.max_inside]
