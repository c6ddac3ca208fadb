from django_filters import rest_framework as filters
from rest_framework import viewsets

from schools.api.views import ScopedReadOnlyApi
from schools.permissions import IsStaffOrReadOnlyPortalUser

from .. import objectivity_selectors, selectors
from ..models import AssessmentResult, Indicator, IndicatorValue, ObjectivityStatus, SchoolStatus
from ..objectivity import MARKERS
from .serializers import (
    IndicatorSerializer,
    ObjectivitySerializer,
    ResultSerializer,
    StatusSerializer,
    ValueSerializer,
)

LIST_CHOICES = [("low_results", "ШНОР"), ("unfavourable", "ШНСУ")]


class ByStatusFilter(filters.FilterSet):
    """school_code, cluster (of the row's year) and list (ШНОР/ШНСУ membership in the row's year)."""

    school_code = filters.CharFilter(field_name="school__code")
    cluster = filters.CharFilter(method="filter_cluster")
    list = filters.ChoiceFilter(choices=LIST_CHOICES, method="filter_list")

    def filter_cluster(self, queryset, name, value):
        return selectors.filter_by_status(queryset, cluster=value)

    def filter_list(self, queryset, name, value):
        return selectors.filter_by_status(queryset, list_kind=value)


class ResultFilter(ByStatusFilter):
    procedure = filters.CharFilter(field_name="procedure__code")
    subject = filters.CharFilter(field_name="subject__code")

    class Meta:
        model = AssessmentResult
        fields = ["year", "school_code", "procedure", "subject", "grade"]


class ValueFilter(ByStatusFilter):
    indicator = filters.CharFilter(field_name="indicator__code")

    class Meta:
        model = IndicatorValue
        fields = ["year", "school_code", "indicator"]


class StatusFilter(filters.FilterSet):
    school_code = filters.CharFilter(field_name="school__code")
    list = filters.ChoiceFilter(choices=LIST_CHOICES, method="filter_list")

    class Meta:
        model = SchoolStatus
        fields = ["year", "school_code", "cluster", "low_results_year"]

    def filter_list(self, queryset, name, value):
        return selectors.on_list(queryset, value)


class ResultApi(ScopedReadOnlyApi):
    """Assessment results (imported from files); principals see their own school only."""

    serializer_class = ResultSerializer
    filterset_class = ResultFilter
    ordering_fields = ["year", "grade"]
    visible_to = staticmethod(selectors.results_visible_to)


class IndicatorApi(viewsets.ReadOnlyModelViewSet):
    """The indicator catalogue."""

    serializer_class = IndicatorSerializer
    permission_classes = [IsStaffOrReadOnlyPortalUser]
    queryset = Indicator.objects.all()
    lookup_field = "code"
    filterset_fields = ["group", "index"]


class ValueApi(ScopedReadOnlyApi):
    """Computed indicator values with numerator and denominator."""

    serializer_class = ValueSerializer
    filterset_class = ValueFilter
    ordering_fields = ["year", "value"]
    visible_to = staticmethod(selectors.values_visible_to)


class StatusApi(ScopedReadOnlyApi):
    """School statuses per year: cluster, indices, rank, ШНОР/ШНСУ and the reasons."""

    serializer_class = StatusSerializer
    filterset_class = StatusFilter
    ordering_fields = ["year", "results_index", "social_index", "rank_in_cluster"]
    visible_to = staticmethod(selectors.statuses_visible_to)


class ObjectivityFilter(filters.FilterSet):
    school_code = filters.CharFilter(field_name="school__code")
    municipality = filters.NumberFilter(field_name="school__municipality_id")
    marker = filters.ChoiceFilter(choices=list(MARKERS.items()), method="filter_marker")

    class Meta:
        model = ObjectivityStatus
        fields = ["year", "school_code", "in_list", "is_stable", "municipality"]

    def filter_marker(self, queryset, name, value):
        return queryset.filter(marker_codes__contains=f",{value},")


class ObjectivityApi(ScopedReadOnlyApi):
    """Objectivity markers by school and year (DESIGN §8). Staff see the schools in their scope; a
    principal sees only their own school's markers (never the list of other schools)."""

    serializer_class = ObjectivitySerializer
    filterset_class = ObjectivityFilter
    ordering_fields = ["year", "marker_count"]
    visible_to = staticmethod(objectivity_selectors.objectivity_queryset)
