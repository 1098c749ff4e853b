import re

import pytest
from playwright.sync_api import expect

from apps.accounts.models import User
from tests.accounts.factories import PASSWORD
from tests.browser.conftest import DEVICES

pytestmark = pytest.mark.django_db(transaction=True)

# Required fields carry an asterisk after their label.
PASSWORD_LABEL = re.compile(r"^\s*Password\*?\s*$")


@pytest.mark.parametrize("device", DEVICES)
def test_a_newcomer_signs_up_and_lands_on_the_dashboard(live_server, open_page, device):
    browser_page = open_page(device, timezone_id="Europe/Lisbon")
    page = browser_page.page

    page.goto(live_server.url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("make the next round count")
    browser_page.screenshot("landing")
    page.get_by_role("link", name="Create your free account").click()

    # The browser's own zone is chosen for them before they touch the list.
    expect(page.get_by_label("Your time zone")).to_have_value("Europe/Lisbon")
    page.get_by_label("What should we call you?").fill("Ana")
    page.get_by_label("Email").fill(f"ana-{device}@example.com")
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    browser_page.screenshot("signup")
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Ana")
    browser_page.screenshot("dashboard")
    assert not browser_page.has_horizontal_scroll()
    assert browser_page.console_errors == []
    assert User.objects.get(email=f"ana-{device}@example.com").time_zone == "Europe/Lisbon"


def test_signup_errors_are_shown_on_a_phone_without_losing_the_form(live_server, open_page):
    browser_page = open_page("phone", timezone_id="Asia/Kolkata")
    page = browser_page.page
    page.goto(f"{live_server.url}/accounts/signup/")

    page.get_by_label("Your time zone").select_option("Africa/Nairobi")
    page.get_by_label("What should we call you?").fill("Ravi")
    page.get_by_label("Email").fill("ravi@example.com")
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label("Password (again)").fill("not the same one")
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_text("You must type the same password each time")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value("ravi@example.com")
    expect(page.get_by_label("What should we call you?")).to_have_value("Ravi")
    # The zone the person picked is not replaced by the browser's guess.
    expect(page.get_by_label("Your time zone")).to_have_value("Africa/Nairobi")
    browser_page.screenshot("signup-error")
    assert not User.objects.exists()


def test_the_menu_folds_away_on_a_phone_and_opens_on_tap(live_server, open_page):
    browser_page = open_page("phone")
    page = browser_page.page
    page.goto(live_server.url)

    log_in = page.get_by_role("navigation").get_by_role("link", name="Log in")
    expect(log_in).to_be_hidden()
    page.get_by_role("button", name="Open the menu").click()
    expect(log_in).to_be_visible()
    page.wait_for_selector("#main-nav.show")  # the slide-down has finished
    browser_page.screenshot("menu-open")
    assert browser_page.console_errors == []


@pytest.mark.parametrize("path", ["/", "/accounts/signup/", "/accounts/login/", "/no-such-page/"])
def test_no_page_scrolls_sideways_on_a_small_phone(live_server, open_page, path):
    browser_page = open_page("small-phone")

    browser_page.page.goto(f"{live_server.url}{path}")

    assert not browser_page.has_horizontal_scroll()
    assert browser_page.console_errors == [] or path == "/no-such-page/"
