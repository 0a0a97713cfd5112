"""Overlay previews for reviewers: the masked image with every text box drawn in its class colour.

Drawn on the masked pixels, so the preview shows no more PHI than the held file itself.
"""

from __future__ import annotations

import textwrap

import cv2
import numpy as np

from pixelscrub.pixels.regions.boxes import Box

# BGR, as OpenCV draws.
COLOURS = {"phi": (0, 0, 255), "keep": (0, 200, 0), "doubtful": (0, 165, 255)}
LEGEND = (("phi", "masked PHI"), ("keep", "kept text"), ("doubtful", "doubtful: check"))


def render(grey: np.ndarray, boxes: list[tuple[str, Box]], note: str = "") -> bytes:
    """PNG bytes: the image with coloured boxes, a legend strip and an optional note below."""
    image = cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)
    for kind, box in boxes:
        cv2.rectangle(image, (box.x, box.y), (box.x1 - 1, box.y1 - 1), COLOURS[kind], 1)
    width = max(image.shape[1], 420)
    notes = textwrap.wrap(note, width=max(20, (width - 12) // 8))
    strip = np.full((26 + 16 * len(notes), width, 3), 32, np.uint8)
    x = 6
    for kind, text in LEGEND:
        cv2.rectangle(strip, (x, 7), (x + 12, 19), COLOURS[kind], -1)
        cv2.putText(strip, text, (x + 18, 18), cv2.FONT_HERSHEY_SIMPLEX, 0.42, (235, 235, 235), 1, cv2.LINE_AA)
        x += 30 + 8 * len(text)
    for row, text in enumerate(notes):
        cv2.putText(strip, text, (6, 40 + 16 * row), cv2.FONT_HERSHEY_SIMPLEX, 0.42, (235, 235, 235), 1, cv2.LINE_AA)
    if image.shape[1] < width:
        image = cv2.copyMakeBorder(image, 0, 0, 0, width - image.shape[1], cv2.BORDER_CONSTANT, value=(0, 0, 0))
    ok, png = cv2.imencode(".png", np.vstack([image, strip]))
    if not ok:
        raise RuntimeError("OpenCV could not encode the preview PNG")
    return png.tobytes()


def placeholder(note: str, width: int = 480, height: int = 120) -> bytes:
    """A preview for an image that could not be decoded: the note and the legend only."""
    return render(np.zeros((height, width), np.uint8), [], note)
