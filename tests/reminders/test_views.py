import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.reminders.models import Kind, Reminder, ReminderSettings, Status
from tests.helpers import assert_redirects_to_login, confirm_email
from tests.pipeline.factories import ApplicationFactory, CompanyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reminder(owner):
    application = ApplicationFactory(
        owner=owner, role_title="Platform Engineer", company=CompanyFactory(owner=owner, name="Acme")
    )
    now = timezone.now()
    return Reminder.objects.create(
        owner=owner,
        kind=Kind.FOLLOW_UP,
        due_at=now,
        next_try_at=now,
        application=application,
        dedupe_key="r1",
    )


def test_the_reminders_page_asks_a_visitor_to_log_in(client):
    assert_redirects_to_login(client.get(reverse("reminders:reminders")))


def test_each_person_sees_only_their_own_reminders(visitors, reminder):
    mine = visitors.owner.get(reverse("reminders:reminders")).content.decode()
    theirs = visitors.stranger.get(reverse("reminders:reminders")).content.decode()

    assert "Follow up on a promised decision" in mine and "Platform Engineer at Acme" in mine
    assert "Platform Engineer" not in theirs


def test_an_unconfirmed_address_is_explained_on_the_page(visitors, reminder):
    before = visitors.owner.get(reverse("reminders:reminders")).content.decode()
    confirm_email(visitors.owner_user)
    after = visitors.owner.get(reverse("reminders:reminders")).content.decode()

    assert "until you confirm your email address" in before
    assert "until you confirm your email address" not in after


def test_done_by_htmx_returns_the_updated_reminder_only(visitors, reminder):
    response = visitors.owner.post(
        reverse("reminders:action", args=[reminder.pk]), {"action": "done"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<li class="reminder reminder-done')
    assert "Undo" in page
    reminder.refresh_from_db()
    assert reminder.status == Status.DONE


def test_actions_work_as_plain_posts_and_return_to_the_page(visitors, reminder):
    response = visitors.owner.post(
        reverse("reminders:action", args=[reminder.pk]),
        {"action": "snooze", "next": reverse("reminders:reminders")},
    )

    assert response["Location"] == reverse("reminders:reminders")
    reminder.refresh_from_db()
    assert reminder.status == Status.SNOOZED
    assert reminder.due_at > timezone.now() + dt.timedelta(hours=23)


def test_a_plain_post_never_redirects_to_another_site(visitors, reminder):
    response = visitors.owner.post(
        reverse("reminders:action", args=[reminder.pk]), {"action": "dismiss", "next": "//evil.example.com/"}
    )

    assert response["Location"] == reverse("reminders:reminders")


def test_a_stranger_cannot_touch_someone_elses_reminder(visitors, reminder):
    response = visitors.stranger.post(reverse("reminders:action", args=[reminder.pk]), {"action": "done"})

    assert response.status_code == 404
    reminder.refresh_from_db()
    assert reminder.status == Status.PENDING


def test_snoozing_a_reminder_already_done_is_refused_with_a_reason(visitors, reminder):
    visitors.owner.post(reverse("reminders:action", args=[reminder.pk]), {"action": "done"})

    response = visitors.owner.post(
        reverse("reminders:action", args=[reminder.pk]), {"action": "snooze"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 409
    reminder.refresh_from_db()
    assert reminder.status == Status.DONE


def test_an_unknown_action_is_a_bad_request(visitors, reminder):
    assert (
        visitors.owner.post(
            reverse("reminders:action", args=[reminder.pk]), {"action": "explode"}
        ).status_code
        == 400
    )


def test_reminder_settings_are_saved_from_the_settings_page(visitors):
    response = visitors.owner.post(
        reverse("reminders:settings"),
        {
            "kinds_on": [Kind.THANK_YOU, Kind.PREP_REVIEW],
            "thank_you_delay_hours": "4",
            "prep_review_lead_hours": "48",
            "quiet_from": "22:30",
            "quiet_until": "07:00",
        },
    )

    assert response.status_code == 302
    saved = ReminderSettings.objects.get(owner=visitors.owner_user)
    assert (saved.thank_you_delay_hours, saved.prep_review_lead_hours) == (4, 48)
    assert saved.quiet_from == dt.time(22, 30)
    assert Kind.NUDGE in saved.kinds_off and Kind.THANK_YOU not in saved.kinds_off


def test_bad_reminder_settings_are_explained_and_kept(visitors):
    response = visitors.owner.post(
        reverse("reminders:settings"),
        {
            "kinds_on": [Kind.THANK_YOU],
            "thank_you_delay_hours": "500",
            "prep_review_lead_hours": "24",
            "quiet_from": "25:00",
            "quiet_until": "07:00",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Three days (72 hours) at most" in page
    assert "Enter a valid time" in page
    assert 'value="500"' in page
    assert not ReminderSettings.objects.exists()
