"""Ground truth for `pixelscrub evaluate`: where the text is in each input image, and which of it is PHI.

Three formats are read into the same items:
- pixelscrub's own `truth.json`, written by `pixelscrub synth` (PHI and clinical text, with kinds);
- Presidio's `ground_truth.json`: `{file: [{label, left, top, width, height}]}`, every box PHI. Presidio
  pads the image with 25 px before OCR and records boxes in the padded image; they are moved back here;
- a CSV for hand labelling: `file,x,y,width,height` and optional `text`, `phi` (1/0, default 1) and
  `kind` columns.

A truth entry names its file relative to the input folder; Presidio's names (`sample_data/2_ORIGINAL.dcm`)
also match an input whose flattened name ends with them (`..._sample_data_2_ORIGINAL.dcm`).
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

from pixelscrub.errors import BadArgsError

PRESIDIO_PADDING = 25
DATE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")


@dataclass(frozen=True)
class TruthItem:
    text: str
    box: tuple[int, int, int, int]  # x, y, width, height in stored pixels
    phi: bool
    kind: str


@dataclass(frozen=True)
class Truth:
    files: dict[str, list[TruthItem]]  # input-relative path -> items; an image without text has none
    unmatched: tuple[str, ...]  # truth entries that name no input file


def load_truth(path: Path, sources: list[str]) -> Truth:
    """Read `path` in whichever of the three formats it is, keyed by the matching entries of `sources`."""
    if not path.is_file():
        raise BadArgsError(f"--truth {path} does not exist")
    if path.suffix.lower() == ".csv":
        entries = _csv(path)
    else:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise BadArgsError(f"--truth {path} is neither JSON nor a .csv file") from None
        if isinstance(doc, dict) and isinstance(doc.get("files"), list):
            entries = _pixelscrub(doc)
        elif isinstance(doc, dict) and all(isinstance(v, list) for v in doc.values()):
            entries = _presidio(doc)
        else:
            raise BadArgsError(f"--truth {path}: not pixelscrub's truth.json, Presidio's ground truth or a CSV")
    files, unmatched = {}, []
    for name, items in entries.items():
        source = _match(name, sources)
        if source is None:
            unmatched.append(name)
        else:
            files.setdefault(source, []).extend(items)
    return Truth(files, tuple(unmatched))


def _match(name: str, sources: list[str]) -> str | None:
    if name in sources:
        return name
    flat = name.replace("/", "_")
    found = [s for s in sources if s.replace("/", "_").endswith("_" + flat)]
    return found[0] if len(found) == 1 else None


def _pixelscrub(doc: dict) -> dict[str, list[TruthItem]]:
    return {entry["path"]: [TruthItem(item["text"], tuple(item["box"]), bool(item["phi"]), item["kind"])
                            for item in entry["items"]]
            for entry in doc["files"]}


def presidio_kind(label: str) -> str:
    if DATE.fullmatch(label):
        return "date"
    return "id" if label.isdigit() else "word"


def _presidio(doc: dict) -> dict[str, list[TruthItem]]:
    entries = {}
    for name, boxes in doc.items():
        items = []
        for box in boxes:
            x, y = box["left"] - PRESIDIO_PADDING, box["top"] - PRESIDIO_PADDING
            width, height = box["width"] + min(0, x), box["height"] + min(0, y)
            items.append(TruthItem(str(box["label"]), (max(0, x), max(0, y), width, height), True,
                                   presidio_kind(str(box["label"]))))
        entries[name] = items
    return entries


def _csv(path: Path) -> dict[str, list[TruthItem]]:
    entries: dict[str, list[TruthItem]] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = {"file", "x", "y", "width", "height"} - set(reader.fieldnames or ())
        if missing:
            raise BadArgsError(f"--truth {path}: the CSV needs the columns {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            try:
                box = tuple(int(row[key]) for key in ("x", "y", "width", "height"))
            except ValueError:
                raise BadArgsError(f"--truth {path}, line {line}: x, y, width and height must be whole numbers") \
                    from None
            phi = (row.get("phi") or "1").strip().lower() not in ("0", "false", "no")
            kind = (row.get("kind") or "").strip() or ("phi" if phi else "clinical")
            entries.setdefault(row["file"], []).append(TruthItem(row.get("text") or "", box, phi, kind))
    return entries
