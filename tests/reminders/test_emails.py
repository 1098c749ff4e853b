"""What a person finds in each reminder email."""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core.mail import EmailMultiAlternatives
from django.urls import resolve, reverse
from django.utils import timezone

from apps.journal.models import Lesson
from apps.journal.reminder_kinds import highlight_from
from apps.reminders import api, emails, kinds, links
from apps.reminders.models import Kind, Reminder
from tests.accounts.factories import UserFactory
from tests.journal.factories import LessonFactory, ReflectionFactory
from tests.pipeline.factories import ApplicationFactory, CompanyFactory, InterviewFactory

pytestmark = pytest.mark.django_db

SITE = "https://secondround.example"
# 19:00 UTC in January is 14:00 in New York (EST, UTC-5).
INTERVIEW_AT = dt.datetime(2030, 1, 15, 19, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def seeker(db):
    return UserFactory(
        email="ada@example.com", first_name="Ada", last_name="Byron", time_zone="America/New_York"
    )


@pytest.fixture
def interview(seeker):
    application = ApplicationFactory(
        owner=seeker,
        company=CompanyFactory(owner=seeker, name="Lumen Labs"),
        role_title="Platform Engineer",
        decision_expected_on=dt.date(2030, 1, 24),
    )
    return InterviewFactory(
        application=application,
        round_number=2,
        starts_at=INTERVIEW_AT,
        ends_at=INTERVIEW_AT + dt.timedelta(hours=1),
        location="12 Harbour Street",
    )


def _reminder(kind: str, *, interview=None, application=None, owner=None) -> Reminder:
    application = application or interview.application
    due = timezone.now()
    reminder = Reminder.objects.create(
        owner=owner or application.owner,
        kind=kind,
        due_at=due,
        next_try_at=due,
        application=application,
        interview=interview,
        dedupe_key=f"{kind}:test:{uuid.uuid4()}",
    )
    # As the dispatcher loads it.
    return Reminder.objects.select_related(
        "owner", "application__company", "interview__application__company"
    ).get(pk=reminder.pk)


def _html(message: EmailMultiAlternatives) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def _mailto(message: EmailMultiAlternatives) -> str:
    [href] = re.findall(r'href="(mailto:[^"]*)"', _html(message))
    return html.unescape(href)


# The kinds about one application or interview; those about the whole search are checked in
# tests/pipeline/test_keep_searching.py.
ABOUT_ONE_ROW = [kind for kind in Kind.values if kinds.about(kind) != kinds.ACCOUNT]


@pytest.mark.parametrize("kind", ABOUT_ONE_ROW)
def test_every_kind_of_reminder_makes_a_complete_email_to_its_owner(kind, interview, settings):
    reminder = _reminder(kind, interview=interview)

    message = emails.build(reminder)

    text, page = message.body, _html(message)
    assert message.to == ["ada@example.com"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject and "\n" not in message.subject
    assert message.extra_headers["X-Second-Round-Reminder"] == str(reminder.pk)
    assert message.extra_headers["List-Unsubscribe"] == f"<{SITE}{reverse('accounts:settings')}>"
    assert "Lumen Labs" in text.splitlines()[0]
    assert "Platform Engineer at Lumen Labs" in text
    assert "Lumen Labs" in page and page.lstrip().startswith("<!doctype html>")
    for part in (text, page, message.subject):
        assert "None" not in part and "{{" not in part and "{%" not in part
    message.message()  # the headers and parts make a valid MIME message


def test_each_kind_has_its_own_first_line(interview):
    first_lines = {
        kind: emails.build(_reminder(kind, interview=interview)).body.splitlines()[0] for kind in Kind.values
    }

    assert len(set(first_lines.values())) == len(Kind.values)


def test_the_reminders_an_interview_brings_all_build(interview):
    with time_machine.travel(INTERVIEW_AT - dt.timedelta(days=2), tick=False):
        reminders = api.schedule_about(what="interview", about=interview)

    assert {reminder.kind for reminder in reminders} == {
        Kind.PREP_REVIEW,
        Kind.THANK_YOU,
        Kind.RECRUITER_DEBRIEF,
        Kind.REFLECTION_PROMPT,
    }
    for reminder in reminders:
        assert emails.build(reminder).extra_headers["X-Second-Round-Reminder"] == str(reminder.pk)


def test_times_are_shown_in_the_owners_time_zone(interview):
    message = emails.build(_reminder(Kind.PREP_REVIEW, interview=interview))

    assert "14:00" in message.subject
    assert "Tuesday 15 January at 14:00 (America/New_York)" in message.body
    assert "14:00" in _html(message)
    assert "19:00" not in message.body + _html(message) + message.subject


def test_the_thank_you_draft_names_the_company_role_and_round(interview):
    message = emails.build(_reminder(Kind.THANK_YOU, interview=interview))

    assert "for the second-round interview for the Platform Engineer role at Lumen Labs" in message.body
    assert "Thank you for meeting me on Tuesday" in message.body
    assert "Ada Byron" in message.body
    assert "showed my best" not in message.body


def test_the_thank_you_draft_mentions_what_went_well(interview):
    ReflectionFactory(interview=interview, went_well="The system design question. Also the team lunch.")

    message = emails.build(_reminder(Kind.THANK_YOU, interview=interview))

    assert "I enjoyed our conversation about the system design question." in message.body


def test_a_hard_interview_gets_a_warm_note_that_never_runs_the_writer_down(interview):
    ReflectionFactory(interview=interview, confidence=1, went_well="")

    message = emails.build(_reminder(Kind.THANK_YOU, interview=interview))

    # The employer reads the note; only the person reads the lead.
    assert "showed my best" not in message.body
    assert "I remain very interested in the role" in message.body
    assert "even though the interview felt hard" in message.body.splitlines()[0]
    assert "No need to apologise for the interview" in _html(message)


def test_more_warning_signs_than_good_ones_also_gets_the_honest_note(interview):
    ReflectionFactory(
        interview=interview,
        confidence=4,
        good_signs=["ran_long"],
        warning_signs=["cut_short", "awkward_close"],
    )

    assert "I remain very interested" in emails.build(_reminder(Kind.THANK_YOU, interview=interview)).body


def test_the_thank_you_mailto_link_carries_the_draft_url_encoded(interview):
    company = interview.application.company
    company.name = "Black & White Ltd"
    company.save()
    reminder = _reminder(Kind.THANK_YOU, interview=interview)

    href = _mailto(emails.build(reminder))

    parts = urlsplit(href)
    assert parts.scheme == "mailto" and parts.path == ""
    assert " " not in href and "\n" not in href and "+" not in href
    fields = parse_qs(parts.query, strict_parsing=True)
    assert set(fields) == {"subject", "body"}
    assert fields["subject"] == ["Thank you: Platform Engineer interview"]
    body = fields["body"][0]
    assert "role at Black & White Ltd." in body
    assert "\r\n\r\nBest regards,\r\nAda Byron" in body


def test_a_company_name_with_markup_is_escaped_in_the_html_part(interview):
    company = interview.application.company
    company.name = "<script>alert('x')</script> Corp"
    company.save()
    ReflectionFactory(interview=interview, went_well="<b>The</b> design question")

    for kind in ABOUT_ONE_ROW:
        page = _html(emails.build(_reminder(kind, interview=interview)))
        assert "<script>" not in page and "<b>" not in page
        assert "&lt;script&gt;" in page


def test_the_text_part_keeps_apostrophes_as_they_are(interview):
    company = interview.application.company
    company.name = "O'Neill's Bakery"
    company.save()

    message = emails.build(_reminder(Kind.FOLLOW_UP, interview=interview))

    assert "O'Neill's Bakery" in message.body
    assert "O'Neill's Bakery" in message.subject
    assert "&#x27;" not in message.body + message.subject


def test_the_recruiter_debrief_lists_what_to_say_and_passes_on_good_signs(interview):
    ReflectionFactory(interview=interview, confidence=4, good_signs=["ran_long", "next_steps_clear"])

    text = emails.build(_reminder(Kind.RECRUITER_DEBRIEF, interview=interview)).body

    assert "Ask for any feedback Lumen Labs passes on" in text
    assert "Ask when you can expect to hear" in text
    assert "It ran longer than planned; The next steps were made clear" in text
    assert "keep it balanced" not in text


def test_the_recruiter_debrief_after_a_hard_interview_suggests_balanced_words(interview):
    ReflectionFactory(interview=interview, confidence=2)

    text = emails.build(_reminder(Kind.RECRUITER_DEBRIEF, interview=interview)).body

    assert "keep it balanced" in text
    assert "without running yourself down" in text


def test_the_reflection_prompt_links_to_the_reflection_form(interview):
    text = emails.build(_reminder(Kind.REFLECTION_PROMPT, interview=interview)).body

    assert f"Write it here: {SITE}{reverse('journal:reflect', args=[interview.pk])}" in text


def test_the_prep_review_lists_open_lessons_and_links_to_the_application(interview, seeker):
    for number in range(6):
        LessonFactory(owner=seeker, text=f"Open lesson {number}")
    LessonFactory(owner=seeker, text="Already practised", status=Lesson.Status.PRACTISED)
    LessonFactory(text="Someone else's lesson")

    message = emails.build(_reminder(Kind.PREP_REVIEW, interview=interview))

    assert len(re.findall(r"^- Open lesson \d$", message.body, re.MULTILINE)) == 5
    assert "Already practised" not in message.body
    assert "Someone else" not in message.body
    assert _html(message).count("<li>Open lesson") == 5
    application_url = SITE + reverse("pipeline:application_detail", args=[interview.application_id])
    assert application_url in message.body
    assert "Where: 12 Harbour Street" in message.body


def test_the_follow_up_names_the_promised_date_and_suggests_a_message(interview):
    message = emails.build(_reminder(Kind.FOLLOW_UP, application=interview.application))

    assert "said you would hear by Thursday 24 January" in message.body.splitlines()[0]
    assert "a decision on the Platform Engineer role by Thursday 24 January" in message.body
    assert _mailto(message).startswith("mailto:?subject=Checking%20in%3A%20Platform%20Engineer&body=")


def test_the_nudge_suggests_a_check_in_and_keeping_others_moving(interview, seeker):
    ApplicationFactory(owner=seeker, stage="screening")
    ApplicationFactory(owner=seeker, stage="rejected")
    ApplicationFactory(owner=seeker, archived=True)

    text = emails.build(_reminder(Kind.NUDGE, application=interview.application)).body

    assert "quiet for two weeks" in text.splitlines()[0]
    assert "I wanted to check in on my application for the Platform Engineer role" in text
    assert "You have 1 other application in play" in text


@pytest.mark.parametrize("kind", [Kind.REFERENCE_HEADS_UP, Kind.REFERENCE_THANKS])
def test_reference_emails_work_without_an_application(kind, seeker):
    due = timezone.now()
    reminder = Reminder.objects.create(
        owner=seeker, kind=kind, due_at=due, next_try_at=due, dedupe_key=f"{kind}:loose"
    )

    message = emails.build(reminder)

    assert message.subject.startswith(("Give your referees a heads-up", "Thank your referee"))
    assert "mailto:?subject=" in message.body
    assert "None" not in message.body + _html(message)


def test_every_link_in_the_email_is_absolute_and_signed_for_this_reminder(interview):
    reminder = _reminder(Kind.THANK_YOU, interview=interview)

    message = emails.build(reminder)

    urls = re.findall(r"https?://\S+", message.body)
    assert urls and all(url.startswith(SITE + "/") for url in urls)
    hrefs = re.findall(r'href="(http[^"]+)"', _html(message))
    assert hrefs and all(href.startswith(SITE + "/") for href in hrefs)
    matches = [resolve(url.removeprefix(SITE)) for url in urls]
    tokens = [match.kwargs["token"] for match in matches if match.view_name == "reminders:reminder_link"]
    assert sorted(links.read_token(token) for token in tokens) == sorted(
        (reminder.pk, action) for action in links.ACTIONS
    )


@pytest.mark.parametrize(
    ("went_well", "highlight"),
    [
        ("The system design question.", "the system design question"),
        ("- Kubernetes questions\n- the walk around the office", "Kubernetes questions"),
        ("I explained my migration project clearly", ""),
        # A verdict, not a topic: "our conversation about the migration story landed well" reads wrong.
        ("The pipeline migration story landed well", ""),
        ("The whiteboard exercise went smoothly", ""),
        ("", ""),
        ("x" * 150, ""),
    ],
)
def test_what_went_well_becomes_a_topic_the_note_can_name(went_well, highlight):
    assert highlight_from(went_well) == highlight


def test_the_reference_heads_up_names_the_referee_and_is_addressed_to_them(owner):
    from urllib.parse import unquote

    from apps.contacts import services as contacts
    from apps.pipeline import services as pipeline_services
    from tests.contacts.factories import ContactFactory

    referee = ContactFactory(owner=owner, kind="referee", name="Rosa Okafor", email="rosa@example.com")
    application = pipeline_services.application_create(
        owner=owner, company_name="Umbrella", role_title="Lead"
    )
    pipeline_services.application_move_stage(application=application, to_stage="second_interview")
    contacts.reference_add(application=application, referee=referee, what_to_stress="the migration I led")
    reminder = Reminder.objects.get(kind="reference_heads_up")

    message = emails.build(reminder)

    text = message.body
    assert "Let Rosa Okafor know that Umbrella may call soon" in text
    assert "Hello Rosa Okafor," in text
    assert "the migration I led" in unquote(text)
    assert "mailto:rosa@example.com?" in text
