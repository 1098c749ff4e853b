"""The one-click links in reminder emails: done (with undo), snooze, open."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse

from apps.reminders import links
from apps.reminders.models import Kind, Reminder, Status
from tests.accounts.factories import UserFactory
from tests.core.test_pages import INLINE_HANDLER, INLINE_SCRIPT, INLINE_STYLE
from tests.pipeline.factories import ApplicationFactory, InterviewFactory

pytestmark = pytest.mark.django_db

SITE = "https://secondround.example"
# 19:00 UTC in January is 14:00 in New York.
NOW = dt.datetime(2030, 1, 15, 19, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def seeker(db):
    return UserFactory(email="ada@example.com", time_zone="America/New_York")


@pytest.fixture
def interview(seeker):
    application = ApplicationFactory(owner=seeker, role_title="Platform Engineer")
    return InterviewFactory(application=application, starts_at=NOW - dt.timedelta(hours=3))


def _reminder(interview, kind: str = Kind.THANK_YOU, status: str = Status.SENT) -> Reminder:
    return Reminder.objects.create(
        owner=interview.application.owner,
        kind=kind,
        due_at=NOW - dt.timedelta(hours=1),
        next_try_at=NOW - dt.timedelta(hours=1),
        status=status,
        sent_at=NOW - dt.timedelta(hours=1) if status == Status.SENT else None,
        application=interview.application,
        interview=interview,
        dedupe_key=f"{kind}:test:{uuid.uuid4()}",
    )


def _path(reminder: Reminder, action: str) -> str:
    return links.action_url(reminder, action).removeprefix(SITE)


def _unchanged(reminder: Reminder) -> bool:
    before = (reminder.status, reminder.due_at, reminder.closed_at)
    reminder.refresh_from_db()
    return (reminder.status, reminder.due_at, reminder.closed_at) == before


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_a_token_names_its_reminder_and_action_and_the_url_is_absolute(interview):
    reminder = _reminder(interview)

    url = links.action_url(reminder, "snooze")

    assert url.startswith(f"{SITE}/")
    token = url.removeprefix(SITE).rstrip("/").rsplit("/", 1)[-1]
    assert links.read_token(token) == (reminder.pk, "snooze")


def test_an_unknown_action_cannot_be_signed(interview):
    with pytest.raises(ValueError, match="delete"):
        links.make_token(_reminder(interview), "delete")


def test_the_done_link_marks_the_reminder_done_without_logging_in(client, interview, frozen):
    reminder = _reminder(interview)

    response = client.get(_path(reminder, "done"))

    assert response.status_code == 200
    assert "Done." in response.content.decode()
    reminder.refresh_from_db()
    assert reminder.status == Status.DONE
    assert reminder.closed_at == NOW


def test_undo_on_the_done_page_reopens_the_reminder(interview, frozen):
    reminder = _reminder(interview)
    browser = Client(enforce_csrf_checks=True)
    url = _path(reminder, "done")

    page = browser.get(url).content.decode()

    assert "Undo" in page
    form_action = re.search(r'<form method="post" action="([^"]+)"', page).group(1)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert form_action == url
    response = browser.post(form_action, {"undo": "1", "csrfmiddlewaretoken": csrf})
    assert response.status_code == 200
    assert "Back on your list" in response.content.decode()
    reminder.refresh_from_db()
    assert (reminder.status, reminder.closed_at) == (Status.SENT, None)


def test_undo_without_the_form_token_is_refused(interview):
    reminder = _reminder(interview, status=Status.DONE)

    response = Client(enforce_csrf_checks=True).post(_path(reminder, "done"), {"undo": "1"})

    assert response.status_code == 403
    assert _unchanged(reminder)


def test_a_post_that_is_not_an_undo_changes_nothing(client, interview):
    reminder = _reminder(interview, status=Status.DONE)

    assert client.post(_path(reminder, "done")).status_code == 400
    assert client.post(_path(reminder, "snooze"), {"undo": "1"}).status_code == 400
    assert _unchanged(reminder)


def test_the_snooze_link_asks_again_tomorrow_at_the_same_local_time(client, interview, frozen):
    reminder = _reminder(interview)

    response = client.get(_path(reminder, "snooze"))

    assert response.status_code == 200
    assert "We will remind you again tomorrow at" in response.content.decode()
    assert ">14:00</time>" in response.content.decode()
    reminder.refresh_from_db()
    assert reminder.status == Status.SNOOZED
    assert reminder.due_at == reminder.next_try_at == NOW + dt.timedelta(days=1)


@pytest.mark.parametrize("status", [Status.DONE, Status.DISMISSED])
def test_snoozing_a_reminder_already_dealt_with_says_there_is_nothing_to_snooze(client, interview, status):
    reminder = _reminder(interview, status=status)

    response = client.get(_path(reminder, "snooze"))

    assert response.status_code == 409
    assert "Nothing to snooze" in response.content.decode()
    assert _unchanged(reminder)


def test_snoozing_while_the_reminder_is_being_sent_asks_to_try_again(client, interview):
    reminder = _reminder(interview, status=Status.SENDING)

    response = client.get(_path(reminder, "snooze"))

    assert response.status_code == 409
    assert "Try again in a minute" in response.content.decode()
    assert _unchanged(reminder)


def test_a_tampered_token_is_refused_and_changes_nothing(client, interview):
    reminder = _reminder(interview)
    token = links.make_token(reminder, "done")
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")

    for bad in (tampered, "not-a-token", token.split(":")[0]):
        response = client.get(reverse("reminders:reminder_link", args=[bad]))
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    assert _unchanged(reminder)


def test_a_link_works_for_fourteen_days_then_expires(client, interview):
    first, second = _reminder(interview), _reminder(interview)
    with time_machine.travel(NOW, tick=False):
        late_path, on_time_path = _path(first, "done"), _path(second, "done")

    with time_machine.travel(NOW + dt.timedelta(days=13, hours=23)):
        assert client.get(on_time_path).status_code == 200
    with time_machine.travel(NOW + dt.timedelta(days=14, minutes=1)):
        response = client.get(late_path)

    assert response.status_code == 410
    assert "Links in our reminder emails work for 14 days" in response.content.decode()
    assert _unchanged(first)
    with pytest.raises(links.LinkExpired), time_machine.travel(NOW + dt.timedelta(days=15)):
        links.read_token(late_path.rstrip("/").rsplit("/", 1)[-1])


def test_a_token_for_one_reminder_cannot_act_on_another(client, interview):
    mine = _reminder(interview)
    other = _reminder(InterviewFactory(application=ApplicationFactory(owner=UserFactory())))
    signed_part = links.make_token(mine, "done").split(":", 1)[1]
    # The other reminder's payload with this reminder's signature.
    swapped = links.make_token(other, "done").split(":", 1)[0] + ":" + signed_part

    response = client.get(reverse("reminders:reminder_link", args=[swapped]))

    assert response.status_code == 400
    assert _unchanged(mine) and _unchanged(other)


def test_a_genuine_token_naming_someone_elses_reminder_is_refused(client, interview):
    mine = _reminder(interview)
    other = _reminder(InterviewFactory(application=ApplicationFactory(owner=UserFactory())))
    # Signed with our key, yet the owner it names is not the reminder's owner.
    forged = signing.dumps([other.pk, mine.owner_id, "done"], salt=links.SALT)

    response = client.get(reverse("reminders:reminder_link", args=[forged]))

    assert response.status_code == 400
    assert _unchanged(other)


def test_a_token_signed_for_another_purpose_is_refused(client, interview):
    reminder = _reminder(interview)
    other_purpose = signing.dumps([reminder.pk, reminder.owner_id, "done"])

    assert client.get(reverse("reminders:reminder_link", args=[other_purpose])).status_code == 400
    assert _unchanged(reminder)


def test_a_link_to_a_deleted_reminder_says_it_is_gone(client, interview):
    reminder = _reminder(interview)
    url = _path(reminder, "done")
    reminder.delete()

    response = client.get(url)

    assert response.status_code == 404
    assert "This reminder no longer exists" in response.content.decode()


def test_the_open_link_leads_to_the_reflection_form_for_a_reflection_prompt(client, interview):
    reminder = _reminder(interview, kind=Kind.REFLECTION_PROMPT)

    response = client.get(_path(reminder, "open"))

    assert response.status_code == 302
    assert response["Location"] == reverse("journal:reflect", args=[interview.pk])
    assert _unchanged(reminder)


@pytest.mark.parametrize("kind", [Kind.THANK_YOU, Kind.PREP_REVIEW, Kind.FOLLOW_UP])
def test_the_open_link_leads_to_the_application_otherwise(client, interview, kind):
    reminder = _reminder(interview, kind=kind)

    response = client.get(_path(reminder, "open"))

    assert response.status_code == 302
    assert response["Location"] == reverse("pipeline:application_detail", args=[interview.application_id])


def test_a_mail_scanner_checking_the_link_changes_nothing(client, interview):
    reminder = _reminder(interview)

    assert client.head(_path(reminder, "done")).status_code == 200
    assert _unchanged(reminder)


def test_a_link_stops_working_when_the_account_is_switched_off(client, interview, seeker):
    reminder = _reminder(interview)
    seeker.is_active = False
    seeker.save()

    assert client.get(_path(reminder, "done")).status_code == 400
    assert _unchanged(reminder)


@pytest.mark.parametrize("action", ["done", "snooze", "expired", "invalid"])
def test_the_result_pages_run_no_inline_code_and_are_not_cached(client, interview, action):
    reminder = _reminder(interview)
    if action == "expired":
        with time_machine.travel(NOW, tick=False):
            url = _path(reminder, "done")
        with time_machine.travel(NOW + dt.timedelta(days=20)):
            response = client.get(url)
    elif action == "invalid":
        response = client.get(reverse("reminders:reminder_link", args=["nope"]))
    else:
        response = client.get(_path(reminder, action))

    page = response.content.decode()
    assert not INLINE_SCRIPT.search(page)
    assert not INLINE_STYLE.search(page)
    assert not INLINE_HANDLER.search(page)
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert 'name="viewport"' in page
