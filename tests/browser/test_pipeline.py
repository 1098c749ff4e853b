import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from apps.pipeline.models import Application, Interview, Stage
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import DEVICES, log_in
from tests.pipeline.factories import ApplicationFactory, CompanyFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeker():
    user = UserFactory(email="seeker@example.com", first_name="Sasha", time_zone="Europe/Berlin")
    acme = CompanyFactory(owner=user, name="Acme Robotics")
    ApplicationFactory(owner=user, company=acme, role_title="Platform Engineer", stage=Stage.APPLIED)
    ApplicationFactory(
        owner=user, company=CompanyFactory(owner=user, name="Globex"), role_title="SRE", stage=Stage.SCREENING
    )
    return user


def _column(page, label: str):
    return page.locator("section.board-column", has=page.get_by_role("heading", name=label, exact=True))


def test_a_card_dragged_to_another_column_changes_stage(live_server, open_page, seeker):
    browser_page = open_page("desktop")
    page = browser_page.page
    log_in(browser_page, live_server.url, seeker.email, PASSWORD)
    page.goto(f"{live_server.url}/applications/board/")

    card = _column(page, "Applied").locator("[data-card]", has_text="Acme Robotics")
    card.drag_to(_column(page, "First interview"))

    expect(_column(page, "First interview").locator("[data-card]", has_text="Acme Robotics")).to_be_visible()
    expect(_column(page, "Applied").locator("[data-card]")).to_have_count(0)
    application = Application.objects.get(role_title="Platform Engineer")
    assert application.stage == Stage.FIRST_INTERVIEW
    assert list(application.stage_changes.values_list("to_stage", flat=True)) == [
        Stage.APPLIED,
        Stage.FIRST_INTERVIEW,
    ]
    browser_page.screenshot("board")
    assert browser_page.console_errors == []


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
def test_the_move_menu_moves_a_card_on_a_phone(live_server, open_page, seeker, javascript):
    browser_page = open_page("phone", java_script_enabled=javascript)
    page = browser_page.page
    log_in(browser_page, live_server.url, seeker.email, PASSWORD)
    page.goto(f"{live_server.url}/applications/board/")

    card = _column(page, "Screening").locator("[data-card]", has_text="Globex")
    card.get_by_text("Move", exact=True).click()
    if javascript:
        card.get_by_role("button", name="Final round").click()  # the stages come into the card
    else:
        card.get_by_role("link", name="Choose a stage").click()  # a page of their own
        page.get_by_role("button", name="Final round").click()

    expect(_column(page, "Final round").locator("[data-card]", has_text="Globex")).to_be_visible()
    assert Application.objects.get(role_title="SRE").stage == Stage.FINAL_ROUND
    assert not browser_page.has_horizontal_scroll()
    if javascript:
        browser_page.screenshot("board")


@pytest.mark.parametrize("device", DEVICES)
def test_adding_an_application_and_its_interview(live_server, open_page, device):
    user = UserFactory(email=f"new-{device}@example.com", time_zone="Europe/Berlin")
    browser_page = open_page(device)
    page = browser_page.page
    log_in(browser_page, live_server.url, user.email, PASSWORD)
    page.goto(f"{live_server.url}/applications/board/")

    page.get_by_role("link", name="Add an application").click()
    page.get_by_label("Company").fill("Initech")
    page.get_by_label("Role").fill("Staff Engineer")
    page.get_by_label("Salary from").fill("80000")
    page.get_by_label("Salary to").fill("70000")
    page.get_by_role("button", name="Add to my pipeline").click()

    # The mistake is explained and nothing typed is lost.
    expect(page.get_by_text("This is lower than the salary it starts from.")).to_be_visible()
    expect(page.get_by_label("Company")).to_have_value("Initech")
    page.get_by_label("Salary to").fill("95000")
    page.get_by_role("button", name="Add to my pipeline").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff Engineer")

    page.get_by_role("link", name="Add an interview").first.click()
    page.get_by_label("Date").fill("2026-12-08")
    page.get_by_label("Starts").fill("10:30")
    page.get_by_label("Ends").fill("11:15")
    page.get_by_label("Where").fill("https://meet.example.com/initech")
    page.get_by_role("button", name="Add the interview").click()

    expect(page.get_by_text("Tuesday 8 December 2026, 10:30")).to_be_visible()
    interview = Interview.objects.get(application__owner=user)
    assert interview.starts_at == dt.datetime(2026, 12, 8, 9, 30, tzinfo=dt.UTC)  # Berlin is UTC+1
    browser_page.screenshot("application")
    assert not browser_page.has_horizontal_scroll()
    assert browser_page.console_errors == []


def test_the_list_filters_as_you_type(live_server, open_page, seeker):
    browser_page = open_page("desktop")
    page = browser_page.page
    log_in(browser_page, live_server.url, seeker.email, PASSWORD)
    page.goto(f"{live_server.url}/applications/")
    expect(page.locator("#results tbody tr")).to_have_count(2)

    page.get_by_label("Search").fill("globex")

    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("SRE")
    # The address holds the filter, so the list as filtered can be bookmarked or sent on.
    expect(page).to_have_url(re.compile(r"/applications/\?q=globex&stage=&.*&sort=-updated"))
    browser_page.screenshot("list")


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
def test_a_long_list_shows_fifty_then_more_with_its_filter(live_server, open_page, seeker, javascript):
    freight = CompanyFactory(owner=seeker, name="Wayfarer Freight")
    for number in range(70):
        ApplicationFactory(owner=seeker, company=freight, role_title=f"Analyst {number}")
    browser_page = open_page("desktop", java_script_enabled=javascript)
    page = browser_page.page
    log_in(browser_page, live_server.url, seeker.email, PASSWORD)
    page.goto(f"{live_server.url}/applications/?company=wayfarer")

    rows = page.locator("table.applications-table tbody tr:not(.show-more)")
    expect(rows).to_have_count(50)
    page.get_by_role("link", name="Show 50 more").click()

    if javascript:
        expect(rows).to_have_count(70)  # added under the first fifty
        browser_page.screenshot("list-show-more")
    else:
        expect(rows).to_have_count(20)  # the next ones, as a page
        expect(page.get_by_role("link", name="Back to the first")).to_be_visible()
    expect(page.get_by_text("70 applications match")).to_be_visible()
    expect(page.get_by_role("link", name="Show 50 more")).to_have_count(0)
    expect(page.get_by_text("Platform Engineer")).to_have_count(0)  # the filter held
