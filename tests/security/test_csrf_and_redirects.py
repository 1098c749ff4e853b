"""CSRF on writes in every app, no open redirects through `next`, and the per-address login limit.

The CSRF tests use a browser-like client that enforces the check (Django's
test client skips it by default) and read the token the way the page hands it
out: the hidden form field, or the hx-headers JSON on <body> for htmx.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.contacts.models import Contact
from apps.journal.models import Reflection
from apps.pipeline.models import Application, Stage
from apps.prep.models import QuestionToAsk
from apps.reminders.models import Kind, Reminder, Status
from tests.accounts.factories import PASSWORD, UserFactory
from tests.helpers import Visitors
from tests.security.world import World

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _browser(user: User | None = None) -> Client:
    browser = Client(enforce_csrf_checks=True)
    if user is not None:
        browser.force_login(user)
    return browser


def _form_token(page: HttpResponse) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)


def _htmx_headers(page: HttpResponse) -> dict[str, str]:
    return json.loads(re.search(r"hx-headers='([^']+)'", page.content.decode()).group(1))


# --- CSRF: one write per app -----------------------------------------------------------------------


@dataclass(frozen=True)
class Write:
    """A write as a page makes it: where the token is read, where it is sent, and what it changes."""

    page: Callable[[World], str]
    url: Callable[[World], str]
    data: dict[str, str]
    done: Callable[[World], bool]
    htmx: bool = False


WRITES = {
    "pipeline: add an application": Write(
        page=lambda world: reverse("pipeline:application_create"),
        url=lambda world: reverse("pipeline:application_create"),
        data={"company_name": "Csrf Ltd", "role_title": "Token Keeper", "stage": Stage.APPLIED},
        done=lambda world: Application.objects.filter(role_title="Token Keeper").exists(),
    ),
    "journal: autosave a reflection": Write(
        page=lambda world: reverse("journal:reflect", args=[world.interview.pk]),
        url=lambda world: reverse("journal:autosave", args=[world.interview.pk]),
        data={"version": "1", "account": "Saved with the token"},
        done=lambda world: Reflection.objects.filter(account="Saved with the token").exists(),
    ),
    "contacts: add a contact": Write(
        page=lambda world: reverse("contacts:contact_create"),
        url=lambda world: reverse("contacts:contact_create"),
        data={"name": "Tess Token", "kind": "recruiter_agency"},
        done=lambda world: Contact.objects.filter(name="Tess Token").exists(),
    ),
    "reminders: tick a reminder with htmx": Write(
        page=lambda world: reverse("reminders:reminders"),
        url=lambda world: reverse("reminders:action", args=[world.reminder.pk]),
        data={"action": "done"},
        done=lambda world: Reminder.objects.filter(pk=world.reminder.pk, status=Status.DONE).exists(),
        htmx=True,
    ),
    "prep: add a question to the brief": Write(
        page=lambda world: reverse("prep:brief", args=[world.interview.pk]),
        url=lambda world: reverse("prep:part", args=[world.interview.pk, "questions"]),
        data={"text": "What does a good first month look like?"},
        done=lambda world: QuestionToAsk.objects.filter(text__startswith="What does a good first").exists(),
    ),
    "dashboard: one-click follow-up": Write(
        page=lambda world: reverse("home"),
        url=lambda world: reverse("dashboard_follow_up", args=[world.application.pk]),
        data={},
        done=lambda world: Reminder.objects.filter(
            application=world.application, kind=Kind.FOLLOW_UP, status=Status.PENDING
        ).exists(),
        htmx=True,
    ),
    "accounts: change preferences": Write(
        page=lambda world: reverse("accounts:settings"),
        url=lambda world: reverse("accounts:settings"),
        data={"first_name": "Olive", "time_zone": "Asia/Tokyo"},
        done=lambda world: world.user.time_zone == "Asia/Tokyo",
    ),
}


def _refresh(world: World) -> World:
    world.user = User.objects.get(pk=world.user.pk)
    return world


@pytest.mark.parametrize("name", WRITES)
def test_a_write_without_the_csrf_token_is_refused_and_changes_nothing(name: str, victim: World):
    write = WRITES[name]
    browser = _browser(victim.user)
    browser.get(write.page(victim))  # the page sets the CSRF cookie, as in a real browser
    headers = HTMX if write.htmx else {}

    response = browser.post(write.url(victim), write.data, headers=headers)

    assert response.status_code == 403
    assert "That form had expired" in response.content.decode()
    assert not write.done(_refresh(victim))


@pytest.mark.parametrize("name", WRITES)
def test_a_write_with_the_token_from_the_page_is_accepted(name: str, victim: World):
    write = WRITES[name]
    browser = _browser(victim.user)
    page = browser.get(write.page(victim))
    assert page.status_code == 200
    if write.htmx:
        response = browser.post(write.url(victim), write.data, headers={**HTMX, **_htmx_headers(page)})
    else:
        response = browser.post(write.url(victim), {**write.data, "csrfmiddlewaretoken": _form_token(page)})

    assert response.status_code in (200, 302), response.status_code
    assert write.done(_refresh(victim))


def test_a_token_read_from_someone_elses_page_is_refused(visitors: Visitors, victim: World):
    # An attacker's own valid token, planted in a form on their site, does not fit the victim's cookie.
    attackers_page = _browser(visitors.stranger_user).get(reverse("contacts:contact_create"))
    browser = _browser(victim.user)
    browser.get(reverse("contacts:contact_create"))

    response = browser.post(
        reverse("contacts:contact_create"),
        {
            "name": "Planted Person",
            "kind": "recruiter_agency",
            "csrfmiddlewaretoken": _form_token(attackers_page),
        },
    )

    assert response.status_code == 403
    assert not Contact.objects.filter(name="Planted Person").exists()


def test_logging_out_needs_the_token_so_another_site_cannot_sign_you_out(victim: World):
    browser = _browser(victim.user)
    page = browser.get(reverse("home"))

    refused = browser.post(reverse("account_logout"))
    still_in = browser.get(reverse("accounts:settings")).status_code
    accepted = browser.post(reverse("account_logout"), {"csrfmiddlewaretoken": _form_token(page)})

    assert refused.status_code == 403
    assert still_in == 200
    assert accepted.status_code == 302
    assert "_auth_user_id" not in browser.session


# --- Open redirects ------------------------------------------------------------------------------------

OFF_SITE = [
    "//evil.example.com",
    "https://evil.example.com",
    "/\\evil.example.com",
    "\\\\evil.example.com",
    "///evil.example.com",
    "https:evil.example.com",
    "https:/evil.example.com",
    " //evil.example.com",
    "\t//evil.example.com",
    "http://testserver@evil.example.com/",
    "//evil.example.com/%2F..",
    "javascript:alert(document.domain)",
]


def _assert_stays_on_site(location: str) -> None:
    """Where a browser would go: this site, by a path that no browser reads as another host."""
    assert location, "no redirect target"
    assert location == location.strip(), location
    assert "\\" not in location, location
    target = urlsplit(urljoin("http://testserver/", location))
    assert target.scheme == "http", location
    assert target.netloc == "testserver", location


def _log_in(client: Client, user: User, url: str, extra: dict[str, str] | None = None) -> HttpResponse:
    return client.post(url, {"login": user.email, "password": PASSWORD, **(extra or {})})


@pytest.mark.parametrize("target", OFF_SITE)
def test_logging_in_never_leads_off_site(target: str, owner: User):
    by_query = _log_in(Client(), owner, reverse("account_login") + "?" + urlencode({"next": target}))
    by_form = _log_in(Client(), owner, reverse("account_login"), {"next": target})

    for response in (by_query, by_form):
        assert response.status_code == 302
        _assert_stays_on_site(response["Location"])


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_login_page_sends_a_signed_in_person_on_but_never_off_site(target: str, visitors: Visitors):
    response = visitors.owner.get(reverse("account_login"), {"next": target})

    assert response.status_code == 302
    _assert_stays_on_site(response["Location"])


@pytest.mark.parametrize("target", OFF_SITE)
def test_signing_up_and_logging_out_never_lead_off_site(target: str):
    browser = Client()
    signed_up = browser.post(
        reverse("account_signup") + "?" + urlencode({"next": target}),
        {
            "email": "new.person@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "time_zone": "Europe/London",
        },
    )
    logged_out = browser.post(reverse("account_logout"), {"next": target})

    assert signed_up.status_code == 302
    _assert_stays_on_site(signed_up["Location"])
    assert logged_out.status_code == 302
    _assert_stays_on_site(logged_out["Location"])


@pytest.mark.parametrize("target", OFF_SITE)
def test_moving_an_application_never_leads_off_site_plain_or_htmx(
    target: str, visitors: Visitors, victim: World
):
    url = reverse("pipeline:application_move", args=[victim.application.pk])

    plain = visitors.owner.post(url, {"stage": Stage.REFERENCE_CHECK, "next": target})
    htmx = visitors.owner.post(url, {"stage": Stage.OFFER, "next": target}, headers=HTMX)
    refused = visitors.owner.post(url, {"stage": "not-a-stage", "next": target}, headers=HTMX)

    _assert_stays_on_site(plain["Location"])
    _assert_stays_on_site(htmx["HX-Redirect"])
    _assert_stays_on_site(refused["HX-Redirect"])


@pytest.mark.parametrize("target", OFF_SITE)
def test_reminder_actions_never_lead_off_site(target: str, visitors: Visitors, victim: World):
    for action in ("snooze", "done", "reopen", "dismiss"):
        response = visitors.owner.post(
            reverse("reminders:action", args=[victim.reminder.pk]), {"action": action, "next": target}
        )

        assert response.status_code == 302
        _assert_stays_on_site(response["Location"])


def test_an_on_site_next_is_still_followed(visitors: Visitors, victim: World):
    # The guard refuses other sites, not the feature.
    response = visitors.owner.post(
        reverse("pipeline:application_move", args=[victim.application.pk]),
        {"stage": Stage.OFFER, "next": reverse("pipeline:board")},
    )

    assert response["Location"] == reverse("pipeline:board")


# --- Login rate limit: per address, across accounts ----------------------------------------------

ATTACKER_ADDRESS = "203.0.113.7"
OTHER_ADDRESS = "198.51.100.23"


def test_one_address_guessing_many_accounts_is_stopped_though_no_account_hit_its_own_limit():
    # Ten accounts, one wrong guess each: every account stays far below its own limit of
    # five, yet one address guessing across accounts is what password spraying looks like.
    sprayed = [UserFactory(email=f"sprayed{n}@example.com") for n in range(10)]
    next_victim = UserFactory(email="next.victim@example.com")
    browser = Client(REMOTE_ADDR=ATTACKER_ADDRESS)
    url = reverse("account_login")

    for user in sprayed:
        response = browser.post(url, {"login": user.email, "password": "Summer2024!"})
        assert "That email and password do not match an account" in response.content.decode()

    blocked = _log_in(browser, next_victim, url)
    elsewhere = Client(REMOTE_ADDR=OTHER_ADDRESS)
    allowed = _log_in(elsewhere, next_victim, url)

    assert "Too many failed login attempts" in blocked.content.decode()
    assert "_auth_user_id" not in browser.session
    assert allowed.status_code == 302
    assert elsewhere.session["_auth_user_id"] == str(next_victim.pk)
