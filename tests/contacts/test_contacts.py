import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.contacts import services
from apps.contacts.models import ApplicationContact, Contact, Interaction, InterviewParticipant
from apps.pipeline import services as pipeline
from tests.contacts.factories import ContactFactory
from tests.helpers import assert_only_owner_can_open, assert_redirects_to_login
from tests.pipeline.factories import ApplicationFactory, InterviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def recruiter(owner):
    return ContactFactory(
        owner=owner, name="Rita Recruiter", email="rita@agency.example.com", company="Agency"
    )


def _new_contact(**overrides):
    data = {
        "name": "Sam Hiring",
        "kind": "hiring_manager",
        "company": "Acme",
        "email": "sam@acme.example.com",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "name", ["contacts:contact", "contacts:contact_edit", "contacts:contact_delete", "contacts:contact_vcard"]
)
def test_contact_pages_open_only_for_their_owner(visitors, recruiter, name):
    assert_only_owner_can_open(visitors, reverse(name, args=[recruiter.pk]))


def test_the_people_page_asks_a_visitor_to_log_in(client):
    assert_redirects_to_login(client.get(reverse("contacts:contacts")))


def test_search_and_filter_find_the_right_people(visitors, recruiter):
    ContactFactory(owner=visitors.owner_user, name="Ivan Interviewer", kind="interviewer", company="Globex")
    ContactFactory(owner=visitors.stranger_user, name="Rita's Twin", company="Agency")

    by_company = visitors.owner.get(reverse("contacts:contacts"), {"q": "agency"}).content.decode()
    recruiters = visitors.owner.get(reverse("contacts:contacts"), {"kind": "recruiters"}).content.decode()

    assert "Rita Recruiter" in by_company and "Ivan" not in by_company and "Twin" not in by_company
    assert "Rita Recruiter" in recruiters and "Ivan" not in recruiters


def test_adding_a_person_with_a_known_email_warns_first_then_saves_on_confirmation(visitors, recruiter):
    data = _new_contact(name="Rita Again", email="RITA@agency.example.com")

    warned = visitors.owner.post(reverse("contacts:contact_create"), data)
    assert warned.status_code == 400
    assert "You already have someone with this email address" in warned.content.decode()
    assert 'value="Rita Again"' in warned.content.decode()
    assert Contact.objects.count() == 1

    confirmed = visitors.owner.post(reverse("contacts:contact_create"), {**data, "confirm_duplicate": "on"})
    assert confirmed.status_code == 302
    assert Contact.objects.count() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "sam@"}, "That does not look like an email address"),
        ({"linkedin_url": "linkedin dot com slash sam"}, "Paste the whole address of their profile"),
        ({"name": "   "}, "This field is required."),
        ({"phone": "call me maybe"}, "Use digits, spaces"),
    ],
)
def test_bad_contact_details_are_explained_and_kept(visitors, overrides, message):
    response = visitors.owner.post(
        reverse("contacts:contact_create"), _new_contact(company="Kept Co", **overrides)
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'value="Kept Co"' in response.content.decode()
    assert not Contact.objects.exists()


def test_a_person_attached_twice_to_an_application_is_listed_once(owner, recruiter):
    application = ApplicationFactory(owner=owner)

    services.application_add_contact(application=application, contact=recruiter)
    services.application_add_contact(application=application, contact=recruiter)

    assert ApplicationContact.objects.filter(application=application).count() == 1


def test_someone_elses_contact_cannot_be_attached(visitors, recruiter):
    theirs = ApplicationFactory(owner=visitors.stranger_user)

    response = visitors.stranger.post(
        reverse("contacts:application_people", args=[theirs.pk]),
        {"action": "attach", "contact": recruiter.pk},
    )

    assert response.status_code == 302  # back to their page, with the reason
    assert not ApplicationContact.objects.exists()


def test_the_contact_page_shows_everything_that_passed_between_you_newest_first(visitors, recruiter):
    application = ApplicationFactory(owner=visitors.owner_user, role_title="Platform Engineer")
    interview = InterviewFactory(application=application)
    services.interview_add_participant(interview=interview, contact=recruiter)
    now = timezone.now()
    services.interaction_log(
        owner=visitors.owner_user,
        contact=recruiter,
        summary="First call",
        happened_at=now - dt.timedelta(days=3),
    )
    services.interaction_log(
        owner=visitors.owner_user,
        contact=recruiter,
        application=application,
        summary="Feedback call",
        feedback="They liked the system design answer",
        happened_at=now - dt.timedelta(days=1),
    )

    page = visitors.owner.get(reverse("contacts:contact", args=[recruiter.pk])).content.decode()

    assert page.index("Feedback call") < page.index("First call")
    assert "They liked the system design answer" in page
    assert "Platform Engineer" in page
    assert "Met at round 1" in page


def test_feedback_logged_on_an_application_shows_on_its_history(visitors, recruiter):
    application = ApplicationFactory(owner=visitors.owner_user)
    url = reverse("contacts:application_interaction_create", args=[application.pk])
    today = timezone.localtime(timezone.now(), visitors.owner_user.zone).date().isoformat()

    response = visitors.owner.post(
        url,
        {
            "contact": recruiter.pk,
            "date": today,
            "time": "00:01",
            "channel": "call",
            "direction": "incoming",
            "summary": "Rita called back",
            "feedback": "Strong on architecture, light on testing",
        },
    )

    assert response.status_code == 302
    page = visitors.owner.get(reverse("pipeline:application_detail", args=[application.pk])).content.decode()
    assert "Call with Rita Recruiter" in page
    assert "Strong on architecture, light on testing" in page


def test_an_interaction_in_the_future_is_refused_with_the_text_kept(visitors, recruiter):
    tomorrow = (timezone.now() + dt.timedelta(days=2)).date().isoformat()

    response = visitors.owner.post(
        reverse("contacts:interaction_create", args=[recruiter.pk]),
        {"date": tomorrow, "channel": "call", "direction": "outgoing", "summary": "Not yet happened"},
    )

    assert response.status_code == 400
    assert "That is in the future" in response.content.decode()
    assert "Not yet happened" in response.content.decode()
    assert not Interaction.objects.exists()


def test_deleting_a_contact_keeps_the_interviews_they_were_in_readable(visitors, recruiter):
    interview = InterviewFactory(application=ApplicationFactory(owner=visitors.owner_user))
    services.interview_add_participant(interview=interview, contact=recruiter)

    asked = visitors.owner.get(reverse("contacts:contact_delete", args=[recruiter.pk]))
    visitors.owner.post(reverse("contacts:contact_delete", args=[recruiter.pk]))

    assert "keep their name" in asked.content.decode()
    participant = InterviewParticipant.objects.get()
    assert participant.contact is None
    assert participant.name == "Rita Recruiter (deleted contact)"
    page = visitors.owner.get(
        reverse("pipeline:application_detail", args=[interview.application_id])
    ).content.decode()
    assert "Rita Recruiter (deleted contact)" in page


def test_the_vcard_holds_the_contact_with_special_characters_escaped(visitors):
    contact = ContactFactory(
        owner=visitors.owner_user, name="Ana Lima", company="Smith, Jones; Partners", email="ana@example.com"
    )

    response = visitors.owner.get(reverse("contacts:contact_vcard", args=[contact.pk]))

    body = response.content.decode()
    assert response["Content-Type"].startswith("text/vcard")
    assert "FN:Ana Lima\r\n" in body
    assert "N:Lima;Ana;;;\r\n" in body
    assert "ORG:Smith\\, Jones\\; Partners\r\n" in body
    assert body.startswith("BEGIN:VCARD\r\n") and body.endswith("END:VCARD\r\n")


def test_people_added_inline_answer_htmx_with_the_people_list_only(visitors):
    interview = InterviewFactory(application=ApplicationFactory(owner=visitors.owner_user))

    response = visitors.owner.post(
        reverse("contacts:interview_people", args=[interview.pk]),
        {"action": "create", "name": "Priya Panel", "kind": "interviewer", "email": ""},
        headers={"HX-Request": "true"},
    )

    page = response.content.decode()
    assert page.lstrip().startswith(f'<div class="people" id="people-interview-{interview.pk}"')
    assert "Priya Panel" in page
    assert ApplicationContact.objects.filter(
        application=interview.application, contact__name="Priya Panel"
    ).exists()


def test_a_rejected_application_suggests_keeping_in_touch(visitors):
    application = ApplicationFactory(owner=visitors.owner_user)
    pipeline.application_move_stage(application=application, to_stage="rejected")

    page = visitors.owner.get(reverse("pipeline:application_detail", args=[application.pk])).content.decode()

    assert "Keep the door open" in page
