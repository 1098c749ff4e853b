"""The recruiter debrief page: prepare what to say, check the wording, log it."""

import datetime as dt
import threading
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape

from apps.contacts import selectors, services
from apps.contacts.balanced import RULES
from apps.contacts.models import ApplicationContact, ContactKind, Interaction
from apps.pipeline import services as pipeline
from apps.reminders.models import Kind, Reminder, Status
from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory
from tests.helpers import assert_only_owner_can_open, assert_redirects_to_login
from tests.journal.factories import ReflectionFactory
from tests.pipeline.factories import ApplicationFactory, CompanyFactory, InterviewFactory

pytestmark = pytest.mark.django_db

HARSH = "I completely messed up the coding task."
BALANCED = "One question caught me off guard; next time I will take a moment before answering."
MESSED_UP = next(rule for rule in RULES if rule.key == "messed_up")


@pytest.fixture
def application(owner):
    return ApplicationFactory(
        owner=owner, company=CompanyFactory(owner=owner, name="Acme Robotics"), role_title="Platform Engineer"
    )


@pytest.fixture
def interview(application):
    """An interview that ended an hour ago, scheduled as the app does, so its reminders exist."""
    ended = timezone.now() - dt.timedelta(hours=1)
    return pipeline.interview_schedule(
        application=application, starts_at=ended - dt.timedelta(hours=1), ends_at=ended
    )


@pytest.fixture
def recruiter(owner):
    return ContactFactory(owner=owner, name="Anna Berg", kind=ContactKind.RECRUITER_AGENCY)


def _url(interview) -> str:
    return reverse("contacts:debrief", args=[interview.pk])


def _check_url(interview) -> str:
    return reverse("contacts:debrief_check", args=[interview.pk])


def _answers(**overrides) -> dict:
    answers = {
        "recruiter": "",
        "how_it_went": BALANCED,
        "enthusiasm": "keen",
        "questions": ["feedback", "news"],
        "extra_questions": "",
        "channel": "call",
    }
    return {**answers, **overrides}


def _textarea_text(response, name: str = "how_it_went") -> str:
    html = response.content.decode()
    start = html.index(f'name="{name}"')
    start = html.index(">", start) + 1
    return html[start : html.index("</textarea>", start)]


def _when(debrief: Interaction) -> str:
    """A debrief's time as the owner (Europe/London) reads it on the page."""
    return formats.date_format(debrief.happened_at.astimezone(ZoneInfo("Europe/London")), r"l j F \a\t H:i")


def _text(response) -> str:
    return response.content.decode()


def _log(interview, recruiter=None, how_it_went: str = BALANCED, **choice) -> Interaction:
    debrief, _ = services.debrief_log(
        owner=interview.application.owner,
        interview=interview,
        script=f"Hi,\n\n{how_it_went}",
        recruiter=recruiter,
        channel="call",
        **choice,
    )
    return debrief


# --- Who may open it -------------------------------------------------------------


def test_only_the_owner_can_open_the_debrief_page(visitors, interview):
    response = assert_only_owner_can_open(visitors, _url(interview))

    assert b"Debrief with your recruiter" in response.content


def test_only_the_owner_can_check_the_wording(visitors, interview):
    url = _check_url(interview)

    assert_redirects_to_login(visitors.anonymous.post(url, _answers()))
    assert visitors.stranger.post(url, _answers()).status_code == 404
    assert visitors.owner.post(url, _answers()).status_code == 200
    assert visitors.owner.get(url).status_code == 405


def test_a_stranger_cannot_log_a_debrief_on_someone_elses_interview(visitors, interview):
    response = visitors.stranger.post(_url(interview), _answers())

    assert response.status_code == 404
    assert not Interaction.objects.exists()


# --- What the page offers ----------------------------------------------------------


def test_the_page_starts_from_the_reflection_notes(visitors, interview):
    ReflectionFactory(
        interview=interview, went_well="The system design question.", to_improve="Slow down on SQL."
    )

    response = visitors.owner.get(_url(interview))

    text = _textarea_text(response)
    assert "What went well: The system design question." in text
    assert "What I will do differently next time: Slow down on SQL." in text


def test_the_script_greets_the_recruiter_already_on_the_application(visitors, interview, recruiter):
    ApplicationContact.objects.create(
        application=interview.application, contact=recruiter, role=recruiter.kind
    )

    response = visitors.owner.get(_url(interview))

    script = response.context["script"]
    assert script.startswith("Hi Anna,")
    assert "round 1 with Acme Robotics for the Platform Engineer role" in script
    assert "Could you ask them for feedback, whatever the outcome?" in script
    assert "When should I expect to hear from them?" in script
    assert "What I'll say" in response.content.decode()


def test_only_my_recruiters_are_offered(visitors, interview, recruiter, stranger):
    ContactFactory(owner=visitors.owner_user, name="Ivan Interviewer", kind=ContactKind.INTERVIEWER)
    ContactFactory(owner=stranger, name="Sara Elsewhere", kind=ContactKind.RECRUITER_IN_HOUSE)

    html = visitors.owner.get(_url(interview)).content.decode()

    assert "Anna Berg" in html
    assert "I&#x27;ll pick later" in html
    assert "Ivan Interviewer" not in html
    assert "Sara Elsewhere" not in html


def test_a_harsh_reflection_is_flagged_as_soon_as_the_page_opens(visitors, interview):
    ReflectionFactory(interview=interview, went_well="", to_improve="Honestly, I blew it.")

    response = visitors.owner.get(_url(interview))

    assert [flag.key for flag in response.context["flags"]] == ["messed_up"]
    assert b"Send it as it is" in response.content


# --- The wording check ---------------------------------------------------------------


def test_the_wording_check_suggests_a_reframe_for_a_harsh_phrase(visitors, interview):
    response = visitors.owner.post(
        _check_url(interview),
        _answers(how_it_went="I completely messed up the coding task"),
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "<mark>I completely messed up</mark>" in html
    assert escape(MESSED_UP.suggestion) in html
    assert "Send it as it is" in html
    assert "Reads balanced" not in html


def test_the_wording_check_says_when_a_text_reads_balanced(visitors, interview):
    response = visitors.owner.post(_check_url(interview), _answers(), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "Reads balanced" in html
    assert "<mark>" not in html
    assert "Send it as it is" not in html


def test_a_habit_said_with_always_reads_balanced_and_a_harsh_absolute_gets_its_reframe(visitors, interview):
    fine = visitors.owner.post(
        _check_url(interview), _answers(how_it_went="I always write tests first."), HTTP_HX_REQUEST="true"
    )
    harsh = visitors.owner.post(
        _check_url(interview),
        _answers(how_it_went="I always freeze on system design."),
        HTTP_HX_REQUEST="true",
    )

    assert "Reads balanced" in _text(fine)
    assert "<mark>" not in _text(fine)
    always = next(rule for rule in RULES if rule.key == "always")
    assert "I <mark>always freeze</mark> on system design." in _text(harsh)
    assert escape(always.suggestion) in _text(harsh)


def test_the_wording_check_refreshes_the_script_alongside(visitors, interview, recruiter):
    response = visitors.owner.post(
        _check_url(interview),
        _answers(recruiter=recruiter.pk, enthusiasm="very_keen", questions=["salary"]),
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert 'id="debrief-script"' in html and 'hx-swap-oob="true"' in html
    assert "Hi Anna," in html
    assert "I am very keen on this role" in html
    assert "Do you know the salary range they have in mind?" in html


def test_checking_the_wording_without_script_shows_the_page_and_saves_nothing(visitors, interview):
    response = visitors.owner.post(_check_url(interview), _answers(how_it_went=HARSH, enthusiasm="unsure"))

    assert response.status_code == 200
    assert b"<html" in response.content
    assert _textarea_text(response) == escape(HARSH)
    assert [flag.key for flag in response.context["flags"]] == ["messed_up"]
    # A draft is not judged yet: no "required" errors while checking.
    assert not response.context["form"].errors
    assert not Interaction.objects.exists()


# --- Logging the debrief ----------------------------------------------------------------


def test_a_flagged_debrief_is_held_back_once_with_every_answer_kept(visitors, interview, recruiter):
    answers = _answers(
        recruiter=recruiter.pk,
        how_it_went=HARSH,
        enthusiasm="unsure",
        questions=["next_steps"],
        extra_questions="Is the role hybrid?",
        channel="email",
    )

    response = visitors.owner.post(_url(interview), answers)

    html = response.content.decode()
    assert response.status_code == 400
    assert "<mark>I completely messed up</mark>" in html
    assert escape(MESSED_UP.suggestion) in html
    assert "tick this box to send it as it is" in html
    assert _textarea_text(response) == escape(HARSH)
    assert _textarea_text(response, "extra_questions") == "Is the role hybrid?"
    assert f'value="{recruiter.pk}" selected' in html
    assert 'value="unsure"\n                       id="id_enthusiasm_2" checked' in html
    assert 'value="next_steps"' in html and response.context["form"]["questions"].value() == ["next_steps"]
    assert 'value="email"\n                       id="id_channel_1" checked' in html
    assert not Interaction.objects.exists()


def test_sending_it_as_it_is_logs_the_debrief_and_ticks_off_the_reminder(visitors, interview, recruiter):
    reminder = Reminder.objects.get(interview=interview, kind=Kind.RECRUITER_DEBRIEF)
    assert reminder.status == Status.PENDING

    response = visitors.owner.post(
        _url(interview),
        _answers(recruiter=recruiter.pk, how_it_went=HARSH, send_as_is="on", channel="message"),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("pipeline:application_detail", args=[interview.application_id])
    debrief = Interaction.objects.get()
    assert debrief.is_debrief
    assert debrief.owner == visitors.owner_user
    assert debrief.application == interview.application
    assert debrief.contact == recruiter
    assert debrief.channel == "message"
    assert debrief.summary.startswith("Hi Anna,")
    assert HARSH in debrief.summary
    reminder.refresh_from_db()
    assert reminder.status == Status.DONE
    assert ApplicationContact.objects.filter(application=interview.application, contact=recruiter).exists()


def test_a_balanced_debrief_is_logged_straight_away_with_a_thank_you_message(visitors, interview, recruiter):
    response = visitors.owner.post(_url(interview), _answers(recruiter=recruiter.pk), follow=True)

    assert response.status_code == 200
    assert "Debrief with Anna Berg logged with this application." in response.content.decode()
    debrief = Interaction.objects.get()
    assert BALANCED in debrief.summary
    assert "I am keen on the role" in debrief.summary


def test_the_recruiter_can_be_picked_later(visitors, interview):
    response = visitors.owner.post(_url(interview), _answers(recruiter=""))

    assert response.status_code == 302
    debrief = Interaction.objects.get()
    assert debrief.contact is None
    assert debrief.summary.startswith("Hi,")
    assert Reminder.objects.get(interview=interview, kind=Kind.RECRUITER_DEBRIEF).status == Status.DONE


def test_a_double_submit_logs_one_debrief(visitors, interview):
    first = visitors.owner.post(_url(interview), _answers())
    second = visitors.owner.post(_url(interview), _answers(), follow=True)

    assert first.status_code == 302
    debrief = Interaction.objects.get()
    assert f"This debrief was logged already, on {_when(debrief)}, so it was not logged twice." in _text(
        second
    )


# --- Coming back to an interview already debriefed ----------------------------------------


def test_coming_back_shows_the_earlier_debrief_instead_of_an_empty_form(visitors, interview, recruiter):
    visitors.owner.post(
        _url(interview), _answers(recruiter=recruiter.pk, how_it_went="The panel liked my demo.")
    )
    debrief = Interaction.objects.get()

    response = visitors.owner.get(_url(interview))

    html = _text(response)
    assert response.status_code == 200
    assert f"You debriefed Anna Berg on {_when(debrief)}" in html
    assert "The panel liked my demo." in html
    assert f'href="{_url(interview)}?another">Log another debrief</a>' in html
    assert 'name="how_it_went"' not in html


def test_logging_another_debrief_is_a_choice_made_with_the_earlier_one_in_view(
    visitors, interview, recruiter
):
    earlier = _log(interview, recruiter)

    page = visitors.owner.get(_url(interview) + "?another")
    html = _text(page)
    assert f"You debriefed Anna Berg on {_when(earlier)}" in html
    assert f'name="after_debrief" value="{earlier.pk}"' in html
    assert ">Log another debrief</button>" in html

    response = visitors.owner.post(
        _url(interview),
        _answers(
            recruiter=recruiter.pk, how_it_went="They called back: round two is on.", after_debrief=earlier.pk
        ),
        follow=True,
    )

    assert "Another debrief with Anna Berg logged with this application." in _text(response)
    assert Interaction.objects.filter(is_debrief=True).count() == 2


def test_a_new_debrief_sent_without_seeing_the_earlier_one_is_held_back_with_its_text(
    visitors, interview, recruiter
):
    # Logged from another tab (or long ago) while this form stood open.
    earlier = _log(interview, recruiter, how_it_went="The panel liked my demo.")
    typed = "I would like to hear about the team's on-call rota."

    response = visitors.owner.post(_url(interview), _answers(recruiter=recruiter.pk, how_it_went=typed))

    html = _text(response)
    assert response.status_code == 409
    assert f"You already debriefed Anna Berg about this interview, on {_when(earlier)}." in html
    assert "log them as another debrief, or leave it" in html
    assert "The panel liked my demo." in html
    assert _textarea_text(response) == escape(typed)
    assert f'name="after_debrief" value="{earlier.pk}"' in html
    assert Interaction.objects.count() == 1

    # Sent again from the page that showed the earlier one: that is the choice to log another.
    again = visitors.owner.post(
        _url(interview), _answers(recruiter=recruiter.pk, how_it_went=typed, after_debrief=earlier.pk)
    )

    assert again.status_code == 302
    assert Interaction.objects.count() == 2


def test_an_htmx_post_that_is_held_back_answers_with_the_page_in_place(visitors, interview, recruiter):
    earlier = _log(interview, recruiter)

    response = visitors.owner.post(
        _url(interview), _answers(how_it_went="Something new to add."), HTTP_HX_REQUEST="true"
    )

    # 409 is swapped by this site's htmx configuration (base.html), into the page's main part.
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#main"
    assert response["HX-Reswap"] == "outerHTML"
    assert response["HX-Reselect"] == "#main"
    html = _text(response)
    assert 'id="main"' in html
    assert f"You already debriefed Anna Berg about this interview, on {_when(earlier)}." in html


def test_an_htmx_post_that_is_logged_goes_to_the_application(visitors, interview):
    response = visitors.owner.post(_url(interview), _answers(), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("pipeline:application_detail", args=[interview.application_id])
    assert Interaction.objects.count() == 1


def test_a_stranger_sees_nothing_of_my_debriefs(visitors, interview):
    _log(interview, how_it_went="The panel liked my demo.")

    assert visitors.stranger.get(_url(interview)).status_code == 404
    assert visitors.stranger.get(_url(interview) + "?another").status_code == 404
    assert_redirects_to_login(visitors.anonymous.get(_url(interview) + "?another"))


# --- The rule for a second debrief (services.debrief_log) ---------------------------------


def test_the_same_script_logged_twice_is_one_debrief(interview):
    first, first_is_new = services.debrief_log(
        owner=interview.application.owner,
        interview=interview,
        script="Hi, it went well.",
        recruiter=None,
        channel="call",
    )
    again, again_is_new = services.debrief_log(
        owner=interview.application.owner,
        interview=interview,
        script="Hi, it went well.  ",
        recruiter=None,
        channel="email",
    )

    assert (first_is_new, again_is_new) == (True, False)
    assert again == first
    assert Interaction.objects.count() == 1


def test_another_debrief_is_logged_only_after_the_latest_one_was_seen(interview):
    first = _log(interview, how_it_went="First call.")

    with pytest.raises(services.DebriefAlreadyLogged) as refused:
        _log(interview, how_it_went="Second call.")
    assert refused.value.latest == first

    second = _log(interview, how_it_went="Second call.", after_debrief_id=first.pk)
    # A tab still showing the first one has not seen the second.
    with pytest.raises(services.DebriefAlreadyLogged) as stale:
        _log(interview, how_it_went="Third call.", after_debrief_id=first.pk)

    assert stale.value.latest == second
    assert list(selectors.interview_debriefs(interview=interview)) == [second, first]


def test_a_debrief_belongs_to_the_interview_held_last_before_it(owner):
    application = ApplicationFactory(owner=owner)
    now = timezone.now()
    round_one = InterviewFactory(application=application, starts_at=now - dt.timedelta(days=5))
    InterviewFactory(
        application=application, starts_at=now - dt.timedelta(days=4), cancelled_at=now - dt.timedelta(days=6)
    )
    round_two = InterviewFactory(
        application=application, round_number=2, starts_at=now - dt.timedelta(hours=2)
    )
    with time_machine.travel(now - dt.timedelta(days=3), tick=False):
        about_round_one = _log(round_one, how_it_went="Round one went well.")

    about_round_two = _log(round_two, how_it_went="Round two went well.")

    assert list(selectors.interview_debriefs(interview=round_one)) == [about_round_one]
    assert list(selectors.interview_debriefs(interview=round_two)) == [about_round_two]


def _wait_until_blocked_by_this_connection(thread: threading.Thread) -> None:
    """Until another connection waits for a lock this one holds, or the thread ends without waiting."""
    with connection.cursor() as cursor:
        for _ in range(1000):
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))"
            )
            if cursor.fetchone()[0] or not thread.is_alive():
                return
            time.sleep(0.01)


@pytest.mark.django_db(transaction=True)
def test_two_posts_of_one_form_at_the_same_moment_log_one_debrief():
    interview = InterviewFactory(
        application=ApplicationFactory(owner=UserFactory()), starts_at=timezone.now() - dt.timedelta(hours=2)
    )
    second_is_new: list[bool] = []

    def send_again() -> None:
        try:
            second_is_new.append(
                services.debrief_log(
                    owner=interview.application.owner,
                    interview=interview,
                    script="Hi, it went well.",
                    recruiter=None,
                    channel="call",
                )[1]
            )
        finally:
            connection.close()

    with transaction.atomic():
        _, first_is_new = services.debrief_log(
            owner=interview.application.owner,
            interview=interview,
            script="Hi, it went well.",
            recruiter=None,
            channel="call",
        )
        # The second post arrives while the first is still being written.
        second = threading.Thread(target=send_again)
        second.start()
        _wait_until_blocked_by_this_connection(second)
    second.join()

    assert (first_is_new, second_is_new) == (True, [False])
    assert Interaction.objects.count() == 1


# --- Bad input ---------------------------------------------------------------------------


def test_another_persons_contact_is_refused(visitors, interview, stranger):
    theirs = ContactFactory(owner=stranger, kind=ContactKind.RECRUITER_AGENCY)

    response = visitors.owner.post(_url(interview), _answers(recruiter=theirs.pk))

    assert response.status_code == 400
    assert "Choose one of your recruiters from the list." in response.content.decode()
    assert _textarea_text(response) == BALANCED
    assert not Interaction.objects.exists()


def test_a_contact_who_is_not_a_recruiter_is_refused(visitors, interview):
    interviewer = ContactFactory(owner=visitors.owner_user, kind=ContactKind.INTERVIEWER)

    response = visitors.owner.post(_url(interview), _answers(recruiter=interviewer.pk))

    assert response.status_code == 400
    assert not Interaction.objects.exists()


def test_an_overlong_account_is_refused_and_kept(visitors, interview):
    text = "The panel asked about our deploys. " * 142 + "x" * 31  # 5,001 characters
    assert len(text) == 5_001

    response = visitors.owner.post(_url(interview), _answers(how_it_went=text))

    html = response.content.decode()
    assert response.status_code == 400
    assert "Keep this under 5,000 characters (it has 5001)" in html
    assert "your text is still here" in html
    assert _textarea_text(response) == text
    assert not Interaction.objects.exists()


def test_missing_answers_are_asked_for(visitors, interview):
    response = visitors.owner.post(_url(interview), _answers(how_it_went="  ", enthusiasm=""))

    html = response.content.decode()
    assert response.status_code == 400
    assert "Write a line or two on how it went" in html
    assert "Say how keen you are" in html


def test_a_made_up_choice_to_log_another_is_held_back_like_no_choice(visitors, interview, application):
    mine = _log(interview, how_it_went="The panel liked my demo.")
    other_round = InterviewFactory(application=application, round_number=2, starts_at=timezone.now())
    elsewhere = _log(other_round, how_it_went="About another round.")

    for value in ("<script>", "99999999999999999999", str(elsewhere.pk)):
        response = visitors.owner.post(_url(interview), _answers(how_it_went="New.", after_debrief=value))

        assert response.status_code == 409, value
        assert f'name="after_debrief" value="{mine.pk}"' in _text(response)
    assert Interaction.objects.count() == 2


def test_html_typed_in_the_text_is_escaped(visitors, interview):
    typed = '<script>alert("hi")</script><b>I blew it</b>'

    page = visitors.owner.post(_url(interview), _answers(how_it_went=typed, extra_questions="<img src=x>"))
    partial = visitors.owner.post(_check_url(interview), _answers(how_it_went=typed), HTTP_HX_REQUEST="true")

    assert page.status_code == 400
    for response in (page, partial):
        html = response.content.decode()
        assert "<script>alert" not in html
        assert "<b>I blew it" not in html
        assert "&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt;" in html
    assert "<img src=x>" not in page.content.decode()
