from rest_framework import serializers

from ..models import CONTEXT_FIGURES, Municipality, School, SchoolContext
from ..versioning import VERSION_HELP
from .fields import visible_municipality_field, visible_school_field


class VersionApiField(serializers.IntegerField):
    """The `version` an API client read and sends back with a change (optional; schools.versioning), the
    serializers' counterpart of the forms' VersionField."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("help_text", VERSION_HELP)
        super().__init__(**kwargs)


class MunicipalitySerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="name", read_only=True)

    class Meta:
        model = Municipality
        fields = ["id", "code", "name", "region"]
        read_only_fields = ["region"]


class SchoolSerializer(serializers.ModelSerializer):
    municipality = visible_municipality_field(slug_field="name")
    municipality_code = serializers.CharField(source="municipality.code", read_only=True)

    class Meta:
        model = School
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "municipality",
            "municipality_code",
            "settlement",
            "address",
            "website",
            "is_small",
            "is_remote",
            "infrastructure_deficit",
            "staff_shortage",
        ]


class SchoolContextSerializer(serializers.ModelSerializer):
    school_code = visible_school_field(source="school")

    class Meta:
        model = SchoolContext
        fields = [
            "id",
            "school_code",
            "year",
            *CONTEXT_FIGURES,
            "import_batch",
        ]
        read_only_fields = ["import_batch"]

    def validate(self, attrs):
        from ..services import STUDENT_PARTS, TEACHER_PARTS

        errors = {}
        for whole, parts in (("students", STUDENT_PARTS), ("teachers", TEACHER_PARTS)):
            total = attrs.get(whole, getattr(self.instance, whole, None))
            for part in parts:
                value = attrs.get(part, getattr(self.instance, part, None))
                if total is not None and value is not None and value > total:
                    errors[part] = (
                        f"Не может быть больше, чем {total} "
                        f"({SchoolContext._meta.get_field(whole).verbose_name})."
                    )
        if errors:
            raise serializers.ValidationError(errors)
        return attrs
