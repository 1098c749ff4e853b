"""Undoing a stage move: the stage, its history line and the reminders the move touched, and nothing else."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from apps.contacts.models import ApplicationReference, ContactKind
from apps.pipeline import services
from apps.pipeline.models import Application, Stage, StageChange
from apps.reminders.models import Kind, Reminder, Status
from tests.contacts.factories import ContactFactory
from tests.helpers import assert_redirects_to_login
from tests.pipeline.factories import ApplicationFactory, CompanyFactory

pytestmark = pytest.mark.django_db

HTMX_BOARD = {"HX-Request": "true", "HX-Target": "board"}
# The application came in a week before the move; each step of a test is minutes after the one before.
APPLIED_AT = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
MOVED_AT = dt.datetime(2026, 11, 9, 14, 0, tzinfo=dt.UTC)


def _minutes(minutes: float) -> dt.datetime:
    return MOVED_AT + dt.timedelta(minutes=minutes)


@pytest.fixture
def application(owner) -> Application:
    return ApplicationFactory(
        owner=owner,
        company=CompanyFactory(owner=owner, name="Acme"),
        role_title="Platform Engineer",
        stage=Stage.FIRST_INTERVIEW,
        stage_changed_at=APPLIED_AT,
    )


def _move(application: Application, to_stage: str, at: dt.datetime = MOVED_AT) -> StageChange:
    return services.application_move_stage(application=application, to_stage=to_stage, now=at).change


def _history(application: Application) -> list[tuple[str, str]]:
    return list(application.stage_changes.values_list("from_stage", "to_stage"))


# --- The service -----------------------------------------------------------------------------------


def test_undo_puts_back_the_stage_and_when_it_was_reached(application):
    first_line = application.stage_changes.get()
    change = _move(application, Stage.SECOND_INTERVIEW)

    undone = services.stage_move_undo(application=application, change_id=change.pk, now=_minutes(2))

    application.refresh_from_db()
    assert (application.stage, application.stage_changed_at) == (Stage.FIRST_INTERVIEW, APPLIED_AT)
    assert undone.undone_stage == Stage.SECOND_INTERVIEW
    assert list(application.stage_changes.all()) == [first_line]


def test_undo_removes_exactly_the_line_of_that_move(owner, application):
    _move(application, Stage.SECOND_INTERVIEW, at=_minutes(-60))
    change = _move(application, Stage.FINAL_ROUND)
    other = ApplicationFactory(owner=owner, stage=Stage.APPLIED, stage_changed_at=APPLIED_AT)
    _move(other, Stage.SCREENING)

    services.stage_move_undo(application=application, change_id=change.pk, now=_minutes(1))

    application.refresh_from_db()
    assert (application.stage, application.stage_changed_at) == (Stage.SECOND_INTERVIEW, _minutes(-60))
    assert _history(application) == [
        ("", Stage.FIRST_INTERVIEW),
        (Stage.FIRST_INTERVIEW, Stage.SECOND_INTERVIEW),
    ]
    assert _history(other) == [("", Stage.APPLIED), (Stage.APPLIED, Stage.SCREENING)]


def test_a_move_with_a_newer_one_after_it_is_not_undone(application):
    # Two tabs: one shows the move to the second round, the other has moved the card on since.
    shown = _move(application, Stage.SECOND_INTERVIEW)
    _move(application, Stage.FINAL_ROUND, at=_minutes(1))

    with pytest.raises(services.UndoRefused, match=r"Acme has moved since.*It is at Final round now"):
        services.stage_move_undo(application=application, change_id=shown.pk, now=_minutes(2))

    application.refresh_from_db()
    assert application.stage == Stage.FINAL_ROUND
    assert len(_history(application)) == 3


def test_an_undo_sent_twice_takes_back_one_move_only(application):
    _move(application, Stage.SECOND_INTERVIEW, at=_minutes(-5))
    change = _move(application, Stage.FINAL_ROUND)
    services.stage_move_undo(application=application, change_id=change.pk, now=_minutes(1))

    with pytest.raises(services.UndoRefused, match="already been undone"):
        services.stage_move_undo(application=application, change_id=change.pk, now=_minutes(1))

    application.refresh_from_db()
    assert application.stage == Stage.SECOND_INTERVIEW  # the move before it stands


def test_a_move_can_be_undone_for_fifteen_minutes_and_not_after(owner):
    def moved_application() -> tuple[Application, StageChange]:
        application = ApplicationFactory(owner=owner, stage=Stage.APPLIED, stage_changed_at=APPLIED_AT)
        return application, _move(application, Stage.SCREENING)

    in_time, in_time_change = moved_application()
    late, late_change = moved_application()

    with time_machine.travel(_minutes(15), tick=False):
        services.stage_move_undo(application=in_time, change_id=in_time_change.pk)
    with (
        time_machine.travel(_minutes(15) + dt.timedelta(seconds=1), tick=False),
        pytest.raises(services.UndoRefused, match="undone for 15 minutes"),
    ):
        services.stage_move_undo(application=late, change_id=late_change.pk)

    in_time.refresh_from_db()
    late.refresh_from_db()
    assert (in_time.stage, late.stage) == (Stage.APPLIED, Stage.SCREENING)


def test_the_first_line_of_the_history_is_no_move_to_undo(application):
    with pytest.raises(services.UndoRefused, match="no move of Acme to undo"):
        services.stage_move_undo(
            application=application, change_id=application.stage_changes.get().pk, now=MOVED_AT
        )


def test_a_move_of_someone_elses_application_is_not_undone_through_mine(application, stranger):
    theirs = ApplicationFactory(owner=stranger, stage=Stage.APPLIED)
    theirs.stage_changes.update(changed_at=APPLIED_AT)
    their_change = _move(theirs, Stage.OFFER)
    _move(application, Stage.SECOND_INTERVIEW)

    with pytest.raises(services.UndoRefused):
        services.stage_move_undo(application=application, change_id=their_change.pk, now=_minutes(1))

    theirs.refresh_from_db()
    application.refresh_from_db()
    assert (theirs.stage, application.stage) == (Stage.OFFER, Stage.SECOND_INTERVIEW)


def test_an_archived_application_is_restored_before_its_move_is_undone(application):
    change = _move(application, Stage.REJECTED)
    services.application_set_archived(application=application, archived=True)

    with pytest.raises(services.UndoRefused, match="archived"):
        services.stage_move_undo(application=application, change_id=change.pk, now=_minutes(1))


# --- Reminders the move touched ------------------------------------------------------------------


@pytest.fixture
def referee_asked(application) -> ApplicationReference:
    referee = ContactFactory(owner=application.owner, name="Ruth Okafor", kind=ContactKind.REFEREE)
    return ApplicationReference.objects.create(application=application, referee=referee, asked_at=APPLIED_AT)


def test_the_referee_heads_up_a_move_asked_for_is_withdrawn(application, referee_asked):
    with time_machine.travel(MOVED_AT, tick=False):
        change = _move(application, Stage.SECOND_INTERVIEW)
    heads_up = Reminder.objects.get(kind=Kind.REFERENCE_HEADS_UP)
    assert heads_up.status == Status.PENDING
    # Made after the move, by something else: the undo leaves it be.
    with time_machine.travel(_minutes(3), tick=False):
        follow_up = services.application_follow_up_now(application=application)

    services.stage_move_undo(application=application, change_id=change.pk, now=_minutes(4))

    assert not Reminder.objects.filter(pk=heads_up.pk).exists()
    assert list(Reminder.objects.filter(application=application)) == [follow_up]
    # The next real move to the second round asks for the heads-up again.
    with time_machine.travel(_minutes(30), tick=False):
        _move(application, Stage.SECOND_INTERVIEW, at=_minutes(30))
    assert Reminder.objects.get(kind=Kind.REFERENCE_HEADS_UP).status == Status.PENDING


def test_a_heads_up_made_before_the_move_stays(application, referee_asked):
    with time_machine.travel(_minutes(-60), tick=False):
        _move(application, Stage.SECOND_INTERVIEW, at=_minutes(-60))
    heads_up = Reminder.objects.get(kind=Kind.REFERENCE_HEADS_UP)
    with time_machine.travel(MOVED_AT, tick=False):
        change = _move(application, Stage.FINAL_ROUND)  # the same heads-up, found again

    services.stage_move_undo(application=application, change_id=change.pk, now=_minutes(1))

    heads_up.refresh_from_db()
    assert heads_up.status == Status.PENDING


def test_reminders_a_move_closed_open_again_as_they_were(application):
    interview_start = MOVED_AT + dt.timedelta(days=3)
    with time_machine.travel(_minutes(-120), tick=False):
        interview = services.interview_schedule(
            application=application,
            starts_at=interview_start,
            ends_at=interview_start + dt.timedelta(hours=1),
        )
    by_kind = {reminder.kind: reminder for reminder in interview.reminders.all()}
    # One was emailed already, one the person put away themselves before the move.
    Reminder.objects.filter(pk=by_kind[Kind.PREP_REVIEW].pk).update(status=Status.SENT, sent_at=_minutes(-60))
    Reminder.objects.filter(pk=by_kind[Kind.RECRUITER_DEBRIEF].pk).update(
        status=Status.DISMISSED, closed_at=_minutes(-30)
    )
    with time_machine.travel(MOVED_AT, tick=False):
        change = _move(application, Stage.REJECTED)
    assert set(interview.reminders.values_list("status", flat=True)) == {Status.DISMISSED}

    services.stage_move_undo(application=application, change_id=change.pk, now=_minutes(1))

    statuses = dict(interview.reminders.values_list("kind", "status"))
    assert statuses == {
        Kind.PREP_REVIEW: Status.SENT,
        Kind.THANK_YOU: Status.PENDING,
        Kind.REFLECTION_PROMPT: Status.PENDING,
        Kind.RECRUITER_DEBRIEF: Status.DISMISSED,  # the person's own choice stands
    }
    assert not interview.reminders.filter(status=Status.PENDING, closed_at__isnull=False).exists()


# --- The views -------------------------------------------------------------------------------------


def _undo_url(application: Application) -> str:
    return reverse("pipeline:application_move_undo", args=[application.pk])


def _moved_now(application: Application, to_stage: str = Stage.SECOND_INTERVIEW) -> StageChange:
    return services.application_move_stage(application=application, to_stage=to_stage).change


def test_a_move_on_the_board_answers_with_the_board_and_its_undo(visitors, application):
    response = visitors.owner.post(
        reverse("pipeline:application_move", args=[application.pk]),
        {"stage": Stage.FINAL_ROUND, "next": reverse("pipeline:board")},
        headers=HTMX_BOARD,
    )

    page = response.content.decode()
    change = application.stage_changes.latest("changed_at")
    assert page.lstrip().startswith('<div id="board"')
    assert '<div id="move-status" hx-swap-oob="innerHTML">' in page
    assert re.search(r"Moved Acme to Final round\s*<span aria-hidden=\"true\">·</span>", page)
    assert f'name="change" value="{change.pk}"' in page
    assert f'hx-post="{_undo_url(application)}"' in page
    # Said there and then: not again on the next page.
    assert "Moved Acme" not in visitors.owner.get(reverse("pipeline:board")).content.decode()


def test_a_move_without_script_says_so_on_the_next_page_with_an_undo_button(visitors, application):
    response = visitors.owner.post(
        reverse("pipeline:application_move", args=[application.pk]), {"stage": Stage.OFFER}, follow=True
    )

    page = response.content.decode()
    change = application.stage_changes.latest("changed_at")
    assert response.redirect_chain[-1][0] == reverse("pipeline:application_detail", args=[application.pk])
    assert "Moved Acme to Offer" in page
    form = re.search(r'<form class="move-undo" method="post" action="([^"]+)">(.*?)</form>', page, re.S)
    assert form and form.group(1) == _undo_url(application)
    assert 'name="csrfmiddlewaretoken"' in form.group(2)
    assert f'name="change" value="{change.pk}"' in form.group(2)
    assert "hx-post" not in form.group(0)

    undone = visitors.owner.post(form.group(1), {"change": change.pk}, follow=True)

    application.refresh_from_db()
    assert application.stage == Stage.FIRST_INTERVIEW
    assert "Undone: Acme is back in First interview." in undone.content.decode()


def test_the_company_name_in_the_confirmation_is_escaped(visitors, owner):
    application = ApplicationFactory(
        owner=owner, company=CompanyFactory(owner=owner, name="<b>Bold</b> Ltd"), stage=Stage.APPLIED
    )

    page = visitors.owner.post(
        reverse("pipeline:application_move", args=[application.pk]), {"stage": Stage.SCREENING}, follow=True
    ).content.decode()

    assert "Moved &lt;b&gt;Bold&lt;/b&gt; Ltd to Screening" in page


def test_an_undo_from_the_board_sends_the_board_back_as_it_was(visitors, application):
    change = _moved_now(application)

    response = visitors.owner.post(
        _undo_url(application), {"change": change.pk, "next": reverse("pipeline:board")}, headers=HTMX_BOARD
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="board"')
    assert "Undone: Acme is back in First interview." in page
    application.refresh_from_db()
    assert application.stage == Stage.FIRST_INTERVIEW


def test_an_undo_without_script_goes_back_where_it_came_from(visitors, application):
    change = _moved_now(application)

    response = visitors.owner.post(
        _undo_url(application), {"change": change.pk, "next": reverse("pipeline:board")}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("pipeline:board")


def test_an_undo_never_leads_off_site(visitors, application):
    change = _moved_now(application)

    response = visitors.owner.post(
        _undo_url(application), {"change": change.pk, "next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("pipeline:application_detail", args=[application.pk])


def test_a_stale_tab_is_refused_with_409_and_the_reason_shown(visitors, application):
    stale = _moved_now(application, Stage.SECOND_INTERVIEW)
    _moved_now(application, Stage.FINAL_ROUND)  # from the other tab

    plain = visitors.owner.post(_undo_url(application), {"change": stale.pk})
    htmx = visitors.owner.post(_undo_url(application), {"change": stale.pk}, headers=HTMX_BOARD)

    assert plain.status_code == htmx.status_code == 409
    reason = "Acme has moved since, so that move can no longer be undone here. It is at Final round now."
    assert reason in plain.content.decode()
    assert 'role="alert"' in plain.content.decode()
    assert reason in htmx.content.decode()
    assert "move-toast-refused" in htmx.content.decode()
    # The board that comes back is the truth, so the stale tab catches up.
    assert htmx.content.decode().lstrip().startswith('<div id="board"')
    application.refresh_from_db()
    assert application.stage == Stage.FINAL_ROUND


def test_an_undo_too_late_is_refused_with_409(visitors, application):
    with time_machine.travel(MOVED_AT, tick=False):
        change = _moved_now(application)
    with time_machine.travel(_minutes(16), tick=False):
        response = visitors.owner.post(_undo_url(application), {"change": change.pk}, headers=HTMX_BOARD)

    assert response.status_code == 409
    assert "A move can be undone for 15 minutes; that one is older." in response.content.decode()


def test_an_undo_naming_no_move_is_refused(visitors, application):
    _moved_now(application)

    for change in ("not-a-number", "", "9" * 30):
        response = visitors.owner.post(_undo_url(application), {"change": change})

        assert response.status_code == 409, change
        assert "already been undone" in response.content.decode()
    application.refresh_from_db()
    assert application.stage == Stage.SECOND_INTERVIEW


def test_only_the_owner_can_undo_and_only_by_post(visitors, application):
    change = _moved_now(application)
    data = {"change": change.pk}

    assert_redirects_to_login(visitors.anonymous.post(_undo_url(application), data))
    assert visitors.stranger.post(_undo_url(application), data).status_code == 404
    assert visitors.stranger.post(_undo_url(application), data, headers=HTMX_BOARD).status_code == 404
    assert visitors.owner.get(_undo_url(application)).status_code == 405
    application.refresh_from_db()
    assert application.stage == Stage.SECOND_INTERVIEW


def test_an_undo_needs_the_csrf_token_the_board_hands_out(owner, application):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    change = _moved_now(application)

    refused = browser.post(_undo_url(application), {"change": change.pk}, headers=HTMX_BOARD)
    board = browser.get(reverse("pipeline:board")).content.decode()
    token = json.loads(re.search(r"hx-headers='([^']+)'", board).group(1))
    accepted = browser.post(_undo_url(application), {"change": change.pk}, headers={**HTMX_BOARD, **token})

    assert refused.status_code == 403
    assert accepted.status_code == 200
    application.refresh_from_db()
    assert application.stage == Stage.FIRST_INTERVIEW
