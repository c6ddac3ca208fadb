"""schools.charts: round ticks (whole ones for counts), the axis unit, a table of every chart, markers
without lines for per-school series, and a legend that wraps instead of running off the chart."""

import re

from schools.charts import Series, axis_ticks, bar_chart, line_chart


def _ticks(svg: str) -> list[str]:
    return re.findall(r'text-anchor="end" class="chart-tick">([^<]*)</text>', svg)


def test_ticks_of_counts_are_whole_numbers():
    assert axis_ticks([4, 2, 0]) == [0, 1, 2, 3, 4]
    assert axis_ticks([23, 7]) == [0, 5, 10, 15, 20, 25]
    assert axis_ticks([2, 1]) == [0, 1, 2]  # not 0; 0,5; 1; 1,5; 2 — half a school does not exist
    assert axis_ticks([0, 0]) == [0, 1]


def test_ticks_of_shares_are_round():
    assert axis_ticks([87.3, 12.5]) == [0, 20, 40, 60, 80, 100]
    assert axis_ticks([2.2, 0.4]) == [0, 0.5, 1, 1.5, 2, 2.5]
    assert axis_ticks([-3, 7]) == [-4, -2, 0, 2, 4, 6, 8]


def test_line_chart_of_counts_reads_whole_ticks_and_names_its_unit():
    svg = line_chart(
        title="Число школ",
        categories=["2023/24", "2024/25"],
        series=[Series("ШНОР", [2, 1]), Series("ШНСУ", [1, None])],
        axis="школ",
    )
    assert _ticks(svg) == ["0", "1", "2"] * 2  # the wide drawing and the phone's
    assert 'class="chart-unit">школ</text>' in svg
    table = svg[svg.index('<details class="chart-table">') :]
    assert "<summary>Таблица</summary>" in table
    assert '<th scope="col">Учебный год</th><th scope="col">ШНОР</th><th scope="col">ШНСУ</th>' in table
    row = '<tr><th scope="row">2024/25</th><td data-label="ШНОР">1</td><td data-label="ШНСУ">нет данных</td>'
    assert row in table


def test_per_school_series_are_markers_without_a_line():
    svg = line_chart(
        title="Баллы по школам",
        categories=["A001", "B001", "C001"],
        series=[Series("Самооценка", [12, 9, 14]), Series("Подтверждено", [11, 8, 13])],
        axis="баллов",
        connect=False,
    )
    assert "<polyline" not in svg
    wide = svg[: svg.index("</svg>")]
    assert wide.count("<circle") == 3 + 1 and wide.count("<rect") == 3 + 1  # the points and the legend


def test_a_long_legend_wraps_into_rows_within_the_chart():
    labels = ["вошли в ШНОР", "вышли из ШНОР", "вошли в ШНСУ", "вышли из ШНСУ", "Подтверждено в 2024/2025"]
    svg = line_chart(title="t", categories=["2024/25"], series=[Series(label, [1]) for label in labels])
    wide, narrow = svg.split("</svg>")[:2]
    assert 'class="chart chart-wide" viewBox="0 0 640 278"' in wide  # one extra legend row of 18
    assert 'class="chart chart-narrow" viewBox="0 0 320 296"' in narrow  # two extra rows on a phone
    for drawing, width in ((wide, 640), (narrow, 320)):
        xs = [int(x) for x in re.findall(r'<text x="(\d+)" y="\d+" class="chart-tick">[^<0-9]', drawing)]
        assert all(x + 7 * len(label) <= width for x, label in zip(xs, labels, strict=True))


def test_a_phone_gets_a_narrow_drawing_with_a_wrapped_title_and_shorter_labels():
    svg = bar_chart(
        title="Школ с улучшением показателя, 2025/2026 к 2024/2025",
        labels=["Мигранты / низкое владение русским языком"],
        values=[2],
    )
    narrow = svg[svg.index('class="chart chart-narrow"') :]
    assert 'viewBox="0 0 320 78"' in narrow  # two title lines: 44 + one bar 22 + 12
    assert 'y="16" class="chart-title">Школ с улучшением показателя,</text>' in narrow
    assert 'y="32" class="chart-title">2025/2026 к 2024/2025</text>' in narrow
    assert 'class="chart-label">Мигранты / низкое вл…</text>' in narrow


def test_bar_chart_names_what_the_bars_count_and_has_a_table():
    svg = bar_chart(title="Карт", labels=["черновик", "подана"], values=[3, None], axis="карт")
    assert "Длина полосы: карт" in svg
    assert '<th scope="row">подана</th><td data-label="карт">нет данных</td>' in svg
