from collections.abc import Callable

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from rest_framework import status, viewsets
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from ..models import Region, School, SchoolContext
from ..permissions import IsStaffOrReadOnlyPortalUser
from ..selectors import (
    context_list_visible_to,
    municipality_list_visible_to,
    school_list_visible_to,
    sees_every_municipality,
)
from .serializers import MunicipalitySerializer, SchoolContextSerializer, SchoolSerializer

SCHOOL_NOT_DELETED = (
    "Школу нельзя удалить: с ней связаны результаты, показатели, статусы, контекст и история. Закрытие или "
    "реорганизацию школы оформляет администратор в разделе администрирования (/admin/)."
)
CONTEXT_NOT_DELETED = (
    "Контекст школы за год нельзя удалить: на нём основаны кластеры и индексы. Исправьте значения "
    "(PUT или PATCH) или загрузите файл контекста заново."
)
MUNICIPALITIES_KEPT_BY_REGION = (
    "Справочник муниципалитетов ведут администратор и региональный специалист; инспектор его только читает."
)
MUNICIPALITY_NOT_DELETED = (
    "Муниципалитет нельзя удалить через API: справочник ведёт администратор в разделе администрирования "
    "(/admin/)."
)


def validated_body(request, serializer_class) -> dict:
    """The request's body as `serializer_class` validates it (a 400 with the errors by field otherwise)."""
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data


class RefusedDeleteMixin:
    """Staff never hard-delete through the API (DESIGN: nothing that carries history is deleted): DELETE
    answers 409 with `delete_refusal`, a Russian reason that says what to do instead. Who may ask at all
    is still decided by the permission classes (others get 403), which object by the queryset (404)."""

    delete_refusal = ""

    def destroy(self, request, *args, **kwargs):
        self.get_object()
        return Response({"detail": self.delete_refusal}, status=status.HTTP_409_CONFLICT)


class ScopedReadOnlyApi(viewsets.ReadOnlyModelViewSet):
    """Rows that staff and principals read and nobody writes through the API (imports and computations
    write them). Each sees `visible_to(user=<who asks>)`, a selector composed with school_list_visible_to:
    a row outside the user's scope is 404."""

    permission_classes = [IsStaffOrReadOnlyPortalUser]
    visible_to: Callable[..., QuerySet]

    def get_queryset(self):
        return self.visible_to(user=self.request.user)


class MunicipalityApi(RefusedDeleteMixin, viewsets.ModelViewSet):
    """Municipalities of the user's scope: `code`, `name`, `region` (DESIGN §10). The reference list is
    kept by those who see the whole installation; an inspector bound to municipalities only reads it."""

    delete_refusal = MUNICIPALITY_NOT_DELETED
    serializer_class = MunicipalitySerializer
    permission_classes = [IsStaffOrReadOnlyPortalUser]
    filterset_fields = ["name", "code"]
    lookup_field = "code"

    def get_queryset(self):
        return municipality_list_visible_to(user=self.request.user).order_by("name")

    def check_permissions(self, request):
        super().check_permissions(request)
        if request.method not in SAFE_METHODS and not sees_every_municipality(request.user):
            self.permission_denied(request, message=MUNICIPALITIES_KEPT_BY_REGION)

    def perform_create(self, serializer):
        serializer.save(region=Region.objects.first())


class SchoolFilter(filters.FilterSet):
    code = filters.CharFilter()
    municipality = filters.CharFilter(field_name="municipality__name")
    municipality_code = filters.CharFilter(field_name="municipality__code")
    search = filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = School
        fields = [
            "code",
            "municipality",
            "municipality_code",
            "settlement",
            "is_small",
            "is_remote",
            "infrastructure_deficit",
            "staff_shortage",
        ]


class SchoolApi(RefusedDeleteMixin, viewsets.ModelViewSet):
    delete_refusal = SCHOOL_NOT_DELETED
    serializer_class = SchoolSerializer
    permission_classes = [IsStaffOrReadOnlyPortalUser]
    filterset_class = SchoolFilter
    lookup_field = "code"
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return school_list_visible_to(user=self.request.user).order_by("code")


class SchoolContextFilter(filters.FilterSet):
    school_code = filters.CharFilter(field_name="school__code")

    class Meta:
        model = SchoolContext
        fields = ["school_code", "year"]


class SchoolContextApi(RefusedDeleteMixin, viewsets.ModelViewSet):
    delete_refusal = CONTEXT_NOT_DELETED
    serializer_class = SchoolContextSerializer
    permission_classes = [IsStaffOrReadOnlyPortalUser]
    filterset_class = SchoolContextFilter
    ordering_fields = ["year"]

    def get_queryset(self):
        return context_list_visible_to(user=self.request.user).order_by("school__code", "year")
