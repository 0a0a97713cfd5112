"""Header stage: the PS3.15 table, pseudonyms, UID remapping, the PHI set, nothing identifying left."""

import datetime as dt
import io

import numpy as np
import pydicom
import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, UltrasoundImageStorage

from pixelscrub.header.deidentify import HeaderContext, deidentify, first_action
from pixelscrub.header.phi import collect_phi
from pixelscrub.header.profile import load_table
from pixelscrub.header.uids import remap_uid

KEY = bytes(range(32))
PHI_VALUES = ["DOE^JANE", "12345678", "19600131", "ST MARY MEDICAL CENTER", "HOUSE^GREGORY", "A99812",
              "1.2.826.0.1.3680043.2.1125.1.1", "1.2.826.0.1.3680043.2.1125.1.2", "555-123-4567", "OTHERID77"]


def us_dataset() -> Dataset:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = UltrasoundImageStorage
    ds.file_meta.MediaStorageSOPInstanceUID = "1.2.826.0.1.3680043.2.1125.1.3"
    ds.SOPClassUID = UltrasoundImageStorage
    ds.SOPInstanceUID = "1.2.826.0.1.3680043.2.1125.1.3"
    ds.StudyInstanceUID = "1.2.826.0.1.3680043.2.1125.1.1"
    ds.SeriesInstanceUID = "1.2.826.0.1.3680043.2.1125.1.2"
    ds.Modality = "US"
    ds.PatientName = "DOE^JANE"
    ds.PatientID = "12345678"
    ds.PatientBirthDate = "19600131"
    ds.StudyDate = "20240305"
    ds.AccessionNumber = "A99812"
    ds.InstitutionName = "ST MARY MEDICAL CENTER"
    ds.ReferringPhysicianName = "HOUSE^GREGORY"
    ds.PatientTelephoneNumbers = "555-123-4567"
    ds.Manufacturer = "SYNTHVENDOR"
    other = Dataset()
    other.PatientID = "OTHERID77"
    ds.OtherPatientIDsSequence = Sequence([other])
    ref = Dataset()
    ref.ReferencedSOPClassUID = UltrasoundImageStorage
    ref.ReferencedSOPInstanceUID = "1.2.826.0.1.3680043.2.1125.1.2"
    ds.ReferencedStudySequence = Sequence([ref])
    ds.add_new(0x00091010, "LO", "SYNTH 1.0")
    ds.add_new(0x00091011, "LO", "DOE^JANE")
    ds.set_pixel_data(np.zeros((8, 8), np.uint8), "MONOCHROME2", 8, generate_instance_uid=False)
    return ds


def cleaned(ds: Dataset):
    result = deidentify(ds, HeaderContext(KEY, "PXS_0001", "us/IM0001.dcm"))
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    return result, buffer.getvalue()


def test_no_phi_value_left_in_the_written_bytes():
    _, data = cleaned(us_dataset())
    for value in PHI_VALUES:
        assert value.encode() not in data, value


def test_patient_is_named_by_pseudonym_and_marked_deidentified():
    ds = us_dataset()
    cleaned(ds)
    assert ds.PatientName == "PXS_0001" and ds.PatientID == "PXS_0001"
    assert ds.PatientIdentityRemoved == "YES"
    assert ds.DeidentificationMethodCodeSequence[0].CodeValue == "113100"


def test_uids_are_remapped_consistently_and_class_uids_kept():
    ds = us_dataset()
    result, _ = cleaned(ds)
    assert ds.StudyInstanceUID == remap_uid(KEY, "1.2.826.0.1.3680043.2.1125.1.1") == result.study_uid
    assert ds.file_meta.MediaStorageSOPInstanceUID == ds.SOPInstanceUID
    assert ds.SOPClassUID == UltrasoundImageStorage
    assert all(uid.startswith("2.25.") and len(uid) <= 64 for uid in (result.study_uid, result.series_uid, result.sop_uid))


def test_remap_is_keyed():
    assert remap_uid(KEY, "1.2.3") == remap_uid(KEY, "1.2.3") != remap_uid(bytes(32), "1.2.3")


def test_private_tags_and_identifying_sequences_are_removed():
    ds = us_dataset()
    cleaned(ds)
    assert not any(el.tag.is_private for el in ds.iterall())
    assert "OtherPatientIDsSequence" not in ds and "InstitutionName" not in ds


def test_missing_hierarchy_uids_are_made_and_reported():
    ds = us_dataset()
    del ds.StudyInstanceUID
    result, _ = cleaned(ds)
    assert ds.StudyInstanceUID.startswith("2.25.")
    assert any("StudyInstanceUID was missing" in r for r in result.reasons())


def test_every_table_row_has_an_action_the_stage_knows():
    table = load_table()
    assert len(table.exact) + len(table.masked) + 1 == 621
    for row in [*table.exact.values(), *(r for _, _, r in table.masked), table.private]:
        assert first_action(row.basic) in {"X", "Z", "D", "K", "C", "U"}


def test_repeating_groups_match_their_masked_rows():
    table = load_table()
    assert table.row_for(0x60023000).name == "Overlay Data"
    assert table.row_for(0x50100010).name == "Curve Data"
    assert table.row_for(0x00291010) is table.private


def test_phi_set_comes_from_the_original_header_with_structure():
    phi = collect_phi(us_dataset())
    assert {(n.attribute, n.family, n.given) for n in phi.names} == {
        ("PatientName", "DOE", "JANE"), ("ReferringPhysicianName", "HOUSE", "GREGORY")}
    assert {i.value for i in phi.ids} >= {"12345678", "A99812", "OTHERID77"}
    assert dt.date(1960, 1, 31) in {d.value for d in phi.dates}
    assert {p.attribute for p in phi.places} >= {"InstitutionName", "PatientTelephoneNumbers"}
    assert "SYNTHVENDOR" in phi.vendor_words


def test_placeholder_names_are_not_phi():
    ds = us_dataset()
    ds.PatientName = "ANONYMOUS"
    assert all(n.attribute != "PatientName" for n in collect_phi(ds).names)


@pytest.mark.parametrize("code,first", [("X/Z/D", "X"), ("Z/D", "Z"), ("X/Z/U*", "X"), ("K", "K")])
def test_combined_codes_take_the_first_action(code, first):
    assert first_action(code) == first


def test_a_cleaned_file_reads_back():
    _, data = cleaned(us_dataset())
    ds = pydicom.dcmread(io.BytesIO(data))
    assert ds.PatientName == "PXS_0001" and ds.pixel_array.shape == (8, 8)
