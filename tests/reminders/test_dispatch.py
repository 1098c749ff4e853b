import datetime as dt

import pytest

from apps.reminders import dispatch
from apps.reminders.models import Kind, Reminder, ReminderSettings, Status
from tests.helpers import confirm_email
from tests.pipeline.factories import ApplicationFactory, CompanyFactory

pytestmark = pytest.mark.django_db

# Midday in London: outside the default quiet hours.
NOON = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def application(owner):
    confirm_email(owner)
    return ApplicationFactory(owner=owner, company=CompanyFactory(owner=owner, name="Acme"))


def _reminder(application, *, due=NOON, kind=Kind.NUDGE, key="", **fields) -> Reminder:
    return Reminder.objects.create(
        owner=application.owner,
        kind=kind,
        due_at=due,
        next_try_at=due,
        application=application,
        dedupe_key=key or f"{kind}:{application.pk}:{due.isoformat()}:{Reminder.objects.count()}",
        **fields,
    )


def test_a_due_reminder_is_emailed_once_and_marked_sent(smtp_server, application):
    reminder = _reminder(application)
    later = _reminder(application, due=NOON + dt.timedelta(hours=1))

    first = dispatch.dispatch_due(now=NOON)
    second = dispatch.dispatch_due(now=NOON)

    assert (first.sent, second.sent) == (1, 0)
    assert smtp_server.inbox.reminder_ids() == [reminder.pk]
    reminder.refresh_from_db()
    later.refresh_from_db()
    assert (reminder.status, reminder.sent_at) == (Status.SENT, NOON)
    assert later.status == Status.PENDING


def test_reminders_wait_while_the_address_is_unconfirmed(smtp_server, stranger):
    reminder = _reminder(ApplicationFactory(owner=stranger))

    report = dispatch.dispatch_due(now=NOON)

    assert report.sent == 0
    assert smtp_server.inbox.messages == []
    reminder.refresh_from_db()
    assert reminder.status == Status.PENDING


def test_a_reminder_due_in_the_night_waits_for_the_morning(smtp_server, application):
    night = dt.datetime(2026, 11, 20, 23, 30, tzinfo=dt.UTC)
    reminder = _reminder(application, due=night)

    report = dispatch.dispatch_due(now=night)

    reminder.refresh_from_db()
    assert (report.deferred, reminder.status) == (1, Status.PENDING)
    assert reminder.next_try_at == dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)
    assert smtp_server.inbox.messages == []
    assert dispatch.dispatch_due(now=reminder.next_try_at).sent == 1


def test_a_kind_switched_off_after_scheduling_is_not_sent(smtp_server, application):
    ReminderSettings.objects.create(owner=application.owner, kinds_off=[Kind.NUDGE])
    reminder = _reminder(application)

    dispatch.dispatch_due(now=NOON)

    reminder.refresh_from_db()
    assert reminder.status == Status.DISMISSED
    assert smtp_server.inbox.messages == []


def test_an_smtp_failure_is_retried_with_backoff_then_sent_when_the_server_is_back(smtp_server, application):
    reminder = _reminder(application)
    smtp_server.inbox.refuse = True

    dispatch.dispatch_due(now=NOON)
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (Status.PENDING, 1)
    assert reminder.next_try_at == NOON + dt.timedelta(minutes=1)
    assert "451" in reminder.last_error
    assert dispatch.dispatch_due(now=NOON + dt.timedelta(seconds=30)).sent == 0  # not yet

    smtp_server.inbox.refuse = False
    assert dispatch.dispatch_due(now=NOON + dt.timedelta(minutes=1)).sent == 1
    reminder.refresh_from_db()
    assert (reminder.status, reminder.last_error) == (Status.SENT, "")


def test_a_reminder_that_never_gets_through_ends_failed_with_the_reason(application, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    reminder = _reminder(application)

    moment = NOON
    for _ in range(dispatch.MAX_ATTEMPTS):
        dispatch.dispatch_due(now=moment)
        reminder.refresh_from_db()
        moment = reminder.next_try_at

    assert (reminder.status, reminder.attempts) == (Status.FAILED, dispatch.MAX_ATTEMPTS)
    assert "Connection refused" in reminder.last_error or "ConnectionRefusedError" in reminder.last_error


def test_a_claim_left_by_a_dead_dispatcher_is_taken_back_after_the_lease(smtp_server, application):
    reminder = _reminder(application)
    claim = dispatch.claim_batch(clock=dispatch.SendClock(NOON))  # ...and the dispatcher dies here
    assert claim.ids == [reminder.pk]

    assert dispatch.dispatch_due(now=NOON + dispatch.lease() - dt.timedelta(seconds=1)).sent == 0
    report = dispatch.dispatch_due(now=NOON + dispatch.lease() + dt.timedelta(seconds=1))

    assert (report.released, report.sent) == (1, 1)
    assert smtp_server.inbox.reminder_ids() == [reminder.pk]


def test_a_dispatcher_whose_claim_was_taken_back_does_not_mark_it_sent(smtp_server, application):
    reminder = _reminder(application)
    stale = dispatch.claim_batch(clock=dispatch.SendClock(NOON))
    dispatch.dispatch_due(now=NOON + dispatch.lease() + dt.timedelta(seconds=1))  # another one sends it

    late = dispatch.send_batch(stale)

    assert late.sent == 0
    assert smtp_server.inbox.reminder_ids() == [reminder.pk]


@pytest.mark.parametrize(
    ("due", "at_work", "senders"), [(0, 0, 0), (1, 0, 1), (45, 0, 3), (500, 0, 4), (500, 3, 1)]
)
def test_the_minute_job_starts_one_sender_per_batch_up_to_one_per_worker_process(
    application, settings, due, at_work, senders
):
    settings.REMINDER_PARALLEL_SENDERS = 4
    for n in range(due + at_work):
        _reminder(application, key=f"due:{n}")
    for _ in range(at_work):  # senders busy with a batch each
        dispatch.claim_batch(clock=dispatch.SendClock(NOON), size=1)

    assert dispatch.senders_needed(now=NOON, batch_size=20) == senders
