"""The page a check-in reminder opens: the message to send, and the reminder's own buttons."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.reminders.models import Kind, Reminder, Status
from tests.helpers import Visitors, assert_only_owner_can_open
from tests.pipeline.factories import ApplicationFactory, CompanyFactory, InterviewFactory


@pytest.fixture
def application(owner):
    return ApplicationFactory(
        owner=owner,
        company=CompanyFactory(owner=owner, name="Lumen Labs"),
        role_title="Platform Engineer",
        decision_expected_on=dt.date(2026, 12, 1),
    )


def _reminder(application, kind: str, **fields) -> Reminder:
    now = timezone.now()
    return Reminder.objects.create(
        owner=application.owner,
        kind=kind,
        due_at=now,
        next_try_at=now,
        status=Status.SENT,
        application=application,
        dedupe_key=f"{kind}:test:{uuid.uuid4()}",
        **fields,
    )


@pytest.mark.parametrize("kind", [Kind.FOLLOW_UP, Kind.NUDGE])
def test_a_check_in_opens_on_the_message_ready_to_send(visitors: Visitors, application, kind):
    reminder = _reminder(application, kind)

    response = assert_only_owner_can_open(visitors, reminder.page_path)

    page = response.content.decode()
    assert "Subject: Checking in: Platform Engineer" in page
    assert 'href="mailto:?subject=Checking%20in' in page
    assert "I sent it" in page and "Remind me tomorrow" in page


def test_i_sent_it_closes_the_reminder_and_goes_back_to_the_reminders(visitors: Visitors, application):
    reminder = _reminder(application, Kind.FOLLOW_UP)
    page = visitors.owner.get(reverse("reminders:note", args=[reminder.pk])).content.decode()
    assert 'name="next" value="/reminders/"' in page

    response = visitors.owner.post(
        reverse("reminders:action", args=[reminder.pk]), {"action": "done", "next": "/reminders/"}
    )

    assert response.status_code == 302 and response["Location"] == "/reminders/"
    reminder.refresh_from_db()
    assert reminder.status == Status.DONE


def test_a_done_reminder_shows_its_message_without_the_buttons(visitors: Visitors, application):
    reminder = _reminder(application, Kind.NUDGE, closed_at=timezone.now())
    Reminder.objects.filter(pk=reminder.pk).update(status=Status.DONE)

    page = visitors.owner.get(reverse("reminders:note", args=[reminder.pk])).content.decode()

    assert "Checking in" in page and "I sent it" not in page


def test_a_kind_with_its_own_page_is_sent_there_from_the_note_address(visitors: Visitors, application):
    interview = InterviewFactory(application=application, starts_at=timezone.now() - dt.timedelta(hours=3))
    reminder = _reminder(application, Kind.REFLECTION_PROMPT, interview=interview)

    response = visitors.owner.get(reverse("reminders:note", args=[reminder.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("journal:reflect", args=[interview.pk])
