"""The one formatting module: values worked out by hand, no database."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from schools import formatting

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (12.345, None, "12,345"),
        (12.345, 1, "12,3"),
        (16.25, 1, "16,3"),  # half up, as people round (a float would print 16,2)
        (0.15, 1, "0,2"),
        (Decimal("80.00"), None, "80"),  # never «8E+1»
        ("8E+1", None, "80"),
        (Decimal("0.100"), None, "0,1"),
        (7, None, "7"),
        (7, 2, "7,00"),
        (-0.04, 1, "0,0"),  # never «-0,0»
        (-2.5, 1, "\u22122,5"),
        ("3,5", None, "3,5"),
        (None, None, "—"),
        ("", 1, "—"),
        (True, None, "—"),
    ],
)
def test_number_has_a_decimal_comma_and_rounds_half_up(value, digits, expected):
    assert formatting.number(value, digits) == expected


def test_number_groups_thousands_only_when_asked_so_years_stay_whole():
    assert formatting.number(12500) == "12500"
    assert formatting.number(12500, grouping=True) == f"12{NBSP}500"
    assert formatting.number(1234567.891, 1, grouping=True) == f"1{NBSP}234{NBSP}567,9"


def test_number_names_missing_data_as_asked_and_passes_words_through():
    assert formatting.number(None, empty="нет данных") == "нет данных"
    assert formatting.number("нет") == "нет"


def test_share_carries_the_percent_sign_after_a_no_break_space():
    assert formatting.share(12.34) == f"12,3{NBSP}%"
    assert formatting.share(100) == f"100,0{NBSP}%"
    assert formatting.share(2 / 3 * 100, 2) == f"66,67{NBSP}%"
    assert formatting.share(None) == "—"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1.25, "+1,3"), (-0.5, "\u22120,5"), (0, "0,0"), (0.04, "0,0"), (None, "—")],
)
def test_signed_shows_the_direction_of_a_change(value, expected):
    assert formatting.signed(value) == expected


def test_school_year_is_written_with_both_calendar_years():
    assert formatting.school_year(2025) == "2025/2026"
    assert formatting.school_year("2024") == "2024/2025"
    assert formatting.school_year(None) == "—"


def test_dates_are_day_month_year_and_moments_are_shown_in_local_time(settings):
    settings.TIME_ZONE = "Asia/Krasnoyarsk"  # UTC+7
    moment = datetime.datetime(2026, 11, 29, 20, 5, tzinfo=ZoneInfo("UTC"))
    assert formatting.date(datetime.date(2026, 3, 8)) == "08.03.2026"
    assert formatting.date(moment) == "30.11.2026"  # 03:05 the next morning in Krasnoyarsk
    assert formatting.local_datetime(moment) == "30.11.2026 03:05"
    assert formatting.date(None) == "—"
    assert formatting.local_datetime(None, empty="ещё не было") == "ещё не было"


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 муниципалитетов"),
        (1, "1 муниципалитет"),
        (2, "2 муниципалитета"),
        (4, "4 муниципалитета"),
        (5, "5 муниципалитетов"),
        (11, "11 муниципалитетов"),
        (12, "12 муниципалитетов"),
        (14, "14 муниципалитетов"),
        (21, "21 муниципалитет"),
        (22, "22 муниципалитета"),
        (40, "40 муниципалитетов"),
        (101, "101 муниципалитет"),
        (111, "111 муниципалитетов"),
        (112, "112 муниципалитетов"),
    ],
)
def test_counted_nouns_take_the_russian_plural_form(count, expected):
    assert formatting.counted(count, "муниципалитет", "муниципалитета", "муниципалитетов") == expected


def test_file_sizes_are_in_megabytes_with_one_decimal():
    assert formatting.megabytes(1_572_864) == f"1,5{NBSP}МБ"
    assert formatting.megabytes(10 * 1024 * 1024) == f"10,0{NBSP}МБ"
