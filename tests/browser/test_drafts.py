"""Long forms keep what was typed on this device until the server has it (static/js/drafts.js)."""

import pytest
from playwright.sync_api import expect

from apps.prep.models import Story
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import log_in

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
    page.context.set_offline(True)

    page.get_by_role("button", name="Save the story").click()
    expect(page.get_by_role("status").filter(has_text="Waiting for a connection")).to_be_visible()
    story_page.screenshot("story-waiting", full_page=False)
    assert not Story.objects.exists()
    page.context.set_offline(False)

    expect(page.get_by_text("Written on the train").first).to_be_visible(timeout=15_000)
    assert Story.objects.get().title == "Written on the train"
