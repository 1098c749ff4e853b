"""Saved views of the applications list: a name for a list's filters, sort and columns."""

import re
from html import unescape

import pytest
from django.urls import reverse

from apps.core.models import SavedView
from apps.core.services import MAX_SAVED_VIEWS_PER_PAGE
from tests.pipeline.factories import ApplicationFactory, CompanyFactory

pytestmark = pytest.mark.django_db

LIST = reverse("pipeline:application_list")
SAVE = reverse("saved_view_save")
HTMX = {"HX-Request": "true"}


def save(client, name, query="stage=active&sort=company", **headers):
    return client.post(SAVE, {"page": "applications", "name": name, "query": query}, headers=headers)


def test_a_saved_view_opens_the_list_as_it_was_filtered_and_sorted(visitors):
    answer = save(visitors.owner, "  Still   in play ", "stage=active&sort=company&columns=role&after=xyz")

    view = SavedView.objects.get(user=visitors.owner_user)
    page = visitors.owner.get(
        LIST, {"stage": "active", "sort": "company", "columns": "role"}
    ).content.decode()

    assert (
        answer.status_code == 302 and answer["Location"] == f"{LIST}?stage=active&sort=company&columns=role"
    )
    # The name tidied; where the person had scrolled to is not part of a view.
    assert (view.name, view.query) == ("Still in play", "stage=active&sort=company&columns=role")
    assert re.search(
        r'btn-secondary"\s+href="/applications/\?stage=active&amp;sort=company&amp;columns=role"', page
    )
    assert 'aria-current="page">Still in play</a>' in page


def test_saving_by_htmx_answers_the_bar_with_the_view_in_it(visitors):
    answer = save(visitors.owner, "Mine", **HTMX)

    assert answer.status_code == 200
    bar = answer.content.decode()
    assert bar.lstrip().startswith("{% load") is False and 'id="saved-views"' in bar
    assert "Saved your view “Mine”." in bar and ">Mine</a>" in bar


def test_the_same_name_replaces_the_view_whatever_its_case(visitors):
    save(visitors.owner, "Recent", "sort=-applied")
    answer = save(visitors.owner, "recent", "sort=applied", **HTMX)

    assert list(SavedView.objects.values_list("name", "query")) == [("recent", "sort=applied")]
    assert "Replaced your view “recent”." in answer.content.decode()


@pytest.mark.parametrize(
    "name, query, message",
    [
        ("   ", "sort=company", "Give the view a name"),
        ("x" * 81, "sort=company", "Keep the name under 80 characters."),
        ("Huge", "q=" + "a" * 2100, "too many filters to save"),
    ],
)
def test_a_view_that_cannot_be_saved_is_explained_and_the_name_kept(visitors, name, query, message):
    for headers in ({}, HTMX):
        answer = save(visitors.owner, name, query, **headers)

        assert answer.status_code == 400
        page = unescape(answer.content.decode())
        assert message in page
        if name.strip():
            assert f'value="{name}"' in page
    assert not SavedView.objects.exists()


def test_a_person_has_a_bounded_number_of_views_per_page(visitors):
    for number in range(MAX_SAVED_VIEWS_PER_PAGE):
        save(visitors.owner, f"View {number}")

    refused = save(visitors.owner, "One more", **HTMX)
    replaced = save(visitors.owner, "View 3", "sort=role", **HTMX)

    assert refused.status_code == 400 and "delete one to save another" in refused.content.decode()
    assert replaced.status_code == 200
    assert SavedView.objects.count() == MAX_SAVED_VIEWS_PER_PAGE


def test_a_view_on_an_unknown_page_is_refused(visitors):
    answer = visitors.owner.post(SAVE, {"page": "nonsense", "name": "X", "query": ""}, headers=HTMX)

    assert answer.status_code == 400
    assert not SavedView.objects.exists()


def test_deleting_a_view_removes_it_and_only_its_owner_can(visitors):
    save(visitors.owner, "Mine")
    view = SavedView.objects.get()
    delete = reverse("saved_view_delete", args=[view.pk])

    stranger = visitors.stranger.post(delete)
    owner = visitors.owner.post(delete, headers=HTMX)

    assert stranger.status_code == 404
    assert owner.status_code == 200 and "Deleted your view “Mine”." in owner.content.decode()
    assert not SavedView.objects.exists()


def test_each_person_sees_only_their_own_views(visitors):
    save(visitors.owner, "Owner's secret view")

    page = visitors.stranger.get(LIST).content.decode()

    assert "Owner&#x27;s secret view" not in page and "Owner's secret view" not in page


def test_a_visitor_is_sent_to_log_in(client):
    answer = client.post(SAVE, {"page": "applications", "name": "X"})

    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
    assert not SavedView.objects.exists()


# --- Columns ---------------------------------------------------------------------------------


def test_the_list_shows_the_columns_chosen_in_their_order(visitors):
    ApplicationFactory(
        owner=visitors.owner_user,
        company=CompanyFactory(owner=visitors.owner_user, name="Acme"),
        source="Referral",
        salary_min=50000,
        salary_max=60000,
        salary_currency="GBP",
    )

    usual = visitors.owner.get(LIST).content.decode()
    chosen = visitors.owner.get(LIST, {"columns": ["salary", "source"]}).content.decode()

    assert re.findall(r'<th scope="col"[^>]*>(?:<a [^>]*>)?([^<]+)', usual) == [
        "Company",
        "Role",
        "Stage",
        "Next interview",
        "Applied",
        "Updated",
    ]
    assert re.findall(r'<th scope="col"[^>]*>(?:<a [^>]*>)?([^<]+)', chosen) == [
        "Company",
        "Source",
        "Salary",
    ]
    assert 'data-label="Salary">' in chosen and "50000\N{EN DASH}60000 GBP" in chosen and "Referral" in chosen


def test_an_unknown_column_is_explained_and_the_usual_ones_shown(visitors):
    ApplicationFactory(owner=visitors.owner_user)
    answer = visitors.owner.get(LIST, {"columns": ["password", "role"]})

    assert answer.status_code == 400
    assert (
        "Columns: Select a valid choice. password is not one of the available choices."
        in answer.content.decode()
    )
    headers = re.findall(r'<th scope="col"[^>]*>(?:<a [^>]*>)?([^<]+)', answer.content.decode())
    assert headers == ["Company", "Role", "Stage", "Next interview", "Applied", "Updated"]
