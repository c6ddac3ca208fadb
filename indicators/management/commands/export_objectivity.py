import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from indicators.objectivity_selectors import export_rows, objectivity_years
from schools import formatting


class Command(BaseCommand):
    help = (
        "Признаки необъективности результатов ОО за учебный год (DESIGN §8) в JSON на стандартный вывод: "
        "school_code, year, markers, in_list."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, required=True, help="учебный год (начальный): 2024 = 2024/2025"
        )
        parser.add_argument(
            "--user", help="выгрузить только школы, которые видит этот пользователь (по умолчанию все)"
        )

    def handle(self, *args, **options):
        year = options["year"]
        if year not in objectivity_years():
            raise CommandError(
                f"За {formatting.school_year(year)} учебный год признаки не рассчитаны: "
                f"запустите compute --year {year}."
            )
        user = None
        if options.get("user"):
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Нет пользователя «{options['user']}».")
        self.stdout.write(json.dumps(export_rows(year=year, user=user), ensure_ascii=False, indent=1))
