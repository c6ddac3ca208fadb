"""Sections this app adds to the school page and the staff dashboard (registered in apps.py)."""


def school_status_panel(request, school) -> str:
    return ""


def dashboard_lists_panel(request) -> str:
    return ""
