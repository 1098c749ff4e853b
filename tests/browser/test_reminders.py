import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.pipeline import services as pipeline
from apps.reminders.models import Kind, Reminder, Status
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import DEVICES, log_in, open_menu
from tests.pipeline.factories import ApplicationFactory, CompanyFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("device", DEVICES)
def test_todays_reminders_are_on_the_dashboard_and_done_in_one_tap(live_server, open_page, device):
    user = UserFactory(email=f"dash-{device}@example.com", first_name="Kim", time_zone="Europe/Madrid")
    application = ApplicationFactory(
        owner=user, company=CompanyFactory(owner=user, name="Globex"), role_title="Data Engineer"
    )
    ended = timezone.now() - dt.timedelta(hours=3)
    interview = pipeline.interview_schedule(
        application=application, starts_at=ended - dt.timedelta(hours=1), ends_at=ended
    )
    browser_page = open_page(device)
    page = browser_page.page
    log_in(browser_page, live_server.url, user.email, PASSWORD)

    due = page.locator("section", has=page.get_by_role("heading", name="Today", exact=True))
    expect(due.get_by_text("Send a thank-you note")).to_be_visible()
    expect(page.get_by_role("link", name="Reflect now")).to_be_visible()
    browser_page.screenshot("dashboard-reminders")

    thank_you = due.locator("li", has_text="Send a thank-you note")
    thank_you.get_by_role("button", name="Done").click()

    expect(thank_you.get_by_role("button", name="Undo")).to_be_visible()
    assert Reminder.objects.get(interview=interview, kind=Kind.THANK_YOU).status == Status.DONE
    assert not browser_page.has_horizontal_scroll()
    assert browser_page.console_errors == []

    if device == "phone":
        open_menu(page)
    page.get_by_role("navigation").get_by_role("link", name="Reminders").click()
    expect(page.get_by_role("heading", name="Recently done")).to_be_visible()
    browser_page.screenshot("reminders")


def test_a_long_list_of_reminders_shows_more_in_place_and_each_one_still_acts(live_server, open_page):
    user = UserFactory(email="many-reminders@example.com")
    company = CompanyFactory(owner=user, name="Initech")
    start = timezone.now() - dt.timedelta(days=2)
    for number in range(15):
        due = start + dt.timedelta(minutes=number)
        Reminder.objects.create(
            owner=user,
            kind=Kind.FOLLOW_UP,
            due_at=due,
            next_try_at=due,
            application=ApplicationFactory(owner=user, company=company, role_title=f"Role {number:02d}"),
            dedupe_key=f"many-{number}",
        )
    browser_page = open_page("desktop")
    page = browser_page.page
    log_in(browser_page, live_server.url, user.email, PASSWORD)
    page.goto(f"{live_server.url}/reminders/")
    due = page.locator("section", has=page.get_by_role("heading", name="To do now"))
    expect(due.locator("li.reminder")).to_have_count(10)

    due.get_by_role("link", name="Show more").click()

    expect(due.locator("li.reminder")).to_have_count(15)
    expect(due.get_by_role("link", name="Show more")).to_have_count(0)
    assert page.url.endswith("/reminders/")  # shown in place, the address unchanged
    last = due.locator("li.reminder", has_text="Role 14")
    last.get_by_role("button", name="Done").click()
    expect(last.get_by_role("button", name="Undo")).to_be_visible()
    assert Reminder.objects.get(dedupe_key="many-14").status == Status.DONE
    browser_page.screenshot("reminders-show-more")
    assert browser_page.console_errors == []
