"""The pinned PS3.15 Table E.1-1, as a lookup from a data element tag to its Basic Profile action.

The table is shipped as package data so every output can name the edition it was cleaned with.
Rows with masked tags (50xx curves, 60xx overlays) match every group of their repeating range.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

EDITION = "2024b"
TABLE_FILE = "ps3.15-2024b-table-e1-1.json"


@dataclass(frozen=True)
class ProfileRow:
    tag_text: str
    name: str
    basic: str
    options: dict[str, str]


@dataclass(frozen=True)
class ProfileTable:
    exact: dict[int, ProfileRow]
    masked: tuple[tuple[int, int, ProfileRow], ...]  # (mask, value, row): tag & mask == value
    private: ProfileRow

    def row_for(self, tag: int) -> ProfileRow | None:
        """The row that governs `tag`, or None when the table does not name it (the element is kept)."""
        if (tag >> 16) % 2 == 1:
            return self.private
        row = self.exact.get(tag)
        if row is not None:
            return row
        for mask, value, masked_row in self.masked:
            if tag & mask == value:
                return masked_row
        return None


def _mask_and_value(tag_id: str) -> tuple[int, int]:
    """'60xx3000' -> (0xFF00FFFF, 0x60003000); 'x' digits are wildcards."""
    mask = int("".join("0" if c == "x" else "F" for c in tag_id), 16)
    value = int("".join("0" if c == "x" else c for c in tag_id), 16)
    return mask, value


@cache
def load_table() -> ProfileTable:
    raw = json.loads(resources.files("pixelscrub").joinpath("data", TABLE_FILE).read_text("utf-8"))
    exact: dict[int, ProfileRow] = {}
    masked: list[tuple[int, int, ProfileRow]] = []
    private = None
    fixed = {"name", "tag", "stdCompIOD", "basicProfile", "id"}
    for entry in raw:
        row = ProfileRow(
            tag_text=entry["tag"],
            name=entry["name"],
            basic=entry["basicProfile"],
            options={k: v for k, v in entry.items() if k not in fixed},
        )
        tag_id = entry["id"].lower()
        if tag_id.startswith("gggg"):
            private = row
        elif "x" in tag_id:
            mask, value = _mask_and_value(tag_id)
            masked.append((mask, value, row))
        else:
            exact[int(tag_id, 16)] = row
    if private is None:
        raise RuntimeError(f"{TABLE_FILE} has no private-attributes row")
    return ProfileTable(exact=exact, masked=tuple(masked), private=private)
