"""The line judge where PHI is likely: what a read leaves out of a column of PHI fields is not kept.

The engine is scripted, so each case pins down the read that small text gets in practice (initials "MM"
read as "M", an age "41 J" read as "41 3"); the ink is real, drawn with a font.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pixelscrub.config import load_config
from pixelscrub.header.phi import PhiSet
from pixelscrub.pixels.ocr.engine import OcrEngine, OcrLine, OcrWord, TextDetector
from pixelscrub.pixels.regions.boxes import Box
from pixelscrub.pixels.regions.places import Places
from pixelscrub.pixels.text.detect import tighten
from pixelscrub.pixels.text.check import Checker
from pixelscrub.pixels.text.scan import LineJudge, Scan, _Reader

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


class Scripted(OcrEngine):
    """Reads every crop as the same words: each `width` px wide from the crop's left edge, or sharing
    the crop's width (less its white margin) when `width` is None."""

    name = "scripted"

    def __init__(self, words: list[tuple[str, float]], width: int | None = None):
        self.words, self.width = words, width

    def read(self, crop: np.ndarray) -> list[OcrWord]:
        step = self.width + 10 if self.width else (crop.shape[1] - 16) // len(self.words)
        width = self.width or step
        return [OcrWord(text, confidence, Box(8 + i * step, 8, width, crop.shape[0] - 16))
                for i, (text, confidence) in enumerate(self.words)]


def canvas(text: str, at: tuple[int, int], size: int = 9) -> tuple[np.ndarray, Box]:
    """A black 480x640 image with `text` drawn in white; the tight box of its ink."""
    pil = Image.new("L", (640, 480), 0)
    font = ImageFont.truetype(FONT, size) if Path(FONT).exists() else ImageFont.load_default(size)
    ImageDraw.Draw(pil).text(at, text, fill=255, font=font)
    grey = np.asarray(pil).copy()
    ys, xs = np.nonzero(grey > 60)
    box = Box(int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1))
    return grey, tighten(grey, box)


def is_masked(findings, box: Box) -> bool:
    """Whether a PHI finding covers `box` (a word's)."""
    return any(f.kind == "phi" and f.box.contains(box) for f in findings)


def judge(engine: OcrEngine, places: Places, modality: str = "US") -> LineJudge:
    return LineJudge(engine, None, PhiSet(), load_config(None).profile.first_pass(), places, modality)


@pytest.mark.parametrize("text,at,flush_right,read", [
    ("41 J", (10, 40), False, [("41", 90.0), ("3", 90.0)]),  # an age read in part under a birth date
    ("11:21", (560, 40), True, [("11321", 62.0)]),  # a time under a date on the right edge
    ("67 J", (10, 40), False, [("67)", 84.0)]),  # an age, its J read as ")"
    ("22Y", (10, 40), False, [("22T", 60.0)]),  # an age, its Y read unsurely as T (a development seed)
    ("SEP-1986", (10, 40), False, [("SEP-1", 80.0), ("936", 79.0)]),  # a date, its year split by a misread
])
def test_a_bare_number_under_a_phi_field_is_masked_as_a_misread(text, at, flush_right, read):
    grey, box = canvas(text, at)
    places = Places(480, 640)
    above = box.x1 - 70 if flush_right else box.x  # the field above, already masked
    places.lines.append(Box(above, box.y - box.h - 3, 70, box.h))
    _, findings = judge(Scripted(read), places)(grey, box)
    assert findings and all(f.kind == "phi" for f in findings)
    assert any(f.box.contains(box) or f.box == box for f in findings)


def test_a_number_and_its_unit_read_well_under_a_phi_field_is_kept():
    grey, box = canvas("3T", (10, 40))
    places = Places(480, 640)
    places.lines.append(Box(box.x, box.y - box.h - 3, 70, box.h))
    _, findings = judge(Scripted([("3T", 95.0)]), places)(grey, box)
    assert all(f.kind == "keep" for f in findings)


def test_the_same_number_away_from_phi_fields_is_kept():
    grey, box = canvas("41 J", (10, 40))
    _, findings = judge(Scripted([("41", 90.0), ("3", 90.0)]), Places(480, 640))(grey, box)
    assert all(f.kind == "keep" for f in findings)


def test_initials_read_short_where_phi_is_likely_are_masked_whole():
    grey, box = canvas("MM", (5, 68))
    _, findings = judge(Scripted([("M", 82.0)], 4), Places(480, 640))(grey, box)
    masked = np.zeros(grey.shape, bool)
    for finding in findings:
        if finding.kind == "phi":
            masked[finding.box.y:finding.box.y1, finding.box.x:finding.box.x1] = True
    ink = grey > 60
    assert ink[masked].sum() >= 0.5 * ink.sum()  # the letter the read left out is masked, not kept


def test_a_short_scrap_over_the_anatomy_is_not_masked_for_being_short():
    grey, box = canvas("MM", (300, 240))
    _, findings = judge(Scripted([("M", 82.0)], 4), Places(480, 640))(grey, box)
    assert not any(f.kind == "phi" for f in findings)


def test_a_banner_read_as_a_few_scraps_is_masked_where_the_read_missed_it():
    grey, box = canvas("BIANCHI LUCA  19340220  Centro Aurora", (6, 6), size=7)
    _, findings = judge(Scripted([("Pa", 72.0), ("P", 86.0)], 6), Places(480, 640))(grey, box)
    masked = np.zeros(grey.shape, bool)
    for finding in findings:
        if finding.kind == "phi":
            masked[finding.box.y:finding.box.y1, finding.box.x:finding.box.x1] = True
    ink = grey > 60
    assert ink[masked].sum() >= 0.8 * ink.sum()


def test_standalone_initials_where_phi_is_likely_are_masked_and_view_markers_kept():
    for text, modality, masked in (("FL", "DX", True), ("AC", "US", True), ("AP", "DX", False), ("CT", "CT", False),
                                   ("NM", "CR", True), ("PD", "US", False), ("PD", "DX", True), ("MR", "CT", True)):
        grey, box = canvas(text, (20, 440), size=12)
        _, findings = judge(Scripted([(text, 97.0)]), Places(480, 640), modality)(grey, box)
        assert any(f.kind == "phi" for f in findings) == masked, (text, modality)


def test_initials_after_a_lost_colon_with_a_speck_or_spelling_a_foreign_word_are_masked_and_a_view_kept():
    for words, modality, masked in (([("Tech", 68.0), ("NM", 82.0)], "US", True), ([("Sono", 90.0), ("JDB", 90.0)], "US", True),
                                    ([("Rt", 90.0), ("AP", 90.0)], "DX", False), ([("RM_", 86.0)], "US", True),
                                    ([("EM", 96.0)], "DX", True), ([("AS", 96.0)], "US", True)):
        text = " ".join(w for w, _ in words)
        grey, box = canvas(text, (20, 440), size=12)
        _, findings = judge(Scripted(words), Places(480, 640), modality)(grey, box)
        assert any(f.kind == "phi" for f in findings) == masked, text


def test_as_many_bare_digits_as_a_date_has_are_masked_where_phi_is_likely():
    grey, box = canvas("02.04.2020", (500, 10), size=12)
    _, findings = judge(Scripted([("82,", 73.0), ("64,", 82.0), ("2628", 68.0)]), Places(480, 640))(grey, box)
    assert findings and all(f.kind == "phi" for f in findings)


@pytest.mark.parametrize("text,word,confidence,hidden", [
    ("14.06.2023 17h24", "ima", 70.0, True), ("14.06.2023 17h24", "ima", 97.0, False),  # a time misread
    ("14.06.2023 3/16", "3/16", 89.0, False), ("14.06.2023 3/16", "3116", 89.0, True),  # a frame counter
    ("14.06.2023 3/16", "3/16", 60.0, True),
])
def test_a_word_beside_a_date_is_masked_when_read_unsurely_or_bare_and_a_counter_read_well_kept(
        text, word, confidence, hidden):
    grey, box = canvas(text, (200, 12), size=12)
    line, findings = judge(Scripted([("14.06.2023", 92.0), (word, confidence)]), Places(480, 640))(grey, box)
    assert is_masked(findings, line.words[1].box) == hidden


def test_a_number_that_names_its_unit_beside_a_date_is_kept():
    grey, box = canvas("14.06.2023 16 cm", (200, 12), size=12)
    line, findings = judge(Scripted([("14.06.2023", 92.0), ("16", 95.0), ("cm", 95.0)]), Places(480, 640))(grey, box)
    assert not is_masked(findings, line.words[1].box)


def test_words_read_in_the_same_place_twice_do_not_stall_the_judge():
    """Two words with one box (a read that repeats a word) once looped forever: each turns once."""
    grey, box = canvas("14.06.2023 IG", (200, 12), size=12)
    engine = Scripted([("14.06.2023", 92.0), ("IG", 90.0)])
    first = engine.read

    def doubled(crop):
        words = first(crop)
        return words + [OcrWord("ok", 97.0, words[1].box)]
    engine.read = doubled
    line, findings = judge(engine, Places(480, 640))(grey, box)
    assert is_masked(findings, line.words[1].box)


def test_an_id_read_with_its_caption_misread_is_masked_where_phi_is_likely():
    grey, box = canvas("ID: 2016718222", (8, 30), size=14)
    _, findings = judge(Scripted([("Ib:", 83.0), ("26167", 80.0), ("18222", 79.0)]), Places(480, 640))(grey, box)
    assert findings and all(f.kind == "phi" for f in findings)


def test_a_caption_with_a_short_value_is_kept_where_phi_is_likely():
    grey, box = canvas("Depth: 160", (8, 30), size=14)
    _, findings = judge(Scripted([("Depth:", 93.0), ("160", 95.0)]), Places(480, 640))(grey, box)
    assert all(f.kind == "keep" for f in findings)


@pytest.mark.parametrize("drawn, misread", [("16Y", "16%"), ("68 A", "68:A")])
def test_an_age_read_with_a_sign_beside_a_birth_date_is_masked(drawn, misread):
    grey, box = canvas(f"12.02.2001 {drawn}", (200, 12), size=12)
    line, findings = judge(Scripted([("12.02.2001", 92.0), (misread, 78.0)]), Places(480, 640))(grey, box)
    assert is_masked(findings, line.words[1].box)


@pytest.mark.parametrize("index, kept", [(9, True), (2, False)])
def test_a_cine_frame_counter_read_unsurely_is_kept_only_on_its_own_frame(index, kept):
    """"10/16" read with low confidence on the tenth of 16 frames is that frame's number; the same read on
    another frame is no counter of it, and stays a doubt where PHI is likely."""
    grey, box = canvas("10/16", (70, 20), size=8)
    # The second engine reads small lines first ("10/16", unsurely); the first disagrees.
    line_judge = LineJudge(Scripted([("1O/1b", 40.0)]), Scripted([("10/16", 59.0)]), PhiSet(),
                           load_config(None).profile.first_pass(), Places(480, 640), "US")
    reader = _Reader(Scan(), line_judge, None, (0, "grey"), 16)
    reader._read(index, "grey", grey, [box])
    assert reader.result.findings
    assert all(f.kind == "keep" for f in reader.result.findings) is kept


@pytest.mark.parametrize("text, read, kept", [
    ("Im: 186/232", [("Im:", 95.0), ("186/232", 96.0)], True),  # an image counter read well
    ("WL: 304 WW: 1113", [("WL:", 79.0), ("304", 95.0), ("WW:", 60.0), ("1113", 77.0)], True),
    ("ID: 26167 18222", [("Ib:", 70.0), ("26167", 90.0), ("18222", 90.0)], False),  # a caption misread
    ("Se: 03 04 2020", [("Se:", 90.0), ("03", 90.0), ("04", 90.0), ("2020", 90.0)], False),  # a date's digits
])
def test_numbers_their_captions_name_are_kept_where_phi_is_likely(text, read, kept):
    grey, box = canvas(text, (10, 20), size=12)
    _, findings = judge(Scripted(read), Places(480, 640))(grey, box)
    assert all(f.kind == "keep" for f in findings) is kept


class Found(TextDetector):
    """A learned detector that finds the given regions."""

    def __init__(self, boxes: list[Box]):
        self.boxes = boxes

    def detect(self, grey: np.ndarray) -> list[Box]:
        return self.boxes


class Unread:
    """A line judge whose engines read nothing worth judging (a name over a localizer's gradient, read
    as "ae" at confidence 29 by both), as LineJudge returns it: no findings."""

    def __init__(self) -> None:
        self.places, self.settings, self.detected = Places(480, 640), load_config(None).profile.first_pass(), []

    def __call__(self, grey: np.ndarray, box: Box, detected: bool = False):
        self.detected.append(detected)
        return OcrLine(box, (OcrWord("ae", 29.0, box),), "scripted"), []


@pytest.mark.parametrize("at, composite, outcome", [
    ((200, 300), False, "held"),     # over the anatomy, away from where PHI is likely: a person judges it
    ((10, 20), False, "masked"),     # in the banner: masked
    ((200, 300), True, "nothing"),   # a run's composite: changing text shows blended, read on every frame
])
def test_text_the_detector_finds_and_nothing_reads_is_not_released_as_it_is(at, composite, outcome):
    """Before, the check let such a region go as noise, and a legible name went out."""
    grey, box = canvas("Ibanez, Sergio", at, size=14)
    judge_stub = Unread()
    checker = Checker(Found([box.pad(3, 640, 480)]), judge_stub, load_config(None).profile.check)
    checker.check(grey, [], [], composite=composite)
    result = {"held": bool(checker.result.held), "masked": bool(checker.result.masks)}
    assert result == {"held": outcome == "held", "masked": outcome == "masked"}
    assert judge_stub.detected == [not composite]  # a detected region is text: its weak read is read again
