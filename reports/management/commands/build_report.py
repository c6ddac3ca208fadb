from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.builders import KIND_MODULES, BuildError
from reports.services import report_build, report_create


class Command(BaseCommand):
    help = (
        "Построить аналитический отчёт (PDF): "
        "annual (--municipality КОД — по одному муниципалитету), school (--school КОД), campaign, "
        "effectiveness, roadmap."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KIND_MODULES), help="вид отчёта")
        parser.add_argument(
            "--year", type=int, required=True, help="учебный год (год начала, 2024 = 2024/2025)"
        )
        parser.add_argument("--out", required=True, help="куда записать PDF")
        parser.add_argument("--school", default="", help="код ОО для профиля ОО")
        parser.add_argument(
            "--campaign", type=int, default=None, help="id мониторинга (по умолчанию — последний за год)"
        )
        parser.add_argument(
            "--roadmap", type=int, default=None, help="id дорожной карты (по умолчанию — муниципальная)"
        )
        parser.add_argument(
            "--municipality",
            default="",
            help="код муниципалитета: годовой отчёт только по его школам (по умолчанию — по всем)",
        )
        parser.add_argument("--xlsx", default="", help="куда записать таблицы отчёта (xlsx), по желанию")

    def handle(self, *args, kind, year, out, school, campaign, roadmap, municipality, xlsx, **options):
        self.verbosity = int(options.get("verbosity", 1))
        if municipality and kind != "annual":
            raise CommandError("--municipality задаётся только для годового отчёта (annual).")
        params = {
            key: value
            for key, value in {
                "school": school,
                "campaign": campaign,
                "roadmap": roadmap,
                "municipality": municipality,
            }.items()
            if value
        }
        out_path = Path(out)
        if not out_path.parent.exists():
            raise CommandError(f"Папка для файла не существует: {out_path.parent}")
        try:
            report = report_create(kind=kind, year=year, params=params)
            report = report_build(report_id=report.pk, progress=self._progress)
        except BuildError as error:
            raise CommandError(f"Отчёт не построен: {error}")
        with report.pdf.open("rb") as source:
            out_path.write_bytes(source.read())
        if xlsx:
            with report.xlsx.open("rb") as source:
                Path(xlsx).write_bytes(source.read())
        self.stdout.write(
            f"Отчёт «{report.title}» построен (№ {report.pk}): "
            f"{out_path} ({out_path.stat().st_size // 1024} КБ)."
        )

    def _progress(self, percent: int, message: str = "") -> None:
        if self.verbosity > 1:
            self.stdout.write(f"{percent:3d}% {message}")
