"""Demo data of the documents app: the dated events of the demo school year's circulogram (synthetic
dates of the kind a department sets each year; the real ones come from the federal schedule)."""

from datetime import date

from .models import CalendarEvent

YEAR = 2025
EVENTS = [
    (
        date(2025, 8, 27),
        None,
        "Августовское совещание: итоги года, списки ШНОР и ШНСУ",
        "",
        "управление образования",
    ),
    (
        date(2025, 10, 6),
        date(2025, 10, 17),
        "Краевые диагностические работы (КДР), 7 классы",
        "KDR",
        "руководители ОО",
    ),
    (date(2026, 4, 6), date(2026, 5, 15), "ВПР в 4–8 и 10 классах", "VPR", "руководители ОО"),
    (date(2026, 5, 19), date(2026, 6, 30), "ОГЭ, основной период", "OGE", "муниципальный координатор ГИА"),
    (date(2026, 6, 1), date(2026, 7, 3), "ЕГЭ, основной период", "EGE", "муниципальный координатор ГИА"),
    (date(2026, 6, 15), None, "Совещание по итогам ВПР и КДР", "", "методический центр"),
]


def build(*, stdout) -> None:
    created = 0
    for starts_on, ends_on, title, procedure, responsible in EVENTS:
        _, was_created = CalendarEvent.objects.get_or_create(
            year=YEAR,
            starts_on=starts_on,
            title=title,
            defaults={"ends_on": ends_on, "procedure": procedure, "responsible": responsible},
        )
        created += was_created
    stdout.write(f"Циклограмма 2025/2026: событий добавлено {created}.")
