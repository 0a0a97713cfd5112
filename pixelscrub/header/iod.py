"""Choosing between the actions of a combined PS3.15 code from the attribute's type in its IOD.

The standard's rule: take the first action unless the attribute's type in the object's IOD needs a
later one to keep the object conformant (Type 2: present, may be empty; Type 1: present with a
value). Types come from the shipped extract (data/iod-attribute-types.json); where the type is
unknown, the first and most protective action applies.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

TYPES_FILE = "iod-attribute-types.json"


@cache
def _types() -> dict:
    return json.loads(resources.files("pixelscrub").joinpath("data", TYPES_FILE).read_text("utf-8"))


def attribute_type(sop_class_uid: str, path: tuple[str, ...]) -> str | None:
    """'1' or '2' for an attribute at `path` (sequence keywords, then its own), else None."""
    data = _types()
    iod = data["sop_classes"].get(sop_class_uid)
    if iod is None:
        return None
    return data["iods"].get(iod, {}).get("/".join(path))


# What each type allows: Type 1 must be present with a value, Type 2 present (possibly empty).
CONFORMANT = {"1": {"D", "U*", "U", "K", "C"}, "2": {"Z", "D", "U*", "U", "K", "C"}}


def choose(code: str, attribute_type: str | None) -> str:
    """The first action of `code` that keeps the attribute conformant to its type: X, Z, D, K, C, U or
    U* (keep the sequence and replace the UIDs in it). Unknown or Type 3: the first action.

    X/Z/U* (Referenced Image Sequence, Source Image Sequence) is always U*: the standard allows it for
    referential integrity, the UIDs inside are replaced and everything else in it is cleaned by the
    table, so keeping the references costs no privacy.
    """
    actions = code.split("/")
    if "U*" in actions:
        return "U*"
    allowed = CONFORMANT.get(attribute_type or "")
    if allowed is None:
        return actions[0]
    return next((a for a in actions if a in allowed), actions[-1])
