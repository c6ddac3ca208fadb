from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ApprovedSchool, CalendarEvent, DocumentTemplate, Order


class ApprovedSchoolInline(admin.TabularInline):
    model = ApprovedSchool
    extra = 0
    can_delete = False
    readonly_fields = ["list_kind", "school", "school_name", "grounds"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(SimpleHistoryAdmin):
    """Orders are written by their services (drafting, signing); the admin shows them and keeps the
    administrators' final deletion with its confirmation and journal entry."""

    list_display = ["number", "date", "title", "document_kind", "status", "year"]
    list_filter = ["document_kind", "status", "year"]
    search_fields = ["number", "title"]
    exclude = ["data", "params"]
    inlines = [ApprovedSchoolInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Order._meta.fields if f.name not in ("data", "params")]

    def has_add_permission(self, request):
        return False


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "is_builtin", "is_active", "created_at"]
    list_filter = ["kind", "is_builtin", "is_active"]
    fields = ["kind", "title", "file_name", "is_builtin", "is_active", "uploaded_by"]
    readonly_fields = ["kind", "file_name", "is_builtin", "uploaded_by"]

    def has_add_permission(self, request):
        return False  # templates are uploaded (and checked) on the templates page


@admin.register(CalendarEvent)
class CalendarEventAdmin(admin.ModelAdmin):
    list_display = ["starts_on", "ends_on", "title", "procedure", "responsible", "year"]
    list_filter = ["year", "procedure"]
    search_fields = ["title"]
