"""Fake identities: patients, their visits, the staff and the site.

Every patient name is a well-known placeholder name ("DOE, JANE", "MUSTERMANN,
ERIKA"), so no value can be mistaken for a real person, yet each one looks like
what a modality prints.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

GIVEN = {
    "F": ("JANE", "ERIKA", "MARIE", "ANNA", "HANAKO", "LUCIA", "KARI", "EVA", "MARY", "ROSA"),
    "M": ("JOHN", "MAX", "JAN", "OLA", "TARO", "MARIO", "JUAN", "SVEN", "JOE", "PETER"),
}
FAMILY = (
    "DOE", "ROE", "MUSTERMANN", "DUPONT", "ROSSI", "KOWALSKI", "SVENSSON", "JANSEN",
    "BLOGGS", "CITIZEN", "NORDMANN", "NOVAK", "YAMADA", "PEREZ", "PUBLIC", "SAMPLE",
)
STAFF_FAMILY = ("SMITH", "JONES", "TAYLOR", "BROWN", "WILSON", "MILLER", "MOORE", "CLARK", "WALKER", "HALL")
STAFF_GIVEN = ("JOHN", "MARY", "DAVID", "SUSAN", "PAUL", "LINDA", "MARK", "KAREN", "ALAN", "NORA")
SITES = (
    ("ST MARY MED CTR", "100 Example Ave, Springfield"),
    ("NORTHSIDE GENERAL HOSP", "12 Sample Rd, Riverton"),
    ("LAKEVIEW HEART INST", "7 Placeholder Blvd, Lakeview"),
    ("CITY CLINIC EAST", "55 Test St, Eastbury"),
    ("ST JUDE REGIONAL", "1 Synthetic Way, Fairfield"),
    ("VALLEY MEDICAL CENTER", "230 Demo Dr, Greenvale"),
)


@dataclass(frozen=True)
class Person:
    family: str
    given: str

    @property
    def dicom(self) -> str:
        return f"{self.family}^{self.given}"


@dataclass(frozen=True)
class Patient:
    person: Person
    sex: str
    birth: dt.date
    patient_id: str


@dataclass(frozen=True)
class Visit:
    """One patient's study: who, when and where, i.e. everything a device may print."""

    patient: Patient
    start: dt.datetime
    institution: str
    address: str
    referring: Person
    operator: Person
    accession: str
    study_id: str

    @property
    def age(self) -> int:
        birth, day = self.patient.birth, self.start.date()
        return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _digits(r: random.Random, n: int) -> str:
    return "".join(r.choice("0123456789") for _ in range(n))


def _patient_id(r: random.Random) -> str:
    """Real IDs are either plain digits or a site prefix followed by digits."""
    if r.random() < 0.7:
        return r.choice("123456789") + _digits(r, r.randint(6, 9))
    return r.choice(("AB", "MR", "KX", "RH", "ZT")) + _digits(r, r.randint(5, 7))


def _staff(r: random.Random) -> Person:
    return Person(r.choice(STAFF_FAMILY), r.choice(STAFF_GIVEN))


def make_visit(r: random.Random) -> Visit:
    sex = r.choice("FM")
    start = dt.datetime(2019, 1, 1, 7) + dt.timedelta(
        days=r.randint(0, 6 * 365), seconds=r.randint(0, 11 * 3600)
    )
    birth = dt.date(1935, 1, 1) + dt.timedelta(days=r.randint(0, 70 * 365))
    institution, address = r.choice(SITES)
    return Visit(
        patient=Patient(Person(r.choice(FAMILY), r.choice(GIVEN[sex])), sex, birth, _patient_id(r)),
        start=start,
        institution=institution,
        address=address,
        referring=_staff(r),
        operator=_staff(r),
        accession=r.choice(("A", "E", "")) + _digits(r, 8),
        study_id=str(r.randint(100, 99999)),
    )
