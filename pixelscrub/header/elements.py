"""Walking a dataset's elements without touching the values the reader left in the file."""

from __future__ import annotations

from collections.abc import Iterator

from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset

PIXEL_TAGS = frozenset({0x7FE00008, 0x7FE00009, 0x7FE00010})  # float, double and integer pixel data


def in_memory(ds: Dataset) -> Iterator[DataElement]:
    """Every element of `ds` and of its sequences, depth first, except the large values the reader left
    in the file (pixel data): they hold no text, and reading them would pull a whole cine into memory.
    An element pydicom cannot decode (an unknown VR) is skipped: the reader makes such elements UN, and
    the header stage removes what it cannot process."""
    for tag in ds.keys():
        if getattr(ds.get_item(tag, keep_deferred=True), "value", b"") is None:
            continue
        try:
            element = ds[tag]
        except Exception:  # its message could quote the value
            continue
        yield element
        if element.VR == "SQ":
            for item in element.value or []:
                yield from in_memory(item)


def attribute_name(element: DataElement) -> str:
    """How reasons, findings and the manifest name an element: its keyword, else its tag (private and
    unknown elements). Never its value."""
    tag = element.tag
    return element.keyword or f"({tag.group:04X},{tag.element:04X})"
