"""DICOM files for wild pictures: headers that agree with the pixels (or were cleaned earlier), in many encodings.

A cleaned header is what a header-only anonymiser leaves: placeholders for the
name and ID while the pixels still show them, and in some files the real name
left behind in the series description or in a private element.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydicom import uid
from pydicom.dataset import Dataset, FileMetaDataset

from pixelscrub.synth.encode import jpeg_baseline, ultrasound_region
from pixelscrub.synth.wild.shot import Picture, Shot

SOP_CLASSES = {
    "us_single": uid.UltrasoundImageStorage,
    "us_cine": uid.UltrasoundMultiFrameImageStorage,
    "viewer_capture": uid.SecondaryCaptureImageStorage,
    "report_page": uid.SecondaryCaptureImageStorage,
    "xa": uid.XRayAngiographicImageStorage,
    "rf": uid.XRayRadiofluoroscopicImageStorage,
    "cr": uid.ComputedRadiographyImageStorage,
    "dx": uid.DigitalXRayImageStorageForPresentation,
    "mg": uid.DigitalMammographyXRayImageStorageForPresentation,
    "ct_localizer": uid.CTImageStorage,
    "mr_localizer": uid.MRImageStorage,
    "ct": uid.CTImageStorage,
    "mr": uid.MRImageStorage,
    "endoscopy": uid.VLEndoscopicImageStorage,
}
IMAGE_TYPES = {
    "us_single": ["ORIGINAL", "PRIMARY", "ABDOMINAL"],
    "us_cine": ["ORIGINAL", "PRIMARY", "ABDOMINAL"],
    "viewer_capture": ["DERIVED", "SECONDARY", "SCREEN SAVE"],
    "report_page": ["DERIVED", "SECONDARY", "REPORT"],
    "xa": ["ORIGINAL", "PRIMARY", "SINGLE PLANE"],
    "rf": ["ORIGINAL", "PRIMARY", "SINGLE PLANE"],
    "cr": ["ORIGINAL", "PRIMARY"],
    "dx": ["ORIGINAL", "PRIMARY"],
    "mg": ["ORIGINAL", "PRIMARY"],
    "endoscopy": ["ORIGINAL", "PRIMARY"],
}
CONVERSION_TYPES = {"viewer_capture": "WSD", "report_page": "SYN"}
FOR_PRESENTATION = ("dx", "mg")
PRIVATE_CREATOR = "WILDVENDOR 2.1"
FRAME_TIME_TAG = 0x00181063
SYNTAXES = {"rle": uid.RLELossless, "jpegls": uid.JPEGLSLossless}


@dataclass(frozen=True)
class Record:
    """Everything the header says about one file beyond what its picture shows."""

    shot: Shot
    modality: str
    study_uid: str
    series_uid: str
    sop_uid: str
    frame_of_reference_uid: str
    study_description: str
    series_description: str
    series_number: int
    instance: int
    series_start: dt.datetime
    burned_in: str | None  # BurnedInAnnotation as written; None leaves it out
    cleaned_as: str | None  # the placeholder an earlier header clean left; None if untouched
    name_left_in: tuple[str, ...]  # where a cleaned header still holds the name: "series", "private"


def _da(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _tm(moment: dt.datetime) -> str:
    return moment.strftime("%H%M%S")


def _header(record: Record, picture: Picture) -> Dataset:
    shot = record.shot
    visit, device = shot.visit, shot.device
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.SOPClassUID, ds.SOPInstanceUID = SOP_CLASSES[shot.scene], record.sop_uid
    ds.StudyDate, ds.StudyTime = _da(visit.start.date()), _tm(visit.start)
    ds.SeriesDate, ds.SeriesTime = _da(record.series_start.date()), _tm(record.series_start)
    ds.AcquisitionDate, ds.AcquisitionTime = _da(shot.acquired.date()), _tm(shot.acquired)
    ds.ContentDate, ds.ContentTime = _da(shot.acquired.date()), _tm(shot.acquired)
    ds.AccessionNumber = visit.accession
    ds.Modality = record.modality
    ds.Manufacturer, ds.ManufacturerModelName = device.manufacturer, device.model
    ds.InstitutionName = visit.institution
    ds.ReferringPhysicianName = visit.referring.dicom
    ds.StationName = device.station
    ds.StudyDescription, ds.SeriesDescription = record.study_description, record.series_description
    ds.PerformingPhysicianName = visit.performer.dicom
    ds.OperatorsName = visit.operator.dicom
    ds.PatientName, ds.PatientID = visit.patient.dicom, visit.patient_id
    ds.PatientBirthDate, ds.PatientSex = _da(visit.birth), visit.sex
    ds.PatientAge = f"{visit.age:03d}Y"
    ds.StudyInstanceUID, ds.SeriesInstanceUID = record.study_uid, record.series_uid
    ds.StudyID, ds.SeriesNumber, ds.InstanceNumber = visit.study_id, record.series_number, record.instance
    ds.PatientOrientation = ""
    if shot.scene in IMAGE_TYPES:
        ds.ImageType = IMAGE_TYPES[shot.scene]
    if shot.scene in CONVERSION_TYPES:
        ds.ConversionType = CONVERSION_TYPES[shot.scene]
    else:
        ds.FrameOfReferenceUID, ds.PositionReferenceIndicator = record.frame_of_reference_uid, ""
    if shot.scene in FOR_PRESENTATION:
        ds.PresentationIntentType = "FOR PRESENTATION"
    if record.burned_in is not None:
        ds.BurnedInAnnotation = record.burned_in
    for keyword, value in picture.attributes.items():
        setattr(ds, keyword, value)
    if picture.region is not None:
        ds.SequenceOfUltrasoundRegions = [ultrasound_region(picture.region)]
    if len(picture.frames) > 1:
        ds.FrameIncrementPointer = FRAME_TIME_TAG
    if record.cleaned_as is not None:
        _clean_earlier(ds, record)
    return ds


def _clean_earlier(ds: Dataset, record: Record) -> None:
    """Placeholders where the name and ID were, the rest of the identity dropped; the name may linger."""
    visit = record.shot.visit
    ds.PatientName, ds.PatientID = record.cleaned_as, record.cleaned_as.replace("^", "")
    ds.PatientBirthDate, ds.ReferringPhysicianName, ds.AccessionNumber = "", "", ""
    for keyword in ("InstitutionName", "OperatorsName", "PerformingPhysicianName"):
        delattr(ds, keyword)
    ds.PatientIdentityRemoved = "YES"
    ds.DeidentificationMethod = "Header anonymised; pixel data not reviewed"
    if "series" in record.name_left_in:
        ds.SeriesDescription = f"{visit.patient.family.title()}-{record.series_description}"
    if "private" in record.name_left_in:
        block = ds.private_block(0x0011, PRIVATE_CREATOR, create=True)
        block.add_new(0x01, "LO", f"{visit.patient.family} {visit.patient.given}")


def _palette(frames: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices and a 256-entry table: a grey ramp, then every other colour the crisp overlay used."""
    flat = frames.reshape(-1, 3).astype(np.int32)
    grey = (flat[:, 0] == flat[:, 1]) & (flat[:, 1] == flat[:, 2])
    keys = (flat[:, 0] << 16) | (flat[:, 1] << 8) | flat[:, 2]
    colours = np.unique(keys[~grey])
    if len(colours) > 64:
        raise ValueError(f"{len(colours)} colours do not fit a palette beside a grey ramp; draw crisp text")
    ramp = 256 - len(colours)
    table = np.zeros((256, 3), np.uint8)
    table[:ramp] = np.rint(np.arange(ramp) * 255 / (ramp - 1))[:, None]
    table[ramp:] = np.stack([colours >> 16, (colours >> 8) & 255, colours & 255], axis=1)
    indices = np.where(grey, np.rint(flat[:, 0] * (ramp - 1) / 255), ramp + np.searchsorted(colours, keys))
    return indices.astype(np.uint8).reshape(frames.shape[:-1]), table


def _set_palette(ds: Dataset, table: np.ndarray) -> None:
    for channel, colour in enumerate(("Red", "Green", "Blue")):
        setattr(ds, f"{colour}PaletteColorLookupTableDescriptor", [256, 0, 16])
        setattr(ds, f"{colour}PaletteColorLookupTableData", (table[:, channel].astype("<u2") * 257).tobytes())


def write(record: Record, picture: Picture, encoding: str, path: Path) -> Dataset:
    """Build the dataset, store the frames as `encoding` asks ("native", "rle", "jpeg", "jpegls"), save."""
    ds = _header(record, picture)
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = uid.ExplicitVRLittleEndian
    frames = picture.frames
    if picture.photometric == "PALETTE COLOR":
        frames, table = _palette(frames)
    pixels = frames if len(frames) > 1 else frames[0]
    ds.set_pixel_data(pixels, picture.photometric, picture.bits_stored, generate_instance_uid=False)
    if picture.photometric == "PALETTE COLOR":
        _set_palette(ds, table)
    if encoding == "jpeg":
        jpeg_baseline(ds, frames)
    elif encoding in SYNTAXES:
        ds.compress(SYNTAXES[encoding], pixels, generate_instance_uid=False)
    ds.save_as(path, enforce_file_format=True)
    return ds
