"""How the computation writes a year: in one transaction, through COPY on PostgreSQL, with the
indicator values' foreign keys kept by Django and by the statuses written beside them."""

import pytest
from django.db import IntegrityError
from django.db.models import ProtectedError

from indicators.models import ComputationRun, Indicator, IndicatorValue, PopulationStat, SchoolStatus
from indicators.services import compute, statuses_compute
from schools.models import Municipality, School
from tests.indicators.municipality import build


@pytest.fixture
def town(catalogue):
    return build()


def year_state(year=2024):
    values = sorted(
        IndicatorValue.objects.filter(year=year).values_list(
            "school__code", "indicator__code", "value", "risk", "rank", "run_id"
        )
    )
    statuses = sorted(
        SchoolStatus.objects.filter(year=year).values_list(
            "school__code", "cluster", "results_index", "low_results", "run_id"
        )
    )
    return values, statuses, PopulationStat.objects.filter(year=year).count()


def test_text_with_tabs_quotes_and_backslashes_is_stored_as_written(town):
    name = 'Округ "Северный"\t\\ № 1\nсело'
    Municipality.objects.filter(name="Тестовый округ").update(name=name)

    statuses_compute(year=2024)

    cluster = f"{name} · город · 100–499"
    t1 = SchoolStatus.objects.get(school__code="T1", year=2024)
    assert t1.cluster == cluster
    assert t1.reasons["low_results_years"][-1]["cluster"] == cluster
    assert t1.results_index == 0.0 and t1.low_results_year is True
    stat = PopulationStat.objects.get(year=2024, indicator="vpr_fail_share", population=cluster)
    assert (stat.count, stat.median, stat.minimum, stat.maximum) == (4, 15.0, 10.0, 40.0)
    assert PopulationStat.objects.filter(year=2024, population_kind="municipality", population=name).exists()


def test_a_run_that_fails_while_writing_leaves_the_previous_results(town, monkeypatch):
    statuses_compute(year=2024)
    before = year_state()

    def broken(*args, **kwargs):
        yield from ()
        raise RuntimeError("сбой записи статистики")

    monkeypatch.setattr(compute, "_stat_rows", broken)
    with pytest.raises(
        Exception, match="сбой записи статистики"
    ):  # PostgreSQL reports it as a cancelled COPY
        statuses_compute(year=2024)

    assert year_state() == before
    assert ComputationRun.objects.filter(year=2024).count() == 1


def test_school_and_indicator_deletion_still_follow_the_foreign_keys(town):
    statuses_compute(year=2024)
    t1 = School.objects.get(code="T1")
    assert IndicatorValue.objects.filter(school=t1).count() == 18

    t1.delete()

    assert not IndicatorValue.objects.filter(school_id=t1.pk).exists()
    with pytest.raises(ProtectedError):
        Indicator.objects.get(code="vpr_fail_share").delete()


@pytest.mark.django_db(transaction=True)
def test_a_school_deleted_before_the_commit_rolls_the_whole_run_back(town, monkeypatch):
    statuses_compute(year=2024)
    before = year_state()
    t1 = School.objects.get(code="T1")
    real_low_results = compute._low_results

    def school_deleted_meanwhile(*args):
        School.objects.filter(pk=t1.pk).delete()  # as if another user deleted it before this run commits
        return real_low_results(*args)

    monkeypatch.setattr(compute, "_low_results", school_deleted_meanwhile)
    with pytest.raises(IntegrityError):
        statuses_compute(year=2024)

    assert School.objects.filter(pk=t1.pk).exists()
    assert year_state() == before
    assert not IndicatorValue.objects.exclude(school__in=School.objects.all()).exists()
