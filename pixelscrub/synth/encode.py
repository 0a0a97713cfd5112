"""DICOM datasets for synthetic images, in the encodings real archives hold.

The header repeats the PHI the pixels show (unless an earlier clean replaced
it), so a scrubber can be scored on both and on their agreement.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image
from pydicom import uid
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate

from pixelscrub.synth.scenes import Region, Scene, Shot

SOP_CLASSES = {
    "us_single": uid.UltrasoundImageStorage,
    "us_cine": uid.UltrasoundMultiFrameImageStorage,
    "screen_capture": uid.SecondaryCaptureImageStorage,
    "secondary_capture": uid.SecondaryCaptureImageStorage,
    "xa": uid.XRayAngiographicImageStorage,
    "rf": uid.XRayRadiofluoroscopicImageStorage,
    "ct": uid.CTImageStorage,
    "mr": uid.MRImageStorage,
}
MODALITIES = {
    "us_single": "US", "us_cine": "US", "screen_capture": "OT", "secondary_capture": "OT",
    "xa": "XA", "rf": "RF", "ct": "CT", "mr": "MR",
}
IMAGE_TYPES = {
    "us_single": ["ORIGINAL", "PRIMARY", "CARDIAC"],
    "us_cine": ["ORIGINAL", "PRIMARY", "CARDIAC"],
    "screen_capture": ["DERIVED", "SECONDARY", "SCREEN SAVE"],
    "secondary_capture": ["DERIVED", "SECONDARY"],
    "xa": ["ORIGINAL", "PRIMARY", "SINGLE PLANE"],
    "rf": ["ORIGINAL", "PRIMARY", "SINGLE PLANE"],
}
CONVERSION_TYPES = {"screen_capture": "WSD", "secondary_capture": "SYN"}
JPEG_QUALITY = 85
PRIVATE_CREATOR = "SYNTHVENDOR 1.0"
FRAME_TIME_TAG = 0x00181063


@dataclass(frozen=True)
class Record:
    """Everything the header says about one file beyond what its scene draws."""

    shot: Shot
    study_uid: str
    series_uid: str
    sop_uid: str
    frame_of_reference_uid: str
    study_description: str
    series_description: str
    series_number: int
    series_start: dt.datetime
    burned_in: str | None  # BurnedInAnnotation as written; None leaves it out
    private_copy: bool  # a vendor private block repeats the name and ID
    cleaned_as: str | None  # placeholder ID of an earlier header clean; None if untouched


def _da(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _tm(moment: dt.datetime) -> str:
    return moment.strftime("%H%M%S")


def ultrasound_region(region: Region) -> Dataset:
    x0, y0, x1, y1 = region.box
    item = Dataset()
    item.RegionLocationMinX0, item.RegionLocationMinY0 = x0, y0
    item.RegionLocationMaxX1, item.RegionLocationMaxY1 = x1, y1
    item.RegionSpatialFormat = 1  # 2D
    item.RegionDataType = 1  # tissue
    item.RegionFlags = 0
    item.PhysicalUnitsXDirection = item.PhysicalUnitsYDirection = 3  # cm
    item.PhysicalDeltaX = item.PhysicalDeltaY = round(region.cm_per_pixel, 6)
    item.ReferencePixelX0, item.ReferencePixelY0 = region.apex[0] - x0, region.apex[1] - y0  # region-relative
    item.ReferencePixelPhysicalValueX = item.ReferencePixelPhysicalValueY = 0.0
    return item


def _header(record: Record, scene: Scene) -> Dataset:
    shot = record.shot
    visit, patient, device = shot.visit, shot.visit.patient, shot.device
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.SOPClassUID, ds.SOPInstanceUID = SOP_CLASSES[shot.scene], record.sop_uid
    ds.StudyDate, ds.StudyTime = _da(visit.start.date()), _tm(visit.start)
    ds.SeriesDate, ds.SeriesTime = _da(record.series_start.date()), _tm(record.series_start)
    ds.ContentDate, ds.ContentTime = _da(shot.acquired.date()), _tm(shot.acquired)
    ds.AcquisitionDateTime = shot.acquired.strftime("%Y%m%d%H%M%S")
    ds.AccessionNumber = visit.accession
    ds.Modality = MODALITIES[shot.scene]
    ds.Manufacturer, ds.ManufacturerModelName = device.manufacturer, device.model
    ds.InstitutionName, ds.InstitutionAddress = visit.institution, visit.address
    ds.ReferringPhysicianName = visit.referring.dicom
    ds.StationName = device.station
    ds.StudyDescription, ds.SeriesDescription = record.study_description, record.series_description
    ds.OperatorsName = visit.operator.dicom
    ds.PatientName, ds.PatientID = patient.person.dicom, patient.patient_id
    ds.PatientBirthDate, ds.PatientSex = _da(patient.birth), patient.sex
    ds.PatientAge = f"{visit.age:03d}Y"
    ds.StudyInstanceUID, ds.SeriesInstanceUID = record.study_uid, record.series_uid
    ds.StudyID, ds.SeriesNumber, ds.InstanceNumber = visit.study_id, record.series_number, shot.instance
    ds.PatientOrientation = ""
    if shot.scene in IMAGE_TYPES:
        ds.ImageType = IMAGE_TYPES[shot.scene]
    if shot.scene in CONVERSION_TYPES:
        ds.ConversionType = CONVERSION_TYPES[shot.scene]
    else:
        ds.FrameOfReferenceUID, ds.PositionReferenceIndicator = record.frame_of_reference_uid, ""
    if record.burned_in is not None:
        ds.BurnedInAnnotation = record.burned_in
    for keyword, value in scene.attributes.items():
        setattr(ds, keyword, value)
    if scene.region is not None:
        ds.SequenceOfUltrasoundRegions = [ultrasound_region(scene.region)]
    if len(scene.frames) > 1:
        ds.FrameIncrementPointer = FRAME_TIME_TAG
    if record.private_copy:
        block = ds.private_block(0x0009, PRIVATE_CREATOR, create=True)
        block.add_new(0x10, "PN", patient.person.dicom)
        block.add_new(0x11, "LO", patient.patient_id)
    if record.cleaned_as is not None:
        _clean_earlier(ds, record.cleaned_as)
    return ds


def _clean_earlier(ds: Dataset, placeholder: str) -> None:
    """What a header-only anonymiser leaves: placeholders in the header, PHI still in the pixels."""
    ds.PatientName, ds.PatientID, ds.PatientBirthDate = "ANONYMOUS", placeholder, ""
    ds.ReferringPhysicianName, ds.AccessionNumber = "", ""
    for keyword in ("InstitutionName", "InstitutionAddress", "OperatorsName"):
        delattr(ds, keyword)
    ds.PatientIdentityRemoved = "YES"
    ds.DeidentificationMethod = "Header anonymised; pixel data not reviewed"
    ds.BurnedInAnnotation = "NO"


def jpeg_baseline(ds: Dataset, frames: np.ndarray) -> None:
    """Pillow writes JPEG baseline (colour as YCbCr with 4:2:2 chroma); pydicom only wraps the frames."""
    encoded = []
    for frame in frames:
        buffer = io.BytesIO()
        Image.fromarray(frame).save(buffer, format="JPEG", quality=JPEG_QUALITY, subsampling=1)
        encoded.append(buffer.getvalue())
    ds.PixelData = encapsulate(encoded)
    ds["PixelData"].VR = "OB"
    ds["PixelData"].is_undefined_length = True
    if frames.ndim == 4:
        ds.PhotometricInterpretation = "YBR_FULL_422"
    ds.file_meta.TransferSyntaxUID = uid.JPEGBaseline8Bit
    ds.LossyImageCompression = "01"
    ds.LossyImageCompressionRatio = f"{frames.nbytes / sum(len(e) for e in encoded):.2f}"
    ds.LossyImageCompressionMethod = "ISO_10918_1"


def write(record: Record, scene: Scene, encoding: str, path: Path) -> Dataset:
    """Build the dataset, encode the frames as asked, save; returns what was written."""
    ds = _header(record, scene)
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = uid.ExplicitVRLittleEndian
    frames = scene.frames
    colour = frames.ndim == 4
    bits = 12 if frames.dtype == np.uint16 else frames.dtype.itemsize * 8
    pixels = frames if len(frames) > 1 else frames[0]
    ds.set_pixel_data(pixels, "RGB" if colour else "MONOCHROME2", bits, generate_instance_uid=False)
    if encoding == "jpeg":
        jpeg_baseline(ds, frames)
    elif encoding == "rle":
        ds.compress(uid.RLELossless, pixels, generate_instance_uid=False)
    ds.save_as(path, enforce_file_format=True)
    return ds
