"""The real vendor samples in ../shared/samples: every file gets a valid status, and no labelled PHI
string can be read back from a released file."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from pixelscrub.config import load_config
from pixelscrub.pixels.ocr.rapid import RapidOcrEngine
from pixelscrub.pixels.ocr.tesseract import tesseract_engine
from pixelscrub.run import scrub
from pixelscrub.score import read_back, squash


@pytest.fixture(scope="module")
def sample_run(samples, tmp_path_factory):
    out = tmp_path_factory.mktemp("samples") / "out"
    config = replace(load_config(None), home=out.parent / "home")  # module scope: set the home here
    scrub(samples, out, None, None, config, workers=2)
    records = [json.loads(line) for line in (out.with_name("out-report") / "manifest.jsonl").read_text().splitlines()]
    labels = json.loads((samples / "labels.json").read_text())["files"]
    return out, {r["source"]: r for r in records}, labels


def test_every_sample_gets_a_status_and_no_error(sample_run, samples):
    _, records, labels = sample_run
    assert set(labels) <= set(records)
    for name in labels:
        record = records[name]
        assert record["status"] in ("released", "quarantined"), (name, record["reasons"])
        assert not any(r.startswith("error:") for r in record["reasons"]), (name, record["reasons"])


def test_no_labelled_phi_is_readable_in_a_released_sample(sample_run):
    """Read back with pixelscrub's own pass and with RapidOCR's independent detector on the whole image."""
    out, records, labels = sample_run
    engine, independent = tesseract_engine(), RapidOcrEngine()
    settings = load_config(None).profile.first_pass()
    released = 0
    for name, label in labels.items():
        record = records[name]
        if record["status"] != "released" or not label["phi"]:
            continue
        text = read_back(out / record["output"], engine, independent, settings)
        for phi in label["phi"]:
            value = squash(phi.split(":", 1)[-1])  # "DOB: 07.22.1943": the date is the PHI
            assert value not in text, (name, "a labelled PHI string is still readable")
        released += 1
    engine.close()
    assert released >= 1


def test_samples_held_for_review_have_a_reason_and_preview(sample_run):
    out, records, _ = sample_run
    for record in records.values():
        if record["status"] == "quarantined":
            assert any(r.startswith(("pixel:", "verify:")) for r in record["reasons"])
            assert (out.with_name("out-quarantine") / record["output"]).with_suffix(".png").is_file()
