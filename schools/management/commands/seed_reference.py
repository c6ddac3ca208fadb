from collections.abc import Iterator
from importlib import import_module
from types import ModuleType

from django.core.management.base import BaseCommand
from django.db import transaction

APPS_IN_ORDER = ["schools", "indicators", "monitoring", "roadmaps", "reports", "documents"]


def app_modules(name: str) -> Iterator[ModuleType]:
    """Each app's `<app>.<name>` module, in APPS_IN_ORDER; an app without one is passed over (an import
    error inside an existing module is raised)."""
    for app in APPS_IN_ORDER:
        try:
            module = import_module(f"{app}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.{name}":
                raise
            continue
        yield module


def seed_all() -> list[str]:
    # Each app that owns reference data has `<app>/reference.py` with `seed() -> list[str]` (lines of summary).
    return [line for module in app_modules("reference") for line in module.seed()]


class Command(BaseCommand):
    help = "Справочники: роли, направления, этапы, процедуры, предметы, показатели, шаблон карты, правила."

    @transaction.atomic
    def handle(self, *args, **options):
        for line in seed_all():
            self.stdout.write(line)
        self.stdout.write("Справочники загружены.")
