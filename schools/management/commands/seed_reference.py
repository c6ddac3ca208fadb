from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app that owns reference data has `<app>/reference.py` with `seed() -> list[str]` (lines of summary).
APPS_IN_ORDER = ["schools", "indicators", "monitoring", "roadmaps", "reports", "documents"]


def seed_all() -> list[str]:
    lines = []
    for app in APPS_IN_ORDER:
        try:
            module = import_module(f"{app}.reference")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.reference":
                raise
            continue
        lines.extend(module.seed())
    return lines


class Command(BaseCommand):
    help = "Справочники: роли, направления, этапы, процедуры, предметы, показатели, шаблон карты, правила."

    @transaction.atomic
    def handle(self, *args, **options):
        for line in seed_all():
            self.stdout.write(line)
        self.stdout.write("Справочники загружены.")
