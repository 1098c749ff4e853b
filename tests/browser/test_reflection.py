import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.contacts.models import InterviewParticipant
from apps.journal.models import Reflection, ToldStory
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import SCREENSHOTS, go_offline, log_in
from tests.pipeline.factories import ApplicationFactory, CompanyFactory, InterviewFactory
from tests.prep.factories import StoryFactory

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def interview():
    user = UserFactory(email="train@example.com", first_name="Robin", time_zone="Europe/London")
    application = ApplicationFactory(
        owner=user, company=CompanyFactory(owner=user, name="Acme Robotics"), role_title="Platform Engineer"
    )
    ended = timezone.now() - dt.timedelta(hours=2)
    interview = InterviewFactory(
        application=application, round_number=1, starts_at=ended - dt.timedelta(hours=1), ends_at=ended
    )
    # A story of theirs and two people on the panel, for "stories you told".
    StoryFactory(owner=user, title="The migration weekend")
    for name in ("Ana Lopez", "Ben Okafor"):
        InterviewParticipant.objects.create(interview=interview, name=name)
    return interview


def _open_form(browser_page, live_server, interview):
    log_in(browser_page, live_server.url, interview.application.owner.email, PASSWORD)
    browser_page.page.goto(f"{live_server.url}/interviews/{interview.pk}/reflect/")


def test_a_reflection_written_on_a_train_survives_losing_signal(live_server, open_page, interview):
    browser_page = open_page("phone")
    page = browser_page.page
    _open_form(browser_page, live_server, interview)
    story = page.get_by_label("How it went, from the start")

    story.fill("Caught the 8:10. Arrived early and read their blog in the lobby.")
    expect(page.locator("#save-status")).to_contain_text("Saved")
    assert Reflection.objects.get().account.startswith("Caught the 8:10.")

    go_offline(page)
    story.press("End")
    story.type(" Then two engineers asked about a migration I led.")
    page.get_by_text("Ran longer than planned", exact=False).first.click()
    expect(page.locator("#save-status")).to_contain_text("Offline", timeout=10_000)

    page.reload()  # still offline: the page comes back from this device, with what was typed
    expect(page.locator("#local-copy")).to_contain_text("You are offline")
    expect(story).to_have_value(
        "Caught the 8:10. Arrived early and read their blog in the lobby. "
        "Then two engineers asked about a migration I led."
    )
    page.evaluate("window.scrollTo(0, 0)")
    browser_page.screenshot("reflection-reopened-offline", full_page=False)
    # Typing goes on at once, offline, with nothing to choose first.
    story.press("End")
    story.type(" I drew the pipeline on the whiteboard.")
    page.get_by_label("What went well").fill("The whiteboard part")

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#save-status")).to_contain_text("Saved", timeout=15_000)

    reflection = Reflection.objects.get()
    assert reflection.account == (
        "Caught the 8:10. Arrived early and read their blog in the lobby. "
        "Then two engineers asked about a migration I led. I drew the pipeline on the whiteboard."
    )
    assert reflection.went_well == "The whiteboard part"
    assert reflection.good_signs == ["ran_long"]
    browser_page.screenshot("reflection-form", full_page=False)
    page.get_by_role("heading", name="Signs", exact=True).scroll_into_view_if_needed()
    browser_page.screenshot("reflection-signs", full_page=False)
    assert not browser_page.has_horizontal_scroll()


def test_done_tapped_offline_waits_for_the_connection_then_finishes(live_server, open_page, interview):
    browser_page = open_page("phone")
    page = browser_page.page
    _open_form(browser_page, live_server, interview)
    go_offline(page)

    page.get_by_label("How it went, from the start").fill("Written in a tunnel")
    page.get_by_role("button", name="Done").click()

    expect(page.locator("#save-status")).to_contain_text("Waiting for a connection")
    browser_page.screenshot("reflection-done-waiting", full_page=False)
    assert not Reflection.objects.exists()
    page.context.set_offline(False)  # the browser says it is online again, and the form goes

    expect(page.get_by_text("Your reflection is saved as final.")).to_be_visible(timeout=15_000)
    reflection = Reflection.objects.get()
    assert (reflection.account, reflection.status) == ("Written in a tunnel", "final")


def _two_tabs(browser_page, live_server, interview):
    first = browser_page.page
    _open_form(browser_page, live_server, interview)
    second = first.context.new_page()
    second.set_viewport_size({"width": 390, "height": 844})
    second.goto(f"{live_server.url}/interviews/{interview.pk}/reflect/")
    return first, second


def test_two_tabs_editing_different_answers_both_keep_their_edits(live_server, open_page, interview):
    browser_page = open_page("phone")
    first, second = _two_tabs(browser_page, live_server, interview)

    first.get_by_label("How it went, from the start").fill("Written in the first tab")
    expect(first.locator("#save-status")).to_contain_text("Saved")
    second.get_by_label("What went well").fill("Written in the second tab")
    expect(second.locator("#save-status")).to_contain_text("Saved")

    reflection = Reflection.objects.get()
    assert (reflection.account, reflection.went_well) == (
        "Written in the first tab",
        "Written in the second tab",
    )
    # The second tab now shows the first tab's story too, and no conflict.
    expect(second.get_by_label("How it went, from the start")).to_have_value("Written in the first tab")
    expect(second.locator("#conflict")).to_be_hidden()


def test_the_same_answer_edited_in_two_tabs_shows_both_and_keeps_both(live_server, open_page, interview):
    browser_page = open_page("phone")
    first, second = _two_tabs(browser_page, live_server, interview)

    first.get_by_label("How it went, from the start").fill("Written in the first tab")
    expect(first.locator("#save-status")).to_contain_text("Saved")
    second.get_by_label("How it went, from the start").fill("Written in the second tab")

    conflict = second.locator("#conflict")
    expect(conflict).to_contain_text("Written in the first tab")
    expect(conflict).to_contain_text("Written in the second tab")
    assert Reflection.objects.get().account == "Written in the first tab"  # nothing overwritten unseen
    conflict.scroll_into_view_if_needed()
    second.screenshot(path=str(SCREENSHOTS / "reflection-conflict-phone.png"))
    second.get_by_role("button", name="Keep both").click()

    expect(second.locator("#save-status")).to_contain_text("Saved")
    expect(conflict).to_be_hidden()
    # (A form post sends line breaks as CRLF.)
    both = Reflection.objects.get().account.replace("\r\n", "\n")
    assert both == "Written in the first tab\n\nWritten in the second tab", repr(both)


def test_the_reflection_form_has_no_serious_accessibility_problems(live_server, open_page, interview):
    # axe-core is injected as an inline script, which our own policy rightly forbids.
    browser_page = open_page("phone", bypass_csp=True)
    page = browser_page.page
    _open_form(browser_page, live_server, interview)

    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")

    serious = [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} places)"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    print(f"\naxe-core: {len(result['violations'])} violations, {len(serious)} serious or critical")
    assert serious == []


def test_the_reflection_form_fits_a_small_phone(live_server, open_page, interview):
    browser_page = open_page("small-phone")
    _open_form(browser_page, live_server, interview)
    page = browser_page.page

    # A story ticked as told saves itself, and comes back as heard by the whole panel.
    page.get_by_label("The migration weekend", exact=True).check()
    expect(page.locator("#save-status")).to_contain_text("Saved")
    expect(page.get_by_label("Ben Okafor")).to_be_checked()
    told = ToldStory.objects.get()
    assert sorted(person.name for person in told.heard_by.all()) == ["Ana Lopez", "Ben Okafor"]
    page.get_by_role("heading", name="Stories you told").scroll_into_view_if_needed()
    browser_page.screenshot("reflection-stories-told", full_page=False)

    assert not browser_page.has_horizontal_scroll()
    assert browser_page.console_errors == []
