"""Header de-identification end to end: scrub crafted archives and search the output bytes.

The archive has two patients, two studies and three series, PHI in nested sequences, private tags,
file meta and free text, a derived image referencing its source, and one file per kind of broken
header.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian

from pixelscrub.cli import main
from pixelscrub.config import load_config
from pixelscrub.header.phi import collect_phi
from pixelscrub.run import scrub

PATIENTS = {
    "A": {"PatientName": "KOWALSKI^ANNA^MARIA", "PatientID": "MRN4471902", "PatientBirthDate": "19511103"},
    "B": {"PatientName": "OKONKWO^CHIDI", "PatientID": "MRN5580213", "PatientBirthDate": "19880417"},
}
EXTRA_PHI = ["WESTBROOK GENERAL HOSPITAL", "WBGH-CT2", "OKONKWO", "KOWALSKI", "Dr Feldmann", "FELDMANN",
             "ACC77120", "ACC88231", "555-201-7788", "12 Larch Lane"]
ROOT = "1.2.826.0.1.3680043.2.1125.42"


def ct(patient: str, study: int, series: int, instance: int) -> Dataset:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = CTImageStorage
    ds.file_meta.SourceApplicationEntityTitle = "WBGH-CT2"
    ds.SOPClassUID = CTImageStorage
    ds.StudyInstanceUID = f"{ROOT}.{study}"
    ds.SeriesInstanceUID = f"{ROOT}.{study}.{series}"
    ds.SOPInstanceUID = f"{ROOT}.{study}.{series}.{instance}"
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.FrameOfReferenceUID = f"{ROOT}.{study}.99"
    ds.Modality = "CT"
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    for keyword, value in PATIENTS[patient].items():
        setattr(ds, keyword, value)
    ds.PatientAddress = "12 Larch Lane"
    ds.PatientTelephoneNumbers = "555-201-7788"
    ds.StudyDate, ds.StudyTime, ds.SeriesDate, ds.ContentDate = "20230612", "081500", "20230612", "20230612"
    ds.AccessionNumber = "ACC77120" if patient == "A" else "ACC88231"
    ds.InstitutionName = "WESTBROOK GENERAL HOSPITAL"
    ds.StationName = "WBGH-CT2"
    ds.ReferringPhysicianName = "FELDMANN^OTTO"
    family = PATIENTS[patient]["PatientName"].split("^")[0]
    ds.StudyDescription = f"CT CHEST {family.title()} follow-up"
    ds.SeriesDescription = "AXIAL 2MM"
    request = Dataset()
    request.RequestedProcedureDescription = f"CT chest for {family} ordered by Dr Feldmann"
    request.AccessionNumber = ds.AccessionNumber
    ds.RequestAttributesSequence = Sequence([request])
    physician = Dataset()
    physician.InstitutionName = "WESTBROOK GENERAL HOSPITAL"
    ds.ReferringPhysicianIdentificationSequence = Sequence([physician])
    ds.private_block(0x0029, "WESTBROOK PACS 1.0", create=True).add_new(0x10, "LO", PATIENTS[patient]["PatientName"])
    ds.Rows = ds.Columns = 16
    ds.set_pixel_data(np.full((16, 16), 100, np.int16), "MONOCHROME2", 12, generate_instance_uid=False)
    ds.RescaleIntercept, ds.RescaleSlope = -1024, 1
    return ds


def write(ds: Dataset, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    ds.save_as(path, enforce_file_format=True)


@pytest.fixture
def archive(tmp_path) -> Path:
    root = tmp_path / "archive"
    files = {
        "a/1.dcm": ct("A", 1, 1, 1), "a/2.dcm": ct("A", 1, 1, 2), "a/3.dcm": ct("A", 1, 2, 1),
        "b/1.dcm": ct("B", 2, 1, 1), "b/2.dcm": ct("B", 2, 1, 2),
    }
    derived = ct("A", 1, 3, 1)  # derived from a/1.dcm, which it references
    derived.ImageType = ["DERIVED", "SECONDARY", "AXIAL"]
    source = Dataset()
    source.ReferencedSOPClassUID = CTImageStorage
    source.ReferencedSOPInstanceUID = files["a/1.dcm"].SOPInstanceUID
    derived.SourceImageSequence = Sequence([source])
    files["a/derived.dcm"] = derived
    broken = {
        "wrong_vr": lambda ds: ds.add_new(0x00100030, "LO", "03 NOV 1951 KOWALSKI"),
        "over_long": lambda ds: setattr(ds, "StudyDescription", "CT CHEST KOWALSKI " + "FOLLOW UP " * 10),
        "charset": lambda ds: setattr(ds, "SpecificCharacterSet", "ISO_IR 999"),
        "empty_id": lambda ds: setattr(ds, "PatientID", ""),
        "missing_id": lambda ds: ds.__delattr__("PatientID"),
        "missing_study": lambda ds: ds.__delattr__("StudyInstanceUID"),
    }
    for number, (name, breaks) in enumerate(broken.items(), start=10):
        ds = ct("A", 1, 4, number)
        breaks(ds)
        files[f"broken/{name}.dcm"] = ds
    for relative, ds in files.items():
        write(ds, root / relative)
    return root


def run(archive: Path, out: Path, **config_changes) -> dict[str, dict]:
    config = replace(load_config(None), **config_changes)
    scrub(archive, out, None, None, config, workers=2)
    lines = (out.with_name(out.name + "-report") / "manifest.jsonl").read_text().splitlines()
    return {r["source"]: r for r in map(json.loads, lines)}


def phi_values(archive: Path) -> set[str]:
    """Every identifying value of the originals: the PHI set, the raw dates and UIDs, the free text."""
    values = set(EXTRA_PHI)
    for path in archive.rglob("*.dcm"):
        ds = pydicom.dcmread(path)
        phi = collect_phi(ds)
        values |= {part for name in phi.names for part in name.parts}
        values |= {i.value for i in phi.ids} | {p.value for p in phi.places}
        values |= {d.value.strftime("%Y%m%d") for d in phi.dates}
        values |= {str(e.value) for e in ds.iterall() if e.VR == "UI" and str(e.value).startswith(ROOT)}
    return {v for v in values if len(v) >= 4}


def test_no_original_phi_anywhere_in_output_files_or_names(archive, tmp_path):
    out = tmp_path / "out"
    records = run(archive, out)
    assert all(r["status"] == "released" for r in records.values()), records
    values = phi_values(archive)
    written = list(out.rglob("*"))
    for value in values:
        token = re.compile(rb"(?<![A-Za-z0-9.])" + re.escape(value.encode()) + rb"(?![A-Za-z0-9])", re.I)
        for path in written:
            assert not token.search(path.as_posix().encode()), "a PHI value in a file name"
            if path.is_file():
                assert not token.search(path.read_bytes()), (path.name, "holds an original value")


def test_study_and_series_keep_one_uid_each_and_references_resolve(archive, tmp_path):
    out = tmp_path / "out"
    records = run(archive, out)
    new = {source: pydicom.dcmread(out / r["output"]) for source, r in records.items()}
    original = {source: pydicom.dcmread(archive / source) for source in records}
    for key in ("StudyInstanceUID", "SeriesInstanceUID"):
        pairs = {(str(original[s].get(key, "")), str(new[s].get(key))) for s in records if key in original[s]}
        assert len({o for o, _ in pairs}) == len(pairs) == len({n for _, n in pairs})  # one-to-one
    reference = new["a/derived.dcm"].SourceImageSequence[0].ReferencedSOPInstanceUID
    assert reference == new["a/1.dcm"].SOPInstanceUID
    assert new["a/1.dcm"].FrameOfReferenceUID == new["a/3.dcm"].FrameOfReferenceUID


def test_broken_headers_are_cleaned_with_a_reason(archive, tmp_path):
    out = tmp_path / "out"
    records = run(archive, out)
    expected = {
        "broken/wrong_vr.dcm": "unexpected VR",
        "broken/over_long.dcm": "header: PS3.15",  # cleaned like any description
        "broken/charset.dcm": "SpecificCharacterSet",
        "broken/empty_id.dcm": "PatientID was empty or missing",
        "broken/missing_id.dcm": "PatientID was empty or missing",
        "broken/missing_study.dcm": "StudyInstanceUID was missing",
    }
    for source, reason in expected.items():
        record = records[source]
        assert record["status"] == "released", (source, record["reasons"])
        assert any(reason in r for r in record["reasons"]), (source, record["reasons"])
        ds = pydicom.dcmread(out / record["output"])
        assert "KOWALSKI" not in str(ds) and ds.PatientIdentityRemoved == "YES"
    assert pydicom.dcmread(out / records["broken/over_long.dcm"]["output"]).StudyDescription.startswith("CT CHEST FOLLOW")


def test_same_project_same_mappings_another_project_different(archive, tmp_path):
    part = tmp_path / "part"
    for source in ("a/1.dcm", "b/1.dcm"):
        (part / source).parent.mkdir(parents=True, exist_ok=True)
        (part / source).write_bytes((archive / source).read_bytes())
    first = run(part, tmp_path / "first", project="trial", prefix="TRIAL")
    second = run(archive, tmp_path / "second", project="trial", prefix="TRIAL")
    other = run(part, tmp_path / "other", project="other", prefix="OTHER")
    for source in first:
        one, two = (pydicom.dcmread(tmp_path / d / r[source]["output"]) for d, r in (("first", first),
                                                                                     ("second", second)))
        three = pydicom.dcmread(tmp_path / "other" / other[source]["output"])
        assert first[source]["output"] == second[source]["output"]
        assert (one.PatientID, one.StudyInstanceUID, one.StudyDate) == (two.PatientID, two.StudyInstanceUID,
                                                                       two.StudyDate)
        assert one.PatientID.startswith("TRIAL_") and three.PatientID.startswith("OTHER_")
        assert three.StudyInstanceUID != one.StudyInstanceUID and three.StudyDate != one.StudyDate


def test_reidentify_answers_for_pseudonyms_and_uids(archive, tmp_path, capsys):
    out = tmp_path / "out"
    records = run(archive, out)
    ds = pydicom.dcmread(out / records["b/1.dcm"]["output"])
    capsys.readouterr()
    assert main(["reidentify", str(ds.PatientID)]) == 0
    assert "PatientID: MRN5580213" in capsys.readouterr().out
    assert main(["reidentify", str(ds.StudyInstanceUID)]) == 0
    assert f"uid: {ROOT}.2" in capsys.readouterr().out


def test_header_options_come_from_the_config_file(archive, tmp_path):
    config = tmp_path / "pixelscrub.toml"
    config.write_text('[project]\nname = "iliac"\npseudonym_width = 3\n\n'
                      '[header]\ndates = "full"\nretain_institution_identity = true\n\n'
                      '[header.overrides]\nStudyDescription = { replace = "RESEARCH" }\n')
    assert main(["scrub", str(archive / "b"), str(tmp_path / "out"), "--config", str(config)]) == 0
    record = json.loads((tmp_path / "out-report" / "manifest.jsonl").read_text().splitlines()[0])
    ds = pydicom.dcmread(tmp_path / "out" / record["output"])
    assert ds.PatientID == "ILIAC_001" and ds.StudyDate == "20230612"
    assert ds.InstitutionName == "WESTBROOK GENERAL HOSPITAL" and ds.StudyDescription == "RESEARCH"
    assert "113112" in [c.CodeValue for c in ds.DeidentificationMethodCodeSequence]
