"""Tesseract, in-process through tesserocr where installed, through the pytesseract command otherwise.

OMP_THREAD_LIMIT=1 must be set before the library loads: with OpenMP threads, Tesseract runs several
times slower on small crops, and the pipeline already runs one process per core.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import shutil  # noqa: E402
import subprocess  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from pixelscrub.errors import MissingDependencyError  # noqa: E402
from pixelscrub.pixels.regions.boxes import Box  # noqa: E402
from pixelscrub.pixels.ocr.engine import OcrEngine, OcrWord  # noqa: E402

INSTALL_HINT = "install it with: apt-get install -y tesseract-ocr tesseract-ocr-eng"
TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                 "/usr/share/tessdata", "/usr/local/share/tessdata")
SINGLE_LINE = 7
# Crops arrive dark-on-light, so Tesseract's second, inverted attempt at weak lines is wasted work;
# the word dictionaries slow recognition and do not help with parameters, IDs and dates.
INIT_VARIABLES = {"load_system_dawg": "F", "load_freq_dawg": "F"}
RUN_VARIABLES = {"tessedit_do_invert": "0"}


def find_tessdata() -> str:
    """The folder holding eng.traineddata; tesserocr's wheel carries no language data of its own."""
    candidates = [os.environ.get("TESSDATA_PREFIX", ""), *TESSDATA_DIRS]
    for folder in candidates:
        if folder and (Path(folder) / "eng.traineddata").is_file():
            return folder
    binary = shutil.which("tesseract")
    if binary:
        out = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30)
        listing = out.stdout + out.stderr
        if '"' in listing:
            folder = listing.split('"')[1]
            if (Path(folder) / "eng.traineddata").is_file():
                return folder
    raise MissingDependencyError(f"Tesseract's English language data was not found; {INSTALL_HINT}")


class TesserocrEngine(OcrEngine):
    name = "tesseract"

    def __init__(self) -> None:
        import tesserocr

        self._tesserocr = tesserocr
        self._api = tesserocr.PyTessBaseAPI(path=find_tessdata(), lang="eng", psm=tesserocr.PSM.SINGLE_LINE,
                                            variables=INIT_VARIABLES)
        for name, value in RUN_VARIABLES.items():
            self._api.SetVariable(name, value)

    def read(self, crop: np.ndarray) -> list[OcrWord]:
        api, ril = self._api, self._tesserocr.RIL.WORD
        height, width = crop.shape
        api.SetImageBytes(crop.tobytes(), width, height, 1, width)  # raw grey: no image encoding on the way
        api.Recognize()
        words = []
        iterator = api.GetIterator()
        if iterator is None:
            return words
        for word in self._tesserocr.iterate_level(iterator, ril):
            try:
                text = word.GetUTF8Text(ril).strip()
            except RuntimeError:  # tesserocr raises for an empty word instead of returning ""
                continue
            bbox = word.BoundingBox(ril)
            if text and bbox:
                x0, y0, x1, y1 = bbox
                words.append(OcrWord(text, float(word.Confidence(ril)), Box(x0, y0, x1 - x0, y1 - y0)))
        return words

    def close(self) -> None:
        self._api.End()


class PytesseractEngine(OcrEngine):
    name = "tesseract"

    def __init__(self) -> None:
        import pytesseract

        if shutil.which("tesseract") is None:
            raise MissingDependencyError(f"the tesseract command is not installed; {INSTALL_HINT}")
        self._pytesseract = pytesseract
        variables = " ".join(f"-c {k}={v}" for k, v in {**INIT_VARIABLES, **RUN_VARIABLES}.items())
        self._config = f"--psm {SINGLE_LINE} --tessdata-dir {find_tessdata()} {variables}"

    def read(self, crop: np.ndarray) -> list[OcrWord]:
        data = self._pytesseract.image_to_data(
            Image.fromarray(crop), lang="eng", config=self._config, output_type=self._pytesseract.Output.DICT)
        words = []
        for text, conf, x, y, w, h in zip(data["text"], data["conf"], data["left"], data["top"],
                                          data["width"], data["height"]):
            text = str(text).strip()
            if text and float(conf) >= 0:
                words.append(OcrWord(text, float(conf), Box(int(x), int(y), int(w), int(h))))
        return words


def tesseract_engine() -> OcrEngine:
    """tesserocr when it imports, since it avoids a process start per crop; pytesseract otherwise."""
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return PytesseractEngine()
    return TesserocrEngine()
