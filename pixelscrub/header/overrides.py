"""Per-tag overrides from the config's [header.overrides] table, as MIRC and deid recipes are used.

    [header.overrides]
    PatientSex = "keep"
    "(0010,1010)" = "remove"
    StudyDescription = { replace = "RESEARCH" }
    AccessionNumber = "hash"
    AcquisitionDate = "shift"
    InstitutionName = "empty"

An override wins over the profile and its options wherever the attribute occurs, sequences included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydicom.datadict import tag_for_keyword

ACTIONS = ("remove", "empty", "keep", "hash", "shift", "replace")
TAG = re.compile(r"^\(?([0-9a-fA-F]{4})[,\s]?([0-9a-fA-F]{4})\)?$")


@dataclass(frozen=True)
class Override:
    action: str
    value: str | None = None  # for "replace"


def parse_tag(selector: str) -> int:
    """A keyword (PatientName) or a tag in any usual spelling: (0010,0010), 0010,0010, 00100010."""
    match = TAG.match(selector.strip())
    if match:
        return int(match.group(1) + match.group(2), 16)
    tag = tag_for_keyword(selector.strip())
    if tag is None:
        raise ValueError(f"[header.overrides]: {selector!r} is neither a DICOM keyword nor a tag")
    return tag


def parse_overrides(table: dict) -> tuple[tuple[int, Override], ...]:
    parsed = []
    for selector, spec in table.items():
        if isinstance(spec, dict):
            if set(spec) != {"replace"}:
                raise ValueError(f"[header.overrides] {selector}: a table override takes only 'replace'")
            override = Override("replace", str(spec["replace"]))
        elif spec in ACTIONS and spec != "replace":
            override = Override(spec)
        else:
            raise ValueError(f"[header.overrides] {selector}: use one of {', '.join(ACTIONS[:-1])} "
                             "or { replace = 'value' }")
        parsed.append((parse_tag(selector), override))
    return tuple(parsed)
