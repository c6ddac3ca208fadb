"""API tokens: obtained with the password and, when the user has a TOTP device, its code; throttled, locked
out by axes, expiring, revocable (the rules are in schools/api_tokens.py)."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from ..api_tokens import api_token_issue, api_token_revoke

TOKEN_REVOKED = "Токен отозван: запросы с ним больше не принимаются."
NO_TOKEN = "Действующего токена у вас нет."


class ApiTokenObtainSerializer(AuthTokenSerializer):
    otp_token = serializers.CharField(
        label="Код из приложения-аутентификатора",
        required=False,
        allow_blank=True,
        max_length=16,
        write_only=True,
        help_text="Шесть цифр; обязателен, если пользователь подключил вход с кодом.",
    )


class ApiTokenObtainApi(ObtainAuthToken):
    serializer_class = ApiTokenObtainSerializer
    throttle_classes = [AnonRateThrottle]  # DRF's own view turns throttling off

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token = api_token_issue(
            user=serializer.validated_data["user"],
            otp_token=serializer.validated_data.get("otp_token", "").strip(),
        )
        return Response({"token": token.key})


class ApiTokenRevokeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses=inline_serializer("ApiTokenRevoked", {"detail": serializers.CharField()}),
        description="Отзывает токен того, кто спрашивает: запросы с ним больше не принимаются.",
    )
    def post(self, request):
        revoked = api_token_revoke(user=request.user)
        return Response({"detail": TOKEN_REVOKED if revoked else NO_TOKEN})
