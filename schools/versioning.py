"""Optimistic locking for records that several people edit (as expert cards do, see monitoring's services).

A form or an API client sends back the `version` it read. The save first runs one conditional UPDATE,
`version = version + 1 WHERE pk = … AND version = <the version read>`, inside the service's transaction:
if somebody saved in between, no row matches, `StaleRecord` is raised and nothing is written. The
UPDATE also holds the row until the transaction ends, so of two simultaneous saves on PostgreSQL the
second waits and then finds the version changed; SQLite serialises writers anyway. The model's own
`save()` follows, so django-simple-history still records who changed what.

`conflict_rows` lays out «theirs» (what is saved now) beside «yours» (what the form sent) for pages.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F

from .errors import Conflict

STALE_RECORD = (
    "Запись изменил другой пользователь, пока вы её редактировали. Ваши изменения не сохранены, чужие "
    "не перезаписаны. Сверьте значения ниже: чтобы записать свой вариант, сохраните форму ещё раз."
)
STALE_RECORD_API = (
    "Запись изменил другой пользователь после того, как вы её прочитали (ваша версия {sent}, текущая "
    "{current}). Ничего не сохранено: прочитайте запись заново и повторите изменение."
)
T = TypeVar("T")
VERSION_HELP = "Версия записи, которую вы прочитали; если запись с тех пор изменили, сохранение отклоняется."


class StaleRecord(Conflict):
    """The record changed since the writer read it; `current` is the record as it is saved now.

    An ApplicationError (409): the API answers with the message and {"version": <current>} as errors;
    pages catch it to show the form again with both values (`form_conflict`)."""

    def __init__(self, current: models.Model, sent: int):
        super().__init__(STALE_RECORD_API.format(sent=sent, current=current.version))
        self.current = current
        self.sent = sent
        self.errors = {"version": current.version}


def version_claim(instance: models.Model, *, version: int | None) -> None:
    """Call inside the writing transaction, before saving an existing `instance`.

    With a `version`, raise StaleRecord unless the saved row still has it; without one (the system,
    an API client that sent none) the save goes ahead. Either way the row's version goes up by one and
    `instance.version` is set to the new value, so the following `save()` keeps it.
    """
    model = type(instance)
    rows = model._base_manager.filter(pk=instance.pk)
    if version is not None:
        updated = rows.filter(version=version).update(version=F("version") + 1)
        if not updated:
            raise StaleRecord(model._base_manager.get(pk=instance.pk), sent=version)
        instance.version = version + 1
        return
    rows.update(version=F("version") + 1)
    instance.version = rows.values_list("version", flat=True).get()


class VersionField(forms.IntegerField):
    """The hidden field that carries the version a form was opened with."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)


@dataclass
class ConflictRow:
    label: str
    theirs: str
    yours: str


def conflict_rows(form: forms.Form, theirs: dict) -> list[ConflictRow]:
    """The fields where the saved record (`theirs`, by form field name) and the form's data differ."""
    rows = []
    for name, field in form.fields.items():
        if name == "version" or name not in theirs or name not in form.cleaned_data:
            continue
        saved, sent = show_form_value(field, theirs[name]), show_form_value(field, form.cleaned_data[name])
        if saved != sent:
            rows.append(ConflictRow(str(field.label or name), saved, sent))
    return rows


def model_values(instance: models.Model, names) -> dict:
    """A record's values by field name, many-to-many ones as lists, for `conflict_rows`."""
    values = {}
    for name in names:
        field = instance._meta.get_field(name)
        values[name] = list(getattr(instance, name).all()) if field.many_to_many else getattr(instance, name)
    return values


def show_form_value(field: forms.Field, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, list | tuple | models.QuerySet):
        return "\n".join(show_form_value(field, part) for part in value)
    choices = dict(getattr(field, "choices", None) or ()) if not isinstance(value, models.Model) else {}
    return str(choices.get(value, choices.get(str(value), value)))


@dataclass
class FormConflict:
    """What a page shows after a refused stale save: the message and the differing fields."""

    message: str
    rows: list[ConflictRow]
    current: models.Model | None = None  # the record as it is saved now


def form_errors_from(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal shown on the form: each message at its field (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def form_save(
    form: forms.Form, save: Callable[[], T], *, theirs: Callable[[models.Model], dict] | None = None
) -> tuple[T | None, FormConflict | None]:
    """Run `save` (the service call) for a valid form opened at some version: (what it returned, None);
    on a refusal (None, None) with the messages on the form; on a stale version (None, the conflict to
    show beside the form). `theirs(current)` gives the saved values to compare (default: the model
    form's fields of the current record)."""
    try:
        return save(), None
    except ValidationError as error:
        form_errors_from(form, error)
        return None, None
    except StaleRecord as error:
        current = error.current
        values = theirs(current) if theirs else model_values(current, form._meta.fields)
        return None, form_conflict(form, error, values)


def form_conflict(form: forms.Form, error: StaleRecord, theirs: dict) -> FormConflict:
    """Lay out the conflict and let the form carry the current version, so saving it again is a
    deliberate overwrite of what the other user saved."""
    rows = conflict_rows(form, theirs)
    form.data = form.data.copy()
    form.data[form.add_prefix("version")] = str(error.current.version)
    return FormConflict(STALE_RECORD, rows, error.current)


class VersionedModelFormMixin:
    """A model form that carries the version of the record it was opened with (hidden)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = VersionField(help_text=VERSION_HELP)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
