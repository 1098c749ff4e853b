"""The run command on a machine with nothing configured: SQLite, no broker server."""

import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest


def _smtp_banner(port: int) -> bytes | None:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
            return connection.recv(200)
    except OSError:
        return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.25)
    pytest.fail(f"timed out after {timeout}s waiting for {what}")


def _get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, response.read().decode()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _processes_started_with(variable: str) -> list[int]:
    """Process ids whose environment holds `variable` (NAME=value)."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if variable.encode() in environ.read_bytes().split(b"\0"):
                found.append(int(environ.parent.name))
        except OSError:
            continue  # the process ended while we looked
    return found


def test_run_command_serves_the_app_and_starts_a_worker_with_no_configuration(clean_env, manage_py, tmp_path):
    port, mail_port = _free_port(), _free_port()
    log_path = tmp_path / "run.log"
    var_dir = f"VAR_DIR={tmp_path / 'var'}"
    env = {**clean_env, "VAR_DIR": str(tmp_path / "var"), "INBOX_PORT": str(mail_port)}
    with log_path.open("w") as log:
        app = subprocess.Popen(
            [*manage_py, "run", "--port", str(port), "--no-reload"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        status, page = _wait_for(lambda: _get(f"http://127.0.0.1:{port}/"), timeout=60, what="the web server")
        assert status == 200
        assert "Create your free account" in page
        _wait_for(lambda: " ready." in log_path.read_text(), timeout=60, what="the Celery worker")
        # The mail server for forwarded invitations answers as a mail server does.
        banner = _wait_for(lambda: _smtp_banner(mail_port), timeout=60, what="the mail server")
        assert banner.startswith(b"220 ")

        output = log_path.read_text()
        assert f"Second Round is running at http://127.0.0.1:{port}/" in output
        assert "beat: Starting" in output
        # The embedded default really is the one with no servers.
        assert (tmp_path / "var" / "db.sqlite3").exists()
        assert (tmp_path / "var" / "broker" / "queue").is_dir()

        app.send_signal(signal.SIGINT)  # what Ctrl-C sends
        assert app.wait(timeout=40) == 0
        assert _get(f"http://127.0.0.1:{port}/") is None
        # Nothing it started is left behind, and the worker shut down cleanly.
        assert _processes_started_with(var_dir) == []
        assert "ERROR" not in log_path.read_text()
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()


SEED_AN_INTERVIEW_THAT_ENDED = """
import datetime as dt
from allauth.account.models import EmailAddress
from django.utils import timezone
from apps.accounts.models import User
from apps.pipeline import services
from apps.reminders.models import ReminderSettings
user = User.objects.create_user("laptop@example.com", "a long enough passphrase")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
ReminderSettings.objects.create(owner=user, quiet_from=dt.time(0), quiet_until=dt.time(0))
application = services.application_create(owner=user, company_name="Embedded Ltd", role_title="Engineer")
ended = timezone.now() - dt.timedelta(hours=3)
services.interview_schedule(application=application, starts_at=ended - dt.timedelta(hours=1), ends_at=ended)
"""


def test_reminders_really_fire_on_the_embedded_default(clean_env, manage_py, tmp_path):
    port = _free_port()
    var = tmp_path / "var"
    env = {
        **clean_env,
        "VAR_DIR": str(var),
        "REMINDER_DISPATCH_SECONDS": "2",
        "INBOX_PORT": str(_free_port()),
    }
    with (tmp_path / "run.log").open("w") as log:
        app = subprocess.Popen(
            [*manage_py, "run", "--port", str(port), "--no-reload"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_for(lambda: " ready." in (tmp_path / "run.log").read_text(), timeout=60, what="the worker")
        subprocess.run(
            [*manage_py, "shell", "-c", SEED_AN_INTERVIEW_THAT_ENDED], env=env, check=True, timeout=60
        )

        def thank_you_mail() -> str | None:
            for path in (var / "mail").glob("*.log"):
                text = path.read_text()
                if "Subject: Send Embedded Ltd a thank-you note" in text:
                    return text
            return None

        mail = _wait_for(thank_you_mail, timeout=60, what="the thank-you reminder in var/mail/")
        assert "X-Second-Round-Reminder:" in mail
    finally:
        app.send_signal(signal.SIGINT)
        app.wait(timeout=40)


# The demo's search, read back through every main page on SQLite: the dashboard's numbers and
# the paged lists are counted in the database, and SQLite spells some of that differently.
READ_EVERY_PAGE_OF_THE_DEMO = """
from django.test import Client
from apps.accounts.models import User
from apps.dashboard.numbers import search_numbers
from django.utils import timezone
user = User.objects.get(email="demo@secondround.example")
figures = search_numbers(user=user, now=timezone.now())
print("funnel", [step.reached for step in figures.funnel])
print("answers", figures.answered, figures.median_days is not None and figures.median_days >= 0)
client = Client()
client.force_login(user)
for path in ["/", "/numbers/", "/numbers/?period=30", "/applications/", "/applications/board/",
             "/journal/", "/reminders/", "/reminders/?section=closed", "/contacts/"]:
    print("page", path, client.get(path, HTTP_HOST="127.0.0.1").status_code)
"""


def test_the_demo_reads_back_on_every_page_of_the_embedded_default(clean_env, manage_py, tmp_path):
    env = {**clean_env, "VAR_DIR": str(tmp_path / "var")}
    for command in (["migrate", "-v0"], ["seed_demo", "--demo"]):
        subprocess.run([*manage_py, *command], env=env, check=True, capture_output=True, timeout=300)

    shown = subprocess.run(
        [*manage_py, "shell", "-c", READ_EVERY_PAGE_OF_THE_DEMO],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout.splitlines()

    assert (tmp_path / "var" / "db.sqlite3").exists()
    funnel = next(line for line in shown if line.startswith("funnel"))
    assert funnel != "funnel [0, 0, 0, 0, 0, 0, 0]"
    answers = next(line for line in shown if line.startswith("answers"))
    assert not answers.startswith("answers 0 ") and answers.endswith("True")
    pages = [line for line in shown if line.startswith("page")]
    assert len(pages) == 9 and all(line.endswith(" 200") for line in pages), pages
