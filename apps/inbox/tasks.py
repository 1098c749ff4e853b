"""The inbox's Celery tasks: read a stored message, and pick up any the queue lost."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def read_inbound(message_id: int) -> None:
    """Read one stored message. A failure is recorded on it, in words, for the person to see."""
    from apps.inbox import services

    try:
        services.read(message_id=message_id)
    except Exception as error:
        # The message stays stored; the inbox page shows the reason and offers to try again.
        logger.exception("Could not read inbound message %s", message_id)
        services.mark_failed(message_id=message_id, reason=services.failure_words(error))


@shared_task(ignore_result=True)
def requeue_stuck_inbound() -> int:
    """Every few minutes: messages stored but never read are queued again."""
    from apps.inbox.services import requeue_stuck

    return requeue_stuck()
