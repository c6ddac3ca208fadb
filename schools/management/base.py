from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from schools.importing import run_import


class ImportCommand(BaseCommand):
    """`import_* FILE [--dry-run]`: prints a Russian summary; any error exits non-zero and changes nothing."""

    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="файл .xlsx")
        parser.add_argument(
            "--dry-run", action="store_true", help="только проверить файл, ничего не записывать"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Файл не найден: {path}")

        def progress(percent, message=""):
            if options["verbosity"] > 1:
                self.stderr.write(f"{percent}% {message}")

        with path.open("rb") as file:
            summary = run_import(
                kind=self.kind, file=file, file_name=path.name, dry_run=options["dry_run"], progress=progress
            )
        if not summary.ok:
            for error in summary.errors:
                where = f"Строка {error['row']}" if error["row"] else "Файл"
                column = f", столбец «{error['column']}»" if error["column"] else ""
                value = f" (значение «{error['value']}»)" if error.get("value") else ""
                self.stderr.write(f"{where}{column}: {error['message']}{value}")
            raise CommandError(summary.text())
        self.stdout.write(summary.text())
        for d in summary.extra.get("differences", []):
            self.stdout.write(
                f"Строка {d['row']} ({d['code']}), «{d['column']}»: в файле {d['file']}, "
                f"сохранено {d['kept']} — "
                f"{d['source']}"
            )
