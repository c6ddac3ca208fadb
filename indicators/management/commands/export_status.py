from indicators.exports import status_rows
from indicators.management.base import YearCommand
from indicators.models import SchoolStatus


class Command(YearCommand):
    help = "Статусы ОО за учебный год (кластер, индексы, место, ШНОР, ШНСУ) в JSON на стандартный вывод."

    def handle(self, *args, **options):
        year = options["year"]
        if not SchoolStatus.objects.filter(year=year).exists():
            raise self.not_computed(year)
        self.write_json(status_rows(year=year))
