from dataclasses import replace

import pytest

from pixelscrub.pixels.regions.triage import parse_rules, triage
from pixelscrub.read import ImageFacts

CT = ImageFacts(modality="CT", sop_class_uid="1.2.840.10008.5.1.4.1.1.2", image_type=("ORIGINAL", "PRIMARY", "AXIAL"),
                conversion_type="", burned_in_annotation="", manufacturer="ACME", model="X1", rows=512, columns=512,
                frames=1, samples=1, photometric="MONOCHROME2", transfer_syntax="1.2.840.10008.1.2.1",
                has_pixels=True, us_regions=())


def test_plain_ct_original_skips_the_pixel_stage():
    decision = triage(CT)
    assert not decision.look and decision.rule == "cross-sectional original"


@pytest.mark.parametrize("change", [
    {"image_type": ("ORIGINAL", "PRIMARY", "LOCALIZER")},
    {"burned_in_annotation": "YES"},
    {"sop_class_uid": "1.2.840.10008.5.1.4.1.1.7"},
    {"image_type": ("DERIVED", "SECONDARY", "SCREEN SAVE")},
])
def test_ct_that_may_carry_text_is_read(change):
    assert triage(replace(CT, **change)).look


@pytest.mark.parametrize("modality", ["US", "XA", "RF", "ES", "OT", "SC"])
def test_text_bearing_modalities_are_read_even_when_the_header_says_no(modality):
    assert triage(replace(CT, modality=modality, image_type=("ORIGINAL", "PRIMARY"), burned_in_annotation="NO")).look


def test_unknown_kinds_are_read_to_be_safe():
    decision = triage(replace(CT, modality="XYZ", image_type=()))
    assert decision.look and "no rule matched" in decision.rule


def test_objects_without_pixels_are_not_read():
    assert not triage(replace(CT, has_pixels=False, modality="SR")).look


def test_rules_reject_unknown_conditions():
    with pytest.raises(ValueError):
        parse_rules({"rule": [{"name": "x", "look": True, "colour": "red"}]})


def test_manufacturer_condition_matches_substrings():
    rules = parse_rules({"rule": [{"name": "vendor", "look": False, "manufacturer": ["acme"]}]})
    assert triage(CT, rules).rule == "vendor"
