"""RapidOCR recognition (PP-OCR models inside its wheel, run by onnxruntime, offline): the second engine.

It reads small overlay text better than Tesseract, at several times the cost, so it gives the second
opinion on lines whose words Tesseract could not read with confidence. Only recognition is used (the
line was found already); use_det, use_cls and use_rec are passed on every call because RapidOCR
remembers them between calls. Word boxes come from the recognizer's character columns.
"""

from __future__ import annotations

import numpy as np

from pixelscrub.errors import MissingDependencyError
from pixelscrub.pixels.regions.boxes import Box
from pixelscrub.pixels.ocr.engine import OcrEngine, OcrWord

SETTINGS = {
    "Global.log_level": "critical",
    "Global.return_word_box": True,
    # One thread per process: the pipeline already runs one worker per core.
    "EngineConfig.onnxruntime.intra_op_num_threads": 1,
    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
}


class RapidOcrEngine(OcrEngine):
    name = "rapidocr"

    def __init__(self) -> None:
        try:
            from rapidocr import RapidOCR
        except ImportError:
            raise MissingDependencyError("rapidocr is not installed; run: .venv/bin/pip install rapidocr onnxruntime") \
                from None
        self._ocr = RapidOCR(params=SETTINGS)

    def read(self, crop: np.ndarray) -> list[OcrWord]:
        result = self._ocr(crop, use_det=False, use_cls=False, use_rec=True)
        if not result.txts or not result.word_results:
            return []
        text, info = result.txts[0], result.word_results[0]
        step = crop.shape[1] / max(1.0, float(info.line_txt_len))
        words, cursor = [], 0
        for chars, columns in zip(info.words, info.word_cols):
            word = "".join(chars)
            start = text.find(word, cursor)
            if start < 0 or not columns:
                continue
            cursor = start + len(word)
            confidence = 100.0 * min(info.confs[start:cursor] or [0.0])
            x0, x1 = int(columns[0] * step), int((columns[-1] + 1) * step)
            words.append(OcrWord(word, confidence, Box(x0, 0, max(1, x1 - x0), crop.shape[0])))
        return words

    def read_page(self, image: np.ndarray) -> list[str]:
        """Every text line RapidOCR's own detector finds in a whole image: a reader independent of
        pixelscrub's detection, for checking what a released image still shows."""
        result = self._ocr(image, use_det=True, use_cls=False, use_rec=True)
        return list(result.txts or [])
