from schools.management.base import ImportCommand


class Command(ImportCommand):
    help = "Импорт реестра ОО из файла Excel (DESIGN §4.2)."
    kind = "schools"
