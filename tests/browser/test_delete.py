"""Deleting an application in the browser, and taking it back."""

import pytest
from playwright.sync_api import expect

from apps.pipeline import services
from apps.pipeline.models import Application
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import DEVICES, log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("device", DEVICES)
def test_delete_then_undo_brings_it_back_whole(live_server, open_page, device):
    user = UserFactory(email=f"deleter-{device}@example.com")
    application = services.application_create(owner=user, company_name="Acme", role_title="Data Engineer")
    services.application_move_stage(application=application, to_stage="screening")
    browser_page = open_page(device)
    page = browser_page.page
    log_in(browser_page, live_server.url, user.email, PASSWORD)
    page.goto(f"{live_server.url}/applications/{application.pk}/")

    page.get_by_role("button", name="Delete").click()

    expect(page.get_by_text("Deleted Data Engineer at Acme.")).to_be_visible()
    assert not Application.objects.filter(pk=application.pk).exists()
    browser_page.screenshot("deleted")
    page.get_by_role("button", name="Undo").click()

    expect(page.get_by_role("heading", name="Data Engineer")).to_be_visible()
    expect(page.get_by_text("is back, with everything it held")).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text("Moved from Applied to Screening")
    assert Application.objects.filter(pk=application.pk).exists()
    assert not browser_page.has_horizontal_scroll()
    assert browser_page.console_errors == []
