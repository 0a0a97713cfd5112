"""Text-line proposals from the pixels alone: fast, high recall, and blind to what the text says.

Strokes of burned-in text have sharp edges on both sides, so a morphological gradient lights them up
whatever the polarity (bright on dark, dark on light, on a box); closing it horizontally merges the
characters of a line into one blob, and size and density filters drop anatomy and speckle.
Rendered text is two-toned (glyph colour on background colour), usually sits on a flat surround, and
splits into several character-sized blobs; speckle and anatomy are none of these, so a proposal
failing all three tests is dropped before OCR. Text over a vignette or anatomy fails the first two
but keeps its characters.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import cv2
import numpy as np

from pixelscrub.pixels.regions.boxes import Box


OUTLINE_FILL = 0.15  # edge components filling less of their box than this are outlines, not glyphs
STROKE_FILL = 0.7    # a blob filling more of its box than this is a bar or a box, not a letter's strokes


@dataclass(frozen=True)
class DetectParams:
    edge_threshold: int = 60       # minimum gradient (0-255) of a text stroke edge
    min_height: int = 6
    max_height: int = 48
    min_width: int = 4
    min_fill: float = 0.25         # share of a line box covered by edge pixels
    max_fill: float = 1.0
    join_gap: int = 9              # horizontal gap (px) that joins characters into words
    word_gap: float = 1.6          # gap between words of one line, as a share of the line height
    min_two_tone: float = 0.75     # Otsu between-class share of the crop's variance below which...
    max_surround_std: float = 15.0  # ...and surround std above which...
    texture_characters: int = 4    # ...and with fewer aligned characters than this, a proposal is texture
    min_characters: int = 3        # text that OCR cannot read has at least this many characters
    data_min_two_tone: float = 0.8  # inside an ultrasound data region, text must be this two-toned


def propose_lines(grey: np.ndarray, params: DetectParams = DetectParams(),
                  data_regions: tuple[Box, ...] = (), phi_regions: tuple[Box, ...] = ()) -> list[Box]:
    """Boxes of likely text lines in an 8-bit grey image, top to bottom, left to right.

    `data_regions` are where the modality draws its data (ultrasound echo): text is rare there and
    speckle everywhere, so a proposal mostly inside one must be clearly two-toned with characters.
    In `phi_regions`, where the device is known to burn in PHI, no proposal is dropped as texture.
    """
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))
    gradient = cv2.morphologyEx(grey, cv2.MORPH_GRADIENT, kernel)
    edges = _without_outlines((gradient >= params.edge_threshold).astype(np.uint8), params, data_regions)
    joined = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (params.join_gap, 1)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    sums = cv2.integral(edges)  # edge counts of any box in constant time
    boxes = []
    for x, y, w, h, _ in stats[1:count]:
        if w < params.min_width or h < params.min_height or h > 2 * params.max_height:
            continue  # most blobs are specks; nothing more is spent on them
        for box in _split_rows(grey, Box(int(x), int(y), int(w), int(h)), params):
            inside = sums[box.y1, box.x1] - sums[box.y, box.x1] - sums[box.y1, box.x] + sums[box.y, box.x]
            fill = inside / box.area
            if (params.min_height <= box.h <= params.max_height and box.w >= params.min_width
                    and params.min_fill <= fill <= params.max_fill):
                boxes.append(box)
    lines = _join_words(sorted(boxes, key=lambda b: (b.x, b.y)), params.word_gap)
    return [b for b in lines if _inside(b, phi_regions) or (
        not _is_texture(grey, b, params) and not (_inside(b, data_regions) and not _clear_text(grey, b, params)))]


def _inside(box: Box, regions: tuple[Box, ...]) -> bool:
    return any(box.intersection(region) >= 0.8 * box.area for region in regions)


def _clear_text(grey: np.ndarray, box: Box, params: DetectParams) -> bool:
    return text_like(grey[box.y:box.y1, box.x:box.x1], params)


def text_like(crop: np.ndarray, params: DetectParams, least: int | None = None) -> bool:
    """Clearly two-toned and made of several characters (`least`, by default the profile's
    min_characters): text, whether or not OCR can read it."""
    least = params.min_characters if least is None else least
    if two_tone(crop) < params.data_min_two_tone:
        return False
    if least > 2:
        return characters(crop, least) >= least
    # Two characters (initials) must show strokes, not two solid boxes; letters may run together ("MM").
    blobs = _line_blobs(crop)
    stroked = [(w, h) for w, h, area in blobs if area <= STROKE_FILL * w * h]
    return bool(stroked) and (characters(crop, least) >= least or any(w >= 1.2 * h for w, h in stroked))


def _line_blobs(crop: np.ndarray) -> list[tuple[int, int, int]]:
    """(width, height, area) of the glyph blobs at least 45 % as tall as the crop (a line's crop with a
    small margin); a blob touching all four sides is the surround of a box, not a glyph."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(glyph_mask(crop).astype(np.uint8), connectivity=8)
    rows, columns = crop.shape[:2]
    return [(int(w), int(h), int(area)) for x, y, w, h, area in stats[1:count]
            if h >= 0.45 * rows and not (x == 0 and y == 0 and x + w == columns and y + h == rows)]


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


def _blobs(mask: np.ndarray) -> int:
    """Character-sized blobs (at least 40 % of the line's height) standing in a row: on one baseline,
    of like height, as glyphs do and speckle does not."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    height = mask.shape[0]
    blobs = [(int(y + h), int(h)) for _, y, _, h, area in stats[1:count] if h >= 0.4 * height and area >= 3]
    if not blobs:
        return 0
    baseline = statistics.median(bottom for bottom, _ in blobs)  # short lists: plain Python is faster
    typical = statistics.median(h for _, h in blobs)
    return sum(1 for bottom, h in blobs
               if abs(bottom - baseline) <= max(2.0, 0.15 * height) and 0.6 <= h / typical <= 1.4)


def characters(crop: np.ndarray, enough: int = 1 << 30, tails: bool = False) -> int:
    """Aligned glyph blobs, counting stopped at `enough`. With `tails`, for text over two background
    levels (half over a vignette), which splits into dark and light at the first threshold, the bright
    and dark tails are counted too; that is only safe where texture was ruled out some other way."""
    threshold, _ = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    best = _blobs(glyph_mask(crop))
    for side, tail in ((crop[crop > threshold], np.greater), (crop[crop <= threshold], np.less)):
        if best >= enough or not tails:
            break
        if side.size > 8 and side.min() < side.max():
            inner, _ = cv2.threshold(side.reshape(1, -1), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
            best = max(best, _blobs(tail(crop, inner)))
    return best


def _is_texture(grey: np.ndarray, box: Box, params: DetectParams) -> bool:
    """Most text sits on a flat surround, the cheapest test, so it goes first."""
    crop = grey[box.y:box.y1, box.x:box.x1]
    return (surround_std(grey, box) > params.max_surround_std and two_tone(crop) < params.min_two_tone
            and characters(crop, params.texture_characters, tails=True) < params.texture_characters)


def glyph_mask(crop: np.ndarray) -> np.ndarray:
    """The Otsu minority class of a crop: the glyphs, whether bright on dark or dark on light."""
    threshold, _ = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = crop > threshold
    return bright if bright.mean() <= 0.5 else ~bright


def _without_outlines(edges: np.ndarray, params: DetectParams, data_regions: tuple[Box, ...]) -> np.ndarray:
    """Edges without the outlines of things that are not text: anything taller than two lines, and thin
    curves bigger than a character (a fluoroscopy vignette, a vessel, a caliper line), whose pixels fill
    little of their box while a glyph's fill about half. Text beside them then stays its own blob
    instead of merging into one too big or too sparse to be a line. Outlines touching a data region are
    left: removing an echo's boundary would leave strips of speckle that look like lines."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(edges, connectivity=8)
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    w, h, area = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_AREA]
    sparse = area < OUTLINE_FILL * w * h
    outline = (h > 2 * params.max_height) | (sparse & ((h > 0.75 * params.max_height) | (w > params.max_height)))
    for region in data_regions:
        outline &= (x >= region.x1) | (x + w <= region.x) | (y >= region.y1) | (y + h <= region.y)
    outline[0] = False
    return np.where(outline[labels], 0, edges).astype(np.uint8) if outline.any() else edges


def _split_rows(grey: np.ndarray, box: Box, params: DetectParams) -> list[Box]:
    """Cut a blob at rows without glyphs: two text lines a pixel or two apart merge when closed."""
    if box.h < max(2 * params.min_height, 18):
        return [box]
    rows = glyph_mask(grey[box.y:box.y1, box.x:box.x1]).any(axis=1)
    parts, start = [], None
    for i, busy in enumerate([*rows, False]):
        if busy and start is None:
            start = i
        elif not busy and start is not None:
            parts.append((start, i))
            start = None
    if len(parts) < 2:
        return [box]
    return [Box(box.x, box.y + a, box.w, b - a) for a, b in parts]


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


def tighten(grey: np.ndarray, box: Box) -> Box:
    """A learned detector's box shrunk to the glyphs inside it. Its boxes carry a margin of about half a
    line height, which would make OCR scale the text too small; over texture nothing is shrunk."""
    crop = grey[box.y:box.y1, box.x:box.x1]
    if crop.size == 0 or crop.min() == crop.max():
        return box
    mask = glyph_mask(crop)
    rows = np.flatnonzero(mask.sum(axis=1) >= max(1, 0.02 * box.w))
    columns = np.flatnonzero(mask.any(axis=0))
    if rows.size == 0 or columns.size == 0:
        return box
    return Box(box.x + int(columns[0]), box.y + int(rows[0]), int(columns[-1] - columns[0] + 1),
               int(rows[-1] - rows[0] + 1))
