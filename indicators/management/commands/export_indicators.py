import json

from django.core.management.base import BaseCommand, CommandError

from indicators.exports import has_values, value_rows
from schools import formatting


class Command(BaseCommand):
    help = "Значения показателей ОО за учебный год (с числителем и знаменателем) в JSON на стандартный вывод."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, required=True, help="учебный год (начальный): 2024 = 2024/2025"
        )

    def handle(self, *args, **options):
        year = options["year"]
        if not has_values(year=year):
            raise CommandError(
                f"За {formatting.school_year(year)} учебный год расчёт не выполнялся: "
                f"запустите compute --year {year}."
            )
        self.stdout.write(json.dumps(list(value_rows(year=year)), ensure_ascii=False, indent=1))
