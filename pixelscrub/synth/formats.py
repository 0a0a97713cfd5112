"""The many ways devices print one name, date or time.

A scrubber must recognise "DOE, JANE", "Jane Doe" and "DOE^JANE" as the same
person, and "31-JAN-2024" and "01/31/2024" as the same day, so the generator
varies them the way real vendors do.
"""

from __future__ import annotations

import datetime as dt

from pixelscrub.synth.people import Person

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
NAME_STYLES = ("family_comma_given", "given_family", "dicom", "family_given")
DATE_STYLES = ("us", "dotted", "day_mon_year", "iso", "mon_day_year", "dicom")
TIME_STYLES = ("24h", "12h", "24h_short")
AGE_STYLES = ("compact", "spaced")
PHYSICIAN_STYLES = ("doctor", "family_initial")


def name(person: Person, style: str) -> str:
    family, given = person.family, person.given
    return {
        "family_comma_given": f"{family}, {given}",
        "given_family": f"{given.title()} {family.title()}",
        "dicom": f"{family}^{given}",
        "family_given": f"{family} {given}",
    }[style]


def physician(person: Person, style: str) -> list[tuple[str, str]]:
    """Text parts and their kinds: the "Dr." title is a label of its own, the name is the PHI."""
    if style == "doctor":
        return [("Dr.", "label"), (person.family, "physician")]
    return [(f"{person.family.title()} {person.given[0]}", "physician")]


def date(day: dt.date, style: str) -> str:
    """Month names come from a fixed table so the output never depends on the locale."""
    mon = MONTHS[day.month - 1]
    return {
        "us": f"{day.month:02d}/{day.day:02d}/{day.year}",
        "dotted": f"{day.day:02d}.{day.month:02d}.{day.year}",
        "day_mon_year": f"{day.day:02d}-{mon}-{day.year}",
        "iso": f"{day.year}-{day.month:02d}-{day.day:02d}",
        "mon_day_year": f"{mon.title()} {day.day} {day.year}",
        "dicom": f"{day.year}{day.month:02d}{day.day:02d}",
    }[style]


def time(moment: dt.time, style: str) -> str:
    if style == "12h":
        hour = moment.hour % 12 or 12
        half = "AM" if moment.hour < 12 else "PM"
        return f"{hour}:{moment.minute:02d}:{moment.second:02d} {half}"
    if style == "24h_short":
        return f"{moment.hour:02d}:{moment.minute:02d}"
    return f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"


def age(years: int, style: str) -> str:
    return f"{years}Y" if style == "compact" else f"{years} y"
