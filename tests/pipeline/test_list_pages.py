"""The list shows 50 rows, then "show more" by where the last row ended (apps/core/keyset.py)."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.pipeline import selectors
from apps.pipeline.models import Application, Stage
from tests.pipeline.factories import ApplicationFactory, CompanyFactory, InterviewFactory

pytestmark = pytest.mark.django_db

LIST = reverse("pipeline:application_list")
MORE = re.compile(r'hx-get="([^"]*after=[^"]*)"')
ROW = re.compile(r'<td class="company-cell"><a href="/applications/(\d+)/">')


def _many(owner, count):
    """Applications with ties in every column: a few companies, stages and dates, most with no interview."""
    companies = [CompanyFactory(owner=owner, name=name) for name in ("Acme", "Globex", "Initech")]
    same_moment = timezone.now() - dt.timedelta(days=3)
    made = []
    for number in range(count):
        application = ApplicationFactory(
            owner=owner,
            company=companies[number % 3],
            role_title=f"Role {number % 7}",
            stage=list(Stage)[number % 4],
        )
        made.append(application.pk)
        if number % 5 == 0:
            InterviewFactory(
                application=application, starts_at=same_moment + dt.timedelta(days=number % 2 + 5)
            )
    Application.objects.filter(pk__in=made[::2]).update(updated_at=same_moment, created_at=same_moment)
    return made


def _walk(client, query):
    """Every row the list shows, following "show more" to the end; and how many answers it took."""
    answer = client.get(LIST, query).content.decode()
    seen, answers = [int(pk) for pk in ROW.findall(answer)], 1
    while found := MORE.search(answer):
        answer = client.get(unescape(found.group(1)), headers={"HX-Request": "true"}).content.decode()
        seen += [int(pk) for pk in ROW.findall(answer)]
        answers += 1
    return seen, answers


@pytest.mark.parametrize("sort", [f"{way}{key}" for key in selectors.SORTS for way in ("", "-")])
def test_show_more_reaches_every_application_once_in_every_sort(visitors, sort):
    made = _many(visitors.owner_user, 120)

    seen, answers = _walk(visitors.owner, {"sort": sort})

    assert sorted(seen) == sorted(made)  # none twice, none left out
    assert answers == 3  # 50 + 50 + 20
    ordered = list(
        selectors.application_search(
            user=visitors.owner_user, filters=selectors.ApplicationFilters(sort=sort), now=timezone.now()
        ).values_list("pk", flat=True)
    )
    assert seen == ordered


def test_show_more_keeps_the_filters(visitors):
    _many(visitors.owner_user, 120)

    seen, _ = _walk(visitors.owner, {"company": "glob", "sort": "role"})

    assert len(seen) == 40
    assert set(Application.objects.filter(pk__in=seen).values_list("company__name", flat=True)) == {"Globex"}


def test_an_application_added_while_reading_does_not_repeat_a_row(visitors):
    _many(visitors.owner_user, 60)
    first = visitors.owner.get(LIST).content.decode()
    shown = ROW.findall(first)

    ApplicationFactory(owner=visitors.owner_user)  # newest: it goes on top, not into the next page
    more = visitors.owner.get(unescape(MORE.search(first).group(1)), headers={"HX-Request": "true"})

    assert not set(ROW.findall(more.content.decode())) & set(shown)
    assert len(shown) + len(ROW.findall(more.content.decode())) == 60


@pytest.mark.parametrize("token", ["nonsense", "a" * 500, ""])
def test_a_broken_position_starts_from_the_top(visitors, token):
    _many(visitors.owner_user, 60)

    answer = visitors.owner.get(LIST, {"after": token})

    assert answer.status_code == 200
    assert len(ROW.findall(answer.content.decode())) == 50


def test_a_position_from_another_sort_starts_from_the_top(visitors):
    _many(visitors.owner_user, 60)
    token = re.search(
        r"after=([^\"&]*)", visitors.owner.get(LIST, {"sort": "company"}).content.decode()
    ).group(1)

    answer = visitors.owner.get(LIST + f"?sort=-updated&after={token}")

    assert ROW.findall(answer.content.decode()) == ROW.findall(visitors.owner.get(LIST).content.decode())


def test_a_later_page_costs_the_same_queries_as_the_first(visitors):
    _many(visitors.owner_user, 120)
    first = visitors.owner.get(LIST).content.decode()
    later = unescape(MORE.search(first).group(1))

    def queries(url, **headers):
        with CaptureQueriesContext(connection) as captured:
            visitors.owner.get(url, headers=headers)
        return len(captured)

    assert queries(later, **{"HX-Request": "true"}) <= queries(LIST)
