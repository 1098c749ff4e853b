from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from apps.reminders.models import Kind, Reminder, ReminderSettings
from tests.helpers import confirm_email
from tests.pipeline.factories import ApplicationFactory

ROOT = Path(__file__).resolve().parents[2]
CONFIG_VARIABLES = {
    "DATABASE_URL",
    "REDIS_URL",
    "CACHE_URL",
    "CELERY_BROKER_URL",
    "EMAIL_URL",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
}


@pytest.fixture
def process_env(tmp_path, smtp_server) -> dict[str, str]:
    """Environment for app processes that share this test's database and SMTP server."""
    database = connection.settings_dict
    env = {key: value for key, value in os.environ.items() if key not in CONFIG_VARIABLES}
    env.update(
        DATABASE_URL=f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        EMAIL_URL=smtp_server.url,
        VAR_DIR=str(tmp_path / "var"),
        SITE_URL="http://testserver",
        # Links the worker signs must verify here: one secret, as in production.
        SECRET_KEY=settings.SECRET_KEY,
    )
    return env


@pytest.fixture
def manage_py() -> list[str]:
    return [sys.executable, str(ROOT / "manage.py")]


@pytest.fixture
def due_reminders(transactional_db, owner):
    """make(n): n reminders due a minute ago, for an owner who accepts mail at any hour."""
    confirm_email(owner)
    ReminderSettings.objects.create(owner=owner, quiet_from=dt.time(0), quiet_until=dt.time(0))
    application = ApplicationFactory(owner=owner)

    def make(count: int) -> list[int]:
        due = timezone.now() - dt.timedelta(minutes=1)
        reminders = Reminder.objects.bulk_create(
            Reminder(
                owner=owner,
                kind=Kind.NUDGE,
                due_at=due,
                next_try_at=due,
                application=application,
                dedupe_key=f"reliability:{n}",
            )
            for n in range(count)
        )
        return [reminder.pk for reminder in reminders]

    return make
