from schools.management.base import ImportCommand


class Command(ImportCommand):
    help = "Импорт диагностики предметных компетенций педагогов из файла Excel (DESIGN §7.4)."
    kind = "teacher_diagnostics"
