"""Labels: the captions before a person's or a place's details on screen ("Name:", "DOB", "MRN", "Dr.",
"Né(e) le", "Performed by"), so a label masks its value whatever the value is, even when the header
that would name it was cleaned. The captions and their roles are data: models/labels.toml.

The contract with the matcher: `Labels.at(words, start)` says whether a label starts at words[start],
the role of its value, how many OCR words the label takes and the value read glued to it. A label counts
only when it is bare (strong enough alone: "DOB", "MRN", "Date of birth") or a separator follows it: a
colon or "#" glued to its last word or read as the next word ("Name:", "Name :", "Acc#"), a full
stop ending it ("Dr.") or the abbreviation mark of "N°" and "Nº"; a few captions that are clinical
words too count only before a colon ("RT:" a technologist, "Rt." the right side). So "DR 70" stays dynamic range and
"Dr. HOUSE" is a physician. A word ending in a full stop may also stand for the start of the label word
in its place ("Operat.", "Méd. prescr.", "Sonogr."): see `Labels._abbreviated`. How far the value runs,
and which words fit a role, is the matcher's business.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pixelscrub.pixels.text.lookalikes import one_slip
from pixelscrub.pixels.text.vocabulary import load_vocabulary, plain

ROLES = ("name", "date", "id", "physician", "institution", "age")
SEPARATOR = re.compile(r"^(.*?)([:#])(.*)$")  # the first colon or "#" of a word
NUMERO = re.compile(r"^([A-Za-z]{1,2}[°º])(.*)$")  # "N°", "Nº", "N°12": the mark ends the caption


@dataclass(frozen=True)
class Label:
    role: str        # what the value is: "name", "date", "id", "physician", "institution" or "age"
    words: int       # OCR words the label takes, a separator read as a word of its own included
    bare: bool       # strong enough to count with no separator after it ("DOB", "MRN", "SSN")
    separated: bool  # a colon, "#" or full stop follows the label
    value: str       # what was read glued after the separator, in the label's last word ("Name:DOE")


@dataclass(frozen=True)
class _Entry:
    role: str
    bare: bool
    colon: bool = False  # counts only before a colon or "#": "RT:" is a technologist, "Rt." the right side


def label_key(text: str) -> str:
    """What labels compare by: accents off, "°" and "º" read as O (N° = No), case folded, inner
    punctuation and spaces dropped ("Pat.-Nr." = "PatNr", "Patient ID" = "PatientID"), rn read as m."""
    return re.sub(r"[^A-Z0-9]", "", plain(text.replace("°", "o")).upper()).replace("RN", "M")


def _split(word: str) -> tuple[str, str, str]:
    """A word as (label part, separator, value glued after it): "Name:DOE" -> ("Name", ":", "DOE"),
    "Dr." -> ("Dr", ".", ""), "N°12" -> ("N°", "°", "12"), "Phys" -> ("Phys", "", "")."""
    word = word.strip()
    separated = SEPARATOR.match(word)
    if separated:
        return separated.group(1), separated.group(2), separated.group(3).strip(":# ")
    if word.endswith("."):
        return word[:-1], ".", ""
    numero = NUMERO.match(word)
    if numero:
        return numero.group(1), "°", numero.group(2).strip()
    return word, "", ""


def _deletions(key: str) -> set[str]:
    return {key[:i] + key[i + 1:] for i in range(len(key))}


class Labels:
    """Every label of models/labels.toml, by key."""

    def __init__(self, entries: dict[str, _Entry], slip_min_letters: int, longest: int,
                 phrases: dict[int, list[tuple[tuple[str, ...], _Entry]]] | None = None,
                 abbreviation_min_letters: int = 3, abbreviated_label_min_letters: int = 5):
        self.entries = entries
        self.slip_min_letters = slip_min_letters
        self.longest = longest  # the most OCR words a label can take, one more than its words for splits
        self.phrases = phrases or {}  # word count -> (key of each word, entry), to match abbreviations
        self.abbreviation_min_letters = abbreviation_min_letters
        self.abbreviated_label_min_letters = abbreviated_label_min_letters
        self._near: dict[str, set[str]] = {}  # a key and its one-letter deletions -> keys, to find slips fast
        for key in entries:
            if len(key) >= slip_min_letters:
                for variant in _deletions(key) | {key}:
                    self._near.setdefault(variant, set()).add(key)

    def at(self, words: Sequence[str], start: int) -> Label | None:
        """The longest label starting at words[start] that is bare or followed by a separator.

        `words` are raw OCR words: any case, accents or not, punctuation glued ("Name:", "Ref.", "N°:"),
        a phrase's words glued ("PatientID:") or split. One OCR slip is allowed in labels of
        `slip_min_letters` letters or more, unless every word read is clinical text ("Rate:"); a slipped
        label never replaces one read exactly ("Performed by J" is "Performed by" and J). A word ending
        in a full stop may be the start of its label word ("Méd. prescr."), and such a label, written
        short on purpose, may lengthen one read exactly ("Ref. Physic." is one label, not "Ref." and a
        value)."""
        best, exact, heads = None, False, []
        for end in range(start, min(len(words), start + self.longest)):
            head, separator, value = _split(words[end])
            if not label_key(head):
                break  # punctuation only: a label does not run through it
            heads.append(head)
            key = label_key("".join(heads))
            read = words[start:end + 1]
            entry = (self.entries.get(key) or self._abbreviated(read)
                     or (None if exact else self._slipped(key, read)))
            label = entry and self._label(entry, words, end - start + 1, end, separator, value)
            if label:
                best, exact = label, exact or key in self.entries
            if separator in (":", "#"):
                break
        return best

    def role(self, word: str) -> str | None:
        """The role of the one-word label `word` spells, separator or not ("DOB", "Patient:"): what the
        matcher needs to keep a label read with low confidence. One slip counts only before the label's
        separator ("Nane:"): without one, a slipped caption is as likely the caption and what followed it
        ("OPEB" for "OP EB", initials). Abbreviations do not count here: a word this keeps is kept, and
        some surnames start label words ("Burger." would be Burgerservicenummer, "Regis." Registro), so
        an abbreviated caption alone is held or masked as unexplained text."""
        head, separator, _ = _split(word)
        key = label_key(head)
        entry = self.entries.get(key) or (self._slipped(key, [word]) if separator else None)
        return entry.role if entry else None

    def _abbreviated(self, read: Sequence[str]) -> _Entry | None:
        """The label the words `read` abbreviate, word for word, when a word ending in a full stop is the
        start of the label word in its place ("Operat." = Operator, "Méd. prescr." = Médecin
        prescripteur): each abbreviation of `abbreviation_min_letters` letters or more, the whole of
        `abbreviated_label_min_letters`, every label it may start of one role, and not every word read
        clinical text ("Prof." is depth, not Professor; "Med." medial, not Medico)."""
        parts = [_split(word) for word in read]
        keys = [label_key(head) for head, _, _ in parts]
        abbreviated = [separator == "." or head.endswith(".") for head, separator, _ in parts]  # "pat.:"
        if (not any(abbreviated) or not all(keys)
                or len("".join(keys)) < self.abbreviated_label_min_letters
                or any(short and len(key) < self.abbreviation_min_letters
                       for key, short in zip(keys, abbreviated))):
            return None
        found = [entry for words, entry in self.phrases.get(len(read), [])
                 if all(key == word or (short and word.startswith(key))
                        for key, word, short in zip(keys, words, abbreviated))]
        if not found or len({entry.role for entry in found}) > 1:
            return None
        vocabulary = load_vocabulary()
        if all(vocabulary.explains(word) for word in read):
            return None
        return _Entry(found[0].role, bare=all(entry.bare for entry in found))

    def _slipped(self, key: str, read: Sequence[str]) -> _Entry | None:
        """The label `key` is one OCR slip away from, unless the words read are all clinical text."""
        if len(key) < self.slip_min_letters:
            return None
        candidates = sorted({k for v in _deletions(key) | {key} for k in self._near.get(v, ())})
        slipped = next((k for k in candidates if one_slip(key, k)), None)
        if slipped is None:
            return None
        vocabulary = load_vocabulary()
        return None if all(vocabulary.explains(w) for w in read) else self.entries[slipped]

    @staticmethod
    def _label(entry: _Entry, words: Sequence[str], taken: int, end: int, separator: str,
               value: str) -> Label | None:
        if separator in (":", "#") or (separator and not entry.colon):
            return Label(entry.role, taken, entry.bare, True, value)
        following = words[end + 1].strip() if end + 1 < len(words) else ""
        if following[:1] in (":", "#"):  # "Name :" read as two words, or ":DOE"
            return Label(entry.role, taken + 1, entry.bare, True, following.lstrip(":#").strip())
        return Label(entry.role, taken, True, False, "") if entry.bare else None


@cache
def load_labels() -> Labels:
    """The labels, read once per process."""
    document = tomllib.loads(resources.files("pixelscrub.models").joinpath("labels.toml").read_text("utf-8"))
    entries: dict[str, _Entry] = {}
    phrases: dict[int, list[tuple[tuple[str, ...], _Entry]]] = {}
    longest = 1
    for role in ROLES:
        for block in document[role].values():
            for kind in ("labels", "bare", "colon"):
                for text in block.get(kind, []):
                    entry = _Entry(role, bare=kind == "bare", colon=kind == "colon")
                    entries[label_key(text)] = entry
                    words = tuple(label_key(word) for word in text.split())
                    phrases.setdefault(len(words), []).append((words, entry))
            longest = max([longest] + [len(t.split()) for kind in ("labels", "bare", "colon") for t in block.get(kind, [])])
    return Labels(entries, document["slip_min_letters"], longest + 1, phrases,
                  document["abbreviation_min_letters"], document["abbreviated_label_min_letters"])
