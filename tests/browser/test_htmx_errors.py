"""A form htmx sends that the server refuses shows why, with what was typed; a lost request says so."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.contacts.models import Contact
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import go_offline, log_in
from tests.pipeline.factories import ApplicationFactory, CompanyFactory, InterviewFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def interview_page(live_server, open_page):
    user = UserFactory(email="refused@example.com", time_zone="Europe/London")
    application = ApplicationFactory(owner=user, company=CompanyFactory(owner=user, name="Initech"))
    soon = (timezone.now() + dt.timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    interview = InterviewFactory(
        application=application, starts_at=soon, ends_at=soon + dt.timedelta(hours=1)
    )
    browser_page = open_page("phone")
    log_in(browser_page, live_server.url, user.email, PASSWORD)
    browser_page.page.goto(f"{live_server.url}/interviews/{interview.pk}/edit/")
    return browser_page


def test_a_refused_htmx_form_shows_its_error_and_keeps_what_was_typed(interview_page):
    page = interview_page.page
    page.get_by_label("Notes").fill("Ask about the on-call rota")
    page.get_by_text("Someone new").click()
    page.get_by_label("Name", exact=True).fill("   ")  # only spaces: the server refuses it
    page.get_by_label("Email").fill("priya@example.com")
    page.get_by_role("button", name="Add this person").click()

    expect(page.get_by_role("alert").filter(has_text="Type their name.")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value("priya@example.com")
    expect(page.get_by_label("Notes")).to_have_value("Ask about the on-call rota")
    interview_page.screenshot("htmx-refused-form", full_page=False)
    assert not Contact.objects.exists()


def test_an_htmx_form_sent_without_a_connection_says_so_and_keeps_the_form(interview_page):
    page = interview_page.page
    page.get_by_text("Someone new").click()
    page.get_by_label("Name", exact=True).fill("Priya Panel")
    go_offline(page)
    page.get_by_role("button", name="Add this person").click()

    expect(page.locator("#request-problem")).to_contain_text("No connection, so nothing was sent")
    expect(page.get_by_label("Name", exact=True)).to_have_value("Priya Panel")
    interview_page.screenshot("htmx-no-connection", full_page=False)

    page.context.set_offline(False)
    page.get_by_role("button", name="Add this person").click()
    expect(page.get_by_role("link", name="Priya Panel")).to_be_visible()
    expect(page.locator("#request-problem")).to_be_hidden()
    assert Contact.objects.get().name == "Priya Panel"
