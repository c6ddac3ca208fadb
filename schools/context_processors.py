from django.conf import settings

from .roles import (
    is_administrator,
    is_principal,
    is_staff_member,
    may_import_data,
    principal_school_id,
    role_label,
)


def portal(request):
    user = request.user
    return {
        "portal_title": settings.PORTAL_TITLE,
        "portal_owner": settings.PORTAL_OWNER,
        "is_staff_member": is_staff_member(user),
        "is_administrator": is_administrator(user),
        "may_import_data": may_import_data(user),
        "is_principal": is_principal(user),
        "principal_school_id": principal_school_id(user),
        "role_label": role_label(user),
    }
