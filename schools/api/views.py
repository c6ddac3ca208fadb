from django_filters import rest_framework as filters
from rest_framework import viewsets

from ..models import Municipality, School, SchoolContext
from ..permissions import IsStaffOrReadOnlyPortalUser
from ..selectors import context_list_visible_to, school_list_visible_to
from .serializers import MunicipalitySerializer, SchoolContextSerializer, SchoolSerializer


class MunicipalityApi(viewsets.ModelViewSet):
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


class SchoolApi(viewsets.ModelViewSet):
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


class SchoolContextApi(viewsets.ModelViewSet):
    serializer_class = SchoolContextSerializer
    permission_classes = [IsStaffOrReadOnlyPortalUser]
    filterset_class = SchoolContextFilter
    ordering_fields = ["year"]

    def get_queryset(self):
        return context_list_visible_to(user=self.request.user).order_by("school__code", "year")
