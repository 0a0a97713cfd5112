"""Reading the text of every frame: detect lines, OCR each distinct line once, judge it.

In a cine the overlay is the same on every frame, so a line crop is keyed by its position and a hash
of its pixels: a static banner is read once however many frames carry it, while text that changes
(a frame counter, a caption on some frames) is read where it changes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

from pydicom.dataset import Dataset

from pixelscrub.header.phi import PhiSet
from pixelscrub.pixels.boxes import Box
from pixelscrub.pixels.detect import DetectParams, propose_lines
from pixelscrub.pixels.frames import Pixels, reading_image
from pixelscrub.pixels.match import Finding, MatchParams, fold, judge_line
from pixelscrub.pixels.ocr import CropSettings, OcrEngine, OcrLine, read_line


@dataclass(frozen=True)
class ScanSettings:
    detect: DetectParams = DetectParams()
    crop: CropSettings = CropSettings()
    match: MatchParams = MatchParams()
    confirm: CropSettings = CropSettings(scale=3.0, binarize=True)  # the second read of doubtful lines


@dataclass
class Scan:
    lines: list[OcrLine] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    proposals: int = 0
    ocr_calls: int = 0

    def boxes(self, kind: str) -> list[Box]:
        return [f.box for f in self.findings if f.kind == kind]

    def labels(self, kind: str) -> list[str]:
        return sorted({f.label for f in self.findings if f.kind == kind})


def scan(pixels: Pixels, ds: Dataset, engine: OcrEngine, phi: PhiSet, settings: ScanSettings) -> Scan:
    result = Scan()
    seen: set[tuple] = set()
    for index in range(pixels.frames):
        grey = reading_image(pixels.array[index], pixels.photometric, ds)
        for box in propose_lines(grey, settings.detect):
            result.proposals += 1
            key = (box, hashlib.blake2b(grey[box.y:box.y1, box.x:box.x1].tobytes(), digest_size=16).digest())
            if key in seen:
                continue
            seen.add(key)
            line = read_line(engine, grey, box, settings.crop)
            result.ocr_calls += 1
            findings = judge_line(line, phi, settings.match)
            if any(f.kind == "doubtful" for f in findings):
                second = read_line(engine, grey, box, settings.confirm)
                result.ocr_calls += 1
                line, findings = reconcile(line, second, phi, settings.match)
            result.lines.append(line)
            result.findings.extend(findings)
    return result


def _merge(first: OcrLine, second: OcrLine, threshold: float) -> OcrLine:
    """The first read, with each doubtful word settled by the second read where it can be.

    Tesseract's word confidence is unreliable on short tokens ("DOB:" read right at 4 %). A doubtful
    word is trusted when the second read agrees on its text, replaced when the second read is confident
    about that spot, and dropped when the second read sees no text there at all and the word is a
    scrap of two or three characters (speckle, a caliper).
    """
    words = []
    for word in first.words:
        if word.confidence >= threshold:
            words.append(word)
            continue
        others = [o for o in second.words if o.box.intersection(word.box) > 0]
        if any(fold(o.text) == fold(word.text) for o in others):
            words.append(replace(word, confidence=threshold))
        elif others and all(o.confidence >= threshold for o in others):
            words.extend(o for o in others if o not in words)
        elif others or sum(c.isalnum() for c in word.text) > 3:
            words.append(word)
    return replace(first, words=tuple(words))


def reconcile(first: OcrLine, second: OcrLine, phi: PhiSet, params: MatchParams) -> tuple[OcrLine, list[Finding]]:
    """Judge a line read twice: doubts settled as `_merge` says, and PHI that either read found kept."""
    merged = _merge(first, second, params.doubt_confidence)
    findings = judge_line(merged, phi, params)
    for read in (first, second):
        findings += [f for f in judge_line(read, phi, params) if f.kind == "phi"]
    return merged, list(dict.fromkeys(findings))
