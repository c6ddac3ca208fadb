"""The change log across every audited model (django-simple-history): who, when, what, old → new.

Any model of the portal's apps with `history = HistoricalRecords()` appears here automatically.
Queries: one per audited model for the page, plus one per shown change to find its previous version, so
the cost depends on the page size, never on the number of schools.
"""

import heapq
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.db import models

PORTAL_APPS = ("schools", "indicators", "monitoring", "roadmaps", "reports")
CHANGE_LABELS = {"+": "создание", "~": "изменение", "-": "удаление"}
MAX_VALUE_CHARS = 200


@dataclass
class FieldChange:
    field: str
    old: str
    new: str


@dataclass
class AuditEntry:
    when: datetime
    user: str
    model_label: str
    model_name: str
    object_id: object
    object_text: str
    change: str
    change_label: str
    reason: str = ""
    changes: list[FieldChange] = field(default_factory=list)


def audited_models() -> dict[str, type[models.Model]]:
    """label ("schools.School") → model, for every portal model that keeps history."""
    found = {}
    for model in apps.get_models():
        if model._meta.app_label in PORTAL_APPS and hasattr(model, "history") and hasattr(model.history, "model"):
            found[model._meta.label] = model
    return dict(sorted(found.items(), key=lambda item: str(item[1]._meta.verbose_name_plural)))


def audit_entries(*, model_label: str = "", username: str = "", limit: int = 50, offset: int = 0) -> list[AuditEntry]:
    """The most recent history records across audited models, newest first, filtered by model and user."""
    chosen = audited_models()
    if model_label:
        chosen = {model_label: chosen[model_label]} if model_label in chosen else {}
    wanted = offset + limit
    streams = []
    for label, model in chosen.items():
        records = model.history.select_related("history_user").order_by("-history_date", "-history_id")
        if username:
            records = records.filter(history_user__username=username)
        streams.append([(label, record) for record in records[:wanted]])
    merged = heapq.merge(*streams, key=lambda item: item[1].history_date, reverse=True)
    page = list(merged)[offset:wanted]
    return [_entry(label, chosen[label], record) for label, record in page]


def _entry(label: str, model, record) -> AuditEntry:
    user = record.history_user
    entry = AuditEntry(
        when=record.history_date,
        user=(user.get_full_name() or user.username) if user else "система (импорт, расчёт или команда)",
        model_label=label,
        model_name=str(model._meta.verbose_name),
        object_id=getattr(record, model._meta.pk.attname),
        object_text=_object_text(record),
        change=record.history_type,
        change_label=CHANGE_LABELS.get(record.history_type, record.history_type),
        reason=record.history_change_reason or "",
    )
    fields = _shown_fields(model, record)
    if record.history_type == "~":
        previous = record.prev_record
        if previous is not None:
            delta = record.diff_against(previous, included_fields=[f.name for f in fields])
            names = {f.name: str(f.verbose_name) for f in fields}
            entry.changes = [FieldChange(names.get(c.field, c.field), _show(c.old), _show(c.new)) for c in delta.changes]
    else:
        value_of = (lambda f: ("", _show(getattr(record, f.attname)))) if record.history_type == "+" else (
            lambda f: (_show(getattr(record, f.attname)), "")
        )
        entry.changes = [FieldChange(str(f.verbose_name), *value_of(f)) for f in fields
                         if getattr(record, f.attname) not in (None, "")]
    return entry


def _shown_fields(model, record) -> list:
    skip = {"id", "created_at", "updated_at"}
    history_fields = {f.name for f in type(record)._meta.fields}
    return [f for f in model._meta.concrete_fields if f.name not in skip and f.name in history_fields]


def _object_text(record) -> str:
    try:
        return str(record.instance)[:MAX_VALUE_CHARS]
    except Exception:  # a __str__ that needs a related row which was deleted since
        return f"№ {record.pk}"


def _show(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "да" if value else "нет"
    text = str(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"
