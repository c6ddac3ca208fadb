"""Writes of the monitoring app. Import from here: `from monitoring import services`."""

from .campaigns import (
    CampaignError,
    campaign_create,
    campaign_participants_add,
    campaign_participants_remove,
    campaign_refresh_computed,
    campaign_update,
    card_returned_notify,
    default_deadlines,
    reminders_send,
)
from .cards import (
    CardConflict,
    CardError,
    card_check,
    card_save,
    card_save_valid_fields,
    card_submit,
)
from .recommendations import recommendation_draft_for_answer
from .templates import (
    template_as_dict,
    template_file_read,
    template_import,
    template_same_content,
    template_validate,
    template_xlsx_bytes,
)
from .verification import (
    agreeing_codes,
    card_confirm_agreeing,
    card_evaluate,
    card_reopen,
    card_return,
    card_verdicts_set,
    card_verify,
)

__all__ = [
    "agreeing_codes",
    "CampaignError",
    "CardConflict",
    "CardError",
    "campaign_create",
    "campaign_participants_add",
    "campaign_participants_remove",
    "campaign_refresh_computed",
    "campaign_update",
    "card_check",
    "card_confirm_agreeing",
    "card_evaluate",
    "card_reopen",
    "card_return",
    "card_returned_notify",
    "card_save",
    "card_save_valid_fields",
    "card_submit",
    "card_verdicts_set",
    "card_verify",
    "default_deadlines",
    "recommendation_draft_for_answer",
    "reminders_send",
    "template_as_dict",
    "template_file_read",
    "template_import",
    "template_same_content",
    "template_validate",
    "template_xlsx_bytes",
]
