"""Celery tasks: thin, they take no objects and call the dispatcher or a rule."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def dispatch_due_reminders() -> dict[str, int]:
    from apps.reminders.dispatch import dispatch_due

    report = dispatch_due()
    return report.__dict__


@shared_task(ignore_result=True)
def nudge_quiet_applications() -> int:
    from apps.reminders.services import nudge_quiet_applications as nudge

    return nudge()
