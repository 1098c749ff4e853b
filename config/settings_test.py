"""Settings for the test suite: the real services on this machine.

Postgres and Redis run on 127.0.0.1 on every development and CI machine, so
the defaults point there; the variables still win when they are set.
"""

import os

# `make test` runs the suite in two processes (pytest-xdist: "gw0", "gw1"). pytest-django gives
# each its own test database; here each also gets its own Redis database (the cache, and the
# broker of the workers tests start) and var folder, so that one process emptying its cache
# between tests cannot wipe the other's rate-limit counters or queued tasks mid-test. The
# processes inherit the environment the first process set below, so the worker's number
# moves what was set there; a marker keeps a process started from a worker from moving it twice.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
WORKER_INDEX = int(XDIST_WORKER.removeprefix("gw")) if XDIST_WORKER.startswith("gw") else 0


def _for_this_worker(redis_url: str) -> str:
    """The Redis URL with its database number moved down by the worker's number."""
    base, _, database = redis_url.rpartition("/")
    if not WORKER_INDEX or not database.isdigit():
        return redis_url
    return f"{base}/{(int(database) - WORKER_INDEX) % 16}"


os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/second_round")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("EMAIL_URL", "locmem://")
os.environ.setdefault("VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test"))
if XDIST_WORKER and os.environ.get("SECOND_ROUND_TEST_WORKER") != XDIST_WORKER:
    os.environ["SECOND_ROUND_TEST_WORKER"] = XDIST_WORKER
    os.environ["REDIS_URL"] = _for_this_worker(os.environ["REDIS_URL"])
    os.environ["VAR_DIR"] = os.path.join(os.environ["VAR_DIR"], XDIST_WORKER)

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# the test makes beside it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
