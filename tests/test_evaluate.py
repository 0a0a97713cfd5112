"""`pixelscrub evaluate` and its truth formats: figures on a generated archive, a failing recall target with
previews of the misses, and Presidio's boxes moved back onto the text of the real sample."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import cv2
import numpy as np
import pydicom
import pytest

from pixelscrub.cli import main
from pixelscrub.errors import BadArgsError, ExitCode
from pixelscrub.truth import PRESIDIO_PADDING, load_truth, presidio_kind

PRESIDIO_SAMPLE = "microsoft_presidio__docs_samples_python_sample_data_2_ORIGINAL.dcm"


@pytest.fixture(scope="module")
def evaluated(synth_archive, tmp_path_factory) -> Path:
    """A fresh evaluation of the generated archive, through the command line."""
    out = tmp_path_factory.mktemp("evaluation")
    code = main(["evaluate", str(synth_archive), "--truth", str(synth_archive / "truth.json"), "--out", str(out),
                 "--min-recall", "0.99", "--workers", "2"])
    assert code == ExitCode.ok
    return out


def test_fresh_evaluation_reports_the_figures_and_breakdowns(evaluated, synth_archive):
    doc = json.loads((evaluated / "evaluation.json").read_text())
    truth = json.loads((synth_archive / "truth.json").read_text())
    phi_items = sum(item["phi"] for f in truth["files"] for item in f["items"])
    figures = doc["figures"]
    assert figures["phi_items"] == phi_items and figures["phi_recall"] == 1.0
    assert figures["text_images"] + figures["textless_images"] == len(truth["files"])
    assert 0.99 <= figures["clinical_retention"] <= 1.0 and figures["quarantine_rate"] <= 0.25
    assert {"name", "date", "id"} <= set(doc["by_kind"])
    assert sum(v["items"] for v in doc["by_kind"].values()) == phi_items
    assert set(doc["by_modality"]) == {f["modality"] for f in truth["files"]}
    assert set(doc["by_manufacturer"]) == {f["manufacturer"] for f in truth["files"]}
    assert doc["misses"] == [] and not list((evaluated / "misses").iterdir())
    assert (evaluated / "run-report" / "manifest.jsonl").is_file()


def _clinical_as_phi(synth_archive: Path, report: Path, path: Path) -> int:
    """A hand-labelled CSV that calls the clinical text of released images PHI: the run kept it, so
    every such box is a miss. Returns how many boxes it labels."""
    truth = json.loads((synth_archive / "truth.json").read_text())
    released = {json.loads(line)["source"] for line in (report / "manifest.jsonl").read_text().splitlines()
                if json.loads(line)["status"] == "released"}
    rows = [(f["path"], *item["box"]) for f in truth["files"] if f["path"] in released
            for item in f["items"] if item["kind"] == "clinical"][:4]
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "x", "y", "width", "height"])
        writer.writerows(rows)
    return len(rows)


def test_a_recall_target_not_met_fails_and_every_miss_gets_a_preview(evaluated, synth_archive, tmp_path, capsys):
    labels = tmp_path / "hand.csv"
    count = _clinical_as_phi(synth_archive, evaluated / "run-report", labels)
    assert count == 4
    out = tmp_path / "again"
    code = main(["evaluate", str(synth_archive), "--truth", str(labels), "--run", str(evaluated / "run-report"),
                 "--out", str(out), "--min-recall", "0.9"])
    assert code == ExitCode.below_target
    printed = capsys.readouterr()
    assert "PHI recall: 0.0000 (0/4" in printed.out and "below --min-recall" in printed.err
    doc = json.loads((out / "evaluation.json").read_text())
    assert len(doc["misses"]) == 4 and doc["by_kind"] == {"phi": {"items": 4, "missed": 4, "recall": 0.0}}
    previews = sorted((out / "misses").glob("*.png"))
    assert [p.name for p in previews] == [f"{n:03d}-phi.png" for n in range(1, 5)]
    for preview in previews:
        image = cv2.imread(str(preview))
        assert image is not None and image.shape[0] >= 60 and image.shape[1] >= 100
        assert image.std() > 10  # text, a red box and a legend: not blank


def test_run_without_its_folders_is_refused(tmp_path, synth_archive):
    report = tmp_path / "report"
    report.mkdir()
    (report / "manifest.jsonl").write_text("")
    (report / "summary.json").write_text("{}")
    code = main(["evaluate", str(synth_archive), "--truth", str(synth_archive / "truth.json"), "--run", str(report),
                 "--out", str(tmp_path / "out")])
    assert code == ExitCode.bad_args


def test_presidio_boxes_are_moved_back_onto_the_text(samples):
    sources = sorted(p.name for p in samples.glob("*.dcm"))
    truth = load_truth(samples / "ground_truth" / "presidio_ground_truth.json", sources)
    assert list(truth.files) == [PRESIDIO_SAMPLE]
    assert sorted(truth.unmatched) == ["sample_data/0_ORIGINAL.dcm", "sample_data/1_ORIGINAL.dcm",
                                       "sample_data/3_ORIGINAL.dcm"]
    items = truth.files[PRESIDIO_SAMPLE]
    assert [i.text for i in items] == ["KAUFMAN", "SCOTT", "[M]", "03.09.2012", "07.22.1943"]
    assert items[0].box == (26 - PRESIDIO_PADDING, 0, 72, 11) and all(i.phi for i in items)
    ink = pydicom.dcmread(samples / PRESIDIO_SAMPLE).pixel_array > 1000
    under, as_given = 0, 0
    for item in items:
        x, y, w, h = item.box
        assert ink[y:y + h, x:x + w].mean() > 0.1, item.text  # text under every moved box
        under += ink[y:y + h, x:x + w].sum()
        as_given += ink[y + PRESIDIO_PADDING:y + h + PRESIDIO_PADDING, x + PRESIDIO_PADDING:x + w + PRESIDIO_PADDING].sum()
    assert under > 3 * as_given  # Presidio's own coordinates point mostly at background


def test_presidio_kinds():
    assert presidio_kind("03.09.2012") == "date" and presidio_kind("4471902") == "id"
    assert presidio_kind("KAUFMAN") == "word"


def test_csv_defaults_and_errors(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("file,x,y,width,height,text,phi,kind\n"
                    "a/IM1.dcm,1,2,30,10,DOE JANE,,\n"
                    "a/IM1.dcm,1,20,30,10,MI 1.2,0,\n"
                    "IM2.dcm,5,5,10,10,,1,date\n")
    truth = load_truth(path, ["a/IM1.dcm", "b/IM2.dcm"])
    first, second = truth.files["a/IM1.dcm"]
    assert (first.phi, first.kind, first.box) == (True, "phi", (1, 2, 30, 10))
    assert (second.phi, second.kind) == (False, "clinical")
    assert truth.files["b/IM2.dcm"][0].kind == "date"  # matched by its name's ending
    assert load_truth(path, ["b/XIM2.dcm"]).unmatched == ("a/IM1.dcm", "IM2.dcm")  # whole names only
    path.write_text("file,x,y\nIM1.dcm,1,2\n")
    with pytest.raises(BadArgsError, match="height, width"):
        load_truth(path, ["IM1.dcm"])
    path.write_text("file,x,y,width,height\nIM1.dcm,1,2,wide,4\n")
    with pytest.raises(BadArgsError, match="line 2"):
        load_truth(path, ["IM1.dcm"])


def test_unknown_truth_formats_are_refused(tmp_path):
    path = tmp_path / "truth.json"
    path.write_text(json.dumps({"files": "none", "x": 1}))
    with pytest.raises(BadArgsError, match="not pixelscrub"):
        load_truth(path, [])
    path.write_bytes(np.arange(10, dtype=np.uint8).tobytes() + b"\xff")
    with pytest.raises(BadArgsError, match="neither JSON"):
        load_truth(path, [])
