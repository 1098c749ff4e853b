"""Adding someone you know to an application or an interview, however many people you know."""

import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.contacts.models import ApplicationContact, Contact
from apps.contacts.selectors import PICKER_SHOWN, SUGGESTIONS
from tests.contacts.factories import ContactFactory
from tests.pipeline.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def many_contacts(owner, count: int) -> list[Contact]:
    return Contact.objects.bulk_create(
        Contact(owner=owner, name=f"Someone {number:04d}", company="Crowd Ltd", kind="other")
        for number in range(count)
    )


def people_url(application) -> str:
    return reverse("contacts:application_people", args=[application.pk])


def attached(application) -> list[str]:
    return sorted(
        ApplicationContact.objects.filter(application=application).values_list("contact__name", flat=True)
    )


def test_someone_who_knows_a_few_people_picks_them_from_a_menu(visitors):
    application = ApplicationFactory(owner=visitors.owner_user)
    ContactFactory(owner=visitors.owner_user, name="Priya Natarajan", company="Hire Partners")

    page = visitors.owner.get(reverse("pipeline:application_detail", args=[application.pk])).content.decode()

    assert '<select name="contact"' in page
    assert "Priya Natarajan (Hire Partners)</option>" in page


def test_someone_who_knows_many_people_types_a_name_and_the_page_lists_none_of_them(visitors):
    application = ApplicationFactory(owner=visitors.owner_user)
    many_contacts(visitors.owner_user, PICKER_SHOWN + 1)

    page = visitors.owner.get(reverse("pipeline:application_detail", args=[application.pk])).content.decode()

    assert '<select name="contact"' not in page
    assert 'name="contact_name"' in page
    assert "Someone 0000" not in page


def test_a_typed_name_adds_that_person_with_htmx_and_without(visitors):
    application = ApplicationFactory(owner=visitors.owner_user)
    many_contacts(visitors.owner_user, PICKER_SHOWN + 1)

    part = visitors.owner.post(
        people_url(application), {"action": "attach", "contact_name": "  someone   0007 "}, headers=HTMX
    )
    plain = visitors.owner.post(people_url(application), {"action": "attach", "contact_name": "Someone 0008"})

    assert part.status_code == 200 and "Someone 0007" in part.content.decode()
    assert plain.status_code == 302
    assert attached(application) == ["Someone 0007", "Someone 0008"]


def test_two_people_of_one_name_are_told_apart_by_the_company_the_suggestion_names(visitors):
    application = ApplicationFactory(owner=visitors.owner_user)
    ContactFactory(owner=visitors.owner_user, name="Sam Lee", company="Acme")
    wanted = ContactFactory(owner=visitors.owner_user, name="Sam Lee", company="Globex")

    ambiguous = visitors.owner.post(
        people_url(application), {"action": "attach", "contact_name": "Sam Lee"}, headers=HTMX
    )
    labelled = visitors.owner.post(
        people_url(application), {"action": "attach", "contact_name": "Sam Lee (Globex)"}, headers=HTMX
    )

    assert ambiguous.status_code == 400
    assert "more than one Sam Lee" in ambiguous.content.decode()
    assert labelled.status_code == 200
    assert list(
        ApplicationContact.objects.filter(application=application).values_list("contact", flat=True)
    ) == [wanted.pk]


def test_a_name_nobody_has_is_refused_with_the_text_kept_with_htmx_and_without(visitors):
    application = ApplicationFactory(owner=visitors.owner_user)
    many_contacts(visitors.owner_user, PICKER_SHOWN + 1)
    typed = {"action": "attach", "contact_name": "Nobody Atall"}

    part = visitors.owner.post(people_url(application), typed, headers=HTMX)
    plain = visitors.owner.post(people_url(application), typed)

    for answer in (part, plain):
        page = answer.content.decode()
        assert answer.status_code == 400
        assert "No one called “Nobody Atall” is in your contacts" in page
        assert 'value="Nobody Atall"' in page
    assert attached(application) == []


def test_a_post_naming_nobody_at_all_is_refused(visitors):
    application = ApplicationFactory(owner=visitors.owner_user)
    ContactFactory(owner=visitors.owner_user)

    answer = visitors.owner.post(people_url(application), {"action": "attach"})

    assert answer.status_code == 302
    assert "Choose someone you know" in " ".join(str(m) for m in get_messages(answer.wsgi_request))
    assert attached(application) == []


def test_someone_elses_contact_cannot_be_added_by_typing_their_name(visitors):
    application = ApplicationFactory(owner=visitors.owner_user)
    ContactFactory(owner=visitors.stranger_user, name="Their Recruiter", company="Elsewhere")

    answer = visitors.owner.post(
        people_url(application),
        {"action": "attach", "contact_name": "Their Recruiter (Elsewhere)"},
        headers=HTMX,
    )

    assert answer.status_code == 400
    assert attached(application) == []


def test_suggestions_are_my_own_people_whose_name_or_company_holds_what_was_typed(visitors):
    ContactFactory(owner=visitors.owner_user, name="Ann Archer", company="Zeta")
    ContactFactory(owner=visitors.owner_user, name="Joanna Ng", company="")
    ContactFactory(owner=visitors.owner_user, name="Bo Diaz", company="Annex Labs")
    ContactFactory(owner=visitors.stranger_user, name="Anne Other", company="Theirs")

    answer = visitors.owner.get(reverse("contacts:suggest"), {"contact_name": "ann"}).content.decode()

    # Names that start with it first, then the rest by name; the company tells namesakes apart.
    assert re.findall(r'value="([^"]*)"', answer) == [
        "Ann Archer (Zeta)",
        "Bo Diaz (Annex Labs)",
        "Joanna Ng",
    ]


def test_suggestions_stop_at_a_short_list_and_nothing_typed_suggests_nothing(visitors):
    many_contacts(visitors.owner_user, SUGGESTIONS + 5)

    some = visitors.owner.get(reverse("contacts:suggest"), {"contact_name": "someone"}).content.decode()
    blank = visitors.owner.get(reverse("contacts:suggest"), {"contact_name": "   "}).content.decode()

    assert len(re.findall("<option", some)) == SUGGESTIONS
    assert "<option" not in blank


def test_the_application_page_costs_the_same_queries_for_sixty_contacts_as_for_six_hundred(visitors):
    application = ApplicationFactory(owner=visitors.owner_user)
    page = reverse("pipeline:application_detail", args=[application.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert visitors.owner.get(page).status_code == 200
        return len(captured)

    many_contacts(visitors.owner_user, 60)
    sixty = queries()
    Contact.objects.bulk_create(
        Contact(owner=visitors.owner_user, name=f"More {n}", kind="other") for n in range(540)
    )

    assert queries() == sixty
