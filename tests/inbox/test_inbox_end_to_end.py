"""End to end: the real mail server (manage.py inbox_server) and a real Celery worker, both in
processes of their own. An invitation sent with smtplib appears on the board, with its thank-you
reminder scheduled."""

from __future__ import annotations

import contextlib
import datetime as dt
import smtplib
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from apps.inbox import services
from apps.pipeline import services as pipeline
from apps.pipeline.models import Interview
from apps.reminders.models import Kind, Reminder
from tests.helpers import app_process_env, confirm_email, stop_process_group
from tests.inbox.invite_mail import LONDON, calendar, forwarded, free_port
from tests.pipeline.test_csv_worker import celery_workers, wait_for

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def mail_server(tmp_path: Path):
    port = free_port()
    env = app_process_env(
        tmp_path / "var", CELERY_BROKER_URL=settings.CELERY_BROKER_URL, EMAIL_URL="locmem://"
    )
    log_path = tmp_path / "inbox.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "inbox_server", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(lambda: _answers(port), "the mail server to listen", timeout=60)
        yield port
    finally:
        stop_process_group(process, grace_seconds=15)
        print("--- mail server log ---", log_path.read_text(), sep="\n")


def _answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        return True
    return False


@pytest.mark.django_db(transaction=True)
def test_a_forwarded_invitation_reaches_the_board_with_its_thank_you_reminder(owner, tmp_path):
    confirm_email(owner)
    application = pipeline.application_create(
        owner=owner, company_name="Lumen Labs", role_title="Platform Engineer"
    )
    starts = (
        (timezone.now() + dt.timedelta(days=6))
        .astimezone(LONDON)
        .replace(hour=15, minute=30, second=0, microsecond=0)
    )
    address = services.address_for(owner).address
    raw = forwarded(
        sender=owner.email,
        to=address,
        subject="Fwd: Invitation: Lumen Labs, second interview",
        ics=calendar(starts=starts, attendees=(("Dana Whitfield", "dana@lumen.example"),)),
    )

    with celery_workers(tmp_path) as start_worker, mail_server(tmp_path) as port:
        start_worker()
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
            client.sendmail(owner.email, [address], raw)
        wait_for(
            lambda: Interview.objects.filter(application=application).exists(), "the interview", timeout=90
        )

    interview = Interview.objects.get(application=application)
    assert interview.starts_at == starts
    assert Reminder.objects.filter(interview=interview, kind=Kind.THANK_YOU).exists()
    browser = Client()
    browser.force_login(owner)
    board = browser.get("/applications/board/").content.decode()
    assert "Lumen Labs" in board
    detail = browser.get(f"/applications/{application.pk}/").content.decode()
    assert "Dana Whitfield" in detail
