"""Field declarations that the models of every app repeat, written once, and where their files are stored.

Each field function returns a new, ordinary Django field, so a model keeps its own field order (the admin's
forms and the change journal list fields in that order) and its migrations see exactly the field they saw
before.
"""

import uuid

from django.conf import settings
from django.db import models


def optional_link(to, verbose_name: str, *, on_delete, related_name: str | None = None, **options):
    """A foreign key that may be empty: NULL in the database and left blank in forms."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=on_delete,
        related_name=related_name,
        **options,
    )


def acting_user(verbose_name: str, *, related_name: str | None = None):
    """The user who did something to the record («кто …»); the record stays when the account is deleted."""
    return optional_link(
        settings.AUTH_USER_MODEL, verbose_name, on_delete=models.SET_NULL, related_name=related_name
    )


def record_version():
    """The optimistic lock of a record several people edit (schools/versioning.py): a save carries the
    version it read, a stale one is refused, and every accepted write raises it by one."""
    return models.PositiveIntegerField("версия записи", default=1)


def import_batch_link(**options):
    """The import that created or last updated the row (schools.ImportBatch); empty for rows typed in."""
    return optional_link("schools.ImportBatch", "пакет импорта", on_delete=models.SET_NULL, **options)


def random_file_name(folder: str, extension: str) -> str:
    """Where an upload_to callable stores a file: a random name in `folder`, never the uploaded name."""
    return f"{folder}/{uuid.uuid4().hex}.{extension}"
