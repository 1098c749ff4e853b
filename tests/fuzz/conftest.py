from __future__ import annotations

import pytest
from django.core.cache import cache

from apps.accounts.models import User
from tests.accounts.factories import UserFactory
from tests.security.world import World, build_world


@pytest.fixture(autouse=True)
def _private_cache(settings):
    """A cache of this test's own for the login and sign-up rate limits.

    Other suites run at the same time against the same Redis: the fuzzer's
    failed logins must not lock out their users.
    """
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fuzz"}
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seeker(db) -> User:
    # East of UTC: a local date at either end of the calendar lies outside it in UTC,
    # which is where date arithmetic overflows.
    return UserFactory(email="fuzzed@example.com", first_name="Fuzz", time_zone="Asia/Tokyo")


@pytest.fixture
def world(seeker: User) -> World:
    """One of everything the seeker can own: built once per test, shared by its examples."""
    return build_world(seeker, "Fuzzland")
