"""The PHI set: identifying values taken from the ORIGINAL header, before it is cleaned.

The pixel stage searches burned-in text for these values, so they are kept in their structured form
(name components, dates as dates) rather than as the strings the header happened to store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pydicom.dataset import Dataset
from pydicom.multival import MultiValue
from pydicom.valuerep import PersonName

from pixelscrub.header.elements import in_memory

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
    pn = raw if isinstance(raw, PersonName) else PersonName(str(raw))
    family, given, middle = (pn.family_name or "").strip(), (pn.given_name or "").strip(), (pn.middle_name or "").strip()
    parts = tuple(p for chunk in (family, given, middle) for p in chunk.replace(",", " ").split() if p)
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


def collect_phi(ds: Dataset) -> PhiSet:
    """Walk the whole dataset, sequences included, and gather every identifying value it holds."""
    phi = PhiSet()
    seen: set[tuple] = set()

    def add(kind: list, item, key: tuple) -> None:
        if key not in seen:
            seen.add(key)
            kind.append(item)

    for element in in_memory(ds):
        if element.VR == "SQ":
            continue
        keyword = element.keyword or f"({element.tag.group:04X},{element.tag.element:04X})"
        try:
            values = _values(element)
        except Exception:  # an undecodable value cannot be searched for; the element is removed anyway
            continue
        if element.VR == "PN":
            for raw in values:
                name = _name_from(keyword, raw)
                if name:
                    add(phi.names, name, ("n", name.parts))
        elif element.VR in ("DA", "DT"):
            for raw in values:
                date = _parse_date(str(raw))
                if date:
                    add(phi.dates, PhiDate(keyword, date), ("d", keyword, date))
        elif keyword in ID_KEYWORDS:
            for raw in values:
                text = str(raw).strip()
                if text and not _is_placeholder(text):
                    add(phi.ids, PhiText(keyword, text), ("i", text.upper()))
        elif keyword in PLACE_KEYWORDS:
            for raw in values:
                text = str(raw).strip()
                if text and not _is_placeholder(text):
                    add(phi.places, PhiText(keyword, text), ("p", text.upper()))

    vendor = " ".join(str(ds.get(k, "") or "") for k in ("Manufacturer", "ManufacturerModelName"))
    phi.vendor_words = frozenset(
        word for word in ("".join(c for c in w.upper() if c.isalnum()) for w in vendor.split()) if len(word) >= 2)
    return phi
