from django.core.management.base import BaseCommand, CommandError

from indicators.services import statuses_compute
from schools import formatting


class Command(BaseCommand):
    help = (
        "Расчёт показателей, кластеров, индексов и списков ШНОР/ШНСУ за учебный год "
        "(и нужного из прошлых лет)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, required=True, help="учебный год (начальный): 2024 = 2024/2025"
        )

    def handle(self, *args, **options):
        def progress(percent, message=""):
            if options["verbosity"] > 1:
                self.stderr.write(f"{percent}% {message}")

        try:
            run = statuses_compute(year=options["year"], progress=progress)
        except ValueError as error:
            raise CommandError(str(error))
        year = run.year
        self.stdout.write(
            f"Расчёт за {formatting.school_year(year)} учебный год выполнен: школ — {run.schools}, "
            f"ШНОР — {run.low_results_count}, ШНСУ — {run.unfavourable_count}."
        )
