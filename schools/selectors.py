from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Job, Municipality, School, SchoolContext
from .roles import is_staff_member, principal_school_id


def school_list_visible_to(*, user: User) -> QuerySet[School]:
    """The one place that decides which schools a user may see: staff all, a principal their own."""
    schools = School.objects.select_related("municipality")
    if is_staff_member(user):
        return schools
    school_id = principal_school_id(user)
    if school_id is None:
        return schools.none()
    return schools.filter(pk=school_id)


def visible_school_ids(*, user: User) -> QuerySet[School, Any]:
    return school_list_visible_to(user=user).values("pk")


def school_get_visible(*, user: User, code: str) -> School:
    """The school with this code if the user may see it; 404 otherwise (no hint that it exists)."""
    try:
        return school_list_visible_to(user=user).get(code=code)
    except School.DoesNotExist:
        raise Http404("Школа не найдена")


def school_list_filtered(
    *, user: User, search: str = "", municipality: str = "", settlement: str = "", flags: Iterable[str] = ()
) -> QuerySet[School]:
    schools = school_list_visible_to(user=user)
    if search:
        schools = schools.filter(
            Q(code__icontains=search) | Q(name__icontains=search) | Q(short_name__icontains=search)
        )
    if municipality:
        schools = schools.filter(municipality_id=municipality)
    if settlement:
        schools = schools.filter(settlement=settlement)
    for flag in flags:
        if flag in SCHOOL_FLAGS:
            schools = schools.filter(**{flag: True})
    return schools


SCHOOL_FLAGS = {
    "is_small": "малокомплектная",
    "is_remote": "удалённая",
    "infrastructure_deficit": "дефицит инфраструктуры",
    "staff_shortage": "некомплект кадров",
}


def context_list_visible_to(*, user: User) -> QuerySet[SchoolContext]:
    return SchoolContext.objects.select_related("school", "import_batch").filter(
        school__in=visible_school_ids(user=user)
    )


def school_contexts(*, school: School) -> list[SchoolContext]:
    return list(school.contexts.order_by("year"))


def municipality_list() -> QuerySet[Municipality]:
    return Municipality.objects.all()


def job_get_visible(*, user: User, job_id: int) -> Job:
    jobs = Job.objects.all() if is_staff_member(user) else Job.objects.filter(created_by=user.pk)
    try:
        return jobs.get(pk=job_id)
    except Job.DoesNotExist:
        raise Http404("Задача не найдена")


def dashboard_counts() -> dict:
    return {
        "municipalities": Municipality.objects.count(),
        "schools": School.objects.count(),
        "contexts": SchoolContext.objects.count(),
        "years": sorted(SchoolContext.objects.values_list("year", flat=True).distinct()),
    }
