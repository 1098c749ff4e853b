import pytest
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import DEVICES, log_in, open_menu

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("device", DEVICES)
def test_a_user_changes_their_time_zone_in_settings(live_server, open_page, device):
    user = UserFactory(email=f"olive-{device}@example.com", first_name="Olive", time_zone="Europe/London")
    browser_page = open_page(device)
    page = browser_page.page
    log_in(browser_page, live_server.url, user.email, PASSWORD)

    if device == "phone":
        open_menu(page)
    page.get_by_role("navigation").get_by_role("link", name="Settings").click()
    page.wait_for_url("**/accounts/settings/")
    page.get_by_label("Time zone").select_option("America/Toronto")
    page.get_by_role("button", name="Save settings").click()

    expect(page.get_by_text("Your settings are saved.")).to_be_visible()
    expect(page.get_by_label("Time zone")).to_have_value("America/Toronto")
    expect(page.get_by_text("Times shown in America/Toronto")).to_be_visible()
    browser_page.screenshot("settings")
    assert not browser_page.has_horizontal_scroll()
    assert browser_page.console_errors == []
    user.refresh_from_db()
    assert user.time_zone == "America/Toronto"


def test_a_wrong_password_is_explained_on_the_login_page(live_server, open_page):
    UserFactory(email="olive@example.com")
    browser_page = open_page("phone")
    page = browser_page.page
    page.goto(f"{live_server.url}/accounts/login/")

    page.get_by_label("Email").fill("olive@example.com")
    page.get_by_label("Password").fill("not my password")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_text("That email and password do not match an account")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value("olive@example.com")
    browser_page.screenshot("login-error")


def test_the_404_page_offers_a_way_back(live_server, open_page):
    browser_page = open_page("desktop")
    page = browser_page.page

    page.goto(f"{live_server.url}/no-such-page/")
    expect(page.get_by_role("heading", level=1)).to_have_text("We can't find that page")
    browser_page.screenshot("not-found")
    page.get_by_role("link", name="Back to Second Round").click()

    expect(page).to_have_url(f"{live_server.url}/")
