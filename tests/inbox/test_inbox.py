"""Email in: a forwarded invitation becomes an interview, its update moves it, its cancellation
cancels it; mail the app cannot use is kept with the reason, never lost."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.contacts.models import Contact, ContactKind
from apps.inbox import services
from apps.inbox.models import MESSAGE_MAX_BYTES, CalendarInvite, InboundMessage
from apps.pipeline import services as pipeline
from apps.reminders.models import Kind, Reminder
from tests.helpers import Visitors, confirm_email
from tests.inbox.invite_mail import LONDON, calendar, forwarded

NEXT_WEEK = (
    (timezone.now() + dt.timedelta(days=7))
    .astimezone(LONDON)
    .replace(hour=10, minute=0, second=0, microsecond=0)
)


@pytest.fixture
def seeker(owner):
    confirm_email(owner)
    return owner


@pytest.fixture
def lumen(seeker):
    application = pipeline.application_create(
        owner=seeker, company_name="Lumen Labs", role_title="Platform Engineer"
    )
    application.company.website = "https://www.lumen.example"
    application.company.save()
    return application


def _deliver(seeker, raw: bytes) -> InboundMessage:
    """As the mail server does: stored first, then read (by the worker, here in the test)."""
    message = services.receive(
        recipient=services.address_for(seeker).address, mail_from=seeker.email, raw=raw
    )
    return services.read(message_id=message.pk)


def _invite(seeker, **fields) -> bytes:
    return forwarded(
        sender=seeker.email,
        to=services.address_for(seeker).address,
        subject=fields.pop("subject", "Fwd: Invitation: Second interview"),
        ics=calendar(**fields),
    )


# --- Reading invitations --------------------------------------------------------------------


def test_a_forwarded_invitation_becomes_an_interview_with_its_people_and_reminders(seeker, lumen):
    raw = _invite(
        seeker,
        starts=NEXT_WEEK,
        attendees=(("Dana Whitfield", "dana@lumen.example"), ("Olive", seeker.email)),
        location="https://meet.example.com/abc-defg",
    )

    message = _deliver(seeker, raw)

    assert message.status == InboundMessage.Status.DONE, message.outcome
    interview = message.interview
    assert interview.application == lumen
    assert interview.starts_at == NEXT_WEEK and interview.ends_at == NEXT_WEEK + dt.timedelta(hours=1)
    assert interview.location == "https://meet.example.com/abc-defg"
    # The organiser and the guest, not the person themself; each a contact with an address.
    assert sorted(p.name for p in interview.participants.all()) == ["Dana Whitfield", "Priya Raman"]
    assert Contact.objects.get(owner=seeker, email="dana@lumen.example").kind == ContactKind.INTERVIEWER
    kinds = set(Reminder.objects.filter(interview=interview).values_list("kind", flat=True))
    assert {Kind.THANK_YOU, Kind.PREP_REVIEW} <= kinds
    assert "is scheduled for" in message.outcome


def test_an_update_moves_the_interview_and_an_older_one_changes_nothing(seeker, lumen):
    first = _deliver(seeker, _invite(seeker, starts=NEXT_WEEK, sequence=0))
    later = NEXT_WEEK + dt.timedelta(days=1, hours=4)

    moved = _deliver(seeker, _invite(seeker, starts=later, sequence=2, subject="Updated invitation"))
    stale = _deliver(seeker, _invite(seeker, starts=NEXT_WEEK, sequence=1, subject="Invitation"))

    interview = first.interview
    interview.refresh_from_db()
    assert interview.starts_at == later
    assert "moved to the new time" in moved.outcome
    assert "older version" in stale.outcome
    assert lumen.interviews.count() == 1
    thank_you = Reminder.objects.get(interview=interview, kind=Kind.THANK_YOU)
    assert thank_you.due_at > later


def test_a_cancellation_cancels_the_interview_and_its_reminders(seeker, lumen):
    first = _deliver(seeker, _invite(seeker, starts=NEXT_WEEK))

    _deliver(seeker, _invite(seeker, starts=NEXT_WEEK, method="CANCEL", sequence=1, subject="Cancelled"))

    first.interview.refresh_from_db()
    assert first.interview.is_cancelled
    assert not Reminder.objects.filter(interview=first.interview, status="pending").exists()


def test_the_same_invitation_forwarded_twice_makes_one_interview(seeker, lumen):
    raw = _invite(seeker, starts=NEXT_WEEK)

    _deliver(seeker, raw)
    again = _deliver(seeker, raw)

    assert lumen.interviews.count() == 1 and CalendarInvite.objects.count() == 1
    assert "already here" in again.outcome


def test_a_message_read_twice_is_read_once(seeker, lumen):
    message = services.receive(
        recipient=services.address_for(seeker).address,
        mail_from=seeker.email,
        raw=_invite(seeker, starts=NEXT_WEEK),
    )

    services.read(message_id=message.pk)
    services.read(message_id=message.pk)

    assert lumen.interviews.count() == 1


@pytest.mark.parametrize(
    ("how", "fields"),
    [
        ("a known person on the panel", {"organiser": ("Rita", "rita@agency.example")}),
        ("the organiser's company domain", {"organiser": ("Priya", "priya@careers.lumen.example")}),
        ("the company's name in the subject", {"organiser": ("Priya", "priya@gmail.com")}),
    ],
)
def test_the_invitation_finds_its_application(seeker, lumen, how, fields):
    pipeline.application_create(owner=seeker, company_name="Globex", role_title="Data Engineer")
    rita = Contact.objects.create(
        owner=seeker, name="Rita", email="rita@agency.example", kind="recruiter_agency"
    )
    lumen.contact_links.create(contact=rita)
    subject = "Interview with Lumen Labs" if "subject" in how else "Interview"

    message = _deliver(
        seeker, _invite(seeker, starts=NEXT_WEEK, subject=subject, summary="Interview", **fields)
    )

    assert message.status == InboundMessage.Status.DONE, how
    assert message.interview.application == lumen


def test_when_the_application_is_not_clear_the_person_chooses_it(seeker, lumen, visitors: Visitors):
    globex = pipeline.application_create(owner=seeker, company_name="Globex", role_title="Data Engineer")
    raw = _invite(
        seeker, starts=NEXT_WEEK, organiser=("Sam", "sam@gmail.com"), summary="Chat", subject="Chat"
    )

    message = _deliver(seeker, raw)
    assert message.status == InboundMessage.Status.CHOOSE and message.interview is None
    page = visitors.owner.get(reverse("inbox:inbox")).content.decode()
    assert "Which application is this invitation for?" in page

    visitors.owner.post(
        reverse("inbox:message", args=[message.pk]), {"action": "choose", "application": globex.pk}
    )

    message.refresh_from_db()
    assert message.status == InboundMessage.Status.DONE
    assert message.interview.application == globex


def test_mail_without_an_invitation_suggests_the_time_it_names(seeker, lumen, visitors: Visitors):
    raw = forwarded(
        sender=seeker.email,
        to=services.address_for(seeker).address,
        subject="Re: next steps",
        text=f"Could you do {NEXT_WEEK:%A %-d %B} at 14:00 with the team?",
    )

    message = _deliver(seeker, raw)

    assert message.status == InboundMessage.Status.SUGGESTED, message.outcome
    assert message.suggested_start is not None
    visitors.owner.post(
        reverse("inbox:message", args=[message.pk]), {"action": "confirm", "application": lumen.pk}
    )
    message.refresh_from_db()
    assert message.status == InboundMessage.Status.DONE and message.interview.application == lumen


def test_a_message_that_cannot_be_read_is_kept_with_the_reason_and_can_be_tried_again(
    seeker, lumen, visitors: Visitors
):
    garbage = b"\x00\xff this is not an email at all"
    message = services.receive(
        recipient=services.address_for(seeker).address, mail_from=seeker.email, raw=garbage
    )

    services.read(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == InboundMessage.Status.FAILED
    assert "doesn't look like an email" in message.outcome
    assert bytes(message.raw) == garbage  # kept whole, to be tried again
    page = visitors.owner.get(reverse("inbox:inbox")).content.decode()
    assert "look like an email" in page and "Try again" in page
    visitors.owner.post(reverse("inbox:message", args=[message.pk]), {"action": "retry"})
    message.refresh_from_db()
    assert message.status == InboundMessage.Status.RECEIVED


def test_a_calendar_of_ten_thousand_events_is_read_in_part_and_says_so(seeker, lumen):
    import icalendar

    cal = icalendar.Calendar.from_ical(calendar(starts=NEXT_WEEK))
    template = cal.walk("VEVENT")[0]
    for number in range(10_000):
        copy = icalendar.Event.from_ical(template.to_ical())
        copy["UID"] = f"flood-{number}@calendar.example"
        cal.add_component(copy)
    address = services.address_for(seeker).address
    raw = forwarded(sender=seeker.email, to=address, subject="Lumen Labs", ics=cal.to_ical(), attach=False)

    message = _deliver(seeker, raw)

    assert message.status == InboundMessage.Status.DONE
    assert lumen.interviews.count() == services.INVITES_PER_MESSAGE
    assert "only the first" in message.outcome


# --- At the door -----------------------------------------------------------------------------


def _send(port: int, *, mail_from: str, to: str, raw: bytes) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.sendmail(mail_from, [to], raw)


def test_mail_to_an_unknown_address_is_refused_before_its_body_is_sent(server, seeker):
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        _send(server, mail_from=seeker.email, to="nobody@inbox.test", raw=b"Subject: hi\r\n\r\nhello")

    [(code, _)] = refused.value.recipients.values()
    assert code == 550
    assert not InboundMessage.objects.exists()


def test_mail_from_a_stranger_is_refused_unless_the_person_allows_any_sender(server, seeker):
    address = services.address_for(seeker).address
    raw = b"Subject: hi\r\n\r\nhello"

    with pytest.raises(smtplib.SMTPDataError) as refused:
        _send(server, mail_from="spammer@example.net", to=address, raw=raw)
    assert refused.value.smtp_code == 550

    services.address_set_any_sender(user=seeker, any_sender=True)
    _send(server, mail_from="spammer@example.net", to=address, raw=raw)
    assert InboundMessage.objects.get().mail_from == "spammer@example.net"


def test_a_message_too_big_is_refused_and_nothing_is_stored(server, seeker):
    body = b"Subject: big\r\n\r\n" + (b"x" * 998 + b"\r\n") * (MESSAGE_MAX_BYTES // 1000 + 10)

    with pytest.raises((smtplib.SMTPDataError, smtplib.SMTPSenderRefused, smtplib.SMTPServerDisconnected)):
        _send(server, mail_from=seeker.email, to=services.address_for(seeker).address, raw=body)

    assert not InboundMessage.objects.exists()


def test_a_regenerated_address_refuses_mail_to_the_old_one(server, seeker):
    old = services.address_for(seeker).address
    new = services.address_regenerate(user=seeker).address

    with pytest.raises(smtplib.SMTPRecipientsRefused):
        _send(server, mail_from=seeker.email, to=old, raw=b"Subject: hi\r\n\r\nhello")
    _send(server, mail_from=seeker.email, to=new, raw=b"Subject: hi\r\n\r\nhello")

    assert InboundMessage.objects.count() == 1


def test_a_flood_is_told_to_come_back_later(server, seeker):
    address = services.address_for(seeker).address
    now = timezone.now()
    InboundMessage.objects.bulk_create(
        InboundMessage(owner=seeker, received_at=now, raw=b"x", size=1)
        for _ in range(services.MESSAGES_PER_HOUR)
    )

    with pytest.raises(smtplib.SMTPDataError) as refused:
        _send(server, mail_from=seeker.email, to=address, raw=b"Subject: one more\r\n\r\nhello")

    assert refused.value.smtp_code == 451


# --- The page --------------------------------------------------------------------------------


def test_the_inbox_page_shows_the_address_and_only_the_persons_own_mail(visitors: Visitors, seeker, lumen):
    _deliver(seeker, _invite(seeker, starts=NEXT_WEEK))
    address = services.address_for(seeker).address

    mine = visitors.owner.get(reverse("inbox:inbox")).content.decode()
    theirs = visitors.stranger.get(reverse("inbox:inbox")).content.decode()

    assert address in mine and "Fwd: Invitation: Second interview" in mine
    assert address not in theirs and "Second interview" not in theirs
    assert visitors.anonymous.get(reverse("inbox:inbox")).status_code == 302


def test_another_persons_message_cannot_be_acted_on(visitors: Visitors, seeker, lumen):
    message = _deliver(seeker, _invite(seeker, starts=NEXT_WEEK, organiser=("S", "s@gmail.com"), subject="x"))

    response = visitors.stranger.post(
        reverse("inbox:message", args=[message.pk]), {"action": "choose", "application": lumen.pk}
    )

    assert response.status_code == 404


def test_the_settings_page_shows_the_persons_own_forwarding_address(visitors: Visitors, seeker):
    mine = services.address_for(seeker).address

    page = visitors.owner.get(reverse("accounts:settings")).content.decode()
    theirs = visitors.stranger.get(reverse("accounts:settings")).content.decode()

    assert mine in page and mine not in theirs
    assert services.address_for(visitors.stranger_user).address in theirs
