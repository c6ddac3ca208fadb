"""Every kind of document drawn from data: the DOCX opened with python-docx shows the figures, names,
numbers and dates the data says; the calendar's .ics parses; a protocol's decisions become decisions."""

import datetime

import pytest
from django.core.management import call_command
from icalendar import Calendar

from documents import services
from documents.contexts import calendar_events
from documents.models import CalendarEvent
from documents.rendering import render_ics
from monitoring.models import Campaign, CardTemplate, ExpertCard
from roadmaps.models import CycleStage, ManagementDecision, Roadmap, RoadmapItem
from schools.errors import ValidationFailed
from tests.documents.test_orders import docx_text, stored_text
from tests.factories import SchoolFactory
from tests.indicators.factories import result
from tests.reports.factories import seed_catalogue

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def catalogue(db):
    from monitoring.reference import seed as seed_monitoring

    seed_catalogue()
    seed_monitoring()


@pytest.fixture
def campaign(catalogue):
    template = CardTemplate.objects.get(slug="lesosibirsk-shnor")
    campaign = Campaign.objects.create(
        year=YEAR,
        title="Мониторинг эффективности руководителей ШНОР",
        template=template,
        self_assessment_due=datetime.date(2025, 9, 30),
        verification_due=datetime.date(2025, 10, 15),
        evaluation_due=datetime.date(2025, 11, 1),
    )
    for code, name, score, level in (("M1", "СШ № 1", 15, "high"), ("M2", "ООШ № 2", 9, "low")):
        ExpertCard.objects.create(
            campaign=campaign,
            school=SchoolFactory(code=code, short_name=name, name=f"МБОУ «{name}»"),
            status="evaluated",
            template_version=1,
            template_snapshot={},
            max_score=17,
            score=score,
            level=level,
        )
    return campaign


def test_monitoring_order_lists_schools_scores_and_levels(campaign, inspector):
    order = services.order_draft_create(
        user=inspector,
        document_kind="monitoring",
        year=YEAR,
        campaign=campaign,
        date=datetime.date(2025, 11, 5),
    )
    text = stored_text(order.docx).split("\n")

    assert "Об утверждении результатов мониторинга «Мониторинг эффективности руководителей ШНОР»" in text
    assert "ПРИКАЗЫВАЮ:" in text and "05.11.2025" in text
    # the appendix rows: №, school, confirmed points, maximum, level
    assert text[text.index("МБОУ «СШ № 1»") - 1 :][:5] == ["1", "МБОУ «СШ № 1»", "15", "17", "высокая"]
    assert text[text.index("МБОУ «ООШ № 2»") - 1 :][:5] == ["2", "МБОУ «ООШ № 2»", "9", "17", "низкая"]
    assert order.data["summary"] == [
        "Участников мониторинга: 2; высокая эффективность — 1, средняя — 0, низкая — 1, не оценено — 0."
    ]


def test_roadmap_order_lists_its_items_with_terms_and_responsible(catalogue, inspector):
    roadmap = Roadmap.objects.create(title="Дорожная карта ШНОР на 2025–2026 годы")
    RoadmapItem.objects.create(
        roadmap=roadmap,
        stage=CycleStage.objects.get(number=3),
        number="3.1",
        title="Мониторинг эффективности руководителей ШНОР",
        term="ежегодно",
        due_date=datetime.date(2025, 11, 1),
        responsible="Иванова И.И., методист ИМЦ",
        result="аналитическая справка",
    )

    order = services.order_draft_create(user=inspector, document_kind="roadmap", year=YEAR, roadmap=roadmap)
    text = stored_text(order.docx).split("\n")

    assert "Об утверждении дорожной карты «Дорожная карта ШНОР на 2025–2026 годы»" in text
    row = text[text.index("3.1") :][:6]
    assert row == [
        "3.1",
        "3. Мониторинг",
        "Мониторинг эффективности руководителей ШНОР",
        "ежегодно, 01.11.2025",
        "Иванова И.И., методист ИМЦ",
        "аналитическая справка",
    ]


def test_spravka_on_a_procedure_has_the_shares_worked_out_by_hand(catalogue, inspector):
    # Two schools, ОГЭ mathematics grade 9: 40 + 60 = 100 participants; below minimum 3 + 5 = 8 → 8,0 %;
    # mark «2» 3 + 5 = 8 → 8,0 %; mark «5» 10 + 12 = 22 → 22,0 %.
    for code, participants, below, m2, m3, m4, m5 in (
        ("P1", 40, 3, 3, 12, 15, 10),
        ("P2", 60, 5, 5, 20, 23, 12),
    ):
        result(SchoolFactory(code=code), YEAR, "OGE", "math", 9, participants,
               below_min=below, mark2=m2, mark3=m3, mark4=m4, mark5=m5)  # fmt: skip

    order = services.order_draft_create(user=inspector, document_kind="spravka", year=YEAR, procedure="OGE")
    text = stored_text(order.docx).split("\n")

    assert "АНАЛИТИЧЕСКАЯ СПРАВКА" in text
    assert "по результатам ОГЭ в 2025/2026 учебном году" in text
    assert (
        "В 2025/2026 учебном году в процедуре ОГЭ приняли участие 100 обучающихся "
        "2 общеобразовательных организаций." in text
    )
    row = text[text.index("Математика") :][:8]
    assert row == ["Математика", "9", "2", "100", "8,0", "8,0", "—", "22,0"]


def test_spravka_without_results_is_refused_in_russian(catalogue, inspector):
    with pytest.raises(ValidationFailed) as refused:
        services.order_draft_create(user=inspector, document_kind="spravka", year=YEAR, procedure="EGE")
    assert refused.value.message == "Нет результатов процедуры «ЕГЭ» за 2025/2026 учебный год."


def test_a_signed_protocol_turns_its_decisions_into_management_decisions(catalogue, inspector):
    params = services.protocol_params(
        meeting="совещания руководителей ОО",
        chair="И.И. Иванова",
        secretary="А.П. Сидорова",
        attendees="руководители ОО (12 человек)",
        agenda="Об итогах мониторинга ШНОР\nО программах помощи",
        decisions="Провести семинар по ИОМ педагогов; методический центр; 15.12.2025\n"
        "Представить программы помощи; руководители ШНОР; 01.02.2026",
        decision_kind="methodical",
    )
    order = services.order_draft_create(user=inspector, document_kind="protocol", year=YEAR, params=params)
    text = stored_text(order.docx).split("\n")
    assert "ПРОТОКОЛ" in text and "РЕШИЛИ:" in text and "ПОВЕСТКА ДНЯ:" in text
    first = "1. Провести семинар по ИОМ педагогов. Ответственный: методический центр. Срок: 15.12.2025."
    assert first in text
    assert "2. О программах помощи" in text

    services.order_sign(order=order, user=inspector, number="3", date=datetime.date(2025, 11, 20))

    decisions = list(
        ManagementDecision.objects.order_by("deadline").values_list(
            "title", "kind", "responsible", "deadline", "document_number", "document_date"
        )
    )
    assert decisions == [
        (
            "Провести семинар по ИОМ педагогов",
            "methodical",
            "методический центр",
            datetime.date(2025, 12, 15),
            "протокол № 3",
            datetime.date(2025, 11, 20),
        ),
        (
            "Представить программы помощи",
            "methodical",
            "руководители ШНОР",
            datetime.date(2026, 2, 1),
            "протокол № 3",
            datetime.date(2025, 11, 20),
        ),
    ]


def test_a_bad_decision_line_is_named(catalogue):
    with pytest.raises(ValidationFailed) as refused:
        services.protocol_decisions_parse(
            "Провести семинар; ИМЦ; 15.12.2025\nПредставить программы; ОО; 31.02.2026"
        )
    assert refused.value.message == "Решение 2: срок «31.02.2026» не дата дд.мм.гггг."


def test_calendar_gathers_campaign_stages_roadmap_terms_and_procedure_dates_and_exports_ics(
    campaign, inspector
):
    roadmap = Roadmap.objects.create(title="Муниципальная дорожная карта")
    RoadmapItem.objects.create(
        roadmap=roadmap,
        stage=CycleStage.objects.get(number=4),
        number="4.2",
        title="Совещание по итогам ВПР",
        due_date=datetime.date(2026, 6, 10),
        responsible="управление образования",
    )
    CalendarEvent.objects.create(
        year=YEAR,
        starts_on=datetime.date(2026, 4, 6),
        ends_on=datetime.date(2026, 5, 15),
        title="ВПР в 4–8 классах",
        procedure="VPR",
        responsible="руководители ОО",
    )

    order = services.order_draft_create(user=inspector, document_kind="calendar", year=YEAR)
    text = stored_text(order.docx).split("\n")
    rows = order.data["appendices"][0]["rows"]
    ics = Calendar.from_ical(render_ics(title=order.title, rows=rows))

    assert [(r["month"], r["dates"], r["title"]) for r in rows] == [
        (
            "сентябрь 2025",
            "30.09.2025",
            "Мониторинг эффективности руководителей ШНОР: самооценка руководителей ОО (экспертная карта)",
        ),
        (
            "октябрь 2025",
            "15.10.2025",
            "Мониторинг эффективности руководителей ШНОР: проверка объективности самооценки",
        ),
        (
            "ноябрь 2025",
            "01.11.2025",
            "Мониторинг эффективности руководителей ШНОР: оценка эффективности, итоги мониторинга",
        ),
        ("апрель 2026", "06.04.2026 – 15.05.2026", "ВПР в 4–8 классах"),
        ("июнь 2026", "10.06.2026", "Совещание по итогам ВПР"),
    ]
    assert "06.04.2026 – 15.05.2026" in text and "ВПР" in text
    events = [c for c in ics.walk() if c.name == "VEVENT"]
    assert len(events) == 5
    vpr = next(e for e in events if str(e["summary"]) == "ВПР в 4–8 классах")
    assert vpr.decoded("dtstart") == datetime.date(2026, 4, 6)
    assert vpr.decoded("dtend") == datetime.date(2026, 5, 16)  # DTEND of an all-day event is exclusive
    assert len(calendar_events(year=YEAR - 1)) == 0


def test_build_document_writes_a_docx_for_each_kind(campaign, tmp_path):
    out = tmp_path / "monitoring.docx"
    call_command(
        "build_document", "monitoring", "--year", str(YEAR), "--campaign", str(campaign.pk), "--out", str(out)
    )

    text = docx_text(out.read_bytes())
    assert "МБОУ «СШ № 1»" in text and "ПРИКАЗЫВАЮ:" in text


def test_build_document_refuses_in_russian_and_writes_nothing(catalogue, tmp_path):
    from django.core.management.base import CommandError

    out = tmp_path / "spravka.docx"
    with pytest.raises(CommandError) as refused:
        call_command("build_document", "spravka", "--year", str(YEAR), "--out", str(out))
    assert (
        str(refused.value) == "Документ не составлен: Для аналитической справки выберите оценочную процедуру."
    )
    assert not out.exists()


def test_build_document_calendar_with_ics_and_pdf(campaign, tmp_path):
    out, ics, pdf = tmp_path / "c.docx", tmp_path / "c.ics", tmp_path / "c.pdf"
    call_command(
        "build_document",
        "calendar",
        "--year",
        str(YEAR),
        "--out",
        str(out),
        "--ics",
        str(ics),
        "--pdf",
        str(pdf),
    )
    assert "Циклограмма мероприятий на 2025/2026 учебный год" in docx_text(out.read_bytes())
    assert len([c for c in Calendar.from_ical(ics.read_bytes()).walk() if c.name == "VEVENT"]) == 3
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_staff_add_a_procedure_date_on_the_page_and_a_reversed_period_is_refused(inspector, client_for):
    from django.urls import reverse

    client = client_for(inspector)
    url = reverse("documents:calendar-events")
    base = {"year": "2025", "title": "ОГЭ, основной период", "procedure": "OGE", "responsible": "ИМЦ"}

    added = client.post(url, {**base, "starts_on": "2026-05-20", "ends_on": "2026-06-30"})
    reversed_period = client.post(url, {**base, "starts_on": "2026-06-30", "ends_on": "2026-05-20"})

    assert added.status_code == 302
    assert list(CalendarEvent.objects.values_list("title", "procedure", "starts_on")) == [
        ("ОГЭ, основной период", "OGE", datetime.date(2026, 5, 20))
    ]
    assert reversed_period.status_code == 200
    assert "Дата окончания события раньше даты его начала." in reversed_period.content.decode()
    assert CalendarEvent.objects.count() == 1


def test_spravka_names_the_subject_with_the_largest_share_of_below_minimum(catalogue, inspector):
    school = SchoolFactory(code="P1")
    # mathematics: 6 of 40 below the minimum = 15,0 %; Russian: 2 of 40 = 5,0 %
    for code, below in (("math", 6), ("russian", 2)):
        result(school, YEAR, "OGE", code, 9, 40, below_min=below, mark2=below)

    order = services.order_draft_create(user=inspector, document_kind="spravka", year=YEAR, procedure="OGE")

    assert order.data["summary"][-1] == (
        "Наибольшая доля результатов ниже минимального порога — Математика, 9 класс: 15,0\u00a0%."
    )
