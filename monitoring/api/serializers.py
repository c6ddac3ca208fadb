from rest_framework import serializers

from ..models import ANSWER_INPUTS, Campaign, CardAnswer, CardTemplate, ExpertCard
from ..services import template_as_dict


class CardTemplateSerializer(serializers.ModelSerializer):
    """The whole template as the JSON that `POST /api/templates/` accepts back."""

    class Meta:
        model = CardTemplate
        fields = ["id", "slug", "title", "version"]

    def to_representation(self, instance):
        return {"id": instance.pk, **template_as_dict(instance)}


class CampaignSerializer(serializers.ModelSerializer):
    template = serializers.SlugRelatedField(slug_field="slug", queryset=CardTemplate.objects.all())
    cards_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "year",
            "title",
            "template",
            "self_assessment_due",
            "verification_due",
            "evaluation_due",
            "reminder_days",
            "revision_days",
            "cards_count",
        ]
        extra_kwargs = {
            "title": {"required": False},
            "self_assessment_due": {"required": False},
            "verification_due": {"required": False},
            "evaluation_due": {"required": False},
        }
        validators = []  # uniqueness and deadline order are checked by the service with Russian messages


class CampaignCreateSerializer(CampaignSerializer):
    school_codes = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        write_only=True,
        help_text="участники; без поля — школы из списка ШНОР этого года",
    )

    class Meta(CampaignSerializer.Meta):
        fields = [*CampaignSerializer.Meta.fields, "school_codes"]


# Every card response carries all its answers (17 in the built-in template), the answer to each draft
# save too (the load test sends 40 a second). The generic field-by-field walk cost more CPU than the
# save itself, so the two serializers below write their dicts out; the declared fields still describe
# them (OpenAPI schema) and tests/monitoring/test_draft_save.py checks the output equals the generic one.
_VALUE = serializers.DecimalField(max_digits=12, decimal_places=2)
_DATE = serializers.DateField()
_DATETIME = serializers.DateTimeField()


def _datetime(value):
    return None if value is None else _DATETIME.to_representation(value)


class CardAnswerSerializer(serializers.ModelSerializer):
    criterion = serializers.CharField(source="criterion_code")
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = CardAnswer
        fields = [
            "criterion",
            *ANSWER_INPUTS,
            "computed",
            "computed_detail",
            "verdict",
            "verifier_comment",
            "points",
        ]

    def get_evidence(self, answer) -> list[str]:
        return answer.evidence_list

    def to_representation(self, answer):
        return self.answer_dict(answer)

    @staticmethod
    def answer_dict(answer: CardAnswer) -> dict:
        return {
            "criterion": answer.criterion_code,
            "claimed": answer.claimed,
            "numerator": answer.numerator,
            "denominator": answer.denominator,
            "value": None if answer.value is None else _VALUE.to_representation(answer.value),
            "choice": answer.choice,
            "text": answer.text,
            "evidence": answer.evidence_list,
            "comment": answer.comment,
            "computed": answer.computed,
            "computed_detail": answer.computed_detail,
            "verdict": str(answer.verdict),
            "verifier_comment": answer.verifier_comment,
            "points": answer.points,
        }


class ExpertCardSerializer(serializers.ModelSerializer):
    school_code = serializers.CharField(source="school.code", allow_null=True, default=None)
    school_name = serializers.CharField(source="subject_name")
    municipality = serializers.CharField(source="municipality.name", allow_null=True, default=None)
    campaign_year = serializers.IntegerField(source="campaign.year")
    status_display = serializers.CharField(source="get_status_display")
    level = serializers.SerializerMethodField()
    answers = CardAnswerSerializer(many=True)

    class Meta:
        model = ExpertCard
        fields = [
            "id",
            "school_code",
            "school_name",
            "municipality",
            "campaign",
            "campaign_year",
            "status",
            "status_display",
            "template_version",
            "version",
            "self_score",
            "score",
            "max_score",
            "level",
            "reopened_until",
            "return_message",
            "submitted_at",
            "verified_at",
            "evaluated_at",
            "answers",
        ]

    def get_level(self, card) -> str | None:
        return card.level or None

    def to_representation(self, card):
        return {
            "id": card.pk,
            "school_code": card.school.code if card.school_id else None,
            "school_name": card.subject_name,
            "municipality": card.municipality.name if card.municipality_id else None,
            "campaign": card.campaign_id,
            "campaign_year": card.campaign.year,
            "status": str(card.status),
            "status_display": card.get_status_display(),
            "template_version": card.template_version,
            "version": card.version,
            "self_score": card.self_score,
            "score": card.score,
            "max_score": card.max_score,
            "level": self.get_level(card),
            "reopened_until": None
            if card.reopened_until is None
            else _DATE.to_representation(card.reopened_until),
            "return_message": card.return_message,
            "submitted_at": _datetime(card.submitted_at),
            "verified_at": _datetime(card.verified_at),
            "evaluated_at": _datetime(card.evaluated_at),
            "answers": [CardAnswerSerializer.answer_dict(answer) for answer in card.answers.all()],
        }


class AnswerInputSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    claimed = serializers.BooleanField(required=False)
    numerator = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    denominator = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    value = serializers.DecimalField(required=False, allow_null=True, max_digits=12, decimal_places=2)
    evidence = serializers.JSONField(
        required=False, help_text="список ссылок http(s) или текст, по ссылке в строке"
    )
    comment = serializers.CharField(required=False, allow_blank=True)


class CardSaveSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="версия карты, которую видел клиент (поле version)")
    answers = AnswerInputSerializer(many=True)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField()


class VerdictInputSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    verdict = serializers.ChoiceField(choices=CardAnswer.Verdict.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class VerdictsSerializer(VersionSerializer):
    verdicts = VerdictInputSerializer(many=True)


class ReturnSerializer(VersionSerializer):
    message = serializers.CharField()


class ReopenSerializer(VersionSerializer):
    until = serializers.DateField()


class ParticipantsSerializer(serializers.Serializer):
    add = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    remove = serializers.ListField(child=serializers.CharField(), required=False, default=list)
