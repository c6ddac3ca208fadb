"""The pages' one translation of the ApplicationError family (the API has its own exception handler).

A form page shows the form again with the message at its field (`ApplicationErrorFormMixin`); any other
refused action goes back to the page it was started from with the message on top, or, with no such page,
shows the message on an error page with the error's status (`ApplicationErrorMiddleware`).
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
            field = error.field or self.error_field
            form.add_error(field if field in form.fields else None, error.message)
            return self.form_invalid(form)


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
        back = _safe_referer(request)
        if request.method == "POST" and back and back != request.build_absolute_uri():
            messages.error(request, exception.message)
            return redirect(back)
        response = TemplateResponse(
            request,
            "application_error.html",
            {"message": exception.message, "back_url": back or "/"},
            status=exception.status_code,
        )
        return response.render()
