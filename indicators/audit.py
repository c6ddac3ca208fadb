"""Inspectors' decisions on ШНОР/ШНСУ status in the staff journal («Журнал изменений»).

`StatusOverride` rows are never edited (each decision is a new row with its written reason), so the
rows themselves are the history; this stream shows them beside django-simple-history, the reason
under the action. Registered in IndicatorsConfig.ready.
"""

from django.urls import reverse

from schools import formatting
from schools.audit import AuditEntry, FieldChange, stream_records, user_text

from .models import StatusOverride

STREAM_KEY = "indicators.StatusOverride"
STREAM_TITLE = "Решения инспекторов о статусе (ШНОР, ШНСУ)"


status_override_records = stream_records(
    StatusOverride.objects.select_related("school", "created_by").order_by("-created_at", "-pk"),
    when="created_at",
    user="created_by",
    scope="school__municipality_id",
)


def status_override_entry(override: StatusOverride) -> AuditEntry:
    return AuditEntry(
        when=override.created_at,
        user=user_text(override.created_by),
        model_label=STREAM_KEY,
        model_name=str(StatusOverride._meta.verbose_name),
        object_id=override.pk,
        object_text=f"{override.school}, {formatting.school_year(override.year)}",
        change="+",
        change_label="решение о статусе",
        reason=f"Обоснование: {override.reason}",
        changes=[FieldChange(override.get_list_kind_display(), "", override.get_decision_display())],
        url=reverse("indicators:school", args=[override.school.code]) + f"?year={override.year}",
    )
