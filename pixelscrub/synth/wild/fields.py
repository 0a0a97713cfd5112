"""The patient and study fields a wild layout prints, each a line of label and value parts.

One file keeps one way of printing names, dates and times (a device is
consistent), and labels each field with a chance set per file: some screens
label everything, some nothing, many a mix.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from pixelscrub.synth.wild import forms, words
from pixelscrub.synth.wild.identity import Visit
from pixelscrub.synth.wild.layout import Line


@dataclass(frozen=True)
class Fields:
    visit: Visit
    when: dt.datetime  # the acquisition, which the header's content date and time give
    r: random.Random
    labels: float  # chance that a field carries its label
    name_style: str
    date_style: str
    birth_style: str
    time_style: str
    staff_style: str

    @classmethod
    def draw(cls, visit: Visit, when: dt.datetime, r: random.Random, labels: float | None = None) -> Fields:
        date_style = forms.date_style(visit.language, r)
        return cls(
            visit, when, r,
            r.choice((0.0, 0.5, 1.0, 1.0)) if labels is None else labels,
            r.choice(forms.NAME_STYLES),
            date_style,
            r.choice((date_style, date_style, *forms.BIRTH_ONLY_STYLES)),
            r.choice(forms.TIME_STYLES),
            r.choice(forms.PHYSICIAN_STYLES),
        )

    def _labelled(self, field: str, parts: Line, chance: float = 1.0) -> Line:
        if self.r.random() < self.labels * chance:
            return [(words.label(field, self.visit.language, self.r), "label"), *parts]
        return parts

    def name(self) -> Line:
        return self._labelled("name", [(forms.name(self.visit.patient, self.name_style), "name")])

    def patient_id(self) -> Line:
        return self._labelled("id", [(self.visit.patient_id, "id")])

    def birth(self) -> Line:
        return self._labelled("birth", [(forms.date(self.visit.birth, self.birth_style, self.visit.language), "date")])

    def age(self) -> Line:
        return self._labelled("age", [(forms.age(self.visit.age, self.visit.language, self.r), "age")], 0.5)

    def institution(self) -> Line:
        return self._labelled("institution", [(self.visit.institution, "institution")], 0.3)

    def day(self) -> Line:
        return self._labelled("date", [(forms.date(self.when.date(), self.date_style, self.visit.language), "date")],
                              0.6)

    def clock(self) -> Line:
        return self._labelled("time", [(forms.time(self.when.time(), self.time_style), "time")], 0.3)

    def operator(self) -> Line:
        """Operators sign with initials after "Op:" or "Sono:", or with their name."""
        person = self.visit.operator
        value = person.initials if self.r.random() < 0.6 else f"{person.family} {person.given[0]}"
        label = words.label("operator", self.visit.language, self.r)
        return [(label, "label"), (value, "physician")] if self.labels or self.r.random() < 0.7 else \
            [(value, "physician")]

    def referring(self) -> Line:
        parts = forms.staff(self.visit.referring, self.staff_style, self.visit.language)
        return self._labelled("referring", parts)

    def performer(self) -> Line:
        parts = forms.staff(self.visit.performer, self.staff_style, self.visit.language)
        return self._labelled("performer", parts)

    def staff_initials(self) -> Line:
        """"AB/CD/EF": who referred, performed and operated, as many reading rooms print it."""
        people = (self.visit.referring, self.visit.performer, self.visit.operator)
        return [("/".join(p.initials for p in people), "physician")]

    def accession(self) -> Line:
        return self._labelled("accession", [(self.visit.accession, "id")])

    def exam(self, text: str) -> Line:
        return self._labelled("exam", [(text, "clinical")], 0.5)
