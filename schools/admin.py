from django.contrib import admin
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import urlencode
from import_export import resources
from import_export.admin import ExportMixin
from import_export.formats.base_formats import XLSX
from simple_history.admin import SimpleHistoryAdmin

from .models import ImportBatch, Job, Municipality, Profile, School, SchoolContext


class SchoolResource(resources.ModelResource):
    class Meta:
        model = School
        fields = [
            "code",
            "name",
            "short_name",
            "municipality",
            "settlement",
            "address",
            "website",
            "is_small",
            "is_remote",
            "infrastructure_deficit",
            "staff_shortage",
        ]


class SchoolContextResource(resources.ModelResource):
    class Meta:
        model = SchoolContext
        exclude = ["id", "created_at", "updated_at", "import_batch"]


class PortalImportExportAdmin(ExportMixin, SimpleHistoryAdmin):
    """Export with django-import-export; import only through the portal's upload page («Загрузить из Excel»).

    That page runs the importer registry (schools/importing.py) as the management commands do: every row
    checked as §4.2 says, all or nothing, an import batch with its provenance, Russian row errors.
    django-import-export's own import skipped all of that, so its address now leads to the upload page.
    """

    formats = [XLSX]
    import_kind = ""  # the importer registry's kind for this model
    import_export_change_list_template = "admin/schools/change_list_registry_import.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        return [path("import/", self.admin_site.admin_view(self.import_view), name=name), *super().get_urls()]

    def import_view(self, request):
        return redirect(f"{reverse('schools:import')}?{urlencode({'kind': self.import_kind})}")


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    search_fields = ["name"]


@admin.register(School)
class SchoolAdmin(PortalImportExportAdmin):
    resource_classes = [SchoolResource]
    import_kind = "schools"
    list_display = ["code", "short_name", "municipality", "settlement", "is_small", "is_remote"]
    list_filter = [
        "municipality",
        "settlement",
        "is_small",
        "is_remote",
        "infrastructure_deficit",
        "staff_shortage",
    ]
    search_fields = ["code", "name", "short_name"]
    readonly_fields = ["import_batch"]


@admin.register(SchoolContext)
class SchoolContextAdmin(PortalImportExportAdmin):
    resource_classes = [SchoolContextResource]
    import_kind = "context"
    list_display = ["school", "year", "students", "teachers"]
    list_filter = ["year"]
    search_fields = ["school__code", "school__name"]
    readonly_fields = ["import_batch"]
    list_select_related = ["school"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["imported_at", "kind", "file_name", "rows", "created", "updated", "imported_by"]
    list_filter = ["kind"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "title", "status", "progress", "attempts", "created_by"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in Job._meta.fields]


@admin.register(Profile)
class ProfileAdmin(SimpleHistoryAdmin):
    list_display = ["user", "school", "position"]
    autocomplete_fields = ["school"]
    search_fields = ["user__username", "school__code"]
