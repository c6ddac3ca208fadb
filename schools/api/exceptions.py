"""The API's one translation of errors into Russian answers: the ApplicationError family with its status,
Django's ValidationError as DRF's 400 by field, a row still referenced by others as 409 (not a 500), and a
refused token as 401."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import exceptions, status
from rest_framework.authentication import get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from ..errors import ApplicationError

IN_USE = "Запись нельзя удалить: на неё ссылаются другие данные ({objects}). Сначала удалите или измените их."


def application_error_body(error: ApplicationError) -> dict:
    """{"detail": message} (plus "errors" when the error carries them); {field: [message]} for a field."""
    if error.field:
        return {error.field: [error.message]}
    body = {"detail": error.message}
    if (errors := error.errors_for_api()) is not None:
        body["errors"] = errors
    return body


def portal_exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        set_rollback()
        return Response(application_error_body(exc), status=exc.status_code)
    if isinstance(exc, ProtectedError | RestrictedError):
        related = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        labels = sorted({str(obj._meta.verbose_name_plural) for obj in related})
        return Response({"detail": IN_USE.format(objects=", ".join(labels))}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    response = exception_handler(exc, context)
    if isinstance(exc, AuthenticationFailed) and _presented_token(context["request"]):
        # DRF answers 403 because session authentication comes first; a refused (expired, revoked) token
        # is a 401 that tells the client to get a new one.
        response.status_code = status.HTTP_401_UNAUTHORIZED
        response["WWW-Authenticate"] = "Token"
    return response


def _presented_token(request) -> bool:
    return get_authorization_header(request).split(b" ")[0].lower() == b"token"
