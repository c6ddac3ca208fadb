from roadmaps.models import CycleStage, Direction, StageDuty
from roadmaps.reference import seed
from roadmaps.selectors import responsibility_matrix


def test_seed_creates_nine_directions_six_stages_and_the_full_matrix():
    assert list(Direction.objects.values_list("code", flat=True)) == [
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "2.1",
        "2.2",
        "2.3",
        "2.4",
        "2.5",
    ]
    assert list(CycleStage.objects.values_list("number", "name")) == [
        (1, "Цели"),
        (2, "Показатели и методы сбора информации"),
        (3, "Мониторинг"),
        (4, "Анализ и адресные рекомендации"),
        (5, "Меры и управленческие решения"),
        (6, "Анализ эффективности принятых мер"),
    ]
    assert StageDuty.objects.count() == 54
    direction = Direction.objects.get(code="1.3")
    assert direction.coordinator == "Шерсткина Е.А."
    assert direction.executor_list == ["Доценко Т.И.", "Шерсткина Е.А.", "ИМЦ"]


def test_seed_keeps_what_staff_edited():
    direction = Direction.objects.get(code="2.4")
    direction.coordinator = "Иванова А.А."
    direction.save()
    duty = StageDuty.objects.get(direction=direction, stage__number=3)
    duty.executor_duties = "сбор данных по методической работе"
    duty.save()

    seed()

    assert Direction.objects.get(code="2.4").coordinator == "Иванова А.А."
    assert StageDuty.objects.get(pk=duty.pk).executor_duties == "сбор данных по методической работе"
    assert StageDuty.objects.count() == 54


def test_matrix_rows_follow_direction_and_stage_order():
    matrix = responsibility_matrix()

    assert [row["direction"].code for row in matrix][:2] == ["1.1", "1.2"]
    assert [cell["stage"].number for cell in matrix[0]["cells"]] == [1, 2, 3, 4, 5, 6]
    assert (
        matrix[0]["cells"][3]["executor_duties"]
        == "подготовка аналитических материалов, статистических отчетов"
    )
