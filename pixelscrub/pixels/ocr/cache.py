"""OCR reads and detections remembered by the pixels they were made on, and engines built only when first
needed."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable

import numpy as np

from pixelscrub.pixels.ocr.engine import OcrEngine, OcrWord, TextDetector
from pixelscrub.pixels.regions.boxes import Box


class PixelMemory(OrderedDict):
    """Answers remembered by the exact pixels they were computed from, the least recently used going
    first beyond `most`, so a worker's memory stays bounded over a long run."""

    def __init__(self, most: int | None = None):
        super().__init__()
        self.most, self.hits = most, 0

    def recall(self, pixels: np.ndarray, compute: Callable[[np.ndarray], list]) -> list:
        key = (pixels.shape, hashlib.blake2b(np.ascontiguousarray(pixels).tobytes(), digest_size=16).digest())
        if key in self:
            self.hits += 1
            self.move_to_end(key)
            return self[key]
        answer = self[key] = compute(pixels)
        if self.most is not None and len(self) > self.most:
            self.popitem(last=False)
        return answer


class CachedEngine(OcrEngine):
    """Remembers reads by the crop's pixels: a threshold sweep that proposes the same crops again, or a
    study whose images repeat a banner line pixel for pixel, never reads them twice. The engines are
    deterministic, so a remembered read is the read."""

    def __init__(self, engine: OcrEngine, most: int | None = None):
        self.engine, self.name, self.reads = engine, engine.name, PixelMemory(most)

    @property
    def hits(self) -> int:
        return self.reads.hits

    def read(self, crop: np.ndarray) -> list[OcrWord]:
        return self.reads.recall(crop, self.engine.read)

    def close(self) -> None:
        self.engine.close()


class LazyEngine(OcrEngine):
    """An engine built on its first read: a second engine's models load only if a line needs them."""

    def __init__(self, factory: Callable[[], OcrEngine], name: str):
        self._factory, self._engine, self.name = factory, None, name

    def read(self, crop: np.ndarray) -> list[OcrWord]:
        if self._engine is None:
            self._engine = self._factory()
        return self._engine.read(crop)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()


class CachedDetector(TextDetector):
    """Remembers a detector's boxes by the image's pixels: a threshold sweep shows it the same masked
    images again and again. The detector is deterministic, so remembered boxes are its boxes."""

    def __init__(self, detector: TextDetector, most: int | None = None):
        self.detector, self.name, self.found = detector, detector.name, PixelMemory(most)

    def detect(self, grey: np.ndarray) -> list[Box]:
        return self.found.recall(grey, self.detector.detect)

    def close(self) -> None:
        self.detector.close()
