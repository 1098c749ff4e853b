"""Thank-you notes: one to each person met, from the reflection, with a tick once it went."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.contacts import balanced, services_thank_you, thank_you
from apps.contacts.models import ContactKind, InterviewParticipant
from apps.reminders import emails
from apps.reminders.models import Kind, Reminder, Status
from tests.contacts.factories import ContactFactory
from tests.helpers import Visitors, assert_only_owner_can_open
from tests.journal.factories import ReflectionFactory
from tests.pipeline.factories import ApplicationFactory, CompanyFactory, InterviewFactory


@pytest.fixture
def interview(owner):
    application = ApplicationFactory(
        owner=owner, company=CompanyFactory(owner=owner, name="Lumen Labs"), role_title="Platform Engineer"
    )
    starts = timezone.now() - dt.timedelta(hours=3)
    return InterviewFactory(application=application, round_number=2, starts_at=starts)


def _meet(
    interview, name: str, *, role=ContactKind.INTERVIEWER, email: str | None = ""
) -> InterviewParticipant:
    """Someone at the interview: a contact with an address, or (email=None) a name only."""
    contact = None
    if email is not None:
        contact = ContactFactory(
            owner=interview.application.owner,
            name=name,
            kind=role,
            email=email or f"{uuid.uuid4().hex[:8]}@x.example",
        )
    return InterviewParticipant.objects.create(interview=interview, contact=contact, name=name, role=role)


def _thank_you_reminder(interview) -> Reminder:
    now = timezone.now()
    return Reminder.objects.create(
        owner=interview.application.owner,
        kind=Kind.THANK_YOU,
        due_at=now,
        next_try_at=now,
        status=Status.SENT,
        application=interview.application,
        interview=interview,
        dedupe_key=f"thank_you:interview:{interview.pk}",
    )


# --- The drafts ------------------------------------------------------------------------


def test_each_person_met_gets_a_note_addressed_to_them_by_name(interview):
    _meet(interview, "Dana Whitfield", email="dana@lumen.example")
    _meet(interview, "Dr Chidi Okafor", role=ContactKind.HIRING_MANAGER, email="chidi@lumen.example")

    notes = thank_you.notes_for(interview)

    assert [note.draft.body.splitlines()[0] for note in notes] == ["Dear Dana,", "Dear Dr Okafor,"]
    assert [note.draft.to for note in notes] == ["dana@lumen.example", "chidi@lumen.example"]
    assert (
        "for the second-round interview for the Platform Engineer role at Lumen Labs" in notes[0].draft.body
    )


def test_the_mail_app_link_is_addressed_to_the_person(interview):
    _meet(interview, "Dana Whitfield", email="dana@lumen.example")

    href = thank_you.notes_for(interview)[0].draft.mailto

    parts = urlsplit(href)
    assert parts.path == "dana@lumen.example"
    assert parse_qs(parts.query)["body"][0].startswith("Dear Dana,")


def test_someone_known_by_name_only_gets_a_note_without_an_address(interview):
    _meet(interview, "Sam from the platform team", email=None)

    note = thank_you.notes_for(interview)[0]

    assert note.draft.body.startswith("Dear Sam,")
    assert not note.has_address and urlsplit(note.draft.mailto).path == ""


def test_the_note_names_the_topic_and_the_one_thing_left_unsaid(interview):
    ReflectionFactory(
        interview=interview,
        went_well="The data contracts discussion",
        to_improve="I forgot to mention the 30% cost saving from the warehouse move.",
    )
    _meet(interview, "Dana Whitfield")

    body = thank_you.notes_for(interview)[0].draft.body

    assert "I enjoyed our conversation about the data contracts discussion." in body
    assert (
        "One thing I did not get to mention on the day: the 30% cost saving from the warehouse move." in body
    )


def test_a_verdict_in_what_went_well_is_not_turned_into_a_topic(interview):
    ReflectionFactory(interview=interview, went_well="The pipeline migration story landed well")
    _meet(interview, "Dana Whitfield")

    body = thank_you.notes_for(interview)[0].draft.body

    assert "landed well" not in body and "conversation about" not in body


@pytest.mark.parametrize(
    ("scores", "expected", "absent"),
    [
        ({"job_score": 5}, "keener still", "remain very interested"),
        ({"job_score": 1}, "Thank you for being so open about the role", "keener"),
        ({"job_score": 4, "confidence": 1}, "I remain very interested in the role", "keener"),
        ({"job_score": 3}, "I would be glad to hear about the next steps", "keener"),
    ],
    ids=["keen", "unsure-about-the-job", "hard-interview", "middling"],
)
def test_the_note_restates_fit_only_as_warmly_as_the_persons_own_scores(interview, scores, expected, absent):
    ReflectionFactory(interview=interview, **scores)
    _meet(interview, "Dana Whitfield")

    body = thank_you.notes_for(interview)[0].draft.body

    assert expected in body and absent not in body


def test_only_the_hiring_manager_hears_about_how_they_run_the_team(interview):
    ReflectionFactory(interview=interview, job_score=4, manager_score=5)
    _meet(interview, "Dana Whitfield")
    _meet(interview, "Chidi Okafor", role=ContactKind.HIRING_MANAGER)

    interviewer, manager = thank_you.notes_for(interview)

    assert "how you run the team" not in interviewer.draft.body
    assert "I especially valued hearing how you run the team." in manager.draft.body


@pytest.mark.parametrize("confidence", [1, 3, 5])
@pytest.mark.parametrize("job_score", [None, 1, 3, 5])
def test_no_drafted_note_is_harder_on_the_writer_than_it_needs_to_be(interview, confidence, job_score):
    ReflectionFactory(
        interview=interview,
        confidence=confidence,
        job_score=job_score,
        manager_score=5,
        warning_signs=["cut_short"] if confidence == 1 else [],
        to_improve="I never got to mention that I led the on-call rota.",
    )
    _meet(interview, "Chidi Okafor", role=ContactKind.HIRING_MANAGER)

    body = thank_you.notes_for(interview)[0].draft.body

    assert balanced.review(body) == []
    assert "my best" not in body and "sorry" not in body.lower()


# --- Editing and ticking -----------------------------------------------------------------


def test_an_edited_note_is_kept_and_the_drafted_text_goes_back_to_the_draft(interview):
    person = _meet(interview, "Dana Whitfield")

    services_thank_you.thank_you_note_save(participant=person, text="Dear Dana,\n\nThanks so much!\n\nOlive")
    note = thank_you.notes_for(interview)[0]
    assert note.edited and note.draft.body == "Dear Dana,\n\nThanks so much!\n\nOlive"

    drafted = thank_you.generated_note(interview, name=person.name, role=person.role).body
    services_thank_you.thank_you_note_save(participant=person, text=drafted + "\n")
    assert not thank_you.notes_for(interview)[0].edited


def test_a_note_that_trips_the_checker_is_kept_and_flagged(interview):
    person = _meet(interview, "Dana Whitfield")

    services_thank_you.thank_you_note_save(
        participant=person, text="Sorry, I completely messed up the design part."
    )

    flags = thank_you.notes_for(interview)[0].flags
    assert [flag.key for flag in flags] == ["messed_up"]


def test_the_reminder_is_done_once_everyone_met_is_ticked_and_not_before(interview):
    dana, chidi = _meet(interview, "Dana Whitfield"), _meet(interview, "Chidi Okafor")
    reminder = _thank_you_reminder(interview)

    assert services_thank_you.thank_you_mark_sent(participant=dana, sent=True) is False
    reminder.refresh_from_db()
    assert reminder.status == Status.SENT

    assert services_thank_you.thank_you_mark_sent(participant=chidi, sent=True) is True
    reminder.refresh_from_db()
    assert reminder.status == Status.DONE


def test_a_second_tick_keeps_the_time_of_the_first_and_an_untick_clears_it(interview):
    dana = _meet(interview, "Dana Whitfield")
    first = timezone.now() - dt.timedelta(hours=1)

    services_thank_you.thank_you_mark_sent(participant=dana, sent=True, now=first)
    services_thank_you.thank_you_mark_sent(participant=dana, sent=True)
    dana.refresh_from_db()
    assert dana.thanked_at == first

    services_thank_you.thank_you_mark_sent(participant=dana, sent=False)
    dana.refresh_from_db()
    assert dana.thanked_at is None


@pytest.mark.django_db(transaction=True)
def test_two_people_ticked_at_the_same_moment_from_two_tabs_still_close_the_reminder(owner):
    application = ApplicationFactory(owner=owner)
    interview = InterviewFactory(application=application, starts_at=timezone.now() - dt.timedelta(hours=3))
    people = [_meet(interview, "Dana Whitfield"), _meet(interview, "Chidi Okafor")]
    reminder = _thank_you_reminder(interview)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def tick(person):
        try:
            start.wait(timeout=10)
            services_thank_you.thank_you_mark_sent(participant=person, sent=True)
        except BaseException as error:  # reported below: a thread's failure is not the test's
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=tick, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    reminder.refresh_from_db()
    assert reminder.status == Status.DONE


# --- The reminder and its email ----------------------------------------------------------


def test_the_reminder_opens_the_thank_you_page(interview):
    reminder = _thank_you_reminder(interview)

    assert reminder.page_path == reverse("contacts:thank_you", args=[interview.pk])


def test_the_email_has_a_note_for_each_person_not_yet_thanked(interview, settings):
    settings.SITE_URL = "https://secondround.example"
    _meet(interview, "Dana Whitfield", email="dana@lumen.example")
    chidi = _meet(interview, "Chidi Okafor", email="chidi@lumen.example")
    services_thank_you.thank_you_mark_sent(participant=chidi, sent=True)

    message = emails.build(_thank_you_reminder(interview))

    assert message.subject == "Thank Dana Whitfield from Lumen Labs: a note is ready"
    assert "Dear Dana," in message.body and "Dear Chidi," not in message.body
    assert "To dana@lumen.example" in message.body
    assert "add the address yourself" not in message.body
    assert f"https://secondround.example/interviews/{interview.pk}/thank-you/" in message.body


def test_with_nobody_named_the_email_has_one_note_for_everyone(interview):
    message = emails.build(_thank_you_reminder(interview))

    assert "You have not listed who you met" in message.body
    assert "Hello,\n\nThank you for meeting me" in message.body


# --- The page ----------------------------------------------------------------------------


def test_only_the_owner_sees_the_thank_you_page(visitors: Visitors, interview):
    _meet(interview, "Dana Whitfield")

    response = assert_only_owner_can_open(visitors, reverse("contacts:thank_you", args=[interview.pk]))

    assert "Dear Dana," in response.content.decode()
    assert "0 of 1 sent" in response.content.decode()


def test_another_persons_note_can_be_neither_edited_nor_ticked(visitors: Visitors, interview):
    dana = _meet(interview, "Dana Whitfield")

    edit = visitors.stranger.post(reverse("contacts:thank_you_note", args=[dana.pk]), {"body": "Hijacked"})
    tick = visitors.stranger.post(reverse("contacts:thank_you_sent", args=[dana.pk]), {"sent": "1"})

    assert (edit.status_code, tick.status_code) == (404, 404)
    dana.refresh_from_db()
    assert dana.thank_you_note == "" and dana.thanked_at is None


def test_htmx_saves_a_note_as_it_is_typed_and_says_so(visitors: Visitors, interview):
    dana = _meet(interview, "Dana Whitfield", email="dana@lumen.example")

    response = visitors.owner.post(
        reverse("contacts:thank_you_note", args=[dana.pk]),
        {"body": "Dear Dana,\n\nThank you for Tuesday.\n\nOlive"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Saved." in page
    assert "Thank%20you%20for%20Tuesday" in page  # the mail link carries the new text
    assert 'id="thank-you-progress"' in page and "hx-swap-oob" in page


def test_a_note_too_long_is_refused_with_words_and_nothing_typed_is_lost(visitors: Visitors, interview):
    dana = _meet(interview, "Dana Whitfield")
    essay = "Thank you. " * 600
    url = reverse("contacts:thank_you_note", args=[dana.pk])

    htmx = visitors.owner.post(url, {"body": essay}, HTTP_HX_REQUEST="true")
    plain = visitors.owner.post(url, {"body": essay})

    assert htmx.status_code == plain.status_code == 400
    assert "more than anyone will read" in htmx.content.decode()
    assert essay.strip() in plain.content.decode()  # the whole page, the text as typed
    dana.refresh_from_db()
    assert dana.thank_you_note == ""


def test_without_script_ticking_goes_back_to_the_person_on_the_page(visitors: Visitors, interview):
    dana = _meet(interview, "Dana Whitfield")
    _thank_you_reminder(interview)

    response = visitors.owner.post(
        reverse("contacts:thank_you_sent", args=[dana.pk]), {"sent": "1"}, follow=True
    )

    assert response.redirect_chain[-1][0].endswith(f"/thank-you/#thank-you-{dana.pk}")
    page = response.content.decode()
    assert "Everyone you met is thanked" in page and "The reminder is done." in page


def test_with_nobody_named_one_tap_marks_the_note_sent(visitors: Visitors, interview):
    reminder = _thank_you_reminder(interview)

    page = visitors.owner.get(reverse("contacts:thank_you", args=[interview.pk])).content.decode()
    assert "Add the people you met" in page and "Hello," in page
    visitors.owner.post(reverse("contacts:thank_you", args=[interview.pk]))

    reminder.refresh_from_db()
    assert reminder.status == Status.DONE


def test_the_page_reads_the_same_number_of_queries_for_two_people_or_eight(visitors: Visitors, interview):
    url = reverse("contacts:thank_you", args=[interview.pk])
    ReflectionFactory(interview=interview)
    for name in ("Dana Whitfield", "Chidi Okafor"):
        _meet(interview, name)
    with CaptureQueriesContext(connection) as two:
        visitors.owner.get(url)
    for number in range(6):
        _meet(interview, f"Panel Member {number}")
    with CaptureQueriesContext(connection) as eight:
        assert "0 of 8 sent" in visitors.owner.get(url).content.decode()

    assert len(eight) == len(two)
