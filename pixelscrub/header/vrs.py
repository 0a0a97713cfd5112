"""What each value representation holds, and the dummy that replaces a value of it.

Shared by the profile walk (header/deidentify.py) and the final sweep (header/sweep.py), which both
replace values they may not keep with something valid for the element's VR.
"""

from __future__ import annotations

DUMMIES = {
    "AE": "ANON", "AS": "000Y", "CS": "ANON", "DA": "19000101", "DT": "19000101000000", "TM": "000000",
    "DS": "0", "IS": "0", "LO": "ANONYMIZED", "LT": "ANONYMIZED", "SH": "ANONYMIZED", "ST": "ANONYMIZED",
    "UC": "ANONYMIZED", "UT": "ANONYMIZED", "UR": "http://example.invalid", "PN": "ANONYMOUS",
}
STRING_VRS = frozenset({"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC",
                        "UR", "UT", "UI"})
NUMERIC_VRS = frozenset({"US", "SS", "UL", "SL", "FL", "FD", "UV", "SV"})
BINARY_VRS = frozenset({"OB", "OW", "OD", "OF", "OL", "OV", "UN"})
FREE_TEXT_VRS = frozenset({"LO", "LT", "SH", "ST", "UT", "UC", "PN", "AE"})
# Text a person writes, cleaned word by word; PN and AE are free text to Clean Descriptors but not to
# the sweep, which replaces a whole name or title rather than keep part of it.
PROSE_VRS = frozenset({"LO", "LT", "SH", "ST", "UT", "UC"})
