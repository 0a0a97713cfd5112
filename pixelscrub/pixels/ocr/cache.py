"""OCR reads and detections remembered by the pixels they were made on, and engines built only when first
needed."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable

import numpy as np

from pixelscrub.pixels.ocr.engine import OcrEngine, OcrWord, TextDetector
from pixelscrub.pixels.regions.boxes import Box


class CachedEngine(OcrEngine):
    """Remembers reads by the crop's pixels: a threshold sweep that proposes the same crops again, or a
    study whose images repeat a banner line pixel for pixel, never reads them twice. The engines are
    deterministic, so a remembered read is the read. With `most`, the least recently used reads go
    first, so a worker's memory stays bounded over a long run."""

    def __init__(self, engine: OcrEngine, most: int | None = None):
        self.engine, self.name, self.most = engine, engine.name, most
        self.reads: OrderedDict[tuple, list[OcrWord]] = OrderedDict()
        self.hits = 0

    def read(self, crop: np.ndarray) -> list[OcrWord]:
        key = (crop.shape, hashlib.blake2b(np.ascontiguousarray(crop).tobytes(), digest_size=16).digest())
        if key in self.reads:
            self.hits += 1
            self.reads.move_to_end(key)
            return self.reads[key]
        words = self.reads[key] = self.engine.read(crop)
        if self.most is not None and len(self.reads) > self.most:
            self.reads.popitem(last=False)
        return words

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
        self.detector, self.name, self.most = detector, detector.name, most
        self.found: OrderedDict[tuple, list[Box]] = OrderedDict()
        self.hits = 0

    def detect(self, grey: np.ndarray) -> list[Box]:
        key = (grey.shape, hashlib.blake2b(np.ascontiguousarray(grey).tobytes(), digest_size=16).digest())
        if key in self.found:
            self.hits += 1
            self.found.move_to_end(key)
            return self.found[key]
        boxes = self.found[key] = self.detector.detect(grey)
        if self.most is not None and len(self.found) > self.most:
            self.found.popitem(last=False)
        return boxes

    def close(self) -> None:
        self.detector.close()
