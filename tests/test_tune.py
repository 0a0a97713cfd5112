"""`pixelscrub tune`: a sweep on the generated archive whose chosen profile, used by a real scrub, gives the
figures the sweep reported; real plots; and the pieces (sweep syntax, choice, profile text, OCR cache)."""

from __future__ import annotations

import json
import re

import cv2
import numpy as np
import pytest

from pixelscrub.cli import main
from pixelscrub.config import load_profile
from pixelscrub.errors import BadArgsError, ExitCode
from pixelscrub.pixels.ocr.cache import CachedEngine
from pixelscrub.pixels.ocr.engine import OcrEngine, OcrWord
from pixelscrub.pixels.regions.boxes import Box
from pixelscrub.tune import Point, _set_value, choose, parse_sweep, typed_setting, with_setting

CHOSEN = re.compile(r"chosen: .*: recall ([\d.]+), quarantine rate ([\d.]+), clinical retention ([\d.]+)")


@pytest.fixture(scope="module")
def tuned(synth_archive, tmp_path_factory):
    """A two-setting sweep (detection edge threshold 45 or 60) and what it printed."""
    folder = tmp_path_factory.mktemp("tune")
    capture = pytest.MonkeyPatch()
    lines: list[str] = []
    capture.setattr("builtins.print", lambda *a, **k: lines.append(" ".join(str(x) for x in a)))
    try:
        code = main(["tune", str(synth_archive), "--truth", str(synth_archive / "truth.json"),
                     "--out", str(folder / "profiles" / "tuned.toml"), "--plots", str(folder / "plots"),
                     "--sweep", "detect.edge_threshold=45,60", "--sweep", "match.doubt_confidence=60",
                     "--sweep", "match.noise_confidence=60"])
    finally:
        capture.undo()
    assert code == ExitCode.ok, lines
    return folder, "\n".join(lines)


def test_the_tuned_profile_reproduces_its_operating_point(tuned, synth_archive):
    folder, printed = tuned
    recall, quarantine, retention = map(float, CHOSEN.search(printed).groups())
    profile = folder / "profiles" / "tuned.toml"
    assert load_profile(str(profile)).detect.edge_threshold in (45, 60)
    out = folder / "evaluation"
    code = main(["evaluate", str(synth_archive), "--truth", str(synth_archive / "truth.json"), "--out", str(out),
                 "--profile", str(profile), "--workers", "2"])
    assert code == ExitCode.ok
    figures = json.loads((out / "evaluation.json").read_text())["figures"]
    one_image = 1 / figures["text_images"]
    assert abs(figures["phi_recall"] - recall) < 1e-4
    assert abs(figures["quarantine_rate"] - quarantine) <= one_image
    assert abs(figures["clinical_retention"] - retention) < 0.01


def test_the_plots_are_real_images(tuned):
    folder, _ = tuned
    for name in ("recall_vs_quarantine.png", "recall_vs_retention.png"):
        image = cv2.imread(str(folder / "plots" / name))
        assert image is not None and image.shape[:2] == (600, 800)
        assert image.std() > 10 and len(np.unique(image.reshape(-1, 3), axis=0)) > 50  # axes, labels, points
    page = (folder / "plots" / "index.html").read_text()
    assert "recall_vs_quarantine.png" in page and "recall_vs_retention.png" in page
    assert page.count("<tr") == 3  # a header and one row per setting


def test_sweep_syntax():
    grid = parse_sweep(["detect.edge_threshold=30,40", "match.doubt_confidence=55.5"])
    assert grid["detect.edge_threshold"] == (30, 40) and grid["match.doubt_confidence"] == (55.5,)
    assert grid["match.noise_confidence"] == (45.0, 60.0, 75.0)  # the default list stays
    for bad in ("edge_threshold=3", "mask.pad=2,3", "detect.edge_threshold=", "detect.edge_threshold=a,b"):
        with pytest.raises(BadArgsError):
            parse_sweep([bad])
    profile = load_profile("default")
    assert typed_setting(profile, {"detect.edge_threshold": 50.0, "match.doubt_confidence": 50}) == \
        {"detect.edge_threshold": 50, "match.doubt_confidence": 50.0}
    assert with_setting(profile, {"detect.min_height": 8}).detect.min_height == 8
    with pytest.raises(BadArgsError, match="no numeric threshold"):
        typed_setting(profile, {"detect.no_such": 1})


def _point(recall, quarantine, retention=1.0, edge=60):
    return Point({"detect.edge_threshold": edge}, recall, quarantine, retention, 0.0)


def test_choice_is_the_least_quarantine_that_reaches_the_target():
    points = [_point(1.0, 0.30), _point(0.995, 0.10, edge=45), _point(0.98, 0.0), _point(0.995, 0.10, 0.9)]
    assert choose(points, 0.99, {"detect.edge_threshold": 60}) == points[1]
    assert choose(points, 0.999, {"detect.edge_threshold": 60}) == points[0]
    assert choose(points, 1.01, {"detect.edge_threshold": 60}) is None


def test_profile_text_keeps_comments_and_adds_what_is_missing():
    text = "[detect]\nedge_threshold = 60    # why\nmin_height = 6\n\n[match]\ndoubt_confidence = 60.0\n"
    text = _set_value(text, "detect", "edge_threshold", 45)
    text = _set_value(text, "match", "noise_confidence", 70.0)
    text = _set_value(text, "ocr", "pad", 5)
    assert "edge_threshold = 45    # why" in text and "min_height = 6" in text
    assert "[match]\nnoise_confidence = 70.0\ndoubt_confidence = 60.0" in text
    assert text.endswith("[ocr]\npad = 5\n")


class _Counting(OcrEngine):
    name = "counting"

    def __init__(self):
        self.calls = 0

    def read(self, crop):
        self.calls += 1
        return [OcrWord(str(int(crop.sum())), 90.0, Box(0, 0, 1, 1))]


def test_cached_engine_reads_a_crop_once():
    inner = _Counting()
    engine = CachedEngine(inner)
    a, b = np.zeros((4, 8), np.uint8), np.full((4, 8), 3, np.uint8)
    assert engine.read(a) == engine.read(a.copy()) and engine.read(b)[0].text == "96"
    assert inner.calls == 2 and engine.hits == 1
    assert engine.read(np.zeros((8, 4), np.uint8)) and inner.calls == 3  # same bytes, other shape


def test_a_relative_input_is_swept(synth_archive, tmp_path, monkeypatch):
    monkeypatch.chdir(synth_archive.parent)
    code = main(["tune", synth_archive.name, "--truth", str(synth_archive / "truth.json"),
                 "--out", str(tmp_path / "t.toml"), "--plots", str(tmp_path / "plots"), "--recall", "0.5",
                 "--sweep", "detect.edge_threshold=60", "--sweep", "match.doubt_confidence=60",
                 "--sweep", "match.noise_confidence=60"])
    assert code == ExitCode.ok and (tmp_path / "t.toml").is_file()


def test_a_bounded_cache_forgets_the_least_recently_used_read():
    inner = _Counting()
    engine = CachedEngine(inner, most=2)
    crops = [np.full((2, 2), v, np.uint8) for v in range(3)]
    engine.read(crops[0]), engine.read(crops[1]), engine.read(crops[0]), engine.read(crops[2])
    assert len(engine.reads) == 2 and inner.calls == 3
    engine.read(crops[0])  # kept: it was used after crops[1]
    assert inner.calls == 3
    engine.read(crops[1])  # forgotten: read again
    assert inner.calls == 4
