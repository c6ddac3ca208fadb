"""The annual report has a section on each kind of monitoring of the year (seed 000, issue 19)."""

import pytest

from monitoring.models import ExpertCard
from reports.services import report_build, report_create
from schools.models import School
from tests.monitoring.factories import make_campaign
from tests.reports.test_annual import flat, pdf_text


@pytest.mark.slow  # builds the annual report's PDF
def test_annual_report_has_the_monitorings_section(computed):
    schools = list(School.objects.order_by("code")[:2])
    before = make_campaign(schools=schools, year=2024)
    after = make_campaign(schools=schools, year=2025)
    ExpertCard.objects.filter(campaign=before).update(status="verified", score=11, level="medium")
    ExpertCard.objects.filter(campaign=after, school=schools[0]).update(
        status="verified", score=14, level="high"
    )
    report = report_build(report_id=report_create(kind="annual", year=2025).pk)
    text = flat(pdf_text(report.pdf))
    assert "Мониторинги (по каждому виду мониторинга)" in text
    # one card verified in 2025 (14/17 = 82,4 %), two in 2024 (11/17 = 64,7 %); the school rose medium → high
    assert "82,4" in text and "64,7" in text
    assert "степень эффективности выросла у 1, снизилась у 0, не изменилась у 0" in text
