"""Finding the values of a PHI set in header values: names, IDs, places and original dates, nothing else.

The sweep (header/sweep.py) runs this over a header that has already been cleaned, so it must not
flag what cleaning produced: PHI *patterns* (any date, any long number) are left out, a shifted date
differs from every original one, and UIDs are never searched. Header values are exact, so unlike the
OCR matcher (pixels/text/match.py) no look-alike characters or misspellings are tolerated; case and
accents are.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from pixelscrub.header.phi import PhiSet
from pixelscrub.header.shapes import PLACE_WORDS, plain
from pixelscrub.pixels.text.dates import find_dates

TOKEN = re.compile(r"[^\W_]+")
MIN_NAME_PART = 3       # shorter parts and initials count only beside a part that matched
MIN_UNSPACED_PART = 2   # a name part in a script written without spaces is found inside words
MIN_ID = 4              # shorter IDs (a study ID "12") are everywhere in a header
MIN_DIGITS_ONLY_ID = 5
MIN_ID_INSIDE_WORD = 6  # a long ID is found even glued to other characters ("ACC77120CT")
MIN_PHONE_DIGITS = 7
MIN_LONE_PLACE_WORD = 5


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    label: str  # the PHI set attribute the value came from


def _unspaced(text: str) -> bool:
    """Whether `text` is in a script written without spaces between words (Chinese, Japanese, Korean)."""
    return any(unicodedata.name(c, "").startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL")) for c in text)


class _Tokens:
    """A value's words with their spans, and its letters and digits run together for glued IDs."""

    def __init__(self, text: str):
        self.spans = [m.span() for m in TOKEN.finditer(text)]
        self.words = [plain(text[a:b]) for a, b in self.spans]
        self.joined, self.owner = "", []
        for index, word in enumerate(self.words):
            self.joined += word
            self.owner += [index] * len(word)

    def hit(self, first: int, last: int, label: str) -> Hit:
        return Hit(self.spans[first][0], self.spans[last][1], label)


class PhiSearch:
    """Compiled once per PHI set; `in_text` and `in_date` are called once per header value."""

    def __init__(self, phi: PhiSet):
        self.names = [(name.attribute, [w for p in name.parts for w in TOKEN.findall(plain(p))]) for name in phi.names]
        self.ids: list[tuple[str, list[str], str]] = []
        for item in phi.ids:
            words = [plain(w) for w in TOKEN.findall(item.value)]
            joined = "".join(words)
            if len(joined) >= (MIN_DIGITS_ONLY_ID if joined.isdigit() else MIN_ID):
                self.ids.append((item.attribute, words, joined))
        generic = {w.casefold() for w in PLACE_WORDS} | {w.casefold() for w in phi.vendor_words}
        self.places = []
        for item in phi.places:
            words = [plain(w) for w in TOKEN.findall(item.value) if len(w) >= 2]
            digits = re.sub(r"\D", "", item.value)
            if len(digits) >= MIN_PHONE_DIGITS:
                self.ids.append((item.attribute, [digits], digits))
            if words and not all(w in generic or w.isdigit() for w in words):
                self.places.append((item.attribute, words, {w for w in words if w not in generic and len(w) >= 3
                                                             and not w.isdigit()}))
        self.dates: dict[dt.date, str] = {}
        for item in phi.dates:
            self.dates.setdefault(item.value, item.attribute)

    def is_empty(self) -> bool:
        return not (self.names or self.ids or self.places or self.dates)

    def in_date(self, value: str) -> str | None:
        """The attribute whose original date a DA or DT value still holds, if any."""
        digits = value.strip()[:8]
        if len(digits) != 8 or not digits.isdigit():
            return None
        try:
            return self.dates.get(dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8])))
        except ValueError:
            return None

    def in_text(self, text: str) -> list[Hit]:
        """Every span of `text` that holds a name part, an ID, a place or an original date."""
        tokens = _Tokens(text)
        hits = self._names(tokens) + self._ids(tokens) + self._places(tokens)
        for mention in find_dates(text):
            label = next((self.dates[d] for d in mention.readings if d in self.dates), None)
            if label:
                hits.append(Hit(mention.start, mention.end, label))
        return hits

    def _names(self, tokens: _Tokens) -> list[Hit]:
        hits = []
        for label, parts in self.names:
            long_parts = {p for p in parts if len(p) >= MIN_NAME_PART}
            unspaced = [p for p in parts if len(p) >= MIN_UNSPACED_PART and _unspaced(p)]
            found = {i for i, word in enumerate(tokens.words)
                     if word in long_parts or any(p in word for p in unspaced)}
            short = {p for p in parts if len(p) < MIN_NAME_PART} | {p[0] for p in parts if p}
            grown = True
            while grown:  # short parts and initials beside a match: "J DOE", "DOE JA"
                grown = False
                for i, word in enumerate(tokens.words):
                    if i not in found and word in short and {i - 1, i + 1} & found:
                        found.add(i)
                        grown = True
            hits += [tokens.hit(i, i, label) for i in sorted(found)]
        return hits

    def _ids(self, tokens: _Tokens) -> list[Hit]:
        hits = []
        for label, words, joined in self.ids:
            for start in range(len(tokens.words) - len(words) + 1):
                if tokens.words[start:start + len(words)] == words:
                    hits.append(tokens.hit(start, start + len(words) - 1, label))
            if len(joined) >= MIN_ID_INSIDE_WORD:
                at = tokens.joined.find(joined)
                while at >= 0:
                    hits.append(tokens.hit(tokens.owner[at], tokens.owner[at + len(joined) - 1], label))
                    at = tokens.joined.find(joined, at + 1)
        return hits

    def _places(self, tokens: _Tokens) -> list[Hit]:
        """Runs of a place's words with a distinctive one among them, or a distinctive word of five
        letters or more alone: "ST MARY" and "WESTBROOK", not "MEDICAL CENTER" or "GENERAL"."""
        hits = []
        for label, words, distinctive in self.places:
            for start in range(len(tokens.words)):
                for offset in range(len(words)):
                    run = 0
                    while (start + run < len(tokens.words) and offset + run < len(words)
                           and tokens.words[start + run] == words[offset + run]):
                        run += 1
                    matched = words[offset:offset + run]
                    if (run >= 2 or run == len(words)) and distinctive & set(matched) or (
                            run == 1 and matched[0] in distinctive and len(matched[0]) >= MIN_LONE_PLACE_WORD):
                        hits.append(tokens.hit(start, start + run - 1, label))
        return hits
