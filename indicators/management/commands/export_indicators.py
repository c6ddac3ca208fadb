from indicators.exports import has_values, value_rows
from indicators.management.base import YearCommand


class Command(YearCommand):
    help = "Значения показателей ОО за учебный год (с числителем и знаменателем) в JSON на стандартный вывод."

    def handle(self, *args, **options):
        year = options["year"]
        if not has_values(year=year):
            raise self.not_computed(year)
        self.write_json(list(value_rows(year=year)))
