import tablib
from django import forms
from django.contrib import admin
from import_export import resources
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import XLSX
from import_export.forms import ImportForm
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy
from simple_history.admin import SimpleHistoryAdmin

from .api_tokens import api_token_expires_at, api_token_is_expired
from .exports import safe_cell
from .models import ImportBatch, Job, Municipality, Profile, School, SchoolContext
from .uploads import UploadRejected, check_xlsx_upload


class PortalXLSX(XLSX):
    """The admin's xlsx: an export neutralises formulas like every export of the portal (safe_cell)."""

    def export_data(self, dataset, **kwargs):
        safe = tablib.Dataset(
            *[[safe_cell(value) for value in row] for row in dataset],
            headers=[safe_cell(header) for header in dataset.headers or []],
            title=dataset.title,
        )
        return super().export_data(safe, **kwargs)


class PortalImportForm(ImportForm):
    """The admin's import goes through the same upload gate as every other file (schools.uploads)."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            check_xlsx_upload(upload)
        except UploadRejected as error:
            raise forms.ValidationError(str(error))
        return upload


class SchoolResource(resources.ModelResource):
    class Meta:
        model = School
        import_id_fields = ["code"]
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
        import_id_fields = ["school", "year"]
        exclude = ["id", "created_at", "updated_at", "import_batch"]


class PortalImportExportAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    formats = [PortalXLSX]
    import_form_class = PortalImportForm


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    search_fields = ["name"]


@admin.register(School)
class SchoolAdmin(PortalImportExportAdmin):
    resource_classes = [SchoolResource]
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


# API tokens: an administrator revokes one by deleting it; the list shows when each expires.
admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class PortalTokenAdmin(TokenAdmin):
    list_display = ("key", "user", "created", "expires_at", "is_expired")

    @admin.display(description="Действует до")
    def expires_at(self, token):
        return api_token_expires_at(token)

    @admin.display(description="Истёк", boolean=True)
    def is_expired(self, token):
        return api_token_is_expired(token)
