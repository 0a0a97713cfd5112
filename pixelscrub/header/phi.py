"""The PHI set: identifying values taken from the ORIGINAL header, before it is cleaned.

The pixel stage searches burned-in text for these values, and the header stage's Clean Descriptors
and final sweep search the cleaned header for them, so they are kept in their structured form (name
components in every script, dates as dates) rather than as the strings the header happened to store.
Besides the attributes that name a person, a place, an ID or a date (whatever VR they were stored
with), private, unknown and ID-like attributes give the names and IDs they hold (header/shapes.py
says which values look like one): an earlier tool may have replaced PatientName and left the name
there. A set element names where each value came from by keyword or tag, never by value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pydicom.datadict import get_entry
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue
from pydicom.valuerep import PersonName

from pixelscrub.header.elements import attribute_name, in_memory
from pixelscrub.header.shapes import decode_text, encodings, id_tokens, looks_like_name
from pixelscrub.header.vrs import BINARY_VRS

# Attributes whose values identify the patient or the place; sequences are searched too.
ID_KEYWORDS = frozenset({
    "PatientID", "OtherPatientIDs", "AccessionNumber", "StudyID", "IssuerOfPatientID",
    "MedicalRecordLocator", "PatientInsurancePlanCodeSequence", "AdmissionID",
    "RequestedProcedureID", "PerformedProcedureStepID", "ScheduledProcedureStepID",
    "FillerOrderNumberImagingServiceRequest", "PlacerOrderNumberImagingServiceRequest",
})
PLACE_KEYWORDS = frozenset({
    "InstitutionName", "InstitutionalDepartmentName", "StationName", "InstitutionAddress",
    "PatientAddress", "ReferringPhysicianAddress", "PersonAddress",
    "PatientTelephoneNumbers", "ReferringPhysicianTelephoneNumbers", "PersonTelephoneNumbers",
    "RegionOfResidence", "CountryOfResidence", "MilitaryRank", "BranchOfService",
})
# A non-PN attribute with "Name" and one of these in its keyword names a person (ContactDisplayName).
PERSON_WORDS = ("Patient", "Physician", "Operator", "Person", "Author", "Observer", "Performer", "Reviewer",
                "Recorder", "Contact", "Mother", "Signer", "Verifying", "Interpret", "Responsible", "Requesting")
# Attributes whose tokens with digits are identifiers (DeviceSerialNumber, ContainerIdentifier, AdmissionID).
ID_SUFFIXES = ("ID", "IDs", "Number", "Numbers", "Identifier")
# Numbers, times and UIDs are not where IDs and names are written, even in a private element.
NOT_ID_VRS = frozenset({"IS", "DS", "TM", "UI", "AS", "US", "SS", "UL", "SL", "FL", "FD", "UV", "SV", "AT"})
# Long text in a private element is prose: only a name written as a name (caret or comma) is taken from it.
PROSE_ONLY = frozenset({"LT", "ST", "UT", "UC", "UN", "OB"})
NAME_BEARING_VRS = frozenset({"LO", "SH", "LT", "ST", "UT", "UC"})
# A private value longer than an LO, or an element with more values than this, is data (a vendor's
# table of numbers), not an identifier: its numbers are not taken as IDs.
MAX_ID_TEXT = 64
MAX_ID_VALUES = 16
# Descriptions and comments are free text: their words are cleaned, never taken as a name.
DESCRIPTIVE_SUFFIXES = ("Description", "Comments", "Comment", "Text", "Meaning", "Label", "Value", "Name",
                        "Notes", "Explanation", "Reason", "Remarks")
# Header placeholders that say "no value" rather than naming anyone.
PLACEHOLDERS = frozenset({"", "ANONYMOUS", "ANONYMIZED", "ANON", "UNKNOWN", "NONE", "NA", "N/A", "REMOVED"})


@dataclass(frozen=True)
class PhiName:
    """A person name split into its parts; `parts` excludes prefixes and suffixes like DR or MD."""

    attribute: str
    family: str
    given: str
    middle: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class PhiText:
    attribute: str
    value: str


@dataclass(frozen=True)
class PhiDate:
    attribute: str
    value: dt.date


@dataclass
class PhiSet:
    names: list[PhiName] = field(default_factory=list)
    ids: list[PhiText] = field(default_factory=list)
    dates: list[PhiDate] = field(default_factory=list)
    places: list[PhiText] = field(default_factory=list)
    # Upper-case words of the device maker's name: a site named after its vendor ("Philips Healthcare")
    # must not make the vendor's logo text count as the institution.
    vendor_words: frozenset[str] = frozenset()

    def is_empty(self) -> bool:
        return not (self.names or self.ids or self.dates or self.places)


def _is_placeholder(value: str) -> bool:
    return value.strip().upper() in PLACEHOLDERS


def _name_from(attribute: str, raw) -> PhiName | None:
    """The name's parts in every script it is written in (alphabetic, ideographic, phonetic)."""
    pn = raw if isinstance(raw, PersonName) else PersonName(str(raw))
    groups = [PersonName(group) for group in pn.components if group.strip(" ^")] or [pn]
    first = groups[0]
    family, given, middle = ((first.family_name or "").strip(), (first.given_name or "").strip(),
                             (first.middle_name or "").strip())
    parts = tuple(dict.fromkeys(p for group in groups
                                for chunk in (group.family_name, group.given_name, group.middle_name)
                                for p in (chunk or "").replace(",", " ").split() if not _is_placeholder(p)))
    if not parts or _is_placeholder(" ".join(parts)):
        return None
    return PhiName(attribute=attribute, family=family, given=given, middle=middle, parts=parts)


def _parse_date(text: str) -> dt.date | None:
    digits = text.strip()[:8]
    if len(digits) != 8 or not digits.isdigit():
        return None
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def _values(element) -> list:
    value = element.value
    if value is None:
        return []
    if isinstance(value, (list, tuple, MultiValue)):
        return [v for v in value if v not in (None, "")]
    return [value] if value != "" else []


def _texts(element, charsets: list[str]) -> list[str]:
    """The element's values as text; bytes only when they decode as text (UN, a wrong VR)."""
    if isinstance(element.value, bytes):
        text = decode_text(element.value, charsets)
        return [v for v in text.split("\\") if v.strip()] if text else []
    if element.VR in BINARY_VRS:
        return []
    return [str(v) for v in _values(element)]


def _expected_vr(element) -> str | None:
    """The VR the dictionary gives a public attribute (its first, for 'US or SS'), None for the rest."""
    if element.tag.is_private:
        return None
    try:
        return get_entry(element.tag)[0].split(" or ")[0]
    except KeyError:
        return None


def _reading(element, keyword: str) -> str | None:
    """How an element's values join the PHI set: "name", "date", "id" or "place" (each value whole),
    "loose" (names by their shape and ID tokens: private and unknown elements), "tokens" (ID tokens and
    names written as names: DeviceSerialNumber), "caret" (names written as names only), or None."""
    expected = None if element.tag.is_private else _expected_vr(element)
    vr = element.VR
    if vr == "PN" or expected == "PN" or ("Name" in keyword and any(w in keyword for w in PERSON_WORDS)):
        return "name"
    if vr in ("DA", "DT") or expected in ("DA", "DT"):
        return "date"
    if keyword in ID_KEYWORDS:
        return "id"
    if keyword in PLACE_KEYWORDS:
        return "place"
    if vr in NOT_ID_VRS or expected in NOT_ID_VRS:
        return None
    if element.tag.is_private or expected is None:
        return "loose"
    if keyword.endswith(ID_SUFFIXES) and not keyword.endswith(("UID", "UIDs")):
        return "tokens"
    if vr in NAME_BEARING_VRS and not keyword.endswith(DESCRIPTIVE_SUFFIXES):
        return "caret"
    return None


def _expected_vr(element) -> str | None:
    """The VR the dictionary gives a public attribute (its first, for 'US or SS'), None if unknown."""
    try:
        return get_entry(element.tag)[0].split(" or ")[0]
    except KeyError:
        return None


def collect_phi(ds: Dataset) -> PhiSet:
    """Walk the whole dataset, sequences included, and gather every identifying value it holds: those
    of the attributes that name a person, a place, an ID or a date, and the names and IDs found in
    private, unknown and ID-like attributes (which the header stage removes, but whose values can stand
    in free text or in the pixels)."""
    phi = PhiSet()
    seen: set[tuple] = set()
    vendor = " ".join(str(ds.get(k, "") or "") for k in ("Manufacturer", "ManufacturerModelName"))
    phi.vendor_words = frozenset(
        word for word in ("".join(c for c in w.upper() if c.isalnum()) for w in vendor.split()) if len(word) >= 2)
    charsets = encodings(ds)

    def add(kind: list, item, key: tuple) -> None:
        if key not in seen:
            seen.add(key)
            kind.append(item)

    def add_name(keyword: str, raw) -> None:
        name = _name_from(keyword, raw)
        if name:
            add(phi.names, name, ("n", name.parts))

    def add_id(keyword: str, text: str) -> None:
        text = text.strip()
        if text and not _is_placeholder(text):
            add(phi.ids, PhiText(keyword, text), ("i", text.upper()))

    for element in in_memory(ds):
        if element.VR == "SQ" or (element.tag.is_private and 0x0010 <= element.tag.element <= 0x00FF):
            continue  # private creators name the maker's block, not anyone
        keyword = attribute_name(element)
        reading = _reading(element, keyword)
        try:
            texts = _texts(element, charsets) if reading else []
        except Exception:  # an undecodable value cannot be searched for; the element is removed anyway
            continue
        for raw in texts:
            if reading == "name":
                add_name(keyword, raw)
            elif reading == "date":
                date = _parse_date(raw)
                if date:
                    add(phi.dates, PhiDate(keyword, date), ("d", keyword, date))
            elif reading == "id":
                add_id(keyword, raw)
            elif reading == "place":
                if raw.strip() and not _is_placeholder(raw):
                    add(phi.places, PhiText(keyword, raw.strip()), ("p", raw.strip().upper()))
            else:
                words_too = reading == "loose" and element.VR not in PROSE_ONLY
                if looks_like_name(raw, phi.vendor_words, caret_or_comma_only=not words_too):
                    add_name(keyword, raw)
                if reading != "caret" and len(raw) <= MAX_ID_TEXT and len(texts) <= MAX_ID_VALUES:
                    for token in id_tokens(raw):
                        add_id(keyword, token)
    return phi
