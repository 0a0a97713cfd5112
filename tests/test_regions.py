"""Known burned-in regions: the CTP and deid importers, the shipped TOML, and header matching."""

import re
from pathlib import Path

import pytest

from pixelscrub.pixels.regions import rules as regions
from pixelscrub.pixels.regions.boxes import Box
from pixelscrub.pixels.regions.rule_import import import_regions, normalise_attribute, parse_ctp, parse_deid, to_toml

REPO = Path(__file__).resolve().parent.parent
REFERENCE = REPO.parent / "shared" / "reference"
CTP_SCRIPT = REFERENCE / "ctp" / "DicomPixelAnonymizer.script"
DEID_RECIPES = [REFERENCE / "deid" / name for name in ("deid.dicom", "deid.dicom.ultrasound", "deid.dicom.xray.chest")]
CTP_ORIGIN = "johnperry/CTP, source/files/scripts/DicomPixelAnonymizer.script, commit 361e90f"
DEID_ORIGIN = "pydicom/deid, deid/data/, commit 8d26fca (MIT licence)"
needs_reference = pytest.mark.skipif(not CTP_SCRIPT.exists(), reason="../shared/reference is absent")
RECTANGLE = re.compile(r"\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)")

T, All, Any, Not = regions.Test, regions.All, regions.Any, regions.Not


def hits(rules, **header) -> list[tuple[str, Box]]:
    """matching_regions over a plain dict, as a caller builds `get` from a dataset."""
    return regions.matching_regions(header.get, rules)


def shipped(source_prefix: str) -> list[regions.RegionRule]:
    return [rule for rule in regions.load_rules() if rule.source.startswith(source_prefix)]


def rule_named(rules, name: str) -> regions.RegionRule:
    (rule,) = [rule for rule in rules if rule.name == name]
    return rule


# --- CTP -----------------------------------------------------------------------------------------------

@needs_reference
def test_every_ctp_signature_is_imported_with_its_own_rectangles():
    text = CTP_SCRIPT.read_text("utf-8")
    rules = parse_ctp(text, CTP_SCRIPT.name)
    after_each_block = [part.split("{")[0] for part in text.split("}")[1:]]
    expected = [[Box(*map(int, r)) for r in RECTANGLE.findall(part)] for part in after_each_block]
    assert text.count("{") == text.count("}") == len(rules) == 52
    assert [list(rule.regions) for rule in rules] == expected
    assert all(rule.regions for rule in rules)
    assert sum(map(len, expected)) == len(RECTANGLE.findall(text))


def test_shipped_ctp_rules_have_unique_names_from_their_headings():
    ctp = shipped("DicomPixelAnonymizer.script")
    names = [rule.name for rule in ctp]
    assert len(ctp) == 52 and len(set(names)) == 52 and all(rule.regions for rule in ctp)
    assert names[names.index("GE / Logiq US"):][:3] == ["GE / Logiq US", "GE / Logiq US 2", "GE / Logiq US 3"]
    assert rule_named(ctp, "ATL").regions == (Box(40, 0, 200, 40), Box(240, 0, 190, 16))


def test_logiq9_ultrasound_gets_its_banner_and_a_header_without_the_model_gets_nothing():
    ctp = shipped("DicomPixelAnonymizer.script")
    assert hits(ctp, Modality="US", ManufacturerModelName="LOGIQ9") == [("GE / Logiq US", Box(0, 0, 640, 40))]
    assert hits(ctp, Modality="US", ManufacturerModelName="logiq9") == [("GE / Logiq US", Box(0, 0, 640, 40))]
    assert hits(ctp, Modality="US", Manufacturer="GE Healthcare", Rows="480") == []


def test_ctp_contains_is_case_sensitive_and_equals_exact():
    ctp = shipped("DicomPixelAnonymizer.script")
    mindray = [("MINDRAY", Box(0, 0, 1229, 69))]
    assert hits(ctp, Modality="US", ImplementationVersionName="MINDRAY_V2") == mindray
    assert hits(ctp, Modality="US", ImplementationVersionName="Mindray_V2") == []
    assert hits(ctp, Modality="us", ImplementationVersionName="MINDRAY_V2") == []
    assert hits(ctp, Modality="US ", ImplementationVersionName="MINDRAY_V2") == []


def test_ctp_or_inside_parentheses_under_and():
    ctp = shipped("DicomPixelAnonymizer.script")
    stent = rule_named(ctp, "VITREA / Stent Planning Worksheet")
    assert stent.when == All((
        T("Manufacturer", "contains", "VITAL Images", True),
        Any((T("SeriesDescription", "contains", "AAA", True), T("SeriesDescription", "contains", "Report", True))),
        T("Rows", "equals", "1041"),
    ))
    worksheet = [("VITREA / Stent Planning Worksheet", Box(0, 0, 795, 150))]
    assert hits([stent], Manufacturer="Vital Images", SeriesDescription="aaa plan", Rows="1041") == worksheet
    assert hits([stent], Manufacturer="Vital Images", SeriesDescription="REPORT", Rows="1041") == worksheet
    assert hits([stent], Manufacturer="Vital Images", SeriesDescription="Axial", Rows="1041") == []
    assert hits([stent], Manufacturer="Vital Images", SeriesDescription="Report", Rows="1040") == []


def test_ctp_precedence_tags_comments_and_region_lists():
    script = """
Vendor
  Detail
  { [0008,0070].equals("A") + Modality.startsWith("U") * !Rows.endsWithIgnoreCase("x") // a comment
  }
  (1,2,3,4)   ( 5 , 6 , 7 , 8 )
 Second
  { SeriesDescription.matches("Dose.*") }
  (0,0,9,9)
"""
    first, second = parse_ctp(script, "local.script")
    assert first.name == "Vendor / Detail" and second.name == "Vendor / Second"
    assert first.when == Any((T("Manufacturer", "equals", "A"),
                              All((T("Modality", "startswith", "U"), Not(T("Rows", "endswith", "x", True))))))
    assert first.regions == (Box(1, 2, 3, 4), Box(5, 6, 7, 8))
    assert hits([second], SeriesDescription="Dose report") == [("Vendor / Second", Box(0, 0, 9, 9))]
    assert hits([second], SeriesDescription="CT Dose") == []


def test_ctp_parse_errors_are_loud():
    with pytest.raises(ValueError):
        parse_ctp('X\n{ Modality.looksLike("US") }\n(0,0,1,1)', "bad")
    with pytest.raises(ValueError):
        parse_ctp('X\n{ ( Modality.equals("US") }\n(0,0,1,1)', "bad")


# --- deid ----------------------------------------------------------------------------------------------

RECIPE = """FORMAT dicom

%filter whitelist

LABEL Clean scanner # trusted
  contains Manufacturer Acme
  coordinates 0,0,100,100

%filter graylist

LABEL Acme banner # (someone)
  contains Modality US
  + contains Manufacturer Acme || equals Rows 600|768
  ctpcoordinates 10,20,30,40
  coordinates 5,6,50,60

LABEL Whole
  notcontains ImageType ORIGINAL
  || missing ImageType
  coordinates all

%header

REMOVE PatientName
"""


def test_deid_or_within_a_line_and_ctpcoordinates():
    (banner, whole) = parse_deid(RECIPE, "recipe")
    assert banner.name == "Acme banner" and banner.source == "recipe (graylist)"
    assert banner.regions == (Box(10, 20, 30, 40), Box(5, 6, 45, 54))
    boxes = list(banner.regions)
    assert [box for _, box in hits([banner], Modality="US", Manufacturer="ACME Corp")] == boxes
    assert [box for _, box in hits([banner], Modality="us", Rows="768")] == boxes
    assert hits([banner], Modality="US", Manufacturer="Other", Rows="512") == []
    assert hits([banner], Modality="CT", Manufacturer="Acme") == []


def test_deid_whitelist_never_yields_regions():
    rules = parse_deid(RECIPE, "recipe")
    assert [rule.name for rule in rules] == ["Acme banner", "Whole"]
    assert all("whitelist" not in rule.source for rule in shipped("deid."))
    assert hits(rules, Manufacturer="Acme", ImageType="ORIGINAL\\PRIMARY") == []


@needs_reference
def test_deid_whitelist_labels_of_the_reference_recipes_are_dropped():
    names = {rule.name for path in DEID_RECIPES for rule in parse_deid(path.read_text("utf-8"), path.name)}
    assert {"Marked as Clean Catch All", "CT Siemens Sensation 64 Catch-all", "Matt Lungren CHEST"}.isdisjoint(names)
    assert "Matt Lungren Only Accept X-ray" in names


def test_a_whitelisted_header_still_gets_graylist_regions():
    deid = shipped("deid.")
    found = hits(deid, Modality="US", Manufacturer="GE", ManufacturerModelName="LOGIQ9", BurnedInAnnotation="NO")
    assert ("Logiq US (LOGIQ9)", Box(0, 0, 640, 30)) in found


def test_deid_coordinates_are_corners_converted_to_width_and_height():
    lab = rule_named(shipped("deid."), "3D Lab reconstructions")  # "coordinates 450,0,672, 85"
    assert lab.regions == (Box(450, 0, 222, 85),)
    assert lab.when.children[0] == T("ManufacturerModelName", "regex", "SOMATOM Definition AS+", True)


def test_deid_line_grouping_on_a_shipped_rule():
    deid = shipped("deid.")
    dose = [rule_named(deid, "LightSpeed Dose Report")]
    assert hits(dose, ManufacturerModelName="LightSpeed VCT", Modality="CT", SeriesDescription="dose info") == [
        ("LightSpeed Dose Report", Box(0, 0, 512, 121))]
    assert hits(dose, ManufacturerModelName="LightSpeed VCT", Modality="MR", SeriesDescription="Dose") == []


def test_deid_contains_alternatives_are_case_insensitive_regex_and_equals_alternatives_any():
    deid = shipped("deid.")
    logiq = [rule_named(deid, "Logiq US (LOGIQE9 or V830)")]
    assert hits(logiq, Modality="US", Manufacturer="GE Healthcare", ManufacturerModelName="v830") == [
        ("Logiq US (LOGIQE9 or V830)", Box(0, 0, 960, 70))]
    assert hits(logiq, Modality="US", Manufacturer="GE Healthcare", ManufacturerModelName="V8") == []
    epiq = [rule_named(deid, "EPIQ_7G (CTP)")]
    assert len(hits(epiq, Manufacturer="EPIQ", Rows="768")) == 1
    assert hits(epiq, Manufacturer="EPIQ", Rows="600|768") == []


def test_whole_image_rules_and_keep_regions():
    deid = shipped("deid.")
    blank = rule_named(deid, "Blank Image")
    assert blank.whole_image and blank.regions == ()
    assert ("Blank Image", regions.WHOLE_IMAGE) in hits(deid, Modality="US")
    assert regions.WHOLE_IMAGE.pad(0, 640, 480) == Box(0, 0, 640, 480)
    keep = rule_named(deid, "Clean Ultrasound Regions")  # keepcoordinates: nothing PHI-likely
    assert keep.regions == () and not keep.whole_image
    assert all(name != keep.name for name, _ in hits(deid, SequenceOfUltrasoundRegions="1 item"))
    (_, whole) = parse_deid(RECIPE, "recipe")
    assert hits([whole], ImageType="DERIVED\\SECONDARY") == [("Whole", regions.WHOLE_IMAGE)]
    assert hits([whole], ImageType="ORIGINAL\\PRIMARY") == []
    assert hits([whole]) == [("Whole", regions.WHOLE_IMAGE)]


def test_flag_only_rules_yield_nothing():
    deid = shipped("deid.")
    assert rule_named(deid, "Stanford Blacklist Missing ImageType").regions == ()
    assert all(not name.startswith("Stanford Blacklist") for name, _ in hits(deid))


def test_deid_filter_line_outside_a_label_is_an_error():
    with pytest.raises(ValueError):
        parse_deid("%filter graylist\ncontains Modality US\n", "bad")


# --- the data model ------------------------------------------------------------------------------------

def test_tests_on_absent_and_empty_attributes():
    absent, empty = {}.get, {"Modality": ""}.get
    assert T("Modality", "missing").holds(absent) and not T("Modality", "present").holds(absent)
    assert T("Modality", "notequals", "US").holds(absent)
    assert not any(T("Modality", op, "US").holds(absent) for op in ("contains", "equals", "startswith", "regex"))
    assert T("Modality", "empty").holds(empty) and not T("Modality", "empty").holds(absent)
    with pytest.raises(ValueError):
        T("Modality", "looks_like", "US")


def test_attributes_are_normalised_to_keywords_where_pydicom_knows_the_tag():
    assert normalise_attribute("[0008,0070]") == "Manufacturer"
    assert normalise_attribute("(0018,1030)") == "ProtocolName"
    assert normalise_attribute("[6000,0022]") == "OverlayDescription"
    assert normalise_attribute("[0029,1010]") == "(0029,1010)"
    assert normalise_attribute("Modality") == "Modality"


def test_toml_round_trip_keeps_every_rule():
    odd = regions.RegionRule('quote " and \\ back', "here", Not(Any(())), (Box(1, 2, 3, 4),), whole_image=True)
    rules = parse_deid(RECIPE, "recipe") + parse_ctp('A\n{ Rows.equals("1") * true }\n(0,0,1,1)', "s") + [odd]
    assert regions.parse_rules(to_toml(rules, "two\nlines")) == tuple(rules)


def test_load_rules_reads_every_shipped_file_once():
    rules = regions.load_rules()
    assert rules is regions.load_rules()
    assert {rule.source.split(" ")[0] for rule in rules} == {
        "DicomPixelAnonymizer.script", "deid.dicom", "deid.dicom.ultrasound", "deid.dicom.xray.chest"}


@needs_reference
def test_committed_toml_equals_a_fresh_import(tmp_path):
    written = import_regions(CTP_SCRIPT, DEID_RECIPES, tmp_path, ctp_origin=CTP_ORIGIN, deid_origin=DEID_ORIGIN)
    assert [path.name for path in written] == ["ctp.toml", "deid.toml"]
    for path in written:
        committed = REPO / "models" / "regions" / path.name
        assert committed.read_text("utf-8") == path.read_text("utf-8"), f"{committed} is stale: re-import it"
