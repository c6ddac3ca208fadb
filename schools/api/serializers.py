from rest_framework import serializers

from ..models import Municipality, School, SchoolContext


class MunicipalitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["id", "name"]


class SchoolSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(slug_field="name", queryset=Municipality.objects.all())

    class Meta:
        model = School
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "municipality",
            "settlement",
            "address",
            "website",
            "is_small",
            "is_remote",
            "infrastructure_deficit",
            "staff_shortage",
        ]


class SchoolContextSerializer(serializers.ModelSerializer):
    school_code = serializers.SlugRelatedField(
        source="school", slug_field="code", queryset=School.objects.all()
    )

    class Meta:
        model = SchoolContext
        fields = [
            "id",
            "school_code",
            "year",
            "students",
            "teachers",
            "police_registered",
            "migrants",
            "not_attested",
            "absentees",
            "special_needs",
            "accreditation_suspended",
            "teachers_diagnosed",
            "teachers_pd_request",
            "teachers_pd_risk",
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
