from django.urls import reverse
from rest_framework import serializers

from monitoring.models import Campaign
from roadmaps.models import Roadmap
from schools.api.serializers import VersionApiField
from schools.models import Municipality

from ..models import DocumentKind, Order
from ..services import REQUISITE_DEFAULTS


class OrderSerializer(serializers.ModelSerializer):
    docx = serializers.SerializerMethodField(help_text="Адрес DOCX приказа.")
    pdf = serializers.SerializerMethodField(help_text="Адрес PDF того же документа.")
    school_codes = serializers.SerializerMethodField(
        help_text="Для приказа о списках: коды ОО его приложений (у подписанного — утверждённые); иначе null."
    )
    version = VersionApiField()
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "date",
            "kind",
            "document_kind",
            "status",
            "title",
            "year",
            "municipality",
            "relation",
            "related_order",
            "preamble",
            *REQUISITE_DEFAULTS,
            "docx",
            "pdf",
            "school_codes",
            "signed_at",
            "version",
        ]
        read_only_fields = [
            "kind",
            "document_kind",
            "status",
            "year",
            "relation",
            "related_order",
            "signed_at",
        ]

    def _url(self, order: Order, fmt: str) -> str:
        path = reverse("documents:order-file", args=[order.pk, fmt])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_docx(self, order: Order) -> str:
        return self._url(order, "docx")

    def get_pdf(self, order: Order) -> str:
        return self._url(order, "pdf")

    def get_school_codes(self, order: Order) -> list[str] | None:
        if order.document_kind != DocumentKind.LISTS or order.relation == Order.Relation.WITHDRAWS:
            return None
        if order.is_signed:
            return sorted({row.school.code for row in order.approved.all()})
        return sorted({row["code"] for a in order.data.get("appendices", []) for row in a.get("rows", [])})


class OrderDraftSerializer(serializers.Serializer):
    document_kind = serializers.ChoiceField(choices=DocumentKind.choices)
    municipality = serializers.SlugRelatedField(
        slug_field="code", queryset=Municipality.objects.all(), required=False, allow_null=True
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.all(), required=False, allow_null=True
    )
    roadmap = serializers.PrimaryKeyRelatedField(
        queryset=Roadmap.objects.all(), required=False, allow_null=True
    )
    procedure = serializers.CharField(required=False, allow_blank=True, max_length=10)
    number = serializers.CharField(required=False, allow_blank=True, max_length=50)
    date = serializers.DateField(required=False)


class OrderSignSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=50, required=False, allow_blank=True)
    date = serializers.DateField(required=False)
    version = VersionApiField()
