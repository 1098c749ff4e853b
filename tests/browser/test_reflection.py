import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.journal.models import Reflection
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import log_in
from tests.pipeline.factories import ApplicationFactory, CompanyFactory, InterviewFactory

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def interview():
    user = UserFactory(email="train@example.com", first_name="Robin", time_zone="Europe/London")
    application = ApplicationFactory(
        owner=user, company=CompanyFactory(owner=user, name="Acme Robotics"), role_title="Platform Engineer"
    )
    ended = timezone.now() - dt.timedelta(hours=2)
    return InterviewFactory(
        application=application, round_number=1, starts_at=ended - dt.timedelta(hours=1), ends_at=ended
    )


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

    page.context.set_offline(True)
    story.press("End")
    story.type(" Then two engineers asked about a migration I led.")
    page.get_by_text("Ran longer than planned", exact=False).first.click()
    expect(page.locator("#save-status")).to_contain_text("Offline", timeout=10_000)

    page.reload()  # still offline: the page comes back from this device
    expect(page.get_by_role("button", name="Use this device's copy")).to_be_visible()
    page.get_by_role("button", name="Use this device's copy").click()
    expect(story).to_have_value(
        "Caught the 8:10. Arrived early and read their blog in the lobby. "
        "Then two engineers asked about a migration I led."
    )

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#save-status")).to_contain_text("Saved", timeout=15_000)

    reflection = Reflection.objects.get()
    assert reflection.account.endswith("asked about a migration I led.")
    assert reflection.good_signs == ["ran_long"]
    browser_page.screenshot("reflection-form", full_page=False)
    page.get_by_role("heading", name="Signs", exact=True).scroll_into_view_if_needed()
    browser_page.screenshot("reflection-signs", full_page=False)
    assert not browser_page.has_horizontal_scroll()


def test_a_second_tab_does_not_silently_overwrite_the_first(live_server, open_page, interview):
    browser_page = open_page("desktop")
    first = browser_page.page
    _open_form(browser_page, live_server, interview)
    second = first.context.new_page()
    second.goto(f"{live_server.url}/interviews/{interview.pk}/reflect/")

    first.get_by_label("How it went, from the start").fill("Written in the first tab")
    expect(first.locator("#save-status")).to_contain_text("Saved")
    second.get_by_label("How it went, from the start").fill("Written in the second tab")

    expect(second.get_by_text("saved somewhere else meanwhile")).to_be_visible()
    expect(second.locator("#conflict")).to_contain_text("Written in the first tab")
    assert Reflection.objects.get().account == "Written in the first tab"
    second.get_by_role("button", name="Keep mine").click()
    expect(second.locator("#save-status")).to_contain_text("Saved")
    assert Reflection.objects.get().account == "Written in the second tab"


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

    assert not browser_page.has_horizontal_scroll()
    assert browser_page.console_errors == []
