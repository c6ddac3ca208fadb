"""Other apps add their sections to the school page and the staff dashboard through this registry,
so the schools app never imports them (dependencies point one way)."""

from collections.abc import Callable

# A panel is func(request, school) -> str (rendered HTML) or "" to show nothing.
_SCHOOL_PANELS: list[tuple[int, Callable]] = []
# A dashboard panel is func(request) -> str.
_DASHBOARD_PANELS: list[tuple[int, Callable]] = []


def register_school_panel(order: int, func: Callable) -> None:
    if func not in [f for _, f in _SCHOOL_PANELS]:
        _SCHOOL_PANELS.append((order, func))


def register_dashboard_panel(order: int, func: Callable) -> None:
    if func not in [f for _, f in _DASHBOARD_PANELS]:
        _DASHBOARD_PANELS.append((order, func))


def school_panels(request, school) -> list[str]:
    return [html for _, f in sorted(_SCHOOL_PANELS, key=lambda p: p[0]) if (html := f(request, school))]


def dashboard_panels(request) -> list[str]:
    return [html for _, f in sorted(_DASHBOARD_PANELS, key=lambda p: p[0]) if (html := f(request))]
