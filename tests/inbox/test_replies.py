"""Replies to reminder emails: "done" closes the reminder, a reply to the reflection prompt is
added to the reflection, and nobody else can use a reminder's reply address."""

from __future__ import annotations

import datetime as dt
import smtplib
import uuid
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY

import pytest
from django.utils import timezone

from apps.inbox import services
from apps.inbox.models import InboundMessage
from apps.journal.models import Reflection
from apps.reminders import emails, links
from apps.reminders.models import Kind, Reminder, Status
from tests.accounts.factories import UserFactory
from tests.helpers import confirm_email
from tests.pipeline.factories import ApplicationFactory, InterviewFactory

pytestmark = pytest.mark.django_db(transaction=True)

QUOTED = """Took the 18:10 home. They asked a lot about on-call.
I think the design part went fine.

On Mon, 7 Dec 2026 at 19:00, Second Round <noreply@secondround.example> wrote:
> How did it go? Write it down while it is fresh.
> Open the form: https://secondround.example/interviews/1/reflect/
"""


@pytest.fixture(autouse=True)
def _replies_on(settings):
    settings.INBOX_DOMAIN = "inbox.test"
    settings.INBOX_REPLIES = True


@pytest.fixture
def seeker():
    user = UserFactory(email="olive@example.com")
    confirm_email(user)
    return user


def _reminder(user, kind: str) -> Reminder:
    interview = InterviewFactory(
        application=ApplicationFactory(owner=user), starts_at=timezone.now() - dt.timedelta(hours=3)
    )
    now = timezone.now()
    return Reminder.objects.create(
        owner=user,
        kind=kind,
        due_at=now,
        next_try_at=now,
        status=Status.SENT,
        application=interview.application,
        interview=interview,
        dedupe_key=f"{kind}:test:{uuid.uuid4()}",
    )


def _reply(port: int, *, sender: str, to: str, text: str) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, "Re: your reminder"
    message.set_content(text)
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.sendmail(sender, [to], message.as_bytes(policy=SMTP_POLICY))


def _read_all() -> None:
    for message_id in InboundMessage.objects.filter(status="received").values_list("pk", flat=True):
        services.read(message_id=message_id)


def test_every_reminder_email_can_be_answered_at_its_own_signed_address(seeker):
    reminder = _reminder(seeker, Kind.THANK_YOU)

    message = emails.build(reminder)
    [reply_to] = message.reply_to

    assert 'reply to this email with the word "done"' in message.body
    assert reply_to == links.reply_address(reminder)
    assert reply_to.startswith(f"r-{reminder.pk}-") and reply_to.endswith("@inbox.test")
    assert links.reminder_replied_to(reply_to.partition("@")[0].upper()) == reminder  # case does not matter


def test_replying_done_marks_the_reminder_done(server, seeker):
    reminder = _reminder(seeker, Kind.THANK_YOU)

    _reply(server, sender=seeker.email, to=links.reply_address(reminder), text="Done! Sent to both of them.")
    _read_all()

    reminder.refresh_from_db()
    assert reminder.status == Status.DONE
    assert "marked done" in InboundMessage.objects.get().outcome


def test_a_reply_to_the_reflection_prompt_is_added_without_the_quoted_email(server, seeker):
    reminder = _reminder(seeker, Kind.REFLECTION_PROMPT)

    _reply(server, sender=seeker.email, to=links.reply_address(reminder), text=QUOTED)
    _read_all()

    reflection = Reflection.objects.get(interview=reminder.interview)
    assert reflection.account == (
        "Took the 18:10 home. They asked a lot about on-call.\nI think the design part went fine."
    )
    assert reflection.status == Reflection.Status.DRAFT and reflection.version == 1
    reminder.refresh_from_db()
    assert reminder.status == Status.SENT  # the reflection is not finished yet: the prompt stays


def test_a_second_reply_adds_to_what_is_there(seeker):
    reminder = _reminder(seeker, Kind.REFLECTION_PROMPT)
    Reflection.objects.create(interview=reminder.interview, account="Typed on the train.", version=3)
    raw = b"From: olive@example.com\r\nSubject: Re\r\n\r\nAnd one more thing: the lift was broken.\r\n"

    message = services.receive(recipient=links.reply_address(reminder), mail_from=seeker.email, raw=raw)
    services.read(message_id=message.pk)

    reflection = Reflection.objects.get(interview=reminder.interview)
    assert reflection.account == "Typed on the train.\n\nAnd one more thing: the lift was broken."
    assert reflection.version == 4


def test_any_other_reply_is_kept_and_changes_nothing(server, seeker):
    reminder = _reminder(seeker, Kind.RECRUITER_DEBRIEF)

    _reply(server, sender=seeker.email, to=links.reply_address(reminder), text="Will call her tomorrow.")
    _read_all()

    reminder.refresh_from_db()
    assert reminder.status == Status.SENT
    assert InboundMessage.objects.get().status == InboundMessage.Status.NOTHING


def test_a_forged_or_altered_reply_address_is_refused(server, seeker):
    reminder = _reminder(seeker, Kind.THANK_YOU)
    genuine = links.reply_address(reminder)
    altered = genuine.replace(f"r-{reminder.pk}-", f"r-{reminder.pk + 1}-")

    for address in (altered, f"r-{reminder.pk}-{'0' * 20}@inbox.test"):
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            _reply(server, sender=seeker.email, to=address, text="done")

    reminder.refresh_from_db()
    assert reminder.status == Status.SENT and not InboundMessage.objects.exists()


def test_someone_else_replying_done_to_a_persons_reminder_is_refused(server, seeker):
    reminder = _reminder(seeker, Kind.THANK_YOU)

    with pytest.raises(smtplib.SMTPDataError) as refused:
        _reply(server, sender="someone@else.example", to=links.reply_address(reminder), text="done")

    assert refused.value.smtp_code == 550
    reminder.refresh_from_db()
    assert reminder.status == Status.SENT


def test_a_reply_whose_reminder_was_deleted_meanwhile_changes_nothing(seeker):
    reminder = _reminder(seeker, Kind.THANK_YOU)
    raw = b"From: olive@example.com\r\nSubject: Re\r\n\r\ndone\r\n"
    message = services.receive(recipient=links.reply_address(reminder), mail_from=seeker.email, raw=raw)
    reminder.application.delete()  # the application, its interview and reminders go

    services.read(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == InboundMessage.Status.NOTHING and "gone" in message.outcome
