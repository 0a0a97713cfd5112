"""The final sweep: what the profile kept by tag is searched by value, and cleaned, replaced or removed."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pydicom
import pytest
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, UltrasoundImageStorage

from pixelscrub.header.deidentify import HeaderContext, deidentify
from pixelscrub.header.phi import PhiDate, PhiName, PhiSet, PhiText, collect_phi
from pixelscrub.header.sweep import sweep
from pixelscrub.read import DEFER_BYTES, read

KEY = bytes(range(32))
OKAFOR = PhiName("(0009,1010)", "OKAFOR", "ADAEZE", "", ("OKAFOR", "ADAEZE"))
PHI = PhiSet(names=[OKAFOR], ids=[PhiText("AccessionNumber", "ACC77120")],
             dates=[PhiDate("StudyDate", dt.date(2023, 4, 12))],
             places=[PhiText("InstitutionName", "HALLORAN VALLEY MEDICAL CENTER")])


def dataset() -> Dataset:
    ds = Dataset()
    ds.SOPClassUID = UltrasoundImageStorage
    ds.PatientName = ds.PatientID = "PXS_0001"
    ds.DeidentificationMethod = ["pixelscrub", "Clean Descriptors"]
    ds.SeriesDescription = "Okafor-CT/Head w/o Contrast"
    return ds


def test_free_text_loses_the_name_and_keeps_its_clinical_words():
    ds = dataset()
    result = sweep(ds, PHI)
    assert ds.SeriesDescription == "CT/Head w/o Contrast"
    assert result.changes == {"SeriesDescription": "cleaned"} and not result.hold
    assert result.reasons() == ["header sweep: PHI left after cleaning ((0009,1010)): SeriesDescription cleaned"]


@pytest.mark.parametrize("rendering", ["okafor adaeze", "Adaeze OKAFOR", "OKAFOR, A.", "Dr Okafor"])
def test_names_are_found_in_any_order_and_case(rendering):
    ds = dataset()
    ds.TestResultComment = f"seen by {rendering} today"
    sweep(ds, PHI)
    assert "okafor" not in ds.TestResultComment.lower() and "today" in ds.TestResultComment


def test_other_text_is_replaced_by_a_dummy_and_binary_text_removed():
    ds = dataset()
    ds.BodyPartExamined = "OKAFOR"                                   # CS
    ds.EvaluatorName = "OKAFOR^ADAEZE"                               # PN the table does not name
    ds.add_new(0x00291010, "UN", b"Adaeze Okafor ")                  # UN that reads as text
    ds.add_new(0x00291011, "OB", b"\x00\x01\x02\x03")                 # UN that is data
    result = sweep(ds, PHI)
    assert ds.BodyPartExamined == "ANON" and ds.EvaluatorName == "ANONYMOUS"
    assert 0x00291010 not in ds and 0x00291011 in ds
    assert result.changes["(0029,1010)"] == "removed"


def test_ids_places_and_original_dates_are_found_but_not_shifted_dates_or_uids():
    ds = dataset()
    ds.StudyDate = "20230412"               # an original date, still there
    ds.ContentDate = "20190411"             # shifted
    ds.AcquisitionDateTime = "20230412101500"
    ds.ImageComments = "acc ACC77120, halloran valley, 12/04/2023"
    ds.FrameOfReferenceUID = "1.2.3.77120.20230412"
    ds.StationName = "WARD 4"
    sweep(ds, PHI)
    assert ds.StudyDate == "19000101" and ds.AcquisitionDateTime == "19000101000000"
    assert ds.ContentDate == "20190411" and ds.FrameOfReferenceUID == "1.2.3.77120.20230412"
    assert "77120" not in ds.ImageComments and "halloran" not in ds.ImageComments.lower()
    assert "2023" not in ds.ImageComments and ds.StationName == "WARD 4"


def test_nested_values_are_swept_and_the_pseudonym_and_record_kept():
    ds = dataset()
    item = Dataset()
    item.CodeMeaning = "Okafor follow-up"
    item.add_new(0x00091001, "LO", "OKAFOR^ADAEZE")
    ds.AnatomicRegionSequence = Sequence([item])
    sweep(ds, PhiSet(names=[OKAFOR, PhiName("x", "PXS", "", "", ("PXS", "pixelscrub"))]))
    assert item.CodeMeaning == "follow-up" and item[0x00091001].value == ""  # nothing but the name
    assert ds.PatientName == "PXS_0001" and ds.DeidentificationMethod == ["pixelscrub", "Clean Descriptors"]


def test_kept_attributes_are_neither_searched_nor_searched_for():
    ds = dataset()
    ds.InstitutionName = "HALLORAN VALLEY MEDICAL CENTER"
    ds.InstitutionAddress = "HALLORAN VALLEY MEDICAL CENTER, 1 Main St"
    result = sweep(ds, PHI, kept=frozenset({"InstitutionName", "InstitutionAddress"}))
    assert ds.InstitutionName == "HALLORAN VALLEY MEDICAL CENTER" and "InstitutionAddress" not in result.changes


def test_a_second_sweep_with_names_read_from_the_pixels_cleans_what_the_first_could_not():
    ds = dataset()
    assert sweep(ds, PhiSet()).changes == {}
    assert ds.SeriesDescription == "Okafor-CT/Head w/o Contrast"
    sweep(ds, PhiSet(names=[PhiName("pattern:label-name", "OKAFOR", "", "", ("OKAFOR",))]))
    assert ds.SeriesDescription == "CT/Head w/o Contrast"
    assert sweep(ds, PHI).changes == {}  # idempotent


def test_scripts_without_spaces_case_and_accents():
    phi = PhiSet(names=[PhiName("PatientName", "Müller", "Jürgen", "", ("Müller", "Jürgen", "山田", "太郎"))])
    ds = dataset()
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.TestResultComment = "MULLER liver"
    ds.ContactDisplayName = "山田太郎様"
    sweep(ds, phi)
    assert ds.TestResultComment == "liver" and ds.ContactDisplayName == ""  # one word: the whole of it goes


def test_a_value_that_cannot_be_removed_holds_the_file():
    class Stubborn(Dataset):
        def __delitem__(self, key):
            raise TypeError("read-only")

    ds = Stubborn()
    ds.add(DataElement(0x00291010, "UN", b"OKAFOR^ADAEZE "))
    result = sweep(ds, PHI)
    assert result.hold and result.held == ["(0029,1010)"]
    assert "must be held" in result.reasons()[-1] and "OKAFOR" not in " ".join(result.reasons())


def test_pixel_data_left_in_the_file_is_not_read(tmp_path):
    ds = dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPInstanceUID = "1.2.3.4"
    side = int(np.sqrt(DEFER_BYTES)) + 8
    ds.set_pixel_data(np.zeros((side, side), np.uint8), "MONOCHROME2", 8, generate_instance_uid=False)
    ds.save_as(tmp_path / "big.dcm", enforce_file_format=True)
    loaded = read(tmp_path / "big.dcm").dataset
    sweep(loaded, PHI)
    assert loaded.get_item("PixelData", keep_deferred=True).value is None
    assert loaded.SeriesDescription == "CT/Head w/o Contrast"


def test_the_header_stage_ends_with_the_sweep():
    """An earlier tool replaced PatientName; the name is left in a private element and the descriptions."""
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID, ds.SOPInstanceUID = UltrasoundImageStorage, "1.2.3.4"
    ds.PatientName, ds.PatientID = "ANONYMOUS", ""
    ds.SeriesDescription = "Okafor-CT/Head w/o Contrast"
    ds.FrameLabel = "OKAFOR 2"  # the profile does not name FrameLabel: only the sweep sees it
    ds.private_block(0x0009, "HALLORAN PACS 2.1", create=True).add_new(0x10, "LO", "OKAFOR^ADAEZE")
    phi = collect_phi(ds)
    result = deidentify(ds, HeaderContext(KEY, "PXS_0001", "a.dcm", phi=phi))
    assert ds.SeriesDescription == "CT/Head w/o Contrast" and ds.FrameLabel == "2"
    assert result.swept.changes == {"FrameLabel": "cleaned"} and not result.hold
    assert any(r.startswith("header sweep:") and "FrameLabel" in r for r in result.reasons())
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    assert b"OKAFOR" not in buffer.getvalue().upper()
    assert pydicom.dcmread(io.BytesIO(buffer.getvalue())).PatientName == "PXS_0001"
