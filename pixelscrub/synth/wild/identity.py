"""Fictional patients, staff and sites of seven countries, for the wild archive.

The names are common surnames and given names of each language (with their
accents, particles, hyphens and apostrophes, which devices print in many ways)
combined at random; the sites are invented. None of them is the standard
generator's, so a detector fitted to those has seen none of these.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

FAMILY = {
    "en": ("HARRISON", "PATEL", "O'BRIEN", "NGUYEN", "MCALLISTER", "WHITFIELD", "OKAFOR", "BRENNAN"),
    "fr": ("LEFEBVRE", "MOREAU", "FONTAINE", "GIRARD", "DUBOIS-MARCHAL", "LE GOFF", "FAURE", "CHEVALIER"),
    "de": ("SCHNEIDER", "BECKER", "HOFFMANN", "KRÜGER", "SCHÄFER", "VOGEL", "LEHMANN", "BRAUN"),
    "es": ("GARCÍA", "FERNÁNDEZ", "LÓPEZ", "MARTÍNEZ", "RUIZ", "SÁNCHEZ-MORA", "DE LA FUENTE", "IBÁÑEZ"),
    "it": ("BIANCHI", "ESPOSITO", "COLOMBO", "RICCI", "DE LUCA", "GALLO", "FONTANA", "CARUSO"),
    "nl": ("DE VRIES", "VAN DIJK", "BAKKER", "VISSER", "VAN DEN BERG", "SMIT", "MEIJER", "DE GROOT"),
    "pt": ("SILVA", "SANTOS", "FERREIRA", "PEREIRA", "COSTA", "GONÇALVES", "RODRIGUES", "ALMEIDA"),
}
GIVEN = {
    "en": {"F": ("EMILY", "GRACE", "AISHA", "MEGAN"), "M": ("OLIVER", "THOMAS", "RAJ", "LIAM")},
    "fr": {"F": ("CAMILLE", "ÉLODIE", "SOPHIE", "MANON"), "M": ("JULIEN", "THÉO", "NICOLAS", "ANTOINE")},
    "de": {"F": ("SABINE", "KATRIN", "LENA", "ANKE"), "M": ("JÜRGEN", "TOBIAS", "KLAUS", "FELIX")},
    "es": {"F": ("MARÍA", "LUCÍA", "CARMEN", "ROCÍO"), "M": ("JAVIER", "ÁLVARO", "JOSÉ", "SERGIO")},
    "it": {"F": ("GIULIA", "FRANCESCA", "CHIARA", "ILARIA"), "M": ("LUCA", "MATTEO", "GIUSEPPE", "NICCOLÒ")},
    "nl": {"F": ("SANNE", "ANOUK", "FLEUR", "NOOR"), "M": ("DAAN", "SEM", "BRAM", "JOOST")},
    "pt": {"F": ("INÊS", "BEATRIZ", "JOANA", "CONCEIÇÃO"), "M": ("JOÃO", "TIAGO", "RUI", "SEBASTIÃO")},
}
STAFF = {
    "en": ("CARTER", "FLEMING", "AHMED", "DOUGLAS", "REID"),
    "fr": ("MARTIN", "ROUSSEAU", "BLANC", "GUÉRIN", "MERCIER"),
    "de": ("WEBER", "FISCHER", "WAGNER", "KÖHLER", "ZIMMERMANN"),
    "es": ("NAVARRO", "ROMERO", "GIL", "MOLINA", "DELGADO"),
    "it": ("ROMANO", "MARINO", "GRECO", "CONTI", "BRUNO"),
    "nl": ("JANSSEN", "MULDER", "BOS", "DEKKER", "VERMEULEN"),
    "pt": ("MARTINS", "SOUSA", "LOPES", "CARVALHO", "TEIXEIRA"),
}
STAFF_GIVEN = {
    "en": ("SARAH", "DAVID", "HELEN", "MARK"), "fr": ("ISABELLE", "PIERRE", "NATHALIE", "FRANÇOIS"),
    "de": ("ANDREA", "STEFAN", "MONIKA", "UWE"), "es": ("PILAR", "ANTONIO", "NURIA", "RAMÓN"),
    "it": ("PAOLA", "MARCO", "ELENA", "FABIO"), "nl": ("ELLEN", "PIETER", "MARIEKE", "WOUTER"),
    "pt": ("ANA", "NUNO", "FILIPA", "PAULO"),
}
# Sites, some with no word that says "hospital"; "{staff}" is filled with a doctor's surname.
SITES = {
    "en": ("Riverside Imaging", "Harbour View Radiology", "Oakfield Medical Centre", "St Brendan's Hospital",
           "North Vale Diagnostics", "Dr {staff} Ultrasound"),
    "fr": ("Cabinet Dr {staff}", "Centre d'Imagerie du Parc", "Clinique des Tilleuls", "CH de Val-Morin",
           "Imagerie Rive Gauche"),
    "de": ("Praxis {staff}", "Radiologie am Markt", "Klinikum Nordhang", "MVZ Lindenhof",
           "Gemeinschaftspraxis Dr. {staff}"),
    "es": ("Centro Médico Alameda", "Hospital Comarcal del Río", "Diagnóstico Levante", "Consulta Dr. {staff}"),
    "it": ("Studio Radiologico {staff}", "Poliambulatorio San Rocco", "Ospedale Val Serena",
           "Centro Diagnostico Aurora"),
    "nl": ("Echopraktijk Zuid", "Ziekenhuis De Linde", "Radiologie Centrum Oost", "Praktijk {staff}"),
    "pt": ("Clínica do Parque", "Hospital de Vale Formoso", "Imagiologia Atlântico", "Consultório Dr. {staff}"),
}


@dataclass(frozen=True)
class Person:
    family: str
    given: str
    middle: str = ""  # an initial, or empty

    @property
    def dicom(self) -> str:
        return "^".join([self.family, self.given, self.middle] if self.middle else [self.family, self.given])

    @property
    def initials(self) -> str:
        return self.given[0] + self.family[0]


@dataclass(frozen=True)
class Visit:
    """One patient's study: who, when and where, and the staff who may sign the images."""

    language: str
    patient: Person
    sex: str
    birth: dt.date
    patient_id: str
    start: dt.datetime
    institution: str
    referring: Person
    operator: Person
    performer: Person
    accession: str
    study_id: str

    @property
    def age(self) -> int:
        birth, day = self.birth, self.start.date()
        return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _digits(r: random.Random, n: int) -> str:
    return "".join(r.choice("0123456789") for _ in range(n))


def _letters(r: random.Random, n: int) -> str:
    return "".join(r.choice("ABCDEFGHJKLMNPRSTUVWXZ") for _ in range(n))


def patient_id(r: random.Random, year: int) -> str:
    """Digits, letters and digits, a dashed site number, or a year and a serial."""
    return r.choice((
        lambda: r.choice("123456789") + _digits(r, r.randint(6, 9)),
        lambda: _letters(r, r.randint(1, 3)) + _digits(r, r.randint(5, 8)),
        lambda: f"{_letters(r, 3)}-{_digits(r, 4)}-{_digits(r, 2)}",
        lambda: f"{year}{_digits(r, 6)}",
        lambda: "00" + _digits(r, 7),
    ))()


def _staff(r: random.Random, language: str) -> Person:
    return Person(r.choice(STAFF[language]), r.choice(STAFF_GIVEN[language]))


def make_visit(r: random.Random, language: str) -> Visit:
    sex = r.choice("FM")
    start = dt.datetime(2016, 1, 1, 7) + dt.timedelta(days=r.randint(0, 9 * 365), seconds=r.randint(0, 12 * 3600))
    birth = dt.date(1930, 1, 1) + dt.timedelta(days=r.randint(0, 85 * 365))
    birth = min(birth, start.date() - dt.timedelta(days=400))
    middle = r.choice("ABCDEJKLMPRS") if r.random() < 0.25 else ""
    referring = _staff(r, language)
    return Visit(
        language=language,
        patient=Person(r.choice(FAMILY[language]), r.choice(GIVEN[language][sex]), middle),
        sex=sex,
        birth=birth,
        patient_id=patient_id(r, start.year),
        start=start,
        institution=r.choice(SITES[language]).format(staff=referring.family.title()),
        referring=referring,
        operator=_staff(r, language),
        performer=_staff(r, language),
        accession=r.choice(("", "A", "E", "RX")) + _digits(r, r.randint(7, 10)),
        study_id=str(r.randint(1, 99999)),
    )
