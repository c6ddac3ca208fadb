from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.http import Http404

from .importing import importer_choices
from .models import ImportBatch, Job, Municipality, Region, School, SchoolContext
from .queries import distinct_years
from .roles import is_administrator, is_inspector, is_regional, is_staff_member, principal_school_id


def scope_municipality_ids(user: User) -> list[int] | None:
    """THE scope rule of DESIGN §6, for staff: None when the user sees every municipality (an administrator,
    a regional specialist, or an inspector bound to none in an installation without a region, as before
    region mode), else the ids of the municipalities of the inspector's profile (maybe none).
    Cached on the user object for the request."""
    cache = getattr(user, "__dict__", {})
    if "_portal_municipality_ids" in cache:
        return cache["_portal_municipality_ids"]
    ids: list[int] | None = None
    if is_inspector(user) and not (is_administrator(user) or is_regional(user)):
        ids = list(Municipality.objects.filter(specialist_profiles__user=user).values_list("pk", flat=True))
        if not ids and not Region.objects.exists():
            ids = None
    if getattr(user, "pk", None):
        user._portal_municipality_ids = ids  # type: ignore[attr-defined]
    return ids


def sees_every_municipality(user: User) -> bool:
    """Staff whose scope is the whole installation (what is not tied to one municipality is theirs)."""
    return is_staff_member(user) and scope_municipality_ids(user) is None


def municipality_list_visible_to(*, user: User) -> QuerySet[Municipality]:
    """The municipalities a user may see: the twin of school_list_visible_to (DESIGN §6)."""
    return _visible_part(
        Municipality.objects.select_related("region"),
        user,
        municipality_field="pk",
        school_field="schools__pk",
    )


def municipality_get_visible(*, user: User, code: str) -> Municipality:
    try:
        return municipality_list_visible_to(user=user).get(code=code)
    except Municipality.DoesNotExist:
        raise Http404("Муниципалитет не найден")


def school_list_visible_to(*, user: User) -> QuerySet[School]:
    """The one place that decides which schools a user may see: staff those of their municipalities
    (scope_municipality_ids), a principal their own."""
    return _visible_part(
        School.objects.select_related("municipality"),
        user,
        municipality_field="municipality_id",
        school_field="pk",
    )


def _visible_part(queryset: QuerySet, user: User, *, municipality_field: str, school_field: str) -> QuerySet:
    """DESIGN §6 applied to `queryset`: staff see the rows whose `municipality_field` is in their scope
    (scope_municipality_ids), a principal the rows whose `school_field` is their school, anyone else none."""
    if is_staff_member(user):
        ids = scope_municipality_ids(user)
        return queryset if ids is None else queryset.filter(**{f"{municipality_field}__in": ids})
    school_id = principal_school_id(user)
    if school_id is None:
        return queryset.none()
    return queryset.filter(**{school_field: school_id})


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


def import_batches_visible_to(*, user: User) -> QuerySet[ImportBatch]:
    """Import batches carry no municipality (a file may hold several): the whole installation's staff
    see them all, an inspector bound to municipalities only the batches they loaded."""
    batches = ImportBatch.objects.select_related("imported_by")
    return batches if sees_every_municipality(user) else batches.filter(imported_by=user.pk)


def job_list_visible_to(*, user: User) -> QuerySet[Job]:
    """Jobs carry no municipality: staff who see the whole installation see every job, everybody else
    the jobs they started."""
    return Job.objects.all() if sees_every_municipality(user) else Job.objects.filter(created_by=user.pk)


def job_get_visible(*, user: User, job_id: int) -> Job:
    try:
        return job_list_visible_to(user=user).get(pk=job_id)
    except Job.DoesNotExist:
        raise Http404("Задача не найдена")


def _import_outcome(job: Job) -> str:
    """What became of an upload, in words: refused with N errors, checked only, imported, or still running."""
    result = job.result if isinstance(job.result, dict) else {}
    errors = result.get("errors") or []
    if job.status == Job.Status.FAILED:
        return f"Не импортирован: ошибок — {len(errors)}" if errors else f"Ошибка: {job.message}"
    if job.status != Job.Status.DONE:
        return job.get_status_display()
    return "Только проверка: ошибок нет" if result.get("dry_run") else "Импортирован"


def import_history(*, user: User, limit: int = 20) -> list[dict]:
    """The latest uploads the user may see, each with its outcome: imported, refused (with how many
    errors) or only checked, and who uploaded it (their name). Every upload is a job, so none is
    missing here, while ImportBatch rows exist only for files that were written."""
    jobs = job_list_visible_to(user=user).filter(kind__startswith="import:").select_related("created_by")
    history = []
    for job in jobs.order_by("-created_at", "-pk")[:limit]:
        result = job.result if isinstance(job.result, dict) else {}
        checked = job.status == Job.Status.DONE  # a refused file has no rows to count
        written = checked and not result.get("dry_run")
        person = job.created_by
        history.append(
            {
                "job": job,
                "file_name": job.params.get("file_name", ""),
                "kind": dict(importer_choices()).get(job.params.get("kind"), job.params.get("kind", "")),
                "outcome": _import_outcome(job),
                "is_refused": job.status == Job.Status.FAILED,
                "rows": result.get("rows") if checked else None,
                "created": result.get("created") if written else None,
                "updated": result.get("updated") if written else None,
                "person": (person.get_full_name() or person.username) if person else "",
            }
        )
    return history


def dashboard_counts(*, user: User) -> dict:
    contexts = rows_in_scope(SchoolContext.objects.all(), user=user)
    return {
        "municipalities": municipality_list_visible_to(user=user).count(),
        "schools": school_list_visible_to(user=user).count(),
        "contexts": contexts.count(),
        "years": sorted(distinct_years(contexts)),
    }


def municipality_filter(*, user: User, chosen: str = "") -> dict:
    """The municipality filter of a staff list (DESIGN §6): the municipalities the user sees, the chosen
    code when it is one of them (else "" — all of them), and whether the list needs the filter and a
    municipality column at all (only when the user sees more than one)."""
    municipalities = list(municipality_list_visible_to(user=user).order_by("name"))
    codes = {m.code for m in municipalities}
    return {
        "choices": municipalities,
        "chosen": chosen if chosen in codes else "",
        "show": len(municipalities) > 1,
    }


def school_ids_in_scope(*, user: User) -> QuerySet[School, Any] | None:
    """None when the user sees every school (nothing to narrow), else the ids of the schools they see:
    for set-based reads that take an optional `school_ids` (analyses, report data)."""
    if is_staff_member(user) and scope_municipality_ids(user) is None:
        return None
    return visible_school_ids(user=user)


def rows_in_scope(queryset: QuerySet, *, user: User, school_field: str = "school") -> QuerySet:
    """`queryset` narrowed to the rows of the schools `user` may see (through `school_field`); left as it is
    for a user who sees every school, so a region-wide read carries no subquery over every school."""
    ids = school_ids_in_scope(user=user)
    return queryset if ids is None else queryset.filter(**{f"{school_field}__in": ids})
