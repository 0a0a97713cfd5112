"""Apply the Basic Application Level Confidentiality Profile to a dataset, in place, recursively.

Runs after `collect_phi` has taken what the pixel stage needs from the original values.
Combined actions (X/Z, Z/D, ...) take the first, most protective action; the IOD-aware choice
between them needs attribute types this stage does not know.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from pixelscrub import __version__
from pixelscrub.header.profile import EDITION, load_table
from pixelscrub.header.uids import remap_uid

TEXT_VRS = frozenset({"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UR", "UT", "UI"})
DUMMIES = {
    "AE": "ANON", "AS": "000Y", "CS": "ANON", "DA": "19000101", "DT": "19000101000000", "TM": "000000",
    "DS": "0", "IS": "0", "LO": "ANONYMIZED", "LT": "ANONYMIZED", "SH": "ANONYMIZED", "ST": "ANONYMIZED",
    "UC": "ANONYMIZED", "UT": "ANONYMIZED", "UR": "", "PN": "ANONYMOUS",
}
NUMERIC_VRS = frozenset({"US", "SS", "UL", "SL", "FL", "FD", "UV", "SV"})


@dataclass
class HeaderContext:
    """What the header stage needs from the run: the project key, this patient's pseudonym, and a
    stable name for the input, from which missing hierarchy UIDs are made."""

    key: bytes
    pseudonym: str
    source: str


@dataclass
class HeaderResult:
    study_uid: str
    series_uid: str
    sop_uid: str
    actions: Counter = field(default_factory=Counter)
    created: list[str] = field(default_factory=list)

    def reasons(self) -> list[str]:
        done = ", ".join(f"{n} {verb}" for verb, n in sorted(self.actions.items()) if n)
        out = [f"header: PS3.15 {EDITION} Basic Profile applied ({done or 'nothing to change'})"]
        out += [f"header: {keyword} was missing; a new one was made" for keyword in self.created]
        return out


def first_action(code: str) -> str:
    """The first, most protective action of a combined code; 'X/Z/U*' and the like start with X."""
    return code.split("/")[0].rstrip("*")


def _dummy(element: DataElement):
    if element.VR in DUMMIES:
        return DUMMIES[element.VR]
    if element.VR in NUMERIC_VRS:
        return 0
    if element.VR == "SQ":
        return Sequence()
    return b"\x00\x00"


def _empty(element: DataElement):
    if element.VR == "SQ":
        return Sequence()
    return "" if element.VR in TEXT_VRS else None


def _apply(ds: Dataset, ctx: HeaderContext, counts: Counter) -> None:
    table = load_table()
    for tag in list(ds.keys()):
        element = ds[tag]
        if tag.element == 0x0000:  # group lengths are retired and would be wrong after cleaning
            del ds[tag]
            continue
        row = table.row_for(int(tag))
        action = first_action(row.basic) if row else "K"
        if action == "X":
            del ds[tag]
            counts["removed"] += 1
            continue
        if action == "Z":
            element.value = _empty(element)
            counts["emptied"] += 1
        elif action == "D":
            element.value = _dummy(element)
            counts["replaced"] += 1
        elif action == "U":
            if element.VR == "UI" and element.value:
                values = element.value if isinstance(element.value, list) else [element.value]
                new = [remap_uid(ctx.key, str(v)) for v in values]
                element.value = new if len(new) > 1 else new[0]
                counts["UIDs replaced"] += 1
        elif action == "C":  # cleaning free text needs the option machinery; removal is the safe fallback
            del ds[tag]
            counts["removed"] += 1
            continue
        if element.VR == "SQ":
            for item in element.value or []:
                _apply(item, ctx, counts)


def deidentify(ds: Dataset, ctx: HeaderContext) -> HeaderResult:
    """Clean `ds` in place and return the new UIDs that name the output file."""
    counts: Counter = Counter()
    _apply(ds, ctx, counts)
    ds.PatientName = ctx.pseudonym
    ds.PatientID = ctx.pseudonym
    ds.PatientIdentityRemoved = "YES"
    ds.DeidentificationMethod = f"pixelscrub {__version__}; PS3.15 {EDITION} Basic Profile"
    code = Dataset()
    code.CodeValue, code.CodingSchemeDesignator, code.CodeMeaning = (
        "113100", "DCM", "Basic Application Confidentiality Profile")
    ds.DeidentificationMethodCodeSequence = Sequence([code])
    # A missing hierarchy UID still needs a stable value: a study per patient, a series per study,
    # an instance per input file.
    scopes = {"StudyInstanceUID": ctx.pseudonym, "SeriesInstanceUID": None, "SOPInstanceUID": ctx.source}
    created = []
    for keyword, scope in scopes.items():
        if not ds.get(keyword):
            scope = scope or str(ds.StudyInstanceUID)
            setattr(ds, keyword, remap_uid(ctx.key, f"missing {keyword} {scope}"))
            created.append(keyword)
    if getattr(ds, "file_meta", None) is not None:
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    return HeaderResult(
        study_uid=str(ds.StudyInstanceUID),
        series_uid=str(ds.SeriesInstanceUID),
        sop_uid=str(ds.SOPInstanceUID),
        actions=counts,
        created=created,
    )
