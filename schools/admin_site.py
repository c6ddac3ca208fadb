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


class PortalAdminSite(AdminSite):
    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and is_administrator(user) and otp_satisfied(user))


class PortalAdminConfig(AdminConfig):
    default_site = "schools.admin_site.PortalAdminSite"
