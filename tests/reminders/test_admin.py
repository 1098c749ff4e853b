"""The Reminder admin: what support looks at when someone asks where their reminder went."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.reminders.models import Kind, Reminder, Status
from tests.accounts.factories import UserFactory
from tests.pipeline.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:reminders_reminder_changelist")


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(UserFactory(email="support@example.com", is_staff=True, is_superuser=True))
    return client


def _reminder(owner, *, status=Status.PENDING, error="", key="") -> Reminder:
    due = timezone.now() - dt.timedelta(hours=1)
    return Reminder.objects.create(
        owner=owner,
        kind=Kind.NUDGE,
        due_at=due,
        next_try_at=due,
        application=ApplicationFactory(owner=owner),
        status=status,
        attempts=5 if status == Status.FAILED else 0,
        last_error=error,
        dedupe_key=key or f"admin:{owner.pk}:{status}",
    )


def test_support_finds_a_persons_failed_reminder_and_why(staff, owner, stranger):
    _reminder(owner, status=Status.FAILED, error="The mail server refused it: 550 No such mailbox")
    _reminder(owner, status=Status.SENT)
    _reminder(stranger, status=Status.FAILED, error="The mail server refused it: 552 Mailbox full")

    page = staff.get(CHANGELIST, {"q": owner.email, "status__exact": Status.FAILED}).content.decode()

    assert "550 No such mailbox" in page
    assert "552 Mailbox full" not in page
    assert page.count('class="action-checkbox"') == 1


def test_send_again_puts_failed_reminders_back_in_the_queue_and_leaves_others_alone(staff, owner):
    failed = _reminder(owner, status=Status.FAILED, error="gave up")
    done = _reminder(owner, status=Status.DONE)

    response = staff.post(
        CHANGELIST, {"action": "send_again", "_selected_action": [failed.pk, done.pk]}, follow=True
    )

    assert "1 reminder(s) will be sent within a minute." in response.content.decode()
    failed.refresh_from_db()
    done.refresh_from_db()
    assert (failed.status, failed.attempts) == (Status.PENDING, 0)
    assert done.status == Status.DONE


def test_reminders_cannot_be_added_or_their_claims_edited_by_hand(staff, owner):
    reminder = _reminder(owner)

    assert staff.get(reverse("admin:reminders_reminder_add")).status_code == 403
    page = staff.get(reverse("admin:reminders_reminder_change", args=[reminder.pk])).content.decode()
    assert 'name="due_at_0"' in page  # the due time may be moved...
    assert 'name="claim_token"' not in page and 'name="status"' not in page  # ...the sender's columns not


def test_the_reminder_admin_is_for_staff_only(visitors):
    response = visitors.owner.get(CHANGELIST)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
