"""Roles are Django groups. These helpers are the only place that maps a user to a role."""

ADMINISTRATOR = "Администратор"
INSPECTOR = "Инспектор"
REGIONAL = "Региональный специалист"
PRINCIPAL = "Руководитель ОО"
ALL_ROLES = (ADMINISTRATOR, REGIONAL, INSPECTOR, PRINCIPAL)


def _groups(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_portal_groups", None)
    prefetched = getattr(user, "_prefetched_objects_cache", {}).get("groups")
    if cached is None and prefetched is not None:  # a list of users with prefetch_related("groups")
        cached = user._portal_groups = {group.name for group in prefetched}
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._portal_groups = cached
    return cached


def is_administrator(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or ADMINISTRATOR in _groups(user)


def is_inspector(user) -> bool:
    return INSPECTOR in _groups(user)


def is_regional(user) -> bool:
    """A specialist of the regional ministry or its operator (DESIGN §6): sees every municipality."""
    return REGIONAL in _groups(user)


def is_staff_member(user) -> bool:
    """Staff of the department, its methodological centre or the region: what they may DO. What they may
    SEE is decided by schools.selectors (an inspector sees only the municipalities of their profile)."""
    return is_administrator(user) or is_regional(user) or is_inspector(user)


def is_principal(user) -> bool:
    return PRINCIPAL in _groups(user) and not is_staff_member(user)


def may_import_data(user) -> bool:
    """Who loads the bulk Excel files (schools, school context, results; DESIGN §1): administrators.
    Inspectors check the data and compute on it, but what enters the database in bulk goes through
    the administrator. The one place this is decided: the upload page, its links and the help read it."""
    return is_administrator(user)


def principal_school_id(user) -> int | None:
    """The school a principal leads, or None."""
    if not is_principal(user):
        return None
    profile = getattr(user, "profile", None)
    return profile.school_id if profile else None


def role_label(user) -> str:
    if is_administrator(user):
        return ADMINISTRATOR
    if is_regional(user):
        return REGIONAL
    if is_inspector(user):
        return INSPECTOR
    if is_principal(user):
        return PRINCIPAL
    return "Гость"
