"""Shared fixtures: a private project home per test, OCR line builders, the synthetic archive, the samples."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from pixelscrub.pixels.regions.boxes import Box
from pixelscrub.pixels.ocr.engine import OcrLine, OcrWord

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO.parent / "shared" / "samples"


@pytest.fixture(autouse=True)
def private_home(tmp_path, monkeypatch):
    """Every test gets its own project home, so no test reads another's keys or pseudonyms."""
    home = tmp_path / "pixelscrub-home"
    monkeypatch.setenv("PIXELSCRUB_HOME", str(home))
    return home


def make_line(text: str, confidence: float = 95.0, y: int = 10, height: int = 12,
              confidences: list[float] | None = None) -> OcrLine:
    """An OCR line as an engine would return it: one word per space-separated token, boxes left to right."""
    words, x = [], 5
    for i, token in enumerate(text.split()):
        width = 7 * len(token)
        conf = confidences[i] if confidences else confidence
        words.append(OcrWord(token, conf, Box(x, y, width, height)))
        x += width + 6
    box = Box(5, y, max(1, x - 11), height)
    return OcrLine(box=box, words=tuple(words), engine="test")


def _synth_key(seed: int, count: int) -> str:
    digest = hashlib.sha256()
    for path in sorted((REPO / "pixelscrub" / "synth").glob("*.py")):
        digest.update(path.read_bytes())
    return f"synth-{seed}-{count}-{digest.hexdigest()[:12]}"


@pytest.fixture(scope="session")
def synth_archive(request) -> Path:
    """A small generated archive with ground truth, cached between runs until the generator changes."""
    from pixelscrub.synth import generate

    folder = Path(request.config.cache.mkdir(_synth_key(11, 16)))
    if not (folder / "truth.json").is_file():
        shutil.rmtree(folder)
        generate(folder, seed=11, count=16)
    return folder


@pytest.fixture
def archive_copy(synth_archive, tmp_path) -> Path:
    """A writable copy of the synthetic archive, for tests that add files to the input."""
    target = tmp_path / "archive"
    shutil.copytree(synth_archive, target)
    return target


@pytest.fixture(scope="session")
def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip("../shared/samples is not beside the repository")
    return SAMPLES
