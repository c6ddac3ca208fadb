"""Roles (groups) with their model permissions."""

from django.contrib.auth.models import Group, Permission

from .roles import ADMINISTRATOR, INSPECTOR, PRINCIPAL, REGIONAL

# Model permissions per role; apps' own models are added by label so new models get rights here.
STAFF_APPS = ["schools", "indicators", "monitoring", "roadmaps", "reports"]


def seed() -> list[str]:
    administrator, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    inspector, _ = Group.objects.get_or_create(name=INSPECTOR)
    regional, _ = Group.objects.get_or_create(name=REGIONAL)
    Group.objects.get_or_create(name=PRINCIPAL)
    app_permissions = Permission.objects.filter(content_type__app_label__in=STAFF_APPS)
    administrator.permissions.set(
        Permission.objects.filter(content_type__app_label__in=[*STAFF_APPS, "auth", "authtoken"])
    )
    staff_permissions = app_permissions.exclude(codename__startswith="delete_")
    inspector.permissions.set(staff_permissions)
    regional.permissions.set(staff_permissions)
    return [f"Роли: {ADMINISTRATOR}, {REGIONAL}, {INSPECTOR}, {PRINCIPAL}."]
