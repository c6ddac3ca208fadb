import tablib
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import urlencode
from import_export import resources
from import_export.admin import ExportMixin
from import_export.formats.base_formats import XLSX
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy
from simple_history.admin import SimpleHistoryAdmin

from .api_tokens import api_token_expires_at, api_token_is_expired
from .exports import safe_cell
from .models import ImportBatch, Job, Municipality, Profile, Region, School, SchoolContext
from .roles import role_label
from .services import (
    INVITE_NEEDS_EMAIL,
    ROLE_CHOICES,
    SCHOOL_COLUMNS,
    UserError,
    user_create_or_update,
    user_invite,
    user_scope_clean,
)


class PortalXLSX(XLSX):
    """The admin's xlsx: an export neutralises formulas like every export of the portal (safe_cell)."""

    def export_data(self, dataset, **kwargs):
        safe = tablib.Dataset(
            *[[safe_cell(value) for value in row] for row in dataset],
            headers=[safe_cell(header) for header in dataset.headers or []],
            title=dataset.title,
        )
        return super().export_data(safe, **kwargs)


class ReadOnlyAdminMixin:
    """Rows written only by their services or imports: the admin shows them and never adds or changes one.
    `deletable = False` refuses deletion too (history that must stay, which also keeps the admin from
    deleting what it hangs on by cascade)."""

    deletable = True

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.deletable and super().has_delete_permission(request, obj)


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


class SchoolResource(resources.ModelResource):
    class Meta:
        model = School
        fields = [column.key for column in SCHOOL_COLUMNS]  # the columns of the schools file (§4.2)


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

    formats = [PortalXLSX]
    import_kind = ""  # the importer registry's kind for this model
    import_export_change_list_template = "admin/schools/change_list_registry_import.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        return [path("import/", self.admin_site.admin_view(self.import_view), name=name), *super().get_urls()]

    def import_view(self, request):
        return redirect(f"{reverse('schools:import')}?{urlencode({'kind': self.import_kind})}")


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    search_fields = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "region"]
    search_fields = ["name", "code"]
    list_filter = ["region"]


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
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["imported_at", "kind", "file_name", "rows", "created", "updated", "imported_by"]
    list_filter = ["kind"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "title", "status", "progress", "attempts", "created_by"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in Job._meta.fields]


@admin.register(Profile)
class ProfileAdmin(SimpleHistoryAdmin):
    list_display = ["user", "school", "position"]
    autocomplete_fields = ["school"]
    filter_horizontal = ["municipalities"]
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


class PortalUserAddForm(forms.ModelForm):
    """One form for a new user: role, school (principals), e-mail with an invitation to set a password."""

    role = forms.ChoiceField(label="роль", choices=ROLE_CHOICES)
    school = forms.ModelChoiceField(
        label="школа (для руководителя ОО)", queryset=School.objects.order_by("code"), required=False
    )
    municipalities = forms.ModelMultipleChoiceField(
        label="муниципалитеты (для инспектора)",
        queryset=Municipality.objects.order_by("name"),
        required=False,
        help_text="Инспектор видит школы только этих муниципалитетов.",
    )
    password = forms.CharField(
        label="пароль",
        required=False,
        strip=False,
        widget=forms.PasswordInput,
        help_text="Можно не задавать: пользователь задаст пароль сам по ссылке из приглашения.",
    )
    send_invitation = forms.BooleanField(label="отправить приглашение на почту", required=False, initial=True)

    class Meta:
        model = get_user_model()
        fields = ["username", "last_name", "first_name", "email"]

    def clean(self):
        data = super().clean()
        school = data.get("school")
        try:
            user_scope_clean(
                role=data.get("role", ""),
                school_code=school.code if school else "",
                municipality_codes=[m.code for m in data.get("municipalities") or ()],
            )
            if data.get("send_invitation") and not data.get("email"):
                raise UserError(INVITE_NEEDS_EMAIL, "email")
        except UserError as error:
            self.add_error(error.field if error.field in self.fields else None, error.message)
        return data

    def save(self, commit=True):
        data = self.cleaned_data
        user, _ = user_create_or_update(
            username=data["username"],
            role=data["role"],
            school_code=data["school"].code if data.get("school") else None,
            municipality_codes=[m.code for m in data.get("municipalities") or ()],
            password=data.get("password") or None,
            email=data.get("email", ""),
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
        )
        if data.get("send_invitation"):
            user_invite(user=user)
        self.save_m2m = lambda: None
        return user


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class PortalUserAdmin(UserAdmin):
    add_form = PortalUserAddForm
    add_fieldsets = (
        (
            None,
            {
                "fields": (
                    "username",
                    "last_name",
                    "first_name",
                    "email",
                    "role",
                    "school",
                    "municipalities",
                    "password",
                    "send_invitation",
                )
            },
        ),
    )
    list_display = ["username", "last_name", "first_name", "portal_role", "school", "is_active"]
    list_select_related = ["profile__school"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="роль")
    def portal_role(self, obj):
        return role_label(obj)

    @admin.display(description="школа", ordering="profile__school__code")
    def school(self, obj):
        profile = getattr(obj, "profile", None)
        return profile.school if profile and profile.school else "—"

    def save_model(self, request, obj, form, change):
        if change:  # a new user was saved with their role and invitation by PortalUserAddForm.save
            super().save_model(request, obj, form, change)
