"""The social monitoring (DESIGN §7.2): a verified card's values become that year's school context, with the
card as provenance (CardContextRecord); the context importer then shows differences instead of overwriting
them."""

from django.contrib.auth.models import User

from schools.models import SchoolContext

from ..models import CardContextRecord, ExpertCard
from ..rules import snapshot_criteria

FLAG_FIELDS = {"accreditation_suspended"}


def card_context_values(card: ExpertCard) -> dict:
    """{context field: value} the card's answers give (empty answers give nothing: no data is not 0)."""
    answers = {a.criterion_code: a for a in card.answers.all()}
    values: dict[str, int | bool] = {}
    for criterion in snapshot_criteria(card.template_snapshot):
        field = criterion.get("context_field")
        answer = answers.get(criterion["code"])
        if not field or answer is None:
            continue
        if field in FLAG_FIELDS:
            values[field] = bool(answer.claimed)
        elif answer.value is not None:
            values[field] = int(answer.value)
    return values


def card_context_write(*, card: ExpertCard, user: User | None = None) -> CardContextRecord | None:
    """Write the verified card's values into the school context of the campaign's year (creating it if
    missing) and record the card as their source. Called inside `card_verify`'s transaction."""
    if not card.school_id:
        return None
    values = card_context_values(card)
    if not values:
        return None
    context, _ = SchoolContext.objects.get_or_create(school_id=card.school_id, year=card.campaign.year)
    for name, value in values.items():
        setattr(context, name, value)
    context.import_batch = None  # no file: the card is the source
    context._change_reason = f"проверенная карта мониторинга № {card.pk}"  # type: ignore[attr-defined]
    if getattr(user, "pk", None):
        context._history_user = user  # type: ignore[attr-defined]
    context.save()
    record, _ = CardContextRecord.objects.update_or_create(
        card=card, defaults={"context": context, "values": values}
    )
    return record
