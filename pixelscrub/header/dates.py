"""Modified dates: one offset per project, applied to every date so that intervals are kept.

The offset is whole days, so times of day stay valid. It comes from the config or, by default, from
the project key (1 to 10 years back), so it is the same in every run and unknown without the key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

OLDEST_AGE_YEARS = 89
AGE = re.compile(r"^(\d{3})([DWMY])$")
DAYS_PER_UNIT = {"D": 1, "W": 7, "M": 30.44, "Y": 365.25}


def offset_from_key(key: bytes) -> int:
    """A shift of -3650 to -365 days, fixed by the project key."""
    digest = hmac.new(key, b"pixelscrub date offset", hashlib.sha256).digest()
    return -(365 + int.from_bytes(digest[:4], "big") % (3650 - 365 + 1))


def _parse_da(text: str) -> dt.date | None:
    digits = text.strip().replace(".", "")  # ACR-NEMA wrote 2024.01.31
    if len(digits) != 8 or not digits.isdigit():
        return None
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def shift_da(value: str, days: int) -> str | None:
    """A DA value (or a DA range 'A-B') moved by `days`; None when it is not a date."""
    parts = value.split("-") if "-" in value else [value]
    shifted = []
    for part in parts:
        if not part.strip():
            shifted.append("")
            continue
        date = _parse_da(part)
        if date is None:
            return None
        try:
            shifted.append((date + dt.timedelta(days=days)).strftime("%Y%m%d"))
        except OverflowError:
            return None
    return "-".join(shifted)


def shift_dt(value: str, days: int) -> str | None:
    """A DT value with its date part moved; time, fraction and UTC offset kept. None if it has no full date."""
    text = value.strip()
    head = shift_da(text[:8], days) if len(text) >= 8 else None
    return head + text[8:] if head else None


def cap_age(value: str) -> str:
    """Ages over 89 years become 090Y, as HIPAA Safe Harbor requires; other ages are kept."""
    match = AGE.match(value.strip())
    if not match:
        return value
    days = int(match.group(1)) * DAYS_PER_UNIT[match.group(2)]
    return "090Y" if days > OLDEST_AGE_YEARS * 365.25 else value
