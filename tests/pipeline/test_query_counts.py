"""Pages must not issue more queries as a user's pipeline grows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.pipeline.models import Application, Interview, Stage, StageChange
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


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


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
    small = _queries(visitors.stranger, url)
    _fill_pipeline(visitors.owner_user, 500)
    large = _queries(visitors.owner, url)

    print(f"\n{url}: {small} queries at 10 applications, {large} at 500")
    assert small == large


def test_an_application_page_costs_the_same_with_a_long_history(visitors):
    short = _fill_pipeline(visitors.stranger_user, 1)
    long = _fill_pipeline(visitors.owner_user, 1)
    for round_number in range(2, 12):
        Interview.objects.create(
            application=long,
            round_number=round_number,
            starts_at=timezone.now() + dt.timedelta(days=round_number),
            ends_at=timezone.now() + dt.timedelta(days=round_number, hours=1),
        )
        StageChange.objects.create(application=long, from_stage=Stage.APPLIED, to_stage=Stage.SCREENING)
    short_count = _queries(visitors.stranger, reverse("pipeline:application_detail", args=[short.pk]))
    long_count = _queries(visitors.owner, reverse("pipeline:application_detail", args=[long.pk]))

    # The long one has round-2 interviews, so its page asks for the odds once more.
    assert long_count <= short_count + 1
