"""Every row of the pinned PS3.15 Table E.1-1, at top level and inside a sequence item, under the Basic
Profile and under each option column: a dataset carrying the attribute comes out with the row's action.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources

import pytest
from pydicom.datadict import dictionary_VR, keyword_for_tag
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.uid import UltrasoundImageStorage

from pixelscrub.header.deidentify import HeaderContext, deidentify
from pixelscrub.header.options import COLUMNS, HeaderOptions
from pixelscrub.header.phi import PhiName, PhiSet, PhiText
from pixelscrub.header.uids import remap_uid

KEY = bytes(range(32))
OFFSET = -400
ROWS = json.loads(resources.files("pixelscrub").joinpath("data", "ps3.15-2024b-table-e1-1.json").read_text())
PHI = PhiSet(names=[PhiName("PatientName", "DOE", "JANE", "", ("DOE", "JANE"))],
             ids=[PhiText("PatientID", "12345678")])
TEXT = "CT HEAD DOE 12345678"  # cleaned: "CT HEAD"
NESTING = "AnatomicRegionSequence"  # a sequence the table does not name: kept, its items walked
CONCRETE = {"50xxxxxx": 0x50023000, "60xx3000": 0x60023000, "60xx4000": 0x60024000}
PSEUDONYM = "PXS_0001"
BASIC_ONLY = HeaderOptions(dates="remove", clean_descriptors=False)


def public_rows() -> list[dict]:
    return [r for r in ROWS if not r["id"].startswith("gggg")]


def tag_of(row: dict) -> int:
    return CONCRETE.get(row["id"].lower()) or int(row["id"], 16)


def vr_of(tag: int) -> str:
    return dictionary_VR(tag).split(" or ")[0]


def sample(tag: int, vr: str):
    """An identifying-looking value of the attribute's VR."""
    if vr == "SQ":
        item = Dataset()
        item.CodeValue = "T-D1100"
        item.TextValue = "DOE HEAD"  # free text the table does not name
        return Sequence([item])
    return {
        "PN": "DOE^JANE", "LO": TEXT, "LT": TEXT, "ST": TEXT, "UT": TEXT, "UC": TEXT, "SH": "HEAD DOE",
        "AE": "DOE", "CS": "DOE", "DA": "20240131", "DT": "20240131120000", "TM": "120000", "AS": "095Y",
        "DS": "1.5", "IS": "7", "UR": "http://doe.example", "AT": 0x00100010,
        "UI": f"1.2.826.0.1.3680043.2.1125.7.{tag}",
        "US": 7, "SS": 7, "UL": 7, "SL": 7, "FL": 7.0, "FD": 7.0, "UV": 7, "SV": 7,
    }.get(vr, b"DOE1")


def scrub(tag: int, options: HeaderOptions, nested: bool, sop_class: str = UltrasoundImageStorage):
    """Clean a dataset holding the attribute; return (before value, element after or None)."""
    ds = Dataset()
    ds.SOPClassUID = sop_class
    vr = vr_of(tag)
    value = sample(tag, vr)
    element = DataElement(tag, vr, value)
    if nested:
        holder = Dataset()
        holder.add(element)
        ds[NESTING] = DataElement(0x00082218, "SQ", Sequence([holder]))
    else:
        ds.add(element)
    deidentify(ds, HeaderContext(KEY, PSEUDONYM, "test.dcm", options, OFFSET, PHI))
    target = ds[NESTING].value[0] if nested else ds
    return value, (target[tag] if tag in target else None)


# PS3.15's rule for combined codes, written out: the first action unless the attribute's type needs a
# later one (Type 1: a value; Type 2: present, maybe empty); X/Z/U* keeps references with new UIDs.
COMBINED = {
    ("X/Z", "1"): "Z", ("X/Z", "2"): "Z", ("X/Z", None): "X",
    ("Z/D", "1"): "D", ("Z/D", "2"): "Z", ("Z/D", None): "Z",
    ("X/D", "1"): "D", ("X/D", "2"): "D", ("X/D", None): "X",
    ("X/Z/D", "1"): "D", ("X/Z/D", "2"): "Z", ("X/Z/D", None): "X",
    ("X/Z/U*", "1"): "U*", ("X/Z/U*", "2"): "U*", ("X/Z/U*", None): "U*",
}
TYPES = json.loads(resources.files("pixelscrub").joinpath("data", "iod-attribute-types.json").read_text())


def expected_basic(row: dict, nested: bool) -> str:
    code = row["basicProfile"]
    if "/" not in code:
        return code
    keyword = keyword_for_tag(tag_of(row))
    path = f"{NESTING}/{keyword}" if nested else keyword
    iod = TYPES["sop_classes"][UltrasoundImageStorage]
    return COMBINED[(code, TYPES["iods"][iod].get(path))]


# Cases read from the standard (PS3.3 US Image IOD), independent of the shipped extract.
@pytest.mark.parametrize("keyword,code,outcome", [
    ("ContentDate", "Z/D", "emptied"),           # General Image, Type 2
    ("ContentTime", "Z/D", "emptied"),           # General Image, Type 2
    ("AcquisitionDateTime", "X/Z/D", "dummy"),   # US Image module, Type 1
    ("ContrastBolusAgent", "Z/D", "emptied"),    # Contrast/Bolus, Type 2
    ("InstitutionName", "X/Z/D", "removed"),     # General Equipment, Type 3
    ("SeriesDate", "X/D", "removed"),            # General Series, Type 3
    ("OperatorsName", "X/Z/D", "removed"),       # General Series, Type 3
])
def test_combined_codes_follow_the_attribute_type_in_the_us_image_iod(keyword, code, outcome):
    row = next(r for r in public_rows() if keyword_for_tag(tag_of(r)) == keyword)
    assert row["basicProfile"] == code
    _, after = scrub(tag_of(row), BASIC_ONLY, nested=False)
    if outcome == "removed":
        assert after is None
    elif outcome == "emptied":
        assert after is not None and is_empty(after.value)
    else:
        assert after is not None and not is_empty(after.value) and after.value != sample(tag_of(row), after.VR)


def is_empty(value) -> bool:
    return value in ("", None, b"") or (isinstance(value, Sequence) and len(value) == 0)


FOREIGN_GROUPS = (0x0000, 0x0002)  # command and file meta elements: removed from a dataset, whatever the row


def check(action: str, vr: str, before, after, options: HeaderOptions, overlay_plane: bool = False) -> None:
    if action == "C" and overlay_plane:
        assert after is not None and after.value == before  # read and cleared by the pixel stage
        return
    if action == "C" and vr in ("OB", "OW", "OD", "OF", "OL", "OV", "UN"):
        action = "X"  # other binary graphics cannot be cleaned in the header: removed
    if action == "X":
        assert after is None
        return
    assert after is not None, "the attribute must stay"
    value = after.value
    if action == "Z":
        assert is_empty(value)
    elif action == "D":
        assert not is_empty(value)
        if vr == "SQ":
            assert value[0].TextValue != "DOE HEAD" and value[0].CodeValue == "T-D1100"
        else:
            assert value != before
    elif action == "K":
        if vr == "SQ":  # kept, but the final sweep cleans the patient's name out of its free text
            assert value[0].TextValue == "HEAD"
        elif vr == "AS":
            assert value == "090Y"  # kept, but no age over 89
        else:
            assert value == before
    elif action in ("U", "U*"):
        if vr == "UI":
            assert value == remap_uid(KEY, before)
        else:
            assert len(value) == 1
    elif action == "C":
        check_clean(vr, before, value, options)
    else:
        raise AssertionError(f"unknown action {action}")


def check_clean(vr: str, before, value, options: HeaderOptions) -> None:
    if vr == "DA":
        expect = before if options.dates == "full" else (
            dt.datetime.strptime(before, "%Y%m%d") + dt.timedelta(days=OFFSET)).strftime("%Y%m%d")
        assert value == expect
    elif vr == "DT":
        assert value == before if options.dates == "full" else value.endswith("120000") and value != before
    elif vr == "TM":
        assert value == before  # times are kept by default
    elif vr == "SQ":
        assert value[0].TextValue == "HEAD" and value[0].CodeValue == "T-D1100"
    elif vr in ("LO", "LT", "ST", "UT", "UC"):
        assert value == "CT HEAD"
    elif vr == "SH":
        assert value == "HEAD"
    elif vr in ("PN", "AE"):
        assert is_empty(value)
    elif vr == "UI":
        assert value == remap_uid(KEY, before)
    elif vr == "AS":
        assert value == "090Y"
    elif vr == "CS":  # nothing to clean in a code, but the final sweep replaces the patient's name
        assert value == "ANON"
    else:
        assert value == before


@pytest.mark.parametrize("nested", [False, True], ids=["top", "nested"])
@pytest.mark.parametrize("row", public_rows(), ids=lambda r: r["id"])
def test_basic_profile_row(row, nested):
    tag = tag_of(row)
    before, after = scrub(tag, BASIC_ONLY, nested)
    if tag in (0x00100010, 0x00100020) and not nested:
        assert after.value == PSEUDONYM  # the project pseudonym replaces the Basic Profile action
        return
    if tag >> 16 in FOREIGN_GROUPS:
        assert after is None
        return
    check(expected_basic(row, nested), vr_of(tag), before, after, BASIC_ONLY)


OPTION_CASES = [
    (name, row) for name, column in COLUMNS.items() for row in public_rows() if column in row
]


def options_for(name: str) -> HeaderOptions:
    if name == "full_dates":
        return HeaderOptions(dates="full", clean_descriptors=False)
    if name == "modified_dates":
        return HeaderOptions(dates="modified", clean_descriptors=False)
    return HeaderOptions(**{"dates": "remove", "clean_descriptors": False, name: True})


@pytest.mark.parametrize("nested", [False, True], ids=["top", "nested"])
@pytest.mark.parametrize("name,row", OPTION_CASES, ids=[f"{n}-{r['id']}" for n, r in OPTION_CASES])
def test_option_column_row(name, row, nested):
    tag = tag_of(row)
    options = options_for(name)
    before, after = scrub(tag, options, nested)
    if tag in (0x00100010, 0x00100020) and not nested:
        assert after.value == PSEUDONYM
        return
    if tag >> 16 in FOREIGN_GROUPS:
        assert after is None
        return
    plane = not nested and tag >> 24 == 0x60 and tag & 0xFFFF == 0x3000
    check(row[COLUMNS[name]], vr_of(tag), before, after, options, overlay_plane=plane)


def test_every_row_is_covered():
    assert len(public_rows()) == 620
    assert len(OPTION_CASES) == sum(1 for r in public_rows() for c in COLUMNS.values() if c in r)


# The private-attributes row: removed by the Basic Profile; Retain Safe Private keeps what the TCIA
# knowledge base marks as safe and removes the rest.

def private_dataset() -> Dataset:
    ds = Dataset()
    ds.SOPClassUID = UltrasoundImageStorage
    block = ds.private_block(0x0019, "GEMS_ACQU_01", create=True)
    block.add_new(0x02, "SL", 1234)      # the KB keeps (0019,"GEMS_ACQU_01",02)
    block.add_new(0x99, "LO", "DOE^JANE")  # not in the KB
    other = ds.private_block(0x0029, "SOME VENDOR 1.0", create=True)
    other.add_new(0x10, "LO", "DOE^JANE")
    return ds


def private_left(ds: Dataset) -> dict[str, object]:
    return {f"{el.tag.group:04X},{el.tag.element:04X}": el.value for el in ds if el.tag.is_private}


def test_private_row_basic_profile_removes_every_private_element():
    ds = private_dataset()
    deidentify(ds, HeaderContext(KEY, PSEUDONYM, "t.dcm", BASIC_ONLY, OFFSET, PHI))
    assert private_left(ds) == {}


def test_private_row_safe_private_keeps_only_known_safe_elements():
    ds = private_dataset()
    options = HeaderOptions(dates="remove", clean_descriptors=False, retain_safe_private=True)
    deidentify(ds, HeaderContext(KEY, PSEUDONYM, "t.dcm", options, OFFSET, PHI))
    assert private_left(ds) == {"0019,0010": "GEMS_ACQU_01", "0019,1002": 1234}


def test_private_dispositions_hash_and_offset():
    from pixelscrub.header.private import knowledge_base

    kb = knowledge_base()
    hashed = next(p for p, d in kb.items() if d == "hash" and len(p) == 1)
    shifted = next(p for p, d in kb.items() if d == "offset" and len(p) == 1)
    ds = Dataset()
    ds.SOPClassUID = UltrasoundImageStorage
    for (group, creator, element), value, vr in ((hashed[0], "12345678", "LO"), (shifted[0], "20240131", "DA")):
        ds.private_block(int(group, 16), creator, create=True).add_new(int(element, 16), vr, value)
    options = HeaderOptions(dates="modified", clean_descriptors=False, retain_safe_private=True)
    deidentify(ds, HeaderContext(KEY, PSEUDONYM, "t.dcm", options, OFFSET, PHI))
    values = [el.value for el in ds if el.tag.is_private and el.tag.element > 0xFF]
    assert "12345678" not in values and "20240131" not in values
    assert "20221227" in values  # 2024-01-31 shifted by -400 days
