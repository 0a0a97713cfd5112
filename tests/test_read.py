import io
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import (DeflatedExplicitVRLittleEndian, ExplicitVRLittleEndian, RLELossless,
                         SecondaryCaptureImageStorage)

from pixelscrub.read import NotDicom, Unreadable, read


def image(path: Path, compressed: bool = False, preamble: bool = True) -> bytes:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = SecondaryCaptureImageStorage
    ds.SOPInstanceUID = "1.2.3.4"
    ds.Modality = "OT"
    ds.PatientName = "DOE^JANE"
    ds.set_pixel_data(np.arange(64 * 64, dtype=np.uint16).reshape(64, 64) % 4000, "MONOCHROME2", 12,
                      generate_instance_uid=False)
    if compressed:
        ds.compress(RLELossless, generate_instance_uid=False)
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=preamble)
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def test_a_whole_file_reads_with_its_facts(tmp_path):
    image(tmp_path / "a.dcm")
    result = read(tmp_path / "a.dcm")
    assert result.facts.modality == "OT" and (result.facts.rows, result.facts.columns) == (64, 64)


def test_a_dataset_without_preamble_is_still_dicom(tmp_path):
    image(tmp_path / "raw.dcm", preamble=False)
    assert read(tmp_path / "raw.dcm").facts.has_pixels


@pytest.mark.parametrize("content", [b"", b"hello world", b"%PDF-1.7\n" + bytes(300), bytes(200)])
def test_other_files_are_not_dicom(tmp_path, content):
    (tmp_path / "x").write_bytes(content)
    with pytest.raises(NotDicom):
        read(tmp_path / "x")


def test_a_dicomdir_is_excluded(tmp_path):
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.1.3.10"
    ds.file_meta.MediaStorageSOPInstanceUID = "1.2.3"
    record = Dataset()
    record.DirectoryRecordType = "PATIENT"
    record.PatientName = "DOE^JANE"
    ds.DirectoryRecordSequence = [record]
    ds.save_as(tmp_path / "DICOMDIR", enforce_file_format=True)
    with pytest.raises(NotDicom, match="DICOMDIR"):
        read(tmp_path / "DICOMDIR")


@pytest.mark.parametrize("compressed", [False, True])
def test_truncated_pixel_data_is_unreadable_and_says_so(tmp_path, compressed):
    data = image(tmp_path / "a.dcm", compressed=compressed)
    (tmp_path / "cut.dcm").write_bytes(data[: len(data) - 300])
    with pytest.raises(Unreadable, match="truncated") as error:
        read(tmp_path / "cut.dcm")
    assert "DOE" not in str(error.value)


def test_a_header_cut_short_is_unreadable(tmp_path):
    data = image(tmp_path / "a.dcm")
    (tmp_path / "cut.dcm").write_bytes(data[:200])
    with pytest.raises(Unreadable):
        read(tmp_path / "cut.dcm")


def test_an_unknown_vr_becomes_raw_bytes_for_the_header_stage(tmp_path):
    """A flipped bit in a VR makes pydicom raise NotImplementedError whenever the element is touched."""
    data = bytearray(image(tmp_path / "a.dcm"))
    ds = pydicom.dcmread(io.BytesIO(bytes(data)))
    ds.ImageComments = "DOE^JANE note"
    ds.ReferencedImageSequence = [Dataset()]
    ds.ReferencedImageSequence[0].ImageComments = "DOE nested"
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    data = buffer.getvalue().replace(b"\x20\x00\x00\x40LT", b"\x20\x00\x00\x40WL")
    (tmp_path / "vr.dcm").write_bytes(data)
    result = read(tmp_path / "vr.dcm")
    for holder in (result.dataset, result.dataset.ReferencedImageSequence[0]):
        assert holder["ImageComments"].VR == "UN" and b"DOE" in holder["ImageComments"].value
    assert result.facts.rows == 64 and "PatientName" in result.dataset


def test_a_broken_deflate_stream_is_unreadable(tmp_path):
    ds = pydicom.dcmread(io.BytesIO(image(tmp_path / "a.dcm")))
    ds.file_meta.TransferSyntaxUID = DeflatedExplicitVRLittleEndian
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    data = bytearray(buffer.getvalue())
    data[132 + 12 + int.from_bytes(data[140:144], "little") + 2] ^= 0xFF  # early in the deflated stream
    (tmp_path / "bad.dcm").write_bytes(bytes(data))
    with pytest.raises(Unreadable, match="cannot be parsed"):
        read(tmp_path / "bad.dcm")
