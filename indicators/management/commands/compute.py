from django.core.management.base import CommandError

from indicators.management.base import YearCommand
from indicators.services import statuses_compute
from schools import formatting


class Command(YearCommand):
    help = (
        "Расчёт показателей, кластеров, индексов и списков ШНОР/ШНСУ за учебный год "
        "(и нужного из прошлых лет)."
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
