"""Hostile cell values and links: formula injection in exports, non-http links, parsers under hypothesis."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from schools import tabular
from schools.exports import Sheet, safe_cell, workbook_bytes
from schools.validators import HTTP_URL_ONLY, URL_WITH_CREDENTIALS, validate_http_url

# --- exports: formula injection (CSV/xlsx) ---------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+7 (999) 000", "'+7 (999) 000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Школа № 1", "Школа № 1"),
        ("", ""),
        (-5, -5),
        (2.5, 2.5),
        (None, None),
    ],
)
def test_safe_cell_neutralises_formula_starts(value, expected):
    assert safe_cell(value) == expected


def test_an_exported_workbook_holds_no_formula_anywhere():
    hostile = ["=cmd|' /C calc'!A0", "+1", "-1", "@x"]
    content = workbook_bytes(
        [Sheet("Данные", ["=Заголовок", "Код"], [hostile, ["0101", 3]])], about={"=ключ": "@значение"}
    )
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), cell.value
    assert workbook["Данные"]["A2"].value == "'=cmd|' /C calc'!A0"


@given(st.text())
def test_safe_cell_never_returns_a_formula_start(text):
    result = safe_cell(text)
    assert not result.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert result.endswith(text)


# --- links: only http(s) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "link", ["https://school1.edu.ru/otchet.pdf", "http://192.168.0.5/doc", "https://диск.рф/файл?id=1#стр2"]
)
def test_http_links_are_accepted(link):
    validate_http_url(link)


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "ftp://school.ru/a",
        "//evil.example/x",
        "school.ru/otchet.pdf",
        "https://",
        "http:///path",
        "",
        " https://school.ru",
        "https://school.ru/a\nb",
        "vbscript:msgbox",
        "https://school.ru\\@evil.example",
    ],
)
def test_other_links_are_refused_in_russian(link):
    with pytest.raises(ValidationError) as error:
        validate_http_url(link)
    assert error.value.messages == [HTTP_URL_ONLY]


def test_links_with_credentials_are_refused():
    with pytest.raises(ValidationError) as error:
        validate_http_url("https://user:secret@school.ru/doc")
    assert error.value.messages == [URL_WITH_CREDENTIALS]


@given(st.text(max_size=300))
def test_the_link_validator_only_ever_raises_validation_error(text):
    try:
        validate_http_url(text)
    except ValidationError:
        return
    assert text.lower().startswith(("http://", "https://"))


# --- import parsers: any cell value → a value or a Russian CellError ---------------------------

CELL_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**300),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
    st.text(alphabet="0123456789 ,.-–/\u00a0eE+", max_size=20),
    st.dates(),
    st.datetimes(),
    st.sampled_from(["—", "н/д", "2024/2025", "2024-25", "1e309", "-0", "10**9", "١٢٣", "Ⅻ", "²", "0x10"]),
)
PARSERS = [
    tabular.parse_count,
    tabular.parse_int,
    tabular.parse_decimal,
    tabular.parse_bool,
    tabular.parse_flag,
    tabular.parse_academic_year,
    tabular.parse_date,
    tabular.parse_text,
]
CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ")


@pytest.mark.parametrize("parse", PARSERS, ids=[p.__name__ for p in PARSERS])
@settings(max_examples=300, deadline=None)
@given(value=CELL_VALUES)
def test_every_parser_yields_a_value_or_a_russian_cell_error(parse, value):
    try:
        result = parse(value)
    except tabular.CellError as error:
        assert CYRILLIC & set(str(error)), str(error)
        return
    expected_types = {
        "parse_count": int,
        "parse_int": int,
        "parse_decimal": float,
        "parse_bool": bool,
        "parse_flag": bool,
        "parse_academic_year": int,
        "parse_date": datetime.date,
        "parse_text": str,
    }[parse.__name__]
    assert result is None or isinstance(result, expected_types)
    if parse.__name__ == "parse_count" and result is not None:
        assert 0 <= result <= 10**9
    if parse.__name__ == "parse_academic_year" and result is not None:
        assert 2000 <= result <= 2100
