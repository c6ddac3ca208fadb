"""Inspectors' decisions: status overrides with a written reason, and new versions of the rules."""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from schools.errors import RecordInvalid, ValidationFailed
from schools.models import School

from ..models import MethodologyRules, StatusOverride

REASON_REQUIRED = "Напишите обоснование решения: без него статус школы изменить нельзя."
UNKNOWN_LIST = "Неизвестный список: допустимы ШНОР и ШНСУ."
UNKNOWN_DECISION = "Неизвестное решение."


@transaction.atomic
def status_override_create(
    *, school: School, year: int, list_kind: str, decision: str, reason: str, user: User | None = None
) -> StatusOverride:
    """Record an inspector's decision on a school's ШНОР/ШНСУ membership; history is every row."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(REASON_REQUIRED)
    if list_kind not in StatusOverride.List.values:
        raise ValidationFailed(UNKNOWN_LIST)
    if decision not in StatusOverride.Decision.values:
        raise ValidationFailed(UNKNOWN_DECISION)
    return StatusOverride.objects.create(
        school=school,
        year=year,
        list_kind=list_kind,
        decision=decision,
        reason=reason,
        created_by=user if getattr(user, "pk", None) else None,
    )


@transaction.atomic
def rules_save(*, rules: MethodologyRules, user: User | None = None, comment: str = "") -> MethodologyRules:
    """Save edited rules (a form's instance); a new `valid_from` creates a new version.

    simple_history keeps every saved state with who and when; runs keep their own snapshot.
    """
    rules.changed_by = user if getattr(user, "pk", None) else None
    rules.comment = comment or rules.comment
    try:
        rules.full_clean()
    except ValidationError as error:
        raise RecordInvalid(error) from error
    rules.save()
    return rules
