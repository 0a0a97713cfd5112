"""Known burned-in text regions, keyed by header signatures (from RSNA CTP and pydicom/deid).

A matched region says where text is PHI-likely. It is a hint for the pixel stage, which still reads
the whole image: nothing here ever narrows what is read. The rules are data in models/regions/*.toml
(format and provenance in models/regions/README.md), written by pixelscrub.pixels.regions.rule_import.
"""

from __future__ import annotations

import functools
import operator
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources

from pydicom.datadict import tag_for_keyword
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue

from pixelscrub.pixels.regions.boxes import Box

Getter = Callable[[str], str | None]

WHOLE_IMAGE = Box(0, 0, 2**31 - 1, 2**31 - 1)
"""The box matching_regions gives for a whole-image rule. It covers any image, so a caller that clips
it (`box.pad(0, width, height)`) or intersects with it treats the whole frame as PHI-likely; compare
with `== WHOLE_IMAGE` to tell it apart from a drawn rectangle."""

_COMPARE: dict[str, Callable[[str, str], bool]] = {
    "contains": lambda text, value: value in text,
    "equals": operator.eq,
    "notequals": operator.ne,
    "startswith": str.startswith,
    "endswith": str.endswith,
    "empty": lambda text, value: text == "",
}
OPS = frozenset(_COMPARE) | {"regex", "missing", "present"}


@dataclass(frozen=True)
class Test:
    """One header test. `regex` searches anywhere in the value (deid's `contains` when the value is a
    pattern). On an absent attribute only `missing` and `notequals` hold, as in deid; CTP reads an
    absent attribute as "", which gives the same answers for every non-empty value."""

    attribute: str
    op: str
    value: str = ""
    ignore_case: bool = False

    def __post_init__(self) -> None:
        if self.op not in OPS:
            raise ValueError(f"unknown op {self.op!r} on {self.attribute}")
        if self.op == "regex":
            re.compile(self.value)

    def holds(self, get: Getter) -> bool:
        found = get(self.attribute)
        if self.op in ("missing", "present"):
            return (found is None) == (self.op == "missing")
        if found is None:
            return self.op == "notequals"
        if self.op == "regex":
            return re.search(self.value, found, re.IGNORECASE if self.ignore_case else 0) is not None
        if self.ignore_case:
            return _COMPARE[self.op](found.lower(), self.value.lower())
        return _COMPARE[self.op](found, self.value)


@dataclass(frozen=True)
class All:
    children: tuple[Condition, ...]

    def holds(self, get: Getter) -> bool:
        return all(child.holds(get) for child in self.children)


@dataclass(frozen=True)
class Any:
    children: tuple[Condition, ...]

    def holds(self, get: Getter) -> bool:
        return any(child.holds(get) for child in self.children)


@dataclass(frozen=True)
class Not:
    child: Condition

    def holds(self, get: Getter) -> bool:
        return not self.child.holds(get)


Condition = All | Any | Not | Test


@dataclass(frozen=True)
class RegionRule:
    """A header signature and where its devices burn in text. `whole_image` marks deid's
    `coordinates all`: anywhere in the image is PHI-likely. A rule with neither regions nor
    whole_image only flags (a deid blacklist entry, say) and yields no region."""

    name: str
    source: str
    when: Condition
    regions: tuple[Box, ...] = ()
    whole_image: bool = False


def condition(table: dict) -> Condition:
    """A condition from its TOML form: {all = [...]}, {any = [...]}, {not = {...}} or a test table."""
    if "all" in table:
        return All(tuple(map(condition, table["all"])))
    if "any" in table:
        return Any(tuple(map(condition, table["any"])))
    if "not" in table:
        return Not(condition(table["not"]))
    return Test(**table)


def parse_rules(text: str) -> tuple[RegionRule, ...]:
    """The rules of one regions TOML document."""
    return tuple(RegionRule(t["name"], t["source"], condition(t["when"]), tuple(Box(*r) for r in t["regions"]),
                            t.get("whole_image", False))
                 for t in tomllib.loads(text).get("rule", []))


@functools.cache
def load_rules() -> tuple[RegionRule, ...]:
    """Every rule shipped in models/regions, file by file in name order."""
    folder = resources.files("pixelscrub.models").joinpath("regions")
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)
    return tuple(rule for f in files for rule in parse_rules(f.read_text("utf-8")))


def matching_regions(get: Getter, rules: Iterable[RegionRule] | None = None) -> list[tuple[str, Box]]:
    """(rule name, box) for every region of every rule whose signature the header meets.

    `get(attribute)` gives the header value as a string (multiple values joined with a backslash) or
    None when absent; attributes are DICOM keywords, or "(GGGG,EEEE)" for tags pydicom cannot name.
    A whole-image rule yields WHOLE_IMAGE. Rules without regions are not returned.
    """
    lookup = functools.cache(get)
    hits = []
    for rule in load_rules() if rules is None else rules:
        boxes = ((WHOLE_IMAGE,) if rule.whole_image else ()) + rule.regions
        if boxes and rule.when.holds(lookup):
            hits.extend((rule.name, box) for box in boxes)
    return hits


def header_getter(ds: Dataset) -> Getter:
    """A `get` over a dataset and its file meta: keywords, or tags written (gggg,eeee).

    A value that cannot be decoded reads as absent: the rule then errs on its "missing" side.
    """
    def get(attribute: str) -> str | None:
        key = int(attribute[1:5] + attribute[6:10], 16) if attribute.startswith("(") else tag_for_keyword(attribute)
        if key is None:  # a repeater keyword (OverlayDescription) names no single tag
            return None
        for source in (ds, getattr(ds, "file_meta", None)):
            try:
                if source is None or key not in source:
                    continue
                value = source[key].value
            except Exception:
                return None
            if isinstance(value, (list, tuple, MultiValue)):
                return "\\".join(str(v) for v in value)
            return "" if value is None else str(value)
        return None
    return get


def phi_regions(ds: Dataset, columns: int, rows: int) -> tuple[tuple[str, Box], ...]:
    """The rectangles the region rules give for this header, clipped to the image.

    A whole-image hit says nothing about where PHI is, so it is left out.
    """
    found = []
    for name, box in matching_regions(header_getter(ds)):
        if box == WHOLE_IMAGE:
            continue
        clipped = box.pad(0, columns, rows)
        if clipped.w > 0 and clipped.h > 0:
            found.append((name, clipped))
    return tuple(found)
