from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from indicators.management.base import YearCommand
from indicators.objectivity_selectors import export_rows, objectivity_years


class Command(YearCommand):
    help = (
        "Признаки необъективности результатов ОО за учебный год (DESIGN §8) в JSON на стандартный вывод: "
        "school_code, year, markers, in_list."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--user", help="выгрузить только школы, которые видит этот пользователь (по умолчанию все)"
        )

    def handle(self, *args, **options):
        year = options["year"]
        if year not in objectivity_years():
            raise self.not_computed(year, "признаки не рассчитаны")
        user = None
        if options.get("user"):
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Нет пользователя «{options['user']}».")
        self.write_json(export_rows(year=year, user=user))
