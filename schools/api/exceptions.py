"""API errors in Russian: a 409 for a row still referenced by others, a 401 for a refused token."""

from django.db.models import ProtectedError, RestrictedError
from rest_framework import status
from rest_framework.authentication import get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.response import Response
from rest_framework.views import exception_handler

IN_USE = "Запись нельзя удалить: на неё ссылаются другие данные ({objects}). Сначала удалите или измените их."


def portal_exception_handler(exc, context):
    if isinstance(exc, ProtectedError | RestrictedError):
        related = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        labels = sorted({str(obj._meta.verbose_name_plural) for obj in related})
        return Response({"detail": IN_USE.format(objects=", ".join(labels))}, status=status.HTTP_409_CONFLICT)
    response = exception_handler(exc, context)
    if isinstance(exc, AuthenticationFailed) and _presented_token(context["request"]):
        # DRF answers 403 because session authentication comes first; a refused (expired, revoked) token
        # is a 401 that tells the client to get a new one.
        response.status_code = status.HTTP_401_UNAUTHORIZED
        response["WWW-Authenticate"] = "Token"
    return response


def _presented_token(request) -> bool:
    return get_authorization_header(request).split(b" ")[0].lower() == b"token"
