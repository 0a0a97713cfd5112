"""Header stage: options, dates, pseudonyms, UIDs, descriptors, overrides, the record, broken headers."""

import datetime as dt
import io
import re

import numpy as np
import pydicom
import pytest
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, UltrasoundImageStorage

from pixelscrub.header.deidentify import HeaderContext, deidentify, record_pixel_outcome
from pixelscrub.header.options import HeaderOptions
from pixelscrub.header.overrides import parse_overrides
from pixelscrub.header.phi import collect_phi
from pixelscrub.header.uids import remap_uid
from pixelscrub.pixels.text.match import judge_text

KEY = bytes(range(32))
OFFSET = -1000
STUDY, SERIES, SOP = "1.2.826.0.1.3680043.2.1125.1.1", "1.2.826.0.1.3680043.2.1125.1.2", "1.2.826.0.1.3680043.2.1125.1.3"
PHI_VALUES = ["DOE^JANE", "12345678", "19600131", "ST MARY MEDICAL CENTER", "SMITH^GREGORY", "A99812",
              STUDY, SERIES, SOP, "555-123-4567", "OTHERID77", "STMARYUS1", "Smith"]


def us_dataset() -> Dataset:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = UltrasoundImageStorage
    ds.file_meta.MediaStorageSOPInstanceUID = SOP
    ds.file_meta.SourceApplicationEntityTitle = "STMARYUS1"
    ds.SOPClassUID = UltrasoundImageStorage
    ds.SOPInstanceUID, ds.StudyInstanceUID, ds.SeriesInstanceUID = SOP, STUDY, SERIES
    ds.Modality = "US"
    ds.PatientName = "DOE^JANE"
    ds.PatientID = "12345678"
    ds.PatientBirthDate = "19600131"
    ds.PatientAge = "094Y"
    ds.PatientSex = "F"
    ds.StudyDate, ds.StudyTime = "20240305", "101500"
    ds.ContentDate, ds.ContentTime = "20240306", "091000"
    ds.AccessionNumber = "A99812"
    ds.InstitutionName = "ST MARY MEDICAL CENTER"
    ds.StationName = "STMARYUS1"
    ds.ReferringPhysicianName = "SMITH^GREGORY"
    ds.PatientTelephoneNumbers = "555-123-4567"
    ds.StudyDescription = "Smith-CT/Head w/o Contrast"
    ds.SeriesDescription = "DOE JANE 2024-03-05 LIVER"
    ds.Manufacturer = "SYNTHVENDOR"
    other = Dataset()
    other.PatientID = "OTHERID77"
    ds.OtherPatientIDsSequence = Sequence([other])
    source = Dataset()
    source.ReferencedSOPClassUID = UltrasoundImageStorage
    source.ReferencedSOPInstanceUID = SOP
    ds.SourceImageSequence = Sequence([source])
    ds.add_new(0x00091010, "LO", "SYNTH 1.0")
    ds.add_new(0x00091011, "LO", "DOE^JANE")
    ds.set_pixel_data(np.zeros((8, 8), np.uint8), "MONOCHROME2", 8, generate_instance_uid=False)
    return ds


def cleaned(ds: Dataset, options: HeaderOptions = HeaderOptions()):
    ctx = HeaderContext(KEY, "PXS_0001", "us/IM0001.dcm", options, OFFSET, collect_phi(ds))
    result = deidentify(ds, ctx)
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    return result, buffer.getvalue()


def shifted(value: str) -> str:
    return (dt.datetime.strptime(value, "%Y%m%d") + dt.timedelta(days=OFFSET)).strftime("%Y%m%d")


def test_no_phi_value_left_anywhere_in_the_written_bytes():
    _, data = cleaned(us_dataset())
    for value in PHI_VALUES:
        assert value.encode() not in data, value


def test_default_is_basic_with_modified_dates_and_clean_descriptors():
    ds = us_dataset()
    cleaned(ds)
    assert [c.CodeValue for c in ds.DeidentificationMethodCodeSequence] == ["113100", "113107", "113105"]
    assert ds.LongitudinalTemporalInformationModified == "MODIFIED"
    assert ds.PatientIdentityRemoved == "YES"
    assert "PS3.15 2024b Basic Profile" in ds.DeidentificationMethod


def test_every_selected_option_is_recorded_with_its_code():
    options = HeaderOptions(dates="full", retain_patient_characteristics=True, retain_device_identity=True,
                            retain_institution_identity=True, retain_uids=True, retain_safe_private=True,
                            clean_descriptors=True, clean_structured_content=True, clean_graphics=True)
    ds = us_dataset()
    cleaned(ds, options)
    assert [c.CodeValue for c in ds.DeidentificationMethodCodeSequence] == [
        "113100", "113106", "113108", "113109", "113110", "113111", "113112", "113105", "113104", "113103"]
    assert ds.LongitudinalTemporalInformationModified == "UNMODIFIED"


def test_modified_dates_keep_intervals_and_times():
    ds = us_dataset()
    cleaned(ds)
    assert (ds.StudyDate, ds.ContentDate) == (shifted("20240305"), shifted("20240306"))
    assert ds.ContentTime == "091000"
    assert ds.PatientBirthDate == ""  # removed (emptied, Type 2) without Retain Patient Characteristics


def test_times_can_be_removed():
    ds = us_dataset()
    cleaned(ds, HeaderOptions(times="remove"))
    assert ds.ContentTime == "" and ds.StudyTime == ""


def test_full_dates_are_kept_and_basic_removes_them():
    ds = us_dataset()
    cleaned(ds, HeaderOptions(dates="full"))
    assert ds.StudyDate == "20240305"
    ds = us_dataset()
    cleaned(ds, HeaderOptions(dates="remove"))
    assert ds.StudyDate == "" and ds.LongitudinalTemporalInformationModified == "REMOVED"


def test_patient_characteristics_shift_birth_date_and_cap_age():
    ds = us_dataset()
    cleaned(ds, HeaderOptions(retain_patient_characteristics=True))
    assert ds.PatientBirthDate == shifted("19600131")
    assert ds.PatientAge == "090Y" and ds.PatientSex == "F"


def test_descriptors_keep_clinical_words_and_lose_phi():
    ds = us_dataset()
    cleaned(ds)
    assert ds.StudyDescription == "CT/Head w/o Contrast"
    assert ds.SeriesDescription == "LIVER"


def test_without_clean_descriptors_the_descriptions_are_removed():
    ds = us_dataset()
    cleaned(ds, HeaderOptions(clean_descriptors=False))
    assert "StudyDescription" not in ds and "SeriesDescription" not in ds


def test_uids_are_remapped_and_references_still_resolve():
    ds = us_dataset()
    result, _ = cleaned(ds)
    assert ds.SOPInstanceUID == remap_uid(KEY, SOP) == ds.file_meta.MediaStorageSOPInstanceUID
    assert ds.SourceImageSequence[0].ReferencedSOPInstanceUID == ds.SOPInstanceUID
    assert ds.SOPClassUID == UltrasoundImageStorage == ds.SourceImageSequence[0].ReferencedSOPClassUID
    assert result.uids[STUDY] == ds.StudyInstanceUID


def test_retain_uids_keeps_them():
    ds = us_dataset()
    cleaned(ds, HeaderOptions(retain_uids=True))
    assert ds.StudyInstanceUID == STUDY


def test_institution_and_device_identity_can_be_retained():
    ds = us_dataset()
    cleaned(ds, HeaderOptions(retain_institution_identity=True, retain_device_identity=True))
    assert ds.InstitutionName == "ST MARY MEDICAL CENTER" and ds.StationName == "STMARYUS1"


def test_file_meta_loses_the_sending_site():
    ds = us_dataset()
    cleaned(ds)
    assert "SourceApplicationEntityTitle" not in ds.file_meta


@pytest.mark.parametrize("spec,check", [
    ({"PatientSex": "remove"}, lambda ds: "PatientSex" not in ds),
    ({"(0008,1030)": {"replace": "RESEARCH"}}, lambda ds: ds.StudyDescription == "RESEARCH"),
    ({"AccessionNumber": "hash"}, lambda ds: len(ds.AccessionNumber) == 16 and ds.AccessionNumber != "A99812"),
    ({"InstitutionName": "keep"}, lambda ds: ds.InstitutionName == "ST MARY MEDICAL CENTER"),
    ({"StudyDate": "empty"}, lambda ds: ds.StudyDate == ""),
    ({"PatientBirthDate": "shift"}, lambda ds: ds.PatientBirthDate == shifted("19600131")),
])
def test_per_tag_overrides_win_over_the_profile(spec, check):
    ds = us_dataset()
    cleaned(ds, HeaderOptions(overrides=parse_overrides(spec)))
    assert check(ds)


def test_hash_override_is_stable_within_a_project():
    values = []
    for _ in range(2):
        ds = us_dataset()
        cleaned(ds, HeaderOptions(overrides=parse_overrides({"AccessionNumber": "hash"})))
        values.append(ds.AccessionNumber)
    assert values[0] == values[1]


def test_pixel_outcome_is_recorded():
    ds = us_dataset()
    cleaned(ds)
    record_pixel_outcome(ds, masked=True, read=True, released=True)
    assert ds.DeidentificationMethodCodeSequence[-1].CodeValue == "113101" and ds.BurnedInAnnotation == "NO"
    held = us_dataset()
    cleaned(held)
    record_pixel_outcome(held, masked=False, read=True, released=False)
    assert held.BurnedInAnnotation == "YES" and "113101" not in [c.CodeValue for c in held.DeidentificationMethodCodeSequence]


@pytest.mark.parametrize("rendering", ["DOE, JANE", "Jane Doe", "DOE^JANE", "J. DOE", "doe jane"])
def test_the_phi_set_name_is_found_in_its_common_renderings(rendering):
    phi = collect_phi(us_dataset())
    found = judge_text(f"Exam of {rendering}", phi)
    assert {label for *_, label in found} == {"PatientName"}
    assert len(found) == len(re.split(r"[ ,^.]+", rendering.strip(". ")))


def test_phi_set_holds_dates_as_dates_and_every_kind():
    phi = collect_phi(us_dataset())
    assert dt.date(1960, 1, 31) in {d.value for d in phi.dates if d.attribute == "PatientBirthDate"}
    assert {i.attribute for i in phi.ids} >= {"PatientID", "AccessionNumber"}
    assert "OTHERID77" in {i.value for i in phi.ids}
    assert {p.attribute for p in phi.places} >= {"InstitutionName", "StationName", "PatientTelephoneNumbers"}
    assert {n.attribute for n in phi.names} == {"PatientName", "ReferringPhysicianName"}


# Broken headers: each gives a reason and never leaves a value uncleaned.

def test_unknown_character_set_is_noted_and_replaced():
    ds = us_dataset()
    ds.SpecificCharacterSet = "ISO_IR 999"
    result, data = cleaned(ds)
    assert ds.SpecificCharacterSet == "ISO_IR 192"
    assert any("SpecificCharacterSet" in r for r in result.reasons())
    assert b"DOE^JANE" not in data


def test_missing_patient_id_and_study_uid_are_noted():
    ds = us_dataset()
    del ds.PatientID
    del ds.StudyInstanceUID
    result, _ = cleaned(ds)
    reasons = " ".join(result.reasons())
    assert "PatientID was empty or missing" in reasons and "StudyInstanceUID was missing" in reasons
    assert ds.PatientID == "PXS_0001" and ds.StudyInstanceUID.startswith("2.25.")


def test_over_long_and_wrong_vr_values_are_cleaned_and_noted():
    ds = us_dataset()
    ds.InstitutionName = "ST MARY MEDICAL CENTER " * 10          # over the 64 characters of LO
    ds.add_new(0x00100030, "LO", "born 31 Jan 1960 DOE")        # PatientBirthDate with a wrong VR
    ds.add_new(0x00181030, "LO", "ABDOMEN " * 12)               # ProtocolName, kept over-long by the retain option
    options = HeaderOptions(retain_device_identity=True, clean_descriptors=False,
                            overrides=parse_overrides({"ProtocolName": "keep"}))
    result, data = cleaned(ds, options)
    assert b"ST MARY" not in data and b"1960" not in data
    reasons = " ".join(result.reasons())
    assert "unexpected VR, handled by tag: PatientBirthDate" in reasons
    assert "VR does not allow: ProtocolName" in reasons and "ABDOMEN" not in reasons


def test_ordinary_numeric_values_are_not_reported_invalid():
    ds = us_dataset()
    ds.PixelSpacing, ds.InstanceNumber, ds.WindowCenter = [0.7, 0.7], 3, -600.5
    result, _ = cleaned(ds)
    assert not any("VR does not allow" in r for r in result.reasons())


def test_a_cleaned_file_reads_back():
    _, data = cleaned(us_dataset())
    ds = pydicom.dcmread(io.BytesIO(data))
    assert ds.PatientName == "PXS_0001" and ds.pixel_array.shape == (8, 8)


def sr_dataset() -> Dataset:
    ds = us_dataset()
    concept = Dataset()
    concept.CodeValue, concept.CodingSchemeDesignator, concept.CodeMeaning = "121071", "DCM", "Finding"
    text = Dataset()
    text.ValueType, text.ConceptNameCodeSequence = "TEXT", Sequence([concept])
    text.TextValue = "Liver lesion 2 cm, reviewed with JANE DOE on 2024-03-05"
    person = Dataset()
    person.ValueType, person.PersonName = "PNAME", "SMITH^GREGORY"
    date = Dataset()
    date.ValueType, date.Date = "DATE", "20240305"
    ds.ContentSequence = Sequence([text, person, date])
    return ds


def test_structured_content_is_dummied_by_default_and_cleaned_with_the_option():
    ds = sr_dataset()
    _, data = cleaned(ds)
    text, person, date = ds.ContentSequence
    assert text.TextValue == "ANONYMIZED" and person.PersonName == "ANONYMOUS"
    assert text.ConceptNameCodeSequence[0].CodeMeaning == "Finding" and text.ValueType == "TEXT"
    assert date.Date == shifted("20240305")
    ds = sr_dataset()
    _, data = cleaned(ds, HeaderOptions(clean_structured_content=True))
    text, person, _ = ds.ContentSequence
    assert text.TextValue == "Liver lesion 2 cm, reviewed with on" and person.PersonName == "ANONYMOUS"
    assert b"JANE" not in data and b"SMITH" not in data


def test_clean_graphics_cleans_annotation_text_and_leaves_overlay_bitmaps_to_the_pixel_stage():
    ds = us_dataset()
    text_object = Dataset()
    text_object.UnformattedTextValue = "DOE JANE LT KIDNEY"
    annotation = Dataset()
    annotation.TextObjectSequence = Sequence([text_object])
    ds.GraphicAnnotationSequence = Sequence([annotation])
    ds.add_new(0x60003000, "OW", b"\x01\x00" * 32)
    ds.add_new(0x60004000, "LT", "DOE JANE overlay")
    cleaned(ds, HeaderOptions(clean_graphics=True))
    assert ds.GraphicAnnotationSequence[0].TextObjectSequence[0].UnformattedTextValue == "LT KIDNEY"
    # The plane's text is read and cleared by the pixel stage (tests/test_overlays.py).
    assert 0x60003000 in ds and ds[0x60004000].value == "overlay"


# Elements no dictionary knows, and the PHI set's reach beyond the attributes that name a person.

def test_unknown_public_elements_are_removed_at_every_depth_and_named_by_tag():
    ds = us_dataset()
    ds.add_new(0x01080050, "SH", "A99812")  # AccessionNumber with one bit flipped: no dictionary knows it
    item = Dataset()
    item.add_new(0x00109999, "LO", "DOE^JANE")
    item.CodeMeaning = "Liver"
    ds.AnatomicRegionSequence = Sequence([item])
    ds.add_new(0x00001030, "AE", "STMARYUS1")  # a command element the table does not name
    ds.add_new(0x60020010, "US", 8)           # a repeating overlay group: known
    result, data = cleaned(ds)
    assert 0x01080050 not in ds and 0x00109999 not in ds.AnatomicRegionSequence[0] and 0x00001030 not in ds
    assert ds.AnatomicRegionSequence[0].CodeMeaning == "Liver"
    note = next(r for r in result.reasons() if "not standard attributes" in r)
    assert "(0108,0050)" in note and "(0010,9999)" in note and "(0000,1030)" in note and "(6002" not in note
    assert b"A99812" not in data and b"STMARYUS1" not in data


def test_group_lengths_command_and_file_meta_elements_leave_the_dataset():
    ds = us_dataset()
    ds.add_new(0x00080000, "UL", 100)
    ds.add_new(0x00001001, "UI", "1.2.826.0.1.3680043.2.1125.1.9")  # the table says U; no file could hold it
    ds.add_new(0x00020016, "AE", "STMARYUS1")                        # file meta, outside the file meta
    result, data = cleaned(ds)  # and the file can be written
    assert not {0x00080000, 0x00001001, 0x00020016} & set(ds.keys()) and b"STMARYUS1" not in data
    assert "(0000,1001), (0002,0016)" in " ".join(result.reasons())


def test_phi_set_takes_names_and_ids_from_private_unknown_and_id_attributes():
    ds = us_dataset()
    block = ds.private_block(0x0019, "ACME 1.0", create=True)
    block.add_new(0x10, "LO", "Okafor, Adaeze")
    block.add_new(0x11, "SH", "Amara Quispe")
    block.add_new(0x12, "UN", b"NAKAMURA^YUKIKO ")
    block.add_new(0x13, "LO", "ROUTINE HEAD")          # an exam, not a name
    block.add_new(0x14, "LO", "1.2.840.113619.2.55")   # a UID, not an ID
    block.add_new(0x15, "LO", "ref MRN5580213 ok")
    ds.add_new(0x01080050, "SH", "ACC88231")
    ds.DeviceSerialNumber = "SN-20931X"
    ds.ContactDisplayName = "Ingrid Halvorsen"
    ds.StudyComments = "Smith, Jones protocol"   # a description: its words are never taken as a name
    phi = collect_phi(ds)
    names = {name.attribute: name.parts for name in phi.names}
    assert names["(0019,1010)"] == ("Okafor", "Adaeze") and names["(0019,1012)"] == ("NAKAMURA", "YUKIKO")
    assert names["(0019,1011)"] == ("Amara", "Quispe") and names["ContactDisplayName"] == ("Ingrid", "Halvorsen")
    assert "(0019,1013)" not in names and "StudyComments" not in names
    ids = {i.value: i.attribute for i in phi.ids}
    assert ids["MRN5580213"] == "(0019,1015)" and ids["ACC88231"] == "(0108,0050)"
    assert ids["SN-20931X"] == "DeviceSerialNumber" and "113619" not in ids


def test_phi_set_reads_names_stored_with_a_wrong_vr_and_in_every_script():
    ds = us_dataset()
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds["PatientName"] = DataElement(0x00100010, "OB", b"KOWALSKI^PIOTR ")
    ds.OperatorsName = "Yamada^Tarou=山田^太郎"
    ds["AccessionNumber"] = DataElement(0x00080050, "UN", b"ACC77120")
    phi = collect_phi(ds)
    parts = {name.attribute: name.parts for name in phi.names}
    assert parts["PatientName"] == ("KOWALSKI", "PIOTR")
    assert parts["OperatorsName"] == ("Yamada", "Tarou", "山田", "太郎")
    assert "ACC77120" in {i.value for i in phi.ids}


def test_an_earlier_tools_file_loses_the_name_it_left_behind():
    ds = us_dataset()
    ds.PatientName, ds.ReferringPhysicianName = "ANONYMOUS", ""
    ds.SeriesDescription = "Okafor-CT/Head w/o Contrast"
    ds.FrameLabel = "OKAFOR"  # kept by the profile (it does not name FrameLabel): the sweep cleans it
    ds.private_block(0x0009, "ACME 1.0", create=True).add_new(0x20, "LO", "OKAFOR^ADAEZE")
    result, data = cleaned(ds)
    assert ds.SeriesDescription == "CT/Head w/o Contrast" and ds.FrameLabel == ""
    assert b"OKAFOR" not in data.upper() and not result.hold
    assert any("header sweep" in r and "FrameLabel" in r and "OKAFOR" not in r for r in result.reasons())


def test_retained_values_survive_the_sweep():
    ds = us_dataset()
    cleaned(ds, HeaderOptions(dates="full", retain_institution_identity=True, retain_device_identity=True))
    assert ds.InstitutionName == "ST MARY MEDICAL CENTER" and ds.StationName == "STMARYUS1"
    assert ds.StudyDate == "20240305"


def test_a_value_the_reader_could_not_decode_is_removed_with_a_reason():
    ds = us_dataset()
    ds["FrameLabel"] = DataElement(0x00209453, "UN", b"\x01\x02\x03")  # kept by the profile, were it readable
    ds["FrameLabel"].VR = "UN"  # as read.py leaves an element whose bytes do not fit its VR
    result, _ = cleaned(ds)
    assert "FrameLabel" not in ds
    assert "header: values that cannot be decoded by their VR removed: FrameLabel" in result.reasons()
