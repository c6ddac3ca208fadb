"""What the indicators commands share: `--year`, the refusal of a year the computation has not reached, and
rows as JSON on standard output."""

import json

from django.core.management.base import BaseCommand, CommandError

from schools import formatting


class YearCommand(BaseCommand):
    """A command about one school year, given by `--year` (its starting calendar year)."""

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, required=True, help="учебный год (начальный): 2024 = 2024/2025"
        )

    @staticmethod
    def not_computed(year: int, what: str = "расчёт не выполнялся") -> CommandError:
        return CommandError(
            f"За {formatting.school_year(year)} учебный год {what}: запустите compute --year {year}."
        )

    def write_json(self, rows) -> None:
        self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
