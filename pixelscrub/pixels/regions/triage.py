"""Triage: a header-only decision per image on whether the pixel stage must read it.

The rules are data (models/triage.toml). Plain CT/MR/PT originals leave here, so their cost is the
header and their PixelData stays byte-identical. BurnedInAnnotation=NO is never trusted alone.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pixelscrub.pixels.regions.boxes import Box
from pixelscrub.read import ImageFacts

CONDITIONS = ("modality", "sop_class", "burned_in_annotation", "conversion_type", "image_type_any",
              "image_type_none", "manufacturer", "model", "has_pixels")


@dataclass(frozen=True)
class TriageRule:
    name: str
    look: bool
    confidence: float
    conditions: dict

    def matches(self, facts: ImageFacts) -> bool:
        return all(_holds(key, value, facts) for key, value in self.conditions.items())


@dataclass(frozen=True)
class TriageDecision:
    look: bool
    rule: str
    confidence: float  # for a skipped image: how sure the rule is that no burned-in PHI was missed
    data_regions: tuple[Box, ...] = ()  # where the modality draws data (ultrasound regions), not text
    phi_regions: tuple[tuple[str, Box], ...] = ()  # (rule, box) where the device is known to burn in PHI
    learned: bool = False  # text is drawn over the image content: the learned detector proposes lines too


def _upper(values) -> set[str]:
    return {str(v).upper() for v in values}


def _holds(key: str, value, facts: ImageFacts) -> bool:
    if key == "has_pixels":
        return facts.has_pixels == bool(value)
    if key in ("image_type_any", "image_type_none"):
        hit = bool(_upper(value) & set(facts.image_type))
        return hit if key == "image_type_any" else not hit
    if key in ("manufacturer", "model"):
        text = (facts.manufacturer if key == "manufacturer" else facts.model).upper()
        return any(v in text for v in _upper(value))
    actual = {"modality": facts.modality, "sop_class": facts.sop_class_uid,
              "burned_in_annotation": facts.burned_in_annotation, "conversion_type": facts.conversion_type}[key]
    return actual.upper() in _upper(value)


def parse_rules(document: dict) -> tuple[TriageRule, ...]:
    rules = []
    for entry in document.get("rule", []):
        unknown = set(entry) - {"name", "look", "confidence", *CONDITIONS}
        if unknown:
            raise ValueError(f"triage rule {entry.get('name')!r} has unknown keys: {sorted(unknown)}")
        conditions = {k: entry[k] for k in CONDITIONS if k in entry}
        rules.append(TriageRule(entry["name"], bool(entry["look"]), float(entry.get("confidence", 1.0)), conditions))
    return tuple(rules)


@cache
def _document() -> dict:
    return tomllib.loads(resources.files("pixelscrub.models").joinpath("triage.toml").read_text("utf-8"))


@cache
def default_rules() -> tuple[TriageRule, ...]:
    return parse_rules(_document())


def over_image(facts: ImageFacts) -> bool:
    """Whether the image's text is drawn over its content ([over_image] in models/triage.toml)."""
    table = _document().get("over_image", {})
    return (facts.modality.upper() in _upper(table.get("modality", ()))
            or bool(_upper(table.get("image_type_any", ())) & set(facts.image_type)))


def triage(facts: ImageFacts, rules: tuple[TriageRule, ...] | None = None,
           phi_regions: tuple[tuple[str, Box], ...] = ()) -> TriageDecision:
    """`phi_regions` come from the region rules (pixels/regions.py) matched on the original header."""
    regions = tuple(Box(*region) for region in facts.us_regions)
    learned = over_image(facts)
    for rule in rules if rules is not None else default_rules():
        if rule.matches(facts):
            return TriageDecision(rule.look, rule.name, rule.confidence, regions, phi_regions, learned)
    return TriageDecision(True, "no rule matched; read to be safe", 1.0, regions, phi_regions, learned)
