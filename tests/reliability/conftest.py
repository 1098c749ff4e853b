from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.utils import timezone

from apps.reminders.models import Kind, Reminder, ReminderSettings
from tests.helpers import app_process_env, confirm_email, stop_process_group
from tests.pipeline.factories import ApplicationFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def process_env(tmp_path, smtp_server) -> dict[str, str]:
    """Environment for app processes that share this test's database and SMTP server."""
    return app_process_env(tmp_path / "var", EMAIL_URL=smtp_server.url, SITE_URL="http://testserver")


@pytest.fixture
def manage_py() -> list[str]:
    return [sys.executable, str(ROOT / "manage.py")]


def make_due_reminders(owner, count: int, *, minutes_ago: int = 1, label: str = "reliability") -> list[int]:
    """`count` nudges due `minutes_ago`, on the owner's one application (made if needed)."""
    application = owner.applications.first() or ApplicationFactory(owner=owner)
    due = timezone.now() - dt.timedelta(minutes=minutes_ago)
    reminders = Reminder.objects.bulk_create(
        Reminder(
            owner=owner,
            kind=Kind.NUDGE,
            due_at=due,
            next_try_at=due,
            application=application,
            dedupe_key=f"{label}:{owner.pk}:{n}",
        )
        for n in range(count)
    )
    return [reminder.pk for reminder in reminders]


def accepts_mail_at_any_hour(user) -> None:
    """A confirmed address and no quiet hours: a due reminder goes out at once."""
    confirm_email(user)
    ReminderSettings.objects.create(owner=user, quiet_from=dt.time(0), quiet_until=dt.time(0))


@pytest.fixture
def due_reminders(transactional_db, owner):
    """make(n): n reminders due a minute ago, for an owner who accepts mail at any hour."""
    accepts_mail_at_any_hour(owner)
    ApplicationFactory(owner=owner)
    return lambda count: make_due_reminders(owner, count)


@pytest.fixture
def celery_worker(transactional_db, process_env, tmp_path) -> Iterator[Callable]:
    """start(broker_url=, concurrency=, dispatch_seconds=, lease_seconds=): a real Celery worker
    with an embedded beat, in a process group of its own that is stopped at the end of the test."""
    log_path = tmp_path / "worker.log"
    started: list[subprocess.Popen] = []

    def start(
        *, broker_url: str, concurrency: int = 1, dispatch_seconds: int = 2, lease_seconds: int = 600
    ) -> subprocess.Popen:
        env = {
            **process_env,
            "CELERY_BROKER_URL": broker_url,
            "REMINDER_DISPATCH_SECONDS": str(dispatch_seconds),
            "REMINDER_LEASE_SECONDS": str(lease_seconds),
        }
        with log_path.open("w") as log:
            process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "celery", "-A", "config", "worker", "--beat", "--loglevel=INFO"),
                    *(f"--concurrency={concurrency}", "--schedule", str(tmp_path / "beat-schedule")),
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its pool and beat processes share its process group
            )
        process.log_path = log_path
        started.append(process)
        return process

    yield start
    for process in started:
        stop_process_group(process)
    if log_path.exists():
        print("--- worker log (last 80 lines) ---", *log_path.read_text().splitlines()[-80:], sep="\n")
