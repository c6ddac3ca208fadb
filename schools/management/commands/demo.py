from django.core.management import call_command
from django.core.management.base import BaseCommand

from schools.models import School

from .seed_reference import app_modules


class Command(BaseCommand):
    help = "Демонстрационный муниципалитет: школы, 5 лет данных, мониторинг, дорожные карты, отчёт, пользователи."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="ничего не делать, если школы уже есть")

    def handle(self, *args, **options):
        if options["if_empty"] and School.objects.exists():
            self.stdout.write("Данные уже есть: демонстрационные данные не загружались.")
            return
        call_command("seed_reference", stdout=self.stdout)
        # Each app adds its demo data in `<app>/demo.py` with `build(*, stdout) -> None`, idempotent.
        for module in app_modules("demo"):
            module.build(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Демонстрационные данные готовы."))
