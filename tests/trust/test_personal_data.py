"""Personal data: no published figure reveals a count of students under k (DESIGN §4.7), for any table
(hypothesis) and for a real published report; no model holds a record of an individual student."""

import io
import re

import pytest
from django.apps import apps
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from reports import masking

COUNTS = st.one_of(
    st.integers(min_value=0, max_value=10_000),
    st.none(),
    st.floats(min_value=0, max_value=50, allow_nan=False),
)


@st.composite
def tables(draw):
    """A report table: count columns, share columns computed from some of them, other columns."""
    n_counts = draw(st.integers(min_value=1, max_value=4))
    n_shares = draw(st.integers(min_value=0, max_value=3))
    kinds = [masking.COUNT] * n_counts + [masking.SHARE] * n_shares + [masking.NUMBER, masking.TEXT]
    basis = {
        str(n_counts + i): draw(
            st.lists(st.integers(0, n_counts - 1), min_size=1, max_size=n_counts, unique=True)
        )
        for i in range(n_shares)
    }
    rows = draw(
        st.lists(
            st.tuples(
                st.lists(COUNTS, min_size=n_counts, max_size=n_counts),
                st.lists(st.floats(0, 100, allow_nan=False), min_size=n_shares, max_size=n_shares),
                st.floats(allow_nan=False),
                st.text(max_size=5),
            ).map(lambda r: [*r[0], *r[1], r[2], r[3]]),
            max_size=8,
        )
    )
    return {"kinds": kinds, "basis": basis, "rows": rows}


@settings(max_examples=300, deadline=None)
@given(table=tables(), k=st.integers(min_value=2, max_value=20))
def test_no_masked_table_reveals_a_count_under_k(table, k):
    from django.conf import settings as django_settings

    saved, django_settings.SMALL_COUNT_K = django_settings.SMALL_COUNT_K, k
    try:
        public = masking.mask_table(table)
    finally:
        django_settings.SMALL_COUNT_K = saved
    for original, row in zip(table["rows"], public["rows"], strict=True):
        for index, kind in enumerate(table["kinds"]):
            value = row[index]
            if kind == masking.COUNT:
                assert not (isinstance(value, int | float) and 0 < value < k), (index, value)
                assert value == original[index] or value == f"<{k}"
            if kind == masking.SHARE and any(
                isinstance(original[c], int | float) and 0 < original[c] < k
                for c in table["basis"][str(index)]
            ):
                assert value is None  # a share from a small count would let one compute it back
        assert row[-2:] == original[-2:]  # other numbers and text are untouched


def _small_count_cells(values, k) -> list:
    return [v for v in values if isinstance(v, int | float) and not isinstance(v, bool) and 0 < v < k]


@pytest.fixture
def computed(db):
    from tests.reports.factories import seed_catalogue, two_years

    seed_catalogue()
    two_years()


@pytest.mark.slow
def test_a_published_report_shows_no_small_count_anywhere(computed, settings):
    """School S3 has 7 students and 5 exam participants: public data, PDF text and xlsx say «<10»."""
    from pypdf import PdfReader

    from reports import services

    report = services.report_build(report_id=services.report_create(kind="annual", year=2025).pk)
    internal_counts = [
        row[i]
        for table in report.data["tables"].values()
        for row in table["rows"]
        for i, kind in enumerate(table["kinds"])
        if kind == masking.COUNT
    ]
    assert _small_count_cells(internal_counts, 10), "the fixture must contain small counts to hide"

    public = services.report_publish(report_id=report.pk)
    for name, table in public.public_data["tables"].items():
        counts = [
            row[i] for row in table["rows"] for i, kind in enumerate(table["kinds"]) if kind == masking.COUNT
        ]
        assert _small_count_cells(counts, 10) == [], name
    workbook = load_workbook(io.BytesIO(public.public_xlsx.read()))
    assert any(cell.value == "<10" for ws in workbook.worksheets for row in ws.iter_rows() for cell in row)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(public.public_pdf.read())).pages)
    assert "<10" in text


STUDENT_FIELD = re.compile(
    r"(student|pupil|learner|child)_?(name|surname|snils|birth|passport|id)|^(snils|birth_date)$"
)


def test_no_model_stores_an_individual_student():
    offending = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in ("schools", "indicators", "monitoring", "roadmaps", "reports")
        for field in model._meta.get_fields()
        if STUDENT_FIELD.search(field.name)
    ]
    names = [m._meta.label for m in apps.get_models() if re.search(r"Student|Pupil|Learner", m.__name__)]
    assert (offending, names) == ([], [])


@pytest.mark.parametrize("k", [5, 10])
def test_the_small_label_follows_the_setting(settings, k):
    settings.SMALL_COUNT_K = k
    assert (masking.mask_count(k - 1), masking.mask_count(k), masking.mask_count(0)) == (f"<{k}", k, 0)
