"""A done link from a reminder email, opened in a browser that is not logged in:
opening it changes nothing, one tap on the big button does it."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.reminders import links
from apps.reminders.models import Kind, Reminder, Status
from tests.accounts.factories import UserFactory
from tests.pipeline.factories import ApplicationFactory, CompanyFactory, InterviewFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Apple's and Google's touch-target guidance: 44 px is the least a thumb hits reliably.
SMALLEST_TAP_TARGET = 44


@pytest.mark.parametrize(
    ("device", "javascript"),
    [("desktop", True), ("phone", False)],
    ids=["desktop", "phone-without-javascript"],
)
def test_a_done_link_asks_first_and_one_tap_on_the_big_button_does_it(
    live_server, open_page, device, javascript
):
    user = UserFactory(email=f"link-{device}@example.com", time_zone="Europe/Madrid")
    application = ApplicationFactory(
        owner=user, company=CompanyFactory(owner=user, name="Globex"), role_title="Data Engineer"
    )
    now = timezone.now()
    interview = InterviewFactory(
        application=application, round_number=2, starts_at=now - dt.timedelta(hours=4)
    )
    reminder = Reminder.objects.create(
        owner=user,
        kind=Kind.THANK_YOU,
        due_at=now - dt.timedelta(hours=1),
        next_try_at=now - dt.timedelta(hours=1),
        status=Status.SENT,
        sent_at=now - dt.timedelta(hours=1),
        application=application,
        interview=interview,
        dedupe_key=f"thank_you:browser:{uuid.uuid4()}",
    )
    browser_page = open_page(device, java_script_enabled=javascript)
    page = browser_page.page

    page.goto(live_server.url + links.action_path(reminder, links.DONE))

    expect(page.get_by_role("heading", name="Mark this reminder as done?")).to_be_visible()
    expect(page.get_by_text("Round 2, Data Engineer at Globex")).to_be_visible()
    reminder.refresh_from_db()
    assert reminder.status == Status.SENT
    button = page.get_by_role("button", name="Mark it done")
    expect(button).to_be_in_viewport()
    box = button.bounding_box()
    card = page.locator(".card-body").bounding_box()
    assert box["height"] >= SMALLEST_TAP_TARGET
    assert box["width"] >= card["width"] - 2 * 24 - 1  # the card's whole width inside its padding
    assert not browser_page.has_horizontal_scroll()
    browser_page.screenshot("reminder-link-confirm")

    if device == "phone":
        button.tap()
    else:
        button.click()

    expect(page.get_by_role("heading", name="Done. Nicely handled.")).to_be_visible()
    reminder.refresh_from_db()
    assert reminder.status == Status.DONE
    expect(page.get_by_role("button", name="Undo: I have not done it yet")).to_be_visible()
    assert not browser_page.has_horizontal_scroll()
    assert browser_page.console_errors == []
    browser_page.screenshot("reminder-link-done")
