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
