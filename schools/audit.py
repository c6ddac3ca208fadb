"""The change log: who, when, what, old → new, across every audited model and every app's own log.

Two kinds of sources, merged newest first into one journal:
- every model of the portal's apps with `history = HistoricalRecords()` (django-simple-history) appears
  automatically;
- an app that keeps its own append-only log (expert card changes, status decisions…) registers an
  «audit stream» in its AppConfig.ready with `register_audit_stream`, so this kernel never imports it.

Queries: one per source for the page, plus one per shown history change to find its previous version,
so the cost depends on the page size, never on the number of schools.
"""

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from operator import itemgetter

from django.apps import apps
from django.db import models

from . import formatting

PORTAL_APPS = ("schools", "indicators", "monitoring", "roadmaps", "reports")
CHANGE_LABELS = {"+": "создание", "~": "изменение", "-": "удаление"}
MAX_VALUE_CHARS = 200
NO_USER = "система (импорт, расчёт или команда)"


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
    change: str  # "+" created, "~" changed, "-" deleted: decides how old → new is shown
    change_label: str
    reason: str = ""
    changes: list[FieldChange] = field(default_factory=list)
    url: str = ""


@dataclass(frozen=True)
class AuditStream:
    """One source of the journal.

    `records(username, limit, municipality_ids)` gives at most `limit` (when, record) pairs, newest first,
    only those by the user with that login when it is not empty, and only those about the municipalities
    with these ids when they are not None (the reader's scope, DESIGN §6), in a bounded number of queries;
    `entry(record)` turns one record of the shown page into an AuditEntry.
    """

    key: str
    title: str
    records: Callable[[str, int], Iterable[tuple[datetime, object]]]
    entry: Callable[[object], AuditEntry]


_STREAMS: dict[str, AuditStream] = {}


def register_audit_stream(key: str, title: str, *, records: Callable, entry: Callable) -> None:
    """Add an app's own log to the journal; `key` ("monitoring.CardChange") is also the filter's value."""
    _STREAMS[key] = AuditStream(key, title, records, entry)


def audited_models() -> dict[str, type[models.Model]]:
    """label ("schools.School") → model, for every portal model that keeps history."""
    found = {}
    for model in apps.get_models():
        if (
            model._meta.app_label in PORTAL_APPS
            and hasattr(model, "history")
            and hasattr(model.history, "model")
        ):
            found[model._meta.label] = model
    return dict(sorted(found.items(), key=lambda item: str(item[1]._meta.verbose_name_plural)))


def scope_path(model, depth: int = 0) -> str | None:
    """How a model's rows reach a municipality id ("school__municipality_id"), following foreign keys to
    School or Municipality, or through one more model that has such a key (a programme item → its
    roadmap → its school); None when its rows belong to no municipality (rules, reference data)."""
    if model._meta.label == "schools.Municipality":
        return "id"
    if model._meta.label == "schools.School":
        return "municipality_id"
    foreign_keys = [f for f in model._meta.fields if f.is_relation and f.many_to_one and f.related_model]
    for f in foreign_keys:
        if f.related_model._meta.label in ("schools.School", "schools.Municipality") and f.name != "region":
            inner = scope_path(f.related_model, depth + 1)
            return f"{f.name}__{inner}" if inner != "id" else f"{f.name}_id"
    if depth == 0:
        for f in foreign_keys:
            if f.related_model._meta.app_label in PORTAL_APPS and f.related_model is not model:
                inner = scope_path(f.related_model, depth + 1)
                if inner:
                    return f"{f.name}__{inner}"
    return None


def audit_streams(*, municipality_ids: list[int] | None = None) -> dict[str, AuditStream]:
    """Every source of the journal by key, in the order of their titles (the filter's choices); for a
    reader bound to municipalities, only the sources whose rows belong to a municipality."""
    models_by_label = audited_models()
    if municipality_ids is not None:
        models_by_label = {label: m for label, m in models_by_label.items() if scope_path(m)}
    streams = {label: _history_stream(label, model) for label, model in models_by_label.items()}
    streams.update(_STREAMS)
    return dict(sorted(streams.items(), key=lambda item: item[1].title.lower()))


def audit_entries(
    *,
    model_label: str = "",
    username: str = "",
    limit: int = 50,
    offset: int = 0,
    municipality_ids: list[int] | None = None,
) -> list[AuditEntry]:
    """The most recent changes across all sources, newest first, filtered by source and user, within the
    reader's municipalities (None: all)."""
    chosen = audit_streams(municipality_ids=municipality_ids)
    if model_label:
        chosen = {model_label: chosen[model_label]} if model_label in chosen else {}
    wanted = offset + limit
    sources = [
        [(when, key, record) for when, record in stream.records(username, wanted, municipality_ids)]
        for key, stream in chosen.items()
    ]
    page = islice(heapq.merge(*sources, key=itemgetter(0), reverse=True), offset, wanted)
    return [chosen[key].entry(record) for _, key, record in page]


def user_text(user) -> str:
    """How the journal names a user: full name, else login; nobody means the system did it."""
    return (user.get_full_name() or user.username) if user else NO_USER


def stream_records(rows: models.QuerySet, *, when: str, user: str, scope: str) -> Callable[..., list[tuple]]:
    """A stream's `records` over `rows` (newest first): at most `limit` (row.`when`, row) pairs, only those
    whose `user` has `username` (if given) and whose `scope` is one of `municipality_ids` (if given; a path
    to the municipality id)."""

    def records(username: str, limit: int, municipality_ids: list[int] | None = None) -> list[tuple]:
        found = rows.all()
        if username:
            found = found.filter(**{f"{user}__username": username})
        if municipality_ids is not None:
            found = found.filter(**{f"{scope}__in": municipality_ids})
        return [(getattr(row, when), row) for row in found[:limit]]

    return records


def _history_stream(label: str, model) -> AuditStream:
    return AuditStream(
        label,
        str(model._meta.verbose_name_plural).capitalize(),
        stream_records(
            model.history.select_related("history_user").order_by("-history_date", "-history_id"),
            when="history_date",
            user="history_user",
            scope=str(scope_path(model)),
        ),
        lambda record: _entry(label, model, record),
    )


def _entry(label: str, model, record) -> AuditEntry:
    user = record.history_user
    entry = AuditEntry(
        when=record.history_date,
        user=user_text(user),
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
            by_name = {f.name: f for f in fields}
            entry.changes = [
                FieldChange(
                    str(by_name[c.field].verbose_name) if c.field in by_name else c.field,
                    show_value(c.old, by_name.get(c.field)),
                    show_value(c.new, by_name.get(c.field)),
                )
                for c in delta.changes
            ]
    else:
        value_of = (
            (lambda f: ("", show_value(getattr(record, f.attname), f)))
            if record.history_type == "+"
            else (lambda f: (show_value(getattr(record, f.attname), f), ""))
        )
        entry.changes = [
            FieldChange(str(f.verbose_name), *value_of(f))
            for f in fields
            if getattr(record, f.attname) not in (None, "")
        ]
    return entry


def _shown_fields(model, record) -> list:
    skip = {"id", "created_at", "updated_at", "version", "sha256"}  # a checksum tells a reader nothing
    history_fields = {f.name for f in type(record)._meta.fields}
    return [f for f in model._meta.concrete_fields if f.name not in skip and f.name in history_fields]


def _object_text(record) -> str:
    try:
        return str(record.instance)[:MAX_VALUE_CHARS]
    except Exception:  # a __str__ that needs a related row which was deleted since
        return f"№ {record.pk}"


def show_value(value, model_field=None) -> str:
    """A value as the journal shows it: «—» for nothing, да/нет, a choice by its label, dates as dd.mm.yyyy,
    moments in local time, numbers with a decimal comma; cut to MAX_VALUE_CHARS."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "да" if value else "нет"
    if model_field is not None and model_field.choices:
        value = dict(model_field.flatchoices).get(value, value)
    if isinstance(model_field, models.FileField):
        suffix = str(value).rsplit(".", 1)[-1].upper() if "." in str(value) else ""
        return f"файл {suffix}".strip()
    audit_value = getattr(getattr(model_field, "model", None), "audit_value", None)
    if audit_value is not None:
        value = audit_value(model_field.name, value)
    if isinstance(value, datetime):
        text = formatting.local_datetime(value)
    elif isinstance(value, date):
        text = formatting.date(value)
    elif isinstance(value, float | Decimal):
        text = formatting.number(value)
    else:
        text = str(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"
