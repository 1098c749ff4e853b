"""Telling the history truly, in the browser: a move dated in the past, a step set right."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from apps.pipeline import services
from apps.pipeline.models import Stage
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import DEVICES, log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("device", DEVICES)
def test_a_move_dated_in_the_past_and_a_step_set_right(live_server, open_page, device):
    user = UserFactory(email=f"history-{device}@example.com", time_zone="Europe/London")
    week_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=7)
    application = services.application_create(
        owner=user, company_name="Acme", role_title="Data Engineer", created_at=week_ago
    )
    browser_page = open_page(device)
    page = browser_page.page
    log_in(browser_page, live_server.url, user.email, PASSWORD)
    page.goto(f"{live_server.url}/applications/{application.pk}/")

    three_days_ago = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    page.get_by_label("Move to").select_option(Stage.SCREENING)
    page.get_by_label("When").fill(three_days_ago)
    page.get_by_label("Note about this move").fill("The recruiter called")
    page.get_by_role("button", name="Move", exact=True).click()
    history = page.locator(".timeline")
    expect(history).to_contain_text("Moved from Applied to Screening")
    browser_page.screenshot("history-moved")

    history.get_by_role("link", name="Correct the date or note of this step").first.click()
    page.get_by_label("Note").fill("Found it through a referral")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("The history is set right.")).to_be_visible()
    expect(history).to_contain_text("Found it through a referral")
    assert not browser_page.has_horizontal_scroll()
    assert browser_page.console_errors == []
