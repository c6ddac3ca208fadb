"""The annual report's objectivity section (DESIGN §8): counts of schools only, masked below k when
published (data set: tests/indicators/objectivity_data.py)."""

from types import SimpleNamespace

from indicators.services import statuses_compute
from reports.builders.annual import build
from reports.masking import mask_data
from tests.indicators.objectivity_data import build as build_world


def test_section_counts_by_year_and_masks_them_when_published(catalogue):
    build_world()
    statuses_compute(year=2023)
    statuses_compute(year=2024)

    data = build(SimpleNamespace(year=2024, params={}), lambda *args: None)

    section = next(s for s in data["sections"] if s["id"] == "objectivity")
    assert "Пороги муниципальные, не федеральные" in section["paragraphs"][0]
    objectivity = data["tables"]["objectivity"]
    assert objectivity["headers"] == ["Признак", "2023/2024", "2024/2025"]
    # 2023: N01, N02 with vpr_lowered and vpr_raised, both listed; 2024: see objectivity_data.py
    assert objectivity["rows"] == [
        ["ВПР: много «понизили» отметку", 2, 2],
        ["ВПР: много «повысили» отметку", 2, 1],
        ["ВПР: доля «5» намного выше, чем в муниципалитете", 0, 1],
        ["ОГЭ не подтверждает ВПР 8 класса", 0, 1],
        ["ВПР выше КДР", 0, 1],
        ["Претенденты на медаль не подтвердили результаты ЕГЭ", 0, 1],
        ["В списке (признаков не меньше порога)", 2, 2],
        ["из них устойчиво (в списке и годом ранее)", 0, 1],
    ]
    # no school is named anywhere in the section
    assert not any(code in str(section) + str(objectivity) for code in ("N01", "N09", "Школа"))
    published = mask_data(data)["tables"]["objectivity"]["rows"]
    assert published[0] == ["ВПР: много «понизили» отметку", "<10", "<10"]
    assert published[2] == ["ВПР: доля «5» намного выше, чем в муниципалитете", 0, "<10"]
