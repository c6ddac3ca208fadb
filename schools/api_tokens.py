"""API tokens: issued with the second factor when the user has one, expiring after API_TOKEN_TTL_DAYS,
revoked by their owner (POST /api/token/revoke/) or by an administrator (admin, «Токены»)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_otp import match_token, user_has_device
from rest_framework.authtoken.models import Token

from .errors import NotAllowed, ValidationFailed
from .roles import is_administrator

OTP_TOKEN_REQUIRED = (
    "Для этой учётной записи включён вход с кодом: передайте в поле otp_token шесть цифр "
    "из приложения-аутентификатора."
)
OTP_TOKEN_WRONG = (
    "Код из приложения (otp_token) не подошёл. Проверьте время на телефоне и передайте новый код."
)
ADMIN_TOKEN_REFUSED = (
    "Администраторам токен по паролю не выдаётся: вход администратора подтверждается вторым фактором. "
    "Подключите приложение-аутентификатор на странице «Вход с кодом» (/accounts/2fa/) "
    "и передайте код из него в поле otp_token."
)
TOKEN_EXPIRED = "Срок действия токена истёк. Получите новый токен: POST /api/token/."


def api_token_expires_at(token: Token) -> datetime:
    return token.created + timedelta(days=settings.API_TOKEN_TTL_DAYS)


def api_token_is_expired(token: Token) -> bool:
    return api_token_expires_at(token) <= timezone.now()


def api_token_issue(*, user, otp_token: str = "") -> Token:
    """The user's token (a new one if the old has expired) once the second factor, where there is one,
    is proven; raises ValidationFailed (a missing or wrong code, at otp_token) or NotAllowed (an administrator
    without a second factor) with a Russian message otherwise."""
    if user_has_device(user, confirmed=True):
        if not otp_token:
            raise ValidationFailed(OTP_TOKEN_REQUIRED, field="otp_token")
        if match_token(user, otp_token) is None:
            raise ValidationFailed(OTP_TOKEN_WRONG, field="otp_token")
    elif settings.OTP_REQUIRED_FOR_ADMINS and is_administrator(user):
        raise NotAllowed(ADMIN_TOKEN_REFUSED)
    expired_before = timezone.now() - timedelta(days=settings.API_TOKEN_TTL_DAYS)
    Token.objects.filter(user=user, created__lte=expired_before).delete()
    token, _ = Token.objects.get_or_create(user=user)
    return token


def api_token_revoke(*, user) -> bool:
    """Deletes the user's token; True when there was one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted > 0
