"""A long column on the board: "+ N more" brings the rest, and the cards it brings work like the others."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.pipeline import selectors
from apps.pipeline.models import Application, Stage
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import log_in
from tests.pipeline.factories import ApplicationFactory, CompanyFactory

pytestmark = pytest.mark.django_db(transaction=True)

PER_COLUMN = selectors.BOARD_CARDS_PER_COLUMN
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
APPLIED = PER_COLUMN + 8


@pytest.fixture
def long_search():
    """Twenty applications waiting at Applied, the most recent first by name; one at Screening."""
    user = UserFactory(email="long-search@example.com", first_name="Lee", time_zone="Europe/London")
    now = timezone.now()
    for number in range(1, APPLIED + 1):
        ApplicationFactory(
            owner=user,
            company=CompanyFactory(owner=user, name=f"Applied Co {number:02}"),
            role_title=f"Analyst {number:02}",
            stage=Stage.APPLIED,
            stage_changed_at=now - dt.timedelta(hours=number),
        )
    ApplicationFactory(
        owner=user, company=CompanyFactory(owner=user, name="Globex"), role_title="SRE", stage=Stage.SCREENING
    )
    return user


def _column(page, label: str):
    return page.locator("section.board-column", has=page.get_by_role("heading", name=label, exact=True))


def _open_board(open_page, live_server, user, **options):
    browser_page = open_page("desktop", **options)
    log_in(browser_page, live_server.url, user.email, PASSWORD)
    browser_page.page.goto(f"{live_server.url}/applications/board/")
    return browser_page


def test_more_brings_the_rest_of_a_column_and_a_loaded_card_drags_to_another(
    live_server, open_page, long_search
):
    browser_page = _open_board(open_page, live_server, long_search)
    page = browser_page.page
    applied = _column(page, "Applied")
    expect(applied.locator("[data-card]")).to_have_count(PER_COLUMN)

    applied.get_by_role("link", name="+ 8 more").click()

    expect(applied.locator("[data-card]")).to_have_count(APPLIED)
    expect(applied.locator("[data-card]").last).to_contain_text(f"Applied Co {APPLIED:02}")
    expect(applied.locator("[data-board-more]")).to_have_count(0)  # nothing left to bring
    # The focus moves to the first card brought, where reading goes on.
    expect(applied.locator("[data-card]").nth(PER_COLUMN).locator(".board-card-title")).to_be_focused()
    assert page.url == f"{live_server.url}/applications/board/"
    browser_page.screenshot("board-more")

    loaded = applied.locator("[data-card]", has_text="Applied Co 15")
    loaded.drag_to(_column(page, "First interview"))

    expect(_column(page, "First interview").locator("[data-card]", has_text="Applied Co 15")).to_be_visible()
    assert Application.objects.get(role_title="Analyst 15").stage == Stage.FIRST_INTERVIEW
    # The board comes back whole, its first cards again, one fewer waiting behind the button.
    expect(applied.locator("[data-card]")).to_have_count(PER_COLUMN)
    expect(applied.get_by_role("link", name="+ 7 more")).to_be_visible()
    browser_page.screenshot("board-more-dragged")
    assert browser_page.console_errors == []


def test_a_loaded_card_moves_with_its_menu(live_server, open_page, long_search):
    browser_page = _open_board(open_page, live_server, long_search)
    page = browser_page.page
    applied = _column(page, "Applied")
    applied.get_by_role("link", name="+ 8 more").click()

    card = applied.locator("[data-card]", has_text="Applied Co 18")
    card.get_by_text("Move", exact=True).click()
    card.get_by_role("button", name="Offer").click()  # the stages came into the loaded card

    expect(_column(page, "Offer").locator("[data-card]", has_text="Applied Co 18")).to_be_visible()
    assert Application.objects.get(role_title="Analyst 18").stage == Stage.OFFER
    assert browser_page.console_errors == []


def test_without_javascript_more_opens_the_rest_as_a_page(live_server, open_page, long_search):
    browser_page = _open_board(open_page, live_server, long_search, java_script_enabled=False)
    page = browser_page.page

    _column(page, "Applied").get_by_role("link", name="+ 8 more").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Applied")
    expect(page.locator("[data-card]")).to_have_count(APPLIED - PER_COLUMN)
    expect(page.locator("[data-card]").first).to_contain_text(f"Applied Co {PER_COLUMN + 1:02}")
    card = page.locator("[data-card]", has_text="Applied Co 20")
    card.get_by_text("Move", exact=True).click()
    card.get_by_role("link", name="Choose a stage").click()
    page.get_by_role("button", name="Screening").click()

    expect(_column(page, "Screening").locator("[data-card]", has_text="Applied Co 20")).to_be_visible()
    assert Application.objects.get(role_title="Analyst 20").stage == Stage.SCREENING


def test_a_column_that_cannot_be_loaded_says_so_and_keeps_the_board(live_server, open_page, long_search):
    browser_page = _open_board(open_page, live_server, long_search)
    page = browser_page.page
    applied = _column(page, "Applied")
    # The server refuses this one (no such column): a 404, which htmx does not swap.
    page.evaluate(
        """() => {
          const more = document.querySelector("[data-board-more]");
          more.setAttribute("hx-get", "/applications/board/column/no-such-column/");
          htmx.process(more);
        }"""
    )

    applied.locator("[data-board-more]").click()

    expect(page.locator("#request-problem")).to_contain_text("That could not be done.")
    expect(applied.locator("[data-card]")).to_have_count(PER_COLUMN)
    expect(applied.locator("[data-board-more]")).to_be_visible()


def _serious_problems(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} at {violation['nodes'][0]['target']}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_a_long_column_and_its_page_are_accessible_on_a_phone(live_server, open_page, long_search):
    # axe-core is injected as an inline script, which our own policy rightly forbids.
    browser_page = open_page("phone", bypass_csp=True)
    page = browser_page.page
    log_in(browser_page, live_server.url, long_search.email, PASSWORD)
    page.goto(f"{live_server.url}/applications/board/")
    applied = _column(page, "Applied")
    assert _serious_problems(page) == []  # with its "+ 8 more"
    # Nothing sticks out of the board's sideways scroll: a wider page is one the phone zooms out of.
    assert page.evaluate("window.innerWidth") == 390

    applied.get_by_role("link", name="+ 8 more").click()
    expect(applied.locator("[data-card]")).to_have_count(APPLIED)
    assert _serious_problems(page) == []
    assert not browser_page.has_horizontal_scroll()

    page.goto(f"{live_server.url}/applications/board/column/{Stage.APPLIED}/")
    expect(page.locator("[data-card]")).to_have_count(PER_COLUMN)
    assert _serious_problems(page) == []
    assert not browser_page.has_horizontal_scroll()
    browser_page.screenshot("board-column-page", full_page=False)
    assert browser_page.console_errors == []
