"""Reading the text of every frame: detect lines, OCR each distinct line once, judge it.

In a cine or a fluoroscopy run the overlay is the same on every frame while the image behind it moves,
so a line is keyed by its position and a hash of its glyphs (the binarised text, not the raw pixels):
a static banner is read once however many frames carry it and whatever moves behind it, while text
that changes (a frame counter, a caption on some frames) is read where it changes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

import numpy as np
from pydicom.dataset import Dataset

from pixelscrub.header.phi import PhiSet
from pixelscrub.pixels.regions.boxes import Box
from pixelscrub.pixels.text.detect import DetectParams, glyph_mask, propose_lines, text_like
from pixelscrub.pixels.codec.frames import Frames, StaticComposite, chroma_image, reading_image
from pixelscrub.pixels.text.lookalikes import fold
from pixelscrub.pixels.text.match import Finding, MatchParams, judge_line
from pixelscrub.pixels.ocr.engine import CropSettings, OcrEngine, OcrLine, read_line
from pixelscrub.pixels.text.vocabulary import load_vocabulary


# PHI patterns a single misread can fake ("127/128" read as 12771280, a long "ID"): unless read with
# high confidence they stand only if the second engine finds PHI there too; otherwise the spot cannot
# be judged.
WEAK_PATTERNS = frozenset({"pattern:id", "pattern:age-misread"})
SURE = 90.0
CHROMA_MIN = 40  # a first frame whose channels never differ more than this has no coloured text
STATIC_MIN_FRAMES = 3  # with fewer frames, what stays still is not yet telling


@dataclass(frozen=True)
class ScanSettings:
    detect: DetectParams = DetectParams()
    crop: CropSettings = CropSettings()
    match: MatchParams = MatchParams()
    confirm: CropSettings = CropSettings(text_height=32)  # the second engine's read of doubtful lines


@dataclass
class Scan:
    lines: list[OcrLine] = field(default_factory=list)
    frames: list[tuple[int, str]] = field(default_factory=list)  # (frame, source) each line was read from
    findings: list[Finding] = field(default_factory=list)
    ocr_calls: int = 0
    first_image: np.ndarray | None = None  # the reading image of frame 0, for the face check

    def boxes(self, kind: str) -> list[Box]:
        return [f.box for f in self.findings if f.kind == kind]

    def labels(self, kind: str) -> list[str]:
        return sorted({f.label for f in self.findings if f.kind == kind})


def scan(frames: Frames, ds: Dataset, engine: OcrEngine, phi: PhiSet, settings: ScanSettings,
         data_regions: tuple[Box, ...] = (), second: OcrEngine | None = None,
         phi_regions: tuple[tuple[str, Box], ...] = ()) -> Scan:
    """Read every distinct line of every reading image with `engine`, one frame at a time: each frame;
    for a colour image the chroma of its first frame; for a run of three frames or more the static
    composite of its frames. Lines with doubtful words are read again by `second` (the same engine if
    None) with the confirm preprocessing. A line the chroma or static image adds where a frame already
    had one is not read twice. In `phi_regions`, where the device is known to burn in PHI, every
    proposal is read and text the clinical vocabulary does not explain is taken as PHI."""
    reader = _Reader(Scan(), engine, second, phi, settings, data_regions, phi_regions)
    static = StaticComposite() if frames.count >= STATIC_MIN_FRAMES else None
    chroma = None
    for index, frame in frames:
        grey = reading_image(frame, frames.photometric, ds)
        reader.read(index, "grey", grey)
        if index == 0:
            reader.result.first_image = grey
            if frames.colour:
                chroma = chroma_image(frame)
        if static is not None:
            static.add(grey)
    if chroma is not None and chroma.max() > CHROMA_MIN:
        reader.read(0, "chroma", chroma)
    if static is not None:
        reader.read(0, "static", static.image())
    return reader.result


@dataclass
class _Reader:
    result: Scan
    engine: OcrEngine
    second: OcrEngine | None
    phi: PhiSet
    settings: ScanSettings
    data_regions: tuple[Box, ...]
    phi_regions: tuple[tuple[str, Box], ...]
    seen: set[tuple] = field(default_factory=set)

    def read(self, index: int, source: str, grey: np.ndarray) -> None:
        result, settings, phi = self.result, self.settings, self.phi
        for box in propose_lines(grey, settings.detect, self.data_regions, tuple(b for _, b in self.phi_regions)):
            if source != "grey" and any(_same_place(box, line.box) for line in result.lines):
                continue
            glyphs = np.packbits(glyph_mask(grey[box.y:box.y1, box.x:box.x1]))
            key = (box, hashlib.blake2b(glyphs.tobytes(), digest_size=16).digest())
            if key in self.seen:
                continue
            self.seen.add(key)
            line = read_line(self.engine, grey, box, settings.crop)
            result.ocr_calls += 1
            findings = judge_line(line, phi, settings.match)
            weak = [f for f in findings if f.label in WEAK_PATTERNS
                    and min((w.confidence for w in line.words if f.box.contains(w.box)), default=0.0) < SURE]
            questioned = [f.box for f in findings if f.kind == "doubtful" or f in weak]
            looks_like_text = not findings and text_like(grey[box.y:box.y1, box.x:box.x1], settings.detect)
            if not line.words or questioned or looks_like_text:
                again = read_line(self.second or self.engine, grey, _around(questioned, box), settings.confirm)
                result.ocr_calls += 1
                line, findings = reconcile(line, again, phi, settings.match)
                findings = _confirm_weak(findings, weak, judge_line(again, phi, settings.match))
            if not findings and looks_like_text:
                # It looks like text and neither engine could read it: it cannot be judged.
                findings = [Finding(box, "unreadable", "doubtful")]
            if self.phi_regions and settings.match.policy != "header":
                findings = _known_places(findings, line, self.phi_regions, phi)
            result.lines.append(line)
            result.frames.append((index, source))
            result.findings.extend(findings)


def _known_places(findings: list[Finding], line: OcrLine, phi_regions: tuple[tuple[str, Box], ...],
                  phi: PhiSet) -> list[Finding]:
    """Kept text inside a known PHI region becomes PHI unless it is clinical vocabulary or the maker's name."""
    vocabulary = load_vocabulary()
    vendor = {fold(w) for w in phi.vendor_words}

    def explained(word: str) -> bool:
        return vocabulary.explains(word) or fold(word) in vendor

    out = []
    for finding in findings:
        region = next((name for name, box in phi_regions if finding.box.intersection(box) >= 0.5 * finding.box.area),
                      None)
        words = [w for w in line.words if finding.box.contains(w.box)]
        if finding.kind == "keep" and region and not all(explained(w.text) for w in words):
            finding = Finding(finding.box, f"region:{region}", "phi")
        out.append(finding)
    return out


def _same_place(a: Box, b: Box) -> bool:
    return a.intersection(b) >= 0.5 * min(a.area, b.area)


def _around(boxes: list[Box], line: Box) -> Box:
    """The part of the line the second engine reads: the questioned words with a margin, or the line."""
    if not boxes:
        return line
    part = boxes[0]
    for box in boxes[1:]:
        part = part.union(box)
    margin = line.h
    x0, x1 = max(line.x, part.x - margin), min(line.x1, part.x1 + margin)
    return Box(x0, line.y, x1 - x0, line.h)


def _confirm_weak(findings: list[Finding], weak: list[Finding], second: list[Finding]) -> list[Finding]:
    """Weak-pattern findings of the first read the second read does not back become doubtful."""
    backed = [f for f in second if f.kind == "phi"]
    unconfirmed = [f for f in weak if not any(f.box.intersection(b.box) for b in backed)]
    return [Finding(f.box, "unreadable", "doubtful") if f in unconfirmed else f for f in findings]


def _merge(first: OcrLine, second: OcrLine, threshold: float) -> OcrLine:
    """The first read, with each doubtful word settled by the second read where it can be.

    Tesseract's word confidence is unreliable on short tokens ("DOB:" read right at 4 %). A doubtful
    word is trusted when the second read agrees on its text, replaced by the second read's words when
    these are confident about that spot, and dropped when the second read sees no text there at all
    and the word is a scrap of two or three characters (speckle, a caliper).
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
    """Judge a line read twice: doubts settled as `_merge` says, and PHI that either read found kept.

    When the first read found nothing, the second read is the line.
    """
    merged = _merge(first, second, params.doubt_confidence) if first.words else second
    findings = judge_line(merged, phi, params)
    for read in (first, second):
        findings += [f for f in judge_line(read, phi, params) if f.kind == "phi"]
    return merged, list(dict.fromkeys(findings))
