from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.helpers import Visitors


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in the (Redis) cache; one test's failed logins
    # must not lock out the next test's user.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def owner(db):
    return UserFactory(email="owner@example.com", first_name="Olive")


@pytest.fixture
def stranger(db):
    return UserFactory(email="stranger@example.com", first_name="Sam")


@pytest.fixture
def visitors(owner, stranger) -> Visitors:
    owner_client, stranger_client = Client(), Client()
    owner_client.force_login(owner)
    stranger_client.force_login(stranger)
    return Visitors(
        owner_user=owner,
        stranger_user=stranger,
        owner=owner_client,
        stranger=stranger_client,
        anonymous=Client(),
    )


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; Django's mail goes to it for the test."""
    from tests.smtp import SmtpServer

    server = SmtpServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    yield server
    server.stop()
