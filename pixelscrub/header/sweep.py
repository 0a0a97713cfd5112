"""The final sweep: every value left in a cleaned header, sequences and file meta included, is searched
for the PHI set's names, IDs, places and original dates, and whatever still holds one is cleaned.

The profile acts by tag, so a value it keeps (a description of an element the table does not list, a
code, a text blob in an unknown element inside a kept sequence) can still hold a name. The sweep acts
by value:

- free text (LO, LT, SH, ST, UT, UC) loses the words that matched, as Clean Descriptors does;
- any other value (PN, CS, AE, a number, a time, a date) is replaced by the dummy of its VR;
- a binary value that decodes as text with PHI in it (UN, OB, a wrong VR) is removed;
- what cannot be changed makes the result `hold`: the file must be quarantined, never released.

It runs at the end of the header stage, and again after the pixel stage with the names read from the
burned-in text added, so it is idempotent and leaves alone what the stage wrote on purpose: the
pseudonym in PatientName and PatientID, the de-identification record, UIDs, shifted dates, PixelData
(never read from the file here), and the attributes an option or an override kept
(`kept`, from HeaderResult.kept). Reasons name attributes, never values.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue
from pydicom.tag import BaseTag

from pixelscrub.header.clean import remove_spans
from pixelscrub.header.elements import PIXEL_TAGS, attribute_name
from pixelscrub.header.phi import PhiSet
from pixelscrub.header.search import PhiSearch
from pixelscrub.header.shapes import decode_text, encodings
from pixelscrub.header.vrs import DUMMIES, PROSE_VRS

PSEUDONYM_TAGS = frozenset({0x00100010, 0x00100020})  # PatientName, PatientID at the top level
RECORD_KEYWORDS = frozenset({"PatientIdentityRemoved", "DeidentificationMethod", "DeidentificationMethodCodeSequence",
                             "LongitudinalTemporalInformationModified", "BurnedInAnnotation"})
# Every string VR but UIDs (never flagged: a registered or remapped UID holds no PHI) and dates, which
# are compared as dates. A number or a time that equals an ID is replaced too.
SEARCHED_VRS = PROSE_VRS | {"PN", "CS", "AE", "UR", "AS", "DS", "IS", "TM"}
DATE_VRS = frozenset({"DA", "DT"})


@dataclass
class SweepResult:
    changes: dict[str, str] = field(default_factory=dict)  # attribute -> "cleaned", "replaced" or "removed"
    matched: set[str] = field(default_factory=set)          # PHI set attributes whose values were found
    held: list[str] = field(default_factory=list)            # attributes that could not be cleaned
    hold: bool = False                                       # the file must be quarantined

    def reasons(self) -> list[str]:
        reasons = []
        if self.changes:
            done = ", ".join(f"{name} {action}" for name, action in sorted(self.changes.items()))
            reasons.append(f"header sweep: PHI left after cleaning ({', '.join(sorted(self.matched))}): {done}")
        if self.hold:
            reasons.append(f"header sweep: {', '.join(sorted(set(self.held)))} could not be cleaned; "
                           "the file must be held for review")
        return reasons


def without(phi: PhiSet, attributes: frozenset[str]) -> PhiSet:
    """`phi` less the values of `attributes`: those an option or override kept on purpose."""
    if not attributes:
        return phi
    return replace(phi, names=[n for n in phi.names if n.attribute not in attributes],
                   ids=[i for i in phi.ids if i.attribute not in attributes],
                   dates=[d for d in phi.dates if d.attribute not in attributes],
                   places=[p for p in phi.places if p.attribute not in attributes])


def _values(value) -> list:
    return list(value) if isinstance(value, (list, tuple, MultiValue)) else [value]


class _Sweeper:
    def __init__(self, search: PhiSearch, kept: frozenset[str], encodings: list[str]):
        self.search, self.kept, self.encodings = search, kept, encodings
        self.result = SweepResult()

    def dataset(self, ds: Dataset, top: bool) -> None:
        for tag in list(ds.keys()):
            if top and tag in PIXEL_TAGS or getattr(ds.get_item(tag, keep_deferred=True), "value", b"") is None:
                continue  # pixel data, and large values left in the file: no text, and never read here
            try:
                element = ds[tag]
            except Exception:  # a value that cannot be decoded cannot be searched: it goes
                self.remove(ds, tag, f"({tag.group:04X},{tag.element:04X})")
                continue
            name = attribute_name(element)
            if name in self.kept or top and (tag in PSEUDONYM_TAGS or element.keyword in RECORD_KEYWORDS):
                continue
            if element.VR == "SQ":
                for item in element.value or []:
                    self.dataset(item, top=False)
                continue
            try:
                self.element(ds, tag, element, name)
            except Exception:  # a value that cannot be rewritten is removed
                self.remove(ds, tag, name)

    def element(self, ds: Dataset, tag: BaseTag, element: DataElement, name: str) -> None:
        vr, value = element.VR, element.value
        if value in (None, "", b""):
            return
        if isinstance(value, bytes):  # UN, OB, or a text VR whose value was never decoded
            text = decode_text(value, self.encodings)
            if text and self.found([hit.label for hit in self.search.in_text(text)]):
                self.remove(ds, tag, name)
            return
        if vr in DATE_VRS:
            labels = [self.search.in_date(str(v)) for v in _values(value)]
            if self.found(labels):
                self.set(element, [DUMMIES[vr] if label else v for v, label in zip(_values(value), labels)])
                self.result.changes[name] = "replaced"
            return
        if vr not in SEARCHED_VRS:
            return
        values, changed, action = [str(v) for v in _values(value)], False, "cleaned"
        for index, text in enumerate(values):
            hits = self.search.in_text(text)
            if not self.found([hit.label for hit in hits]):
                continue
            changed = True
            cleaned = remove_spans(text, [(hit.start, hit.end) for hit in hits]) if vr in PROSE_VRS else None
            if cleaned is None or self.search.in_text(cleaned):
                cleaned, action = DUMMIES[vr], "replaced"
            values[index] = cleaned
        if changed:
            self.set(element, values)
            self.result.changes[name] = action

    def found(self, labels: list[str | None]) -> bool:
        """Whether any value matched; the attributes they came from go into the reasons."""
        matched = {label for label in labels if label}
        self.result.matched |= matched
        return bool(matched)

    @staticmethod
    def set(element: DataElement, values: list) -> None:
        element.value = values if len(values) > 1 else values[0]

    def remove(self, ds: Dataset, tag: BaseTag, name: str) -> None:
        try:
            del ds[tag]
        except Exception:  # nothing else can make it safe: the file is held
            self.result.held.append(name)
            self.result.hold = True
            return
        self.result.changes[name] = "removed"


def sweep(ds: Dataset, phi: PhiSet, kept: frozenset[str] = frozenset()) -> SweepResult:
    """Search and clean every value of `ds` (and of its file meta) for `phi`, in place.

    `kept`: attribute names whose values an option or override kept on purpose (HeaderResult.kept);
    they are neither searched nor searched for.
    """
    search = PhiSearch(without(phi, kept))
    sweeper = _Sweeper(search, kept, encodings(ds))
    if search.is_empty():
        return sweeper.result
    sweeper.dataset(ds, top=True)
    meta = getattr(ds, "file_meta", None)
    if meta is not None:
        sweeper.dataset(meta, top=False)
    return sweeper.result
