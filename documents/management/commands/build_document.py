from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from monitoring.models import Campaign
from roadmaps.models import Roadmap
from schools.errors import ApplicationError

from ...contexts import document_context, draft_content
from ...models import DocumentKind, Order
from ...rendering import render_docx, render_ics, render_pdf_bytes
from ...services import template_active


class Command(BaseCommand):
    help = (
        "Составить документ (DOCX) по данным портала: lists, monitoring (--campaign ID), roadmap (--roadmap "
        "ID), spravka (--procedure КОД), calendar (--ics), protocol (бланк: повестку и решения вводят на "
        "странице «Составить документ»). Проект в реестр не записывается."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=DocumentKind.values, help="вид документа")
        parser.add_argument(
            "--year", type=int, required=True, help="учебный год (год начала, 2025 = 2025/2026)"
        )
        parser.add_argument("--out", required=True, help="куда записать DOCX")
        parser.add_argument("--campaign", type=int, default=None, help="id мониторинга (для monitoring)")
        parser.add_argument("--roadmap", type=int, default=None, help="id дорожной карты (для roadmap)")
        parser.add_argument("--procedure", default="", help="код процедуры: VPR, OGE, EGE… (для spravka)")
        parser.add_argument("--pdf", default="", help="куда записать PDF того же документа, по желанию")
        parser.add_argument(
            "--ics", default="", help="куда записать циклограмму в формате .ics (для calendar)"
        )

    def handle(self, *args, kind, year, out, campaign, roadmap, procedure, pdf, ics, **options):
        out_path = Path(out)
        for path in filter(None, (out, pdf, ics)):
            if not Path(path).parent.exists():
                raise CommandError(f"Папка для файла не существует: {Path(path).parent}")
        found_campaign = Campaign.objects.filter(pk=campaign).first() if campaign else None
        if campaign and found_campaign is None:
            raise CommandError(f"Мониторинг с id {campaign} не найден.")
        found_roadmap = Roadmap.objects.filter(pk=roadmap).first() if roadmap else None
        if roadmap and found_roadmap is None:
            raise CommandError(f"Дорожная карта с id {roadmap} не найдена.")
        try:
            with transaction.atomic():
                template = template_active(kind)
                content = draft_content(
                    kind,
                    year=year,
                    campaign=found_campaign,
                    roadmap=found_roadmap,
                    procedure=procedure.upper(),
                )
                order = Order(
                    document_kind=kind,
                    year=year,
                    title=content["title"],
                    data=content,
                    date=timezone.localdate(),
                )
                context = document_context(order)
                out_path.write_bytes(render_docx(template=template, context=context))
                if pdf:
                    Path(pdf).write_bytes(render_pdf_bytes(kind=kind, context=context))
                if ics and kind == DocumentKind.CALENDAR:
                    Path(ics).write_bytes(
                        render_ics(title=content["title"], rows=content["appendices"][0]["rows"])
                    )
        except ApplicationError as error:
            raise CommandError(f"Документ не составлен: {error.message}")
        self.stdout.write(
            f"Документ «{content['title']}» ({DocumentKind(kind).label}) записан: {out_path} "
            f"({max(1, out_path.stat().st_size // 1024)} КБ)."
        )
