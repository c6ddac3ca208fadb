from schools.management.base import ImportCommand


class Command(ImportCommand):
    help = "Импорт результатов оценочных процедур (ВПР, ОГЭ, ЕГЭ, ГВЭ, НИКО, КДР) из файла .xlsx."
    kind = "results"
