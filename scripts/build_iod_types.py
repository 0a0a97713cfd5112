"""Derive pixelscrub/data/iod-attribute-types.json from highdicom's copy of the DICOM standard tables.

PS3.15 combined actions (X/Z, Z/D, X/D, X/Z/D, X/Z/U*) depend on the attribute's type in the object's
IOD. pixelscrub needs only those attributes' types, so it ships this small extract instead of the
standard's 22 MB module tables. Re-run when the pinned PS3.15 table or the highdicom release changes:

    pip download --no-deps highdicom==0.28.2 -d /tmp/hd && unzip -q /tmp/hd/highdicom-*.whl -d /tmp/hd/x
    python scripts/build_iod_types.py /tmp/hd/x/highdicom/_standard 0.28.2
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydicom.datadict import keyword_for_tag

REPO = Path(__file__).resolve().parent.parent
STRICTNESS = {"1": 0, "1C": 0, "2": 1, "2C": 1, "3": 2}  # conditional types count as required
TYPE_NAMES = ("1", "2")


def combined_keywords() -> set[str]:
    table = json.loads((REPO / "pixelscrub/data/ps3.15-2024b-table-e1-1.json").read_text())
    keywords = set()
    for row in table:
        if "/" in row["basicProfile"] and "x" not in row["id"] and not row["id"].startswith("gggg"):
            keywords.add(keyword_for_tag(int(row["id"], 16)))
    return keywords


def main(source: Path, release: str) -> None:
    sop_classes = json.loads((source / "sop_class_iod_map.json").read_text())
    iod_modules = json.loads((source / "iod_module_map.json").read_text())
    module_attributes = json.loads((source / "module_attribute_map.json").read_text())
    wanted = combined_keywords()
    iods = {}
    for iod, modules in sorted(iod_modules.items()):
        types: dict[str, int] = {}
        for module in modules:
            for attribute in module_attributes.get(module["key"], []):
                if attribute["keyword"] in wanted and attribute["type"] in STRICTNESS:
                    path = "/".join([*attribute["path"], attribute["keyword"]])
                    types[path] = min(types.get(path, 2), STRICTNESS[attribute["type"]])
        # Type 3 behaves as unknown (the first action applies), so only types 1 and 2 are kept.
        iods[iod] = {path: TYPE_NAMES[rank] for path, rank in sorted(types.items()) if rank < 2}
    out = {
        "source": f"highdicom {release} (_standard/*.json, MIT), which holds the DICOM standard's IOD and "
                  "module tables as published by innolitics/dicom-standard; extracted by "
                  "scripts/build_iod_types.py",
        "note": "strictest type of each PS3.15 combined-action attribute per IOD, by sequence path; "
                "1C counts as 1 and 2C as 2; attributes of type 3 are left out",
        "sop_classes": dict(sorted(sop_classes.items())),
        "iods": iods,
    }
    target = REPO / "pixelscrub/data/iod-attribute-types.json"
    target.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {target} ({target.stat().st_size // 1024} KiB, {len(iods)} IODs, {len(wanted)} attributes)")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
