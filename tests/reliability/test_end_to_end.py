"""The whole path: an interview ends, a real Celery worker and beat (Redis broker)
email the thank-you reminder to a real SMTP server, and its link marks it done."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import redis
import time_machine
from django.test import Client
from django.utils import timezone

from apps.pipeline import services as pipeline
from apps.reminders import links
from apps.reminders.models import Kind, Reminder, Status

pytestmark = pytest.mark.django_db(transaction=True)

BROKER = "redis://127.0.0.1:6379/13"


@pytest.fixture
def worker(celery_worker):
    """A Celery worker with an embedded beat that dispatches every two seconds."""
    redis.Redis.from_url(BROKER).flushdb()  # no task left over from an earlier run
    return celery_worker(broker_url=BROKER)


def _links(text: str) -> dict[str, str]:
    """action -> path of each one-click link in an email's text."""
    found = {}
    for path in re.findall(r"http://testserver(/r/[^/\s]+/)", text):
        _, action = links.read_token(path.split("/")[2])
        found[action] = path
    return found


def test_a_real_worker_emails_the_thank_you_and_its_link_marks_it_done(
    due_reminders, owner, smtp_server, worker
):
    due_reminders(0)  # the owner: address confirmed, no quiet hours
    application = owner.applications.get()
    ended = timezone.now() - dt.timedelta(hours=3)
    interview = pipeline.interview_schedule(
        application=application, starts_at=ended - dt.timedelta(hours=1), ends_at=ended
    )
    thank_you = Reminder.objects.get(interview=interview, kind=Kind.THANK_YOU)

    messages = []
    for _ in range(3):  # the debrief, the thank-you and the reflection prompt are all due
        messages = smtp_server.inbox.wait_for(len(messages) + 1, timeout=60)
        if thank_you.pk in smtp_server.inbox.reminder_ids():
            break
    message = next(m for m in messages if m["X-Second-Round-Reminder"] == str(thank_you.pk))

    assert message["To"] == owner.email
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert application.company.name in text and application.company.name in html
    thank_you.refresh_from_db()
    assert thank_you.status == Status.SENT

    paths = _links(text)
    done_path = paths["done"]
    phone = Client(enforce_csrf_checks=True)  # not logged in; the tap posts no CSRF token
    page = phone.get(done_path)
    assert page.status_code == 200
    thank_you.refresh_from_db()
    assert thank_you.status == Status.SENT  # opening the link only asks
    assert phone.post(done_path).status_code == 200
    thank_you.refresh_from_db()
    assert thank_you.status == Status.DONE

    tampered = done_path[:-3] + ("A" if done_path[-3] != "A" else "B") + done_path[-2:]
    assert Client().get(tampered).status_code == 400
    with time_machine.travel(timezone.now() + dt.timedelta(days=15)):
        assert Client().get(paths["snooze"]).status_code == 410
    thank_you.refresh_from_db()
    assert thank_you.status == Status.DONE
    # Sent once: the beat ran many times meanwhile.
    assert smtp_server.inbox.reminder_ids().count(thank_you.pk) == 1
