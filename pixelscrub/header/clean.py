"""Clean Descriptors: free text keeps its clinical words and loses the PHI found in it.

The words are judged by the same rules as burned-in text (pixels/match.py): the original header's
names in every order and case, IDs, dates in their usual renderings, places, and PHI patterns. A
removed word takes its separator with it, so "Smith-CT/Head w/o Contrast" becomes
"CT/Head w/o Contrast".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pixelscrub.header.phi import PhiSet
from pixelscrub.pixels.text.match import MatchParams, judge_text

GAP = "\x00"
SEPARATORS = r"\-_/^,;:.\\|+="


def remove_spans(value: str, spans: Iterable[tuple[int, int]]) -> str:
    """`value` without the characters of `spans`, each gap closed with the separators around it."""
    chars = list(value)
    for start, end in spans:
        chars[start:end] = [GAP] * (end - start)
    text = re.sub(f"{GAP}+", GAP, "".join(chars))
    text = re.sub(rf"[{SEPARATORS}]*{GAP}[{SEPARATORS}]*", " ", text)
    text = re.sub(r"\(\s*\)|\[\s*\]", " ", text)
    text = re.sub(r"\s+([)\]])", r"\1", text)
    text = re.sub(r"([(\[])\s+", r"\1", text)
    return re.sub(r"\s{2,}", " ", text).strip(f" {SEPARATORS}")


def clean_text(value: str, phi: PhiSet, params: MatchParams = MatchParams()) -> str:
    found = judge_text(value, phi, params)
    if not found:
        return value
    return remove_spans(value, [(start, end) for start, end, _ in found])
