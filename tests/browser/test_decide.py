"""Choosing between offers: turn a weight down and watch the other offer take the lead."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import DEVICES, BrowserPage, log_in, open_menu
from tests.decide.factories import candidate

pytestmark = pytest.mark.django_db(transaction=True)


def _screenshot(browser_page: BrowserPage, name: str, **options) -> None:
    browser_page.screenshot(name, **options)
    # Playwright hides the caret for a screenshot and leaves style="" on every input it touched;
    # htmx then copies that attribute onto the swapped-in inputs, which our CSP rightly refuses.
    # It is the camera's mark, not the page's: wipe it so the console check stays about the page.
    browser_page.page.evaluate(
        "document.querySelectorAll('[style=\"\"]').forEach((element) => element.removeAttribute('style'))"
    )


@pytest.mark.parametrize("device", DEVICES)
def test_changing_a_weight_changes_which_offer_leads_and_why(live_server, open_page, device):
    user = UserFactory(email=f"decide-{device}@example.com", time_zone="Europe/London")
    candidate(
        user,
        "Acme Robotics",
        {"job_score": 3, "manager_score": 4, "manager_note": "Hard to read at first"},
        {
            "job_score": 3,
            "manager_score": 5,
            "manager_note": "She gave straight answers about the reorg",
            "good_signs": ["ran_long", "next_steps_clear"],
        },
        salary_min=52000,
        salary_max=58000,
        salary_currency="GBP",
    )
    candidate(
        user,
        "Globex",
        {
            "job_score": 5,
            "job_note": "The platform team is exactly where I want to grow",
            "manager_score": 2,
            "warning_signs": ["cut_short"],
        },
        salary_min=61000,
        salary_currency="GBP",
    )
    browser_page = open_page(device)
    page = browser_page.page
    log_in(browser_page, live_server.url, user.email, PASSWORD)

    # Found from the menu, as a person would.
    if device == "phone":
        open_menu(page)
    page.get_by_role("link", name="Decide").click()
    verdict = page.locator("#decide-verdict")
    # Equal weights: Acme (3 + 4.5) / 2 = 3.8 against Globex (5 + 2) / 2 = 3.5.
    expect(verdict).to_contain_text("Acme Robotics leads on your weights (3.8 vs 3.5 for Globex)")
    expect(verdict).to_contain_text("She gave straight answers about the reorg")
    _screenshot(browser_page, "decide-equal-weights")
    assert not browser_page.has_horizontal_scroll()

    page.get_by_label("The manager").fill("0")
    page.get_by_role("button", name="Update the comparison").click()

    expect(verdict).to_contain_text(
        "Globex leads on your weights (5.0 vs 3.0 for Acme Robotics), mostly on the job"
    )
    expect(verdict).to_contain_text("The platform team is exactly where I want to grow")
    expect(page.locator("#comparison thead")).to_contain_text("Leads on your weights")
    expect(page.get_by_label("The manager")).to_have_value("0")
    assert page.url == f"{live_server.url}/decide/"
    _screenshot(browser_page, "decide-manager-left-out")
    assert not browser_page.has_horizontal_scroll()

    # Refused, and said so beside the field, with what was typed still there.
    page.get_by_label("The job").fill("9")
    page.get_by_role("button", name="Update the comparison").click()
    expect(page.get_by_role("alert").filter(has_text="Give a whole number from 0 to 5.")).to_be_visible()
    expect(page.get_by_label("The job")).to_have_value("9")
    expect(verdict).to_contain_text("Globex leads")
    _screenshot(browser_page, "decide-refused", full_page=False)

    # The weights were kept: a reload shows the same answer.
    page.reload()
    expect(verdict).to_contain_text("Globex leads on your weights")
    assert browser_page.console_errors == []
