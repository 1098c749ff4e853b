"""Keyset pages: every row once, in order, whichever column and whether it can be empty."""

import datetime as dt

import pytest
from django.http import QueryDict
from django.utils import timezone

from apps.core import keyset
from apps.reminders.models import Kind, Reminder
from tests.accounts.factories import UserFactory
from tests.pipeline.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reminders():
    """Reminders with a role to sort by, some sharing one, some with no application at all."""
    owner = UserFactory()
    now = timezone.now()
    rows = []
    for number, role in enumerate(["Beta", "Alpha", None, "Beta", None, "Gamma", "Alpha", "Delta"]):
        application = ApplicationFactory(owner=owner, role_title=role) if role else None
        due = now + dt.timedelta(minutes=number % 3)  # ties on purpose
        rows.append(
            Reminder.objects.create(
                owner=owner,
                kind=Kind.FOLLOW_UP,
                due_at=due,
                next_try_at=due,
                application=application,
                dedupe_key=f"k{number}",
            )
        )
    return Reminder.objects.filter(owner=owner)


def every_page(queryset, *, column: str, descending: bool, size: int = 3) -> list[list[int]]:
    pages, query = [], QueryDict()
    while True:
        page = keyset.page(queryset, column=column, descending=descending, query=query, size=size, sort="t")
        pages.append([row.pk for row in page.rows])
        if not page.next_query:
            return pages
        query = QueryDict(page.next_query)


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("column", ["application__role_title", "due_at"])
def test_pages_hold_every_row_once_in_the_order_of_the_whole_list(reminders, column, descending):
    whole = [row.pk for row in reminders.order_by(*keyset.ordering(column, descending))]

    pages = every_page(reminders, column=column, descending=descending)

    assert [pk for page in pages for pk in page] == whole
    assert all(len(page) <= 3 for page in pages)


def test_a_column_reached_through_a_relation_that_can_be_missing_puts_the_empty_ones_last(reminders):
    pages = every_page(reminders, column="application__role_title", descending=True)
    rows = {row.pk: row for row in reminders.select_related("application")}

    roles = [
        rows[pk].application.role_title if rows[pk].application else None for page in pages for pk in page
    ]

    assert roles == ["Gamma", "Delta", "Beta", "Beta", "Alpha", "Alpha", None, None]


def test_the_board_can_write_a_position_the_next_page_reads(reminders):
    ordered = list(reminders.order_by(*keyset.ordering("due_at", False, False)))
    query = QueryDict(mutable=True)
    query["after"] = keyset.position_after(ordered[2], column="due_at", sort="t")

    page = keyset.page(reminders, column="due_at", descending=False, query=query, size=3, sort="t")

    assert [row.pk for row in page.rows] == [row.pk for row in ordered[3:6]]
    assert page.continued


@pytest.mark.parametrize("token", ["", "nonsense", "a:b:c"])
def test_a_position_that_does_not_verify_starts_from_the_top(reminders, token):
    query = QueryDict(mutable=True)
    query["after"] = token

    page = keyset.page(reminders, column="due_at", descending=False, query=query, size=3, sort="t")

    assert [row.pk for row in page.rows] == [
        row.pk for row in reminders.order_by(*keyset.ordering("due_at", False))[:3]
    ]


def test_a_position_from_another_sort_starts_from_the_top(reminders):
    ordered = list(reminders.order_by(*keyset.ordering("due_at", False, False)))
    query = QueryDict(mutable=True)
    query["after"] = keyset.position_after(ordered[2], column="due_at", sort="another")

    page = keyset.page(reminders, column="due_at", descending=False, query=query, size=3, sort="t")

    assert not page.continued
    assert [row.pk for row in page.rows] == [row.pk for row in ordered[:3]]
