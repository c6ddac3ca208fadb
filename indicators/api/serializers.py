from rest_framework import serializers

from ..exports import STATUS_FIGURES
from ..models import (
    RESULT_FIGURES,
    VALUE_FIGURES,
    AssessmentResult,
    Indicator,
    IndicatorValue,
    ObjectivityStatus,
    SchoolStatus,
)
from ..selectors import on_list_annotated


# A row of one school, which the API names by its code. (No docstring: the schema would give it to every
# serializer below that has none.)
class SchoolRowSerializer(serializers.ModelSerializer):
    school_code = serializers.CharField(source="school.code", read_only=True)


class ResultSerializer(SchoolRowSerializer):
    procedure = serializers.CharField(source="procedure.code", read_only=True)
    subject = serializers.CharField(source="subject.code", read_only=True)
    subject_name = serializers.CharField(source="subject.name", read_only=True)

    class Meta:
        model = AssessmentResult
        fields = [
            "id",
            "school_code",
            "year",
            "procedure",
            "subject",
            "subject_name",
            "grade",
            *RESULT_FIGURES,
            "observers",
            "video",
            "recheck",
            "import_batch",
        ]


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "short_name",
            "group",
            "kind",
            "index",
            "formula",
            "polarity",
            "unit",
            "source",
            "responsible",
            "periodicity",
            "description",
        ]


class ValueSerializer(SchoolRowSerializer):
    indicator = serializers.CharField(source="indicator.code", read_only=True)

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "school_code",
            "year",
            "indicator",
            *VALUE_FIGURES,
        ]


class StatusSerializer(SchoolRowSerializer):
    """`low_results` / `unfavourable` are the effective lists (an inspector's override applied);
    `*_computed` are the computed flags beside them."""

    low_results = serializers.SerializerMethodField()
    unfavourable = serializers.SerializerMethodField()
    low_results_computed = serializers.BooleanField(source="low_results", read_only=True)
    unfavourable_computed = serializers.BooleanField(source="unfavourable", read_only=True)

    class Meta:
        model = SchoolStatus
        fields = [
            "id",
            "school_code",
            *STATUS_FIGURES,
            "low_results_computed",
            "unfavourable_computed",
            "social_rank",
            "social_population",
            "is_low_data",
            "has_context",
            "reasons",
            "objectivity_flags",
        ]

    def get_low_results(self, status) -> bool:
        return on_list_annotated(status, "low_results")

    def get_unfavourable(self, status) -> bool:
        return on_list_annotated(status, "unfavourable")


class ObjectivitySerializer(SchoolRowSerializer):
    """A school's objectivity markers in a year (DESIGN §8): the codes, the list, and every figure."""

    school_name = serializers.CharField(source="school.display_name", read_only=True)
    municipality = serializers.CharField(source="school.municipality.name", read_only=True)

    class Meta:
        model = ObjectivityStatus
        fields = [
            "id",
            "school_code",
            "school_name",
            "municipality",
            "year",
            "markers",
            "marker_count",
            "in_list",
            "is_stable",
            "figures",
            "rules",
        ]
