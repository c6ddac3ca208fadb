from django.urls import reverse
from rest_framework import serializers

from schools.roles import is_staff_member

from ..models import Document, Report


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class ReportSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    pdf = serializers.SerializerMethodField(help_text="Адрес PDF (для посетителя — опубликованная версия)")
    xlsx = serializers.SerializerMethodField(help_text="Адрес таблиц xlsx")
    page = serializers.SerializerMethodField(help_text="Страница отчёта")
    error = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "kind",
            "kind_display",
            "title",
            "year",
            "status",
            "status_display",
            "is_published",
            "published_at",
            "pdf",
            "xlsx",
            "page",
            "error",
        ]
        read_only_fields = fields

    def _staff(self) -> bool:
        request = self.context.get("request")
        return request is not None and is_staff_member(request.user)

    def get_pdf(self, report) -> str | None:
        return self._file_url(report, "pdf")

    def get_xlsx(self, report) -> str | None:
        return self._file_url(report, "xlsx")

    def _file_url(self, report, what: str) -> str | None:
        """Staff: the latest build's file; others: the published version's (None when there is none)."""
        request = self.context.get("request")
        if self._staff():
            url_name, stored = "reports:report-file", getattr(report, what)
        else:
            url_name, stored = "quality:report-file", getattr(report, f"public_{what}")
        return _absolute(request, reverse(url_name, args=[report.pk, what])) if stored else None

    def get_page(self, report) -> str:
        request = self.context.get("request")
        return _absolute(request, report.get_absolute_url() if self._staff() else report.get_public_url())

    def get_error(self, report) -> str:
        return report.error if self._staff() else ""


class DocumentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    direction = serializers.CharField(source="direction.code", read_only=True)
    stage = serializers.IntegerField(source="stage.number", read_only=True)
    file = serializers.SerializerMethodField(help_text="Адрес файла документа")

    class Meta:
        model = Document
        fields = [
            "id",
            "title",
            "kind",
            "kind_display",
            "direction",
            "stage",
            "number",
            "date",
            "issuer",
            "description",
            "url",
            "file",
            "file_type",
            "is_published",
            "published_at",
        ]
        read_only_fields = fields

    def get_file(self, document) -> str | None:
        if not document.file:
            return None
        request = self.context.get("request")
        staff = request is not None and is_staff_member(request.user)
        name = "reports:document-file" if staff else "quality:document-file"
        return _absolute(request, reverse(name, args=[document.pk]))
