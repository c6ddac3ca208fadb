"""Writes of the reports app: the document registry, report builds (request, build, render, retry,
publish, withdraw); builds left running by a dead worker are swept with every other job (schools.jobs)."""

import logging
from collections.abc import Callable

from celery import Task
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from schools import formatting
from schools.jobs import job_create, job_enqueue
from schools.models import Job, Municipality, School
from schools.selectors import municipality_list_visible_to, school_list_visible_to, scope_municipality_ids
from schools.uploads import UploadRejected

from . import masking, rendering
from .builders import BuildError, builder_for, placement
from .files import detect_document_type
from .models import DOCUMENT_FIELDS, Document, Report, report_series_key
from .public_cache import public_cache_bump

logger = logging.getLogger(__name__)

DOCUMENT_NEEDS_SOURCE = "Приложите файл, укажите ссылку или введите текст документа."
REPORT_NOT_DONE = "Опубликовать можно только успешно построенный отчёт."
REPORT_NOT_FAILED = "Повторить можно только построение, завершившееся ошибкой."
REPORT_PUBLISHED = "Отчёт опубликован: снимите его с публикации, чтобы построить заново."
REPORT_BUSY = "Отчёт ещё формируется: дождитесь окончания."
REPORT_NEEDS_SCHOOL = "Для профиля ОО укажите код образовательной организации."
REPORT_UNKNOWN_SCHOOL = "ОО с кодом «{code}» не найдена."
REPORT_WHOLE_REGION_ONLY = (
    "Отчёт этого вида строится по всем муниципалитетам; его формирует региональный специалист или "
    "администратор. Вам доступны аналитический отчёт вашего муниципалитета и профиль ОО."
)
REPORT_UNKNOWN_MUNICIPALITY = "Муниципалитета с кодом «{code}» нет."
REPORT_NO_MUNICIPALITIES = "Нет муниципалитетов со школами: строить муниципальные отчёты не для кого."
REPORT_YEAR_RANGE = "Учебный год должен быть между 2000 и 2100, получено: {year}."
REPORT_FAILED_UNEXPECTEDLY = "Внутренняя ошибка при построении отчёта ({error}). Сообщите администратору."


# --- documents ----------------------------------------------------------------------------------------
@transaction.atomic
def document_save(
    *, document: Document | None = None, data: dict, upload: UploadedFile | None = None, user: User
) -> Document:
    """Create or update a registry document; an upload is checked by content (PDF/DOCX/XLSX/ODT, size)."""
    document = document or Document(created_by=user if getattr(user, "pk", None) else None)
    for field in DOCUMENT_FIELDS:
        if field in data:
            setattr(document, field, data[field] if data[field] is not None else "")
    if document.date == "":
        document.date = None
    if upload is not None:
        document.file_type = detect_document_type(upload)
        document.file_name = upload.name[:255]
        document.file_size = upload.size
        old = document.file.name if document.file else ""
        document.file.save(f"upload.{document.file_type}", upload, save=False)
        if old:
            transaction.on_commit(lambda: document.file.storage.delete(old))
    if not document.file and not document.url and not document.text:
        raise UploadRejected(DOCUMENT_NEEDS_SOURCE)
    document.save()
    if document.is_published:
        public_cache_bump()
    return document


@transaction.atomic
def document_publish(*, document: Document, user: User) -> Document:
    document.is_published = True
    document.published_at = timezone.now()
    document.published_by = user if getattr(user, "pk", None) else None
    document.save(update_fields=["is_published", "published_at", "published_by", "updated_at"])
    public_cache_bump()
    return document


@transaction.atomic
def document_withdraw(*, document: Document, user: User) -> Document:
    document.is_published = False
    document.published_at = None
    document.published_by = None
    document.save(update_fields=["is_published", "published_at", "published_by", "updated_at"])
    public_cache_bump()
    return document


# --- report builds ------------------------------------------------------------------------------------
def report_title(*, kind: str, year: int, params: dict) -> str:
    label = f"{formatting.school_year(year)}"
    if kind == Report.Kind.SCHOOL:
        return f"Профиль ОО {params.get('school_label') or params.get('school', '')} за {label} учебный год"
    if kind == Report.Kind.ANNUAL:
        title = f"Аналитический отчёт ШНОР/ШНСУ за {label} учебный год"
        return f"{title}: {params['municipality_name']}" if params.get("municipality_name") else title
    return f"{Report.Kind(kind).label} за {label} учебный год"


def _validated_params(*, kind: str, year: int, params: dict) -> dict:
    if not 2000 <= int(year) <= 2100:
        raise BuildError(REPORT_YEAR_RANGE.format(year=year))
    params = dict(params or {})
    if kind == Report.Kind.SCHOOL:
        code = str(params.get("school") or "").strip()
        if not code:
            raise BuildError(REPORT_NEEDS_SCHOOL)
        school = School.objects.filter(code=code).first()
        if school is None:
            raise BuildError(REPORT_UNKNOWN_SCHOOL.format(code=code))
        params.update(school=code, school_label=school.short_name or school.name)
        params["municipality"] = school.municipality.code
    code = str(params.get("municipality") or "").strip()
    if code:
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            raise BuildError(REPORT_UNKNOWN_MUNICIPALITY.format(code=code))
        params.update(municipality=code, municipality_name=municipality.name)
    else:
        params.pop("municipality", None)
    return params


def _in_scope(*, kind: str, params: dict, user: User | None) -> dict:
    """A report of a staff member bound to municipalities (DESIGN §6) is about their own: the annual report
    of their municipality (the first one unless they chose another of theirs), a profile of a school they
    see; the kinds that cover the whole installation are built by those who see all of it."""
    ids = scope_municipality_ids(user) if user is not None and getattr(user, "pk", None) else None
    if ids is None:
        return params
    params = dict(params)
    mine = municipality_list_visible_to(user=user).order_by("name")
    if kind == Report.Kind.SCHOOL:
        if (
            not school_list_visible_to(user=user)
            .filter(code=str(params.get("school") or "").strip())
            .exists()
        ):
            raise BuildError(REPORT_UNKNOWN_SCHOOL.format(code=params.get("school") or ""))
    elif kind == Report.Kind.ANNUAL:
        chosen = str(params.get("municipality") or "").strip()
        if chosen and not mine.filter(code=chosen).exists():
            raise BuildError(REPORT_UNKNOWN_MUNICIPALITY.format(code=chosen))
        first = mine.first()
        if first is None:
            raise BuildError(REPORT_NO_MUNICIPALITIES)
        params["municipality"] = chosen or first.code
    else:
        raise BuildError(REPORT_WHOLE_REGION_ONLY)
    return params


@transaction.atomic
def report_create(*, kind: str, year: int, params: dict | None = None, user: User | None = None) -> Report:
    """A new report row (queued) placed in the grid by its kind; not yet enqueued."""
    from roadmaps.models import CycleStage, Direction

    builder_for(kind)  # unknown kinds fail here, before anything is written
    params = _validated_params(
        kind=kind, year=year, params=_in_scope(kind=kind, params=params or {}, user=user)
    )
    direction_code, stage_number = placement(kind)
    return Report.objects.create(
        kind=kind,
        year=year,
        params=params,
        municipality=Municipality.objects.filter(code=params.get("municipality") or "").first(),
        title=report_title(kind=kind, year=year, params=params),
        series=report_series_key(kind, year, params),
        direction=Direction.objects.filter(code=direction_code).first(),
        stage=CycleStage.objects.filter(number=stage_number).first(),
        created_by=user if getattr(user, "pk", None) else None,
    )


def _task_for(action: str) -> Task:
    """The Celery task of each report job's action (build, render, publish)."""
    from . import tasks

    return {
        "build": tasks.report_build_task,
        "render": tasks.report_render_task,
        "publish": tasks.report_publish_task,
    }[action]


def _enqueue(*, report: Report, action: str, title: str, user: User) -> Job:
    job = job_create(
        kind=f"report:{action}", title=title, params={"report_id": report.pk, "action": action}, user=user
    )
    Report.objects.filter(pk=report.pk).update(job=job)
    report.job = job
    job_enqueue(job=job, task=_task_for(action))
    return job


@transaction.atomic
def report_request(*, kind: str, year: int, params: dict | None = None, user: User | None = None) -> Report:
    """Create a report and queue its build on the `reports` queue (after commit)."""
    report = report_create(kind=kind, year=year, params=params, user=user)
    _enqueue(report=report, action="build", title=f"Построение: {report.title}", user=user)
    return report


@transaction.atomic
def reports_request_municipal(
    *, year: int, municipalities: QuerySet[Municipality] | None = None, user: User | None = None
) -> list[Report]:
    """The annual report of each municipality (of `municipalities`, the requester's scope; all by default)
    that has schools, each built by its own job on the `reports` queue: one Celery task per municipality,
    so two workers build the set in about half the time of one, and every job ends done or failed on its
    own (schools.jobs.JobTask)."""
    municipalities = Municipality.objects.all() if municipalities is None else municipalities
    codes = list(
        municipalities.filter(schools__isnull=False)
        .distinct()
        .order_by("name")
        .values_list("code", flat=True)
    )
    if not codes:
        raise BuildError(REPORT_NO_MUNICIPALITIES)
    return [
        report_request(kind=Report.Kind.ANNUAL, year=year, params={"municipality": code}, user=user)
        for code in codes
    ]


@transaction.atomic
def report_retry(*, report: Report, user: User) -> Report:
    if report.status != Report.Status.FAILED:
        raise BuildError(REPORT_NOT_FAILED)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.QUEUED, error="", attempts=0)
    report.refresh_from_db()
    _enqueue(report=report, action="build", title=f"Повторное построение: {report.title}", user=user)
    return report


@transaction.atomic
def report_update_conclusions(*, report: Report, text: str, user: User) -> Report:
    """Staff's edited conclusions; the internal PDF is rendered again in the background. A published
    report keeps its published conclusions (public page and PDF) until it is published again."""
    if report.status != Report.Status.DONE:
        raise BuildError(REPORT_BUSY)
    report.conclusions = text.strip()
    report.conclusions_edited = True
    report.save(update_fields=["conclusions", "conclusions_edited", "updated_at"])
    _enqueue(report=report, action="render", title=f"Обновление PDF: {report.title}", user=user)
    return report


@transaction.atomic
def report_request_publication(*, report: Report, user: User) -> Job:
    if report.status != Report.Status.DONE:
        raise BuildError(REPORT_NOT_DONE)
    return _enqueue(report=report, action="publish", title=f"Публикация: {report.title}", user=user)


@transaction.atomic
def report_withdraw(*, report: Report, user: User) -> Report:
    """Remove a report from the public tab; its public files are deleted, the internal ones stay."""
    old = [f.name for f in (report.public_pdf, report.public_xlsx) if f]
    was_current = report.is_current_edition
    Report.objects.filter(pk=report.pk).update(
        is_published=False,
        published_at=None,
        published_by=None,
        public_data={},
        public_html="",
        public_pdf="",
        public_xlsx="",
        edition=None,
        superseded_by=None,
        superseded_at=None,
        updated_at=timezone.now(),
    )
    if was_current:
        _restore_previous_edition(report)
    storage = report.pdf.storage
    transaction.on_commit(lambda: [storage.delete(name) for name in old])
    public_cache_bump()
    report.refresh_from_db()
    return report


def _restore_previous_edition(report: Report) -> None:
    """The withdrawn current edition hands «current» back to the latest earlier edition still published."""
    previous = (
        Report.objects.filter(series=report.series, is_published=True)
        .exclude(pk=report.pk)
        .order_by("-edition", "-published_at")
        .first()
    )
    if report.series and previous is not None:
        Report.objects.filter(pk=previous.pk).update(superseded_by=None, superseded_at=None)


def _supersede_current_edition(report: Report, now) -> int:
    """Mark the series' current edition (if another build) as superseded by `report`; its edition number."""
    if report.is_current_edition and report.edition:
        return report.edition  # published again as it is: the same edition, files rendered anew
    if not report.series:
        report.series = report_series_key(report.kind, report.year, report.params)
        Report.objects.filter(pk=report.pk).update(series=report.series)
    same = Report.objects.filter(series=report.series, is_published=True).exclude(pk=report.pk)
    last = max((e or 0 for e in same.values_list("edition", flat=True)), default=0)
    same.filter(superseded_by__isnull=True).update(superseded_by=report, superseded_at=now)
    return last + 1


def _heartbeat(report_id: int, progress: Callable[[int, str], None] | None) -> Callable[[int, str], None]:
    def report(percent: int, message: str = "") -> None:
        Report.objects.filter(pk=report_id).update(heartbeat_at=timezone.now())
        if progress:
            progress(percent, message)

    return report


def report_build(*, report_id: int, progress: Callable[[int, str], None] | None = None) -> Report:
    """Collect the data, draft the conclusions (unless edited), render the internal PDF and xlsx.

    Idempotent: a rerun overwrites the same row and replaces its files. Failures are stored on the
    report (status «Ошибка» with the reason) and re-raised as BuildError.
    """
    if Report.objects.filter(pk=report_id, is_published=True).exists():
        raise BuildError(REPORT_PUBLISHED)
    beat = _heartbeat(report_id, progress)
    Report.objects.filter(pk=report_id).update(
        status=Report.Status.RUNNING,
        error="",
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        finished_at=None,
    )
    report = Report.objects.get(pk=report_id)
    report.attempts += 1
    Report.objects.filter(pk=report_id).update(attempts=report.attempts)
    try:
        data = builder_for(report.kind).build(report, beat)
        report.data = data
        report.methodology_version = data.get("methodology_version", "")
        if data.get("title"):
            report.title = data["title"][:500]
        if not report.conclusions_edited:
            report.conclusions = "\n".join(data.get("conclusions_draft", []))
        report.finished_at = timezone.now()
        beat(75, "Формирование PDF")
        _render_internal(report)
        beat(95, "Сохранение файлов")
    except BuildError as error:
        _fail(report_id, str(error))
        raise
    except Exception as error:
        logger.exception("report %s failed", report_id)
        _fail(report_id, REPORT_FAILED_UNEXPECTEDLY.format(error=f"{type(error).__name__}: {error}"))
        raise BuildError(REPORT_FAILED_UNEXPECTEDLY.format(error=type(error).__name__)) from error
    report.status = Report.Status.DONE
    report.heartbeat_at = timezone.now()
    report.save()
    return report


def _fail(report_id: int, message: str) -> None:
    Report.objects.filter(pk=report_id).update(
        status=Report.Status.FAILED, error=message, finished_at=timezone.now(), heartbeat_at=timezone.now()
    )


def _replace_file(field, name: str, content: bytes) -> None:
    old = field.name if field else ""
    field.save(name, ContentFile(content), save=False)
    if old and old != field.name:
        field.storage.delete(old)


def _render_internal(report: Report) -> None:
    pdf = rendering.report_pdf_bytes(report, report.data)
    xlsx = rendering.report_xlsx_bytes(report, report.data)
    _replace_file(report.pdf, "report.pdf", pdf)
    _replace_file(report.xlsx, "report.xlsx", xlsx)


def report_render(*, report_id: int, progress: Callable[[int, str], None] | None = None) -> Report:
    """Render the internal files again from the stored data (after staff edited the conclusions)."""
    report = Report.objects.get(pk=report_id)
    if progress:
        progress(30, "Формирование PDF")
    _render_internal(report)
    Report.objects.filter(pk=report_id).update(
        pdf=report.pdf.name, xlsx=report.xlsx.name, updated_at=timezone.now()
    )
    return report


PUBLISHED_CONCLUSIONS = "published_conclusions"


def report_publish(
    *, report_id: int, user: User | None = None, progress: Callable[[int, str], None] | None = None
) -> Report:
    """Mask the data once (small counts), render the public PDF and xlsx from it, and publish.

    A build of a report already published (same kind, year and parameters) becomes the current edition;
    the edition it replaces stays published as an earlier version (one current row per report)."""
    report = Report.objects.get(pk=report_id)
    if report.status != Report.Status.DONE:
        raise BuildError(REPORT_NOT_DONE)
    if progress:
        progress(20, "Скрытие малых значений")
    public = masking.mask_data(report.data)
    # The published snapshot: the public page shows these conclusions, as the public PDF prints them, until
    # the report is published again; later edits of `conclusions` are the staff's draft.
    public[PUBLISHED_CONCLUSIONS] = report.conclusions
    if progress:
        progress(40, "Формирование публичного PDF")
    pdf = rendering.report_pdf_bytes(report, public)
    xlsx = rendering.report_xlsx_bytes(report, public)
    html = rendering.report_public_html(report, public)
    _replace_file(report.public_pdf, "public.pdf", pdf)
    _replace_file(report.public_xlsx, "public.xlsx", xlsx)
    with transaction.atomic():
        now = timezone.now()
        edition = _supersede_current_edition(report, now)
        Report.objects.filter(pk=report_id).update(
            public_data=public,
            public_html=html,
            public_pdf=report.public_pdf.name,
            public_xlsx=report.public_xlsx.name,
            is_published=True,
            published_at=now,
            published_by=user if getattr(user, "pk", None) else None,
            edition=edition,
            superseded_by=None,
            superseded_at=None,
            updated_at=now,
        )
        public_cache_bump()
    report.refresh_from_db()
    return report


def report_follow_stopped_job(*, job_id: int) -> None:
    """A build whose job was stopped (a dead worker, too many attempts) ends «Ошибка» with the job's reason.

    Stale builds are found by the one job sweeper (schools.jobs.jobs_resend_stale): it sends the job
    again, and job_start stops it after MAX_ATTEMPTS; this keeps the report's status in step.
    """
    job = Job.objects.filter(pk=job_id, status=Job.Status.FAILED).first()
    if job is None:
        return
    Report.objects.filter(job_id=job_id, status__in=[Report.Status.QUEUED, Report.Status.RUNNING]).update(
        status=Report.Status.FAILED,
        error=job.message,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
