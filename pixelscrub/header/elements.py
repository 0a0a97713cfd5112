"""Walking a dataset's elements without touching the values the reader left in the file."""

from __future__ import annotations

from collections.abc import Iterator

from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset


def in_memory(ds: Dataset) -> Iterator[DataElement]:
    """Every element of `ds` and of its sequences, depth first, except the large values the reader left
    in the file (pixel data): they hold no text, and reading them would pull a whole cine into memory."""
    for tag in ds.keys():
        if getattr(ds.get_item(tag, keep_deferred=True), "value", b"") is None:
            continue
        element = ds[tag]
        yield element
        if element.VR == "SQ":
            for item in element.value or []:
                yield from in_memory(item)
