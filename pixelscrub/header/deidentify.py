"""Apply PS3.15 Table E.1-1 with the project's options to a dataset, in place, through every sequence.

Runs after `collect_phi` has taken what the pixel stage and Clean Descriptors need from the original
values. Each element gets one action:

- a per-tag override from the config, if any;
- else the table's row: a selected option's C (clean) or K (keep), else the Basic Profile code, a
  combined code resolved by the attribute's type in the object's IOD (header/iod.py);
- else, for an element the table does not name, what its sequence's action implies: kept inside a
  kept sequence, replaced by a dummy inside a D sequence (Content Sequence), cleaned inside a C one.

Every DA and DT is then shifted when dates are modified, every instance UID is replaced by a keyed
hash, and private elements are removed or, with Retain Safe Private, kept by the TCIA knowledge base.
A public element the dictionary does not know (a flipped bit in a tag makes one) is removed: no row
can say what it holds. Last, the sweep (header/sweep.py) searches every value left for the PHI set.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from dataclasses import dataclass, field

from pydicom import config as pydicom_config
from pydicom.charset import python_encoding
from pydicom.datadict import dictionary_has_tag, dictionary_VR, get_entry
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue
from pydicom.sequence import Sequence
from pydicom.tag import BaseTag
from pydicom.uid import UID
from pydicom.valuerep import validate_value

from pixelscrub import __version__
from pixelscrub.header.clean import clean_text
from pixelscrub.header.dates import cap_age, shift_da, shift_dt
from pixelscrub.header.elements import PIXEL_TAGS, attribute_name, in_memory
from pixelscrub.header.iod import attribute_type, choose
from pixelscrub.header.options import CLEAN_PIXEL_DATA, HeaderOptions
from pixelscrub.header.overrides import Override
from pixelscrub.header.phi import PhiSet
from pixelscrub.header.private import disposition, private_segment, public_segment
from pixelscrub.header.profile import EDITION, ProfileRow, load_table
from pixelscrub.header.sweep import SweepResult, sweep
from pixelscrub.header.uids import remap_uid
from pixelscrub.header.vrs import BINARY_VRS, DUMMIES, FREE_TEXT_VRS, NUMERIC_VRS, STRING_VRS

# Coded-concept attributes: inside a dummied or cleaned sequence (an SR tree) they carry meaning, not PHI.
CODE_KEYWORDS = frozenset({
    "CodeValue", "CodingSchemeDesignator", "CodingSchemeVersion", "CodeMeaning", "LongCodeValue",
    "URNCodeValue", "ContextIdentifier", "MappingResource", "ContextGroupVersion", "MappingResourceName",
    "ValueType", "RelationshipType", "ContinuityOfContent", "TemplateIdentifier", "MeasurementUnitsCodeSequence",
})
# File meta attributes that name the sending or receiving site, or carry private data.
FILE_META_REMOVE = (0x00020016, 0x00020017, 0x00020018, 0x00020100, 0x00020102)
HASH_LENGTH = 16  # fits SH, the shortest text VR IDs use
PATIENT_ATTRIBUTES = (0x00100010, 0x00100020)  # PatientName, PatientID: the pseudonym
# Groups that do not belong in a stored object's dataset: the command set, and file meta (kept apart).
FOREIGN_GROUPS = (0x0000, 0x0002)
MAX_NAMED = 12  # tags listed by name in one reason


@dataclass
class HeaderContext:
    """What the header stage needs from the run: the project key and options, this patient's pseudonym,
    the PHI set of the original header, and a stable name for the input (for missing UIDs)."""

    key: bytes
    pseudonym: str
    source: str
    options: HeaderOptions = field(default_factory=HeaderOptions)
    date_offset: int = 0
    phi: PhiSet = field(default_factory=PhiSet)


@dataclass
class HeaderResult:
    study_uid: str
    series_uid: str
    sop_uid: str
    actions: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    uids: dict[str, str] = field(default_factory=dict)  # original -> new, for re-identification
    # Attributes whose values an option or override kept on purpose: the sweep leaves them alone.
    kept: frozenset[str] = frozenset()
    swept: SweepResult = field(default_factory=SweepResult)

    @property
    def hold(self) -> bool:
        """Whether some value could not be cleaned: the file must be quarantined, never released."""
        return self.swept.hold

    def reasons(self) -> list[str]:
        done = ", ".join(f"{n} {verb}" for verb, n in sorted(self.actions.items()) if n)
        return [f"header: PS3.15 {EDITION} profile applied ({done or 'nothing to change'})"] + self.notes + \
            self.swept.reasons()


def _tag_text(tag: BaseTag) -> str:
    return f"({tag.group:04X},{tag.element:04X})"


def _known(tag: BaseTag) -> bool:
    """Whether the dictionary names `tag`, repeating groups (50xx, 60xx) and file meta included."""
    try:
        get_entry(tag)
    except KeyError:
        return False
    return True


def _values(value) -> list:
    return list(value) if isinstance(value, (list, tuple, MultiValue)) else [value]


def _is_instance_uid(keyword: str, value: str) -> bool:
    """Whether a UID names something (an instance, a series, a device) rather than a standard class."""
    if keyword.endswith("ClassUID") or keyword in ("TransferSyntaxUID", "CodingSchemeUID", "ContextUID",
                                                   "MappingResourceUID", "PrivateInformationCreatorUID"):
        return False
    return bool(value) and UID(value).name == value  # a registered UID has a name of its own


class _Walker:
    def __init__(self, ctx: HeaderContext, sop_class: str):
        self.ctx, self.options, self.sop_class = ctx, ctx.options, sop_class
        self.table = load_table()
        self.overrides: dict[int, Override] = dict(self.options.overrides)
        self.counts: Counter = Counter()
        self.notes: list[str] = []
        self.uids: dict[str, str] = {}
        self.wrong_vr: set[str] = set()
        self.unknown: set[str] = set()
        self.undecodable: set[str] = set()
        self.kept: set[str] = set()

    # The walk -------------------------------------------------------------------------------------

    def walk(self, ds: Dataset, path: tuple[str, ...] = (), kb_path: tuple = (), mode: str = "keep") -> None:
        for tag in list(ds.keys()):
            if not path and tag in PIXEL_TAGS:
                continue  # the pixel stage's; reading it here would pull a large value off the disk
            try:
                element = ds[tag]
                self.element(ds, tag, element, path, kb_path, mode)
            except Exception as exc:  # an undecodable or unwritable value: removed, never kept as it was
                if tag in ds:
                    del ds[tag]
                self.counts["removed"] += 1
                self.notes.append(f"header: {_tag_text(tag)} could not be processed ({type(exc).__name__}); removed")
        self._prune_private_creators(ds)

    def element(self, ds: Dataset, tag: BaseTag, element: DataElement, path, kb_path, mode: str) -> None:
        if tag.element == 0x0000:  # group lengths are retired and would be wrong after cleaning
            del ds[tag]
            return
        if tag.group in FOREIGN_GROUPS or not tag.is_private and not _known(tag):
            # No table row or option can say what an unknown element holds (a flipped bit can turn
            # AccessionNumber into one). Command and file meta elements have no place in a stored
            # object's dataset, whatever the table says of them: the file could not even be written.
            del ds[tag]
            self.counts["unknown removed"] += 1
            self.unknown.add(_tag_text(tag))
            return
        if tag.is_private:
            self.private(ds, tag, element, kb_path)
            return
        keyword = attribute_name(element)
        if element.VR == "UN" and get_entry(tag)[0] != "UN":
            # The reader could not decode it by its VR (read.py): no action can judge it, and a copy
            # would break the next reader of the file.
            del ds[tag]
            self.counts["removed"] += 1
            self.undecodable.add(keyword)
            return
        if dictionary_has_tag(tag) and element.VR not in dictionary_VR(tag).split(" or "):
            self.wrong_vr.add(keyword)
        here, kb_here = path + (keyword,), kb_path + (public_segment(tag),)
        override = self.overrides.get(int(tag))
        if override is not None:
            self.override(ds, tag, element, override, here, kb_here)
            return
        self.apply(ds, tag, element, self.action(self.table.row_for(int(tag)), element, here, mode), here, kb_here)

    def action(self, row: ProfileRow | None, element: DataElement, path: tuple[str, ...], mode: str) -> str:
        keyword = path[-1]
        if row is None:
            return self.unlisted(element, keyword, mode)
        if keyword == "PatientBirthDate" and self.options.retain_patient_characteristics:
            return "C"  # shifted with the project's offset rather than removed
        chosen = [row.options[column] for column in self.options.columns() if column in row.options]
        if "C" in chosen:
            return "C"
        if "K" in chosen:
            self.keep(element, keyword)
            return "K"
        return choose(row.basic, attribute_type(self.sop_class, path))

    def unlisted(self, element: DataElement, keyword: str, mode: str) -> str:
        """An element the table does not name: UIDs that name something are replaced, dates follow the
        date option; inside a dummied or cleaned sequence its free text is dummied or cleaned too."""
        vr = element.VR
        if vr == "UI":
            instance = any(_is_instance_uid(keyword, str(v).strip()) for v in _values(element.value) if v)
            return "U" if instance and not self.options.retain_uids else "K"
        if mode != "keep" and keyword not in CODE_KEYWORDS and (vr in FREE_TEXT_VRS or vr in ("DA", "DT", "TM", "SQ")):
            return "D" if mode == "dummy" else "C"
        if vr in ("DA", "DT") and self.options.dates == "modified":
            return "C"
        return "K"

    # Actions --------------------------------------------------------------------------------------

    def apply(self, ds: Dataset, tag: BaseTag, element: DataElement, action: str, path, kb_path) -> None:
        vr = element.VR
        if action == "X":
            del ds[tag]
            self.counts["removed"] += 1
        elif action == "Z":
            element.value = Sequence() if vr == "SQ" else ("" if vr in STRING_VRS else None)
            self.counts["emptied"] += 1
        elif action == "D":
            if vr == "SQ":
                self.items(element, path, kb_path, "dummy")
            elif vr == "UI":  # a keyed replacement is a valid, non-identifying dummy UID
                self.remap(element)
            else:
                element.value = DUMMIES.get(vr, 0 if vr in NUMERIC_VRS else b"\x00\x00")
                self.counts["replaced"] += 1
        elif action == "C":
            self.clean(ds, tag, element, path, kb_path)
        elif action in ("U", "U*", "K"):
            if vr == "SQ":
                self.items(element, path, kb_path, "keep")
            elif vr == "UI" and action == "U":
                self.remap(element)
            elif vr == "AS" and element.value:
                element.value = cap_age(str(element.value))

    def keep(self, element: DataElement, name: str) -> None:
        """Note a value kept as it was on purpose; a sequence's items are judged one by one."""
        if element.VR != "SQ":
            self.kept.add(name)

    def items(self, element: DataElement, path, kb_path, mode: str) -> None:
        for item in element.value or []:
            self.walk(item, path, kb_path, mode)

    def clean(self, ds: Dataset, tag: BaseTag, element: DataElement, path, kb_path) -> None:
        """C: keep the attribute without what identifies: dates shifted, text cleaned, UIDs replaced."""
        vr = element.VR
        if vr == "SQ":
            self.items(element, path, kb_path, "clean")
        elif vr in ("DA", "DT"):
            if self.options.dates != "full":
                self.shift(ds, tag, element)
            else:
                self.keep(element, path[-1])
        elif vr == "TM":
            if self.options.times == "remove":
                element.value = ""
                self.counts["emptied"] += 1
        elif vr == "AS":
            element.value = cap_age(str(element.value or ""))
        elif vr == "UI":
            if not self.options.retain_uids:
                self.remap(element)
        elif vr in BINARY_VRS and tag.group & 0xFF00 == 0x6000 and tag.element == 0x3000 and len(path) == 1:
            pass  # an overlay plane: the pixel stage reads its text and clears the PHI
        elif vr in BINARY_VRS:  # other binary graphics can show names; nothing here can read them
            del ds[tag]
            self.counts["removed"] += 1
            self.notes.append(f"header: {attribute_name(element)} is binary graphics that cannot be cleaned here; removed")
        elif vr in FREE_TEXT_VRS and element.value not in (None, ""):
            cleaned = [clean_text(str(v), self.ctx.phi) for v in _values(element.value)]
            if cleaned != [str(v) for v in _values(element.value)]:
                self.counts["cleaned"] += 1
            element.value = cleaned if len(cleaned) > 1 else cleaned[0]

    def shift(self, ds: Dataset, tag: BaseTag, element: DataElement) -> None:
        if element.value in (None, ""):
            return
        mover = shift_da if element.VR == "DA" else shift_dt
        moved = [mover(str(v), self.ctx.date_offset) for v in _values(element.value)]
        if any(m is None for m in moved):
            element.value = ""
            self.counts["emptied"] += 1
            self.notes.append(f"header: {attribute_name(element)} is not a valid date; emptied instead of shifted")
            return
        element.value = moved if len(moved) > 1 else moved[0]
        self.counts["dates shifted"] += 1

    def remap(self, element: DataElement) -> None:
        """Replace each UID with its keyed hash, remembering the pair for re-identification."""
        if not element.value:
            return
        new = []
        for value in _values(element.value):
            value = str(value).strip()
            self.uids[value] = self.uids.get(value) or remap_uid(self.ctx.key, value)
            new.append(self.uids[value])
            self.counts["UIDs replaced"] += 1
        element.value = new if len(new) > 1 else new[0]

    def hash(self, ds: Dataset, tag: BaseTag, element: DataElement) -> None:
        """A keyed hash in place of the value: the same input gives the same output in the project."""
        if element.VR == "UI":
            self.remap(element)
            return
        if element.VR not in FREE_TEXT_VRS | {"CS", "UN", "OB"}:
            del ds[tag]
            self.counts["removed"] += 1
            return
        raw = element.value if isinstance(element.value, bytes) else str(element.value).encode()
        digest = hmac.new(self.ctx.key, b"value " + raw, hashlib.sha256).hexdigest()[:HASH_LENGTH].upper()
        element.value = digest.encode() if isinstance(element.value, bytes) else digest
        self.counts["hashed"] += 1

    def override(self, ds: Dataset, tag: BaseTag, element: DataElement, override: Override, path, kb_path) -> None:
        action = override.action
        if action == "remove":
            self.apply(ds, tag, element, "X", path, kb_path)
        elif action == "empty":
            self.apply(ds, tag, element, "Z", path, kb_path)
        elif action == "keep":
            self.keep(element, path[-1])
            if element.VR == "SQ":
                self.items(element, path, kb_path, "keep")
        elif action == "hash":
            self.hash(ds, tag, element)
        elif action == "shift":
            self.shift(ds, tag, element) if element.VR in ("DA", "DT") else self.apply(ds, tag, element, "X", path,
                                                                                       kb_path)
        elif action == "replace":
            element.value = override.value
            self.keep(element, path[-1])
            self.counts["replaced"] += 1

    # Private elements -----------------------------------------------------------------------------

    def private(self, ds: Dataset, tag: BaseTag, element: DataElement, kb_path) -> None:
        if 0x0010 <= tag.element <= 0x00FF:
            return  # private creators stay while an element of their block does; see _prune_private_creators
        segment = private_segment(ds, tag) if self.options.retain_safe_private else None
        chosen = disposition(kb_path + (segment,)) if segment else "delete"
        if chosen == "keep":
            self.keep(element, attribute_name(element))
            if element.VR == "SQ":
                self.items(element, (), kb_path + (segment,), "keep")
        elif chosen == "hash":
            self.hash(ds, tag, element)
        elif chosen == "offset" and element.VR in ("DA", "DT"):
            self.shift(ds, tag, element)
        else:
            del ds[tag]
            self.counts["private removed"] += 1

    @staticmethod
    def _prune_private_creators(ds: Dataset) -> None:
        for tag in [t for t in ds.keys() if t.is_private and 0x0010 <= t.element <= 0x00FF]:
            block = range((tag.group << 16) | (tag.element << 8), (tag.group << 16) | (tag.element << 8) + 0x100)
            if not any(int(t) in block for t in ds.keys()):
                del ds[tag]


def _invalid_values(ds: Dataset) -> set[str]:
    """Names of the attributes left with a value their VR does not allow (too long, badly formed)."""
    found = set()
    for element in in_memory(ds):
        if element.VR == "SQ" or element.VR in BINARY_VRS or element.value in (None, ""):
            continue
        for value in _values(element.value):
            try:  # string VRs are checked in their written form (DSfloat, IS and PersonName objects)
                validate_value(element.VR, str(value) if element.VR in STRING_VRS else value, pydicom_config.RAISE)
            except (ValueError, TypeError):  # the message quotes the value: only the name is kept
                found.add(attribute_name(element))
                break
    return found


def _fix_character_set(ds: Dataset, notes: list[str]) -> None:
    """An unknown SpecificCharacterSet was decoded with the default; declare UTF-8 for what is written."""
    declared = _values(ds.get("SpecificCharacterSet", "") or "")
    if any(str(term).strip() and str(term).strip() not in python_encoding for term in declared):
        ds.SpecificCharacterSet = "ISO_IR 192"
        notes.append("header: unknown SpecificCharacterSet; text was read with the default and written as UTF-8")


def _code(value: str, meaning: str) -> Dataset:
    code = Dataset()
    code.CodeValue, code.CodingSchemeDesignator, code.CodeMeaning = value, "DCM", meaning
    return code


def _record(ds: Dataset, options: HeaderOptions) -> None:
    """PatientIdentityRemoved, the method text and codes, and what happened to dates."""
    ds.PatientIdentityRemoved = "YES"
    methods = [f"pixelscrub {__version__}", f"PS3.15 {EDITION} Basic Profile"]
    methods += [meaning.removesuffix(" Option") for _, meaning in options.codes()[1:]]
    ds.DeidentificationMethod = methods
    ds.DeidentificationMethodCodeSequence = Sequence([_code(*code) for code in options.codes()])
    ds.LongitudinalTemporalInformationModified = options.temporal_information()


def record_pixel_outcome(ds: Dataset, masked: bool, read: bool, released: bool) -> None:
    """BurnedInAnnotation after the pixel stage, and Clean Pixel Data when it masked anything.

    Only a file whose pixels were read and released is declared free of burned-in identity; a held file
    may still carry some, and an unread one keeps what its header said.
    """
    if masked:
        ds.DeidentificationMethodCodeSequence.append(_code(*CLEAN_PIXEL_DATA))
        ds.DeidentificationMethod = [*_values(ds.DeidentificationMethod), "Clean Pixel Data"]
    if read:
        ds.BurnedInAnnotation = "NO" if released else "YES"


def deidentify(ds: Dataset, ctx: HeaderContext) -> HeaderResult:
    """Clean `ds` in place and return the new UIDs that name the output file, with what was done."""
    walker = _Walker(ctx, str(ds.get("SOPClassUID", "") or ""))
    notes = walker.notes
    if not str(ds.get("PatientID", "") or "").strip():
        notes.append("header: PatientID was empty or missing; the patient was keyed by name and birth date")
    walker.walk(ds)
    if walker.unknown:
        named = sorted(walker.unknown)
        more = f" and {len(named) - MAX_NAMED} more" if len(named) > MAX_NAMED else ""
        notes.append(f"header: elements that are not standard attributes of a stored object removed: "
                     f"{', '.join(named[:MAX_NAMED])}{more}")
    if walker.undecodable:
        notes.append(f"header: values that cannot be decoded by their VR removed: {', '.join(sorted(walker.undecodable))}")
    if walker.wrong_vr:
        notes.append(f"header: stored with an unexpected VR, handled by tag: {', '.join(sorted(walker.wrong_vr))}")
    invalid = _invalid_values(ds)
    if invalid:
        notes.append(f"header: kept with values their VR does not allow: {', '.join(sorted(invalid))}")
    _fix_character_set(ds, notes)
    for tag in PATIENT_ATTRIBUTES:
        if tag not in walker.overrides:
            ds[tag] = DataElement(tag, "PN" if tag == 0x00100010 else "LO", ctx.pseudonym)
    _record(ds, ctx.options)
    # A missing hierarchy UID still needs a stable value: a study per patient, a series per study,
    # an instance per input file.
    for keyword, scope in (("StudyInstanceUID", ctx.pseudonym), ("SeriesInstanceUID", None),
                           ("SOPInstanceUID", ctx.source)):
        if not ds.get(keyword):
            setattr(ds, keyword, remap_uid(ctx.key, f"missing {keyword} {scope or ds.StudyInstanceUID}"))
            notes.append(f"header: {keyword} was missing; a new one was made")
    meta = getattr(ds, "file_meta", None)
    if meta is not None:
        for tag in FILE_META_REMOVE:
            if tag in meta:
                del meta[tag]
        meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    kept = frozenset(walker.kept)
    return HeaderResult(
        study_uid=str(ds.StudyInstanceUID), series_uid=str(ds.SeriesInstanceUID), sop_uid=str(ds.SOPInstanceUID),
        actions=walker.counts, notes=notes, uids=walker.uids, kept=kept, swept=sweep(ds, ctx.phi, kept),
    )
