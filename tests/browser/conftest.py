"""Real Chromium (Debian's package) driven by Playwright against a live server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"

# Playwright cannot download its own browser here; Debian's runs headless as
# root with --no-sandbox, which Playwright adds by itself. The other flags keep
# Chromium from reaching for the network at start-up.
CHROMIUM = "/usr/bin/chromium"
QUIET_FLAGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
SMALL_PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
PROFILES = {"desktop": DESKTOP, "phone": PHONE, "small-phone": SMALL_PHONE}
# The two devices every user journey is checked on.
DEVICES = ["desktop", "phone"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": QUIET_FLAGS}


class BrowserPage:
    """A page on one device, with the problems a person would notice collected."""

    def __init__(self, page: Page, device: str) -> None:
        self.page = page
        self.device = device
        self.console_errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def _on_console(self, message) -> None:
        # A form with mistakes comes back as 400 by design; Chromium logs that
        # as a failed load, which is no fault of the page.
        if message.type == "error" and "status of 400" not in message.text:
            self.console_errors.append(message.text)

    def screenshot(self, name: str, *, full_page: bool = True) -> Path:
        """Save what the person sees; full_page=False keeps to one screen, as on a phone."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}-{self.device}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def has_horizontal_scroll(self) -> bool:
        return self.page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


@pytest.fixture
def open_page(browser: Browser) -> Iterator:
    """open_page(device, **context options) -> BrowserPage; contexts closed after the test."""
    contexts = []

    def _open(device: str, **options) -> BrowserPage:
        context = browser.new_context(**PROFILES[device], **options)
        contexts.append(context)
        return BrowserPage(context.new_page(), device)

    yield _open
    for context in contexts:
        context.close()


def log_in(browser_page: BrowserPage, base_url: str, email: str, password: str) -> None:
    """Log in through the real form, as a person would."""
    page = browser_page.page
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/")


def open_menu(page: Page) -> None:
    """Open the folded menu on a phone and wait until it has finished sliding open.

    A click on a link while the menu is still moving can miss it.
    """
    page.get_by_role("button", name="Open the menu").click()
    page.wait_for_selector("#main-nav.show")


def go_offline(page: Page) -> None:
    """Lose the connection, and wait until the page knows it (as on a train, before the tap).

    The browser tells the page a moment after the network goes: on a busy machine a tap can
    land in between, and the page would still think it is online.
    """
    page.context.set_offline(True)
    page.wait_for_function("() => !navigator.onLine")
