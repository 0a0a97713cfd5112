"""Dates as they are burned into images, parsed into candidate calendar dates.

Devices print dates in every order and format, and a written date is often ambiguous (04/05/2024),
so a match yields every valid reading; the matcher compares them with the header's dates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {m: i for i, m in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1)}
_MON = (r"(?P<mon>JAN(?:UARY)?|FEB(?:RUARY)?|MAR(?:CH)?|APR(?:IL)?|MAY|JUNE?|JULY?|AUG(?:UST)?"
        r"|SEPT?(?:EMBER)?|OCT(?:OBER)?|NOV(?:EMBER)?|DEC(?:EMBER)?)\.?(?![A-Z])")
_SEP = r"[-/.]"

# Named groups: y (4 or 2 digits), m (month number) or mon (month name), d; or a/b for the two
# ambiguous day-month fields of 01/02/2024.
PATTERNS = (
    re.compile(rf"(?<!\d)(?P<y>\d{{4}}){_SEP}(?P<m>\d{{1,2}}){_SEP}(?P<d>\d{{1,2}})(?!\d)"),
    re.compile(rf"(?<!\d)(?P<a>\d{{1,2}})(?P<s>{_SEP})(?P<b>\d{{1,2}})(?P=s)(?P<y>\d{{4}}|\d{{2}})(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"),
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})[- ]?{_MON}[- ,.]*(?P<y>\d{{4}}|\d{{2}})(?!\d)", re.I),
    re.compile(rf"(?<![A-Z]){_MON}[- ]?(?P<d>\d{{1,2}})(?:ST|ND|RD|TH)?,?[- ]+(?P<y>\d{{4}})(?!\d)", re.I),
)
PARTIAL_PATTERNS = (
    re.compile(rf"(?<![A-Z]){_MON}[- ,]*(?P<y>\d{{4}})(?!\d)", re.I),
    re.compile(r"(?<![\d/.-])(?P<m>0?[1-9]|1[0-2])[/.-](?P<y>(?:19|20)\d{2})(?![\d/.-])"),
)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    readings: tuple[dt.date, ...]    # full dates this text can mean
    months: tuple[tuple[int, int], ...]  # (year, month) for partial dates like "Jan 2024"


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 50 else 1900
    return year


def _date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _month(groups: dict) -> int:
    return MONTHS[groups["mon"].upper()[:3]] if groups.get("mon") else int(groups["m"])


def _readings(match: re.Match) -> tuple[dt.date, ...]:
    groups = match.groupdict()
    candidates: list[dt.date | None] = []
    if "a" in groups and groups.get("a"):
        a, b, y = int(groups["a"]), int(groups["b"]), groups["y"]
        candidates += [_date(_year(y), a, b), _date(_year(y), b, a)]  # M/D/Y and D/M/Y
        if len(y) == 2:  # YY/MM/DD, as some devices print it
            candidates.append(_date(_year(groups["a"]), b, int(y)))
    else:
        candidates.append(_date(_year(groups["y"]), _month(groups), int(groups["d"])))
    return tuple(sorted({c for c in candidates if c}))


def find_dates(text: str) -> list[DateMention]:
    """Every full or partial date written in `text`, with all the calendar dates it can mean."""
    mentions: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            readings = _readings(match)
            if readings:
                mentions.append(DateMention(match.start(), match.end(), readings, ()))
                taken.append(match.span())
    for pattern in PARTIAL_PATTERNS:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            groups = match.groupdict()
            mentions.append(DateMention(match.start(), match.end(), (), ((_year(groups["y"]), _month(groups)),)))
            taken.append(match.span())
    return sorted(mentions, key=lambda m: m.start)
