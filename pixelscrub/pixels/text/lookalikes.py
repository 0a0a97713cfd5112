"""Characters OCR confuses, and the two ways text is normalised for comparing across them.

`fold` collapses look-alikes both ways (0/O/D/Q, 1/I/l, 5/S, 8/B, 2/Z, 6/G, rn/m) for comparing a
read word with a known value; `as_digits` reads a look-alike as a digit only where it touches a digit
("O3/O5/2O24"), so words such as "SEP" keep their letters.
"""

from __future__ import annotations

import re

FOLD = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "|": "1", "!": "1",
                      "S": "5", "$": "5", "B": "8", "Z": "2", "G": "6"})
DIGIT_LIKE = {"O": "0", "o": "0", "Q": "0", "D": "0", "I": "1", "l": "1", "|": "1", "i": "1", "!": "1",
              "S": "5", "s": "5", "$": "5", "B": "8", "Z": "2", "z": "2", "G": "6"}
_LOOKALIKES = re.escape("".join(DIGIT_LIKE))
BESIDE_DIGIT = re.compile(rf"(?<=\d)[{_LOOKALIKES}]|[{_LOOKALIKES}](?=[.,]?\d)")
DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-"})


def fold(text: str) -> str:
    """Upper-case alphanumerics with OCR look-alikes collapsed, so 'SM1TH' and 'SMITH' compare equal."""
    return re.sub(r"[^A-Z0-9|!$]", "", text.upper().replace("RN", "M")).translate(FOLD)


def as_digits(text: str) -> str:
    """Look-alike letters touching a digit (or a decimal point before one) read as digits; typographic
    dashes as '-'."""
    return BESIDE_DIGIT.sub(lambda m: DIGIT_LIKE[m.group()], text.translate(DASHES))


def one_slip(a: str, b: str) -> bool:
    """Equal but for one character changed, added or dropped: a single OCR slip."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) <= 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))
