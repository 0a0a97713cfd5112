"""Text-line proposals from the pixels alone: fast, high recall, and blind to what the text says.

Strokes of burned-in text have sharp edges on both sides, so a morphological gradient lights them up
whatever the polarity (bright on dark, dark on light, on a box); closing it horizontally merges the
characters of a line into one blob, and size and density filters drop anatomy and speckle.
Rendered text is two-toned (glyph colour on background colour) and usually sits on a flat surround;
speckle and anatomy are neither, so a proposal failing both tests is dropped before OCR.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from pixelscrub.pixels.boxes import Box


@dataclass(frozen=True)
class DetectParams:
    edge_threshold: int = 60       # minimum gradient (0-255) of a text stroke edge
    min_height: int = 6
    max_height: int = 48
    min_width: int = 4
    min_fill: float = 0.25         # share of a line box covered by edge pixels
    max_fill: float = 0.95
    join_gap: int = 9              # horizontal gap (px) that joins characters into words
    word_gap: float = 1.6          # gap between words of one line, as a share of the line height
    min_two_tone: float = 0.75     # Otsu between-class share of the crop's variance below which...
    max_surround_std: float = 15.0  # ...and surround std above which a proposal is texture


def propose_lines(grey: np.ndarray, params: DetectParams = DetectParams()) -> list[Box]:
    """Boxes of likely text lines in an 8-bit grey image, top to bottom, left to right."""
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))
    gradient = cv2.morphologyEx(grey, cv2.MORPH_GRADIENT, kernel)
    edges = (gradient >= params.edge_threshold).astype(np.uint8)
    joined = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (params.join_gap, 1)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    boxes = []
    for x, y, w, h, _ in stats[1:count]:
        if not (params.min_height <= h <= params.max_height and w >= params.min_width):
            continue
        fill = edges[y:y + h, x:x + w].mean()
        if params.min_fill <= fill <= params.max_fill:
            boxes.append(Box(int(x), int(y), int(w), int(h)))
    lines = _join_words(sorted(boxes, key=lambda b: (b.x, b.y)), params.word_gap)
    return [b for b in lines if not _is_texture(grey, b, params)]


def two_tone(crop: np.ndarray) -> float:
    """Share of the crop's grey variance explained by an Otsu split: near 1 for rendered text."""
    threshold, _ = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    values = crop.astype(np.float32).ravel()
    total = values.var()
    if total == 0:
        return 1.0
    low, high = values[values <= threshold], values[values > threshold]
    within = sum(part.var() * part.size for part in (low, high) if part.size) / values.size
    return 1.0 - within / total


def surround_std(grey: np.ndarray, box: Box) -> float:
    """Grey spread in a ring around the box: flat for banners and text boxes, high inside anatomy."""
    outer = box.pad(max(2, box.h // 3), grey.shape[1], grey.shape[0])
    ring = np.ones((outer.h, outer.w), bool)
    ring[box.y - outer.y:box.y1 - outer.y, box.x - outer.x:box.x1 - outer.x] = False
    values = grey[outer.y:outer.y1, outer.x:outer.x1][ring]
    return float(values.std()) if values.size else 0.0


def _is_texture(grey: np.ndarray, box: Box, params: DetectParams) -> bool:
    return (two_tone(grey[box.y:box.y1, box.x:box.x1]) < params.min_two_tone
            and surround_std(grey, box) > params.max_surround_std)


def _join_words(boxes: list[Box], word_gap: float) -> list[Box]:
    """Merge word boxes that share a baseline and sit close together into line boxes."""
    lines: list[Box] = []
    for box in boxes:  # sorted left to right
        for i, line in enumerate(lines):
            overlap = min(line.y1, box.y1) - max(line.y, box.y)
            height = max(line.h, box.h)
            if (overlap >= 0.6 * min(line.h, box.h) and abs(line.h - box.h) <= 0.5 * height
                    and 0 <= box.x - line.x1 <= word_gap * height):
                lines[i] = line.union(box)
                break
        else:
            lines.append(box)
    return sorted(lines, key=lambda b: (b.y, b.x))
