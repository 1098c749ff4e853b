import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.contacts.models import InterviewParticipant
from apps.pipeline.models import Interview
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import DEVICES, log_in
from tests.pipeline.factories import ApplicationFactory, CompanyFactory, InterviewFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("device", DEVICES)
def test_adding_someone_new_inline_keeps_what_was_typed_in_the_interview_form(live_server, open_page, device):
    user = UserFactory(email=f"inline-{device}@example.com", time_zone="Europe/London")
    application = ApplicationFactory(owner=user, company=CompanyFactory(owner=user, name="Initech"))
    # Mid-morning, so the hour-long interview never crosses midnight (the form takes one date).
    soon = (timezone.now() + dt.timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    interview = InterviewFactory(
        application=application, starts_at=soon, ends_at=soon + dt.timedelta(hours=1)
    )
    browser_page = open_page(device)
    page = browser_page.page
    log_in(browser_page, live_server.url, user.email, PASSWORD)
    page.goto(f"{live_server.url}/interviews/{interview.pk}/edit/")

    page.get_by_label("Notes").fill("Ask about the on-call rota")
    page.get_by_label("Where").fill("Floor 3, Initech tower")
    page.get_by_text("Someone new").click()
    page.get_by_label("Name", exact=True).fill("Priya Panel")
    page.get_by_role("button", name="Add this person").click()

    expect(page.get_by_role("link", name="Priya Panel")).to_be_visible()
    expect(page.get_by_label("Notes")).to_have_value("Ask about the on-call rota")
    expect(page.get_by_label("Where")).to_have_value("Floor 3, Initech tower")
    browser_page.screenshot("interview-people")
    assert not browser_page.has_horizontal_scroll()

    page.get_by_role("button", name="Save the interview").click()
    expect(page.get_by_text("The interview is updated.")).to_be_visible()
    interview = Interview.objects.get(pk=interview.pk)
    assert interview.notes == "Ask about the on-call rota"
    assert InterviewParticipant.objects.get(interview=interview).name == "Priya Panel"
    assert browser_page.console_errors == []
