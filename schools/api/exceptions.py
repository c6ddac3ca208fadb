"""API errors in Russian instead of a 500 when a row is still referenced by others."""

from django.db.models import ProtectedError, RestrictedError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

IN_USE = "Запись нельзя удалить: на неё ссылаются другие данные ({objects}). Сначала удалите или измените их."


def portal_exception_handler(exc, context):
    if isinstance(exc, ProtectedError | RestrictedError):
        related = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        labels = sorted({str(obj._meta.verbose_name_plural) for obj in related})
        return Response({"detail": IN_USE.format(objects=", ".join(labels))}, status=status.HTTP_409_CONFLICT)
    return exception_handler(exc, context)
