"""The Django admin for administrators only, and only after two-factor verification when it is required."""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig

from .roles import is_administrator


def otp_satisfied(user) -> bool:
    """True when 2FA is not required for administrators or the session verified a TOTP device."""
    if not settings.OTP_REQUIRED_FOR_ADMINS:
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


# Third-party apps whose admin sections have no Russian translation get Russian names here.
RUSSIAN_APP_NAMES = {
    "axes": "Блокировка входа",
    "otp_totp": "Вход с кодом (TOTP)",
    "otp_static": "Вход с кодом (резервные коды)",
    "authtoken": "Токены API",
}
RUSSIAN_MODEL_NAMES = {
    "AccessAttempt": "Неудачные попытки входа",
    "AccessFailureLog": "Журнал неудачных входов",
    "AccessLog": "Журнал входов",
    "TOTPDevice": "Устройства с кодом (TOTP)",
    "StaticDevice": "Резервные коды",
    "Token": "Токены",
    "TokenProxy": "Токены",
}


class PortalAdminSite(AdminSite):
    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and is_administrator(user) and otp_satisfied(user))

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        for app in apps:
            app["name"] = RUSSIAN_APP_NAMES.get(app["app_label"], app["name"])
            for model in app["models"]:
                model["name"] = RUSSIAN_MODEL_NAMES.get(model["object_name"], model["name"])
        return apps


class PortalAdminConfig(AdminConfig):
    default_site = "schools.admin_site.PortalAdminSite"
