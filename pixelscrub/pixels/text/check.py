"""The independent check before release: a learned text detector reads the whole masked image again.

pixelscrub's own proposals are morphological and its reads are Tesseract's; what they miss (text over
anatomy, an odd font, a line cut short by a mask) would go out unseen. So every image about to be
released is searched by RapidOCR's detector, a model that knows nothing of those proposals, and every
region it finds must be accounted for: its ink lies under the masks or on words kept as clinical text.
Whatever ink is left is read and judged like any line: PHI, or unexplained text where PHI is likely, is
masked; unexplained text anywhere else holds the image ("verify: unaccounted text").

Ink, not boxes: the detector's boxes carry margins and span fields, so a region is accounted for when
the glyph pixels inside it are, whatever the box's shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pixelscrub.pixels.ocr.engine import TextDetector
from pixelscrub.pixels.regions.boxes import Box
from pixelscrub.pixels.text.detect import characters, glyph_mask, tighten
from pixelscrub.pixels.text.match import Finding
from pixelscrub.pixels.text.policy import resolve
from pixelscrub.pixels.text.scan import LINE_HEIGHTS, LineJudge

KEPT_MARGIN = 2  # px around a kept word whose ink is still that word's (anti-aliased fringes)
GLYPHS = 2  # aligned glyph blobs that make an unread region text rather than a shape (a flat box)


@dataclass(frozen=True)
class CheckParams:
    accounted_ink: float = 0.9  # share of a region's ink that must lie under masks or kept words
    stray_ink: float = 0.3      # ...or left-over ink below this many line heights squared (a fringe, a dot)
    detector_scale: float = 0.8  # the learned detector reads images resized by this much


@dataclass
class CheckResult:
    images: int = 0
    regions: int = 0
    masks: list[Finding] = field(default_factory=list)  # unaccounted text masked where PHI is likely
    held: list[Box] = field(default_factory=list)       # unaccounted text anywhere else
    kept: list[Box] = field(default_factory=list)       # unaccounted text that was clinical after all

    def reasons(self) -> list[str]:
        if not self.images:
            return []
        reasons = []
        if self.masks:
            labels = ", ".join(sorted({f.label for f in self.masks}))
            reasons.append(f"verify: {_regions(len(self.masks))} the first pass missed, masked ({labels})")
        if self.held:
            reasons.append(f"verify: unaccounted text ({_regions(len(self.held))} neither PHI nor clinical text, "
                           "away from where PHI is likely); held for a person to judge")
        if not reasons:
            reasons.append(f"verify: {_regions(self.regions)} found by the independent detector in "
                           f"{self.images} image{'s' if self.images != 1 else ''}, all accounted for")
        return reasons


def _regions(count: int) -> str:
    return f"{count} text region{'s' if count != 1 else ''}"


@dataclass
class Checker:
    detector: TextDetector
    judge: LineJudge
    params: CheckParams = CheckParams()
    result: CheckResult = field(default_factory=CheckResult)

    def check(self, grey: np.ndarray, masks: list[Box], kept: list[Box], found: list[Box] | None = None,
              composite: bool = False) -> None:
        """Search one masked reading image; `masks` are the padded mask boxes, `kept` the kept words.
        `found`: the detector's regions on the same image before masking, when the first pass asked for
        them (text over anatomy): masking only removes text, so every region the masked image can show
        is among them, and the detector need not run twice. `composite`: the image is a run's static
        composite, where text that changes from frame to frame (a counter) shows blended, unreadable,
        and was read on every frame by the first pass."""
        self.result.images += 1
        accounted = np.zeros(grey.shape[:2], bool)
        for box in masks:
            accounted[box.y:box.y1, box.x:box.x1] = True
        rows, columns = grey.shape[:2]
        for box in kept:
            near = box.pad(KEPT_MARGIN, columns, rows)
            accounted[near.y:near.y1, near.x:near.x1] = True
        tallest = LINE_HEIGHTS * self.judge.settings.detect.max_height
        for region in self.detector.detect(grey) if found is None else found:
            if region.h > tallest:
                continue  # no line of text: the detector's rare grouping of a whole image region
            self.result.regions += 1
            left = self._unaccounted(grey, accounted, region)
            if left is not None:
                self._judge(grey, left, accounted, composite)

    def _unaccounted(self, grey: np.ndarray, accounted: np.ndarray, region: Box) -> Box | None:
        """The box around the region's ink that neither masks nor kept words account for, if it matters."""
        crop = grey[region.y:region.y1, region.x:region.x1]
        if crop.size == 0 or crop.min() == crop.max():
            return None  # flat: a mask's fill
        ink = glyph_mask(crop)
        left = ink & ~accounted[region.y:region.y1, region.x:region.x1]
        height = tighten(grey, region).h
        if left.sum() <= (1 - self.params.accounted_ink) * ink.sum() or left.sum() < self.params.stray_ink * height ** 2:
            return None
        ys, xs = np.nonzero(left)
        box = Box(region.x + int(xs.min()), region.y + int(ys.min()), int(xs.max() - xs.min() + 1),
                  int(ys.max() - ys.min() + 1))
        return tighten(grey, box)

    def _judge(self, grey: np.ndarray, box: Box, accounted: np.ndarray, composite: bool) -> None:
        # Text by the detector's account and glyphs by pixelscrub's (not a flat box), where no blend of
        # changing text is to be expected: text, whatever a weak read says.
        text = not composite and characters(grey[box.y:box.y1, box.x:box.x1], GLYPHS) >= GLYPHS
        _, findings = self.judge(grey, box, detected=text)
        if not findings and text:
            # Nothing read well enough to judge: a name over a localizer read as "ae" is no noise.
            # Settled as anything unreadable is.
            findings = resolve([Finding(box, "unreadable", "doubtful")], self.judge.places,
                               self.judge.settings.match.policy)
        for finding in findings:
            if finding.kind == "phi":
                self.result.masks.append(finding)
            elif finding.kind == "doubtful":
                self.result.held.append(finding.box)
            else:
                self.result.kept.append(finding.box)
            accounted[finding.box.y:finding.box.y1, finding.box.x:finding.box.x1] = True

