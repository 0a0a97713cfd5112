"""The decision: release or quarantine, with the reasons and a confidence.

An image is held when any text in it (or in its overlay planes) could not be judged, when the second
pass still finds PHI, or when it is a document or a photograph with a face. Confidence is the weakest OCR word confidence
among the words judged (0-1), 1.0 with no text, 0 for a held document or face.
"""

from __future__ import annotations

from dataclasses import dataclass

from pixelscrub.pixels.text.scan import Scan
from pixelscrub.pixels.text.verify import Verification


@dataclass(frozen=True)
class Decision:
    status: str  # "released" or "quarantined"
    reasons: tuple[str, ...]
    confidence: float


@dataclass(frozen=True)
class Content:
    document: bool = False
    faces: int = 0


def decide(first: Scan, verification: Verification, masked_words: int, content: Content = Content(),
           overlay_doubts: int = 0) -> Decision:
    """`overlay_doubts`: text regions in overlay planes that could not be judged (their reasons are
    the pipeline's)."""
    reasons = []
    labels = first.labels("phi")
    if masked_words:
        reasons.append(f"pixel: {masked_words} PHI text regions masked ({', '.join(labels)})")
    elif first.lines:
        reasons.append("pixel: text read, no PHI found")
    else:
        reasons.append("pixel: no text found")
    doubtful = len(first.boxes("doubtful"))
    if doubtful:
        reasons.append(f"pixel: {doubtful} text regions could not be read with confidence")
    if content.document:
        reasons.append("pixel: looks like a document (dense text); held for a person to check every line")
    if content.faces:
        reasons.append(f"pixel: {content.faces} face(s) found; a photograph can identify the patient")
    reasons.append(verification.reason())
    words = [w for line in first.lines for w in line.words]
    confidence = min((w.confidence for w in words), default=100.0) / 100.0
    held = doubtful > 0 or not verification.clean or content.document or content.faces > 0 or overlay_doubts > 0
    if not verification.clean or content.document or content.faces:
        confidence = 0.0
    return Decision("quarantined" if held else "released", tuple(reasons), round(max(0.0, confidence), 3))
