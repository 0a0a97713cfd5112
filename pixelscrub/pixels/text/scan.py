"""Reading the text of every frame: detect lines, OCR each distinct line once, judge it.

In a cine or a fluoroscopy run the overlay is the same on every frame while the image behind it moves,
so a line is keyed by its position and a hash of its glyphs (the binarised text, not the raw pixels):
a static banner is read once however many frames carry it and whatever moves behind it, while text
that changes (a frame counter, a caption on some frames) is read where it changes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
from pydicom.dataset import Dataset

from pixelscrub.header.phi import PhiSet
from pixelscrub.pixels.regions.boxes import Box
from pixelscrub.pixels.regions.places import Places
from pixelscrub.pixels.text.detect import DetectParams, characters, glyph_mask, propose_lines, text_like, tighten
from pixelscrub.pixels.codec.frames import Frames, StaticComposite, chroma_image, extreme_layers, reading_image
from pixelscrub.pixels.text.dates import MONTHS
from pixelscrub.pixels.text.lookalikes import as_digits, fold, one_slip
from pixelscrub.pixels.text.labels import load_labels
from pixelscrub.pixels.text.vocabulary import load_vocabulary
from pixelscrub.pixels.text.match import LABEL_GAP, Finding, MatchParams, explained, judge_line, lone_initials
from pixelscrub.pixels.ocr.engine import CropSettings, OcrEngine, OcrLine, OcrWord, TextDetector, read_line
from pixelscrub.pixels.text.policy import resolve


# PHI patterns a single misread can fake ("127/128" read as 12771280, a long "ID"): unless read with
# high confidence they stand only if the second engine finds PHI there too; otherwise the spot cannot
# be judged.
WEAK_PATTERNS = frozenset({"pattern:id", "pattern:age-misread"})
SURE = 90.0
FAIR = 80.0  # a confident read below this gives way to the other engine's sure clinical read
CHROMA_MIN = 40  # a first frame whose channels never differ more than this has no coloured text
STATIC_MIN_FRAMES = 3  # with fewer frames, what stays still is not yet telling
INITIALS = 2  # characters of an unreadable crop that make it text where PHI is likely
LINE_HEIGHTS = 3  # a detector's region taller than this many of the tallest lines is no line of text
INK_CONTRAST = 40  # grey levels between a crop's darkest and brightest pixel for something to be drawn there
INITIALS_SHAPE = re.compile(r"[A-Z]{2}")
NUMBER = re.compile(r"[\d.,:/-]*")  # digits and the signs that part a date, a time or an ID
COUNTER = re.compile(r"(\d{1,3})/(\d{1,3})")
SIGNED = re.compile(r"\d{1,3}[^\w\s]")  # a number and a sign, a unit's letter misread ("16%" for 16Y)
SIGNED_UNIT = re.compile(r"\d{1,3}[^\w\s][A-Za-z]{1,2}")  # an age with a sign read in ("68:A" for 68 A)
UNIT_SLIP = re.compile(r"\d{1,3}[A-Za-z]")  # a number and one letter: read unsurely, an age's unit misread
FAIL_CLOSED = frozenset({"text:unexplained", "text:unreadable", "text:initials"})  # policy.resolve's labels
DATE_DIGITS = 6  # bare numbers with this many digits or more, where PHI is likely, may be a misread date
MONTH_DIGITS = 3  # digits beside a month's name that make it a date: a year, or a day and more
CAPTIONED_DIGITS = 4  # a number this long right after a clinical caption is that caption's value
READ_SHARE = 0.5  # where PHI is likely, a read whose words span less of the line's inked columns missed text


@dataclass(frozen=True)
class ScanSettings:
    detect: DetectParams = DetectParams()
    crop: CropSettings = CropSettings()
    match: MatchParams = MatchParams()
    confirm: CropSettings = CropSettings(text_height=48, max_scale=6.0)  # the second engine's reads


@dataclass
class Scan:
    lines: list[OcrLine] = field(default_factory=list)
    frames: list[tuple[int, str]] = field(default_factory=list)  # (frame, source) each line was read from
    findings: list[Finding] = field(default_factory=list)
    ocr_calls: int = 0
    first_image: np.ndarray | None = None  # the reading image of frame 0, for the face check
    composite: np.ndarray | None = None    # the static composite of a run of frames, if one was made
    # The learned detector's regions, by (frame, source), where it proposed lines: the check reuses them
    learned: dict[tuple[int, str], list[Box]] = field(default_factory=dict)

    def boxes(self, kind: str) -> list[Box]:
        return [f.box for f in self.findings if f.kind == kind]

    def labels(self, kind: str) -> list[str]:
        return sorted({f.label for f in self.findings if f.kind == kind})


def scan(frames: Frames, ds: Dataset, judge: LineJudge, detector: TextDetector | None = None) -> Scan:
    """Read every distinct line of every reading image with `judge`, one frame at a time: each frame;
    for a grey image the layer of its first frame's extreme values (text burned in at full white or
    black); for a colour image the chroma of its first frame; for a run of three frames or more the
    static composite of its frames. A line the chroma or static image adds where a frame already had one is
    not read twice. `detector`, a learned text detector, adds its lines to the proposals of the first
    frame (of a run: of the composite), for text drawn over anatomy that the morphological proposals
    miss."""
    static = StaticComposite() if frames.count >= STATIC_MIN_FRAMES else None
    reader = _Reader(Scan(), judge, detector, (0, "static") if static is not None else (0, "grey"), frames.count)
    chroma = None
    for index, frame in frames:
        grey = reading_image(frame, frames.photometric, ds)
        if index == 0 and frames.photometric.startswith("MONOCHROME") and frame.dtype.itemsize > 1:
            # A radiograph's text layer, read first: where it shows a line, the rendering can add PHI but
            # not doubts. 8-bit screens draw text anti-aliased over a range of its own: read as rendered.
            for layer in extreme_layers(frame):
                reader.read(0, "extreme", layer)
        reader.read(index, "grey", grey)
        if index == 0:
            reader.result.first_image = grey
            if frames.colour:
                chroma = chroma_image(frame)
        if static is not None:
            static.add(grey)
    if chroma is not None and chroma.max() > CHROMA_MIN:
        reader.read(0, "chroma", chroma)
    if static is not None:
        reader.result.composite = static.image()
        reader.read(0, "static", reader.result.composite)
    return reader.result


@dataclass
class LineJudge:
    """Reads one proposed line, reads it again where the first read is in doubt, and settles what is
    neither PHI nor clinical by the policy. Under the closed policy a line holding PHI is masked whole
    but for its clinical words, so its doubts need no second read."""

    engine: OcrEngine
    second: OcrEngine | None
    phi: PhiSet
    settings: ScanSettings
    places: Places
    modality: str = ""  # the image's: which two-letter codes it shows alone
    reads: int = 0

    def __call__(self, grey: np.ndarray, box: Box, detected: bool = False) -> tuple[OcrLine, list[Finding]]:
        """`detected`: a learned text detector found the line, so it is text even where pixelscrub's own
        texture tests say not (white text over a localizer's gradient): a weak read is read again."""
        match = self.settings.match
        likely = self.places.likely(box) and match.policy == "closed"
        near = box.pad(2, grey.shape[1], grey.shape[0])
        line, findings = self._read(grey, box, near, likely, detected)
        missed = False
        if likely and line.words:
            findings, missed = self._where_phi_is_likely(grey, box, near, line, findings)
        if missed or any(f.kind == "phi" for f in findings):
            findings += [Finding(part, "unreadable", "doubtful") for part in _unread(grey, box, line)]
        findings = resolve(findings, self.places, match.policy)
        if any(f.kind == "phi" for f in findings):
            self.places.lines.append(box)
            if match.policy == "closed":
                findings = _misreads_beside_phi(line, findings)
        return line, findings

    def _read(self, grey: np.ndarray, box: Box, near: Box, likely: bool,
              detected: bool) -> tuple[OcrLine, list[Finding]]:
        """The line read, and read again by the other engine where the first read is in doubt; what
        looks like text and neither engine reads well cannot be judged."""
        settings, phi, match = self.settings, self.phi, self.settings.match
        # RapidOCR reads text of a few pixels far better than Tesseract: it reads small lines first.
        small = self.second is not None and box.h <= settings.crop.small_line
        readers = ((self.engine, settings.crop), (self.second or self.engine, settings.confirm))
        (first, first_crop), (second, second_crop) = readers[::-1] if small else readers
        line = read_line(first, grey, box, first_crop)
        self.reads += 1
        findings = judge_line(line, phi, match, likely)
        weak = [f for f in findings if f.label in WEAK_PATTERNS
                and min((w.confidence for w in line.words if f.box.contains(w.box)), default=0.0) < SURE]
        settled = match.policy == "closed" and any(f.kind == "phi" and f not in weak for f in findings)
        questioned = [f.box for f in findings if f in weak or (f.kind in ("doubtful", "unknown") and not settled)]
        if small:  # Tesseract is cheap beside RapidOCR: it looks again at every weak word of a small line
            questioned += [w.box for w in line.words if w.confidence < match.doubt_confidence]
        # Where PHI is likely, two characters are enough to be text: initials.
        least = INITIALS if self.places.likely(box) else None
        looks_like_text = not findings and (detected or text_like(grey[near.y:near.y1, near.x:near.x1],
                                                                  settings.detect, least))
        if not line.words or questioned or looks_like_text:
            again = read_line(second, grey, _around(questioned, box), second_crop)
            self.reads += 1
            line, findings = reconcile(line, again, phi, match, likely)
            findings = _confirm_weak(findings, weak, judge_line(again, phi, match, likely))
        if not findings and (looks_like_text or (line.words and self.places.beside_phi(box))):
            # It looks like text, or something was read beside PHI ("61 y" after a birth date, read as
            # "Shel" where it touches the anatomy), and neither engine could read it well: it cannot be judged.
            findings = [Finding(box, "unreadable", "doubtful")]
        return line, findings

    def _where_phi_is_likely(self, grey: np.ndarray, box: Box, near: Box, line: OcrLine,
                             findings: list[Finding]) -> tuple[list[Finding], bool]:
        """What a read kept that PHI leaves where PHI is likely, and whether the read missed text there:
        - bare numbers next in a column of PHI fields, an age or a date read in part ("41 J" as "41 3",
          "SEP-1 936" for SEP-1986), or
          as many digits as a date or an ID has, after a caption or not ("82, 64, 2628" for 02.04.2020,
          "Ib: 26167 18222" for an ID), cannot be judged;
        - two capitals standing alone are initials (`lone_initials`);
        - scraps of what looks like text, or a read spanning little of a row of glyphs, missed some."""
        if all(f.kind == "keep" for f in findings) and (
                ((_bare_numbers(line) or _month_and_digits(line)) and self.places.under_phi(box))
                or (_bare_numbers(line, captions=True) and _loose_digits(line) >= DATE_DIGITS)):
            findings = [Finding(box, "unreadable", "doubtful")]
        findings = findings + lone_initials(line, self.modality)
        crop = grey[near.y:near.y1, near.x:near.x1]
        scrap = (all(sum(c.isalnum() for c in w.text) < INITIALS for w in line.words)
                 and text_like(crop, self.settings.detect, INITIALS))
        sparse = _read_share(grey, box, line) < READ_SHARE and characters(crop, INITIALS) >= INITIALS
        return findings, scrap or sparse


@dataclass
class _Reader:
    result: Scan
    judge: LineJudge
    detector: TextDetector | None
    learned_image: tuple[int, str]  # where the detector proposes: the first frame, or a run's composite
    count: int = 1  # frames in the image
    seen: set[tuple] = field(default_factory=set)

    def proposals(self, index: int, source: str, grey: np.ndarray) -> list[Box]:
        places = self.judge.places
        boxes = propose_lines(grey, self.judge.settings.detect, places.data_regions, tuple(b for _, b in places.known))
        if self.detector is not None and (index, source) == self.learned_image:
            found = self.result.learned[(index, source)] = self.detector.detect(grey)
            tallest = LINE_HEIGHTS * self.judge.settings.detect.max_height  # taller is no line of text
            boxes += [tighten(grey, part) for box in found if box.h <= tallest for part in _beyond(box, boxes)]
        return boxes

    def read(self, index: int, source: str, grey: np.ndarray) -> None:
        proposals = self.proposals(index, source, grey)
        read_from = len(self.result.lines)
        self._read(index, source, grey, proposals)
        # Beside a line holding PHI, on its row: ink the proposals missed (an age whose glyphs touch the
        # anatomy's edge) is read too, and masked if it cannot be read.
        phi_lines = [line.box for line in self.result.lines[read_from:] if line.box in self.judge.places.lines]
        rows, columns = grey.shape[:2]
        beside = [part for line in phi_lines for part in _row_beside(line, columns)
                  if not any(_same_place(part, other) or part.intersection(other) for other in proposals)
                  and _inked(grey[part.y:part.y1, part.x:part.x1])]
        self._read(index, source, grey, beside)

    def _read(self, index: int, source: str, grey: np.ndarray, proposals: list[Box]) -> None:
        result = self.result
        for box in proposals:
            same = [where for line, where in zip(result.lines, result.frames) if _same_place(box, line.box)]
            if source != "grey" and same:
                continue
            glyphs = np.packbits(glyph_mask(grey[box.y:box.y1, box.x:box.x1]))
            key = (box, hashlib.blake2b(glyphs.tobytes(), digest_size=16).digest())
            if key in self.seen:
                continue
            self.seen.add(key)
            line, findings = self.judge(grey, box)
            if source == "grey" and _counts_frame(line, index, self.count):
                # The frame's own number in a cine ("10/16" on the tenth of 16 frames), read unsurely: no
                # misread PHI reads as exactly that, so the doubts about it go.
                findings = [replace(f, kind="keep", label="text:frame-counter") if _doubt(f) else f
                            for f in findings]
            if (index, "extreme") in same:  # the text layer explained this place; the rendering adds only PHI
                if line.words and all(f.kind == "keep" for f in findings) and \
                        line.confidence >= self.judge.settings.match.doubt_confidence:
                    # ...and where it reads the line well as clinical text, the layer's doubts there were
                    # misreads of glyphs the anatomy cut ("AERET" for PA ERECT): they go.
                    near = box.pad(2, grey.shape[1], grey.shape[0])
                    result.findings = [f for f in result.findings if not (_doubt(f) and near.contains(f.box))]
                findings = [f for f in findings if f.kind == "phi"]
            result.lines.append(line)
            result.frames.append((index, source))
            result.findings.extend(findings)
        result.ocr_calls = self.judge.reads


def _doubt(finding: Finding) -> bool:
    """A finding of text nothing explains or nothing could read, not of PHI recognised as such."""
    return finding.kind == "doubtful" or (finding.kind == "phi" and finding.label in FAIL_CLOSED)


def _unread(grey: np.ndarray, box: Box, line: OcrLine) -> list[Box]:
    """The inked stretches of a line that no word read covers: in a line holding PHI, what the engines
    skipped ("20 a" after a name) is no clinical word, so it is masked with the rest; where PHI is
    likely, a scrap read where more is drawn may be initials read short ("M" for "MM")."""
    free = ~_read_columns(box, line)
    parts, start = [], None
    for i, open_ in enumerate([*free, False]):
        if open_ and start is None:
            start = i
        elif not open_ and start is not None:
            part = Box(box.x + start, box.y, i - start, box.h)
            if part.w >= box.h // 2 and _inked(grey[part.y:part.y1, part.x:part.x1]):
                parts.append(part)
            start = None
    return parts


def _misreads_beside_phi(line: OcrLine, findings: list[Finding]) -> list[Finding]:
    """Kept words next to masked text in the same field, within two line heights, that a misread leaves
    of PHI: bare numbers (the rest of a date or an ID whose other part was misread, "11 Hoy 2816" for
    11 Nov 2016), single characters or two capitals (a name read as scraps "P C", initials after a time
    "14:29 IG"), or a short word or a number with a sign read unsurely ("17h24" read "ima", "16Y" read
    "16%", "68 A" read "68:A"); not a value, which names its measure, nor a word read well."""
    masked = [f.box for f in findings if f.kind == "phi"]
    kept = {id(w) for f in findings if f.kind == "keep" for w in line.words if f.box.contains(w.box)}
    words = sorted(line.words, key=lambda w: w.box.x)
    named = {id(w) for a, b in zip(words, words[1:]) if id(a) in kept and id(b) in kept
             and a.text.strip(".,;:").isalpha() != b.text.strip(".,;:").isalpha() for w in (a, b)}
    suspect = {id(w) for w in words if _misread_phi(w) and not (_number(w) and id(w) in named) and not _counter(w)}
    settled, grown = list(findings), True
    while grown:  # a word turned to PHI brings the next one within reach ("P C" after a name)
        grown, split = False, []
        for finding in settled:
            words = [w for w in line.words if finding.box.contains(w.box)]
            near = [w for w in words if id(w) in suspect and any(
                max(box.x - w.box.x1, w.box.x - box.x1) <= LABEL_GAP * w.box.h for box in masked)]
            if finding.kind != "keep" or not near:
                split.append(finding)
                continue
            grown = True
            masked += [w.box for w in near]
            suspect -= {id(w) for w in near}  # each word turns once: the loop ends
            split += [Finding(w.box, "text:unexplained", "phi") if any(w is n for n in near)
                      else Finding(w.box, finding.label, "keep") for w in words]
        settled = split
    return settled


def _misread_phi(word: OcrWord) -> bool:
    text = word.text.strip(".,;:_")
    unsure = word.confidence < SURE
    return (sum(c.isalnum() for c in text) == 1 or bool(INITIALS_SHAPE.fullmatch(text)) or _number(word)
            or (unsure and text.isalpha() and len(text) <= 3 and load_labels().role(text) is None)
            or (unsure and bool(SIGNED.fullmatch(text) or SIGNED_UNIT.fullmatch(text))))  # "16%", "68:A"


def _month_and_digits(line: OcrLine) -> bool:
    """A month's name and digits beside it: a date whose year a misread split ("SEP-1 936" for SEP-1986)."""
    words = [re.match(r"[^\W\d_]+", w.text.upper()) for w in line.words]
    return any(m is not None and m.group(0) in MONTHS for m in words) and \
        sum(c.isdigit() for c in line.text) >= MONTH_DIGITS


def _loose_digits(line: OcrLine) -> int:
    """Digits of the line's numbers that nothing names: not those of a counter read well ("Im: 186/232"),
    nor of a short number right after a clinical caption ("WL: 304 WW: 1113"); a caption nothing
    explains ("Ib:" read for ID:) or a long number after it ("Ib: 26167 18222") names nothing."""
    vocabulary, labels, loose = load_vocabulary(), load_labels(), 0
    for before, word in zip((None, *line.words), line.words):
        digits = sum(c.isdigit() for c in word.text)
        named = (before is not None and before.text.endswith(":") and digits <= CAPTIONED_DIGITS
                 and vocabulary.explains(before.text.rstrip(":")) and labels.role(before.text) is None)
        loose += 0 if named or _counter(word) else digits
    return loose


def _counts_frame(line: OcrLine, index: int, count: int) -> bool:
    """Whether a line of a multi-frame image reads as that frame's counter: "10/16" on frame 10 of 16."""
    counter = COUNTER.fullmatch(line.text.strip(".,;: "))
    return count > 1 and bool(counter) and (int(counter[1]), int(counter[2])) == (index + 1, count)


def _counter(word: OcrWord) -> bool:
    """A frame or page counter read well ("3/10" beside the name on every frame of a cine): no part of
    a date, which has two separators, or of an ID."""
    counter = COUNTER.fullmatch(word.text.strip(".,;:"))
    return bool(counter) and int(counter[1]) <= int(counter[2]) and word.confidence >= FAIR


def _number(word: OcrWord) -> bool:
    text = as_digits(word.text.strip(".,;:"))
    return bool(NUMBER.fullmatch(text)) and any(c.isdigit() for c in text)


def _read_share(grey: np.ndarray, box: Box, line: OcrLine) -> float:
    """The share of the line's inked columns that the words read span (a banner of 5 px text read as
    "Pa P P 14" spans little of it)."""
    inked = glyph_mask(grey[box.y:box.y1, box.x:box.x1]).any(axis=0)
    return float((inked & _read_columns(box, line)).sum()) / max(1, int(inked.sum()))


def _read_columns(box: Box, line: OcrLine) -> np.ndarray:
    """The columns of the line's box that a word read covers, with 2 px either side."""
    read = np.zeros(box.w, bool)
    for word in line.words:
        read[max(0, word.box.x - box.x - 2):max(0, word.box.x1 - box.x + 2)] = True
    return read


def _bare_numbers(line: OcrLine, captions: bool = False) -> bool:
    """A line of numbers with no word or unit that says what they measure ("41 3", "12", "67)" for 67 J,
    "22T" read unsurely for 22Y), scraps aside, and with `captions` a caption before them ("Ib:"), which
    names no measure either."""
    words = [w for w in line.words if not (captions and w.text.rstrip().endswith(":"))]
    texts = [w.text.strip(".,;:") for w in words]
    return any(any(c.isdigit() for c in t) for t in texts) and all(
        NUMBER.fullmatch(as_digits(t)) or SIGNED.fullmatch(t) or sum(c.isalnum() for c in t) < 2
        or (UNIT_SLIP.fullmatch(t) and w.confidence < SURE) for w, t in zip(words, texts))


def _row_beside(line: Box, columns: int) -> list[Box]:
    """The stretches of a line's row just before and just after it, three line heights long."""
    reach = 3 * line.h
    parts = [Box(max(0, line.x - reach), line.y, line.x - max(0, line.x - reach), line.h),
             Box(line.x1, line.y, min(columns, line.x1 + reach) - line.x1, line.h)]
    return [part for part in parts if part.w >= line.h // 2]


def _inked(crop: np.ndarray) -> bool:
    """Whether a crop holds more than a flat background: something drawn there."""
    return crop.size > 0 and int(crop.max()) - int(crop.min()) >= INK_CONTRAST


def _beyond(box: Box, lines: list[Box]) -> list[Box]:
    """The stretches of a detector's line that the proposed lines on its row leave unread, each at least
    a line height wide: "61 y" where the date before it was proposed alone."""
    free = np.ones(box.w, bool)
    for line in lines:
        overlap = min(line.y1, box.y1) - max(line.y, box.y)
        if overlap >= 0.5 * min(line.h, box.h):
            free[max(0, line.x - box.x):max(0, line.x1 - box.x)] = False
    parts, start = [], None
    for i, open_ in enumerate([*free, False]):
        if open_ and start is None:
            start = i
        elif not open_ and start is not None:
            if i - start >= box.h // 2:
                parts.append(Box(box.x + start, box.y, i - start, box.h))
            start = None
    return parts


def _same_place(a: Box, b: Box) -> bool:
    return a.intersection(b) >= 0.5 * min(a.area, b.area)


def _around(boxes: list[Box], line: Box) -> Box:
    """The part of the line the second engine reads: the questioned words with a margin, or the line."""
    if not boxes:
        return line
    part = boxes[0]
    for box in boxes[1:]:
        part = part.union(box)
    margin = line.h
    x0, x1 = max(line.x, part.x - margin), min(line.x1, part.x1 + margin)
    return Box(x0, line.y, x1 - x0, line.h)


def _confirm_weak(findings: list[Finding], weak: list[Finding], second: list[Finding]) -> list[Finding]:
    """Weak-pattern findings of the first read the second read does not back become doubtful."""
    backed = [f for f in second if f.kind == "phi"]
    unconfirmed = [f for f in weak if not any(f.box.intersection(b.box) for b in backed)]
    return [Finding(f.box, "unreadable", "doubtful") if f in unconfirmed else f for f in findings]


def _merge(first: OcrLine, second: OcrLine, threshold: float, unexplained: Callable[[str], bool]) -> OcrLine:
    """The first read, with each doubtful or unexplained word settled by the second read where it can be.

    Tesseract's word confidence is unreliable on short tokens ("DOB:" read right at 4 %). A doubtful
    word is trusted when the second read agrees on its text, replaced by the second read's words when
    these are confident about that spot, and dropped when the second read sees no text there at all
    and the word is a scrap of two or three characters (speckle, a caliper). A confident word that
    nothing explains ("Sem") gives way only to confident clinical words one look-alike away ("5cm"), or
    to sure ones when it was itself only fairly confident.
    """
    words = []
    for word in first.words:
        doubtful = word.confidence < threshold
        if not doubtful and not unexplained(word.text):
            words.append(word)
            continue
        others = [o for o in second.words if o.box.intersection(word.box) > 0]
        confident = bool(others) and all(o.confidence >= threshold for o in others)
        same = [o for o in others if fold(o.text) == fold(word.text)]
        if same:  # one reading of the same glyphs; the one that explains itself ("S5-1", not "$5-1")
            chosen = same[0] if unexplained(word.text) and not unexplained(same[0].text) else word
            words.append(replace(chosen, confidence=max(word.confidence, threshold)))
        elif confident and (doubtful or (not any(unexplained(o.text) for o in others)
                                         and (one_slip(fold("".join(o.text for o in others)), fold(word.text))
                                              or _surer(others, word)))):
            words.extend(o for o in others if o not in words)
        elif others or sum(c.isalnum() for c in word.text) > 3 or not doubtful:
            words.append(word)
    return replace(first, words=tuple(words))


def _surer(others: list[OcrWord], word: OcrWord) -> bool:
    """The second engine is sure where the first was only fair ("7/11" against "FAL" at 63 %)."""
    return word.confidence < FAIR and all(o.confidence >= SURE for o in others)


def reconcile(first: OcrLine, second: OcrLine, phi: PhiSet, params: MatchParams,
              strict: bool = False) -> tuple[OcrLine, list[Finding]]:
    """Judge a line read twice: doubts settled as `_merge` says, and PHI that either read found kept.
    `strict`: the line stands where PHI is likely (judge_line).

    When the first read found nothing, the second read is the line.
    """
    vendor = {fold(w) for w in phi.vendor_words}
    merged = _merge(first, second, params.doubt_confidence, lambda text: not explained(text, vendor)) \
        if first.words else second
    findings = judge_line(merged, phi, params, strict)
    for read in (first, second):
        findings += [f for f in judge_line(read, phi, params, strict) if f.kind == "phi"]
    return merged, list(dict.fromkeys(findings))
