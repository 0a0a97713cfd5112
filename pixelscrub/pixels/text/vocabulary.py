"""The clinical vocabulary (models/clinical_vocabulary.toml): words, units and patterns that identify
nobody, so a doubtful read of one can be trusted, and the "text" masking policy can keep them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pixelscrub.pixels.text.lookalikes import DIGIT_LIKE, as_digits, fold

NUMBER_WITH_UNIT = re.compile(r"^[+-]?\d+(?:[.,]\d+)?([A-Za-z/%][A-Za-z/%0-9]*)$")
LEADING_LOOKALIKE = re.compile(r"^([OoQDIlSsBZzG|]{1,2})(?=[a-z%])")
NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
WORD_AND_NUMBER = re.compile(r"^([A-Za-z]{1,6})[=:<>]?([+-]?\d+(?:[.,]\d+)?%?)$")  # TIS0.4, MI=0.8, Gn60
DIGITS = str.maketrans(DIGIT_LIKE)


@dataclass(frozen=True)
class Vocabulary:
    words: frozenset[str]   # folded
    units: frozenset[str]   # folded
    patterns: tuple[re.Pattern, ...]

    def explains(self, word: str, numbers: bool = True) -> bool:
        """Whether `word` is clinical or technical text; plain numbers count only when `numbers`."""
        raw = word.strip(",.;:()[]")
        if not raw:
            return False
        if fold(raw) in self.words or fold(raw) in self.units:  # before digits: "2D" is a word, not 20
            return True
        text = as_digits(raw)
        if NUMBER.match(text):
            return numbers
        # "Bcm" is 8cm: a look-alike digit before a unit reads as a digit.
        unit = NUMBER_WITH_UNIT.match(LEADING_LOOKALIKE.sub(lambda m: m.group(1).translate(DIGITS), text))
        if unit and fold(unit.group(1)) in self.units:
            return True
        glued = WORD_AND_NUMBER.match(text)
        if glued and fold(glued.group(1)) in self.words:
            return True
        return any(p.match(text) for p in self.patterns if p.pattern != NUMBER.pattern)


@cache
def load_vocabulary() -> Vocabulary:
    document = tomllib.loads(resources.files("pixelscrub.models").joinpath("clinical_vocabulary.toml")
                             .read_text("utf-8"))
    return Vocabulary(
        words=frozenset(fold(w) for w in document["words"]),
        units=frozenset(fold(u) for u in document["units"]),
        patterns=tuple(re.compile(p) for p in document["patterns"]),
    )
