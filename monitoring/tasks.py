from celery import shared_task

from .services.campaigns import card_returned_notify, reminders_send


@shared_task(acks_late=True, max_retries=3, default_retry_delay=300)
def reminders_send_task() -> int:
    """Daily (beat): deadline reminders to principals; a reminder already sent is never sent again."""
    return reminders_send()


@shared_task(acks_late=True, max_retries=3, default_retry_delay=300)
def card_returned_notify_task(card_id: int) -> int:
    return card_returned_notify(card_id=card_id)
