"""Moves on the board in real Chromium: dragging to the far columns, the confirmation and its Undo,
the phone's stage picker, and exit labels that wrap between words."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from apps.pipeline.models import Application, Stage
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import log_in
from tests.pipeline.factories import ApplicationFactory, CompanyFactory

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BOARD = "/applications/board/"


@pytest.fixture
def seeker():
    """A search under way: one card waiting in the first column, a few further on, one closed."""
    user = UserFactory(email="mover@example.com", first_name="Mo", time_zone="Europe/London")
    earlier = timezone.now() - dt.timedelta(days=3)

    def application(company: str, role: str, stage: str) -> Application:
        return ApplicationFactory(
            owner=user,
            company=CompanyFactory(owner=user, name=company),
            role_title=role,
            stage=stage,
            stage_changed_at=earlier,
        )

    application("Acme", "Platform Engineer", Stage.INTERESTED)
    application("Globex", "Site Reliability Engineer", Stage.SCREENING)
    application("Initech", "Staff Engineer", Stage.SCREENING)
    application("Umbrella", "Data Engineer", Stage.OFFER)
    application("Hooli", "Backend Developer", Stage.WITHDRAWN)
    return user


# Resolves once htmx has processed the element (it keeps its own data on it).
HTMX_HAS_PROCESSED = (
    "element => new Promise(done => { (function check() {"
    " element['htmx-internal-data'] ? done() : setTimeout(check, 20); })(); })"
)


def _column(page: Page, label: str):
    return page.locator("section.board-column", has=page.get_by_role("heading", name=label, exact=True))


def _open_board(open_page, live_server, user, device: str = "desktop", **options):
    browser_page = open_page(device, **options)
    log_in(browser_page, live_server.url, user.email, PASSWORD)
    browser_page.page.goto(f"{live_server.url}{BOARD}")
    return browser_page


def _page_scroll_after_frames(page: Page, frames: int) -> float:
    """How far down the page is once it has drawn `frames` more frames (a clock of its own)."""
    return page.evaluate(
        """frames => new Promise(done => {
            const next = left => (left ? requestAnimationFrame(() => next(left - 1)) : done(window.scrollY));
            next(frames);
        })""",
        frames,
    )


def _scroll_left(page: Page) -> float:
    return page.evaluate("document.querySelector('[data-board]').scrollLeft")


# Held this far inside the board's edge: within board.js's scrolling edge, and beyond the narrow
# belt (20 px) where Chromium would start scrolling by itself, so the test shows the board's own.
HOLD_INSIDE_EDGE = 45


def _pick_up(page: Page, card) -> tuple[float, float]:
    box = card.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + 20
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 30, y, steps=3)
    return x + 30, y


def _hold_at(page: Page, x: float, y: float) -> None:
    """Move the dragged card to (x, y) and keep it there. Chromium reports a drag's place to the page
    one move late under Playwright (a hand never stops moving this still), so a nudge follows."""
    page.mouse.move(x, y, steps=8)
    page.mouse.move(x + 1, y)


def _drag_to_far_edge_and_drop(page: Page, card, target) -> None:
    """Drag as a hand does: pick the card up, hold it near the board's right edge until the board has
    scrolled to its end, then let go over the target. No step scrolls anything into view by itself."""
    _, y = _pick_up(page, card)
    board_box = page.locator("[data-board]").bounding_box()
    _hold_at(page, board_box["x"] + board_box["width"] - HOLD_INSIDE_EDGE, y)
    page.wait_for_function(
        "() => { const b = document.querySelector('[data-board]');"
        " return b.scrollLeft > 0 && b.scrollLeft + b.clientWidth >= b.scrollWidth - 1; }"
    )
    target_box = target.bounding_box()
    page.mouse.move(
        target_box["x"] + target_box["width"] / 2, target_box["y"] + target_box["height"] / 2, steps=5
    )
    page.mouse.up()


def test_a_card_dragged_to_the_last_column_scrolls_the_board_on_its_way(live_server, open_page, seeker):
    browser_page = _open_board(open_page, live_server, seeker)
    page = browser_page.page
    closed = _column(page, "Closed")
    expect(closed).not_to_be_in_viewport()  # 1280 px show six columns of ten
    assert _scroll_left(page) == 0

    acme = _column(page, "Interested").locator("[data-card]", has_text="Acme")
    _drag_to_far_edge_and_drop(page, acme, closed.locator(".exit-target", has_text="Rejected"))

    arrived = closed.locator("[data-card]", has_text="Acme")
    expect(arrived).to_be_visible()
    expect(arrived).to_be_in_viewport()  # the board that came back kept its place
    expect(arrived.locator(".badge")).to_have_text("Rejected")
    expect(_column(page, "Interested").locator("[data-card]")).to_have_count(0)
    assert Application.objects.get(role_title="Platform Engineer").stage == Stage.REJECTED
    toast = page.locator("#move-status")
    expect(toast).to_contain_text("Moved Acme to Rejected · Undo")
    browser_page.screenshot("board-moves-dragged", full_page=False)
    assert browser_page.console_errors == []


def test_a_card_held_near_the_foot_of_the_window_scrolls_the_page_down(live_server, open_page, seeker):
    for number in range(12):  # a long column makes a page taller than the window
        ApplicationFactory(owner=seeker, role_title=f"Analyst {number}", stage=Stage.APPLIED)
    browser_page = _open_board(open_page, live_server, seeker)
    page = browser_page.page
    assert page.evaluate("window.scrollY") == 0

    x, _ = _pick_up(page, _column(page, "Interested").locator("[data-card]", has_text="Acme"))
    _hold_at(page, x, page.viewport_size["height"] - HOLD_INSIDE_EDGE)
    page.wait_for_function("() => window.scrollY > 100")
    _hold_at(page, x, page.viewport_size["height"] / 2)  # out of the edge: it stops
    stopped_at = _page_scroll_after_frames(page, 3)
    assert _page_scroll_after_frames(page, 20) == stopped_at
    page.mouse.up()
    assert Application.objects.get(role_title="Platform Engineer").stage == Stage.INTERESTED
    assert browser_page.console_errors == []


def test_undo_after_a_drag_puts_the_card_back_and_the_message_goes_in_ten_seconds(
    live_server, open_page, seeker
):
    browser_page = _open_board(open_page, live_server, seeker)
    page = browser_page.page
    page.clock.install()
    _column(page, "Interested").locator("[data-card]", has_text="Acme").drag_to(_column(page, "Applied"))
    status = page.get_by_role("status").filter(has_text="Moved Acme")
    expect(status).to_contain_text("Moved Acme to Applied")
    assert Application.objects.get(role_title="Platform Engineer").stage == Stage.APPLIED

    status.get_by_role("button", name="Undo").click()

    expect(page.locator("#move-status")).to_contain_text("Undone: Acme is back in Interested.")
    expect(_column(page, "Interested").locator("[data-card]", has_text="Acme")).to_be_visible()
    expect(_column(page, "Applied").locator("[data-card]")).to_have_count(0)
    application = Application.objects.get(role_title="Platform Engineer")
    assert application.stage == Stage.INTERESTED
    assert application.stage_changes.count() == 1
    browser_page.screenshot("board-moves-undone", full_page=False)
    page.mouse.move(5, 5)  # away from the message: it waits while the pointer rests on it
    page.clock.fast_forward("00:11")
    expect(page.locator("[data-move-toast]")).to_have_count(0)
    assert browser_page.console_errors == []


def test_an_undo_from_a_stale_tab_is_refused_and_the_board_catches_up(live_server, open_page, seeker):
    browser_page = _open_board(open_page, live_server, seeker)
    page = browser_page.page
    _column(page, "Screening").locator("[data-card]", has_text="Globex").drag_to(
        _column(page, "First interview")
    )
    expect(page.locator("#move-status")).to_contain_text("Moved Globex to First interview")
    # Another tab moves Globex on.
    other = page.context.new_page()
    other.goto(f"{live_server.url}{BOARD}")
    card = _column(other, "First interview").locator("[data-card]", has_text="Globex")
    card.get_by_text("Move", exact=True).click()
    card.get_by_role("button", name="Final round").click()
    expect(_column(other, "Final round").locator("[data-card]", has_text="Globex")).to_be_visible()

    page.locator("#move-status").get_by_role("button", name="Undo").click()

    expect(page.locator("#move-status")).to_contain_text(
        "Globex has moved since, so that move can no longer be undone here. It is at Final round now."
    )
    expect(_column(page, "Final round").locator("[data-card]", has_text="Globex")).to_be_visible()
    assert Application.objects.get(role_title="Site Reliability Engineer").stage == Stage.FINAL_ROUND
    browser_page.screenshot("board-moves-refused", full_page=False)
    # A 409 is an answer, not a fault: nothing but the browser's own note of the status.
    assert [error for error in browser_page.console_errors if "409" not in error] == []


def test_a_move_from_the_menu_offers_undo_to_the_keyboard(live_server, open_page, seeker):
    browser_page = _open_board(open_page, live_server, seeker)
    page = browser_page.page
    card = _column(page, "Screening").locator("[data-card]", has_text="Initech")
    card.locator("summary").focus()
    page.keyboard.press("Enter")  # opens the menu; its stages come in
    offer = card.get_by_role("button", name="Offer")
    # Pressed before htmx has taken the menu's form in hand, the form would post on its own:
    # wait until htmx has processed it (it keeps its own data on the element).
    offer.locator("xpath=ancestor::form").evaluate(HTMX_HAS_PROCESSED)
    offer.focus()
    page.keyboard.press("Enter")

    undo = page.locator("#move-status").get_by_role("button", name="Undo")
    expect(page.locator("#move-status")).to_contain_text("Moved Initech to Offer")
    expect(undo).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator("#move-status")).to_contain_text("Undone: Initech is back in Screening.")
    expect(page.locator("[data-move-toast-close]")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("[data-move-toast]")).to_have_count(0)
    assert Application.objects.get(role_title="Staff Engineer").stage == Stage.SCREENING
    assert browser_page.console_errors == []


def test_the_phone_picks_one_stage_at_a_time(live_server, open_page, seeker):
    browser_page = _open_board(open_page, live_server, seeker, device="phone", bypass_csp=True)
    page = browser_page.page
    picker = page.get_by_role("navigation", name="Stages")
    expect(picker).to_be_visible()
    expect(picker.get_by_role("link")).to_have_count(10)
    expect(picker.get_by_role("link", name="Screening 2 applications")).to_be_visible()
    expect(picker.get_by_role("link", name="Interested 1 application")).to_have_attribute(
        "aria-current", "true"
    )
    expect(_column(page, "Interested")).to_be_in_viewport(ratio=0.9)
    expect(_column(page, "Applied")).not_to_be_in_viewport()
    browser_page.screenshot("board-moves-picker", full_page=False)

    screening = picker.get_by_role("link", name="Screening 2 applications")
    screening.focus()
    page.keyboard.press("Enter")

    expect(_column(page, "Screening")).to_be_in_viewport(ratio=0.9)
    expect(_column(page, "Interested")).not_to_be_in_viewport()
    expect(page.get_by_role("heading", name="Screening", exact=True)).to_be_focused()
    expect(screening).to_have_attribute("aria-current", "true")
    expect(picker.locator("[aria-current]")).to_have_count(1)
    assert page.url.endswith("#column-screening")

    # A move from the menu leaves the person on the column they were reading.
    card = _column(page, "Screening").locator("[data-card]", has_text="Globex")
    card.get_by_text("Move", exact=True).click()
    card.get_by_role("button", name="Final round").click()
    expect(page.locator("#move-status")).to_contain_text("Moved Globex to Final round")
    expect(_column(page, "Screening")).to_be_in_viewport(ratio=0.9)
    expect(picker.get_by_role("link", name="Screening 1 application")).to_have_attribute(
        "aria-current", "true"
    )
    expect(picker.get_by_role("link", name="Final round 1 application")).to_be_visible()
    browser_page.screenshot("board-moves-phone-moved", full_page=False)

    # Swiping shows the next column and the picker follows.
    page.evaluate("document.querySelector('[data-board]').scrollBy({left: window.innerWidth})")
    expect(picker.get_by_role("link", name="First interview 0 applications")).to_have_attribute(
        "aria-current", "true"
    )

    # Sideways scrolling stays inside the board; the page itself never scrolls sideways.
    assert not browser_page.has_horizontal_scroll()
    assert page.evaluate("(b => b.scrollWidth > b.clientWidth)(document.querySelector('[data-board]'))")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id + ': ' + v.help)"
    )
    assert violations == []
    assert browser_page.console_errors == []


def test_the_phone_picker_works_as_plain_links_without_script(live_server, open_page, seeker):
    browser_page = _open_board(open_page, live_server, seeker, device="phone", java_script_enabled=False)
    page = browser_page.page

    page.get_by_role("navigation", name="Stages").get_by_role("link", name="Offer 1 application").click()

    assert page.url.endswith("#column-offer")
    expect(_column(page, "Offer")).to_be_in_viewport(ratio=0.9)
    expect(_column(page, "Offer").locator("[data-card]", has_text="Umbrella")).to_be_visible()
    assert not browser_page.has_horizontal_scroll()


def test_a_move_without_script_shows_its_undo_on_the_next_page(live_server, open_page, seeker):
    browser_page = _open_board(open_page, live_server, seeker, device="phone", java_script_enabled=False)
    page = browser_page.page
    card = _column(page, "Interested").locator("[data-card]", has_text="Acme")
    card.get_by_text("Move", exact=True).click()
    card.get_by_role("link", name="Choose a stage").click()
    page.get_by_role("button", name="Applied").click()

    message = page.get_by_role("status").filter(has_text="Moved Acme to Applied")
    expect(message).to_be_visible()
    browser_page.screenshot("board-moves-no-script-message", full_page=False)
    message.get_by_role("button", name="Undo").click()

    expect(page.get_by_text("Undone: Acme is back in Interested.")).to_be_visible()
    assert Application.objects.get(role_title="Platform Engineer").stage == Stage.INTERESTED
    assert not browser_page.has_horizontal_scroll()


def test_a_move_from_the_application_page_offers_undo_there(live_server, open_page, seeker):
    application = Application.objects.get(role_title="Site Reliability Engineer")
    browser_page = open_page("desktop")
    page = browser_page.page
    log_in(browser_page, live_server.url, seeker.email, PASSWORD)
    page.goto(f"{live_server.url}/applications/{application.pk}/")

    page.get_by_label("Move to").select_option(label="Second interview")
    page.get_by_role("button", name="Move", exact=True).click()
    # The second round asks for its interview; the move can still be taken back from there.
    message = page.get_by_role("status").filter(has_text="Moved Globex to Second interview")
    expect(message).to_be_visible()
    browser_page.screenshot("board-moves-application-page", full_page=False)
    message.get_by_role("button", name="Undo").click()

    expect(page.get_by_text("Undone: Globex is back in Screening.")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/applications/{application.pk}/")
    application.refresh_from_db()
    assert application.stage == Stage.SCREENING
    assert browser_page.console_errors == []


@pytest.mark.parametrize("device", ["desktop", "phone", "small-phone"])
def test_exit_labels_and_badges_break_between_words_only(live_server, open_page, seeker, device):
    browser_page = _open_board(open_page, live_server, seeker, device=device)
    page = browser_page.page
    closed = _column(page, "Closed")
    closed.scroll_into_view_if_needed()
    expect(closed.locator("[data-card]", has_text="Hooli")).to_be_visible()

    # Every word of every label sits on one line: a range over it has one box.
    broken = page.evaluate(
        """() => [...document.querySelectorAll('.exit-target, .board-card .badge, .board-column-header h2')]
            .flatMap(label => {
              const text = label.firstChild;
              const found = [];
              for (const match of text.textContent.matchAll(/\\S+/g)) {
                const range = document.createRange();
                range.setStart(text, match.index);
                range.setEnd(text, match.index + match[0].length);
                const lines = new Set([...range.getClientRects()].map(box => Math.round(box.top)));
                if (lines.size > 1) found.push(match[0]);
              }
              return found;
            })"""
    )
    assert broken == []
    browser_page.screenshot("board-moves-closed-column", full_page=False)
    assert browser_page.console_errors == []
