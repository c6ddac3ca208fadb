"""Expert card changes in the staff journal («Журнал изменений»).

Cards change only through the services, which write every change to the append-only `CardChange` log
(who, when, action, criterion, field, old → new); this stream shows that log beside django-simple-history.
Registered in MonitoringConfig.ready.
"""

from django.core.exceptions import FieldDoesNotExist

from schools.audit import AuditEntry, FieldChange, show_value, stream_records, user_text

from .models import CardAnswer, CardChange, ExpertCard

STREAM_KEY = "monitoring.CardChange"
STREAM_TITLE = "Экспертные карты"


card_change_records = stream_records(
    CardChange.objects.select_related("user", "card__school", "card__campaign").order_by("-at", "-pk"),
    when="at",
    user="user",
    scope="card__school__municipality_id",
)


def _field_label(change: CardChange) -> str:
    if not change.field:
        return "шаблон" if change.action == CardChange.Action.CREATED else "—"
    model = CardAnswer if change.criterion_code else ExpertCard
    try:
        label = str(model._meta.get_field(change.field).verbose_name)
    except FieldDoesNotExist:
        label = change.field
    return f"критерий {change.criterion_code}, {label}" if change.criterion_code else label


def card_change_entry(change: CardChange) -> AuditEntry:
    created = change.action == CardChange.Action.CREATED
    return AuditEntry(
        when=change.at,
        user=user_text(change.user),
        model_label=STREAM_KEY,
        model_name=str(ExpertCard._meta.verbose_name),
        object_id=change.card_id,
        object_text=str(change.card),
        change="+" if created else "~",
        change_label=change.get_action_display(),
        changes=[
            FieldChange(_field_label(change), show_value(change.old_value), show_value(change.new_value))
        ]
        if change.field or change.old_value or change.new_value
        else [],
        url=change.card.get_absolute_url(),
    )
