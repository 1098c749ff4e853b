"""References: adding referees, moving each through its four steps, and not wearing anyone out."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.contacts.models import ApplicationContact, ApplicationReference, ContactKind, ReferenceStatus
from apps.pipeline.models import Application, Stage
from apps.reminders.models import Kind, Reminder, Status
from tests.contacts.factories import ContactFactory
from tests.helpers import Visitors, assert_only_owner_can_open, assert_redirects_to_login
from tests.pipeline.factories import ApplicationFactory, CompanyFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
NOW = dt.datetime(2025, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def application(owner) -> Application:
    return ApplicationFactory(
        owner=owner, role_title="Data Engineer", company=CompanyFactory(owner=owner, name="Northwind")
    )


@pytest.fixture
def referee(owner):
    return ContactFactory(owner=owner, name="Ruth Okafor", kind=ContactKind.REFEREE, company="Old Firm")


@pytest.fixture
def reference(application, referee) -> ApplicationReference:
    return ApplicationReference.objects.create(application=application, referee=referee)


def _add(client: Client, application: Application, referee_pk: int, what_to_stress: str = ""):
    url = reverse("contacts:references", args=[application.pk])
    return client.post(url, {"referee": referee_pk, "what_to_stress": what_to_stress})


def _advance(client: Client, reference: ApplicationReference, status: str, **kwargs):
    return client.post(
        reverse("contacts:reference_advance", args=[reference.pk]), {"status": status}, **kwargs
    )


def _open_reminders(kind: str) -> list[Reminder]:
    return list(Reminder.objects.filter(kind=kind, status__in=[Status.PENDING, Status.SENT]))


# --- Who may open what -------------------------------------------------------------


def test_only_the_owner_sees_an_applications_references(visitors: Visitors, reference):
    page = assert_only_owner_can_open(
        visitors, reverse("contacts:references", args=[reference.application_id])
    )

    assert "Ruth Okafor" in page.content.decode()


def test_only_the_owner_sees_a_referees_page(visitors: Visitors, reference):
    page = assert_only_owner_can_open(visitors, reverse("contacts:referee", args=[reference.referee_id]))

    assert "Data Engineer at Northwind" in page.content.decode()


def test_only_the_owner_can_move_a_reference_on(visitors: Visitors, reference):
    assert_redirects_to_login(_advance(visitors.anonymous, reference, "heads_up_sent"))
    assert _advance(visitors.stranger, reference, "heads_up_sent").status_code == 404
    reference.refresh_from_db()
    assert reference.status == ReferenceStatus.ASKED

    assert _advance(visitors.owner, reference, "heads_up_sent").status_code == 302


def test_a_stranger_cannot_add_a_referee_to_someone_elses_application(visitors: Visitors, application):
    their_contact = ContactFactory(owner=visitors.stranger_user, kind=ContactKind.REFEREE)

    assert _add(visitors.stranger, application, their_contact.pk).status_code == 404
    assert_redirects_to_login(_add(visitors.anonymous, application, their_contact.pk))
    assert not ApplicationReference.objects.exists()


# --- Adding a referee --------------------------------------------------------------


def test_adding_a_referee_shows_them_with_what_to_stress(visitors: Visitors, application, referee):
    response = _add(visitors.owner, application, referee.pk, "Led the billing migration")

    assert response.status_code == 302
    page = visitors.owner.get(response["Location"]).content.decode()
    assert "Ruth Okafor is down as a referee" in page
    assert "Led the billing migration" in page
    # They now also appear among the people of the application, as its referee.
    assert (
        ApplicationContact.objects.get(application=application, contact=referee).role == ContactKind.REFEREE
    )


def test_adding_the_same_referee_twice_keeps_one_and_says_so(visitors: Visitors, application, referee):
    _add(visitors.owner, application, referee.pk)
    response = _add(visitors.owner, application, referee.pk)

    assert ApplicationReference.objects.filter(application=application, referee=referee).count() == 1
    page = visitors.owner.get(response["Location"]).content.decode()
    assert "Ruth Okafor is already a referee for this application." in page


def test_another_users_contact_is_refused_in_the_add_form(visitors: Visitors, application, referee):
    their_contact = ContactFactory(owner=visitors.stranger_user, name="Not Yours", kind=ContactKind.REFEREE)

    response = _add(visitors.owner, application, their_contact.pk, "Kept text")

    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose someone from your own contacts." in page
    assert "Kept text" in page
    assert not ApplicationReference.objects.exists()


def test_adding_without_choosing_anyone_explains_what_is_missing(visitors: Visitors, application, referee):
    response = _add(visitors.owner, application, "")

    assert response.status_code == 400
    assert "Choose who you have asked." in response.content.decode()


def test_a_very_long_note_is_refused_and_kept_for_editing(visitors: Visitors, application, referee):
    response = _add(visitors.owner, application, referee.pk, "x" * 2001)

    assert response.status_code == 400
    page = response.content.decode()
    assert "at most 2000 characters" in page
    assert "x" * 2001 in page
    assert not ApplicationReference.objects.exists()


def test_the_add_form_offers_referees_before_other_contacts(visitors: Visitors, application, referee):
    ContactFactory(owner=visitors.owner_user, name="Aaron Recruiter", kind=ContactKind.RECRUITER_AGENCY)
    ContactFactory(owner=visitors.stranger_user, name="Stranger Danger", kind=ContactKind.REFEREE)

    page = visitors.owner.get(reverse("contacts:references", args=[application.pk])).content.decode()

    assert page.index("Your referees") < page.index("Ruth Okafor") < page.index("Other contacts")
    assert page.index("Other contacts") < page.index("Aaron Recruiter")
    assert "Stranger Danger" not in page


def test_with_no_contacts_the_page_says_how_to_add_one(visitors: Visitors, application):
    page = visitors.owner.get(reverse("contacts:references", args=[application.pk])).content.decode()

    assert "Add the person as a contact" in page
    assert reverse("contacts:contact_create") in page


def test_what_to_stress_is_shown_as_text_never_as_markup(visitors: Visitors, application, referee):
    _add(visitors.owner, application, referee.pk, "<script>alert(1)</script>")

    page = visitors.owner.get(reverse("contacts:references", args=[application.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- Moving a reference on -----------------------------------------------------------


def test_a_reference_moves_forward_step_by_step_and_records_each_date(visitors: Visitors, referee, owner):
    with time_machine.travel(NOW, tick=False) as traveller:
        application = ApplicationFactory(owner=owner)
        _add(visitors.owner, application, referee.pk)
        reference = ApplicationReference.objects.get()
        for days, status in enumerate(["heads_up_sent", "given", "thanked"], start=1):
            traveller.move_to(NOW + dt.timedelta(days=days))
            assert _advance(visitors.owner, reference, status).status_code == 302

    reference.refresh_from_db()
    assert reference.status == ReferenceStatus.THANKED
    assert reference.asked_at == NOW
    assert reference.heads_up_at == NOW + dt.timedelta(days=1)
    assert reference.given_at == NOW + dt.timedelta(days=2)
    assert reference.thanked_at == NOW + dt.timedelta(days=3)


def test_the_references_page_shows_each_step_with_its_date(visitors: Visitors, reference):
    with time_machine.travel(NOW, tick=False):
        _advance(visitors.owner, reference, "heads_up_sent")

    page = visitors.owner.get(
        reverse("contacts:references", args=[reference.application_id])
    ).content.decode()

    for name in ("Asked", "Heads-up sent", "Reference given", "Thanked"):
        assert name in page
    assert "10 Mar 2025" in page
    assert "Step 2 of 4" in page
    assert "They gave the reference" in page


def test_a_plain_advance_returns_to_the_references_page_with_a_message(visitors: Visitors, reference):
    response = _advance(visitors.owner, reference, "heads_up_sent")

    assert response["Location"] == reverse("contacts:references", args=[reference.application_id])
    page = visitors.owner.get(response["Location"]).content.decode()
    assert "Heads-up noted: Ruth Okafor knows a call may come." in page


def test_skipping_forward_is_allowed_and_fills_the_skipped_dates(visitors: Visitors, reference):
    with time_machine.travel(NOW, tick=False):
        assert _advance(visitors.owner, reference, "given").status_code == 302

    reference.refresh_from_db()
    assert reference.status == ReferenceStatus.GIVEN
    assert reference.heads_up_at == reference.given_at == NOW
    assert reference.thanked_at is None


@pytest.mark.parametrize("status", ["asked", "heads_up_sent", "given"])
def test_going_back_a_step_is_refused_and_changes_nothing(visitors: Visitors, reference, status):
    _advance(visitors.owner, reference, "given")
    reference.refresh_from_db()
    before = (reference.status, reference.heads_up_at, reference.given_at, reference.thanked_at)

    response = _advance(visitors.owner, reference, status)

    assert response.status_code == 400
    assert "Steps only move forward, so nothing was changed." in response.content.decode()
    reference.refresh_from_db()
    assert (reference.status, reference.heads_up_at, reference.given_at, reference.thanked_at) == before


@pytest.mark.parametrize("status", ["", "hired", "THANKED"])
def test_an_unknown_step_is_refused_and_changes_nothing(visitors: Visitors, reference, status):
    for kwargs in ({}, {"headers": HTMX}):
        response = _advance(visitors.owner, reference, status, **kwargs)

        assert response.status_code == 400
        assert "not one of the four steps" in response.content.decode()
    reference.refresh_from_db()
    assert reference.status == ReferenceStatus.ASKED and reference.heads_up_at is None


def test_advancing_by_htmx_returns_the_updated_reference_only(visitors: Visitors, reference):
    response = _advance(visitors.owner, reference, "heads_up_sent", headers=HTMX)

    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith(f'<li class="card mb-3" id="reference-{reference.pk}">')
    assert "<html" not in page and "Add a referee" not in page
    assert "Step 2 of 4" in page and "They gave the reference" in page


def test_a_refused_htmx_step_shows_where_the_reference_stands(visitors: Visitors, reference):
    _advance(visitors.owner, reference, "thanked")

    response = _advance(visitors.owner, reference, "given", headers=HTMX)

    assert response.status_code == 400
    page = response.content.decode()
    assert page.lstrip().startswith(f'<li class="card mb-3" id="reference-{reference.pk}">')
    assert "Ruth Okafor is already at “Thanked”" in page
    assert "Step 4 of 4" in page
    # htmx leaves an error response unswapped: the page reloads and shows the message instead.
    assert response["HX-Refresh"] == "true"
    reloaded = visitors.owner.get(reverse("contacts:references", args=[reference.application_id]))
    assert "Ruth Okafor is already at “Thanked”" in reloaded.content.decode()


def test_the_next_step_button_also_works_without_javascript(visitors: Visitors, reference):
    page = visitors.owner.get(
        reverse("contacts:references", args=[reference.application_id])
    ).content.decode()
    url = reverse("contacts:reference_advance", args=[reference.pk])

    assert f'method="post" action="{url}"' in page
    assert f'hx-post="{url}"' in page
    assert 'name="status" value="heads_up_sent"' in page


def test_advancing_only_accepts_a_post(visitors: Visitors, reference):
    assert visitors.owner.get(reverse("contacts:reference_advance", args=[reference.pk])).status_code == 405


# --- Reminders -------------------------------------------------------------------------


def test_at_second_interview_adding_a_referee_asks_for_a_heads_up(visitors: Visitors, owner, referee):
    application = ApplicationFactory(owner=owner, stage=Stage.SECOND_INTERVIEW)

    _add(visitors.owner, application, referee.pk)

    reminders = _open_reminders(Kind.REFERENCE_HEADS_UP)
    assert len(reminders) == 1 and reminders[0].application == application


def test_before_the_second_interview_no_heads_up_is_asked_for_yet(visitors: Visitors, application, referee):
    _add(visitors.owner, application, referee.pk)

    assert not Reminder.objects.filter(kind=Kind.REFERENCE_HEADS_UP).exists()


def test_marking_the_heads_up_sent_closes_its_reminder(visitors: Visitors, owner, referee):
    application = ApplicationFactory(owner=owner, stage=Stage.SECOND_INTERVIEW)
    _add(visitors.owner, application, referee.pk)
    reference = ApplicationReference.objects.get()

    _advance(visitors.owner, reference, "heads_up_sent")

    assert Reminder.objects.get(kind=Kind.REFERENCE_HEADS_UP).status == Status.DONE


def test_a_given_reference_asks_for_a_thank_you_and_thanking_closes_it(visitors: Visitors, reference):
    _advance(visitors.owner, reference, "heads_up_sent")
    assert not Reminder.objects.filter(kind=Kind.REFERENCE_THANKS).exists()

    _advance(visitors.owner, reference, "given")
    assert len(_open_reminders(Kind.REFERENCE_THANKS)) == 1

    _advance(visitors.owner, reference, "thanked")
    assert Reminder.objects.get(kind=Kind.REFERENCE_THANKS).status == Status.DONE


# --- The referee's page --------------------------------------------------------------


def _give_references(owner, referee, asked_days_ago: list[int]) -> None:
    for days in asked_days_ago:
        ApplicationReference.objects.create(
            application=ApplicationFactory(owner=owner),
            referee=referee,
            asked_at=timezone.now() - dt.timedelta(days=days),
        )


def test_the_referee_page_counts_uses_and_names_the_last_one(visitors: Visitors, owner, referee):
    with time_machine.travel(NOW, tick=False):
        _give_references(owner, referee, [200, 40])
        page = visitors.owner.get(reverse("contacts:referee", args=[referee.pk])).content.decode()

    assert "Used 2 times, last on" in page
    assert "29 January 2025" in page
    assert "Give them a rest" not in page


def test_the_referee_page_asks_for_a_rest_after_three_uses_in_ninety_days(visitors: Visitors, owner, referee):
    _give_references(owner, referee, [1, 30, 89])

    page = visitors.owner.get(reverse("contacts:referee", args=[referee.pk])).content.decode()

    assert "Used 3 times" in page
    assert "Give them a rest, or ask someone else." in page
    assert "3 references in the last 90 days" in page


def test_uses_older_than_ninety_days_do_not_call_for_a_rest(visitors: Visitors, owner, referee):
    _give_references(owner, referee, [1, 30, 91])

    page = visitors.owner.get(reverse("contacts:referee", args=[referee.pk])).content.decode()

    assert "Used 3 times" in page
    assert "Give them a rest" not in page


def test_a_tired_referee_is_flagged_in_the_add_form(visitors: Visitors, owner, referee, application):
    _give_references(owner, referee, [1, 2, 3])

    page = visitors.owner.get(reverse("contacts:references", args=[application.pk])).content.decode()

    assert "Ruth Okafor · Old Firm (asked 3 times lately)" in page


def test_a_contact_never_put_forward_has_an_empty_referee_page(visitors: Visitors, referee):
    page = visitors.owner.get(reverse("contacts:referee", args=[referee.pk])).content.decode()

    assert "Not put forward as a referee yet." in page


def test_another_users_references_never_count_on_the_referee_page(visitors: Visitors, owner, referee):
    _give_references(owner, referee, [5])
    # A stranger cannot point at the owner's contact, but make sure their own rows are apart anyway.
    _give_references(visitors.stranger_user, ContactFactory(owner=visitors.stranger_user), [1, 2, 3])

    page = visitors.owner.get(reverse("contacts:referee", args=[referee.pk])).content.decode()

    assert "Used 1 time," in page


# --- The card on the application page -------------------------------------------------


def test_the_application_card_lists_referees_and_links_to_manage_them(reference, application):
    html = render_to_string("contacts/_references_card.html", {"application": application})

    assert "Ruth Okafor" in html and "Asked to be a referee" in html
    assert reverse("contacts:references", args=[application.pk]) in html
    assert "Manage references" in html


def test_the_application_card_without_referees_invites_to_add_one(application):
    html = render_to_string("contacts/_references_card.html", {"application": application})

    assert "No referees yet." in html and "Manage references" in html


# --- Queries do not grow with the data ---------------------------------------------------


def _count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_references_page_makes_as_many_queries_for_one_referee_as_for_many(
    visitors: Visitors, owner, application
):
    url = reverse("contacts:references", args=[application.pk])
    ApplicationReference.objects.create(application=application, referee=ContactFactory(owner=owner))
    few = _count_queries(visitors.owner, url)

    for _ in range(15):
        contact = ContactFactory(owner=owner, kind=ContactKind.REFEREE)
        ApplicationReference.objects.create(application=application, referee=contact)
        _give_references(owner, contact, [3])
    many = _count_queries(visitors.owner, url)

    assert few == many


def test_the_referee_page_makes_as_many_queries_for_one_application_as_for_many(
    visitors: Visitors, owner, referee
):
    url = reverse("contacts:referee", args=[referee.pk])
    _give_references(owner, referee, [3])
    few = _count_queries(visitors.owner, url)

    _give_references(owner, referee, list(range(4, 24)))
    many = _count_queries(visitors.owner, url)

    assert few == many
