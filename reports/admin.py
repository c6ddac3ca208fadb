from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Document, Report


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "direction", "stage", "number", "date", "is_published"]
    list_filter = ["kind", "is_published", "direction", "stage"]
    search_fields = ["title", "number"]
    readonly_fields = [
        "file",
        "file_type",
        "file_name",
        "file_size",
        "is_published",
        "published_at",
        "published_by",
        "created_by",
    ]


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "year", "status", "attempts", "is_published", "published_at"]
    list_filter = ["kind", "status", "is_published", "year"]
    search_fields = ["title"]
    exclude = ["data", "public_data"]
    readonly_fields = [
        "kind",
        "year",
        "params",
        "status",
        "job",
        "attempts",
        "error",
        "started_at",
        "heartbeat_at",
        "finished_at",
        "methodology_version",
        "pdf",
        "xlsx",
        "public_pdf",
        "public_xlsx",
        "is_published",
        "published_at",
        "published_by",
        "created_by",
    ]
