"""What kind of picture an image is, beyond its text: a document, or a photograph showing a face.

Either can identify the patient however well its burned-in text is masked, so the decision holds it.
Faces are sought only where photographs occur (Haar cascades fire on fluoroscopy and ultrasound
texture), and two of OpenCV's cascades must agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np

from pixelscrub.pixels.regions.boxes import Box

CASCADES = ("haarcascade_frontalface_default.xml", "haarcascade_frontalface_alt2.xml")
MAX_SIDE = 800  # faces are looked for on a copy no larger than this


@dataclass(frozen=True)
class ContentParams:
    # Visible-light and screen images: external camera, endoscopy, general microscopy, ophthalmic
    # and dental photographs, scanned documents, secondary captures, other.
    face_modalities: tuple[str, ...] = ("XC", "ES", "GM", "OP", "IO", "PX", "DOC", "SC", "OT")
    min_face: int = 40              # px, on the copy
    face_chroma: float = 12.0       # mean channel spread inside a face box below which it is grey anatomy
    document_lines: int = 45        # this many text lines...
    document_area: float = 0.25     # ...or text over this share of the image make it a document


@cache
def _cascades() -> tuple[cv2.CascadeClassifier, ...]:
    return tuple(cv2.CascadeClassifier(cv2.data.haarcascades + name) for name in CASCADES)


def faces(grey: np.ndarray, params: ContentParams, chroma: np.ndarray | None = None) -> int:
    """How many faces both cascades find. The second looks only when the first found one: most images
    have no face, and a search costs tens of milliseconds. With `chroma` (the spread between a colour
    image's channels), a face must be in colour: skin is, while the grey anatomy of a screen capture,
    where cascades misfire on chests and skulls, is not."""
    if min(grey.shape[:2]) < params.min_face:
        return 0  # no face of the smallest size fits
    scale = min(1.0, MAX_SIDE / max(grey.shape))
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    if chroma is not None and scale < 1:
        chroma = cv2.resize(chroma, (small.shape[1], small.shape[0]), interpolation=cv2.INTER_AREA)
    found: list[list[Box]] = []
    for cascade in _cascades():
        hits = cascade.detectMultiScale(small, scaleFactor=1.1, minNeighbors=6, minSize=(params.min_face,) * 2)
        found.append([Box(*map(int, hit)) for hit in hits])
        if not found[-1]:
            return 0
    first, second = found
    return sum(1 for a in first if any(a.intersection(b) >= 0.5 * min(a.area, b.area) for b in second)
               and (chroma is None or float(chroma[a.y:a.y1, a.x:a.x1].mean()) >= params.face_chroma))


def looks_like_document(lines: list[Box], rows: int, columns: int, params: ContentParams) -> bool:
    """Dense text: a scanned form or letter, whose every line would need judging. A line read on many
    frames of a run (a cine's banner, a frame counter) is one line."""
    places: list[Box] = []
    for box in lines:
        if not any(box.intersection(other) >= 0.5 * min(box.area, other.area) for other in places):
            places.append(box)
    area = sum(box.area for box in places) / float(rows * columns)
    return len(places) >= params.document_lines or area >= params.document_area
