"""Two-factor gate: administrators (when required) and staff who enrolled a device verify it first."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from .roles import is_administrator, is_staff_member

API_VERIFY_REQUIRED = "Подтвердите вход вторым фактором (код из приложения) в веб-интерфейсе портала."


def otp_gate_target(user) -> str | None:
    """The URL name the user must visit first ("two_factor:enrol"/"two_factor:verify") or None."""
    if not user.is_authenticated or user.is_verified():
        return None
    if not is_staff_member(user):
        return None
    if user_has_device(user, confirmed=True):
        return "two_factor:verify"
    if settings.OTP_REQUIRED_FOR_ADMINS and is_administrator(user):
        return "two_factor:enrol"
    return None


class OtpRequiredMiddleware:
    """Sends an unverified user to enrol/verify before any page except login, logout, 2FA and public ones."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._exempt(request.path):
            target = otp_gate_target(request.user)
            if target is not None:
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": API_VERIFY_REQUIRED}, status=403)
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        open_prefixes = (
            reverse("login"),
            reverse("logout"),
            "/accounts/2fa/",
            settings.STATIC_URL,
            "/quality/",
            "/favicon",
        )
        return path.startswith(open_prefixes)
