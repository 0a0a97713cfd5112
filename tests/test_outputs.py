import os

import pytest

from pixelscrub.errors import BadArgsError, InputUnreadableError, OutputNotWritableError
from pixelscrub.outputs import RunPaths, publish, stage
from pixelscrub.report import reason_kind


@pytest.fixture
def paths(tmp_path):
    (tmp_path / "in").mkdir()
    return RunPaths.resolve(tmp_path / "in", tmp_path / "out", None, None)


def test_default_quarantine_and_report_are_siblings_of_output(paths, tmp_path):
    assert paths.quarantine == tmp_path / "out-quarantine" and paths.report == tmp_path / "out-report"
    assert not paths.staging.is_relative_to(paths.output)


def test_publish_never_overwrites_another_file(paths):
    first = publish(stage(paths.staging, b"one"), paths.output, "P/a.dcm")
    second = publish(stage(paths.staging, b"two"), paths.output, "P/a.dcm")
    assert (first, second) == ("P/a.dcm", "P/a-1.dcm")
    assert (paths.output / "P/a.dcm").read_bytes() == b"one"


def test_publish_replaces_identical_or_own_earlier_output(paths):
    publish(stage(paths.staging, b"one"), paths.output, "a.dcm")
    assert publish(stage(paths.staging, b"one"), paths.output, "a.dcm") == "a.dcm"
    assert publish(stage(paths.staging, b"new"), paths.output, "a.dcm", replaceable="a.dcm") == "a.dcm"
    assert (paths.output / "a.dcm").read_bytes() == b"new"
    assert os.listdir(paths.staging) == []


def test_output_inside_input_is_refused(tmp_path):
    (tmp_path / "in").mkdir()
    with pytest.raises(BadArgsError):
        RunPaths.resolve(tmp_path / "in", tmp_path / "in" / "out", None, None)


def test_missing_input_is_reported(tmp_path):
    with pytest.raises(InputUnreadableError):
        RunPaths.resolve(tmp_path / "nope", tmp_path / "out", None, None)


def test_unwritable_output_is_reported(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "a-file").write_text("not a folder")  # fails for root too, unlike permissions
    with pytest.raises(OutputNotWritableError):
        RunPaths.resolve(tmp_path / "in", tmp_path / "a-file" / "out", None, None)


@pytest.mark.parametrize("reason, kind", [
    ("pixel: 7 PHI text regions masked (PatientName, StudyDate)", "pixel: N PHI text regions masked"),
    ("pixel: 6 PHI text regions masked ((0009,1010), InstitutionName, pattern:time)",
     "pixel: N PHI text regions masked"),
    ("header: PS3.15 2024b profile applied (options: Clean Descriptors (C))", "header: PS3.15 2024b profile applied"),
    ("verify: 3 masked lines read again, clean", "verify: N masked lines read again, clean"),
])
def test_reason_kinds_group_alike_reasons(reason, kind):
    assert reason_kind(reason) == kind
