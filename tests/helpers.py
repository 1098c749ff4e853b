"""Assertions shared by every app's view tests."""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client

from apps.accounts.models import User


@dataclass
class Visitors:
    """Three people at the door of every private page.

    `owner` made the data; `stranger` is signed in but owns none of it;
    `anonymous` is not signed in at all.
    """

    owner_user: User
    stranger_user: User
    owner: Client
    stranger: Client
    anonymous: Client


def assert_redirects_to_login(response: HttpResponse) -> None:
    assert response.status_code == 302, response.status_code
    assert urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL)


def assert_only_owner_can_open(visitors: Visitors, url: str) -> HttpResponse:
    """The owner gets the page, a stranger a 404, a visitor the login page."""
    assert_redirects_to_login(visitors.anonymous.get(url))
    assert visitors.stranger.get(url).status_code == 404
    response = visitors.owner.get(url)
    assert response.status_code == 200, response.status_code
    return response


def confirm_email(user: User) -> None:
    """Mark the user's address confirmed, as following the emailed link does."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def count_queries(client: Client, url: str) -> int:
    """The number of database queries one GET of `url` costs (asserting it succeeds).

    The query budget of a page: compare it for a user with little data and one with a
    lot; equal counts mean no query per row.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


# Variables that would point an app process somewhere other than where the test points it.
PROCESS_CONFIG_VARIABLES = {
    "DATABASE_URL",
    "REDIS_URL",
    "CACHE_URL",
    "CELERY_BROKER_URL",
    "EMAIL_URL",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
}


def app_process_env(var_dir, **settings_for_it: str) -> dict[str, str]:
    """The environment of an app process (a worker, manage.py) sharing this test's database:
    none of the shell's own configuration, the test's database and secret (links it signs must
    verify here), a var folder of its own, and whatever else the test sets."""
    from django.db import connection

    database = connection.settings_dict
    env = {key: value for key, value in os.environ.items() if key not in PROCESS_CONFIG_VARIABLES}
    env.update(
        DATABASE_URL=f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        VAR_DIR=str(var_dir),
        SECRET_KEY=settings.SECRET_KEY,
        **settings_for_it,
    )
    return env


def stop_process_group(process, *, grace_seconds: float = 20) -> None:
    """Stop a process started in a group of its own (start_new_session=True): ask it, wait,
    then kill whatever of its group is still there (a worker's pool, a server's children)."""
    import contextlib
    import signal
    import subprocess

    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=grace_seconds)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
