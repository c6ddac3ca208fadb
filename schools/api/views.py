from django_filters import rest_framework as filters
from rest_framework import status, viewsets
from rest_framework.response import Response

from ..models import Municipality, School, SchoolContext
from ..permissions import IsStaffOrReadOnlyPortalUser
from ..selectors import context_list_visible_to, school_list_visible_to
from .serializers import MunicipalitySerializer, SchoolContextSerializer, SchoolSerializer

SCHOOL_NOT_DELETED = (
    "Школу нельзя удалить: с ней связаны результаты, показатели, статусы, контекст и история. Закрытие или "
    "реорганизацию школы оформляет администратор в разделе администрирования (/admin/)."
)
CONTEXT_NOT_DELETED = (
    "Контекст школы за год нельзя удалить: на нём основаны кластеры и индексы. Исправьте значения "
    "(PUT или PATCH) или загрузите файл контекста заново."
)
MUNICIPALITY_NOT_DELETED = (
    "Муниципалитет нельзя удалить через API: справочник ведёт администратор в разделе администрирования "
    "(/admin/)."
)


class RefusedDeleteMixin:
    """Staff never hard-delete through the API (DESIGN: nothing that carries history is deleted): DELETE
    answers 409 with `delete_refusal`, a Russian reason that says what to do instead. Who may ask at all
    is still decided by the permission classes (others get 403), which object by the queryset (404)."""

    delete_refusal = ""

    def destroy(self, request, *args, **kwargs):
        self.get_object()
        return Response({"detail": self.delete_refusal}, status=status.HTTP_409_CONFLICT)


class MunicipalityApi(RefusedDeleteMixin, viewsets.ModelViewSet):
    delete_refusal = MUNICIPALITY_NOT_DELETED
    serializer_class = MunicipalitySerializer
    permission_classes = [IsStaffOrReadOnlyPortalUser]
    queryset = Municipality.objects.all()
    filterset_fields = ["name"]


class SchoolFilter(filters.FilterSet):
    code = filters.CharFilter()
    municipality = filters.CharFilter(field_name="municipality__name")
    search = filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = School
        fields = [
            "code",
            "municipality",
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
