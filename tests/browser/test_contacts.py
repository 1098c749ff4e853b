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


@pytest.mark.parametrize("device", DEVICES)
def test_someone_who_knows_many_people_adds_one_by_typing_with_suggestions(live_server, open_page, device):
    from apps.contacts.models import ApplicationContact, Contact

    user = UserFactory(email=f"many-people-{device}@example.com")
    application = ApplicationFactory(owner=user, company=CompanyFactory(owner=user, name="Initech"))
    Contact.objects.bulk_create(
        Contact(owner=user, name=f"Someone {number:03d}", company="Crowd Ltd", kind="other")
        for number in range(80)
    )
    Contact.objects.create(
        owner=user, name="Priya Natarajan", company="Hire Partners", kind="recruiter_agency"
    )
    browser_page = open_page(device)
    page = browser_page.page
    log_in(browser_page, live_server.url, user.email, PASSWORD)
    page.goto(f"{live_server.url}/applications/{application.pk}/")

    box = page.get_by_placeholder("Type the name of someone you know")
    box.press_sequentially("priy", delay=40)
    # htmx fills the browser's own list of suggestions under the box.
    expect(page.locator("datalist option")).to_have_count(1)
    assert page.locator("datalist option").first.get_attribute("value") == "Priya Natarajan (Hire Partners)"
    box.fill("Priya Natarajan (Hire Partners)")
    browser_page.screenshot("people-typed-picker")
    box.locator("xpath=..").get_by_role("button", name="Add").click()

    expect(page.locator(".people-list").get_by_role("link", name="Priya Natarajan")).to_be_visible()
    assert list(
        ApplicationContact.objects.filter(application=application).values_list("contact__name", flat=True)
    ) == ["Priya Natarajan"]
    assert not browser_page.has_horizontal_scroll()
    # Chromium's own list of suggestions previews them with an inline style on the page's other
    # fields, which our Content Security Policy blocks; nothing of ours sets a style.
    own_errors = [error for error in browser_page.console_errors if "Applying inline style" not in error]
    assert own_errors == []
