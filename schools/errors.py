"""The one family of errors a user reads: a Russian message and, optionally, the form field it concerns.

Services raise these; they are translated once for pages (`schools/error_pages.py`: a middleware and a
form-view mixin) and once for the API (`schools.api.exceptions.portal_exception_handler`),
so a view never catches them only to show the message. `status_code` is the HTTP status both answer with.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError


class ApplicationError(Exception):
    """A refused action. `errors` (a subclass may set it) is extra detail the API returns with the message."""

    status_code = 400
    errors: dict | list | None = None

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def errors_for_api(self):
        """Detail (JSON-ready) the API returns as "errors" beside the message, or None."""
        return self.errors

    def form_errors(self) -> dict[str | None, list[str]]:
        """What a form page shows: the messages by the field they concern (None: the form as a whole)."""
        return {self.field: [self.message]}


class ValidationFailed(ApplicationError):
    """The input breaks a rule: 400."""


class RecordInvalid(ValidationFailed):
    """A record breaks its model's rules (Django's `full_clean` refused it): each message at its field."""

    def __init__(self, error: DjangoValidationError):
        super().__init__(" ".join(error.messages))
        by_field = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
        self.by_field: dict[str, list[str]] = by_field
        self.errors = by_field

    def form_errors(self) -> dict[str | None, list[str]]:
        return {
            None if field == NON_FIELD_ERRORS else field: messages
            for field, messages in self.by_field.items()
        }


class NotAllowed(ApplicationError):
    """This user may not do this (here, now): 403."""

    status_code = 403


class NotFound(ApplicationError):
    """The thing asked for does not exist or is not visible to this user: 404."""

    status_code = 404


class Conflict(ApplicationError):
    """Somebody changed the record meanwhile, or it already exists: 409."""

    status_code = 409
