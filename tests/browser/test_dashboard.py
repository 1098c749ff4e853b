import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.journal import services as journal
from apps.pipeline import services as pipeline
from apps.pipeline.models import Stage
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import DEVICES, log_in

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def seeker():
    user = UserFactory(email="morning@example.com", first_name="Lee", time_zone="America/Chicago")
    now = timezone.now()
    for company, stage in (
        ("Acme", Stage.SECOND_INTERVIEW),
        ("Globex", Stage.SCREENING),
        ("Initech", Stage.REJECTED),
    ):
        application = pipeline.application_create(
            owner=user, company_name=company, role_title="Backend Engineer"
        )
        pipeline.application_move_stage(application=application, to_stage=stage)
    acme = user.applications.get(company__name="Acme")
    first = pipeline.interview_schedule(
        application=acme, starts_at=now - dt.timedelta(hours=6), ends_at=now - dt.timedelta(hours=5)
    )
    journal.reflection_save(
        interview=first, fields={"went_well": "Design", "mistakes": ["rambled"]}, base_version=0
    )
    pipeline.interview_schedule(
        application=acme, starts_at=now + dt.timedelta(days=2), ends_at=now + dt.timedelta(days=2, hours=1)
    )
    return user


@pytest.mark.parametrize("device", DEVICES)
def test_the_morning_dashboard_says_what_to_do(live_server, open_page, seeker, device):
    # axe-core is injected as an inline script, which our own policy rightly forbids.
    browser_page = open_page(device, bypass_csp=True)
    page = browser_page.page
    log_in(browser_page, live_server.url, seeker.email, PASSWORD)

    expect(page.get_by_role("heading", name="Next interview")).to_be_visible()
    expect(page.locator("[data-countdown]")).to_contain_text("in 1 day")
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Finish your reflection")).to_be_visible()
    expect(page.locator("svg.funnel")).to_be_visible()
    if device == "phone":
        # One column: the next interview comes before the pipeline summary.
        next_box = page.get_by_role("heading", name="Next interview").bounding_box()
        glance_box = page.get_by_role("heading", name="Your pipeline").bounding_box()
        assert next_box["y"] < glance_box["y"]
    browser_page.screenshot("dashboard-morning")
    assert not browser_page.has_horizontal_scroll()
    assert browser_page.console_errors == []

    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


@pytest.mark.parametrize("device", DEVICES)
def test_the_numbers_page_reads_on_a_laptop_and_a_phone_and_changes_with_the_period(
    live_server, open_page, device
):
    user = UserFactory(email=f"numbers-{device}@example.com", time_zone="Europe/London")
    now = timezone.now()
    for number, (source, stage, days_ago) in enumerate(
        [
            ("Referral", Stage.FIRST_INTERVIEW, 60),
            ("Referral", Stage.OFFER, 50),
            ("LinkedIn", Stage.REJECTED, 45),
            ("LinkedIn", Stage.APPLIED, 40),
            ("Company site", Stage.SCREENING, 10),
            ("", Stage.APPLIED, 5),
        ]
    ):
        application = pipeline.application_create(
            owner=user,
            company_name=f"Company {number}",
            role_title="Data Engineer",
            source=source,
            created_at=now - dt.timedelta(days=days_ago),
        )
        if stage != Stage.APPLIED:
            pipeline.application_move_stage(
                application=application, to_stage=stage, now=application.created_at + dt.timedelta(days=3)
            )
    browser_page = open_page(device)
    page = browser_page.page
    log_in(browser_page, live_server.url, user.email, PASSWORD)
    page.get_by_role("link", name="Your numbers: answers, sources and periods").click()

    sent = page.locator(".numbers-tiles .card", has_text="Applications sent")
    expect(sent).to_contain_text("6")
    expect(page.get_by_role("heading", name="Where they came from")).to_be_visible()
    browser_page.screenshot("numbers")
    page.get_by_label("Applications sent in").select_option("30")
    page.get_by_role("button", name="Show").click()

    expect(sent).to_contain_text("2")
    assert "period=30" in page.url
    assert not browser_page.has_horizontal_scroll()
    assert browser_page.console_errors == []
