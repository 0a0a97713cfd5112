"""OCR engines behind one small interface, and the line-crop preparation they share.

Engines read one prepared line crop (dark text on a light background, upscaled) and return words with
boxes in crop coordinates; `read_line` maps them back to the stored image.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import cv2
import numpy as np

from pixelscrub.pixels.regions.boxes import Box


@dataclass(frozen=True)
class OcrWord:
    text: str
    confidence: float  # 0-100, as the engine reports it
    box: Box


@dataclass(frozen=True)
class OcrLine:
    box: Box
    words: tuple[OcrWord, ...]
    engine: str

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def confidence(self) -> float:
        """The weakest word's confidence: one unreadable word is enough to doubt the line."""
        return min((w.confidence for w in self.words), default=0.0)


class OcrEngine(ABC):
    """Reads a single prepared line crop."""

    name: str = "engine"

    @abstractmethod
    def read(self, crop: np.ndarray) -> list[OcrWord]:
        """Words found in `crop` (uint8 grey, dark text on light), boxes in crop pixels."""

    def close(self) -> None:
        """Release what the engine holds; engines without resources need nothing."""


class TextDetector(ABC):
    """Finds text lines in a whole image: a learned detector, independent of pixelscrub's own proposals."""

    name: str = "detector"

    @abstractmethod
    def detect(self, grey: np.ndarray) -> list[Box]:
        """Boxes of the text lines found in an 8-bit grey image, in its pixel coordinates."""

    def close(self) -> None:
        """Release what the detector holds."""


@dataclass(frozen=True)
class CropSettings:
    text_height: int = 28     # crops are scaled so a line is about this tall: Tesseract's sweet spot
    max_scale: float = 3.0
    pad: int = 4
    small_line: int = 0       # first pass: lines this tall or less are read by the second engine first
    small_text: int = 12      # lines this tall or less get a thin margin above and below

    def scale_for(self, box: Box) -> float:
        return min(self.max_scale, max(1.0, self.text_height / max(1, box.h)))


def prepare_crop(grey: np.ndarray, box: Box, settings: CropSettings) -> tuple[np.ndarray, Box]:
    """Cut the line with a margin, make the text dark on light, and upscale it for the engine."""
    scale = settings.scale_for(box)
    height, width = grey.shape[:2]
    # Above and below a small line, a margin of a sixth of its height: lines of small text stand a few
    # pixels apart, and scraps of the next line in the crop make a single-line reader read nothing.
    above = min(settings.pad, max(1, round(box.h / 6))) if box.h <= settings.small_text else settings.pad
    padded = box.pad(settings.pad, width, height, above)
    crop = grey[padded.y:padded.y1, padded.x:padded.x1]
    border = np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]])
    if np.median(border) < np.median(crop) or np.median(border) < 128 and crop.mean() < 128:
        crop = 255 - crop
    if scale != 1.0:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    # A white margin helps the engine find the baseline of text touching the crop edge.
    crop = cv2.copyMakeBorder(crop, 8, 8, 8, 8, cv2.BORDER_CONSTANT, value=255)
    return np.ascontiguousarray(crop), padded


def read_line(engine: OcrEngine, grey: np.ndarray, box: Box, settings: CropSettings = CropSettings()) -> OcrLine:
    crop, padded = prepare_crop(grey, box, settings)
    scale = settings.scale_for(box)
    words = []
    for word in engine.read(crop):
        x = padded.x + (word.box.x - 8) / scale
        y = padded.y + (word.box.y - 8) / scale
        # Vertically a word stays within its line, whatever the engine's box: a mask must not bite
        # into the line above or below.
        x0, y0 = max(padded.x, int(np.floor(x))), max(box.y, int(np.floor(y)))
        x1 = min(padded.x1, int(np.ceil(x + word.box.w / scale)))
        y1 = min(box.y1, int(np.ceil(y + word.box.h / scale)))
        if x1 > x0 and y1 > y0:
            words.append(OcrWord(word.text, word.confidence, Box(x0, y0, x1 - x0, y1 - y0)))
    return OcrLine(box=box, words=tuple(words), engine=engine.name)
