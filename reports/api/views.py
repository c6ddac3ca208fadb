from django_filters import rest_framework as filters
from rest_framework import permissions, viewsets

from .. import selectors
from ..models import Document, Report
from .serializers import DocumentSerializer, ReportSerializer


class ReportFilter(filters.FilterSet):
    class Meta:
        model = Report
        fields = ["kind", "year", "status", "is_published"]


class ReportApi(viewsets.ReadOnlyModelViewSet):
    """Analytical reports: the public (and principals) see published ones only, staff see every build."""

    serializer_class = ReportSerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = ReportFilter
    ordering_fields = ["year", "published_at", "created_at"]

    def get_queryset(self):
        return selectors.report_list_visible_to(user=self.request.user).order_by("-year", "-created_at")


class DocumentFilter(filters.FilterSet):
    direction = filters.CharFilter(field_name="direction__code")
    stage = filters.NumberFilter(field_name="stage__number")

    class Meta:
        model = Document
        fields = ["kind", "direction", "stage", "is_published"]


class DocumentApi(viewsets.ReadOnlyModelViewSet):
    """The document registry: the public sees published documents only, staff see all."""

    serializer_class = DocumentSerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = DocumentFilter
    ordering_fields = ["date", "title", "published_at"]

    def get_queryset(self):
        return selectors.document_list_visible_to(user=self.request.user).order_by(
            "direction__order", "stage__number", "-date", "pk"
        )
