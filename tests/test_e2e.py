"""End to end: scrub a generated archive (plus junk) and check the contract, pixels and headers."""

from __future__ import annotations

import hashlib
import io
import json
import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import numpy as np
import pydicom
import pytest

from pixelscrub.cli import main
from pixelscrub.config import load_config
from pixelscrub.run import scrub

STATUSES = {"released", "quarantined", "skipped", "failed"}
UID_NAME = re.compile(r"^PXS_\d{4}/2\.25\.\d+/2\.25\.\d+/2\.25\.\d+(-\d+)?\.dcm$")


def checksums(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def manifest(report: Path) -> list[dict]:
    return [json.loads(line) for line in (report / "manifest.jsonl").read_text().splitlines()]


@pytest.fixture
def scrubbed(archive_copy, tmp_path):
    """The archive plus a text file and a truncated DICOM, scrubbed once with two workers."""
    (archive_copy / "notes.txt").write_text("scanned on the 3rd floor\n")
    donor = next(archive_copy.glob("us/*.dcm")).read_bytes()
    (archive_copy / "us" / "broken.dcm").write_bytes(donor[: len(donor) // 2])
    before = checksums(archive_copy)
    summary = scrub(archive_copy, tmp_path / "out", None, None, load_config(None), workers=2)
    return archive_copy, tmp_path / "out", summary, before


def test_one_record_per_input_with_valid_fields(scrubbed):
    archive, out, summary, before = scrubbed
    records = manifest(out.with_name("out-report"))
    assert sorted(r["source"] for r in records) == sorted(before)
    for record in records:
        assert set(record) == {"source", "status", "output", "reasons", "masks", "confidence"}
        assert record["status"] in STATUSES and record["reasons"]
        assert not any(r.startswith("error:") for r in record["reasons"]), record["reasons"]
    assert summary["files"] == len(before)
    assert sum(summary["status"].values()) == len(before)


def test_junk_is_skipped_and_truncated_fails_with_a_reason(scrubbed):
    archive, out, _, _ = scrubbed
    by_source = {r["source"]: r for r in manifest(out.with_name("out-report"))}
    assert by_source["notes.txt"]["status"] == "skipped" and by_source["truth.json"]["status"] == "skipped"
    broken = by_source["us/broken.dcm"]
    assert broken["status"] == "failed" and broken["output"] is None
    assert any("truncated" in r for r in broken["reasons"])
    assert not any(p.name.endswith(".txt") or p.name == "truth.json" for p in out.rglob("*"))


def test_inputs_are_unchanged(scrubbed):
    archive, _, _, before = scrubbed
    assert checksums(archive) == before


def test_released_files_read_back_under_neutral_names(scrubbed):
    archive, out, _, _ = scrubbed
    quarantine = out.with_name("out-quarantine")
    for record in manifest(out.with_name("out-report")):
        if record["status"] == "released":
            path = out / record["output"]
        elif record["status"] == "quarantined":
            path = quarantine / record["output"]
            assert path.with_suffix(".png").is_file()
        else:
            assert record["output"] is None
            continue
        assert UID_NAME.match(record["output"]), record["output"]
        ds = pydicom.dcmread(path)
        assert ds.PatientIdentityRemoved == "YES" and ds.PatientName == ds.PatientID
        ds.pixel_array  # decodes
    released = {p.relative_to(out).as_posix() for p in out.rglob("*.dcm")}
    assert released == {r["output"] for r in manifest(out.with_name("out-report")) if r["status"] == "released"}


def _header_phi(truth_file: dict, archive: Path) -> list[str]:
    ds = pydicom.dcmread(archive / truth_file["path"], stop_before_pixels=True)
    values = [str(ds.get(k, "")) for k in ("PatientID", "AccessionNumber", "InstitutionName", "PatientBirthDate")]
    values += [part for part in str(ds.get("PatientName", "")).split("^") if len(part) >= 3]
    return [v for v in values if len(v) >= 3 and v.upper() not in ("ANONYMOUS", "")]


def _without_pixel_data(path: Path) -> bytes:
    """The file's bytes minus PixelData, where short tokens would match by chance (pixels are checked apart)."""
    ds = pydicom.dcmread(path)
    del ds.PixelData
    buffer = io.BytesIO()
    ds.save_as(buffer)
    return buffer.getvalue()


def test_no_header_phi_in_outputs_names_or_report(scrubbed):
    archive, out, _, _ = scrubbed
    truth = json.loads((archive / "truth.json").read_text())
    report_text = "".join(p.read_text() for p in out.with_name("out-report").iterdir())
    written = [p for root in (out, out.with_name("out-quarantine")) for p in root.rglob("*")]
    contents = {path: _without_pixel_data(path) for path in written if path.suffix == ".dcm"}
    for file in truth["files"]:
        for value in _header_phi(file, archive):
            token = re.compile(rb"(?<![A-Za-z0-9])" + re.escape(value.encode()) + rb"(?![A-Za-z0-9])")
            assert not token.search(report_text.encode())
            for path in written:
                assert not token.search(path.as_posix().encode())
            for path, data in contents.items():
                assert not token.search(data), (file["path"], path.name)


def test_ct_and_mr_keep_their_pixel_data_byte_for_byte(scrubbed):
    archive, out, _, _ = scrubbed
    records = {r["source"]: r for r in manifest(out.with_name("out-report"))}
    checked = 0
    for source, record in records.items():
        if source.startswith(("ct/", "mr/")):
            assert record["status"] == "released" and record["masks"] == []
            original = pydicom.dcmread(archive / source)
            assert pydicom.dcmread(out / record["output"]).PixelData == original.PixelData
            checked += 1
    assert checked >= 2


def test_masks_are_filled_on_every_frame(scrubbed):
    archive, out, _, _ = scrubbed
    quarantine = out.with_name("out-quarantine")
    multi = 0
    for record in manifest(out.with_name("out-report")):
        if not record["masks"] or record["output"] is None:
            continue
        root = out if record["status"] == "released" else quarantine
        arr = pydicom.dcmread(root / record["output"]).pixel_array
        frames = arr if pydicom.dcmread(root / record["output"]).get("NumberOfFrames", 1) > 1 else arr[None]
        multi += frames.shape[0] > 1
        for mask in record["masks"]:
            x, y, w, h = mask["box"]
            region = frames[:, y:y + h, x:x + w]
            assert (region == region.reshape(-1, *region.shape[3:])[0]).all(), (record["source"], mask)
    assert multi >= 1, "the archive should hold a masked multi-frame image"


def test_header_names_in_released_pixels_are_masked(scrubbed):
    """Every burned-in PHI item of a released file whose header still holds the PHI lies under a mask."""
    archive, out, _, _ = scrubbed
    truth = {f["path"]: f for f in json.loads((archive / "truth.json").read_text())["files"]}
    checked = 0
    for record in manifest(out.with_name("out-report")):
        file = truth.get(record["source"])
        if record["status"] != "released" or not file or file["header_cleaned"]:
            continue
        masks = np.zeros((file["rows"], file["columns"]), bool)
        for mask in record["masks"]:
            x, y, w, h = mask["box"]
            masks[y:y + h, x:x + w] = True
        for item in file["items"]:
            if item["phi"] and item["kind"] in ("name", "id", "date"):
                x, y, w, h = item["box"]
                assert masks[y:y + h, x:x + w].mean() > 0.9, (record["source"], item["kind"])
                checked += 1
    assert checked >= 1


def _run_cli(args: list[str], env_home: Path) -> subprocess.Popen:
    env = {**os.environ, "PIXELSCRUB_HOME": str(env_home)}
    return subprocess.Popen([sys.executable, "-m", "pixelscrub", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _children(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.append(int(status.parent.name))
    return found


def _assert_gone(pids: list[int], seconds: float = 10.0) -> None:
    """Workers of a killed run must not live on as orphans."""
    deadline = time.time() + seconds
    while time.time() < deadline and any(Path(f"/proc/{pid}").exists() for pid in pids):
        time.sleep(0.05)
    alive = [pid for pid in pids if Path(f"/proc/{pid}").exists()
             and "pixelscrub" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")]
    assert not alive, "workers outlived their killed parent"


def _complete_dicom(path: Path) -> bool:
    try:
        pydicom.dcmread(path).pixel_array
    except Exception:
        return False
    return True


def test_a_killed_run_leaves_no_partial_file_and_the_next_run_finishes(synth_archive, tmp_path, private_home):
    out = tmp_path / "out"
    for delay in (0.0, 0.8, 1.6):
        proc = _run_cli(["scrub", str(synth_archive), str(out), "--workers", "2"], private_home)
        deadline = time.time() + 60
        while time.time() < deadline and not any(out.rglob("*.dcm")) and proc.poll() is None:
            time.sleep(0.01)
        time.sleep(delay)
        workers = _children(proc.pid)
        proc.kill()
        proc.wait()
        _assert_gone(workers)
        for root in (out, out.with_name("out-quarantine")):
            for path in root.rglob("*"):
                if path.is_file():
                    assert not path.name.startswith("."), path
                    assert path.suffix in (".dcm", ".png"), path
                    if path.suffix == ".dcm":
                        assert _complete_dicom(path), path
    finished = _run_cli(["scrub", str(synth_archive), str(out), "--workers", "2"], private_home)
    assert finished.wait(timeout=300) == 0
    records = manifest(out.with_name("out-report"))
    assert len(records) == len([p for p in synth_archive.rglob("*") if p.is_file()])
    assert not out.with_name(".out.pixelscrub-staging").exists()


def test_interrupt_exits_130_and_the_rerun_resumes(synth_archive, tmp_path, private_home):
    out = tmp_path / "out"
    proc = _run_cli(["scrub", str(synth_archive), str(out), "--workers", "1"], private_home)
    deadline = time.time() + 60
    while time.time() < deadline and not any(out.rglob("*.dcm")):
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert b"run the same command again" in err
    summary = json.loads((out.with_name("out-report") / "summary.json").read_text())
    assert summary["interrupted"] is True
    finished = _run_cli(["scrub", str(synth_archive), str(out), "--workers", "2"], private_home)
    assert finished.wait(timeout=300) == 0
    summary = json.loads((out.with_name("out-report") / "summary.json").read_text())
    assert summary["resumed_from_earlier_run"] >= 1 and not summary["interrupted"]
    assert summary["files"] == len([p for p in synth_archive.rglob("*") if p.is_file()])


def test_same_project_gives_same_names_other_project_differs(synth_archive, tmp_path):
    ct = next(synth_archive.glob("ct/*.dcm"))
    outputs = []
    for project, out in (("alpha", "a1"), ("alpha", "a2"), ("beta", "b1")):
        scrub(ct, tmp_path / out, None, None, load_config(None, project=project), workers=1)
        outputs.append(manifest(tmp_path / f"{out}-report")[0]["output"].split("/", 1)[1])
    assert outputs[0] == outputs[1] != outputs[2]


@pytest.mark.parametrize("command,options", [
    (None, ["scrub", "synth", "demo", "--version"]),
    ("scrub", ["--quarantine", "--report", "--config", "--project", "--profile", "--workers", "INPUT", "OUTPUT"]),
    ("synth", ["--seed", "--count", "OUTDIR"]),
    ("demo", ["--dir", "--count", "--seed", "--workers"]),
])
def test_help_describes_every_option(command, options, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"] if command else ["--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    for option in options:
        assert option in text


def test_exit_codes_tell_what_happened(tmp_path, monkeypatch, capsys):
    assert main(["scrub", str(tmp_path / "missing"), str(tmp_path / "out")]) == 4
    (tmp_path / "in").mkdir()
    (tmp_path / "blocker").write_text("")
    assert main(["scrub", str(tmp_path / "in"), str(tmp_path / "blocker" / "out")]) == 5
    assert main(["scrub", str(tmp_path / "in"), str(tmp_path / "out"), "--profile", "nope"]) == 2
    with pytest.raises(SystemExit) as exit_:
        main(["scrub", str(tmp_path / "in")])
    assert exit_.value.code == 2

    from pixelscrub import run
    from pixelscrub.errors import MissingDependencyError

    def no_tesseract():
        raise MissingDependencyError("Tesseract is not installed; install it with: apt-get install -y tesseract-ocr")

    monkeypatch.setattr(run, "tesseract_engine", no_tesseract)
    assert main(["scrub", str(tmp_path / "in"), str(tmp_path / "out2")]) == 3
    assert "apt-get install" in capsys.readouterr().err


def test_demo_writes_all_three_places(tmp_path):
    from pixelscrub.demo import run_demo

    text = run_demo(tmp_path / "demo", count=10, seed=5, workers=2)
    for place in ("output", "output-quarantine", "output-report"):
        assert (tmp_path / "demo" / place).is_dir()
    assert (tmp_path / "demo" / "output-report" / "manifest.jsonl").is_file()
    assert "released" in text and "QUARANTINE" in text
    assert (tmp_path / "demo" / "project-home" / "projects" / "demo" / "key").is_file()


def test_progress_goes_to_a_terminal_and_is_quiet_otherwise(synth_archive, tmp_path, private_home):
    ct = str(next(synth_archive.glob("ct/*.dcm")))
    quiet = _run_cli(["scrub", ct, str(tmp_path / "quiet"), "--workers", "1"], private_home)
    out, err = quiet.communicate(timeout=120)
    assert quiet.returncode == 0 and err == b"" and b"released" in out

    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a real terminal's size
    env = {**os.environ, "PIXELSCRUB_HOME": str(private_home)}
    shown = subprocess.Popen([sys.executable, "-m", "pixelscrub", "scrub", ct, str(tmp_path / "tty"), "--workers", "1"],
                             env=env, stdout=subprocess.PIPE, stderr=secondary)
    os.close(secondary)
    terminal = b""
    while True:  # drain the terminal while the command runs, or its writes could block
        ready, _, _ = select.select([primary], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(primary, 4096)
            except OSError:  # the command closed its side
                break
            terminal += chunk
        elif shown.poll() is not None:
            break
    out, _ = shown.communicate(timeout=120)
    os.close(primary)
    assert shown.returncode == 0 and b"scrubbing" in terminal and b"scrubbing" not in out
