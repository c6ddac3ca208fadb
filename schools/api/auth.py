"""API token by user name and password: throttled, locked out by axes, never a bypass of two-factor."""

from django.conf import settings
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import PermissionDenied
from rest_framework.throttling import AnonRateThrottle

from ..roles import is_administrator

ADMIN_TOKEN_REFUSED = (
    "Администраторам токен по паролю не выдаётся: вход администратора подтверждается вторым фактором. "
    "Получите токен в разделе администрирования после подтверждения входа."
)


class ApiTokenObtainApi(ObtainAuthToken):
    throttle_classes = [AnonRateThrottle]  # DRF's own view turns throttling off

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if settings.OTP_REQUIRED_FOR_ADMINS and is_administrator(serializer.validated_data["user"]):
            raise PermissionDenied(ADMIN_TOKEN_REFUSED)
        return super().post(request, *args, **kwargs)
