"""API: templates, campaigns, cards. The same services as the pages; principals only their own card."""

from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from schools.api.views import validated_body
from schools.permissions import IsStaffMember, IsStaffOrReadOnlyPortalUser
from schools.roles import is_principal, is_staff_member
from schools.selectors import school_list_visible_to

from .. import selectors, services
from ..models import ExpertCard
from .serializers import (
    CampaignCreateSerializer,
    CampaignSerializer,
    CardSaveSerializer,
    CardTemplateSerializer,
    ExpertCardSerializer,
    ParticipantsSerializer,
    ReopenSerializer,
    ReturnSerializer,
    VerdictsSerializer,
    VersionSerializer,
)


class IsPortalUser(BasePermission):
    """Staff and principals; what each may do with a card is decided by the services."""

    message = "У вашей учётной записи нет роли в портале."

    def has_permission(self, request, view):
        return is_staff_member(request.user) or is_principal(request.user)


class CardTemplateApi(viewsets.ReadOnlyModelViewSet, mixins.CreateModelMixin):
    """Card templates. POST the template JSON (as GET returns it) to create one or a new version."""

    serializer_class = CardTemplateSerializer
    permission_classes = [IsStaffOrReadOnlyPortalUser]
    lookup_field = "slug"
    filterset_fields = ["slug"]

    def get_queryset(self):
        return selectors.template_list().prefetch_related("sections__criteria")

    @extend_schema(request={"application/json": {"type": "object"}}, responses=CardTemplateSerializer)
    def create(self, request, *args, **kwargs):
        template = services.template_import(data=request.data)
        return Response(CardTemplateSerializer(template).data, status=status.HTTP_201_CREATED)


class CampaignApi(viewsets.ReadOnlyModelViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin):
    permission_classes = [IsStaffOrReadOnlyPortalUser]
    filterset_fields = ["year"]
    ordering_fields = ["year"]

    def get_queryset(self):
        return selectors.campaign_list_visible_to(user=self.request.user)

    def get_serializer_class(self):
        return CampaignCreateSerializer if self.action == "create" else CampaignSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        codes = data.pop("school_codes", None)
        school_ids = (
            None
            if codes is None
            else list(
                school_list_visible_to(user=self.request.user)
                .filter(code__in=codes)
                .values_list("pk", flat=True)
            )
        )
        serializer.instance = services.campaign_create(user=self.request.user, school_ids=school_ids, **data)

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k not in ("year", "template")}
        services.campaign_update(campaign=serializer.instance, **data)

    @extend_schema(request=ParticipantsSerializer, responses=CampaignSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsStaffMember])
    def participants(self, request, pk=None):
        """Add or remove participants by school code (a card in work is never removed)."""
        campaign = get_object_or_404(self.get_queryset(), pk=pk)
        body = validated_body(request, ParticipantsSerializer)
        ids = dict(
            school_list_visible_to(user=request.user)
            .filter(code__in=body["add"] + body["remove"])
            .values_list("code", "pk")
        )
        unknown = [c for c in body["add"] + body["remove"] if c not in ids]
        if unknown:
            raise ValidationError({"detail": f"Неизвестные коды ОО: {', '.join(unknown)}."})
        services.campaign_participants_remove(campaign=campaign, school_ids=[ids[c] for c in body["remove"]])
        services.campaign_participants_add(
            campaign=campaign, school_ids=[ids[c] for c in body["add"]], user=request.user
        )
        return Response(CampaignSerializer(self.get_queryset().get(pk=pk)).data)


class ExpertCardFilter(filters.FilterSet):
    school_code = filters.CharFilter(field_name="school__code")
    year = filters.NumberFilter(field_name="campaign__year")

    class Meta:
        model = ExpertCard
        fields = ["campaign", "status", "level", "school_code", "year"]


class ExpertCardApi(viewsets.ReadOnlyModelViewSet):
    """Expert cards.

    PATCH saves the principal's draft: {"version": n, "answers": [{"criterion": "2.3", ...}]}.
    """

    serializer_class = ExpertCardSerializer
    permission_classes = [IsPortalUser]
    filterset_class = ExpertCardFilter
    ordering_fields = ["score", "self_score", "school__code"]

    def get_queryset(self):
        if self.action == "partial_update":
            return selectors.card_for_save_visible_to(user=self.request.user)
        return selectors.card_list_visible_to(user=self.request.user)

    def filter_queryset(self, queryset):
        # Without query parameters the filter set and ordering would change nothing; building them
        # costs more than the rest of a draft save's lookup.
        if not self.request.query_params:
            return queryset
        return super().filter_queryset(queryset)

    def _respond(self, card_id):
        return Response(ExpertCardSerializer(self.get_queryset().get(pk=card_id)).data)

    def _run(self, func, **kwargs):
        card = self.get_object()
        func(card_id=card.pk, user=self.request.user, **kwargs)
        return self._respond(card.pk)

    @extend_schema(request=CardSaveSerializer, responses=ExpertCardSerializer)
    def partial_update(self, request, pk=None):
        body = validated_body(request, CardSaveSerializer)
        answers = []
        for answer in request.data.get("answers", []):
            answer = dict(answer)
            if isinstance(answer.get("evidence"), list):
                answer["evidence"] = "\n".join(str(link) for link in answer["evidence"])
            answers.append(answer)
        card = self.get_object()
        # The card just read (answers prefetched) is saved and answered as is: the save's
        # conditional UPDATE on `version` refuses it if anybody changed the card since that read.
        card = services.card_save(
            card_id=card.pk,
            card=card,
            user=request.user,
            version=body["version"],
            answers=answers,
        )
        return Response(ExpertCardSerializer(card).data)

    @extend_schema(request=VersionSerializer, responses=ExpertCardSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        body = validated_body(request, VersionSerializer)
        return self._run(services.card_submit, version=body["version"])

    @extend_schema(request=VerdictsSerializer, responses=ExpertCardSerializer)
    @action(detail=True, methods=["post"])
    def verdicts(self, request, pk=None):
        body = validated_body(request, VerdictsSerializer)
        verdicts = {
            v["criterion"]: {"verdict": v["verdict"], "comment": v["comment"]} for v in body["verdicts"]
        }
        return self._run(services.card_verdicts_set, version=body["version"], verdicts=verdicts)

    @extend_schema(request=ReturnSerializer, responses=ExpertCardSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_for_revision(self, request, pk=None):
        return self._run(services.card_return, **validated_body(request, ReturnSerializer))

    @extend_schema(request=ReopenSerializer, responses=ExpertCardSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._run(services.card_reopen, **validated_body(request, ReopenSerializer))

    @extend_schema(request=VersionSerializer, responses=ExpertCardSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._run(services.card_verify, **validated_body(request, VersionSerializer))

    @extend_schema(request=VersionSerializer, responses=ExpertCardSerializer)
    @action(detail=True, methods=["post"])
    def evaluate(self, request, pk=None):
        return self._run(services.card_evaluate, **validated_body(request, VersionSerializer))
