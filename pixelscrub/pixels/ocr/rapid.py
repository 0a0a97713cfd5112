"""RapidOCR (PP-OCR models inside its wheel, run by onnxruntime, offline): the second engine, and the
learned text detector.

Its recogniser reads small overlay text better than Tesseract, at several times the cost, so it gives
the second opinion on lines whose words Tesseract could not read with confidence; word boxes come from
the recogniser's character columns. Its detector finds text lines in a whole image by a model that
knows nothing of pixelscrub's morphological proposals, so it checks every image before release and
proposes lines where text is drawn over anatomy. use_det, use_cls and use_rec are passed on every call
because RapidOCR remembers them between calls.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from pixelscrub.errors import MissingDependencyError
from pixelscrub.pixels.regions.boxes import Box
from pixelscrub.pixels.ocr.engine import OcrEngine, OcrWord, TextDetector
from pixelscrub.pixels.ocr.openvino import OpenVinoSession

SETTINGS = {
    "Global.log_level": "critical",
    "Global.return_word_box": True,
    # One thread per process: the pipeline already runs one worker per core.
    "EngineConfig.onnxruntime.intra_op_num_threads": 1,
    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    # Reuse memory between runs: less time per image than allocating anew (benchmarks/ocr_cost.py).
    "EngineConfig.onnxruntime.enable_cpu_mem_arena": True,
}


# The detector sees the image at its own size, up to this many pixels on its longer side: small
# overlay text survives, and a large radiograph is shrunk to what a screen would show.
DETECTOR_SETTINGS = {**SETTINGS, "Det.limit_type": "max", "Det.limit_side_len": 960}


def _rapidocr(params: dict):
    try:
        from rapidocr import RapidOCR
    except ImportError:
        raise MissingDependencyError("rapidocr is not installed; run: .venv/bin/pip install rapidocr onnxruntime") \
            from None
    return RapidOCR(params=params)


def wheel_model(task: str) -> Path:
    """The one ONNX model for `task` ("det", "rec") that RapidOCR's wheel ships."""
    import rapidocr

    found = sorted((Path(rapidocr.__file__).parent / "models").glob(f"*_{task}_*.onnx"))
    if len(found) != 1:
        raise MissingDependencyError(f"rapidocr's wheel should ship one {task} model, it has {len(found)}; "
                                     "reinstall it: .venv/bin/pip install --force-reinstall rapidocr")
    return found[0]


class RapidOcrEngine(OcrEngine):
    name = "rapidocr"

    def __init__(self) -> None:
        self._ocr = _rapidocr(SETTINGS)

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


class RapidDetector(TextDetector):
    name = "rapidocr-det"

    def __init__(self, scale: float = 1.0, runtime: str = "openvino", precision: str = "f32") -> None:
        """`scale`: the detector reads the image resized by this much; its cost goes with the pixels.
        `runtime`: "openvino", or "onnxruntime" as RapidOCR runs it; `precision`, OpenVINO's
        (benchmarks/ocr_cost.py measures them). RapidOCR keeps its pre- and post-processing; only the
        model's session is OpenVINO's."""
        model = wheel_model("det")
        self._ocr = _rapidocr({**DETECTOR_SETTINGS, "Det.model_path": str(model)})
        self.scale = scale
        if runtime == "openvino":
            self._ocr(np.zeros((32, 32, 3), np.uint8), use_det=True, use_cls=False, use_rec=False)  # builds text_det
            self._ocr.text_det.session = OpenVinoSession(model, precision)

    def detect(self, grey: np.ndarray) -> list[Box]:
        small = cv2.resize(grey, None, fx=self.scale, fy=self.scale, interpolation=cv2.INTER_AREA) \
            if self.scale < 1 else grey
        result = self._ocr(np.ascontiguousarray(np.repeat(small[..., None], 3, axis=2)), use_det=True, use_cls=False,
                           use_rec=False)
        boxes = []
        rows, columns = grey.shape[:2]
        for quad in result.boxes if getattr(result, "boxes", None) is not None else []:
            quad = quad / min(1.0, self.scale)
            x0, y0 = max(0, int(np.floor(quad[:, 0].min()))), max(0, int(np.floor(quad[:, 1].min())))
            x1, y1 = min(columns, int(np.ceil(quad[:, 0].max()))), min(rows, int(np.ceil(quad[:, 1].max())))
            if x1 > x0 and y1 > y0:
                boxes.append(Box(x0, y0, x1 - x0, y1 - y0))
        return boxes
