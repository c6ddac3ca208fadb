"""The pages' one translation of the ApplicationError family (the API has its own exception handler).

A form page shows the form again with the message at its field (`ApplicationErrorFormMixin`); any other
refused action goes back with the message on top to the page its view names (`refusal_returns_to`) or else
to the page it was started from, or, with no such page, shows the message on an error page with the
error's status (`ApplicationErrorMiddleware`).
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import ApplicationError


class ApplicationErrorFormMixin:
    """For a FormView whose `form_valid` calls a service: a refusal re-renders the form with its message
    at the error's field, else at `error_field`, else above the form (status 200, as any invalid form)."""

    error_field: str | None = None

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if not form.is_valid():
            return self.form_invalid(form)
        try:
            return self.form_valid(form)
        except ApplicationError as error:
            return self.form_refused(form, error)

    def form_refused(self, form, error: ApplicationError):
        """The page after a refusal; a view that lays the refusal out otherwise (a table of the file's
        errors) overrides this."""
        for field, texts in error.form_errors().items():
            field = field or self.error_field
            form.add_error(field if field in form.fields else None, texts)
        return self.form_invalid(form)


def refusal_returns_to(request, url: str) -> None:
    """Name the page a refusal of this request goes back to with its message: the action's own page (where
    it lands when it succeeds) rather than whatever page the request came from."""
    request.refusal_page = url


def _safe_referer(request) -> str:
    referer = request.META.get("HTTP_REFERER", "")
    allowed = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if referer and allowed else ""


class ApplicationErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ApplicationError):
            return None
        back = getattr(request, "refusal_page", "") or _safe_referer(request)
        if request.method == "POST" and back and back not in (request.build_absolute_uri(), request.path):
            messages.error(request, exception.message)
            return redirect(back)
        response = TemplateResponse(
            request,
            "application_error.html",
            {"message": exception.message, "back_url": back or "/"},
            status=exception.status_code,
        )
        return response.render()
