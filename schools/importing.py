"""The common frame of every file import: checks, checksum, batch, summary, registry of importers.

An importer is `func(*, upload: ImportUpload) -> ImportSummary` that raises ImportFailed with every
error and writes nothing in that case. Apps register theirs in `ready()` so
the upload page and its Celery task can run any of them without importing the other apps.
"""

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import IO

from django.contrib.auth.models import User
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .models import ImportBatch
from .tabular import ImportFailed, RowError
from .uploads import UploadRejected

MAX_REPORTED_ERRORS = 500


@dataclass
class ImportSummary:
    kind: str
    file_name: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    dry_run: bool = False
    batch_id: int | None = None
    errors: list[dict] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return asdict(self)

    def text(self) -> str:
        if self.errors:
            return (
                f"Файл «{self.file_name}» не импортирован: найдено ошибок — {len(self.errors)}. "
                "Данные не изменены."
            )
        verb = "Проверено (без записи)" if self.dry_run else "Импортировано"
        text = (
            f"{verb}: файл «{self.file_name}», строк — {self.rows}, новых — {self.created}, "
            f"обновлено — {self.updated}."
        )
        if self.extra.get("differences"):
            text += (
                f" Расхождений со значениями проверенных карт мониторинга: {len(self.extra['differences'])}; "
                "значения карт сохранены (список ниже)."
            )
        return text


@dataclass(frozen=True)
class ImportUpload:
    """What every importer is given: the kind of file (its registry key, an ImportBatch.Kind), the uploaded
    file, who imports it, whether only to check it (`dry_run`), and where to report progress (percent,
    message), if anywhere."""

    kind: str
    file: IO[bytes]
    file_name: str
    user: User | None = None
    dry_run: bool = False
    progress: Callable[[int, str], None] | None = None

    def report(self, percent: int, message: str) -> None:
        if self.progress:
            self.progress(percent, message)

    def summary_counted(self, *, rows: int, updated: int) -> ImportSummary:
        """The summary of this file once checked: `rows` rows, `updated` of them already stored."""
        return ImportSummary(
            kind=self.kind,
            file_name=self.file_name,
            rows=rows,
            created=rows - updated,
            updated=updated,
            dry_run=self.dry_run,
        )

    def batch_create(self, *, rows: int) -> ImportBatch:
        """The ImportBatch that the rows written from this file point to (name, checksum, who, when)."""
        return ImportBatch.objects.create(
            kind=self.kind,
            file_name=self.file_name[:255],
            sha256=file_sha256(self.file),
            rows=rows,
            imported_by=self.user if getattr(self.user, "pk", None) else None,
        )


_IMPORTERS: dict = {}


_TEMPLATES: dict = {}

_DISCARDS_UPLOAD: set[str] = set()


def register_importer(
    kind: str, title: str, func, *, columns=(), example=(), keeps_upload: bool = True
) -> None:
    """Make an importer available to the upload page, its task and the template download.

    `keeps_upload=False`: the uploaded copy is deleted once its import has ended, whatever the outcome
    (a file that may carry what the portal must not store, such as a refused column of names).
    `kind` is an ImportBatch.Kind: the batches the importer writes take it (ImportUpload.kind)."""
    if kind not in ImportBatch.Kind.values:
        raise ValueError(f"Вид импорта «{kind}» не входит в ImportBatch.Kind: его пакеты некуда записать.")
    _IMPORTERS[kind] = (title, func)
    _TEMPLATES[kind] = (title, [c.header for c in columns], list(example))
    if keeps_upload:
        _DISCARDS_UPLOAD.discard(kind)
    else:
        _DISCARDS_UPLOAD.add(kind)


def importer_keeps_upload(kind: str) -> bool:
    return kind not in _DISCARDS_UPLOAD


def template_for(kind: str) -> tuple[str, list[str], list]:
    """(title, Russian headers, example row) of an import file."""
    return _TEMPLATES[kind]


def importer_for(kind: str):
    if kind not in _IMPORTERS:
        raise KeyError(kind)
    return _IMPORTERS[kind]


def importer_choices() -> list[tuple[str, str]]:
    return [(kind, title) for kind, (title, _) in _IMPORTERS.items()]


def file_sha256(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def run_import(
    *, kind: str, file, file_name: str, user=None, dry_run: bool = False, progress=None
) -> ImportSummary:
    """Run the registered importer (its reader checks the upload first, schools.uploads) and turn every
    failure into a summary with errors."""
    _, importer = importer_for(kind)
    try:
        return importer(
            upload=ImportUpload(
                kind=kind, file=file, file_name=file_name, user=user, dry_run=dry_run, progress=progress
            )
        )
    except UploadRejected as error:
        return ImportSummary(
            kind=kind, file_name=file_name, dry_run=dry_run, errors=[RowError(None, "", str(error)).as_dict()]
        )
    except ImportFailed as failure:
        errors = [e.as_dict() for e in failure.errors[:MAX_REPORTED_ERRORS]]
        if len(failure.errors) > MAX_REPORTED_ERRORS:
            errors.append(
                RowError(None, "", f"и ещё ошибок: {len(failure.errors) - MAX_REPORTED_ERRORS}").as_dict()
            )
        return ImportSummary(kind=kind, file_name=file_name, dry_run=dry_run, errors=errors)


def rows_save_with_history(
    *, model, records: list, fields: list[str], batch: ImportBatch, summary: ImportSummary
) -> None:
    """Write an import's records, new (no pk yet) and changed, with their history by the batch's importing
    user (if any), and record the summary's counts on the batch."""
    author = batch.imported_by
    new = [record for record in records if not record.pk]
    changed = [record for record in records if record.pk]
    if new:
        bulk_create_with_history(new, model, batch_size=500, default_user=author)
    if changed:
        bulk_update_with_history(changed, model, fields, batch_size=500, default_user=author)
    batch.created, batch.updated = summary.created, summary.updated
    batch.save(update_fields=["created", "updated"])
    summary.batch_id = batch.pk


def require_no_errors(errors: list[RowError]) -> None:
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.row or 0, e.column)))
