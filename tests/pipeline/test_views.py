import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.pipeline.models import Application, Interview, Stage
from tests.helpers import assert_only_owner_can_open, assert_redirects_to_login
from tests.pipeline.factories import ApplicationFactory, CompanyFactory, InterviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(owner):
    return ApplicationFactory(owner=owner, role_title="Platform Engineer", stage=Stage.FIRST_INTERVIEW)


def _new_application(**overrides):
    data = {
        "company_name": "Acme",
        "role_title": "Platform Engineer",
        "stage": Stage.APPLIED,
        "salary_min": "60000",
        "salary_max": "75000",
        "salary_currency": "gbp",
        "notes": "Met them at a meetup",
        "creation_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def _interview(**overrides):
    data = {
        "round_number": "1",
        "date": "2026-12-03",
        "start_time": "14:00",
        "end_time": "15:00",
        "format": "video",
        "location": "https://meet.example.com/abc",
        "creation_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "name", ["pipeline:application_detail", "pipeline:application_edit", "pipeline:interview_create"]
)
def test_application_pages_open_only_for_their_owner(visitors, application, name):
    assert_only_owner_can_open(visitors, reverse(name, args=[application.pk]))


def test_interview_edit_opens_only_for_its_owner(visitors, application):
    interview = InterviewFactory(application=application)

    assert_only_owner_can_open(visitors, reverse("pipeline:interview_edit", args=[interview.pk]))


@pytest.mark.parametrize(
    "name", ["pipeline:board", "pipeline:application_list", "pipeline:application_create"]
)
def test_pipeline_pages_ask_a_visitor_to_log_in(client, name):
    assert_redirects_to_login(client.get(reverse(name)))


def test_the_board_and_list_never_show_another_users_applications(visitors, application):
    ApplicationFactory(owner=visitors.stranger_user, role_title="Secret Stranger Role")

    for name in ("pipeline:board", "pipeline:application_list"):
        page = visitors.owner.get(reverse(name)).content.decode()
        assert "Platform Engineer" in page
        assert "Secret Stranger Role" not in page


def test_adding_an_application_opens_its_page(visitors):
    response = visitors.owner.post(reverse("pipeline:application_create"), _new_application())

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("pipeline:application_detail", args=[application.pk])
    assert application.owner == visitors.owner_user
    assert application.salary_currency == "GBP"
    page = visitors.owner.get(response["Location"]).content.decode()
    assert "Platform Engineer" in page
    assert "Added at <strong>Applied</strong>" in page


def test_a_double_submitted_create_form_makes_one_application(visitors):
    data = _new_application()

    first = visitors.owner.post(reverse("pipeline:application_create"), data)
    second = visitors.owner.post(reverse("pipeline:application_create"), data)

    assert Application.objects.count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.parametrize(
    ("overrides", "field_error"),
    [
        ({"company_name": "   "}, "This field is required."),
        ({"company_name": "A" * 500}, "Ensure this value has at most 200 characters"),
        ({"salary_min": "90000", "salary_max": "50000"}, "This is lower than the salary it starts from."),
        ({"stage": "hired_on_the_spot"}, "Select a valid choice"),
        ({"job_url": "not a link at all"}, "Enter a valid URL"),
        ({"salary_currency": "12"}, "Ensure this value has at least 3 characters"),
    ],
)
def test_bad_application_input_is_explained_and_nothing_typed_is_lost(visitors, overrides, field_error):
    data = _new_application(**overrides)

    response = visitors.owner.post(reverse("pipeline:application_create"), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert field_error in page
    assert "Met them at a meetup" in page  # the rest of the form is kept
    assert not Application.objects.exists()


def test_markup_typed_into_an_application_is_shown_as_text(visitors):
    visitors.owner.post(
        reverse("pipeline:application_create"), _new_application(role_title="<script>alert('x')</script>")
    )

    for url in (reverse("pipeline:board"), reverse("pipeline:application_list")):
        page = visitors.owner.get(url).content.decode()
        assert "<script>alert(" not in page
        assert "&lt;script&gt;alert(" in page


def test_a_stranger_cannot_move_or_archive_someone_elses_application(visitors, application):
    move = visitors.stranger.post(
        reverse("pipeline:application_move", args=[application.pk]), {"stage": "offer"}
    )
    archive = visitors.stranger.post(
        reverse("pipeline:application_archive", args=[application.pk]), {"archived": "on"}
    )

    assert move.status_code == archive.status_code == 404
    application.refresh_from_db()
    assert (application.stage, application.archived) == (Stage.FIRST_INTERVIEW, False)


def test_the_move_menu_works_without_javascript(visitors, application):
    response = visitors.owner.post(
        reverse("pipeline:application_move", args=[application.pk]),
        {"stage": Stage.FINAL_ROUND, "next": reverse("pipeline:board")},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("pipeline:board")
    application.refresh_from_db()
    assert application.stage == Stage.FINAL_ROUND


def test_a_move_never_redirects_to_another_site(visitors, application):
    response = visitors.owner.post(
        reverse("pipeline:application_move", args=[application.pk]),
        {"stage": Stage.FINAL_ROUND, "next": "https://evil.example.com/"},
    )

    assert response["Location"] == reverse("pipeline:application_detail", args=[application.pk])


def test_a_move_from_the_board_with_htmx_returns_the_new_board(visitors, application):
    response = visitors.owner.post(
        reverse("pipeline:application_move", args=[application.pk]),
        {"stage": Stage.FINAL_ROUND},
        headers={"HX-Request": "true", "HX-Target": "board"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="board"')
    assert "<html" not in page


def test_a_stage_that_does_not_exist_in_a_post_changes_nothing(visitors, application):
    response = visitors.owner.post(
        reverse("pipeline:application_move", args=[application.pk]),
        {"stage": "drop table", "note": "Why not"},
    )

    # The application page again, the reason beside the form and the note as typed.
    assert response.status_code == 400
    assert "Choose a stage from the list." in response.content.decode()
    assert 'value="Why not"' in response.content.decode()
    application.refresh_from_db()
    assert application.stage == Stage.FIRST_INTERVIEW


def test_moving_to_the_second_round_offers_to_schedule_it(visitors, application):
    response = visitors.owner.post(
        reverse("pipeline:application_move", args=[application.pk]), {"stage": Stage.SECOND_INTERVIEW}
    )

    assert response["Location"] == reverse("pipeline:interview_create", args=[application.pk]) + "?round=2"
    form = visitors.owner.get(response["Location"]).content.decode()
    assert 'name="round_number" value="2"' in form


def test_archiving_hides_an_application_from_the_board_until_restored(visitors, application):
    url = reverse("pipeline:application_archive", args=[application.pk])

    visitors.owner.post(url, {"archived": "on"}, follow=True)  # follow: the message is read here
    hidden = "Platform Engineer" not in visitors.owner.get(reverse("pipeline:board")).content.decode()
    visitors.owner.post(url, {}, follow=True)
    shown = "Platform Engineer" in visitors.owner.get(reverse("pipeline:board")).content.decode()

    assert hidden and shown


def test_an_interview_is_entered_in_the_users_time_zone_and_stored_in_utc(visitors, application):
    visitors.owner_user.time_zone = "America/New_York"
    visitors.owner_user.save()

    response = visitors.owner.post(reverse("pipeline:interview_create", args=[application.pk]), _interview())

    assert response.status_code == 302
    interview = Interview.objects.get()
    assert interview.starts_at == dt.datetime(2026, 12, 3, 19, 0, tzinfo=dt.UTC)
    page = visitors.owner.get(reverse("pipeline:application_detail", args=[application.pk])).content.decode()
    assert "Thursday 3 December 2026, 14:00" in page


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"end_time": "13:00"}, "The interview must end after it starts."),
        ({"end_time": "14:00"}, "The interview must end after it starts."),
        ({"date": "2026-13-45"}, "Enter a valid date."),
        ({"round_number": "0"}, "Ensure this value is greater than or equal to 1."),
    ],
)
def test_bad_interview_times_are_explained_and_kept(visitors, application, overrides, error):
    response = visitors.owner.post(
        reverse("pipeline:interview_create", args=[application.pk]),
        _interview(notes="Ask about on-call", **overrides),
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert error in page
    assert "Ask about on-call" in page
    assert not Interview.objects.exists()


def test_a_time_the_clocks_skip_is_refused(visitors, application):
    # 02:30 on 29 March 2026 does not exist in London: clocks jump from 01:00 to 02:00 UTC.
    response = visitors.owner.post(
        reverse("pipeline:interview_create", args=[application.pk]),
        _interview(date="2026-03-29", start_time="01:30", end_time="02:30"),
    )

    assert response.status_code == 400
    assert "that time does not exist" in response.content.decode()


def test_an_interview_on_an_archived_application_is_refused_with_a_reason(visitors, application):
    application.archived = True
    application.save()

    response = visitors.owner.post(reverse("pipeline:interview_create", args=[application.pk]), _interview())

    assert response.status_code == 400
    assert "This application is archived" in response.content.decode()


def test_a_double_submitted_interview_form_makes_one_interview(visitors, application):
    data = _interview()
    url = reverse("pipeline:interview_create", args=[application.pk])

    visitors.owner.post(url, data)
    visitors.owner.post(url, data)

    assert Interview.objects.count() == 1


def test_rescheduling_from_the_edit_form_moves_the_interview(visitors, application):
    interview = InterviewFactory(
        application=application,
        starts_at=dt.datetime(2026, 12, 3, 14, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 12, 3, 15, tzinfo=dt.UTC),
    )
    edit_url = reverse("pipeline:interview_edit", args=[interview.pk])
    form = visitors.owner.get(edit_url).content.decode()
    assert 'value="2026-12-03"' in form and 'value="14:00"' in form  # London is UTC in December

    data = _interview(date="2026-12-04", start_time="10:00", end_time="11:30", outcome="pending")
    data.pop("creation_token")
    visitors.owner.post(edit_url, data)

    interview.refresh_from_db()
    assert interview.starts_at == dt.datetime(2026, 12, 4, 10, tzinfo=dt.UTC)
    assert interview.sequence == 1


def test_cancelling_an_interview_needs_a_post_by_its_owner(visitors, application):
    interview = InterviewFactory(application=application)
    url = reverse("pipeline:interview_cancel", args=[interview.pk])

    assert visitors.owner.get(url).status_code == 405
    assert visitors.stranger.post(url).status_code == 404
    assert visitors.owner.post(url).status_code == 302
    interview.refresh_from_db()
    assert interview.is_cancelled


def test_a_round_two_interview_shows_the_general_odds_to_a_new_user(visitors, application):
    InterviewFactory(application=application, round_number=2, starts_at=timezone.now() + dt.timedelta(days=2))

    page = visitors.owner.get(reverse("pipeline:application_detail", args=[application.pk])).content.decode()

    assert "about one second-round candidate in three gets the offer" in page


def _list(visitors, **query):
    response = visitors.owner.get(reverse("pipeline:application_list"), query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_list_filters_by_stage_company_dates_and_archive(visitors):
    owner = visitors.owner_user
    now = timezone.now()
    acme = ApplicationFactory(owner=owner, role_title="Acme Role", stage=Stage.SCREENING)
    old = ApplicationFactory(
        owner=owner, role_title="Old Role", stage=Stage.REJECTED, stage_changed_at=now - dt.timedelta(days=60)
    )
    ApplicationFactory(owner=owner, role_title="Shelved Role", archived=True)

    assert "Acme Role" in _list(visitors, stage=Stage.SCREENING)
    assert "Old Role" not in _list(visitors, stage="active")
    assert "Old Role" in _list(visitors, stage="closed")
    assert "Old Role" not in _list(visitors, company=acme.company_id)
    recent = _list(visitors, applied_from=(now - dt.timedelta(days=7)).date().isoformat())
    assert "Acme Role" in recent and "Old Role" not in recent
    assert "Shelved Role" not in _list(visitors)
    assert "Shelved Role" in _list(visitors, show="archived")
    assert old.role_title in _list(visitors, show="all", sort="-applied")


def test_a_date_range_back_to_front_is_explained(visitors):
    response = visitors.owner.get(
        reverse("pipeline:application_list"), {"applied_from": "2026-05-01", "applied_to": "2026-04-01"}
    )

    assert response.status_code == 400
    assert "This is before the date it starts from." in response.content.decode()


def test_filtering_by_another_users_company_finds_none_of_their_data(visitors):
    theirs = ApplicationFactory(owner=visitors.stranger_user, role_title="Their Role")
    name = theirs.company.name

    response = visitors.owner.get(reverse("pipeline:application_list"), {"company": name})
    suggested = visitors.owner.get(reverse("pipeline:suggest", args=["companies"]), {"company": name})

    assert response.status_code == 200
    assert "Their Role" not in response.content.decode()
    assert name not in suggested.content.decode()


def test_the_company_box_suggests_names_as_they_are_typed(visitors):
    for name in ("Acme Robotics", "Umbrella Acme", "Globex"):
        ApplicationFactory(
            owner=visitors.owner_user, company=CompanyFactory(owner=visitors.owner_user, name=name)
        )

    response = visitors.owner.get(
        reverse("pipeline:suggest", args=["companies"]), {"company": "acm"}, headers={"HX-Request": "true"}
    )

    # Names that start with it first, then those that hold it.
    assert response.content.decode() == (
        '<option value="Acme Robotics"></option><option value="Umbrella Acme"></option>\n'
    )


def test_the_list_filters_by_a_part_of_the_company_name(visitors):
    owner = visitors.owner_user
    ApplicationFactory(
        owner=owner, role_title="At Acme", company=CompanyFactory(owner=owner, name="Acme Robotics")
    )
    ApplicationFactory(
        owner=owner, role_title="At Globex", company=CompanyFactory(owner=owner, name="Globex")
    )

    page = _list(visitors, company="ACME rob")

    assert "At Acme" in page and "At Globex" not in page


def _applications_with_recruiters(owner, count):
    from apps.contacts import services as contacts
    from tests.contacts.factories import ContactFactory

    for _ in range(count):
        application = ApplicationFactory(owner=owner)
        contacts.application_add_contact(application=application, contact=ContactFactory(owner=owner))


def _list_queries(visitors):
    with CaptureQueriesContext(connection) as captured:
        page = visitors.owner.get(reverse("pipeline:application_list")).content.decode()
    return len(captured), page


def test_the_filter_boxes_cost_the_same_for_ten_companies_or_seventy(visitors):
    _applications_with_recruiters(visitors.owner_user, 10)
    few, _ = _list_queries(visitors)
    _applications_with_recruiters(visitors.owner_user, 60)
    many, page = _list_queries(visitors)

    assert many == few
    assert page.count("<option") < 40  # no menu of every company or every recruiter


def test_the_list_answers_htmx_with_the_results_only(visitors):
    ApplicationFactory(owner=visitors.owner_user, role_title="Data Engineer")

    response = visitors.owner.get(
        reverse("pipeline:application_list"), {"q": "data"}, headers={"HX-Request": "true"}
    )

    page = response.content.decode()
    assert page.lstrip().startswith('<div id="results">')
    assert "Data Engineer" in page


def test_a_user_with_ten_decided_second_rounds_sees_their_own_odds(visitors):
    owner = visitors.owner_user
    for index in range(10):
        past_round = ApplicationFactory(owner=owner, stage=Stage.REJECTED if index % 5 else Stage.OFFER)
        InterviewFactory(application=past_round, round_number=2)
        if not index % 5:
            past_round.stage_changes.update(to_stage=Stage.OFFER)
    current = ApplicationFactory(owner=owner, stage=Stage.SECOND_INTERVIEW)
    InterviewFactory(application=current, round_number=2)

    page = visitors.owner.get(reverse("pipeline:application_detail", args=[current.pk])).content.decode()

    assert "Of your own 10 decided second rounds, 2 became an offer (20%)." in page


def test_the_list_filters_by_recruiter(visitors):
    from apps.contacts import services as contacts
    from tests.contacts.factories import ContactFactory

    recruiter = ContactFactory(owner=visitors.owner_user, name="Rita Recruiter")
    through_rita = ApplicationFactory(owner=visitors.owner_user, role_title="Via Rita")
    ApplicationFactory(owner=visitors.owner_user, role_title="Applied Directly")
    contacts.application_add_contact(application=through_rita, contact=recruiter)

    page = _list(visitors, recruiter="rita")  # a part of the name, any case

    assert "Via Rita" in page and "Applied Directly" not in page
