"""What a header value looks like when no attribute says what it is: a person's name, an ID, text.

Private elements, attributes stored with a wrong VR and unknown ones still hold names and IDs (an
earlier tool replaced PatientName but left the name in a private element). These tests decide which
of their values join the PHI set. They are conservative: a description's clinical words never make a
name, and a number that is part of a UID or a decimal never makes an ID.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from pydicom.charset import convert_encodings, decode_bytes
from pydicom.dataset import Dataset

MAX_TEXT_BYTES = 4096  # a binary value longer than this is data, not a forgotten text field
MAX_NAME_CHARS = 64    # the longest LO; a longer value is prose
NAME_WORD = re.compile(r"^[^\W\d_](?:[^\W\d_]|['\-.](?=[^\W\d_]))*\.?$")  # O'Neil, Smith-Jones, J.
# Runs of letters, digits and hyphens; a dot beside one makes it part of a UID, a decimal or a version.
ID_TOKEN = re.compile(r"(?<![\w.])[^\W_](?:[\w-]*[^\W_])?(?![\w.])")
MIN_ID_CHARS = 5
# Words too common in institution names to identify one alone.
PLACE_WORDS = frozenset("""
    MEDICAL CENTER CENTRE HOSPITAL CLINIC CLINICS UNIVERSITY HEALTH HEALTHCARE CARE REGIONAL GENERAL COMMUNITY
    MEMORIAL CHILDRENS INSTITUTE RADIOLOGY IMAGING DEPARTMENT DEPT SAINT SYSTEM SYSTEMS ULTRASOUND CARDIOLOGY
""".split())
# Words that make a run of words a place, a device or an exam rather than a person: those of CT, MR and
# ultrasound descriptions, protocols and banners, and the placeholders earlier tools leave.
NOT_NAME_WORDS = PLACE_WORDS | frozenset("""
    SOLUTIONS SCANNER STATION ROOM PROTOCOL SERIES STUDY IMAGE IMAGES REPORT DOSE ANONYMIZED ANONYMOUS
    UNKNOWN REMOVED NONE DEFAULT TEST PHANTOM SERVICE
    HEAD BRAIN NECK CHEST THORAX LUNG LUNGS HEART CARDIAC ABDOMEN ABD PELVIS SPINE CERVICAL THORACIC LUMBAR
    SACRUM KNEE HIP SHOULDER ANKLE FOOT HAND WRIST ELBOW ARM LEG BREAST LIVER KIDNEY KIDNEYS RENAL SINUS
    SINUSES ORBIT ORBITS FACE TEMPORAL PITUITARY CAROTID AORTA CORONARY PROSTATE UTERUS OVARY BLADDER BONE
    BODY WHOLE EXTREMITY SKULL ANGIO THYROID TESTIS LYMPH NODE LESION CYST MASS VASCULAR VENOUS ARTERIAL
    AXIAL SAGITTAL CORONAL OBLIQUE SCOUT LOCALIZER LOCALISER SURVEY TOPOGRAM ROUTINE STANDARD HELICAL SPIRAL
    CONTRAST NONCONTRAST PLAIN ENHANCED DELAYED PORTAL PHASE RECON RECONSTRUCTION SOFT TISSUE SHARP SMOOTH
    KERNEL THIN THICK SLICE SLICES FAST SPIN ECHO GRADIENT DIFFUSION PERFUSION FLAIR WEIGHTED SEQUENCE MAP
    MAPS PRE POST WITH WITHOUT AND FOR THE LOW HIGH DUAL ENERGY MONO SUBTRACTION FLUORO FLUOROSCOPY CINE
    FRAME FRAMES CAPTURE SCREEN SECONDARY PRIMARY ORIGINAL DERIVED SUMMARY RESULTS MEASUREMENTS EXAM SCAN
    LEFT RIGHT BILATERAL LATERAL FRONTAL VIEW FIRST SUPINE PRONE FEET LONG TRANS TRANSVERSE SAG ADULT
    PEDIATRIC OBSTETRIC GYN FETAL DOPPLER COLOR COLOUR POWER FLOW GAIN DEPTH FOCUS ZOOM HARMONIC
""".split())


def plain(text: str) -> str:
    """Case and accents folded, so 'Müller' in one attribute is found as 'MULLER' in another."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def encodings(ds: Dataset) -> list[str]:
    """The Python codecs of the dataset's SpecificCharacterSet, for text stored in binary values."""
    try:
        return convert_encodings(ds.get("SpecificCharacterSet") or "ISO_IR 6")
    except Exception:  # an unknown character set: the reader decoded with the default too
        return ["iso8859"]


def decode_text(raw: bytes, charsets: Sequence[str] = ("iso8859",)) -> str | None:
    """The text a binary value holds (UN from an implicit VR file, a wrong OB), or None when it is data."""
    if not raw or len(raw) > MAX_TEXT_BYTES:
        return None
    trimmed = raw.rstrip(b"\x00 ")
    if not trimmed or b"\x00" in trimmed:
        return None
    try:
        text = trimmed.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = decode_bytes(trimmed, list(charsets) or ["iso8859"], set())
        except Exception:  # an unknown or broken character set: not text this can read
            return None
    if not all(c.isprintable() or c in "\t\r\n" for c in text):
        return None
    return text if sum(c.isalnum() for c in text) >= 2 else None


def _name_words(components: list[str], most: int) -> list[str] | None:
    """The words of a name's components, or None when their shape is not a name's: too many, or a word
    with a digit or a character no name has."""
    words = [w for component in components for w in component.split()]
    if not 2 <= len(components) <= 5 or not words or len(words) > most or not all(NAME_WORD.match(w) for w in words):
        return None
    return words if any(sum(c.isalpha() for c in w) >= 2 for w in words) else None


def looks_like_name(text: str, vendor_words: frozenset[str] = frozenset(), caret_or_comma_only: bool = False) -> bool:
    """A person's name: 'DOE^JANE', 'DOE, JANE' or, unless `caret_or_comma_only`, two to four words; none
    of its words clinical, technical, a place word or the device maker's."""
    text = next((group.strip() for group in text.split("=") if group.strip()), "")  # a multi-script name
    if not text or len(text) > MAX_NAME_CHARS:
        return False
    if "^" in text:
        words = _name_words(text.split("^"), 6)
    elif "," in text:
        words = _name_words(text.split(","), 6)
    else:
        words = None if caret_or_comma_only else _name_words(text.split(), 4)
    return bool(words) and not any(_not_a_name(w, vendor_words) for w in words)


def _not_a_name(word: str, vendor_words: frozenset[str]) -> bool:
    """A word that names a place, an exam or a device, or the device's maker."""
    upper = word.upper().strip(".")
    return upper in NOT_NAME_WORDS or upper in vendor_words


def id_tokens(text: str) -> list[str]:
    """Tokens of five characters or more with a digit in them: record numbers, accession numbers."""
    return [t for t in ID_TOKEN.findall(text) if len(t) >= MIN_ID_CHARS and any(c.isdigit() for c in t)]
