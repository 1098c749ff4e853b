"""Every page obeys the Content Security Policy and carries what htmx needs."""

import json
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["home", "account_login", "account_signup", "account_reset_password"]
PRIVATE_PAGES = ["home", "accounts:settings", "account_email", "account_change_password", "account_logout"]

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+=", re.IGNORECASE)


def _assert_no_inline_code(html: str, where: str) -> None:
    assert not INLINE_SCRIPT.search(html), f"inline <script> on {where}"
    assert not INLINE_STYLE.search(html), f"inline style on {where}"
    assert not INLINE_HANDLER.search(html), f"inline event handler on {where}"


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_run_no_inline_code_and_send_a_strict_policy(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    _assert_no_inline_code(response.content.decode(), name)


@pytest.mark.parametrize("name", PRIVATE_PAGES)
def test_signed_in_pages_run_no_inline_code(visitors, name):
    response = visitors.owner.get(reverse(name))

    assert response.status_code == 200
    _assert_no_inline_code(response.content.decode(), name)


def test_the_404_page_runs_no_inline_code(client):
    response = client.get("/nothing-here/")

    assert response.status_code == 404
    _assert_no_inline_code(response.content.decode(), "404")


def test_htmx_requests_carry_the_csrf_token_from_the_page(owner):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    page = browser.get(reverse("accounts:settings")).content.decode()
    headers = json.loads(re.search(r"hx-headers='([^']+)'", page).group(1))
    form = {"first_name": "Olive", "time_zone": "Europe/Paris"}

    refused = browser.post(reverse("accounts:settings"), form, headers={"HX-Request": "true"})
    accepted = browser.post(reverse("accounts:settings"), form, headers={"HX-Request": "true", **headers})

    assert refused.status_code == 403
    assert "That form had expired" in refused.content.decode()
    assert accepted.status_code == 302
    owner.refresh_from_db()
    assert owner.time_zone == "Europe/Paris"


def test_no_template_comment_spans_lines():
    # Django's {# #} ends at the line's end: one that goes on prints itself on the page.
    templates = Path(__file__).resolve().parents[2] / "templates"
    leaking = [
        f"{path.relative_to(templates)}:{number}"
        for path in templates.rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert leaking == []
