"""The applications list as a person shapes it: columns, saved views, and on a phone."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.core.models import SavedView
from apps.pipeline import services as pipeline
from apps.pipeline.models import Application, Stage
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeker():
    user = UserFactory(email="shaper@example.com", time_zone="Europe/London")
    soon = timezone.now() + dt.timedelta(days=2)
    for company, stage, source in (
        ("Acme", Stage.SECOND_INTERVIEW, "Referral"),
        ("Globex", Stage.SCREENING, "LinkedIn"),
        ("Initech", Stage.REJECTED, "Job board"),
    ):
        application = pipeline.application_create(
            owner=user, company_name=company, role_title="Platform Engineer", source=source
        )
        if stage != Stage.APPLIED:
            pipeline.application_move_stage(application=application, to_stage=stage)
        if company == "Acme":
            pipeline.interview_schedule(
                application=application, starts_at=soon, ends_at=soon + dt.timedelta(hours=1)
            )
    return user


def test_a_person_picks_columns_saves_the_view_and_opens_it_again(live_server, open_page, seeker):
    browser_page = open_page("desktop")
    page = browser_page.page
    log_in(browser_page, live_server.url, seeker.email, PASSWORD)
    page.goto(f"{live_server.url}/applications/")

    page.get_by_text("Columns", exact=True).click()
    page.get_by_role("checkbox", name="Source").check()
    page.get_by_role("checkbox", name="Updated").uncheck()
    expect(page.locator("#results thead")).to_contain_text("Source")
    expect(page.locator("#results thead")).not_to_contain_text("Updated")
    page.locator("#id_stage").select_option("active")
    expect(page.locator("#results tbody tr")).to_have_count(2)

    page.get_by_text("Save this view").click()
    page.get_by_label("Name of the view").fill("Still in play, by source")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Saved your view")).to_be_visible()
    browser_page.screenshot("list-saved-view")

    page.goto(f"{live_server.url}/applications/")
    expect(page.locator("#results tbody tr")).to_have_count(3)
    page.get_by_role("link", name="Still in play, by source").click()

    expect(page.locator("#results tbody tr")).to_have_count(2)
    expect(page.locator("#results thead")).to_contain_text("Source")
    expect(page.get_by_role("link", name="Still in play, by source")).to_have_attribute(
        "aria-current", "page"
    )
    assert SavedView.objects.get(user=seeker).query.count("columns=") == 5
    assert browser_page.console_errors == []


def test_on_a_phone_each_application_shows_its_next_interview_and_dates(live_server, open_page, seeker):
    browser_page = open_page("phone")
    page = browser_page.page
    log_in(browser_page, live_server.url, seeker.email, PASSWORD)
    page.goto(f"{live_server.url}/applications/")

    acme = page.locator("#results tbody tr", has_text="Acme")
    expect(acme.locator('td[data-label="Next interview"]')).to_be_visible()
    expect(acme.locator('td[data-label="Applied"]')).to_be_visible()
    assert acme.locator('td[data-label="Next interview"]').inner_text() != "—"
    browser_page.screenshot("list-phone")
    assert not browser_page.has_horizontal_scroll()
    assert browser_page.console_errors == []


def test_several_applications_are_moved_at_once_and_tags_shown(live_server, open_page, seeker):
    acme = Application.objects.get(owner=seeker, company__name="Acme")
    pipeline.application_set_tags(application=acme, names=["remote", "dream job"])
    pipeline.application_set_starred(application=acme, starred=True)
    browser_page = open_page("desktop")
    page = browser_page.page
    log_in(browser_page, live_server.url, seeker.email, PASSWORD)
    page.goto(f"{live_server.url}/applications/?columns=role&columns=stage&columns=tags")

    page.get_by_label("Tick Globex, Platform Engineer").check()
    page.get_by_label("Tick Initech, Platform Engineer").check()
    page.get_by_label("What to do with the ticked applications").select_option("move")
    page.get_by_label("Stage to move them to").select_option(Stage.FINAL_ROUND)
    browser_page.screenshot("list-bulk")
    page.get_by_role("button", name="Apply").click()

    expect(page.get_by_text("Done (move to): 2 applications.")).to_be_visible()
    assert set(
        Application.objects.filter(owner=seeker, stage=Stage.FINAL_ROUND).values_list(
            "company__name", flat=True
        )
    ) == {"Globex", "Initech"}
    expect(page.locator("#results tbody tr", has_text="Acme")).to_contain_text("dream job")
    assert browser_page.console_errors == []
