"""API: staff keep everything; a principal reads their school's material and changes only the status and
evidence of their programme's items and the answers to their recommendations."""

from django.utils import timezone
from django_filters import rest_framework as filters
from rest_framework import exceptions, viewsets
from rest_framework.permissions import SAFE_METHODS, BasePermission

from schools.api.views import RefusedDeleteMixin
from schools.roles import is_principal, is_staff_member

from .. import selectors, services
from ..models import Direction, ManagementDecision, Recommendation, Roadmap, RoadmapItem
from ..rules import PRINCIPAL_ANSWER_FIELDS, PRINCIPAL_ITEM_FIELDS, fields_beyond
from ..services.core import PRINCIPAL_ONLY_PROGRESS
from .serializers import (
    DecisionSerializer,
    DirectionSerializer,
    RecommendationSerializer,
    RoadmapItemSerializer,
    RoadmapSerializer,
)

PRINCIPAL_ONLY_ANSWER = "Руководитель ОО может изменять только ответ на рекомендацию и ссылки к нему."
ROADMAP_NOT_DELETED = (
    "Дорожную карту нельзя удалить: она хранит историю исполнения мероприятий. Ошибочную карту удаляет "
    "администратор в разделе администрирования (/admin/), с подтверждением и записью в журнале."
)
ITEM_NOT_DELETED = (
    "Мероприятие нельзя удалить: оно хранит историю исполнения. Отправьте его в архив на странице "
    "мероприятия или отмените (status «cancelled»)."
)
RECOMMENDATION_NOT_DELETED = (
    "Рекомендацию нельзя удалить: она хранит ответ школы и историю. Отмените её (status «cancelled»)."
)
DECISION_NOT_DELETED = (
    "Управленческое решение нельзя удалить: на нём основан анализ эффективности. Отмените его "
    "(status «cancelled»)."
)


class StaffWritesPrincipalPatches(BasePermission):
    """Staff: everything. Principals: read, and PATCH where the view allows (fields checked there)."""

    message = "Изменять эти данные могут только сотрудники управления образования."

    def has_permission(self, request, view):
        user = request.user
        if is_staff_member(user):
            return True
        if not is_principal(user):
            return False
        return request.method in SAFE_METHODS or (
            request.method == "PATCH" and getattr(view, "principal_patch", False)
        )


class StaffSaveMixin:
    """Staff create and change the record through its service (`staff_save`)."""

    def perform_create(self, serializer):
        self.staff_save(serializer)

    def perform_update(self, serializer):
        self.staff_save(serializer)


# A record staff keep through its service (`staff_save`) and never delete (`delete_refusal`); principals
# read it, and PATCH it where the view allows. (No docstring: the schema describes a view by the first one
# in its classes, and these views keep StaffSaveMixin's.)
class StaffKeptApi(StaffSaveMixin, RefusedDeleteMixin, viewsets.ModelViewSet):
    permission_classes = [StaffWritesPrincipalPatches]


class PrincipalPatchMixin(StaffSaveMixin):
    """Staff create and change the record (`staff_save`); a principal only PATCHes `principal_fields` of it
    (`principal_save`) and is refused with `principal_refusal` for any other field."""

    principal_patch = True
    principal_fields: frozenset[str] = frozenset()
    principal_refusal = ""

    def perform_update(self, serializer):
        if is_staff_member(self.request.user):
            self.staff_save(serializer)
            return
        if fields_beyond(self.request.data, self.principal_fields):
            raise exceptions.PermissionDenied(self.principal_refusal)
        serializer.instance = self.principal_save(serializer.instance, serializer.validated_data)


def _record_from(serializer, model, *related: str):
    """The record the serializer writes (a new `model` on create) with its validated fields set, the version
    the writer read, and the `related` values (sets the service writes itself) taken out of the fields."""
    data = dict(serializer.validated_data)
    version = data.pop("version", None)
    taken = {name: data.pop(name, None) for name in related}
    record = serializer.instance or model()
    for name, value in data.items():
        setattr(record, name, value)
    return record, version, taken


class DirectionApi(viewsets.ReadOnlyModelViewSet):
    serializer_class = DirectionSerializer
    permission_classes = [StaffWritesPrincipalPatches]
    queryset = Direction.objects.order_by("order", "code")
    pagination_class = None


class RoadmapFilter(filters.FilterSet):
    school_code = filters.CharFilter(field_name="school__code")
    # a programme's municipality is its school's (Roadmap.save), so one field answers for both kinds
    municipality = filters.CharFilter(field_name="municipality__code")

    class Meta:
        model = Roadmap
        fields = ["kind", "school_code", "municipality"]


class RoadmapApi(StaffKeptApi):
    delete_refusal = ROADMAP_NOT_DELETED
    serializer_class = RoadmapSerializer
    filterset_class = RoadmapFilter

    def get_queryset(self):
        return (
            selectors.roadmap_list_visible_to(user=self.request.user)
            .prefetch_related("items__stage", "items__direction")
            .order_by("kind", "school__code", "pk")
        )

    def staff_save(self, serializer):
        roadmap, version, related = _record_from(serializer, Roadmap, "directions")
        serializer.instance = services.roadmap_save(
            roadmap=roadmap, directions=related["directions"], user=self.request.user, version=version
        )


class RoadmapItemFilter(filters.FilterSet):
    school_code = filters.CharFilter(field_name="roadmap__school__code")
    stage = filters.NumberFilter(field_name="stage__number")
    overdue = filters.BooleanFilter(method="filter_overdue")

    class Meta:
        model = RoadmapItem
        fields = ["roadmap", "status", "school_code", "stage"]

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        overdue = selectors.items_overdue(items=queryset, today=today)
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class RoadmapItemApi(PrincipalPatchMixin, StaffKeptApi):
    delete_refusal = ITEM_NOT_DELETED
    serializer_class = RoadmapItemSerializer
    filterset_class = RoadmapItemFilter
    principal_fields = PRINCIPAL_ITEM_FIELDS
    principal_refusal = PRINCIPAL_ONLY_PROGRESS

    def get_queryset(self):
        return selectors.item_list_visible_to(user=self.request.user).order_by(
            "roadmap", "stage__number", "position"
        )

    def principal_save(self, item, data):
        return services.roadmap_item_progress_update(
            item=item,
            user=self.request.user,
            status=data.get("status", item.status),
            evidence=data.get("evidence", item.evidence),
            completed_on=data.get("completed_on", item.completed_on if "status" not in data else None),
            version=data.get("version"),
        )

    def staff_save(self, serializer):
        item, version, _ = _record_from(serializer, RoadmapItem)
        clash = RoadmapItem.all_objects.filter(roadmap_id=item.roadmap_id, number=item.number)
        if clash.exclude(pk=item.pk).exists():
            raise exceptions.ValidationError(
                {"number": f"Мероприятие № {item.number} уже есть в этой дорожной карте."}
            )
        serializer.instance = services.roadmap_item_save(item=item, user=self.request.user, version=version)


class RecommendationFilter(filters.FilterSet):
    school_code = filters.CharFilter(field_name="school__code")
    answered = filters.BooleanFilter(field_name="answered_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Recommendation
        fields = ["school_code", "status", "target_group", "source_kind", "year", "answered"]


class RecommendationApi(PrincipalPatchMixin, StaffKeptApi):
    delete_refusal = RECOMMENDATION_NOT_DELETED
    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilter
    principal_fields = PRINCIPAL_ANSWER_FIELDS
    principal_refusal = PRINCIPAL_ONLY_ANSWER

    def get_queryset(self):
        return selectors.recommendation_list_visible_to(user=self.request.user).order_by("-created_at", "-pk")

    def principal_save(self, recommendation, data):
        return services.recommendation_answer(
            recommendation=recommendation,
            user=self.request.user,
            answer=data.get("answer", recommendation.answer),
            evidence=data.get("answer_evidence", recommendation.answer_evidence),
            version=data.get("version"),
        )

    def staff_save(self, serializer):
        recommendation, version, _ = _record_from(serializer, Recommendation)
        recommendation.target_group = recommendation.target_group or ""
        serializer.instance = services.recommendation_save(
            recommendation=recommendation, user=self.request.user, version=version
        )


class DecisionFilter(filters.FilterSet):
    school_code = filters.CharFilter(field_name="schools__code")

    class Meta:
        model = ManagementDecision
        fields = ["year", "kind", "status", "school_code"]


class DecisionApi(StaffKeptApi):
    delete_refusal = DECISION_NOT_DELETED
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter

    def get_queryset(self):
        return selectors.decision_list_visible_to(user=self.request.user).order_by("-year", "-pk")

    def staff_save(self, serializer):
        decision, version, related = _record_from(
            serializer, ManagementDecision, "schools", "recommendations"
        )
        serializer.instance = services.decision_save(
            decision=decision, user=self.request.user, version=version, **related
        )
