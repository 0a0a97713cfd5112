"""Retain Safe Private: the TCIA private tag knowledge base, looked up by private creator and element.

A private element is identified by its group, its private creator's name and the low byte of its
element number, inside the sequence path where it occurs. The knowledge base says keep, delete, hash
or offset (a date); everything it does not name is deleted.
"""

from __future__ import annotations

import csv
import io
import re
from functools import cache
from importlib import resources

from pydicom.dataset import Dataset
from pydicom.tag import BaseTag

KB_FILE = "TCIAPrivateTagKB-02-01-2024-formatted.csv"
# The file's quoting of creator names is inconsistent ("GEIIS", GEIIS", ""GEIIS""): quotes are ignored.
SEGMENT = re.compile(r'\((?P<group>[0-9a-fA-F]{4}),(?:"*(?P<creator>[^"()]*?)"*,(?P<element>[0-9a-fA-F]{2})'
                     r'|(?P<public>[0-9a-fA-F]{4}))\)')
DISPOSITIONS = {"k": "keep", "h": "hash", "o": "offset"}  # d, na, oi and blanks: delete
PROTECTION = ("keep", "offset", "hash", "delete")  # where rows for one element disagree, the later wins

Segment = tuple[str, ...]  # ("0008", "1084") public, or ("0019", "GEMS_ACQU_01", "0A") private


def _segments(signature: str) -> tuple[Segment, ...] | None:
    found = []
    for match in SEGMENT.finditer(signature):
        if match.group("public"):
            found.append((match.group("group").upper(), match.group("public").upper()))
        elif match.group("creator"):
            found.append((match.group("group").upper(), match.group("creator").strip(), match.group("element").upper()))
        else:  # a private element whose creator the KB does not know cannot be matched
            return None
    return tuple(found) or None


@cache
def knowledge_base() -> dict[tuple[Segment, ...], str]:
    text = resources.files("pixelscrub").joinpath("data", KB_FILE).read_text("utf-8-sig")
    kb: dict[tuple[Segment, ...], str] = {}
    for row in csv.DictReader(io.StringIO(text)):
        path = _segments(row["element_sig_pattern"])
        if path is None:
            continue
        chosen = DISPOSITIONS.get(row["private_disposition"].strip().lower(), "delete")
        kb[path] = max(kb.get(path, "keep"), chosen, key=PROTECTION.index)
    return {path: chosen for path, chosen in kb.items() if chosen != "delete"}


def public_segment(tag: BaseTag) -> Segment:
    return (f"{tag.group:04X}", f"{tag.element:04X}")


def private_segment(ds: Dataset, tag: BaseTag) -> Segment | None:
    """The element's (group, creator, element byte), or None when its creator is missing."""
    creator_tag = BaseTag((tag.group << 16) | (tag.element >> 8))
    if creator_tag not in ds or tag.element < 0x1000:
        return None
    creator = str(ds[creator_tag].value or "").strip()
    return (f"{tag.group:04X}", creator, f"{tag.element & 0xFF:02X}") if creator else None


def disposition(path: tuple[Segment, ...]) -> str:
    """'keep', 'hash', 'offset' or 'delete' for a private element at `path`."""
    return knowledge_base().get(path, "delete")
