"""The Django admin for administrators only, and only after two-factor verification when it is required."""

from django.apps import apps
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


# Third-party apps without a Russian translation (or with one that does not say what the section is for)
# get Russian names here, on their app configs and models, so that the index, the lists, the forms, the
# breadcrumbs and the buttons all read them. Only the names shown are changed: the migration state of a
# model is read from its Meta (`_meta.original_attrs`), which stays as the package wrote it.
RUSSIAN_APP_NAMES = {
    "axes": "Блокировка входа",
    "otp_totp": "Вход с кодом (TOTP)",
    "otp_static": "Вход с кодом (резервные коды)",
    "authtoken": "Токены API",
}
RUSSIAN_MODEL_NAMES = {  # "app_label.ModelName": (verbose_name, verbose_name_plural)
    "axes.AccessAttempt": ("неудачная попытка входа", "неудачные попытки входа"),
    "axes.AccessFailureLog": ("неудачный вход", "журнал неудачных входов"),
    "axes.AccessLog": ("запись журнала входов", "журнал входов"),
    "otp_totp.TOTPDevice": ("устройство с кодом (TOTP)", "устройства с кодом (TOTP)"),
    "otp_static.StaticDevice": ("набор резервных кодов", "резервные коды"),
    "authtoken.Token": ("токен API", "токены API"),
    "authtoken.TokenProxy": ("токен API", "токены API"),
}


def russian_admin_names() -> None:
    """Give the third-party apps and models above their Russian names (those installed)."""
    for label, name in RUSSIAN_APP_NAMES.items():
        if label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
    for dotted, (singular, plural) in RUSSIAN_MODEL_NAMES.items():
        label, model_name = dotted.split(".")
        if label not in apps.app_configs:
            continue
        model = apps.get_model(label, model_name)
        model._meta.verbose_name = singular
        model._meta.verbose_name_plural = plural


class PortalAdminSite(AdminSite):
    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and is_administrator(user) and otp_satisfied(user))


class PortalAdminConfig(AdminConfig):
    default_site = "schools.admin_site.PortalAdminSite"

    def ready(self):
        super().ready()
        russian_admin_names()
