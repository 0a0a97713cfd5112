"""Property-based: odd headers, odd pixel layouts and damaged real files, each through the whole pipeline.

pixelscrub must fail closed. Every case must end released, quarantined, skipped or failed with a reason
pixelscrub wrote (never "error:", which means an exception escaped a stage), and must not crash the
process. A released file must hold nothing from its ORIGINAL header's PHI set: `leaks` searches every
string value of the output, nested, private and unknown elements included, for the names, IDs and
places of that set, by rules of its own (it does not reuse the header stage's sweep).

Examples are derandomized and kept out of Hypothesis' database, so CI sees the same cases every run;
set PIXELSCRUB_FUZZ_SCALE (e.g. 10) to run more of them locally.
"""

from __future__ import annotations

import io
import itertools
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np
import pydicom
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydicom.data import get_testdata_file
from pydicom.datadict import get_entry
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate, generate_frames
from pydicom.pixels import pack_bits
from pydicom.sequence import Sequence
from pydicom.uid import (CTImageStorage, DeflatedExplicitVRLittleEndian, ExplicitVRBigEndian,
                         ExplicitVRLittleEndian, ImplicitVRLittleEndian, JPEG2000Lossless, JPEGLSLossless,
                         RLELossless, SecondaryCaptureImageStorage, UltrasoundImageStorage,
                         UltrasoundMultiFrameImageStorage, XRayAngiographicImageStorage)

from pixelscrub.config import load_config
from pixelscrub.header.phi import PhiSet, collect_phi
from pixelscrub.outputs import RunPaths
from pixelscrub.pipeline import Scrubber
from pixelscrub.pixels.codec.frames import DecodeError, Frames
from pixelscrub.pixels.codec.store import FrameWriter, safe_plugin
from pixelscrub.project import Project

# Damaged files make pydicom warn at every step; the warnings say nothing the outcomes do not.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
SCALE = int(os.environ.get("PIXELSCRUB_FUZZ_SCALE", "1"))
STATUSES = {"released", "quarantined", "skipped", "failed"}


def fuzz_settings(examples: int) -> settings:
    return settings(max_examples=examples * SCALE, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))


# The scrubber, built once: its OCR engines are slow to start.

@pytest.fixture(scope="module")
def scrubber(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    (root / "in").mkdir()
    config = replace(load_config(None), home=root / "home")
    Project(config.project, config.home, config.prefix, config.pseudonym_width).ensure()
    scrubber = Scrubber(config, RunPaths.resolve(root / "in", root / "out", None, None))
    yield scrubber
    scrubber.close()


_names = itertools.count()


def run(scrubber: Scrubber, data: bytes):
    """Scrub one file's bytes; returns the outcome and the path of the file written, if any."""
    path = scrubber.paths.input / f"case{next(_names):05d}.dcm"
    path.write_bytes(data)
    outcome = scrubber.process(path)
    assert outcome.status in STATUSES
    assert outcome.reasons, "every outcome says why"
    assert not any(r.startswith("error:") for r in outcome.reasons), outcome.reasons
    root = {"released": scrubber.paths.output, "quarantined": scrubber.paths.quarantine}.get(outcome.status)
    assert (outcome.output is None) == (root is None)
    return outcome, (root / outcome.output if root else None)


def original_phi(data: bytes) -> PhiSet | None:
    try:
        return collect_phi(pydicom.dcmread(io.BytesIO(data), force=True))
    except Exception:  # what pydicom cannot parse, pixelscrub must not release
        return None


# The leak check: independent of the header stage's own search.

WORD = re.compile(r"\w+")
NOT_SEARCHED_VRS = {"UI", "SQ"}  # UIDs are replaced by hashes, or are class UIDs
# What pixelscrub writes itself: the de-identification record.
WRITTEN_HERE = {"DeidentificationMethod", "DeidentificationMethodCodeSequence", "PatientIdentityRemoved"}
GENERIC_PLACE = {"medical", "center", "centre", "hospital", "clinic", "general", "university", "health",
                 "healthcare", "imaging", "radiology", "department", "regional", "institute", "systems"}


def _strings(ds: Dataset):
    """(attribute, text) of every value of `ds`, nested, with binary values read as Latin-1 text."""
    for element in list(ds.iterall()) + list(getattr(ds, "file_meta", Dataset()).iterall()):
        if element.VR in NOT_SEARCHED_VRS or element.keyword in WRITTEN_HERE or element.tag == 0x7FE00010:
            continue
        values = element.value if isinstance(element.value, (list, tuple, pydicom.multival.MultiValue)) \
            else [element.value]
        for value in values:
            if isinstance(value, bytes):
                yield element.tag, value.decode("latin-1")
            elif value not in (None, ""):
                yield element.tag, str(value)


def leaks(path: Path, phi: PhiSet) -> list[str]:
    """The PHI set's kinds and attributes found in `path` (never the values: they are test data anyway)."""
    ds = pydicom.dcmread(path)
    try:
        strings = list(_strings(ds))
    except Exception as exc:
        return [f"the released file cannot be read back ({type(exc).__name__})"]
    parts = {w.casefold(): n.attribute for n in phi.names for p in n.parts for w in WORD.findall(p)
             if len(w) >= 3 and w.isalpha()}
    ids = {i.value.strip().casefold(): i.attribute for i in phi.ids
           if len(i.value.strip()) >= (5 if i.value.strip().isdigit() else 4)}
    places = {" ".join(WORD.findall(p.value.casefold())): p.attribute for p in phi.places
              if not set(WORD.findall(p.value.casefold())) <= GENERIC_PLACE | {w.casefold() for w in phi.vendor_words}}
    found = []
    for tag, text in strings:
        folded = text.casefold()
        words = set(WORD.findall(folded))
        found += [f"name {attribute} in {tag}" for part, attribute in parts.items() if part in words]
        found += [f"id {attribute} in {tag}" for value, attribute in ids.items()
                  if re.search(rf"(?<!\w){re.escape(value)}(?!\w)", folded)]
        flat = " ".join(WORD.findall(folded))
        found += [f"place {attribute} in {tag}" for value, attribute in places.items()
                  if value and re.search(rf"(?<!\w){re.escape(value)}(?!\w)", flat)]
    return found


def check(scrubber: Scrubber, data: bytes) -> None:
    outcome, written = run(scrubber, data)
    if outcome.status == "released":
        phi = original_phi(data)
        assert phi is not None, "a file pydicom cannot parse was released"
        assert leaks(written, phi) == [], outcome.reasons


# People, in the scripts their character sets write.

FAMILIES = ["OKAFOR", "KOWALSKI", "NAKAMURA", "HALVORSEN", "ABERNATHY", "QUISPE", "DUBOIS", "ESPOSITO"]
GIVENS = ["ADAEZE", "PIOTR", "YUKIKO", "INGRID", "MATEO", "AMARA"]
CHARSETS = {  # SpecificCharacterSet -> a name it can write
    None: None,
    "ISO_IR 100": "MÜLLER^JÜRGEN",
    "ISO_IR 144": "Иванов^Пётр",
    "ISO_IR 192": "Núñez^José=王^小明",
    "\\ISO 2022 IR 87": "Yamada^Tarou=山田^太郎=やまだ^たろう",
    "\\ISO 2022 IR 149": "Hong^Gildong=洪^吉洞=홍^길동",
    "GB18030": "Wang^XiaoDong=王^小东",
}
# Public tags no dictionary knows: (0108,0050) is AccessionNumber with one bit flipped.
UNKNOWN_TAGS = (0x01080050, 0x00109999, 0x0040FF01)
# Public attributes the profile does not name, so it keeps them: only the sweep can clean them.
UNLISTED = (("FrameLabel", "LO"), ("ContactDisplayName", "LO"), ("TestResultComment", "LO"),
            ("EvaluatorName", "PN"), ("ScanProcedure", "ST"))


@dataclass(frozen=True)
class Person:
    family: str
    given: str
    patient_id: str
    accession: str
    script_name: str | None  # the name in the character set's script, when one is chosen

    @property
    def name(self) -> str:
        return f"{self.family}^{self.given}"


@st.composite
def people(draw) -> tuple[Person, str | None]:
    charset = draw(st.sampled_from(list(CHARSETS)))
    person = Person(draw(st.sampled_from(FAMILIES)), draw(st.sampled_from(GIVENS)),
                    f"MRN{draw(st.integers(100000, 9999999))}", f"ACC{draw(st.integers(10000, 999999))}",
                    CHARSETS[charset])
    return person, charset


# Pixel layouts.

FORMS = (  # photometric, bits allocated, samples
    ("MONOCHROME2", 8, 1), ("MONOCHROME2", 16, 1), ("MONOCHROME1", 16, 1), ("MONOCHROME2", 1, 1),
    ("RGB", 8, 3), ("YBR_FULL", 8, 3), ("YBR_FULL_422", 8, 3), ("PALETTE COLOR", 8, 1), ("PALETTE COLOR", 16, 1),
)
SIZES = ((1, 1), (3, 5), (1, 2000), (2000, 1), (2, 2), (17, 33), (64, 200), (65, 201), (96, 256))
SYNTAXES = (ImplicitVRLittleEndian, ExplicitVRLittleEndian, ExplicitVRBigEndian, DeflatedExplicitVRLittleEndian,
            RLELossless, JPEGLSLossless, JPEG2000Lossless)
MAX_VALUES = 300_000  # samples in one file, to keep the whole file fast


@dataclass(frozen=True)
class Layout:
    photometric: str
    bits: int
    samples: int
    rows: int
    columns: int
    frames: int
    syntax: str
    planar: int
    bits_stored: int   # below BitsAllocated: the bits above hold noise, as old overlays do
    signed: bool
    lut_bits: int      # palette entries' width: 8 or 16
    lut_entries: int   # fewer than the indices can reach, sometimes; 65536 is written as 0
    lut_first: int     # the first index the palette maps
    seed: int
    banner: bool       # the patient's name burned into the pixels


def _encodable(form: tuple, syntax: str, rows: int, columns: int) -> bool:
    """Whether the test can write the layout: the encoders refuse some (pixelscrub must read them all)."""
    photometric, bits, _ = form
    if syntax.is_encapsulated and (bits == 1 or photometric == "YBR_FULL_422"):
        return False  # no encapsulated syntax takes 1-bit or 4:2:2 data
    if syntax == JPEGLSLossless:
        return photometric in ("MONOCHROME2", "RGB") and rows * columns >= 64
    if syntax == JPEG2000Lossless:
        return photometric in ("MONOCHROME2", "RGB") and min(rows, columns) >= 32
    return True


@st.composite
def layouts(draw) -> Layout:
    form = draw(st.sampled_from(FORMS))
    rows, columns = draw(st.sampled_from(SIZES))
    if form[0] == "YBR_FULL_422" and columns % 2:
        columns += 1
    syntax = draw(st.sampled_from([s for s in SYNTAXES if _encodable(form, s, rows, columns)]))
    most = max(1, MAX_VALUES // (rows * columns * form[2]))
    frames = min(most, draw(st.sampled_from((1, 1, 2, 7, 40))))
    palette = form[0] == "PALETTE COLOR"
    grey16 = form[:2] in (("MONOCHROME2", 16), ("MONOCHROME1", 16))
    return Layout(
        photometric=form[0], bits=form[1], samples=form[2], rows=rows, columns=columns, frames=frames,
        syntax=syntax, planar=draw(st.sampled_from((0, 1))) if form[2] == 3 else 0,
        bits_stored=draw(st.sampled_from((12, 16))) if grey16 else form[1],
        signed=grey16 and draw(st.booleans()),
        lut_bits=draw(st.sampled_from((8, 16))) if palette else 0,
        lut_entries=draw(st.sampled_from((256, 200, 4096, 65536))) if palette else 0,
        lut_first=draw(st.sampled_from((0, 16))) if palette else 0,
        seed=draw(st.integers(0, 2**16)), banner=rows >= 64 and columns >= 200 and draw(st.booleans()))


def _pixels(layout: Layout, person: Person) -> np.ndarray:
    """Frames, rows, columns(, samples) of stored values: noise, with the name burned in when asked."""
    rng = np.random.default_rng(layout.seed)
    stored = layout.bits_stored if layout.syntax.is_encapsulated else layout.bits  # native: noise above too
    top = 1 if layout.bits == 1 else (layout.lut_entries + 50 if layout.photometric == "PALETTE COLOR"
                                      else 2 ** (stored - layout.signed) - 1)
    top = min(top, 2 ** layout.bits - 1)
    shape = (layout.frames, layout.rows, layout.columns) + ((3,) if layout.samples == 3 else ())
    dtype = np.uint8 if layout.bits <= 8 else np.int16 if layout.signed else np.uint16
    pixels = (rng.integers(0, top + 1, shape) // (4 if layout.banner else 1)).astype(dtype)
    if layout.banner:
        for frame in pixels:
            cv2.putText(frame, f"{person.family} {person.given}", (4, 20), cv2.FONT_HERSHEY_SIMPLEX, 0.6,
                        (top,) * layout.samples, 1, cv2.LINE_AA)
            cv2.putText(frame, f"ID {person.patient_id}", (4, 44), cv2.FONT_HERSHEY_SIMPLEX, 0.6,
                        (top,) * layout.samples, 1, cv2.LINE_AA)
    return pixels


def _ybr_422(rgb: np.ndarray) -> np.ndarray:
    """Native YBR_FULL_422: Y1 Y2 Cb Cr per pixel pair (PS3.3 C.7.6.3.1.2)."""
    ybr = pydicom.pixels.convert_color_space(rgb, "RGB", "YBR_FULL")
    return np.stack([ybr[..., 0::2, 0], ybr[..., 1::2, 0], ybr[..., 0::2, 1], ybr[..., 0::2, 2]], axis=-1)


def _set_pixels(ds: Dataset, layout: Layout, pixels: np.ndarray) -> None:
    ds.Rows, ds.Columns, ds.SamplesPerPixel = layout.rows, layout.columns, layout.samples
    ds.PhotometricInterpretation = layout.photometric
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = layout.bits, layout.bits_stored, layout.bits_stored - 1
    ds.PixelRepresentation = int(layout.signed)
    if layout.samples == 3:
        ds.PlanarConfiguration = layout.planar
    if layout.frames > 1:
        ds.NumberOfFrames = layout.frames
    if layout.photometric == "PALETTE COLOR":
        _add_palette(ds, layout)
    big = layout.syntax == ExplicitVRBigEndian
    if layout.syntax.is_encapsulated:
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.compress(layout.syntax, pixels if layout.frames > 1 else pixels[0], generate_instance_uid=False,
                    encoding_plugin=safe_plugin(layout.syntax))
        if layout.samples == 3:
            ds.PlanarConfiguration = layout.planar  # RLE stores planes whatever the attribute says
        return
    if layout.bits == 1:
        data = pack_bits(pixels.ravel())
    else:
        if layout.photometric == "YBR_FULL_422":
            pixels = _ybr_422(pixels)
        elif layout.samples == 3 and layout.planar:
            pixels = np.moveaxis(pixels, -1, 1)
        data = pixels.astype(pixels.dtype.newbyteorder(">" if big else "<")).tobytes()
    ds.PixelData = data + b"\0" * (len(data) % 2)
    ds["PixelData"].VR = "OB" if layout.bits <= 8 else "OW"


def _add_palette(ds: Dataset, layout: Layout) -> None:
    ramp = np.linspace(0, 1, layout.lut_entries)
    order = ">" if layout.syntax == ExplicitVRBigEndian else "<"
    for colour, curve in zip(("Red", "Green", "Blue"), (ramp, 1 - ramp, 0.5 + 0.5 * np.sin(9 * ramp))):
        lut = np.rint(curve * (2 ** layout.lut_bits - 1)).astype(f"{order}u{layout.lut_bits // 8}")
        entries = 0 if layout.lut_entries == 65536 else layout.lut_entries
        setattr(ds, f"{colour}PaletteColorLookupTableDescriptor", [entries, layout.lut_first, layout.lut_bits])
        data = lut.tobytes()
        setattr(ds, f"{colour}PaletteColorLookupTableData", data + b"\0" * (len(data) % 2))


# Headers.

@dataclass(frozen=True)
class Quirks:
    charset: str | None
    earlier_tool: bool          # PatientName replaced by an earlier tool; the name left elsewhere
    wrong_vrs: tuple            # (keyword, VR) stored with a VR the dictionary does not give it
    unknown: tuple              # unknown public tags holding the accession number or the name
    private: tuple              # kinds of private elements holding the name or an ID
    unlisted: tuple             # unlisted public attributes holding the name
    nested: bool                # the same inside a sequence item
    operator: bool              # OperatorsName holds the name: without it, an earlier tool's file may
                                # hold the name only where no attribute says it is one


@st.composite
def quirks(draw, charset: str | None) -> Quirks:
    return Quirks(
        charset=charset,
        earlier_tool=draw(st.booleans()),
        wrong_vrs=tuple(draw(st.lists(st.sampled_from([
            ("PatientName", "LO"), ("PatientName", "UN"), ("PatientName", "OB"), ("PatientName", "UT"),
            ("AccessionNumber", "UN"), ("AccessionNumber", "OB"), ("AccessionNumber", "LT"), ("AccessionNumber", "US"),
            ("PatientBirthDate", "LO"), ("OperatorsName", "SH"), ("InstitutionName", "UN")]), max_size=3, unique=True))),
        unknown=tuple(draw(st.lists(st.sampled_from(UNKNOWN_TAGS), max_size=3, unique=True))),
        private=tuple(draw(st.lists(st.sampled_from(["caret", "words", "id", "un", "ob", "pn", "sequence", "orphan"]),
                                    max_size=4, unique=True))),
        unlisted=tuple(draw(st.lists(st.sampled_from(UNLISTED), max_size=2, unique=True))),
        nested=draw(st.booleans()),
        operator=draw(st.booleans()),
    )


def _sop_class(layout: Layout) -> tuple[str, str]:
    if layout.photometric in ("PALETTE COLOR", "YBR_FULL_422", "YBR_FULL") or layout.banner:
        return (UltrasoundMultiFrameImageStorage if layout.frames > 1 else UltrasoundImageStorage), "US"
    if layout.frames > 1:
        return XRayAngiographicImageStorage, "XA"
    return (SecondaryCaptureImageStorage, "OT") if layout.samples == 3 or layout.bits == 1 else (CTImageStorage, "CT")


def _element(tag: int, vr: str, text: str) -> DataElement:
    """`text` stored under `vr`, as a writer that got the VR wrong would store it."""
    if vr in ("UN", "OB"):
        raw = text.encode("latin-1", "replace")
        return DataElement(tag, vr, raw + b" " * (len(raw) % 2))
    if vr == "US":
        return DataElement(tag, vr, int(re.sub(r"\D", "", text)[-4:] or 0))
    return DataElement(tag, vr, text)


def header(person: Person, quirks: Quirks, layout: Layout) -> Dataset:
    sop_class, modality = _sop_class(layout)
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = layout.syntax
    ds.file_meta.MediaStorageSOPClassUID = sop_class
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID = f"1.2.826.0.1.3680043.2.1125.9.{layout.seed}"
    ds.SOPClassUID, ds.Modality = sop_class, modality
    ds.StudyInstanceUID = f"1.2.826.0.1.3680043.2.1125.9.{layout.seed}.1"
    ds.SeriesInstanceUID = f"1.2.826.0.1.3680043.2.1125.9.{layout.seed}.2"
    if quirks.charset:
        ds.SpecificCharacterSet = quirks.charset.split("\\") if "\\" in quirks.charset else quirks.charset
    name = quirks.charset and person.script_name or person.name
    ds.PatientName = "ANONYMOUS" if quirks.earlier_tool else name
    ds.PatientID = "" if quirks.earlier_tool else person.patient_id
    ds.PatientBirthDate, ds.StudyDate, ds.StudyTime = "19581122", "20230412", "093000"
    ds.AccessionNumber = person.accession
    ds.InstitutionName = "HALLORAN VALLEY MEDICAL CENTER"
    if quirks.operator:
        ds.OperatorsName = f"{person.given}^{person.family}"
    ds.StudyDescription = "CT/Head w/o Contrast"
    ds.SeriesDescription = f"{person.family.title()}-CT/Head w/o Contrast"
    ds.BurnedInAnnotation = "NO"
    for keyword, vr in quirks.wrong_vrs:
        tag = pydicom.datadict.tag_for_keyword(keyword)
        value = ds.get(keyword) or person.name
        ds[tag] = _element(tag, vr, value.decode("latin-1").strip() if isinstance(value, bytes) else str(value))
    for tag in quirks.unknown:
        assert _unknown(tag)
        ds[tag] = DataElement(tag, "SH" if tag == 0x01080050 else "LO",
                              person.accession if tag == 0x01080050 else person.name)
    for keyword, vr in quirks.unlisted:
        ds[keyword] = DataElement(pydicom.datadict.tag_for_keyword(keyword), vr,
                                  person.name if vr == "PN" else f"{person.family} {person.accession}")
    _private(ds, person, quirks.private)
    if quirks.nested:
        item = Dataset()
        _private(item, person, quirks.private)
        for tag in quirks.unknown:
            item[tag] = DataElement(tag, "LO", f"{person.given} {person.family}")
        item.CodeMeaning = f"{person.family.title()} follow-up"
        ds.AnatomicRegionSequence = Sequence([item])
    return ds


def _unknown(tag: int) -> bool:
    try:
        get_entry(tag)
    except KeyError:
        return True
    return False


def _private(ds: Dataset, person: Person, kinds: tuple) -> None:
    if not kinds:
        return
    block = ds.private_block(0x0009, "HALLORAN PACS 2.1", create=True)
    for offset, kind in enumerate(kinds):
        element = {
            "caret": ("LO", person.name),
            "words": ("LO", f"{person.given.title()} {person.family.title()}"),
            "id": ("SH", person.patient_id),
            "un": ("UN", f"{person.name} ".encode()),
            "ob": ("OB", f"{person.accession}".encode().ljust(10)),
            "pn": ("PN", person.name),
            "sequence": ("SQ", Sequence([Dataset()])),
            "orphan": None,
        }[kind]
        if kind == "sequence":
            element[1][0].add_new(0x00091010, "LO", "HALLORAN PACS 2.1")
            element[1][0].add_new(0x00091001, "LO", f"{person.family}, {person.given}")
        if element is None:  # a private element whose creator is missing
            ds.add_new(0x00111001, "LO", person.name)
        else:
            block.add_new(0x10 + offset, *element)


def write(ds: Dataset) -> bytes:
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()


@dataclass(frozen=True)
class Generated:
    """A file to write: what Hypothesis shows when a case fails."""

    layout: Layout
    person: Person
    quirks: Quirks

    def data(self) -> bytes:
        ds = header(self.person, self.quirks, self.layout)
        _set_pixels(ds, self.layout, _pixels(self.layout, self.person))
        return write(ds)


@st.composite
def generated(draw) -> Generated:
    layout = draw(layouts())
    person, charset = draw(people())
    return Generated(layout, person, draw(quirks(charset)))


# Cases that failed once, kept as explicit examples.
NAME = Person("OKAFOR", "ADAEZE", "MRN4471902", "ACC77120", None)
PLAIN = Quirks(None, False, (), (), (), (), False, True)


def _layout(photometric: str, samples: int, size: tuple[int, int], syntax: str, **changes) -> Layout:
    fields = dict(photometric=photometric, bits=8, samples=samples, rows=size[0], columns=size[1], frames=1,
                  syntax=syntax, planar=0, bits_stored=8, signed=False, lut_bits=0, lut_entries=0, lut_first=0,
                  seed=1, banner=False)
    return Layout(**{**fields, **changes})


@given(case=generated())
# GDCM's RLE encoder, which pydicom tried first, aborted the process on an odd-sized rewrite.
@example(case=Generated(_layout("RGB", 3, (65, 201), RLELossless, planar=1, frames=2, banner=True), NAME, PLAIN))
# A name that folds to no Latin letters (Cyrillic) made the OCR stage's name matcher raise IndexError.
@example(case=Generated(_layout("MONOCHROME2", 1, (96, 256), ExplicitVRLittleEndian, banner=True),
                        replace(NAME, script_name=CHARSETS["ISO_IR 144"]), replace(PLAIN, charset="ISO_IR 144")))
# A one-row colour screen capture made the face search resize to nothing.
@example(case=Generated(_layout("RGB", 3, (1, 2000), ImplicitVRLittleEndian), NAME, PLAIN))
@fuzz_settings(300)
def test_generated_files_end_cleanly_and_release_no_original_phi(scrubber, case):
    check(scrubber, case.data())


# Damaged real files: bits flipped, bytes cut.

def _sample_paths() -> list[Path]:
    root = Path(__file__).resolve().parent.parent.parent / "shared" / "samples"
    return sorted(root.glob("*.dcm")) + sorted((root / "dev").glob("*.dcm"))


SAMPLE_PATHS = _sample_paths()
HEADER_BYTES = 4096  # most flips land in the header, where a bit changes a tag, a VR or a length


@dataclass(frozen=True)
class Damaged:
    sample: str
    flips: tuple[tuple[int, int], ...]  # (byte offset, bit)
    length: int | None                  # where the file is cut

    def data(self) -> bytes:
        data = bytearray(next(p for p in SAMPLE_PATHS if p.name == self.sample).read_bytes())
        for offset, bit in self.flips:
            data[offset] ^= 1 << bit
        return bytes(data[:self.length])


@st.composite
def damaged(draw) -> Damaged:
    path = draw(st.sampled_from(SAMPLE_PATHS))
    size = path.stat().st_size
    flips = []
    for _ in range(draw(st.integers(0, 6))):
        limit = size if draw(st.integers(0, 4)) == 0 else min(size, HEADER_BYTES)
        flips.append((draw(st.integers(0, limit - 1)), draw(st.integers(0, 7))))
    length = draw(st.integers(0, size)) if draw(st.integers(0, 2)) == 0 else None
    return Damaged(path.name, tuple(flips), length)


PRESIDIO = "microsoft_presidio__presidio-image-redactor_tests_test_data_0_ORIGINAL_compressed.dcm"
PALETTE_BIG_ENDIAN = "pydicom_pydicom-data__data_store_data_OBXXXX1A_expb.dcm"
RLE_CINE = "pydicom_pydicom-data__data_store_data_OBXXXX1A_rle_2frame.dcm"
DEFLATED = "fo-dicom_fo-dicom__Tests_FO-DICOM.Benchmark_Data_Deflated.dcm"
ALOKA = "pydicom_pydicom-data__data_store_data_gdcm-US-ALOKA-16.dcm"


@pytest.mark.skipif(not SAMPLE_PATHS, reason="../shared/samples is not beside the repository")
@given(case=damaged())
# Broken RLE fragments in a 16-bit image: the hidden-bits check's DecodeError escaped the triage stage.
@example(case=Damaged(PRESIDIO, ((204549, 0),), None))
# A flipped VR byte ('TS', 'WL'): pydicom raised NotImplementedError wherever the element was touched.
@example(case=Damaged(PALETTE_BIG_ENDIAN, ((1852, 0),), None))
@example(case=Damaged(RLE_CINE, ((1456, 1),), None))
# A damaged deflate stream: zlib.error escaped the reader.
@example(case=Damaged(DEFLATED, ((400, 3),), None))
# A segmented palette with an unknown segment type: ValueError from the OCR stage's rendering.
@example(case=Damaged(ALOKA, ((3162, 0),), None))
# A UL value of five bytes was kept as UN, and the released file could not be read back.
@example(case=Damaged(ALOKA, ((922, 0),), None))
@fuzz_settings(250)
def test_damaged_samples_end_cleanly_and_release_no_original_phi(scrubber, case):
    check(scrubber, case.data())


# Native crashes the cases above found, pinned at the library call that made them.

def _testdata(name: str) -> Dataset:
    path = get_testdata_file(name, download=False)
    if not path:
        pytest.skip(f"pydicom's {name} is not installed")
    return pydicom.dcmread(path)


@pytest.mark.parametrize("shape", [(3, 5), (97, 131, 3), (3, 5, 3)])
def test_rle_rewrites_of_odd_sizes_never_reach_gdcm(tmp_path, shape):
    """GDCM's RLE encoder, which pydicom tries first, aborts the process on these layouts."""
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = RLELossless
    ds.BitsAllocated = ds.BitsStored = 8
    ds.PixelData = b"\0\0"  # replaced by the writer
    frames = Frames.of(np.zeros((1, *shape), np.uint8), "RGB" if len(shape) == 3 else "MONOCHROME2")
    writer = FrameWriter(ds, frames, "rle", spool=tmp_path)
    writer.add(frames.frame(0))
    assert writer.finish() == RLELossless and safe_plugin(RLELossless) != "gdcm"


def test_a_panic_in_the_rust_rle_decoder_is_a_decode_error():
    """pylibjpeg-rle panics on this corrupt segment; pyo3 raises PanicException, a BaseException."""
    ds = _testdata("MR_small_RLE.dcm")
    data = bytearray(ds.PixelData)
    data[3138] ^= 1 << 3
    ds.PixelData = bytes(data)
    with pytest.raises(DecodeError, match="PanicException"):
        list(Frames(ds))


@pytest.mark.parametrize("damage", ["stray bytes", "precision 24", "cut header"])
def test_jpeg_lossless_gdcm_would_abort_on_is_refused_before_decoding(damage):
    """JPEG Lossless has only GDCM to decode it, and GDCM aborts the process on these codestreams."""
    ds = _testdata("SC_rgb_jpeg_gdcm.dcm")
    codestream = bytearray(next(generate_frames(ds.PixelData, number_of_frames=1)))
    sof = codestream.index(b"\xff\xc3")
    if damage == "stray bytes":
        codestream[sof:sof] = b"\x00" * 31
    elif damage == "precision 24":
        codestream[sof + 4] = 24
    else:
        codestream = codestream[:sof + 6]
    ds.PixelData = encapsulate([bytes(codestream)])
    with pytest.raises(DecodeError, match="not a JPEG codestream that matches the header"):
        Frames(ds)
