"""The line crop the engines read: a small line set close between others is read alone.

Lines of 6 to 9 px text on ultrasound screens stand two or three pixels apart; a crop that takes in
scraps of the lines above and below makes Tesseract's single-line mode read nothing at all.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pixelscrub.pixels.ocr.engine import CropSettings, prepare_crop, read_line
from pixelscrub.pixels.ocr.tesseract import tesseract_engine
from pixelscrub.pixels.regions.boxes import Box
from pixelscrub.pixels.text.detect import tighten

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
LINES = ("3.5 MHz", "Vers 45", "DR 60", "FR 24Hz", "Depth 18 cm", "MI 1.3")


def column(size: int = 9, step: int = 10) -> tuple[np.ndarray, list[Box]]:
    """A right-aligned column of parameters, white on black, and the tight box of each line."""
    font = ImageFont.truetype(str(FONT), size)
    pil = Image.new("L", (200, 20 + step * len(LINES)), 0)
    draw = ImageDraw.Draw(pil)
    for i, text in enumerate(LINES):
        draw.text((196, 8 + i * step), text, fill=220, font=font, anchor="ra")
    grey = np.asarray(pil).copy()
    boxes = []
    for i in range(len(LINES)):
        y0, y1 = 8 + i * step, 8 + (i + 1) * step - 1
        band = grey[y0:y1] > 60
        ys, xs = np.nonzero(band)
        boxes.append(tighten(grey, Box(int(xs.min()), y0 + int(ys.min()), int(xs.max() - xs.min() + 1),
                                       int(ys.max() - ys.min() + 1))))
    return grey, boxes


@pytest.mark.skipif(not FONT.exists(), reason="DejaVu Sans Mono is not installed")
def test_a_crop_takes_no_ink_of_the_lines_above_and_below():
    grey, boxes = column()
    for above, box, below in zip(boxes, boxes[1:], boxes[2:]):
        _, padded = prepare_crop(grey, box, CropSettings())
        assert padded.y >= above.y1 - 1 and padded.y1 <= below.y + 1, (box, padded)
        assert padded.x <= box.x - 3  # the full margin along the line


@pytest.mark.skipif(not FONT.exists(), reason="DejaVu Sans Mono is not installed")
def test_small_lines_set_close_are_read():
    grey, boxes = column()
    engine = tesseract_engine()
    read = [read_line(engine, grey, box).text.replace(" ", "") for box in boxes]
    assert all(read), read  # a crop with scraps of the next lines was read as nothing
    assert sum(r == t.replace(" ", "") for r, t in zip(read, LINES)) >= len(LINES) - 2, read
