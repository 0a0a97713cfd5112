"""The many ways devices print one name, date, time, age or staff member, across languages.

A scrubber must see "GARCÍA^MARÍA", "Garcia, Maria" and "María García" as one
person and "12.03.1961", "03/12/61", "12 mars 1961" and "MAR-1961" as one
birth date; the wild layouts draw all of them. Month names come from fixed
tables so the output never depends on the locale.
"""

from __future__ import annotations

import datetime as dt
import random

from pixelscrub.synth.wild.identity import Person
from pixelscrub.synth.wild.words import DOCTOR_TITLES

MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."),
    "de": ("Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sep.", "Okt.", "Nov.", "Dez."),
    "es": ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"),
    "it": ("gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"),
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "pt": ("jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"),
}
NAME_STYLES = ("caret", "comma", "colon", "given_family", "family_given_middle", "family_title", "title_comma",
               "initial_family")
DATE_STYLES = ("dotted", "dmy_slash", "mdy_slash", "mdy_short", "iso", "dicom", "day_month_year", "dashed_upper",
               "ymd_slash")
BIRTH_ONLY_STYLES = ("month_year",)  # "JUL-1988": a birth month, never a study day
TIME_STYLES = ("hms", "hm", "12h", "12h_short", "h_letter")
AGE_UNITS = {"en": ("yrs", "y"), "fr": ("ans",), "de": ("J", "Jahre"), "es": ("años", "a"), "it": ("anni", "a"),
             "nl": ("jr", "jaar"), "pt": ("anos", "A")}
PHYSICIAN_STYLES = ("title_family", "family_initial", "given_family", "initials", "caret")


def name(person: Person, style: str) -> str:
    family, given, middle = person.family, person.given, person.middle
    return {
        "caret": person.dicom,
        "comma": f"{family}, {given}",
        "colon": f"{family}: {given}",
        "given_family": f"{given.title()} {family.title()}",
        "family_given_middle": f"{family} {given} {middle}".strip(),
        "family_title": f"{family} {given.title()}",
        "title_comma": f"{family.title()}, {given.title()}",
        "initial_family": f"{given[0]}. {family.title()}",
    }[style]


def date(day: dt.date, style: str, language: str) -> str:
    mon = MONTHS[language][day.month - 1]
    upper = MONTHS["en"][day.month - 1].upper()
    return {
        "dotted": f"{day.day:02d}.{day.month:02d}.{day.year}",
        "dmy_slash": f"{day.day:02d}/{day.month:02d}/{day.year}",
        "mdy_slash": f"{day.month:02d}/{day.day:02d}/{day.year}",
        "mdy_short": f"{day.month:02d}/{day.day:02d}/{day.year % 100:02d}",
        "iso": f"{day.year}-{day.month:02d}-{day.day:02d}",
        "dicom": f"{day.year}{day.month:02d}{day.day:02d}",
        "day_month_year": f"{day.day}{'.' if language == 'de' else ''} {mon} {day.year}",
        "dashed_upper": f"{day.day:02d}-{upper}-{day.year}",
        "ymd_slash": f"{day.year}/{day.month:02d}/{day.day:02d}",
        "month_year": f"{upper}-{day.year}",
    }[style]


def date_style(language: str, r: random.Random) -> str:
    """Month-first dates are American; elsewhere they are rare."""
    styles = [s for s in DATE_STYLES if language == "en" or not s.startswith("mdy") or r.random() < 0.1]
    return r.choice(styles)


def time(moment: dt.time, style: str) -> str:
    hour12, half = moment.hour % 12 or 12, "AM" if moment.hour < 12 else "PM"
    return {
        "hms": f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}",
        "hm": f"{moment.hour:02d}:{moment.minute:02d}",
        "12h": f"{hour12}:{moment.minute:02d}:{moment.second:02d} {half}",
        "12h_short": f"{hour12}:{moment.minute:02d} {half}",
        "h_letter": f"{moment.hour}h{moment.minute:02d}",
    }[style]


def age(years: int, language: str, r: random.Random) -> str:
    """"36Y", "036Y", "45 yrs", "45 ans", "45 J"..."""
    return r.choice((f"{years}Y", f"{years:03d}Y", f"{years} {r.choice(AGE_UNITS[language])}"))


def staff(person: Person, style: str, language: str) -> list[tuple[str, str]]:
    """Text parts and kinds for a staff member: a title is a label of its own, the rest is the PHI."""
    if style == "title_family":
        return [(DOCTOR_TITLES[language][0], "label"), (person.family.title(), "physician")]
    text = {
        "family_initial": f"{person.family} {person.given[0]}",
        "given_family": f"{person.given.title()} {person.family.title()}",
        "initials": person.initials,
        "caret": f"{person.family}^{person.given}",
    }[style]
    return [(text, "physician")]
