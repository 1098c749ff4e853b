"""Interim: replaced by the full emails (one function per kind, three templates each)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from apps.reminders.models import Reminder


def build(reminder: Reminder) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=reminder.get_kind_display(),
        body=reminder.get_kind_display(),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[reminder.owner.email],
        headers={"X-Second-Round-Reminder": str(reminder.pk)},
    )
    message.attach_alternative(f"<p>{reminder.get_kind_display()}</p>", "text/html")
    return message
