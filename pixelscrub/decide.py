"""The decision: release or quarantine, with the reasons and a confidence.

An image is held when any text in it (or in its overlay planes) could not be judged, when the
independent check found text that is neither PHI nor clinical away from where PHI is likely, or when
it is a document or a photograph with a face. Confidence is the weakest OCR word confidence among the
words judged (0-1), 1.0 with no text, 0 for a held document or face.
"""

from __future__ import annotations

from dataclasses import dataclass

from pixelscrub.pixels.text.check import CheckResult
from pixelscrub.pixels.text.scan import Scan


@dataclass(frozen=True)
class Decision:
    status: str  # "released" or "quarantined"
    reasons: tuple[str, ...]
    confidence: float


@dataclass(frozen=True)
class Content:
    document: bool = False
    faces: int = 0


def _regions(count: int) -> str:
    return f"{count} text region{'s' if count != 1 else ''}"


def decide(first: Scan, check: CheckResult, content: Content = Content(), overlay_doubts: int = 0) -> Decision:
    """`overlay_doubts`: text regions in overlay planes that could not be judged (their reasons are
    the pipeline's)."""
    reasons = []
    phi = [f for f in first.findings if f.kind == "phi"]
    if phi:
        labels = ", ".join(sorted({f.label for f in phi}))
        reasons.append(f"pixel: {_regions(len(phi))} masked ({labels})")
    elif first.lines:
        reasons.append("pixel: text read, nothing to mask")
    else:
        reasons.append("pixel: no text found")
    doubtful = len(first.boxes("doubtful"))
    if doubtful:
        reasons.append(f"pixel: {_regions(doubtful)} could not be judged (read too weakly, or neither PHI nor "
                       "clinical text away from where PHI is likely)")
    if content.document:
        reasons.append("pixel: looks like a document (dense text); held for a person to check every line")
    if content.faces:
        reasons.append(f"pixel: {content.faces} face(s) found; a photograph can identify the patient")
    reasons += check.reasons()
    words = [w for line in first.lines for w in line.words]
    confidence = min((w.confidence for w in words), default=100.0) / 100.0
    held = doubtful > 0 or bool(check.held) or content.document or content.faces > 0 or overlay_doubts > 0
    if content.document or content.faces:
        confidence = 0.0
    return Decision("quarantined" if held else "released", tuple(reasons), round(max(0.0, confidence), 3))
