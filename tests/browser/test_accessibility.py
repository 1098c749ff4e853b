"""Every main page in real Chromium, on a laptop and on a phone: no serious or critical
accessibility problem (axe-core), no sideways scroll, no console error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from apps.contacts import services as contacts
from apps.journal import services as journal
from apps.pipeline import services as pipeline
from apps.pipeline.models import Stage
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import log_in
from tests.contacts.factories import ContactFactory
from tests.prep.factories import StoryFactory

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def pages(live_server) -> tuple[str, list[tuple[str, str]]]:
    """A user with a bit of everything, and the pages to visit (name, path)."""
    user = UserFactory(email="axe@example.com", time_zone="Europe/Paris")
    application = pipeline.application_create(owner=user, company_name="Acme", role_title="Engineer")
    pipeline.application_move_stage(application=application, to_stage=Stage.SECOND_INTERVIEW)
    now = timezone.now()
    past = pipeline.interview_schedule(
        application=application,
        starts_at=now - dt.timedelta(days=2),
        ends_at=now - dt.timedelta(days=2, hours=-1),
    )
    journal.reflection_save(
        interview=past,
        fields={"went_well": "Design", "good_signs": ["ran_long"]},
        base_version=0,
        finalise=True,
    )
    coming = pipeline.interview_schedule(
        application=application,
        starts_at=now + dt.timedelta(days=3),
        ends_at=now + dt.timedelta(days=3, hours=1),
    )
    contact = ContactFactory(owner=user, name="Rita Recruiter")
    contacts.application_add_contact(application=application, contact=contact)
    contacts.interview_add_participant(interview=past, contact=contact)
    StoryFactory(owner=user)
    paths = [
        ("dashboard", "/"),
        ("board", "/applications/board/"),
        ("list", "/applications/"),
        ("application", f"/applications/{application.pk}/"),
        ("journal", "/journal/"),
        ("reflection", f"/interviews/{past.pk}/reflection/"),
        ("lessons", "/journal/lessons/"),
        ("insights", "/journal/insights/"),
        ("people", "/contacts/"),
        ("contact", f"/contacts/{contact.pk}/"),
        ("reminders", "/reminders/"),
        ("brief", f"/interviews/{coming.pk}/prep/"),
        ("stories", "/prep/stories/"),
        ("practice", "/prep/practice/"),
        ("settings", "/accounts/settings/"),
        ("thank-you notes", f"/interviews/{past.pk}/thank-you/"),
        ("at the door", f"/interviews/{coming.pk}/prep/door/"),
        ("decide", "/decide/"),
        ("keep searching", "/keep-searching/"),
        ("inbox", "/inbox/"),
    ]
    return user.email, paths


@pytest.mark.parametrize("device", ["desktop", "phone", "small-phone"])
def test_every_main_page_is_accessible_and_fits_the_screen(live_server, open_page, pages, device):
    email, paths = pages
    # axe-core is injected as an inline script, which our own policy rightly forbids.
    browser_page = open_page(device, bypass_csp=True)
    page = browser_page.page
    log_in(browser_page, live_server.url, email, PASSWORD)
    problems = []
    for name, path in paths:
        page.goto(f"{live_server.url}{path}")
        if browser_page.has_horizontal_scroll():
            problems.append(f"{name}: scrolls sideways")
        if device != "small-phone":
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
            problems += [
                f"{name}: {violation['id']} ({violation['impact']}) at {violation['nodes'][0]['target']}"
                for violation in result["violations"]
                if violation["impact"] in ("serious", "critical")
            ]
            browser_page.screenshot(f"page-{name}", full_page=False)
    assert problems == []
    assert browser_page.console_errors == []
