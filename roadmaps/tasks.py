from celery import shared_task
from django.utils import timezone

from .services.digest import deadline_digest_send


@shared_task(acks_late=True)
def deadline_digest_send_task() -> int:
    """Weekly (beat): the deadline digest to the responsible people; safe to run twice in a week."""
    return deadline_digest_send(today=timezone.localdate())
