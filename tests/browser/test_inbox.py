"""The inbox page on a phone: the forwarding address, and an invitation waiting for its application."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.inbox import services
from apps.inbox.models import InboundMessage
from apps.pipeline import services as pipeline
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import log_in
from tests.helpers import confirm_email
from tests.inbox.invite_mail import LONDON, calendar, forwarded

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_invitation_for_no_clear_application_is_placed_with_one_tap(live_server, open_page):
    user = UserFactory(email="forwarder@example.com", time_zone="Europe/London")
    confirm_email(user)
    pipeline.application_create(owner=user, company_name="Lumen Labs", role_title="Platform Engineer")
    globex = pipeline.application_create(owner=user, company_name="Globex", role_title="Data Engineer")
    starts = (timezone.now() + dt.timedelta(days=4)).astimezone(LONDON).replace(hour=11, minute=0, second=0)
    address = services.address_for(user).address
    raw = forwarded(
        sender=user.email,
        to=address,
        subject="Fwd: Quick chat next week?",
        ics=calendar(starts=starts, summary="Chat", organiser=("Sam Lee", "sam@gmail.com")),
    )
    message = services.receive(recipient=address, mail_from=user.email, raw=raw)
    services.read(message_id=message.pk)
    broken = services.receive(recipient=address, mail_from=user.email, raw=b"\x00 not an email")
    services.read(message_id=broken.pk)

    phone = open_page("phone")
    page = phone.page
    log_in(phone, live_server.url, user.email, PASSWORD)
    page.goto(f"{live_server.url}/inbox/")

    expect(page.get_by_role("textbox", name="Your forwarding address")).to_have_value(address)
    expect(page.get_by_text("Which application is this invitation for?")).to_be_visible()
    expect(page.get_by_role("button", name="Try again")).to_be_visible()
    phone.screenshot("inbox")
    assert not phone.has_horizontal_scroll()

    card = page.locator(f"#inbound-{message.pk}")
    card.get_by_label("The application").select_option(label="Globex: Data Engineer")
    card.get_by_role("button", name="Add it there").click()

    expect(card.get_by_text("Round 1 at Globex is scheduled for")).to_be_visible()
    message.refresh_from_db()
    assert message.status == InboundMessage.Status.DONE and message.interview.application == globex
    phone.screenshot("inbox-placed")
    assert phone.console_errors == []
