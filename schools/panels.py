"""Other apps add their sections to the school page and the staff dashboard through this registry,
so the schools app never imports them (dependencies point one way)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

# A panel is func(request, school) -> str (rendered HTML) or "" to show nothing.
_SCHOOL_PANELS: list[tuple[int, Callable]] = []
# A dashboard panel is func(request) -> str.
_DASHBOARD_PANELS: list[tuple[int, Callable]] = []
# A task source is func(user, today) -> list[Task]: what this user should do next in that app.
_TASK_SOURCES: list[Callable] = []


@dataclass
class Task:
    """One line of «Мои задачи»: what to do, where, by when."""

    title: str
    url: str
    due: date | None = None
    detail: str = ""

    def is_overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today


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


def register_task_source(func: Callable) -> None:
    if func not in _TASK_SOURCES:
        _TASK_SOURCES.append(func)


def tasks_for(user, today: date) -> list[Task]:
    """Every app's tasks for the user, the nearest deadline first, tasks without one last."""
    tasks = [task for source in _TASK_SOURCES for task in source(user, today)]
    return sorted(tasks, key=lambda t: (t.due is None, t.due or today, t.title))


def failed_imports(user, today: date) -> list[Task]:
    """Background jobs (imports) of the last 30 days that ended with an error, for staff."""
    from datetime import timedelta

    from django.urls import reverse

    from .models import Job
    from .roles import is_staff_member
    from .selectors import job_list_visible_to

    if not is_staff_member(user):
        return []
    failed = job_list_visible_to(user=user).filter(
        status=Job.Status.FAILED, created_at__date__gte=today - timedelta(days=30)
    )
    return [
        Task(
            f"Разобрать ошибки: {job.title}", reverse("jobs:detail", args=[job.pk]), detail=job.message[:120]
        )
        for job in failed.order_by("-created_at")[:20]
    ]


register_task_source(failed_imports)


# A list-approval source is func(year, municipality) -> ListApproval | None: which signed document
# approved the ШНОР/ШНСУ lists of a year (the documents app registers one). Pages, reports and the
# public tab ask here, so the apps below never import the app that issues the orders.
_LIST_APPROVAL_SOURCES: list[Callable] = []


@dataclass
class ListApproval:
    """«Списки утверждены приказом № 01-03/482 от 01.09.2025» and the schools it approved."""

    text: str
    url: str
    members: dict[str, set[int]]  # {"low_results": {school id, …}, "unfavourable": {…}}


def register_list_approval_source(func: Callable) -> None:
    if func not in _LIST_APPROVAL_SOURCES:
        _LIST_APPROVAL_SOURCES.append(func)


@dataclass
class ApprovalSummary:
    """One signed order in force approving a year's lists, with its counts (for the public tab)."""

    year: int
    municipality: str  # its name; "" for an order about the whole installation
    text: str
    low_results: int
    unfavourable: int


# A summary source is func() -> list[ApprovalSummary]: every order in force, in one read.
_APPROVAL_SUMMARY_SOURCES: list[Callable] = []


def register_approval_summary_source(func: Callable) -> None:
    if func not in _APPROVAL_SUMMARY_SOURCES:
        _APPROVAL_SUMMARY_SOURCES.append(func)


def approval_summaries() -> list[ApprovalSummary]:
    return [summary for source in _APPROVAL_SUMMARY_SOURCES for summary in source()]


def list_approval(year: int | None, municipality: str = "") -> ListApproval | None:
    """The order approving the lists of `year` for one municipality (its code; an order for the whole
    installation covers it too), or for the whole installation when none is given."""
    if year is None:
        return None
    for source in _LIST_APPROVAL_SOURCES:
        if (approval := source(year, municipality)) is not None:
            return approval
    return None
