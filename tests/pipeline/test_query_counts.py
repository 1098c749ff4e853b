"""Pages must not issue more queries as a user's pipeline grows."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.contacts import services as contacts
from apps.pipeline.models import Application, Interview, Stage, StageChange
from tests.contacts.factories import ContactFactory
from tests.helpers import count_queries
from tests.pipeline.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def _fill_pipeline(user, count: int) -> Application:
    """`count` applications across every stage, each with an interview and history."""
    now = timezone.now()
    companies = [CompanyFactory(owner=user, name=f"Company {n}") for n in range(min(count, 25))]
    stages = list(Stage)
    applications = Application.objects.bulk_create(
        Application(
            owner=user,
            company=companies[n % len(companies)],
            role_title=f"Role {n}",
            stage=stages[n % len(stages)],
            stage_changed_at=now - dt.timedelta(days=n % 40),
            notes="Engineer" if n % 2 else "",
        )
        for n in range(count)
    )
    StageChange.objects.bulk_create(
        StageChange(application=a, from_stage="", to_stage=a.stage, changed_at=a.stage_changed_at)
        for a in applications
    )
    Interview.objects.bulk_create(
        Interview(
            application=a,
            starts_at=now + dt.timedelta(days=1 + n % 10),
            ends_at=now + dt.timedelta(days=1 + n % 10, hours=1),
        )
        for n, a in enumerate(applications)
    )
    return applications[0]


@pytest.mark.parametrize(
    "url",
    [
        reverse("pipeline:board"),
        reverse("pipeline:application_list"),
        reverse("pipeline:application_list") + "?q=engineer&stage=active&sort=-next_interview&page=2",
    ],
)
def test_pipeline_pages_cost_the_same_queries_at_10_and_500_applications(visitors, url):
    _fill_pipeline(visitors.stranger_user, 10)
    small = count_queries(visitors.stranger, url)
    _fill_pipeline(visitors.owner_user, 500)
    large = count_queries(visitors.owner, url)

    print(f"\n{url}: {small} queries at 10 applications, {large} at 500")
    assert small == large


def _add_rounds(application, owner, rounds: range) -> None:
    """Interviews with people met, conversations and stage moves: a history to read."""
    for round_number in rounds:
        interview = Interview.objects.create(
            application=application,
            round_number=round_number,
            starts_at=timezone.now() + dt.timedelta(days=round_number),
            ends_at=timezone.now() + dt.timedelta(days=round_number, hours=1),
        )
        StageChange.objects.create(
            application=application, from_stage=Stage.APPLIED, to_stage=Stage.SCREENING
        )
        interviewer = ContactFactory(owner=owner, name=f"Interviewer {round_number}")
        contacts.interview_add_participant(interview=interview, contact=interviewer)
        contacts.interaction_log(owner=owner, contact=interviewer, application=application, summary="Called")


def test_an_application_page_costs_the_same_with_a_long_history(visitors):
    short = _fill_pipeline(visitors.stranger_user, 1)
    long = _fill_pipeline(visitors.owner_user, 1)
    _add_rounds(short, visitors.stranger_user, range(2, 3))
    _add_rounds(long, visitors.owner_user, range(2, 22))

    short_count = count_queries(visitors.stranger, reverse("pipeline:application_detail", args=[short.pk]))
    long_count = count_queries(visitors.owner, reverse("pipeline:application_detail", args=[long.pk]))

    print(f"\napplication page: {short_count} queries with 2 interviews, {long_count} with 21")
    assert short_count == long_count
