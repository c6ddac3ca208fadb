"""API `orders`: staff read the register of their scope, draft from data, edit drafts and sign; a signed
order answers 409 to any change, DELETE always 409 (orders are never deleted), others get 403."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from schools.api.views import RefusedDeleteMixin, validated_body
from schools.permissions import IsStaffMember

from .. import selectors, services
from ..models import Order
from .serializers import OrderDraftSerializer, OrderSerializer, OrderSignSerializer

ORDER_NOT_DELETED = (
    "Приказ нельзя удалить: он зарегистрирован в реестре. Подписанный приказ отменяется приказом "
    "«О признании "
    "утратившим силу…», проект можно оставить неподписанным."
)


class StaffOnly(IsStaffMember):
    """IsStaffMember's rule, with the refusal naming the orders."""

    message = "Приказы доступны сотрудникам управления образования."


class OrderFilter(filters.FilterSet):
    class Meta:
        model = Order
        fields = ["kind", "document_kind", "status", "year", "number"]


class OrderApi(RefusedDeleteMixin, viewsets.ModelViewSet):
    delete_refusal = ORDER_NOT_DELETED
    serializer_class = OrderSerializer
    permission_classes = [StaffOnly]
    filterset_class = OrderFilter

    def get_queryset(self):
        return selectors.order_list_visible_to(user=self.request.user).prefetch_related("approved__school")

    @extend_schema(request=OrderDraftSerializer, responses=OrderSerializer)
    def create(self, request, *args, **kwargs):
        data = dict(validated_body(request, OrderDraftSerializer))
        data["procedure"] = data.get("procedure", "").upper()
        order = services.order_draft_create(user=request.user, **data)
        return Response(self.get_serializer(order).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        serializer.instance = services.order_update(
            order=serializer.instance, user=self.request.user, version=version, **data
        )

    @extend_schema(request=OrderSignSerializer, responses=OrderSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        order = self.get_object()
        fields = validated_body(request, OrderSignSerializer)
        order = services.order_sign(order=order, user=request.user, **fields)
        return Response(self.get_serializer(order).data)
