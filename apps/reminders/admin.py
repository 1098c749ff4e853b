"""The reminders in the admin: for answering "why did I not get my reminder?".

Read-mostly: the dispatcher's columns (claims, attempts) are shown, never
edited, so the admin cannot break a claim a sender holds. "Send again" puts a
failed reminder back in the queue, the one repair support needs.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from apps.reminders.models import Reminder, ReminderSettings, Status


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["pk", "owner", "kind", "status", "due_at", "attempts", "short_error", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["owner__email", "dedupe_key", "last_error"]
    list_select_related = ["owner"]
    date_hierarchy = "due_at"
    ordering = ["-due_at"]
    show_full_result_count = False  # counting 20,000 rows of one heavy user on every page helps nobody
    raw_id_fields = ["owner", "application", "interview"]
    readonly_fields = [
        "owner",
        "kind",
        "application",
        "interview",
        "subject_key",
        "dedupe_key",
        "status",
        "attempts",
        "last_error",
        "claimed_at",
        "claim_token",
        "sent_at",
        "closed_at",
        "created_at",
    ]
    fields = [*readonly_fields[:5], "due_at", "next_try_at", *readonly_fields[5:]]
    actions = ["send_again"]

    @admin.display(description="last error")
    def short_error(self, reminder: Reminder) -> str:
        return reminder.last_error[:80]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # reminders come from events, never by hand

    @admin.action(description="Send the selected failed reminders again")
    def send_again(self, request: HttpRequest, queryset: QuerySet[Reminder]) -> None:
        now = timezone.now()
        count = queryset.filter(status=Status.FAILED).update(
            status=Status.PENDING, attempts=0, next_try_at=now, claim_token=None, claimed_at=None
        )
        self.message_user(request, f"{count} reminder(s) will be sent within a minute.", messages.SUCCESS)


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ["owner", "kinds_off", "quiet_from", "quiet_until"]
    search_fields = ["owner__email"]
    raw_id_fields = ["owner"]
