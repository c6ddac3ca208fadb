from schools.management.base import ImportCommand


class Command(ImportCommand):
    help = "Импорт контекста ОО по годам из файла Excel (DESIGN §4.2)."
    kind = "context"
