"""Judging OCR lines: which words are PHI, which are clinical text to keep, which could not be read.

Words are compared with the PHI set from the original header, tolerant of OCR confusions (0/O, 1/l/I,
5/S, 8/B, 2/Z, 6/G, rn/m), case, separators, name order and date formats. PHI patterns that need no
header (dates, times, long IDs, phone numbers, text after a label such as "Name:") catch images whose
header was cleaned before while the pixels were not. A finding names the attribute or pattern it
matched, never the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pixelscrub.header.phi import PhiName, PhiSet, PhiText
from pixelscrub.pixels.regions.boxes import Box
from pixelscrub.pixels.text.dates import MONTHS, find_dates
from pixelscrub.pixels.text.lookalikes import as_digits, fold, one_slip
from pixelscrub.pixels.ocr.engine import OcrLine, OcrWord
from pixelscrub.pixels.text.labels import load_labels
from pixelscrub.pixels.text.vocabulary import NUMBER, NUMBER_AND_UNIT, load_vocabulary, unit_key, word_key

SPLIT = re.compile(r"[\^,.;:_\-'\"‘’“”/\\()\[\]{}=+*#\s]+")  # typographic quotes too: "Brendan’s"
# A time of day; OCR reads its colon as a semicolon now and then ("17;04").
COLON_TIME = re.compile(r"(?<![\d:;])\d{1,2}\s?[:;]\s?[0-5]\d(?:[:;][0-5]\d)?(?:\s*[AP]\.?M\.?)?(?![\d:;])", re.I)
# A clock time whose colon OCR lost or read as a point ("852 AM" for 8:52 AM, "7.46 AM", "9.58 A" with
# its M lost): digits before AM or PM, or three or four before "PH" or "AH", the M read as H ("1318 PH"
# for 1:18 PM; not "7.4 pH").
MERIDIEM_TIME = re.compile(
    r"(?<![\d.,])(?:\d{1,2}[.,][0-5]\d\s?[AP](?:\.?M\.?)?|\d{1,4}\s?[AP]\.?M\.?|\d{3,4}\s?[AP]H)(?![A-Z0-9])", re.I)
# The French and Spanish clock, hours before a lower-case h ("17h24"); probes are named in capitals.
HOUR_TIME = re.compile(r"(?<![\d.,:])(?:[01]?\d|2[0-3])h[0-5]\d(?![\d:])")
# A day, a month's abbreviation and a year, the abbreviation read with one slip ("11 Moy 2616" for
# 11 Nov 2016): where PHI is likely, a date misread.
SLIPPED_DATE = re.compile(r"(?<![\d.,])\d{1,2}[- ]?(?P<mon>[A-Za-z]{3})\.?[- ,]*\d{4}(?!\d)")
SHORT_MONTHS = frozenset(word for word in MONTHS if len(word) == 3)
# A clock time whose last digit was read as a sign ("4:4?" for 4:47): where PHI is likely, a time misread.
SLIPPED_TIME = re.compile(r"(?<![\d:;(\[])\d{1,2}[:;][0-5][^\w\s:;)\]](?!\d)")
LONG_NUMBER = re.compile(r"(?<![\d.,])\d{6,}(?![\d.,]\d)")
PHONE = re.compile(r"(?<!\d)(?:\+?\d{1,3}[\s.-])?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?!\d)")
# An age with its unit in the languages vendors ship: 36Y, 36 yrs, 36 a (años, anni, anos), 36 ans, 36 J.
AGE = re.compile(r"(?<![\w.])\d{1,3}\s?(?:Y|YR|YRS|YO|Y/O|YEARS?|A|ANS?|AÑOS|ANOS|ANNI|J|JR|JAHRE?|JAAR)"
                 r"(?![A-Z0-9])", re.I)
# An age whose digits OCR read as look-alike letters: "SOY" for 50Y, "B1Y" for 81Y.
AGE_LOOKALIKE = re.compile(r"^[0-9OoQDSsIlBZzG|]{1,3}[Yy]$")
# Staff initials joined by slashes, three or more of them: the sonographer, the physician, the typist.
STAFF_INITIALS = re.compile(r"^[A-Z]{2,3}(?:/[A-Z]{2,3}){2,}$")
# Words that make a run of capitalised words an institution's name even with no header to compare, in
# the languages vendors ship their screens in.
INSTITUTION = re.compile(
    r"(?<![A-Z])(?:HOSPITAL|HOSP|CLINIC|CLINICS|KLINIK|KLINIKUM|INFIRMARY|UNIVERSITY|UNIV|INSTITUTE|INST"
    r"|HEALTHCARE|MEDICAL|MED[ _](?:CENTER|CENTRE|CTR)|CENTER|CENTRE|CTR|REGIONAL|MEMORIAL"
    r"|H[ÔO]PITAL|CLINIQUE|POLYCLINIQUE|CENTRE HOSPITALIER|CHU|CHR|CABINET|INSTITUT|KRANKENHAUS|KLINIKEN|PRAXIS"
    r"|SPITAL|UNIKLINIK|CL[ÍI]NICA|SANATORIO|HOSPITALARIO|OSPEDALE|POLICLINICO|ISTITUTO|AZIENDA OSPEDALIERA"
    r"|ZIEKENHUIS|KLINIEK|MEDISCH CENTRUM|INSTITUTO|CENTRO M[ÉE]DICO|CENTRO"
    # practices: a doctor's name follows ("Consulta Dr. Navarro", "Gemeinschaftspraxis Dr. Kohler")
    r"|GEMEINSCHAFTSPRAXIS|PRAXISGEMEINSCHAFT|ARZTPRAXIS|CONSULTA|CONSULTORIO|CONSULT[ÓO]RIO|GABINETE"
    r"|AMBULATORIO|POLIAMBULATORIO|STUDIO MEDICO|PRAKTIJK|HUISARTSENPRAKTIJK|MVZ)(?![A-Z])", re.I)
# Words naming a speciality's place ("Riverside Imaging", "Harbourside Cardiology"): an institution's name
# only when some word of the run is explained by nothing, so "Cardiology Report" stays.
SPECIALTY_PLACE = re.compile(
    r"(?<![A-Z])(?:IMAGING|IMAGERIE|RADIOLOGY|RADIOLOGIE|RADIOLOGIA|RADIOLOG[ÍI]A|CARDIOLOGY|CARDIOLOGIE"
    r"|CARDIOLOGIA|KARDIOLOGIE|CARDIOLOG[ÍI]A|DIAGNOSTICS|DIAGNOSTIK|DIAGNOSTICO|DIAGNOSTICA|DIAGNOSTIEK"
    r"|ULTRASOUND|ECHOGRAPHIE|ECOGRAFIA|MEDICINE|M[ÉE]DECINE|MEDIZIN|MEDICINA|GENEESKUNDE|HEALTH|SANT[ÉE]"
    r"|GESUNDHEIT|SALUD|SALUTE|GEZONDHEID|SA[ÚU]DE)(?![A-Z])", re.I)
# Words too common in institution names to identify one alone.
GENERIC_PLACE_WORDS = frozenset({
    "MEDICAL", "CENTER", "CENTRE", "HOSPITAL", "CLINIC", "UNIVERSITY", "HEALTH", "HEALTHCARE", "CARE",
    "REGIONAL", "GENERAL", "COMMUNITY", "MEMORIAL", "CHILDRENS", "INSTITUTE", "RADIOLOGY", "IMAGING",
    "DEPARTMENT", "DEPT", "SAINT", "SYSTEM", "ULTRASOUND", "CARDIOLOGY",
})


GENERIC_FOLDED = frozenset(fold(w) for w in GENERIC_PLACE_WORDS)
# A label's value ends at a gap wider than this many line heights: words of one value sit closer, and
# the next field of a banner further ("Op: CONTI P   KU-3100")...
VALUE_GAP = 1.0
LABEL_GAP = 2.0  # ...and between the label and its value, which a colon and a tab may part
# A line read as a short scrap is speckle only if the scrap could fill it: this many line heights per
# character read at the most.
TEXTURE_SPAN = 2.0


POLICIES = ("closed", "phi", "header", "text")


@dataclass(frozen=True)
class MatchParams:
    # "closed": mask PHI, keep clinical text, and mask anything else where PHI is likely or hold the
    # image; "phi": mask header values and PHI patterns, keep other confident text; "header": mask
    # header values only, and hold images with other PHI-like text; "text": mask all text but what the
    # clinical vocabulary explains, wherever it is
    policy: str = "closed"
    doubt_confidence: float = 60.0  # a word read below this confidence cannot be judged
    noise_confidence: float = 60.0  # a short line without digits read entirely below this is texture
    noise_max_chars: int = 4


@dataclass(frozen=True)
class Finding:
    box: Box
    label: str  # the header attribute or "pattern:<kind>" it matched; "text", "unexplained" or "unreadable"
    kind: str   # "phi", "keep", "unknown" (read, but neither PHI nor clinical) or "doubtful" (not read well)


def _name_part_matches(token: str, part: str) -> bool:
    if len(part) < 2 or not token:
        return False
    if token == part:
        return True
    if len(part) >= 5 and one_slip(token, part):
        return True
    return len(part) >= 4 and part in token


def _fits(label_kind: str, text: str) -> bool:
    """Whether `text` can be the value of a label of this kind."""
    if label_kind in ("name", "physician"):
        return bool(re.search(r"[A-Za-z]{2}", text))
    if label_kind in ("date", "id", "age"):
        return any(c.isdigit() for c in text)
    return bool(re.search(r"[A-Za-z0-9]", text))


def _abbreviates(token: str, word: str) -> bool:
    """True when `token` is `word` or a usual abbreviation of it: same first letter, letters in order."""
    if token == word:
        return True
    if len(token) < 2 or token[0] != word[0] or len(token) >= len(word):
        return False
    rest = iter(word[1:])
    return all(c in rest for c in token[1:])


class _Line:
    """The line's text with each character's word index, for span matching.

    OCR words are joined with single spaces, look-alike letters beside digits read as digits; header
    text keeps its own characters and separators, its words being the spans given.
    """

    def __init__(self, words: tuple[OcrWord, ...], text: str | None = None, spans: list[tuple[int, int]] = ()):
        self.words = words
        if text is not None:
            self.text = text
            self.owner = [-1] * len(text)
            for index, (start, end) in enumerate(spans):
                self.owner[start:end] = [index] * (end - start)
            return
        self.owner = []
        pieces = []
        for index, word in enumerate(words):
            if index:
                pieces.append(" ")
                self.owner.append(-1)
            text = as_digits(word.text)
            pieces.append(text)
            self.owner.extend([index] * len(text))
        self.text = "".join(pieces)

    def words_in(self, start: int, end: int) -> set[int]:
        return {i for i in self.owner[start:end] if i >= 0}


class _Judge:
    def __init__(self, words: tuple[OcrWord, ...], phi: PhiSet, params: MatchParams, joined: _Line,
                 any_value: bool = True, strict: bool = False):
        """`any_value`: a label masks whatever follows it in its field (on screen, where gaps end fields).
        `strict`: the line stands where PHI is likely, and a weak read there is not trusted."""
        self.phi, self.params, self.any_value, self.strict = phi, params, any_value, strict
        self.words = words
        self.tokens = [[fold(t) for t in SPLIT.split(w.text) if t] for w in self.words]
        self.joined = joined
        self.labels: dict[int, str] = {}
        self.vendor = {fold(w) for w in phi.vendor_words}

    def mark(self, indices, label: str) -> None:
        for index in indices:
            self.labels.setdefault(index, label)

    def names(self, name: PhiName) -> None:
        parts = [fold(p) for p in name.parts]
        hits = {i for i, tokens in enumerate(self.tokens)
                if any(_name_part_matches(t, p) for t in tokens for p in parts if len(p) >= 3)}
        short = [p for p in parts if len(p) == 2]
        initials = {fold(p)[0] for p in name.parts if fold(p)}
        grown = True
        while grown:  # short parts and initials count only beside a part that matched
            grown = False
            for i, tokens in enumerate(self.tokens):
                if i in hits or not ({i - 1, i + 1} & hits):
                    continue
                if any(t in short or (len(t) == 1 and t in initials) for t in tokens):
                    hits.add(i)
                    grown = True
        self.mark(hits, name.attribute)

    def ids(self, value: PhiText) -> None:
        target = fold(value.value)
        if len(target) < 3:
            return
        self.mark((i for i, tokens in enumerate(self.tokens) if target in tokens or fold(self.words[i].text) == target),
                  value.attribute)
        if len(target) >= 5:
            folded, owners = "", []
            for i, word in enumerate(self.words):
                piece = fold(word.text)
                folded += piece
                owners += [i] * len(piece)
            start = folded.find(target)
            while start >= 0:
                self.mark(set(owners[start:start + len(target)]), value.attribute)
                start = folded.find(target, start + 1)

    def places(self, value: PhiText) -> None:
        """Runs of the place's words, abbreviations allowed (MED CTR for MEDICAL CENTER)."""
        words = [fold(w) for w in SPLIT.split(value.value) if len(w) >= 2]
        if not words:
            return
        digits = re.sub(r"\D", "", value.value)
        if len(digits) >= 7:  # a telephone number or a street number with a postcode
            self.ids(PhiText(value.attribute, digits))
        generic = GENERIC_FOLDED | self.vendor
        flat = [(i, t) for i, tokens in enumerate(self.tokens) for t in tokens]
        for start in range(len(flat)):
            for offset in range(len(words)):
                run = 0
                while (start + run < len(flat) and offset + run < len(words)
                       and _abbreviates(flat[start + run][1], words[offset + run])):
                    run += 1
                first = words[offset]
                distinctive = run == 1 and len(first) >= 5 and flat[start][1] == first and first not in generic
                if run >= 2 or (run == len(words) and first not in generic) or distinctive:
                    self.mark({flat[start + k][0] for k in range(run)}, value.attribute)

    def dates(self) -> None:
        for mention in find_dates(self.joined.text):
            label = next((d.attribute for d in self.phi.dates
                          if d.value in mention.readings or (d.value.year, d.value.month) in mention.months), None)
            if label is None and mention.readings:
                label = "pattern:date"
            if label:
                self.mark(self.joined.words_in(mention.start, mention.end), label)

    def patterns(self) -> None:
        text = self.joined.text
        for pattern, label in ((COLON_TIME, "pattern:time"), (MERIDIEM_TIME, "pattern:time"), (HOUR_TIME, "pattern:time"),
                               (PHONE, "pattern:phone"),
                               (LONG_NUMBER, "pattern:id"), (AGE, "pattern:age")):
            for match in pattern.finditer(text):
                self.mark(self.joined.words_in(match.start(), match.end()), label)
        if self.strict:
            for match in SLIPPED_DATE.finditer(text):
                if any(one_slip(match.group("mon").upper(), month) for month in SHORT_MONTHS):
                    self.mark(self.joined.words_in(match.start(), match.end()), "pattern:date-misread")
            for match in SLIPPED_TIME.finditer(text):
                self.mark(self.joined.words_in(match.start(), match.end()), "pattern:time-misread")
        self.mark((i for i, w in enumerate(self.words) if AGE_LOOKALIKE.match(w.text.strip(".,;:"))),
                  "pattern:age-misread")
        self.mark((i for i, w in enumerate(self.words) if STAFF_INITIALS.match(w.text.strip(".,;:"))),
                  "pattern:initials")
        self.institutions()
        self.after_labels()

    def institutions(self) -> None:
        """A run of letter-only words around an institution word ("ST JUDE REGIONAL", "Clinique des
        Tilleuls"), within one field; around a speciality's word ("Riverside Imaging") only when the run
        holds a word nothing explains."""
        for pattern, anywhere in ((INSTITUTION, True), (SPECIALTY_PLACE, False)):
            for match in pattern.finditer(self.joined.text):
                hit = sorted(self.joined.words_in(match.start(), match.end()))
                if not hit:
                    continue
                run = set(hit)
                for step in (-1, 1):
                    i = hit[0] if step < 0 else hit[-1]
                    while 0 <= i + step < len(self.words) and self._same_field(i, i + step) and \
                            re.fullmatch(r"[^\W\d_](?:[^\W\d_]|[.&'‘’-])*,?", self.words[i + step].text):
                        i += step
                        run.add(i)
                parts = [t for i in run for t in self.tokens[i]]
                if len(parts) < 2 or set(parts) <= self.vendor:  # a lone "CENTER", or the maker's own name
                    continue
                if anywhere or not all(explained(self.words[i].text, self.vendor) for i in run):
                    self.mark(run, "pattern:institution")

    def _same_field(self, i: int, j: int, gap: float = 1.5) -> bool:
        """Whether two words are no more than `gap` line heights apart: one field of a row."""
        a, b = sorted((self.words[i].box, self.words[j].box), key=lambda box: box.x)
        return b.x - a.x1 <= gap * max(a.h, b.h)

    def after_labels(self) -> None:
        """Mark the value after "Name:", "DOB", "MRN", "Dr." and their kind in other languages
        (models/labels.toml).

        The value runs to the next label or to a wide gap (the next field on the same row). On screen a
        label masks its value whatever it is; in header text, where no gap ends a field, only words that
        fit the label count: letters after a name label, digits after a date or ID label.
        """
        labels, texts, timed = load_labels(), [w.text for w in self.words], load_vocabulary().duration_captions
        current, last, i = None, None, 0  # the role of the label being read, the index of its last word
        colon = False  # whether that label ends in a separator
        clock = False  # whether it captions a time, which captions durations too ("Echo Time:")
        while i < len(self.words):
            raw = self.words[i].text.strip()
            if not any(c.isalnum() for c in raw):
                i += 1
                continue  # a colon or dash read as a word of its own changes nothing
            label = labels.at(texts, i)
            if label and current and colon and i - 1 == last and not label.separated:
                label = None  # the value after "Operator:" though it reads as a label ("MM" as MRN)
            if label:
                current, last, colon = label.role, i + label.words - 1, label.separated
                clock = any(word_key(t) in timed for t in texts[i:i + label.words])
                if label.value and (self.any_value or _fits(current, label.value)):  # "Name:DOE" read as one word
                    self.mark([last], f"pattern:label-{current}")
                i += label.words
                continue
            gap = (LABEL_GAP if i - 1 == last else VALUE_GAP) if self.any_value else 1.5
            if current and i and not self._same_field(i - 1, i, gap):
                current = None
            if current == "date" and clock and self._duration(i):
                current = None  # "Echo Time: 10 ms": how long, not when
            initial = current in ("name", "physician") and re.fullmatch(r"[A-Za-z]\.?", raw) and i - 1 in self.labels
            if current and (self.any_value or _fits(current, raw) or initial):
                self.mark([i], f"pattern:label-{current}")
            else:
                current = None
            i += 1

    def _duration(self, i: int) -> bool:
        """Whether words[i] is a number with a unit of duration, glued or the next word of its field."""
        durations, text = load_vocabulary().durations, self.words[i].text.strip()
        if NUMBER.match(text):
            return (i + 1 < len(self.words) and self._same_field(i, i + 1, LABEL_GAP)
                    and unit_key(self.words[i + 1].text.strip(".,;")) in durations)
        glued = NUMBER_AND_UNIT.match(text)
        return bool(glued) and unit_key(glued.group(1)) in durations

    def run(self) -> dict[int, str]:
        """Word index -> the attribute or pattern it matched, for every PHI word."""
        for name in self.phi.names:
            self.names(name)
        for value in self.phi.ids:
            self.ids(value)
        for value in self.phi.places:
            self.places(value)
        self.dates()
        self.patterns()
        return self.labels

    def is_texture(self) -> bool:
        """A short line without digits read with low confidence throughout: speckle or anatomy edges.

        Digits keep a line: a misread age or date is short too.
        """
        text = "".join(w.text for w in self.words)
        return (not self.labels and sum(c.isalnum() for c in text) <= self.params.noise_max_chars
                and not any(c.isdigit() for c in text)
                and all(w.confidence < self.params.noise_confidence for w in self.words))

    def kind(self, word: OcrWord) -> tuple[str, str]:
        """What a word that matched no PHI rule is: kept (clinical or technical text, a label, or too short
        to identify anyone), unknown (read well, explained by nothing) or doubtful (read too weakly to
        judge). A known word read weakly is still that word, except beside PHI ("62 yrs" read "62 Ms")
        or where PHI is likely (`strict`: "33 anni" read "Sd anal.");
        weakly read digits may be a misread time, date or ID ("07:51" read "e751"), so a word that holds
        any is trusted only when read well."""
        confident = word.confidence >= self.params.doubt_confidence
        if sum(c.isalnum() for c in word.text) < 2:
            return "keep", "text"
        trusted = confident or not (self.strict or self.labels or any(c.isdigit() for c in word.text))
        if trusted and explained(word.text, self.vendor, confident):
            return "keep", "text"
        if not confident:
            return "doubtful", "unreadable"
        return ("keep", "text") if self.params.policy == "header" else ("unknown", "unexplained")

    def month(self, i: int) -> bool:
        """Whether word i is a month's name or its abbreviation, in a language vendors ship."""
        return re.sub(r"[^A-ZÀ-Ý]", "", self.words[i].text.upper()) in MONTHS

    def loose_number(self, i: int, kinds: list[tuple[str, str]]) -> bool:
        """A bare number that neither follows a kept word ("MI 0.6") nor precedes a kept unit ("16 cm"):
        beside PHI it is more likely a misread age, ID or date fragment ("16Y" read "167") than a value."""
        if not re.fullmatch(r"[+-]?\d+(?:[.,]\d+)?", as_digits(self.words[i].text.strip(",;:"))):
            return False
        before = self.words[i - 1].text if i else ""
        after = self.words[i + 1].text if i + 1 < len(self.words) else ""
        named = bool(re.search(r"[A-Za-z]", before)) and kinds[i - 1][0] == "keep"
        unit = bool(after) and not any(c.isdigit() for c in after) and kinds[i + 1][0] == "keep"
        return not named and not unit

    def findings(self) -> list[Finding]:
        if self.is_texture():
            return []
        kinds: list[tuple[str, str]] = []
        for i, word in enumerate(self.words):
            if i in self.labels and self.params.policy == "header" and self.labels[i].startswith("pattern:"):
                kinds.append(("doubtful", "looks like PHI"))  # masks only header values: hold the rest
            elif i in self.labels:
                kinds.append(("phi", self.labels[i]))
            else:
                kinds.append(self.kind(word))
        if self.labels:
            kinds = [("unknown", "unexplained") if kind == ("keep", "text") and self.loose_number(i, kinds)
                     else kind for i, kind in enumerate(kinds)]
        if self.strict and any(kind[0] != "keep" for kind in kinds):
            # Where PHI is likely, a month's name beside what cannot be kept is part of a date ("30-SEP-2O21").
            kinds = [("unknown", "unexplained") if kind == ("keep", "text") and self.month(i) else kind
                     for i, kind in enumerate(kinds)]
        findings: list[Finding] = []
        for i, (word, (kind, label)) in enumerate(zip(self.words, kinds)):
            if findings and i and kinds[i - 1] == (kind, label):
                last = findings[-1]
                findings[-1] = Finding(last.box.union(word.box), label, kind)
            else:
                findings.append(Finding(word.box, label, kind))
        return findings


def explained(text: str, vendor: set[str] | frozenset[str] = frozenset(), numbers: bool = True) -> bool:
    """Clinical or technical text, a label, the maker's name, or too short to identify anyone.
    `vendor` holds the folded words of the device maker's name (PhiSet.vendor_words, folded)."""
    return sum(c.isalnum() for c in text) < 2 or fold(text) in vendor or _known(text, numbers)


@lru_cache(maxsize=65536)
def _known(text: str, numbers: bool) -> bool:
    """The grammar's or the labels' word: the same words come back on every image of a device."""
    return load_vocabulary().explains(text, numbers=numbers) or load_labels().role(text) is not None


def judge_line(line: OcrLine, phi: PhiSet, params: MatchParams = MatchParams(), strict: bool = False) -> list[Finding]:
    """Findings for every word of `line`, consecutive words of one kind and label merged. `strict`: the
    line stands where PHI is likely."""
    if not line.words:
        return []
    judge = _Judge(line.words, phi, params, _Line(line.words), strict=strict)
    judge.run()
    if strict and judge.is_texture() and line.box.w > TEXTURE_SPAN * line.box.h * max(1, len(line.text)):
        # Where PHI is likely, too few characters read for the width of the line: the read missed text.
        return [Finding(line.box, "unreadable", "doubtful")]
    return judge.findings()


def lone_initials(line: OcrLine, modality: str = "") -> list[Finding]:
    """Fields (words apart from the rest of the line by more than VALUE_GAP line heights) made only of
    two capital letters, one of which screens never show alone: a person's initials ("FL" under the
    exposure index, "OP AC", "AD" before the exam's name), though the grammar knows the same letters as
    abbreviations; or of two or three after a person's caption read without its colon ("Tech NM"). For
    the line judge where PHI is likely; orientation markers stay, and on an image of `modality` its own
    code and modes ("CT" on a CT, "PW" on ultrasound; "NM" on a radiograph goes)."""
    vocabulary, fields, current = load_vocabulary(), [], []
    for word in sorted(line.words, key=lambda w: w.box.x):
        if current and word.box.x - current[-1].box.x1 > VALUE_GAP * max(word.box.h, current[-1].box.h):
            fields.append(current)
            current = []
        current.append(word)
    fields += [current] if current else []
    found = []
    for field, after in zip(fields, fields[1:] + [[]]):
        if after and after[0].text[:1].isdigit() and \
                after[0].box.x - field[-1].box.x1 <= LABEL_GAP * max(after[0].box.h, field[-1].box.h):
            continue  # a parameter and its value, set apart in a column flush right ("DR   72", "FR 31Hz")
        texts = [w.text.strip(".,;:_") for w in field]  # "RM_": a baseline's speck read as a sign
        start = int(len(texts) > 1 and load_labels().role(texts[0]) in ("name", "physician"))
        texts, field = texts[start:], field[start:]
        if all(len(t) in (2, 2 + start) and t.isalpha() and t.isupper() for t in texts) and \
                any(not vocabulary.standalone(word_key(t), modality) for t in texts):
            box = field[0].box
            for word in field[1:]:
                box = box.union(word.box)
            found.append(Finding(box, "initials", "doubtful"))
    return found


# Words of header free text: runs between blanks and separators; a trailing colon stays on its word
# so "Name:" still reads as a label.
TEXT_WORD = re.compile(r"[^\s\-/^_\\|+=()\[\]{},;]+")


def judge_text(text: str, phi: PhiSet, params: MatchParams = MatchParams()) -> list[tuple[int, int, str]]:
    """(start, end, label) of every PHI word in header free text, by the same rules as OCR lines."""
    spans = [m.span() for m in TEXT_WORD.finditer(text)]
    words = tuple(OcrWord(text[a:b], 100.0, Box(a, 0, b - a, 1)) for a, b in spans)
    if not words:
        return []
    labels = _Judge(words, phi, params, _Line(words, text, spans), any_value=False).run()
    return [(*spans[i], label) for i, label in sorted(labels.items())]
