"""Reminders: rows the dispatcher sends, never long-delayed Celery tasks.

A Celery task with a far-off ETA can be delivered twice by Redis (past the
visibility timeout); a row with a status and a claim cannot be sent twice.

The kernel names the pipeline's models by string only: it stores what a
reminder is about, and the apps that own those rows give it meaning.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from apps.core.paths import path_of
from apps.reminders import kinds
from apps.reminders.kinds import Kind

__all__ = ["OPEN", "TO_DO", "WAITING", "Kind", "Reminder", "ReminderSettings", "Status"]


class Status(models.TextChoices):
    PENDING = "pending", "Waiting"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    DONE = "done", "Done"
    SNOOZED = "snoozed", "Snoozed"
    DISMISSED = "dismissed", "Dismissed"
    FAILED = "failed", "Could not be sent"


# Statuses in which a reminder still waits to be emailed.
WAITING = [Status.PENDING, Status.SNOOZED]
# Statuses of a reminder that asks the person to act once it is due (a failed one is listed apart).
TO_DO = [Status.PENDING, Status.SNOOZED, Status.SENDING, Status.SENT]
# Statuses in which the person still has something to do.
OPEN = [*TO_DO, Status.FAILED]


class ReminderQuerySet(models.QuerySet):
    def for_user(self, user) -> ReminderQuerySet:
        return self.filter(owner=user)

    def waiting(self) -> ReminderQuerySet:
        return self.filter(status__in=WAITING)


class Reminder(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=24, choices=kinds.choices)
    # When the thing should be done: what the person sees.
    due_at = models.DateTimeField()
    # When the dispatcher should next try to email it: the due time moved past
    # quiet hours, a snooze, or a retry after an SMTP error.
    next_try_at = models.DateTimeField()
    application = models.ForeignKey(
        "pipeline.Application", on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    interview = models.ForeignKey(
        "pipeline.Interview", on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    # The reference a reminder is about ("reference:<id>"), named by the contacts app.
    subject_key = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # kind + what it is about: one event never makes two reminders.
    dedupe_key = models.CharField(max_length=128, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["status", "next_try_at"], name="reminder_dispatch_idx"),
            models.Index(fields=["owner", "status", "due_at"], name="reminder_owner_idx"),
            models.Index(fields=["status", "claimed_at"], name="reminder_claims_idx"),
            # The reminders page's "recently done" list, read off the index newest first.
            models.Index(
                fields=["owner", "-closed_at"],
                name="reminder_closed_idx",
                condition=models.Q(status__in=[Status.DONE, Status.DISMISSED]),
            ),
            # "To do now" on the dashboard and the reminders page: the person's open reminders by due
            # time, so the first 25 are read off the index instead of sorting thousands.
            models.Index(
                fields=["owner", "due_at"], name="reminder_to_do_idx", condition=models.Q(status__in=TO_DO)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    def is_due(self, now: dt.datetime | None = None) -> bool:
        return self.status in WAITING and self.due_at <= (now or timezone.now())

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def registry_row(self) -> kinds.ReminderKind:
        return kinds.get(self.kind)

    @property
    def page_path(self) -> str:
        """The page where the person does what the reminder asks (its kind's page)."""
        row = self.registry_row
        if row.page_about == kinds.REMINDER:
            return path_of(row.page, self.pk)
        if row.page_about == kinds.ACCOUNT:
            return reverse(row.page)
        about_id = self.interview_id if row.page_about == kinds.INTERVIEW else self.application_id
        if about_id is None:
            return reverse("reminders:reminders")
        return path_of(row.page, about_id)


class ReminderSettings(models.Model):
    """A person's choices about reminders. Missing row = the defaults."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    # Kinds switched off; everything else is on.
    kinds_off = models.JSONField(default=list, blank=True)
    thank_you_delay_hours = models.PositiveSmallIntegerField(default=2)
    prep_review_lead_hours = models.PositiveSmallIntegerField(default=24)
    quiet_from = models.TimeField(default=dt.time(21, 0))
    quiet_until = models.TimeField(default=dt.time(8, 0))

    def __str__(self) -> str:
        return f"Reminder settings of {self.owner}"

    def wants(self, kind: str) -> bool:
        return kind not in self.kinds_off
