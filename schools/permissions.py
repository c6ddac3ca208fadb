from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.utils.functional import cached_property
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .roles import is_principal, is_staff_member, may_import_data


class RoleRequiredMixin(AccessMixin):
    """A page for the users `allows` lets in: the anonymous get the login page, others a 403 with `refusal`.
    `allows` is also read by `schools.navigation.may_open` to hide links."""

    refusal = ""

    @staticmethod
    def allows(user) -> bool:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.allows(request.user):
            raise PermissionDenied(self.refusal)
        return super().dispatch(request, *args, **kwargs)


class StaffRequiredMixin(RoleRequiredMixin):
    """Inspectors and administrators only."""

    refusal = "Раздел доступен сотрудникам управления образования."

    @staticmethod
    def allows(user) -> bool:
        return is_staff_member(user)


class DataImportRequiredMixin(RoleRequiredMixin):
    """The bulk Excel upload (roles.may_import_data decides who)."""

    refusal = "Загружать файлы данных могут администраторы портала."

    @staticmethod
    def allows(user) -> bool:
        return may_import_data(user)


class PortalUserRequiredMixin(RoleRequiredMixin):
    """Any signed-in staff member or principal."""

    refusal = "У вашей учётной записи нет роли в портале."

    @staticmethod
    def allows(user) -> bool:
        return is_staff_member(user) or is_principal(user)


class IsStaffMember(BasePermission):
    message = "Доступно сотрудникам управления образования."

    def has_permission(self, request, view):
        return is_staff_member(request.user)


class IsPortalUser(BasePermission):
    """Any signed-in staff member or principal (the API schema and docs pages)."""

    message = "Описание API доступно пользователям портала после входа."

    def has_permission(self, request, view):
        return is_staff_member(request.user) or is_principal(request.user)


class IsStaffOrReadOnlyPortalUser(BasePermission):
    """Staff may write; principals may read (their querysets are scoped by selectors)."""

    message = "Изменять эти данные могут только сотрудники управления образования."

    def has_permission(self, request, view):
        user = request.user
        if request.method in SAFE_METHODS:
            return is_staff_member(user) or is_principal(user)
        return is_staff_member(user)


class MunicipalityFilterMixin:
    """A staff list filtered by municipality and showing it (DESIGN §6): `filter_by_municipality` narrows a
    queryset to the chosen municipality through `municipality_lookup`; the template gets
    `municipality_filter` (choices, chosen, show) for includes/municipality_select.html."""

    municipality_lookup = "school__municipality__code"

    @cached_property
    def municipality_filter(self) -> dict:
        from .selectors import municipality_filter

        return municipality_filter(user=self.request.user, chosen=self.request.GET.get("municipality", ""))

    def filter_by_municipality(self, queryset):
        chosen = self.municipality_filter["chosen"]
        if not chosen:
            return queryset
        return queryset.filter(
            pk__in=queryset.model.objects.filter(**{self.municipality_lookup: chosen}).values("pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(municipality_filter=self.municipality_filter, **kwargs)
