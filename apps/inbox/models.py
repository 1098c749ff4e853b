"""Email in: each person's private address, the messages that reach it, and the invitations
they carried.

A message is stored whole before anything reads it, so nothing is lost when reading fails:
the row says why, and the person can try it again (apps/inbox/services.py).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

# A forwarded invitation with its attachments is rarely above a few hundred kilobytes.
MESSAGE_MAX_BYTES = 5 * 1024 * 1024


def new_inbox_token() -> str:
    # Lower case letters and digits: mail systems may lower-case the local part of an address.
    return secrets.token_hex(12)


class InboxAddress(models.Model):
    """A person's private address for forwarding mail to the app: `<token>@<INBOX_DOMAIN>`."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox")
    token = models.CharField(max_length=40, unique=True, default=new_inbox_token)
    # Mail is taken only from the person's confirmed addresses unless they switch that off
    # (a work account that forwards from another address).
    any_sender = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"inbox of {self.owner}"

    @property
    def address(self) -> str:
        return f"{self.token}@{settings.INBOX_DOMAIN}"


class InboundMessageQuerySet(models.QuerySet):
    def for_user(self, user) -> InboundMessageQuerySet:
        return self.filter(owner=user)


class InboundMessage(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", "Waiting to be read"
        DONE = "done", "Done"
        CHOOSE = "choose", "Which application?"
        SUGGESTED = "suggested", "A suggestion to confirm"
        NOTHING = "nothing", "Nothing to do"
        FAILED = "failed", "Could not be read"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbound")
    received_at = models.DateTimeField(default=timezone.now)
    mail_from = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    raw = models.BinaryField()
    size = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    # What reading it did, or why it could not, in words the person reads on the inbox page.
    outcome = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)
    interview = models.ForeignKey(
        "pipeline.Interview", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A reply to a reminder's email (its Reply-To address names the reminder). Not a constraint:
    # a reminder deleted since leaves the id behind, and deleting reminders in bulk (an import
    # undone) costs no extra query per hundred for this log of mail.
    reminder = models.ForeignKey(
        "reminders.Reminder",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    # For mail with no calendar in it: the date and time it seems to name, to confirm.
    suggested_start = models.DateTimeField(null=True, blank=True)

    objects = InboundMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-received_at"], name="inbound_owner_idx")]

    def __str__(self) -> str:
        return self.subject or f"message {self.pk}"


class CalendarInvite(models.Model):
    """An invitation's UID, remembered with the interview it made: its updates and its
    cancellation find that interview again."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uid = models.CharField(max_length=255)
    sequence = models.IntegerField(default=0)
    interview = models.ForeignKey("pipeline.Interview", on_delete=models.CASCADE, related_name="invites")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "uid"], name="invite_once_per_person")]

    def __str__(self) -> str:
        return self.uid
