"""Long forms keep what was typed on this device until the server has it (static/js/drafts.js)."""

import pytest
from playwright.sync_api import expect

from apps.core.models import FormDraft
from apps.prep.models import Story
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import go_offline, log_in
from tests.pipeline.factories import ApplicationFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def story_page(live_server, open_page):
    user = UserFactory(email="stories@example.com", time_zone="Europe/London")
    browser_page = open_page("phone")
    log_in(browser_page, live_server.url, user.email, PASSWORD)
    browser_page.page.goto(f"{live_server.url}/prep/stories/new/")
    return browser_page


def test_a_story_half_written_survives_a_reload_and_is_not_offered_again_once_saved(story_page):
    page = story_page.page
    page.get_by_label("Title").fill("The migration weekend")
    page.get_by_label("Situation").fill("Friday night, the old cluster was failing.")

    page.reload()  # a tap on the wrong link, a phone that drops the tab...

    expect(page.get_by_label("Title")).to_have_value("The migration weekend")
    expect(page.get_by_label("Situation")).to_have_value("Friday night, the old cluster was failing.")
    expect(page.locator("[data-draft-notice]")).to_contain_text("We brought back what you typed")
    story_page.screenshot("story-brought-back", full_page=False)

    page.get_by_role("button", name="Save the story").click()
    expect(page.get_by_text("The migration weekend").first).to_be_visible()
    assert Story.objects.get().situation == "Friday night, the old cluster was failing."
    page.goto(page.url.split("/prep/")[0] + "/prep/stories/new/")
    expect(page.get_by_label("Title")).to_have_value("")
    expect(page.locator("[data-draft-notice]")).to_be_hidden()


def test_a_story_saved_offline_waits_and_goes_when_the_connection_returns(story_page):
    page = story_page.page
    page.get_by_label("Title").fill("Written on the train")
    go_offline(page)

    page.get_by_role("button", name="Save the story").click()
    expect(page.get_by_role("status").filter(has_text="Waiting for a connection")).to_be_visible()
    story_page.screenshot("story-waiting", full_page=False)
    assert not Story.objects.exists()
    page.context.set_offline(False)

    expect(page.get_by_text("Written on the train").first).to_be_visible(timeout=15_000)
    assert Story.objects.get().title == "Written on the train"


def test_a_story_started_on_the_phone_is_there_on_the_laptop(live_server, story_page, open_page):
    phone = story_page.page
    phone.get_by_label("Title").fill("The migration weekend")
    phone.get_by_label("Situation").fill("Friday night, the old cluster was failing.")
    expect(phone.get_by_role("status").filter(has_text="Draft kept at")).to_be_visible()
    story_page.screenshot("story-draft-kept", full_page=False)

    laptop = open_page("desktop")  # another device: nothing of the phone's on it
    log_in(laptop, live_server.url, "stories@example.com", PASSWORD)
    laptop.page.goto(f"{live_server.url}/prep/stories/new/")
    expect(laptop.page.get_by_label("Title")).to_have_value("The migration weekend")
    expect(laptop.page.get_by_label("Situation")).to_have_value("Friday night, the old cluster was failing.")
    expect(laptop.page.locator("[data-draft-notice]")).to_contain_text("We brought back what you typed")
    laptop.screenshot("story-draft-on-another-device", full_page=False)

    laptop.page.get_by_label("Result").fill("Back up by Sunday noon.")
    laptop.page.get_by_role("button", name="Save the story").click()
    expect(laptop.page.get_by_text("The migration weekend").first).to_be_visible()
    story = Story.objects.get()
    assert (story.situation, story.result) == (
        "Friday night, the old cluster was failing.",
        "Back up by Sunday noon.",
    )
    assert not FormDraft.objects.exists()

    phone.reload()  # the story was sent elsewhere: its draft is not offered again
    expect(phone.get_by_label("Title")).to_have_value("")
    expect(phone.locator("[data-draft-notice]")).to_be_hidden()


def test_notes_typed_elsewhere_come_back_over_what_was_saved_since(live_server, open_page):
    user = UserFactory(email="notes@example.com", time_zone="Europe/London")
    application = ApplicationFactory(owner=user, role_title="Platform Engineer", notes="")
    edit = f"{live_server.url}/applications/{application.pk}/edit/"
    phone = open_page("phone")
    log_in(phone, live_server.url, user.email, PASSWORD)
    phone.page.goto(edit)
    phone.page.get_by_label("Notes").fill("Ask about the on-call rota")
    expect(phone.page.get_by_role("status").filter(has_text="Draft kept at")).to_be_visible()

    # Meanwhile the role is renamed and saved somewhere else (the list, an import).
    type(application).objects.filter(pk=application.pk).update(role_title="Staff Platform Engineer")

    laptop = open_page("desktop")
    log_in(laptop, live_server.url, user.email, PASSWORD)
    laptop.page.goto(edit)
    # The draft brings back only what was typed in it, over what is saved now.
    expect(laptop.page.get_by_label("Notes")).to_have_value("Ask about the on-call rota")
    expect(laptop.page.get_by_label("Role")).to_have_value("Staff Platform Engineer")
    laptop.page.get_by_role("button", name="Save").click()
    expect(laptop.page.get_by_text("Staff Platform Engineer").first).to_be_visible()
    application.refresh_from_db()
    assert (application.role_title, application.notes) == (
        "Staff Platform Engineer",
        "Ask about the on-call rota",
    )
    assert not FormDraft.objects.exists()


def test_typing_before_the_draft_arrives_is_not_overwritten_by_it(live_server, story_page):
    page = story_page.page
    page.get_by_label("Title").fill("An older title")
    expect(page.get_by_role("status").filter(has_text="Draft kept at")).to_be_visible()

    # The store answers slowly: the person has typed a new title before the draft arrives.
    def slow_store(route):
        page.wait_for_timeout(1500)
        route.continue_()

    page.route("**/drafts/?*", slow_store)
    page.reload()
    page.get_by_label("Title").fill("What I typed just now")
    page.get_by_label("Situation").click()  # another field: the draft may arrive meanwhile
    page.wait_for_timeout(2500)

    expect(page.get_by_label("Title")).to_have_value("What I typed just now")
