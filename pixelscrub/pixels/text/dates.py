"""Dates as they are burned into images, parsed into candidate calendar dates.

Devices print dates in every order and format, and a written date is often ambiguous (04/05/2024),
so a match yields every valid reading; the matcher compares them with the header's dates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# Month names as devices print them, in the languages vendors ship their screens in (English, French,
# German, Spanish, Italian, Dutch, Portuguese): the full names, any first three letters or more of
# them, and the odd abbreviation that is no prefix (German MRZ, Dutch MRT). Accents are optional,
# since OCR often drops them.
MONTH_NAMES = {
    1: ("JANUARY", "JANVIER", "JANUAR", "JÄNNER", "ENERO", "GENNAIO", "JANUARI", "JANEIRO"),
    2: ("FEBRUARY", "FÉVRIER", "FEBRUAR", "FEBRERO", "FEBBRAIO", "FEBRUARI", "FEVEREIRO"),
    3: ("MARCH", "MARS", "MÄRZ", "MARZO", "MAART", "MARÇO", "MRZ", "MRT"),
    4: ("APRIL", "AVRIL", "ABRIL", "APRILE"),
    5: ("MAY", "MAI", "MAYO", "MAGGIO", "MEI", "MAIO"),
    6: ("JUNE", "JUIN", "JUNI", "JUNIO", "GIUGNO", "JUNHO"),
    7: ("JULY", "JUILLET", "JULI", "JULIO", "LUGLIO", "JULHO"),
    8: ("AUGUST", "AOÛT", "AGOSTO", "AUGUSTUS"),
    9: ("SEPTEMBER", "SEPTEMBRE", "SEPTIEMBRE", "SETTEMBRE", "SETEMBRO"),
    10: ("OCTOBER", "OCTOBRE", "OKTOBER", "OCTUBRE", "OTTOBRE", "OUTUBRO"),
    11: ("NOVEMBER", "NOVEMBRE", "NOVIEMBRE", "NOVEMBRO"),
    12: ("DECEMBER", "DÉCEMBRE", "DEZEMBER", "DICIEMBRE", "DICEMBRE", "DEZEMBRO"),
}


def _unaccented(text: str) -> str:
    return text.translate(str.maketrans("ÄÂÉÈÊÇÛÔ", "AAEEECUO"))


def _month_words() -> dict[str, int]:
    words = {}
    for number, names in MONTH_NAMES.items():
        for name in names:
            for form in {name, _unaccented(name)}:
                for end in range(3, len(form) + 1):
                    words.setdefault(form[:end], number)
    return words


MONTHS = _month_words()
_MON = "(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?(?![A-ZÀ-Ý])"
_SEP = r"[-/.]"

# Named groups: y (4 or 2 digits), m (month number) or mon (month name), d; or a/b for the two
# ambiguous day-month fields of 01/02/2024.
PATTERNS = (
    re.compile(rf"(?<!\d)(?P<y>\d{{4}}){_SEP}(?P<m>\d{{1,2}}){_SEP}(?P<d>\d{{1,2}})(?!\d)"),
    re.compile(rf"(?<!\d)(?P<a>\d{{1,2}})(?P<s>{_SEP})(?P<b>\d{{1,2}})(?P=s)(?P<y>\d{{4}}|\d{{2}})(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"),
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})[- ]?{_MON}[- ,.]*(?P<y>\d{{4}})(?!\d)", re.I),
    # A two-digit year only between dashes or dots ("07-FEV-06"): "1 Gen 50" is a preset and a gain.
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})[-.]{_MON}[-.](?P<y>\d{{2}})(?!\d)", re.I),
    re.compile(rf"(?<![A-Z]){_MON}[- ]?(?P<d>\d{{1,2}})(?:ST|ND|RD|TH)?,?[- ]+(?P<y>\d{{4}})(?!\d)", re.I),
    re.compile(rf"(?<!\d)(?P<y>(?:19|20)\d{{2}})[- ]?{_MON}[- ,.]*(?P<d>\d{{1,2}})(?!\d)", re.I),  # 2018 Oct 23
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
    return MONTHS[groups["mon"].upper()] if groups.get("mon") else int(groups["m"])


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
