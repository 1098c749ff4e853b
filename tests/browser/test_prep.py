import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.contacts import services as contacts
from apps.journal import services as journal
from apps.prep.models import PrepPlan
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import SCREENSHOTS, log_in
from tests.contacts.factories import ContactFactory
from tests.pipeline.factories import ApplicationFactory, CompanyFactory, InterviewFactory
from tests.prep.factories import StoryFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def second_round():
    user = UserFactory(email="prep@example.com", first_name="Noor", time_zone="Europe/London")
    application = ApplicationFactory(
        owner=user, company=CompanyFactory(owner=user, name="Umbrella Labs"), role_title="Staff Engineer"
    )
    last_week = timezone.now() - dt.timedelta(days=7)
    first = InterviewFactory(
        application=application,
        round_number=1,
        starts_at=last_week,
        ends_at=last_week + dt.timedelta(hours=1),
    )
    journal.reflection_save(
        interview=first,
        base_version=0,
        fields={
            "went_well": "The system design whiteboard",
            "to_improve": "Have questions ready for the end",
        },
    )
    soon = timezone.now() + dt.timedelta(days=3)
    second = InterviewFactory(
        application=application, round_number=2, starts_at=soon, ends_at=soon + dt.timedelta(hours=2)
    )
    for name, kind in (("Dana Director", "senior_leader"), ("Priya Peer", "colleague")):
        contacts.interview_add_participant(
            interview=second, contact=ContactFactory(owner=user, name=name, kind=kind)
        )
    StoryFactory(owner=user, title="The migration weekend")
    return second


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_building_a_brief_for_round_two_and_printing_it(live_server, open_page, second_round, device):
    browser_page = open_page(device)
    page = browser_page.page
    log_in(browser_page, live_server.url, "prep@example.com", PASSWORD)
    page.goto(f"{live_server.url}/applications/{second_round.application_id}/")
    page.get_by_role("link", name="Prepare").click()

    expect(page.get_by_text("The system design whiteboard")).to_be_visible()
    expect(
        page.get_by_text("How you think strategically")
    ).to_be_visible()  # what a senior leader cares about
    page.locator("#areas").get_by_label("Notes on how much you want this job").fill("Their mission is mine")
    page.locator("#areas").get_by_label("I am ready for this one").first.check()
    page.get_by_role("button", name="Save the five areas").click()
    expect(page.get_by_text("The five areas are saved.")).to_be_visible()
    page.locator("#stories").get_by_role("combobox").select_option(label="The migration weekend")
    page.get_by_role("button", name="Choose").click()
    page.get_by_role("button", name="+ What would success look like for this role after six months?").click()
    expect(page.locator("#questions")).to_contain_text("What would success look like")
    page.evaluate("window.scrollTo(0, 0)")
    browser_page.screenshot("prep-brief", full_page=device == "desktop")
    assert not browser_page.has_horizontal_scroll()
    assert browser_page.console_errors == []

    page.get_by_role("link", name="Print the one-page brief").click()
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", name="Questions to ask")).to_be_visible()
    expect(page.get_by_text("The migration weekend")).to_be_visible()
    expect(page.get_by_role("navigation")).to_be_hidden()
    browser_page.screenshot("prep-print")
    plan = PrepPlan.objects.get(interview=second_round)
    assert plan.area("interest") == {"notes": "Their mission is mine", "ready": True}


def test_saving_one_part_of_the_brief_keeps_what_was_typed_in_another(live_server, open_page, second_round):
    browser_page = open_page("phone")
    page = browser_page.page
    log_in(browser_page, live_server.url, second_round.application.owner.email, PASSWORD)
    page.goto(f"{live_server.url}/interviews/{second_round.pk}/prep/")

    # Notes typed in the five areas, not saved yet...
    page.get_by_label("Notes on how much you want this job").fill("Their data platform is the reason")
    # ...then a question added in another part, which reloads the page.
    page.get_by_label("Your own").fill("What would my first project be?")
    page.locator("#questions").get_by_role("button", name="Add", exact=True).click()

    expect(page.get_by_text("What would my first project be?").first).to_be_visible()
    expect(page.get_by_label("Notes on how much you want this job")).to_have_value(
        "Their data platform is the reason"
    )
    expect(page.locator("[data-draft-notice]")).to_contain_text("We brought back what you typed")
    expect(page.get_by_label("Your own")).to_have_value("")  # the question sent is not offered again
    page.locator("[data-draft-notice]").scroll_into_view_if_needed()
    browser_page.screenshot("prep-brief-kept-typing", full_page=False)

    page.get_by_role("button", name="Save the five areas").click()
    expect(page.get_by_text("Saved", exact=False).first).to_be_visible()
    plan = PrepPlan.objects.get(interview=second_round)
    assert plan.areas["interest"]["notes"] == "Their data platform is the reason"
    assert list(plan.questions_to_ask.values_list("text", flat=True)) == ["What would my first project be?"]


INTEREST = "Notes on how much you want this job"
SKILLS = "Notes on whether you can do it"


def _brief_in_two_tabs(live_server, open_page, second_round):
    browser_page = open_page("phone")
    first = browser_page.page
    log_in(browser_page, live_server.url, second_round.application.owner.email, PASSWORD)
    url = f"{live_server.url}/interviews/{second_round.pk}/prep/"
    first.goto(url)
    second = first.context.new_page()
    second.set_viewport_size({"width": 390, "height": 844})
    second.goto(url)
    return first, second


def _draft_kept(page):
    expect(page.locator("#areas").get_by_role("status").filter(has_text="Draft kept at")).to_be_visible()


def test_two_tabs_on_the_brief_keep_each_others_notes(live_server, open_page, second_round):
    first, second = _brief_in_two_tabs(live_server, open_page, second_round)

    first.get_by_label(INTEREST).fill("Typed in the first tab")
    _draft_kept(first)
    second.get_by_label(SKILLS).fill("Typed in the second tab")
    _draft_kept(second)
    expect(second.get_by_label(INTEREST)).to_have_value("Typed in the first tab")  # came back with the save

    second.get_by_role("button", name="Save the five areas").click()
    expect(second.get_by_text("The five areas are saved.")).to_be_visible()
    plan = PrepPlan.objects.get(interview=second_round)
    assert plan.area("interest")["notes"] == "Typed in the first tab"
    assert plan.area("skills")["notes"] == "Typed in the second tab"


def test_the_same_note_typed_in_two_tabs_shows_both_to_keep_both(live_server, open_page, second_round):
    first, second = _brief_in_two_tabs(live_server, open_page, second_round)

    first.get_by_label(INTEREST).fill("Their data platform")
    _draft_kept(first)
    second.get_by_label(INTEREST).fill("The team I met")

    conflict = second.locator("[data-draft-conflicts]")
    expect(conflict).to_contain_text("Their data platform")
    expect(conflict).to_contain_text("The team I met")
    conflict.scroll_into_view_if_needed()
    second.screenshot(path=str(SCREENSHOTS / "prep-brief-conflict-phone.png"))
    conflict.get_by_role("button", name="Keep both").click()
    expect(conflict).to_be_hidden()
    _draft_kept(second)

    second.get_by_role("button", name="Save the five areas").click()
    expect(second.get_by_text("The five areas are saved.")).to_be_visible()
    notes = PrepPlan.objects.get(interview=second_round).area("interest")["notes"].replace("\r\n", "\n")
    assert notes == "Their data platform\n\nThe team I met"
