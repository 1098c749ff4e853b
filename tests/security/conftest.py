from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.helpers import Visitors
from tests.security.world import World, build_world

# Distinctive words carried by each person's objects: a page showing the
# victim's marker to anyone else is leaking the victim's data.
VICTIM_MARKER = "Zebrafinch"
ATTACKER_MARKER = "Marmoset"


@pytest.fixture(autouse=True)
def _private_cache(settings):
    """A cache of this test's own for the login and sign-up rate limits.

    Other suites run at the same time against the same Redis and clear it
    between their tests; our failed logins must not lock out their users, and
    their clearing must not reset our counters halfway through a test.
    """
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "security"}
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def victim(visitors: Visitors) -> World:
    """The owner's data: what everyone else must not see or touch."""
    return build_world(visitors.owner_user, VICTIM_MARKER)


@pytest.fixture
def attacker(visitors: Visitors) -> World:
    """The stranger's own data, for requests that mix their ids with the victim's."""
    return build_world(visitors.stranger_user, ATTACKER_MARKER)
