"""Keyed, deterministic UID replacement.

The same original UID always maps to the same new UID under one project key, so references between
instances still resolve and later runs agree; without the key the mapping cannot be reversed or redone.
"""

from __future__ import annotations

import hashlib
import hmac


def remap_uid(key: bytes, uid: str) -> str:
    """A `2.25.` UID derived from HMAC-SHA256 of the original under the project key."""
    digest = hmac.new(key, uid.strip().encode("ascii", "replace"), hashlib.sha256).digest()
    return "2.25." + str(int.from_bytes(digest[:16], "big"))
