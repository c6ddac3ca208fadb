from rest_framework import serializers

from schools.api.fields import VisiblePrimaryKeyRelatedField, visible_municipality_field, visible_school_field
from schools.api.serializers import VersionApiField
from schools.validators import MAX_URL_LENGTH

from ..models import CycleStage, Direction, ManagementDecision, Recommendation, Roadmap, RoadmapItem
from ..rules import DECISION_DETAILS, ITEM_DETAILS, RECOMMENDATION_DETAILS, ROADMAP_DETAILS
from ..selectors import recommendation_list_visible_to


def direction_field() -> serializers.SlugRelatedField:
    """The direction of a record, by code; optional."""
    return serializers.SlugRelatedField(
        slug_field="code", queryset=Direction.objects.all(), required=False, allow_null=True
    )


def evidence_field() -> serializers.ListField:
    """Evidence links, a list of addresses (services.core.evidence_clean checks them); optional."""
    return serializers.ListField(child=serializers.CharField(max_length=MAX_URL_LENGTH), required=False)


class DirectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Direction
        fields = ["id", "code", "group", "name", "coordinator", "executors"]


class RoadmapItemSerializer(serializers.ModelSerializer):
    roadmap = serializers.PrimaryKeyRelatedField(queryset=Roadmap.objects.all())
    stage = serializers.SlugRelatedField(
        slug_field="number", queryset=CycleStage.objects.all(), help_text="Этап управленческого цикла, 1–6."
    )
    direction = direction_field()
    evidence = evidence_field()
    version = VersionApiField()

    class Meta:
        model = RoadmapItem
        fields = [
            "id",
            "roadmap",
            "number",
            "stage",
            *ITEM_DETAILS,
            "result",
            "status",
            "evidence",
            "completed_on",
            "notes",
            "version",
        ]


class RoadmapItemNestedSerializer(RoadmapItemSerializer):
    class Meta(RoadmapItemSerializer.Meta):
        fields = [f for f in RoadmapItemSerializer.Meta.fields if f != "roadmap"]
        read_only_fields = fields


class RoadmapSerializer(serializers.ModelSerializer):
    school_code = visible_school_field(source="school", required=False, allow_null=True)
    # A municipal roadmap's municipality (by its code); a school programme's is its school's (DESIGN §6).
    municipality = visible_municipality_field(slug_field="code", required=False, allow_null=True)
    directions = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Direction.objects.all(), required=False
    )
    items = RoadmapItemNestedSerializer(many=True, read_only=True)
    version = VersionApiField()

    class Meta:
        model = Roadmap
        fields = [
            "id",
            "title",
            "kind",
            "school_code",
            "municipality",
            *ROADMAP_DETAILS,
            "items",
            "version",
        ]


class RecommendationSerializer(serializers.ModelSerializer):
    school_code = visible_school_field(source="school", required=False, allow_null=True)
    direction = direction_field()
    answer_evidence = evidence_field()
    version = VersionApiField()

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "school_code",
            *RECOMMENDATION_DETAILS,
            "answer",
            "answer_evidence",
            "answered_at",
            "created_at",
            "version",
        ]
        read_only_fields = ["answered_at", "created_at"]


class DecisionSerializer(serializers.ModelSerializer):
    school_codes = visible_school_field(source="schools", many=True, required=False)
    recommendations = VisiblePrimaryKeyRelatedField(
        visible=recommendation_list_visible_to,
        many=True,
        queryset=Recommendation.objects.all(),
        required=False,
    )
    direction = direction_field()
    version = VersionApiField()

    class Meta:
        model = ManagementDecision
        fields = [
            "id",
            *DECISION_DETAILS,
            "school_codes",
            "recommendations",
            "notes",
            "version",
        ]
