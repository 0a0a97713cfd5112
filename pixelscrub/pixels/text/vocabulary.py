"""The clinical grammar: the burned-in words that identify nobody, so they may be kept.

pixelscrub is fail-closed: a word OCR reads is kept only when this grammar explains it (a measurement, a
parameter, anatomy, an annotation, the interface's own text, a maker's name) and is masked or held
otherwise. So the grammar must explain a vendor screen's technical text and no one's name: PHI shapes
(dates, times, ages, long numbers) are refused before anything else, and words that are also names are
kept only in the spelling names never take (lower case, or with their accents).

Data: models/clinical_vocabulary.toml (units, patterns, refusals) and models/grammar/*.toml (the words,
one file per category, one section per language); models/README.md describes them.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pixelscrub.pixels.text.dates import find_dates
from pixelscrub.pixels.text.lookalikes import as_digits

LANGUAGES = ("any", "en", "fr", "de", "es", "it", "nl", "pt")
TRIM = ",.;:()[]{}\"'`*#?"  # punctuation around a word that changes nothing ("Dist:", "[cm]", "*Renal")
SPELLED = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
                         "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "µ": "u", "μ": "u", "·": "", "⋅": ""})
NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)$")
NUMBER_AND_UNIT = re.compile(r"^[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)\s?(\D.*)$")
LOOKALIKE_AND_UNIT = re.compile(r"^[OoQDIlSsBZzG|]{1,2}(.+)$")
WORD_AND_VALUE = re.compile(r"^([A-Za-z]{1,7})[=:<>#]?[+-]?\d{1,3}(?:[.,]\d+)?(\D.*)?$")  # Gn60, H4.0MHz
NUMBER_AND_WORD = re.compile(r"^\d{1,2}([A-Za-z]{2,})$")  # a numbered caliper's label: 1Dist, 2Vol
PARTS = re.compile(r"[/\-=:+&|(),~_]+")  # the joints of a compound: E/A, 2D--100%, 20dB/DR60, 3:PELVIS
SHORT_NUMBER = re.compile(r"^[+-]?\d{1,3}(?:[.,]\d+)?$")
BESIDE_LETTER = re.compile(r"(?<=[A-Za-z])[0-9|!$]|[0-9|!$](?=[A-Za-z])")
LONE_L = re.compile(r"(?<![a-z])l(?![a-z])")
# French and Italian articles and prepositions elided before a vowel: "D'ÉCHOGRAPHIE", "dell'addome";
# before a capital only a long word, since surnames take them too (D'Apice, L'Hôpital, D'Arco).
ELISION = re.compile(r"^(?i:d|l|dell|all|dall|nell|sull|un)['’](?=[^\W\d_]{8}|[a-zà-ÿ])")
LETTERS = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G", "|": "I", "!": "I", "$": "S"})


def plain(text: str) -> str:
    """`text` without accents, ligatures spelled out, µ as u: what OCR reads when it drops accents."""
    spelled = unicodedata.normalize("NFKD", text.translate(SPELLED))
    return "".join(c for c in spelled if not unicodedata.combining(c))


def word_key(text: str) -> str:
    """The key a word is looked up by: accents off, case folded, its parts joined by "-" whatever joined
    them ("E/A" and "E-A", not "EA"). Empty for text in another script, which is never explained."""
    text = plain(text)
    if any(c.isalpha() and not c.isascii() for c in text):
        return ""
    return "-".join(re.findall(r"[A-Za-z0-9]+", text)).upper()


def letter_reading(raw: str) -> str:
    """`raw` with digits touching letters read as the letters they look like, and a lower-case l with no
    lower-case letter beside it as I, for OCR's slips inside words ("T1S", "Ml", "Sa02"; not "Old").
    Only a second reading: folding look-alikes into the keys themselves would merge abbreviations with
    names (LI = II, Plano = Piano)."""
    return LONE_L.sub("I", BESIDE_LETTER.sub(lambda m: m.group().translate(LETTERS), raw))


def accent_key(text: str) -> str:
    """The key of a word kept only with its accents: case folded, accents kept ("Länge", not Lange)."""
    return "".join(c for c in unicodedata.normalize("NFC", text).upper() if c.isalnum())


def unit_key(text: str) -> str:
    """Units compare without accents, middle dots, stars or spaces, in any case: mGy·cm² = MGYCM2; the
    ordinal º that Spanish, Italian and Portuguese keyboards type for degrees is the degree sign (60º)."""
    return re.sub(r"[\s*]", "", plain(text.replace("º", "°"))).upper()


@dataclass(frozen=True)
class Vocabulary:
    words: frozenset[str]            # word_key of every word kept in any case
    lowercase: frozenset[str]        # word_key of words kept only when read in lower case
    accented: frozenset[str]         # accent_key of words kept only with their accents
    units: frozenset[str]            # unit_key of every unit
    case_sensitive_units: frozenset[str]  # units that alone count only as spelled ("mA", not "Ma")
    units_after_numbers: frozenset[str]   # unit_key of units that count only after a number ("40HU")
    lookalike_units: frozenset[str]  # units after which a leading look-alike letter is a digit
    durations: frozenset[str]        # unit_key of the units of a duration ("10 ms" after "Echo Time:")
    duration_captions: frozenset[str]  # word_key of the caption words that a duration may follow
    patterns: tuple[re.Pattern, ...]
    refusals: tuple[re.Pattern, ...]
    refusals_as_read: tuple[re.Pattern, ...]
    markers: frozenset[str]          # word_key of orientation and view markers, shown alone on any image
    modality_codes: frozenset[str]   # word_key of modality codes, shown alone on an image of their modality
    modes: dict[str, frozenset[str]]  # modality -> word_key of its modes and presets shown alone

    def standalone(self, key: str, modality: str) -> bool:
        """Whether an image of `modality` shows the two-letter code `key` (a word_key) alone."""
        return (key in self.markers or key in self.modes.get(modality.upper(), ())
                or (key == word_key(modality) and key in self.modality_codes))

    def explains(self, word: str, numbers: bool = True) -> bool:
        """Whether one OCR word is clinical or technical text; plain numbers count only when `numbers`
        (a weakly read number may be part of an ID). Dates, times, ages and long numbers never count.

        The word is judged as read and with look-alike letters beside digits read as digits ("TISO.4"
        is TIS0.4, but "G66" and "S5-1" are a gain and a probe, not 666 and 55-1)."""
        raw = word.strip(TRIM) or word
        text = as_digits(raw)
        if self.refused(text) or self.refused(raw) or any(r.search(raw) for r in self.refusals_as_read):
            return False
        return self._simple(raw, text, numbers) or self._compound(raw)

    def refused(self, text: str) -> bool:
        """A PHI shape anywhere in the word: a date, a time, an age, a long number."""
        return any(r.search(text) for r in self.refusals) or bool(find_dates(text))

    def is_word(self, raw: str) -> bool:
        """A listed word, in a spelling the grammar keeps, as read or with OCR's look-alikes undone, or
        after an elided article ("D'ÉCHOGRAPHIE", "dell'addome")."""
        if ELISION.match(raw):
            return self.is_word(ELISION.sub("", raw, count=1))
        for reading in dict.fromkeys((raw, letter_reading(raw))):
            key = word_key(reading)
            if key and (key in self.words or (key in self.lowercase and raw == raw.lower())):
                return True
        return accent_key(raw) in self.accented

    def _simple(self, raw: str, text: str, numbers: bool) -> bool:
        if NUMBER.match(raw):
            return numbers
        if self.is_word(raw) or self._unit(raw) or self._lookalike_and_unit(raw):
            return True
        if any(self._technical(reading) for reading in {raw, text}):
            return True
        return numbers and bool(NUMBER.match(text))  # look-alike digits: "1O"

    def _technical(self, reading: str) -> bool:
        """A number with its unit ("16cm"), a word glued to its value ("Gn60", "AO=100%", "H4.0MHz"), a
        caliper's number glued to its name ("1Dist"), or a pattern."""
        measured = NUMBER_AND_UNIT.match(reading)
        if measured and unit_key(measured.group(1)) in self.units:
            return True
        glued = WORD_AND_VALUE.match(reading)
        unit = glued and glued.group(2)
        if glued and self.is_word(glued.group(1)) and (not unit or unit_key(unit) in self.units):
            return True
        numbered = NUMBER_AND_WORD.match(reading)
        if numbered and self.is_word(numbered.group(1)):
            return True
        return any(p.match(reading) for p in self.patterns)

    def _unit(self, raw: str) -> bool:
        """A unit alone: as spelled for the case-sensitive ones, in any case for the others."""
        if raw in self.case_sensitive_units:
            return True
        key = unit_key(raw)
        return (key in self.units and key not in self.units_after_numbers
                and all(unit_key(u) != key for u in self.case_sensitive_units))

    def _lookalike_and_unit(self, raw: str) -> bool:
        """A look-alike letter read for the digit before a unit: "Bcm" is 8cm."""
        lookalike = LOOKALIKE_AND_UNIT.match(raw)
        return bool(lookalike and lookalike.group(1) in self.lookalike_units)

    def _compound(self, raw: str) -> bool:
        """Words joined by / - = : + ("E/A", "2D--100%", "20dB/DR60", "L-M"): every part explained, numbers
        of three digits at most, and one part at least not a plain number (those are the patterns' job)."""
        parts = [p for p in PARTS.split(raw) if p]
        if len(parts) < 2:
            return False
        plain_numbers = 0
        for part in parts:
            part = part.strip(TRIM) or part
            digits = as_digits(part)
            if SHORT_NUMBER.match(digits):
                plain_numbers += 1
            elif NUMBER.match(digits) or not self._simple(part, digits, numbers=False):
                return False
        return plain_numbers < len(parts)


@cache
def load_vocabulary() -> Vocabulary:
    """The grammar, read once per process."""
    models = resources.files("pixelscrub.models")
    shape = tomllib.loads(models.joinpath("clinical_vocabulary.toml").read_text("utf-8"))
    words, lowercase, accented = set(), set(), set()
    for section in grammar_sections():
        words |= {word_key(w) for w in section.get("words", []) + section.get("exceptions", [])}
        lowercase |= {word_key(w) for w in section.get("lowercase", [])}
        accented |= {accent_key(w) for w in section.get("accented", [])}
    markers = {word_key(w) for section in grammar_sections("orientation.toml") for w in section.get("words", [])}
    return Vocabulary(
        words=frozenset(words - {""}),
        lowercase=frozenset(lowercase - {""}),
        accented=frozenset(accented - {""}),
        units=frozenset(unit_key(u) for u in shape["units"]),
        case_sensitive_units=frozenset(shape["case_sensitive_units"]),
        units_after_numbers=frozenset(unit_key(u) for u in shape["units_after_numbers"]),
        lookalike_units=frozenset(shape["lookalike_units"]),
        durations=frozenset(unit_key(u) for u in shape["durations"]),
        duration_captions=frozenset(word_key(w) for w in shape["duration_captions"]),
        patterns=tuple(re.compile(p) for p in shape["patterns"]),
        refusals=tuple(re.compile(r) for r in shape["refusals"]),
        refusals_as_read=tuple(re.compile(r) for r in shape["refusals_as_read"]),
        markers=frozenset(markers),
        modality_codes=frozenset(word_key(w) for w in shape["standalone_modalities"]),
        modes={m: frozenset(word_key(w) for w in words) for m, words in shape["standalone_modes"].items()},
    )


def grammar_sections(name: str = "") -> list[dict]:
    """Every language section of every models/grammar/*.toml file (or of the one named), in file order."""
    folder = resources.files("pixelscrub.models").joinpath("grammar")
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".toml") and f.name.endswith(name)),
                   key=lambda f: f.name)
    return [section for f in files for section in tomllib.loads(f.read_text("utf-8")).values()]
