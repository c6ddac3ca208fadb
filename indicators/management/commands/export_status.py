import json

from django.core.management.base import BaseCommand, CommandError

from indicators.exports import status_rows
from indicators.models import SchoolStatus
from schools import formatting


class Command(BaseCommand):
    help = "Статусы ОО за учебный год (кластер, индексы, место, ШНОР, ШНСУ) в JSON на стандартный вывод."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, required=True, help="учебный год (начальный): 2024 = 2024/2025"
        )

    def handle(self, *args, **options):
        year = options["year"]
        if not SchoolStatus.objects.filter(year=year).exists():
            raise CommandError(
                f"За {formatting.school_year(year)} учебный год расчёт не выполнялся: "
                f"запустите compute --year {year}."
            )
        self.stdout.write(json.dumps(status_rows(year=year), ensure_ascii=False, indent=1))
