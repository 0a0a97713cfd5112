import datetime as dt

import pytest

from pixelscrub.pixels.text.dates import find_dates

JAN31 = dt.date(2024, 1, 31)


@pytest.mark.parametrize("text", [
    "01/31/2024", "31.01.2024", "31-JAN-2024", "Jan 31 2024", "24/01/31", "2024-01-31", "20240131",
    "31 Jan 2024", "January 31st, 2024", "2024/01/31", "1/31/2024", "31-Jan-24",
])
def test_every_written_form_reads_as_the_same_date(text):
    mentions = find_dates(f"Exam {text} done")
    assert len(mentions) == 1
    assert JAN31 in mentions[0].readings


def test_ambiguous_day_month_gives_both_readings():
    (mention,) = find_dates("04/05/2024")
    assert set(mention.readings) == {dt.date(2024, 4, 5), dt.date(2024, 5, 4)}


@pytest.mark.parametrize("text,months", [("Jan 2024", (2024, 1)), ("01/2024", (2024, 1)), ("Sep. 2020", (2020, 9))])
def test_partial_dates_keep_year_and_month(text, months):
    (mention,) = find_dates(text)
    assert mention.readings == () and mention.months == (months,)


@pytest.mark.parametrize("text", [
    "3/3/4", "Page 1/3", "127/128", "1.06 cm", "FR: 31,3 FPS", "9123 5.0 R15", "MAYOR 2020", "MI 1.1",
    "1 Gen 50", "C5-1 Gen 50",  # a preset and a gain, not a date with a two-digit year
    "32/13/2024",  # no such month or day
])
def test_clinical_text_is_not_a_date(text):
    assert [m for m in find_dates(text) if m.readings or m.months] == []


def test_span_covers_the_date_only():
    text = "DOB: 07.22.1943"
    (mention,) = find_dates(text)
    assert text[mention.start:mention.end] == "07.22.1943"


@pytest.mark.parametrize("text,day", [
    ("21 abr 2023", (2023, 4, 21)), ("7 ago 2020", (2020, 8, 7)), ("11 giu 2019", (2019, 6, 11)),
    ("12 set 2020", (2020, 9, 12)), ("07-FEV-2006", (2006, 2, 7)), ("3 Okt. 2019", (2019, 10, 3)),
    ("10 DÉC 2020", (2020, 12, 10)), ("5 mei 2021", (2021, 5, 5)), ("2 März 2022", (2022, 3, 2)),
    ("14 juillet 1999", (1999, 7, 14)), ("9 outubro 2001", (2001, 10, 9)), ("30-JUN-08", (2008, 6, 30)),
    ("2018 Oct 23", (2018, 10, 23)), ("2021-Feb-02", (2021, 2, 2)),
])
def test_month_names_in_the_languages_vendors_ship(text, day):
    (mention,) = find_dates(text)
    assert dt.date(*day) in mention.readings
