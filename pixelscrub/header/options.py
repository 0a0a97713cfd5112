"""The PS3.15 options a project selects, the Table E.1-1 column each one reads, and its CID 7050 code.

The default is the Basic Profile with Retain Longitudinal Temporal Information (Modified Dates) and
Clean Descriptors: dates stay usable as intervals, free-text descriptions keep their clinical words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DATE_MODES = ("modified", "full", "remove")
TIME_MODES = ("keep", "remove")

# (code value, code meaning) of CID 7050 De-identification Methods.
BASIC = ("113100", "Basic Application Confidentiality Profile")
CLEAN_PIXEL_DATA = ("113101", "Clean Pixel Data Option")
CODES = {
    "full_dates": ("113106", "Retain Longitudinal Temporal Information Full Dates Option"),
    "modified_dates": ("113107", "Retain Longitudinal Temporal Information Modified Dates Option"),
    "retain_patient_characteristics": ("113108", "Retain Patient Characteristics Option"),
    "retain_device_identity": ("113109", "Retain Device Identity Option"),
    "retain_uids": ("113110", "Retain UIDs Option"),
    "retain_safe_private": ("113111", "Retain Safe Private Option"),
    "retain_institution_identity": ("113112", "Retain Institution Identity Option"),
    "clean_descriptors": ("113105", "Clean Descriptors Option"),
    "clean_structured_content": ("113104", "Clean Structured Content Option"),
    "clean_graphics": ("113103", "Clean Graphics Option"),
}
COLUMNS = {
    "full_dates": "rtnLongFullDatesOpt",
    "modified_dates": "rtnLongModifDatesOpt",
    "retain_patient_characteristics": "rtnPatCharsOpt",
    "retain_device_identity": "rtnDevIdOpt",
    "retain_uids": "rtnUIDsOpt",
    "retain_safe_private": "rtnSafePrivOpt",
    "retain_institution_identity": "rtnInstIdOpt",
    "clean_descriptors": "cleanDescOpt",
    "clean_structured_content": "cleanStructContOpt",
    "clean_graphics": "cleanGraphOpt",
}


@dataclass(frozen=True)
class HeaderOptions:
    dates: str = "modified"   # "modified": shifted by the project offset; "full": kept; "remove": Basic Profile
    times: str = "keep"       # with kept or modified dates, times of day are kept or removed
    date_offset_days: int | None = None  # None: derived from the project key
    retain_patient_characteristics: bool = False
    retain_device_identity: bool = False
    retain_institution_identity: bool = False
    retain_uids: bool = False
    retain_safe_private: bool = False
    clean_descriptors: bool = True
    clean_structured_content: bool = False
    clean_graphics: bool = False
    overrides: tuple = field(default=())  # (selector, Override) pairs; see header/overrides.py

    def __post_init__(self) -> None:
        if self.dates not in DATE_MODES:
            raise ValueError(f"dates must be one of {', '.join(DATE_MODES)}")
        if self.times not in TIME_MODES:
            raise ValueError(f"times must be one of {', '.join(TIME_MODES)}")

    def selected(self) -> list[str]:
        """The options in force, by the names CODES and COLUMNS use."""
        names = [name for name in CODES if name not in ("full_dates", "modified_dates") and getattr(self, name)]
        if self.dates == "modified":
            names.insert(0, "modified_dates")
        elif self.dates == "full":
            names.insert(0, "full_dates")
        return names

    def columns(self) -> list[str]:
        return [COLUMNS[name] for name in self.selected()]

    def codes(self) -> list[tuple[str, str]]:
        return [BASIC] + [CODES[name] for name in self.selected()]

    def temporal_information(self) -> str:
        """LongitudinalTemporalInformationModified for these options."""
        return {"modified": "MODIFIED", "full": "UNMODIFIED", "remove": "REMOVED"}[self.dates]
