"""Dates told truly: the day an application was sent, a move dated in the past, history set right."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from apps.pipeline import services
from apps.pipeline.models import Application, Stage, StageChange

pytestmark = pytest.mark.django_db

# A Monday morning in London.
NOW = dt.datetime(2026, 11, 16, 10, 0, tzinfo=dt.UTC)
LONDON = zoneinfo.ZoneInfo("Europe/London")


def noon(day: str) -> dt.datetime:
    """Noon in London: summer time (an hour ahead of UTC) until late October."""
    return dt.datetime.fromisoformat(f"{day}T12:00:00").replace(tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _monday_in_london(owner):
    owner.time_zone = "Europe/London"
    owner.save(update_fields=["time_zone"])
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def application(owner):
    made = services.application_create(
        owner=owner, company_name="Acme", role_title="Engineer", created_at=noon("2026-10-01")
    )
    services.application_move_stage(application=made, to_stage=Stage.SCREENING, now=noon("2026-10-08"))
    return made


def history(application) -> list[tuple[str, dt.datetime]]:
    return list(application.stage_changes.order_by("changed_at", "pk").values_list("to_stage", "changed_at"))


# --- The day it was sent ------------------------------------------------------------------------


def test_an_application_moved_over_from_elsewhere_keeps_the_day_it_was_sent(visitors, owner):
    answer = visitors.owner.post(
        reverse("pipeline:application_create"),
        {"company_name": "Globex", "role_title": "SRE", "stage": Stage.APPLIED, "applied_on": "2026-09-14"},
    )

    made = Application.objects.get(owner=owner)
    assert answer.status_code == 302
    assert made.created_at == noon("2026-09-14")
    assert history(made) == [(Stage.APPLIED, noon("2026-09-14"))]


def test_left_empty_or_today_it_is_now(visitors, owner):
    visitors.owner.post(
        reverse("pipeline:application_create"),
        {"company_name": "Globex", "role_title": "SRE", "stage": Stage.APPLIED, "applied_on": "2026-11-16"},
    )

    assert Application.objects.get(owner=owner).created_at == NOW


def test_a_day_still_to_come_is_refused_and_the_form_keeps_what_was_typed(visitors, owner):
    answer = visitors.owner.post(
        reverse("pipeline:application_create"),
        {
            "company_name": "Globex",
            "role_title": "Site Reliability",
            "stage": Stage.APPLIED,
            "applied_on": "2026-12-01",
        },
    )

    page = answer.content.decode()
    assert answer.status_code == 400
    assert "That day has not come yet." in page
    assert 'value="Site Reliability"' in page and 'value="2026-12-01"' in page
    assert not Application.objects.filter(owner=owner).exists()


# --- A move dated in the past ---------------------------------------------------------------------


def move(client, application, **fields):
    return client.post(reverse("pipeline:application_move", args=[application.pk]), fields)


def test_a_move_can_be_dated_to_the_day_it_happened(visitors, application):
    answer = move(
        visitors.owner, application, stage=Stage.FIRST_INTERVIEW, moved_on="2026-10-20", note="Phone call"
    )

    application.refresh_from_db()
    assert answer.status_code == 302
    assert history(application)[-1] == (Stage.FIRST_INTERVIEW, noon("2026-10-20"))
    assert application.stage_changed_at == noon("2026-10-20")


def test_a_move_dated_before_the_last_step_is_refused_with_the_note_kept(visitors, application):
    answer = move(
        visitors.owner, application, stage=Stage.FIRST_INTERVIEW, moved_on="2026-10-03", note="Phone call"
    )

    page = answer.content.decode()
    assert answer.status_code == 400
    assert "That is before the last step in its history (8 Oct 2026)." in page
    assert 'value="Phone call"' in page and 'value="2026-10-03"' in page
    application.refresh_from_db()
    assert application.stage == Stage.SCREENING


def test_a_move_dated_in_the_future_is_refused(visitors, application):
    answer = move(visitors.owner, application, stage=Stage.FIRST_INTERVIEW, moved_on="2026-11-30")

    assert answer.status_code == 400
    assert "That day has not come yet." in answer.content.decode()
    assert len(history(application)) == 2


# --- History set right ---------------------------------------------------------------------------


def correct(client, application, change, **fields):
    return client.post(reverse("pipeline:stage_change_edit", args=[application.pk, change.pk]), fields)


def test_a_step_can_be_moved_to_its_true_day_and_time_and_its_note_changed(visitors, application):
    screening = application.stage_changes.get(to_stage=Stage.SCREENING)

    answer = correct(
        visitors.owner, application, screening, day="2026-10-06", time="15:30", note="Recruiter called"
    )

    application.refresh_from_db()
    screening.refresh_from_db()
    assert answer.status_code == 302
    assert (screening.changed_at, screening.note) == (
        dt.datetime(2026, 10, 6, 15, 30, tzinfo=LONDON),
        "Recruiter called",
    )
    # The latest step is when the application reached its stage.
    assert application.stage_changed_at == screening.changed_at


def test_the_first_step_is_the_day_the_application_was_added(visitors, application):
    first = application.stage_changes.get(to_stage=Stage.APPLIED)

    correct(visitors.owner, application, first, day="2026-09-28", note="")

    application.refresh_from_db()
    assert application.created_at == noon("2026-09-28")


@pytest.mark.parametrize(
    "stage, day, message",
    [
        (Stage.SCREENING, "2026-09-30", "That is before the step before it (1 Oct 2026)."),
        (Stage.APPLIED, "2026-10-09", "That is after the step that comes next (8 Oct 2026)."),
        (Stage.SCREENING, "2026-11-20", "That day has not come yet."),
        (Stage.SCREENING, "nonsense", "Enter a valid date."),
    ],
)
def test_a_step_cannot_leave_its_place_in_the_history(visitors, application, stage, day, message):
    change = application.stage_changes.get(to_stage=stage)
    before = history(application)

    answer = correct(visitors.owner, application, change, day=day, note="Kept")

    page = answer.content.decode()
    assert answer.status_code == 400
    assert message in page and 'value="Kept"' in page
    assert history(application) == before


def test_a_time_the_clocks_skipped_is_refused(visitors, application):
    change = application.stage_changes.get(to_stage=Stage.SCREENING)

    # 29 March 2026, 01:30 in London: the clocks jumped from 01:00 to 02:00.
    answer = correct(visitors.owner, application, change, day="2026-03-29", time="01:30", note="")

    assert answer.status_code == 400
    assert "the clocks went forward" in answer.content.decode()


def test_nobody_else_can_read_or_set_my_history(visitors, application, stranger):
    change = application.stage_changes.first()
    theirs = services.application_create(owner=stranger, company_name="Theirs", role_title="X")

    assert (
        visitors.stranger.get(
            reverse("pipeline:stage_change_edit", args=[application.pk, change.pk])
        ).status_code
        == 404
    )
    assert correct(visitors.stranger, application, change, day="2026-10-02", note="x").status_code == 404
    # Their own application's address with my step: still not theirs.
    assert correct(visitors.stranger, theirs, change, day="2026-10-02", note="x").status_code == 404
    assert StageChange.objects.get(pk=change.pk).changed_at == noon("2026-10-01")


def test_the_page_offers_to_correct_each_step(visitors, application):
    page = visitors.owner.get(reverse("pipeline:application_detail", args=[application.pk])).content.decode()

    for change in application.stage_changes.all():
        assert reverse("pipeline:stage_change_edit", args=[application.pk, change.pk]) in page
